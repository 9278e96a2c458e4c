"""The held-out validation corpus is well formed: every label points at a real file and lines."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[3]
CORPUS = ROOT / "benchmarks" / "validation" / "corpus_heldout"


def load_labels() -> list[dict[str, Any]]:
    labels: list[dict[str, Any]] = json.loads((CORPUS / "labels.json").read_text(encoding="utf-8"))
    return labels


def test_every_kind_has_positives_and_as_many_clean_look_alikes() -> None:
    labels = load_labels()
    positives = Counter(lab["kind"] for lab in labels if lab["kind"] != "clean")
    look_alikes = Counter(lab["looks_like"] for lab in labels if lab["kind"] == "clean")
    assert len(positives) == 9
    assert all(count >= 5 for count in positives.values()), positives
    assert positives == look_alikes


def test_every_label_points_at_lines_that_exist() -> None:
    for label in load_labels():
        sample = CORPUS / "samples" / label["id"]
        assert sample.is_dir(), label["id"]
        if label["kind"] == "clean":
            continue
        first, last = label["lines"]
        lines = (sample / label["file"]).read_text(encoding="utf-8").splitlines()
        assert 1 <= first <= last <= len(lines), label["id"]
        assert any(line.strip() for line in lines[first - 1 : last]), label["id"]
