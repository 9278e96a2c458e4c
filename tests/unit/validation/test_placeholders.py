"""Placeholders and stubs: what is unfinished is found, what is intentional is not blocking."""

from __future__ import annotations

from pathlib import Path

import pytest

from claude_tui.validation import Check, Severity, validate_path, validate_snippet

TD = "TO" + "DO"
NIE = "NotImplemented" + "Error"


def placeholder(code: str, language: str = "python") -> list[tuple[str, Severity]]:
    report = validate_snippet(code, language, checks=[Check.PLACEHOLDERS])
    return [(f.rule, f.severity) for f in report.findings]


def blocking(code: str, language: str = "python") -> list[str]:
    return [rule for rule, sev in placeholder(code, language) if sev.at_least(Severity.MEDIUM)]


@pytest.mark.parametrize(
    "code",
    [
        "def load(path):\n    pass\n",
        "def load(path):\n    ...\n",
        f"def load(path):\n    raise {NIE}\n",
        f"def load(path):\n    raise {NIE}('later')\n",
        'def load(path):\n    """Load the file."""\n',
        f"def load(path):\n    # {TD}: implement\n    return None\n",
        "def load(path):\n    # implement this later\n    return []\n",
    ],
)
def test_python_stub_bodies_are_blocking(code: str) -> None:
    assert "placeholder.stub-body" in blocking(code)


def test_public_unconditional_stub_is_high() -> None:
    assert ("placeholder.stub-body", Severity.HIGH) in placeholder("def save(x):\n    pass\n")


@pytest.mark.parametrize(
    "comment",
    [
        "# ... rest of the code ...",
        "# ... existing code ...",
        "# implementation goes here",
        "# code omitted for brevity",
        "# your code here",
        "# rest of the implementation remains the same",
    ],
)
def test_elided_code_comments_are_high(comment: str) -> None:
    code = f"def f(x):\n    y = x + 1\n    {comment}\n    return y\n"
    assert ("placeholder.elided-code", Severity.HIGH) in placeholder(code)


@pytest.mark.parametrize(
    ("code", "language"),
    [
        ('function f() {\n  throw new Error("not implemented");\n}\n', "javascript"),
        (
            'export function f(): number {\n  throw new Error("Not implemented yet");\n}\n',
            "typescript",
        ),
        ("fn f() -> i32 {\n    todo!()\n}\n", "rust"),
        ("fn f() -> i32 {\n    unimplemented!()\n}\n", "rust"),
        ('package a\n\nfunc F() int {\n\tpanic("not implemented")\n}\n', "go"),
        (
            "class A {\n  int f() {\n"
            '    throw new UnsupportedOperationException("not implemented");'
            "\n  }\n}\n",
            "java",
        ),
    ],
)
def test_not_implemented_in_other_languages_is_high(code: str, language: str) -> None:
    assert ("placeholder.not-implemented", Severity.HIGH) in placeholder(code, language)


@pytest.mark.parametrize(
    ("code", "language"),
    [
        ("try { run(); } catch (e) {}\n", "javascript"),
        ("package a\n\nfunc F() {\n\terr := g()\n\tif err != nil {\n\t}\n}\n", "go"),
        ("try:\n    run()\nexcept:\n    pass\n", "python"),
        ("try:\n    rows = fetch()\n    store(rows)\nexcept Exception:\n    pass\n", "python"),
    ],
)
def test_swallowed_errors_are_reported(code: str, language: str) -> None:
    assert "placeholder.swallowed-error" in blocking(code, language)


SAVE_THAT_CLAIMS_SUCCESS = """
import json


class Snapshotter:
    def save(self, items):
        target = self.directory / "items.json"
        try:
            target.write_text(json.dumps(items), encoding="utf-8")
        except {caught}:
            pass
        return target
"""

FETCH_LOOP_THAT_DROPS = """
import json
import urllib.request


def pull(base_url, keys):
    fetched = []
    for key in keys:
        try:
            with urllib.request.urlopen(f"{base_url}/items/{key}", timeout=10) as response:
                fetched.append(json.loads(response.read()))
        except Exception:
            continue
    return fetched
"""


@pytest.mark.parametrize("caught", ["Exception", "OSError", "(OSError, ValueError)"])
def test_a_write_whose_failure_is_reported_as_success_is_blocking(caught: str) -> None:
    # One guarded operation is usually a best effort; not when it is the function's own work
    # and the function then answers as if it had been done.
    code = SAVE_THAT_CLAIMS_SUCCESS.replace("{caught}", caught)
    assert "placeholder.swallowed-error" in blocking(code)


def test_a_fetch_loop_that_drops_every_failing_item_is_blocking() -> None:
    assert "placeholder.swallowed-error" in blocking(FETCH_LOOP_THAT_DROPS)


@pytest.mark.parametrize(
    "code",
    [
        # A probe: an empty write asks what kind of stream this is.
        "def is_text(stream):\n    try:\n        stream.write('')\n        return True\n"
        "    except Exception:\n        pass\n    return False\n",
        # Cleanup that may fail: nothing is claimed afterwards.
        "import os\n\ndef remove_silent(path):\n    try:\n        os.remove(path)\n"
        "    except OSError:\n        pass\n",
        # Trying each validator in turn: the loop's failures are the point.
        "def first_valid(validators, value):\n    for v in validators:\n        try:\n"
        "            v(value)\n        except Exception:\n            continue\n"
        "        return v\n    return None\n",
        "def flush_quietly(self):\n    try:\n        self.stream.flush()\n"
        "    except Exception:\n        pass\n    return self\n",
    ],
)
def test_deliberate_best_efforts_stay_quiet(code: str) -> None:
    assert blocking(code) == []


def test_a_specific_exception_ignored_on_purpose_is_fine() -> None:
    assert blocking("try:\n    run()\nexcept FileNotFoundError:\n    pass\n") == []


@pytest.mark.parametrize(
    "code",
    [
        "from abc import ABC, abstractmethod\n\nclass A(ABC):\n    @abstractmethod\n"
        "    def run(self):\n        ...\n",
        "from typing import Protocol\n\nclass P(Protocol):\n"
        "    def run(self) -> int:\n        ...\n",
        "from typing import overload\n\n@overload\ndef f(x: int) -> int:\n    ...\n"
        "@overload\ndef f(x: str) -> str:\n    ...\ndef f(x):\n    return x\n",
        "class AppError(Exception):\n    pass\n",
        "class Base:\n    def on_event(self, e):\n        pass\n\n"
        "class Child(Base):\n    def on_event(self, e):\n        print(e)\n",
        f"class Base:\n    def render(self):\n        raise {NIE}\n\n"
        "class Html(Base):\n    def render(self):\n        return '<p>'\n",
        "",
    ],
)
def test_intentional_hooks_are_not_blocking(code: str) -> None:
    assert blocking(code) == []


def test_overridden_hook_is_reported_as_low_hook() -> None:
    code = (
        "class Base:\n    def on(self):\n        pass\n\n"
        "class C(Base):\n    def on(self):\n        return 1\n"
    )
    assert placeholder(code) == [("placeholder.hook", Severity.LOW)]


def test_markers_added_by_a_change_are_medium() -> None:
    code = f"def f():\n    return 1  # {TD} handle negative input\n"
    assert ("placeholder.marker", Severity.MEDIUM) in placeholder(code)


def test_constant_return_with_implement_comment_in_go_is_a_stub() -> None:
    code = f"package a\n\nfunc Total() int {{\n\t// {TD}: implement\n\treturn 0\n}}\n"
    assert ("placeholder.stub-body", Severity.HIGH) in placeholder(code, "go")


def test_complete_code_has_no_placeholder_findings() -> None:
    code = (
        'def mean(values):\n    """Arithmetic mean."""\n    if not values:\n'
        "        raise ValueError('empty')\n    return sum(values) / len(values)\n"
    )
    assert placeholder(code) == []


def test_hash_signs_inside_strings_are_not_comments() -> None:
    code = (
        f'URL = "http://host/#{TD}"\nTEXT = """\n# ... rest of the code ...\n"""\n'
        f"PAIR = ('#', \"{TD}\")  # fine\n"
    )
    assert placeholder(code) == []


def test_comment_after_a_multiline_string_is_read() -> None:
    code = f'TEXT = """\nline\n"""  # {TD} translate\n'
    assert placeholder(code) == [("placeholder.marker", Severity.MEDIUM)]


def test_comments_of_a_file_that_does_not_parse_are_still_read() -> None:
    code = "def f(:\n    # ... existing code ...\n"
    assert ("placeholder.elided-code", Severity.HIGH) in placeholder(code)


def test_a_method_documented_as_doing_nothing_is_a_low_hook() -> None:
    code = (
        "class Runner:\n    async def aclose(self) -> None:\n"
        '        """Nothing stays open between runs."""\n'
    )
    assert placeholder(code) == [("placeholder.hook", Severity.LOW)]


def test_empty_helpers_in_test_modules_are_reported_low(tmp_path: Path) -> None:
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_api.py").write_text("def callback(event):\n    pass\n")
    report = validate_path(tmp_path, checks=[Check.PLACEHOLDERS])
    assert [(f.rule, f.severity) for f in report.findings] == [
        ("placeholder.stub-body", Severity.LOW)
    ]
