"""Ruff runs beside the Python checks: started first, collected after, same findings."""

from __future__ import annotations

from pathlib import Path

from claude_tui.validation import ruff_names


def test_started_run_gives_the_findings_of_a_blocking_run(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    return undefined_thing\n", encoding="utf-8")
    good = tmp_path / "good.py"
    good.write_text("import os\nprint(os.sep)\n", encoding="utf-8")
    files = {"bad.py": bad, "good.py": good}
    pending = ruff_names.start_files(files)
    found = pending.result()
    assert found == ruff_names.check_files(files)
    assert [(f.rule, f.line) for f in found["bad.py"]] == [("names.undefined", 2)]
    assert found["good.py"] == []
