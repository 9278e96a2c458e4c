"""Invented attributes of standard-library and installed modules, read from stubs and source."""

from __future__ import annotations

import importlib.machinery
import sys
import textwrap
from pathlib import Path

import pytest

from claude_tui.validation import Check, Finding, Severity, validate_snippet

EXTENSION = importlib.machinery.EXTENSION_SUFFIXES[0]
SITE = f"lib/python{sys.version_info.major}.{sys.version_info.minor}/site-packages"


def missing(code: str, project_root: Path | None = None) -> list[tuple[str, Severity]]:
    report = validate_snippet(
        textwrap.dedent(code), "python", project_root=project_root, checks=[Check.NAMES]
    )
    return [(f.message, f.severity) for f in report.findings if _is_missing(f)]


def _is_missing(finding: Finding) -> bool:
    return finding.rule in ("names.missing-attribute", "names.missing-import-name")


def test_invented_standard_library_attributes_are_high() -> None:
    found = missing(
        """\
        import json
        import os
        import re

        print(os.path.joinpath("a", "b"), re.matchall("x", "y"), json.loads_file("f"))
        """
    )
    assert found == [
        ("module `os.path` has no attribute `joinpath`", Severity.HIGH),
        ("module `re` has no attribute `matchall`", Severity.HIGH),
        ("module `json` has no attribute `loads_file`", Severity.HIGH),
    ]


def test_invented_names_of_modules_without_python_source_come_from_stubs() -> None:
    # itertools and sys are built into the interpreter, signal fills its namespace at run
    # time: only their stubs say what they hold.
    found = missing(
        """\
        import itertools
        import signal
        import sys
        from math import clamp

        print(itertools.flatten, signal.SIGTERMINATE, sys.getsizeof, clamp)
        """
    )
    assert [message for message, _ in found] == [
        "`clamp` does not exist in module `math`",
        "module `itertools` has no attribute `flatten`",
        "module `signal` has no attribute `SIGTERMINATE`",
    ]
    assert all(severity.at_least(Severity.MEDIUM) for _, severity in found)


def test_real_attributes_through_submodules_and_aliases_are_accepted() -> None:
    found = missing(
        """\
        import asyncio
        import importlib.util
        import os
        import os.path as osp
        import xml.etree.ElementTree as ET
        from os.path import join

        print(os.path.join("a"), os.path.sep, osp.dirname("a"), join, os.environ.get("X"))
        print(importlib.util.find_spec, ET.fromstring, asyncio._get_running_loop, os.sys)
        print(os.__dict__, sys_version := 1)
        """
    )
    assert found == []


@pytest.mark.parametrize(
    "code",
    [
        pytest.param(
            """\
            import os
            import sys

            if sys.platform == "win32":
                os.startfile("report.pdf")
            """,
            id="sys.platform",
        ),
        pytest.param(
            """\
            import os

            def open_file(path):
                if os.name == "nt":
                    os.startfile(path)
                else:
                    os.system(f"xdg-open {path}")
            """,
            id="os.name",
        ),
        pytest.param(
            """\
            import os

            os.startfile("report.pdf")
            """,
            id="defined-by-the-stub-for-windows",
        ),
        pytest.param(
            """\
            import platform
            import sys

            if platform.python_implementation() == "PyPy":
                print(sys.pypy_version_info)
            """,
            id="python-implementation",
        ),
        pytest.param(
            """\
            import sys

            PYPY = hasattr(sys, "pypy_version_info")
            version = sys.pypy_version_info if hasattr(sys, "pypy_version_info") else None
            if PYPY:
                print(sys.pypy_version_info[:3])
            """,
            id="hasattr",
        ),
        pytest.param(
            """\
            import sys

            try:
                version = sys.pypy_version_info
            except AttributeError:
                version = None
            """,
            id="try-except-attribute-error",
        ),
        pytest.param(
            """\
            import sys
            import pytest

            @pytest.mark.skipif(sys.platform != "win32", reason="Windows only")
            def test_windows_version():
                assert sys.getwindowsversion().major >= 6
            """,
            id="skipped-off-platform",
        ),
    ],
)
def test_platform_specific_attributes_behind_a_check_are_not_reported(code: str) -> None:
    assert missing(code) == []


def _site(root: Path) -> Path:
    (root / ".venv").mkdir()
    (root / ".venv" / "pyvenv.cfg").write_text("home = /usr/bin\n")
    site = root / ".venv" / SITE
    site.mkdir(parents=True)
    return site


def test_installed_packages_are_read_statically_and_conservatively(tmp_path: Path) -> None:
    site = _site(tmp_path)
    (site / "plainlib.py").write_text("def fetch():\n    return 1\n")
    lazy = site / "lazylib"
    lazy.mkdir()
    (lazy / "__init__.py").write_text(
        "def __getattr__(name):\n    import importlib\n    return importlib.import_module(name)\n"
    )
    (site / "starlib.py").write_text("from _somewhere_generated import *\n")
    # A compiled extension without a stub: nothing can be known without importing it.
    (site / f"fastlib{EXTENSION}").write_bytes(b"\x7fELF not really")
    # A compiled package with its stub beside it: the stub says what it exports.
    typed = site / "typedlib"
    typed.mkdir()
    (typed / "__init__.py").write_text("from ._native import *\n")
    (typed / f"_native{EXTENSION}").write_bytes(b"\x7fELF not really")
    (typed / "__init__.pyi").write_text(
        "import sys\nfrom typing import Any\n"
        "def connect() -> None: ...\n"
        "if sys.platform == 'win32':\n    def connect_pipe() -> None: ...\n"
    )
    found = missing(
        """\
        import fastlib
        import lazylib
        import plainlib
        import starlib
        import typedlib

        print(plainlib.fetch(), plainlib.fetch_all())
        print(lazylib.anything, starlib.whatever, fastlib.speedup)
        print(typedlib.connect, typedlib.connect_pipe, typedlib.disconnect)
        """,
        project_root=tmp_path,
    )
    assert [message for message, _ in found] == [
        "module `plainlib` has no attribute `fetch_all`",
        "module `typedlib` has no attribute `disconnect`",
    ]


def test_an_ordinary_condition_does_not_hide_an_invented_attribute() -> None:
    found = missing(
        """\
        import json

        def load(path, has_permission):
            if has_permission and path:
                return json.loads_file(path)
            return None
        """
    )
    assert found == [("module `json` has no attribute `loads_file`", Severity.MEDIUM)]
