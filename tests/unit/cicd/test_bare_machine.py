"""The bare-machine job installs the README's prerequisites line and nothing else
(`make bare-machine-test`), and has its GitHub counterpart on a fresh Ubuntu runner."""

from __future__ import annotations

import subprocess
from pathlib import Path

import yaml

from servers import require_tool

ROOT = Path(__file__).resolve().parents[3]
SCRIPTS = (ROOT / ".ci" / "bare-machine.sh", ROOT / ".ci" / "bare-machine-inside.sh")


def prerequisites(readme: Path) -> subprocess.CompletedProcess[str]:
    """What the bare job would install, read by its own script from ``readme``'s directory."""
    tree = readme.parent
    (tree / ".ci").mkdir(exist_ok=True)
    script = tree / ".ci" / "bare-machine-inside.sh"
    script.write_text(SCRIPTS[1].read_text())
    return subprocess.run(
        ["bash", str(script), "--prerequisites"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_job_installs_exactly_the_readme_prerequisites_line(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text()
    quick_start = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    lines = [line for line in quick_start.splitlines() if "apt-get install" in line]
    assert lines == [
        "apt-get install git make python3-venv   # the only prerequisites of the two commands below"
    ]
    copy = tmp_path / "README.md"
    copy.write_text(readme)
    result = prerequisites(copy)
    assert (result.returncode, result.stdout.strip()) == (0, "git make python3-venv")


def test_a_readme_without_the_prerequisites_line_stops_the_job(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text("# Claude TUI\n\n```bash\nmake run\n```\n")
    result = prerequisites(readme)
    assert result.returncode == 1
    assert "README.md has no 'apt-get install ...  # ...' prerequisites line" in result.stderr


def test_make_bare_machine_test_runs_the_container_job() -> None:
    planned = subprocess.run(
        ["make", "--no-print-directory", "-n", "bare-machine-test"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert planned.returncode == 0, planned.stderr
    assert planned.stdout.strip().splitlines()[-1] == "bash .ci/bare-machine.sh"


def test_the_workflow_runs_the_readme_commands_on_a_fresh_ubuntu_runner() -> None:
    ci = yaml.safe_load((ROOT / ".github" / "workflows" / "ci.yml").read_text())
    job = ci["jobs"]["fresh-machine"]
    assert job["runs-on"] == "ubuntu-latest"
    assert job["env"]["CLAUDE_TUI_REQUIRE_SERVICES"] == "0"
    uses = [str(step.get("uses", "")) for step in job["steps"]]
    runs = [str(step.get("run", "")) for step in job["steps"] if "run" in step]
    # No setup-python, no setup scripts: the runner's own Python and the README's line only.
    assert not any(u.startswith("actions/setup-python@") for u in uses)
    assert runs == ["bash .ci/bare-machine-inside.sh"]


def test_the_bare_machine_scripts_pass_shellcheck() -> None:
    shellcheck = require_tool("shellcheck", install="apt-get install shellcheck")
    result = subprocess.run(
        [shellcheck, *map(str, SCRIPTS)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
