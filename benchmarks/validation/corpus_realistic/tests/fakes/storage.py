"""In-memory doubles of the storage backends for unit tests."""

from __future__ import annotations


class FakeObjectStore:
    def __init__(self) -> None:
        self.objects: dict[str, bytes] = {}
        self.calls: list[str] = []

    def put(self, key: str, data: bytes) -> str:
        self.calls.append(f"put {key}")
        self.objects[key] = data
        return "etag-" + str(len(data))

    def get(self, key: str) -> bytes:
        self.calls.append(f"get {key}")
        return self.objects[key]

    def delete(self, key: str) -> None:
        self.calls.append(f"delete {key}")
        self.objects.pop(key, None)


class FailingObjectStore(FakeObjectStore):
    def put(self, key: str, data: bytes) -> str:
        raise ConnectionError("simulated outage")


def stub_presign(key: str) -> str:
    # Fixed URL so assertions can compare strings.
    return f"https://example.invalid/{key}?sig=test"
