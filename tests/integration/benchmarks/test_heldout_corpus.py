"""The held-out validation corpora are well formed: every label points at a real file and lines."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[3]
CORPORA = [
    ROOT / "benchmarks" / "validation" / "corpus_heldout",
    ROOT / "benchmarks" / "validation" / "corpus_heldout2",
]


def load_labels(corpus: Path) -> list[dict[str, Any]]:
    labels: list[dict[str, Any]] = json.loads((corpus / "labels.json").read_text(encoding="utf-8"))
    return labels


@pytest.mark.parametrize("corpus", CORPORA, ids=lambda path: path.name)
def test_every_kind_has_positives_and_clean_look_alikes(corpus: Path) -> None:
    labels = load_labels(corpus)
    positives = Counter(lab["kind"] for lab in labels if lab["kind"] != "clean")
    look_alikes = Counter(lab["looks_like"] for lab in labels if lab["kind"] == "clean")
    assert len(positives) == 9
    assert all(count >= 5 for count in positives.values()), positives
    assert set(look_alikes) == set(positives)
    assert sum(look_alikes.values()) >= sum(positives.values())
    assert len({lab["id"] for lab in labels}) == len(labels)


@pytest.mark.parametrize("corpus", CORPORA, ids=lambda path: path.name)
def test_every_label_points_at_lines_that_exist(corpus: Path) -> None:
    for label in load_labels(corpus):
        sample = corpus / "samples" / label["id"]
        assert sample.is_dir(), label["id"]
        if label["kind"] == "clean":
            continue
        first, last = label["lines"]
        lines = (sample / label["file"]).read_text(encoding="utf-8").splitlines()
        assert 1 <= first <= last <= len(lines), label["id"]
        assert any(line.strip() for line in lines[first - 1 : last]), label["id"]
