from pathlib import Path

from todoscan.scan import scan_source

SOURCE = '''
def f():
    # TODO(ana): handle the empty case
    msg = "TODO: this is a string, not a marker"
    return msg  # FIXME returns the wrong thing
'''


def test_comments_found_strings_ignored():
    found = scan_source(Path("x.py"), SOURCE)
    assert [(m.tag, m.who) for m in found] == [("TODO", "ana"), ("FIXME", "unassigned")]


def test_broken_source_reported():
    found = scan_source(Path("bad.py"), 'x = """never closed\n')
    assert found[0].tag == "ERROR"
