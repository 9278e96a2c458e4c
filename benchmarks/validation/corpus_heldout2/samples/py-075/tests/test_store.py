import io

from mediastore.store import MediaStore


def test_same_content_uploaded_once(fake_s3):
    store = MediaStore("bucket", client=fake_s3)
    a = store.put(io.BytesIO(b"hello"), "a.txt")
    b = store.put(io.BytesIO(b"hello"), "b.txt")
    assert a.key == b.key
    assert fake_s3.puts == 1
    assert a.content_type == "text/plain"
