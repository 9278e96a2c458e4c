"""The independent corpus is well formed, and its scorer measures what the validator reports."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[3]
CORPUS = ROOT / "benchmarks" / "validation" / "corpus_independent"
SCORER = ROOT / "benchmarks" / "validation" / "independent.py"
KINDS = {
    "invented-import",
    "invented-internal",
    "undefined-method",
    "invented-attribute",
    "fake-implementation",
    "elided-code",
    "swallowed-error",
    "syntax-error",
    "partial-refactor",
}


def load_labels() -> list[dict[str, Any]]:
    labels: list[dict[str, Any]] = json.loads((CORPUS / "labels.json").read_text(encoding="utf-8"))
    return labels


def test_corpus_has_enough_balanced_samples() -> None:
    labels = load_labels()
    positives = [lab for lab in labels if lab["kind"] != "clean"]
    assert len(labels) >= 220
    assert len(positives) * 2 == len(labels)
    assert {lab["kind"] for lab in positives} == KINDS
    python = sum(lab["language"] == "python" for lab in labels)
    assert 0.6 <= python / len(labels) <= 0.8
    assert len({lab["id"] for lab in labels}) == len(labels)


def test_every_label_points_at_real_lines() -> None:
    for lab in load_labels():
        sample = CORPUS / "samples" / lab["id"]
        assert sample.is_dir(), lab["id"]
        if lab["kind"] == "clean":
            assert lab["looks_like"] in KINDS, lab["id"]
            continue
        lines = (sample / lab["file"]).read_text(encoding="utf-8").split("\n")
        first, last = lab["lines"]
        assert 1 <= first <= last <= len(lines), lab["id"]
        assert any(lines[n - 1].strip() for n in range(first, last + 1)), lab["id"]


def run_scorer(corpus: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), env.get("PYTHONPATH", "")])
    return subprocess.run(
        [sys.executable, str(SCORER), "--corpus", str(corpus), "--no-write"],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )


def copy_sample(corpus: Path, sample_id: str, label: dict[str, Any]) -> dict[str, Any]:
    shutil.copytree(CORPUS / "samples" / sample_id, corpus / "samples" / label["id"])
    return label


@pytest.mark.slow
def test_scorer_counts_hits_misses_and_false_positives(tmp_path: Path) -> None:
    labels = {lab["id"]: lab for lab in load_labels()}
    hit = labels["go-syntax-error-01"]
    # The same bad file labelled ten lines away from the real error must be reported as a miss.
    wrong = {**hit, "id": "moved-label", "lines": [hit["lines"][0] + 10, hit["lines"][1] + 10]}
    # A syntax error in a sample labelled clean must be reported as a false positive.
    flagged_clean = {
        "id": "flagged-clean",
        "kind": "clean",
        "language": "go",
        "looks_like": "syntax-error",
    }
    chosen = [
        copy_sample(tmp_path, "go-syntax-error-01", hit),
        copy_sample(tmp_path, "go-syntax-error-01", wrong),
        copy_sample(tmp_path, "go-syntax-error-01", flagged_clean),
    ]
    (tmp_path / "labels.json").write_text(json.dumps(chosen), encoding="utf-8")

    proc = run_scorer(tmp_path)

    assert proc.returncode == 0, proc.stderr
    row = next(line for line in proc.stdout.splitlines() if line.startswith("| syntax-error |"))
    assert [cell.strip() for cell in row.strip("|").split("|")] == [
        "syntax-error",
        "2",
        "1",
        "0",
        "1",
        "1",
        "0.50",
        "0.50",
    ]
    assert "`moved-label`: expected syntax-error at api/routes.go:29-29" in proc.stdout
    assert "`flagged-clean` (looks like syntax-error): reported api/routes.go:19" in proc.stdout


@pytest.mark.slow
def test_scorer_fails_when_a_sample_cannot_be_checked(tmp_path: Path) -> None:
    label = {"id": "absent", "kind": "clean", "language": "python", "looks_like": "syntax-error"}
    (tmp_path / "samples").mkdir()
    (tmp_path / "labels.json").write_text(json.dumps([label]), encoding="utf-8")

    proc = run_scorer(tmp_path)

    assert proc.returncode == 1
    assert "`absent`: missing directory" in proc.stdout


def test_scorer_refuses_an_unreadable_corpus(tmp_path: Path) -> None:
    proc = run_scorer(tmp_path)

    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1
    assert "cannot read" in proc.stderr
