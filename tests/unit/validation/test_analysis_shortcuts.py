"""The text pre-checks that spare tree walks and regexes must not change what is found."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

from claude_tui.validation import Check, validate_snippet

SITE = f"lib/python{sys.version_info.major}.{sys.version_info.minor}/site-packages"


def _missing_attributes(project: Path, code: str) -> list[str]:
    report = validate_snippet(
        textwrap.dedent(code), "python", project_root=project, checks=[Check.NAMES]
    )
    return [f.message for f in report.findings if f.rule == "names.missing-attribute"]


def _installed(root: Path, name: str, source: str) -> None:
    (root / ".venv").mkdir(exist_ok=True)
    (root / ".venv" / "pyvenv.cfg").write_text("home = /usr/bin\n")
    site = root / ".venv" / SITE
    site.mkdir(parents=True, exist_ok=True)
    (site / f"{name}.py").write_text(textwrap.dedent(source))


def test_names_bound_by_walrus_or_global_inside_statements_exist(tmp_path: Path) -> None:
    _installed(
        tmp_path,
        "walruslib",
        """\
        import os
        if (LIMIT := int(os.environ.get("LIMIT", "3"))) > 2:
            pass
        for _ in range(1):
            global REGISTRY
        """,
    )
    # No ``:=`` nor ``global`` anywhere in its text: its names are still read.
    _installed(tmp_path, "plainlib", "def fetch():\n    return 1\n")
    found = _missing_attributes(
        tmp_path,
        """\
        import plainlib
        import walruslib

        print(walruslib.LIMIT, walruslib.REGISTRY, walruslib.LIMITS, plainlib.fetch_al)
        """,
    )
    assert found == [
        "module `walruslib` has no attribute `LIMITS`",
        "module `plainlib` has no attribute `fetch_al`",
    ]


@pytest.mark.parametrize(
    "filler",
    [
        'globals()["extra"] = 1',
        "vars().update(extra=1)",
        "import sys\nsys.modules[__name__] = object()",
        "import enum\nColor = enum.IntEnum._convert_('Color', __name__, str.isupper)",
        "from enum import global_enum",
        "exec('extra = 1')",
        "namespace = globals()\nnamespace['extra'] = 1",
    ],
)
def test_modules_that_fill_their_namespace_at_run_time_are_unknown(
    tmp_path: Path, filler: str
) -> None:
    _installed(tmp_path, "dynlib", f"def fetch():\n    return 1\n{filler}\n")
    assert _missing_attributes(tmp_path, "import dynlib\nprint(dynlib.extra)\n") == []


def test_a_module_that_only_mentions_exec_in_an_expression_is_read(tmp_path: Path) -> None:
    _installed(tmp_path, "quietlib", "RUNNER = print if True else exec('')\n")
    found = _missing_attributes(tmp_path, "import quietlib\nprint(quietlib.RUNER)\n")
    assert found == ["module `quietlib` has no attribute `RUNER`"]
