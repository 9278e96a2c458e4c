"""`make docs`: the project's documentation has no broken link and names no missing target."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

RunMake = Callable[..., subprocess.CompletedProcess[str]]


def test_the_project_docs_pass(run_make: RunMake) -> None:
    result = run_make("docs", timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert ", 0 problems" in result.stderr


def test_a_broken_link_a_missing_heading_and_an_unknown_target_are_each_named(
    run_make: RunMake, tmp_path: Path
) -> None:
    (tmp_path / "guide").mkdir()
    (tmp_path / "guide" / "setup.md").write_text("# Setup\n\n## Install it\n")
    (tmp_path / "index.md").write_text(
        "# Index\n\n"
        "See [setup](guide/setup.md#install-it) and [gone](guide/missing.md).\n"
        "Then [jump](guide/setup.md#uninstall) and run `make dev-setup` and `make deploy-moon`.\n"
        "```\n[not a link](nowhere.md)\n```\n"
        "External links are not fetched: [site](https://example.test/x).\n"
    )
    result = run_make("docs", f"DOCS={tmp_path}", timeout=120)
    assert result.returncode != 0
    assert "Error 1" in result.stderr  # the checker's own verdict, not a make failure
    index = tmp_path / "index.md"
    assert result.stdout.splitlines()[-3:] == [
        f"{index}:3: broken link guide/missing.md",
        f"{index}:4: no heading #uninstall in setup.md",
        f"{index}:4: `make deploy-moon` is not a make target",
    ]
    assert "2 files, 3 problems" in result.stderr
