"""The independent secrets corpus: its labels are true, and its scorer never runs short-handed."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
CORPUS = ROOT / "benchmarks" / "audit" / "corpus_independent"
SCORER = ROOT / "benchmarks" / "audit" / "independent.py"
B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def labels() -> dict[str, list[dict[str, object]]]:
    data: dict[str, list[dict[str, object]]] = json.loads((CORPUS / "labels.json").read_text())
    return data


def line_of(file: object, line: object) -> str:
    return (CORPUS / str(file)).read_text(encoding="utf-8").splitlines()[int(str(line)) - 1]


def tool(name: str) -> str:
    found = shutil.which(name) or shutil.which(name, path=str(Path(sys.executable).parent))
    if found is None:
        pytest.fail(f"{name} is not installed (.ci/setup.d/50-audit.sh): this check cannot run")
    return found


def test_every_label_points_at_a_line_holding_its_secret() -> None:
    secrets = labels()["secrets"]
    assert len(secrets) >= 150
    assert {e["group"] for e in secrets} == {"vendor", "generic", "url", "private-key"}
    seen: set[tuple[object, object]] = set()
    for e in secrets:
        assert str(e["prefix"]) in line_of(e["file"], e["line"]), e
        assert (e["file"], e["line"]) not in seen, f"two labels on one line: {e}"
        seen.add((e["file"], e["line"]))
        if "end_line" in e:
            assert "-----END " in line_of(e["file"], e["end_line"]), e


def test_hard_decoys_are_on_lines_without_a_labelled_secret() -> None:
    data = labels()
    covered = {
        (e["file"], n)
        for e in data["secrets"]
        for n in range(int(str(e["line"])), int(str(e.get("end_line", e["line"]))) + 1)
    }
    assert len(data["hard_decoys"]) >= 20
    for d in data["hard_decoys"]:
        assert str(d["prefix"]) in line_of(d["file"], d["line"]), d
        assert (d["file"], d["line"]) not in covered, d


def test_checksummed_tokens_carry_the_vendor_checksum() -> None:
    # GitHub and npm tokens end in the base62 CRC32 of their random part: a scanner that
    # checks it must accept every one of these.
    checked = 0
    for e in labels()["secrets"]:
        for token in re.findall(
            r"\b(?:gh[pousr]|npm)_[0-9A-Za-z]{36}\b", line_of(e["file"], e["line"])
        ):
            body, tail = token.split("_", 1)[1][:30], token[-6:]
            n, digits = zlib.crc32(body.encode()), ""
            while n:
                n, d = divmod(n, 62)
                digits = B62[d] + digits
            assert digits.rjust(6, "0") == tail, token[:8]
            checked += 1
    assert checked >= 12


@pytest.mark.parametrize("missing", ["gitleaks", "detect-secrets"])
def test_scorer_refuses_to_run_without_a_scanner(missing: str, tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name in {"gitleaks", "detect-secrets"} - {missing}:
        (bin_dir / name).symlink_to(tool(name))
    output = tmp_path / "table.md"
    run = subprocess.run(
        [sys.executable, str(SCORER), "--output", str(output)],
        env={**os.environ, "PATH": str(bin_dir)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 2
    assert run.stderr.strip().splitlines() == [
        f"independent.py: {missing} is not on PATH: install it (.ci/setup.d/50-audit.sh)"
    ]
    assert not output.exists()


def test_scorer_writes_the_table_for_all_three_scanners(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name in ("gitleaks", "detect-secrets"):
        (bin_dir / name).symlink_to(tool(name))
    output = tmp_path / "table.md"
    run = subprocess.run(
        [sys.executable, str(SCORER), "--output", str(output)],
        env={**os.environ, "PATH": str(bin_dir)},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    table = output.read_text()
    rows = [line for line in table.splitlines() if line.startswith("| ") and "---" not in line]
    assert [row.split("|")[1].strip() for row in rows[1:]] == [
        "claude-tui",
        "gitleaks",
        "detect-secrets",
    ]
    for row in rows[1:]:
        precision, recall = (float(cell) for cell in row.split("|")[3:5])
        assert 0 < precision <= 1, row
        assert 0 < recall <= 1, row
