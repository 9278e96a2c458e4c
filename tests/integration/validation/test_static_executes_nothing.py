"""Static validation (``--no-exec``) reads code, stubs and metadata; it never imports any of it.

The tree below is hostile: every module of it, its virtualenv's package and its ``.pth`` file
write a marker file when executed, and most then end the process. A validator that imports
a single one of them leaves a marker behind (or dies with exit 3).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

OPTIONS = ("--no-cache", "--format", "json", ".")
SITE = f"lib/python{sys.version_info.major}.{sys.version_info.minor}/site-packages"


def _payload(markers: Path, name: str, exit_after: bool = True) -> str:
    """Module source that records its own execution (and ends the process)."""
    code = f"open({str(markers / name)!r}, 'w').write('executed')\n"
    if exit_after:
        code += "import os\nos._exit(3)\n"
    return code


@pytest.fixture
def hostile(tmp_path: Path) -> tuple[Path, Path]:
    """A project whose every module has import-time side effects; returns (root, markers)."""
    root = tmp_path / "project"
    markers = tmp_path / "markers"
    root.mkdir()
    markers.mkdir()
    (root / "pyproject.toml").write_text('[project]\nname = "victim"\ndependencies = []\n')
    (root / "evil.py").write_text(_payload(markers, "evil") + "def thing():\n    return 1\n")
    # Shadows of standard-library names in the project root: the one the validating process
    # already holds (json) and one it has no reason to have loaded (curses).
    (root / "json.py").write_text(_payload(markers, "json", exit_after=False) + "VALUE = 1\n")
    (root / "curses.py").write_text(_payload(markers, "curses") + "panel = None\n")
    site = root / ".venv" / SITE
    package = site / "hostilepkg"
    package.mkdir(parents=True)
    (root / ".venv" / "pyvenv.cfg").write_text("home = /usr/bin\n")
    (package / "__init__.py").write_text(_payload(markers, "hostilepkg") + "def run():\n    pass\n")
    (site / "hostile.pth").write_text(
        f"import os; open({str(markers / 'pth')!r}, 'w').write('executed')\n"
    )
    (root / "app.py").write_text(
        textwrap.dedent(
            """\
            import json
            import mmap
            import readline
            import termios

            import evil
            import hostilepkg
            from curses.panel import new_panel
            from hostilepkg import not_there

            evil.thing()
            hostilepkg.run()
            print(json.VALUE, new_panel, not_there)
            print(mmap.PAGESIZE, readline.get_line_buffer, termios.TCSANOW)
            """
        )
    )
    return root, markers


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLAUDE_TUI_")}
    env["CLAUDE_TUI_DATA_DIR"] = str(tmp_path / "data")
    env["XDG_CACHE_HOME"] = str(tmp_path / "cache")
    return env


def _findings(stdout: str) -> set[tuple[str, str, str]]:
    report = json.loads(stdout)
    assert report["complete"], report["failures"]
    return {(f["path"], f["rule"], f["message"]) for f in report["findings"]}


def _assert_nothing_ran(markers: Path) -> None:
    assert sorted(p.name for p in markers.iterdir()) == []


@pytest.mark.parametrize(
    "python_flags",
    [
        pytest.param([], id="run-from-the-project-directory"),
        pytest.param(["-P"], id="project-not-on-sys-path"),
    ],
)
def test_cli_validates_a_hostile_tree_without_running_it(
    hostile: tuple[Path, Path], tmp_path: Path, python_flags: list[str]
) -> None:
    root, markers = hostile
    if not python_flags:
        # ``python -m`` puts the current directory first on sys.path, so Python itself would
        # run the root's json.py at start-up, before the validator exists: not this test.
        (root / "json.py").unlink()
        (root / "app.py").write_text((root / "app.py").read_text().replace("json.VALUE", "json"))
    done = subprocess.run(
        [sys.executable, *python_flags, "-m", "claude_tui", "validate", "--no-exec", *OPTIONS],
        cwd=root,
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    _assert_nothing_ran(markers)
    found = _findings(done.stdout)
    # The installed package was read, statically: its missing name is reported.
    assert (
        "app.py",
        "names.missing-import-name",
        "`not_there` does not exist in module `hostilepkg`",
    ) in found


def test_library_validates_a_hostile_tree_without_importing_anything(
    hostile: tuple[Path, Path], tmp_path: Path
) -> None:
    """Through the library, in a process that has the project on sys.path (a REPL, a hook)."""
    root, markers = hostile
    script = textwrap.dedent(
        f"""\
        import json, sys
        from claude_tui.validation import validate_path

        sys.path.insert(0, {str(root)!r})
        before = set(sys.modules)
        report = validate_path({str(root)!r}, workers=1)
        loaded = sorted(
            m for m in set(sys.modules) - before
            if m.split(".")[0] in ("curses", "_curses", "mmap", "readline", "termios", "evil",
                                   "hostilepkg", "json")
        )
        print(json.dumps({{"complete": report.complete, "loaded": loaded,
                           "rules": sorted({{f.rule for f in report.findings}})}}))
        """
    )
    done = subprocess.run(
        [sys.executable, "-P", "-c", script],
        cwd=tmp_path,
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    _assert_nothing_ran(markers)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["complete"] is True
    assert result["loaded"] == []
    assert "names.missing-import-name" in result["rules"]
