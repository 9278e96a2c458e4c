"""Placeholder detection on the realistic corpus; results in results/validation_realistic.*.

The corpus (``corpus_realistic/``, labelled in its ``manifest.json``) was written before its
author read the rules: fake implementations and elided code the way models leave them in
long files, and clean code that looks similar. A positive sample is detected when the
placeholders check reports a finding at ``medium`` or above inside its span. A false alarm is
a clean file with such a finding, or such a finding in a positive file outside every labelled
span. Precision and recall are given per kind of fake work (``fake``, ``elided``, ``stub``).

Run: ``python benchmarks/validation/realistic.py`` (part of ``make bench-validation``).
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

from claude_tui.validation import ENGINE_VERSION, Check, Finding, Severity, validate_path

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus_realistic"
RESULTS = HERE.parents[1] / "benchmarks" / "results"
GROUPS = ("fake", "elided", "stub")
TARGET = 0.95

#: Which kind of fake work each rule reports; a false alarm counts against that kind.
RULE_GROUP = {
    "placeholder.fake-implementation": "fake",
    "placeholder.test-double": "fake",
    "placeholder.elided-code": "elided",
    "placeholder.stub-body": "stub",
    "placeholder.hook": "stub",
    "placeholder.marker": "stub",
    "placeholder.not-implemented": "stub",
    "placeholder.swallowed-error": "stub",
}


def load_manifest() -> list[dict[str, object]]:
    data = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))
    samples: list[dict[str, object]] = data["samples"]
    return samples


def group_of(kind: str) -> str:
    return kind.split(":")[0]


def findings_on_corpus() -> tuple[list[Finding], float]:
    with tempfile.TemporaryDirectory(prefix="ctui-realistic-") as tmp:
        root = Path(tmp) / "corpus"
        shutil.copytree(CORPUS, root, ignore=shutil.ignore_patterns("manifest.json"))
        started = time.perf_counter()
        report = validate_path(root, checks=[Check.PLACEHOLDERS], workers=2)
        seconds = time.perf_counter() - started
    if report.failures:
        raise SystemExit(f"the placeholders check could not run: {report.failures}")
    return [f for f in report.findings if f.severity.at_least(Severity.MEDIUM)], seconds


def score() -> dict[str, object]:
    samples = load_manifest()
    findings, seconds = findings_on_corpus()
    by_path: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        by_path[finding.path].append(finding)
    spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for sample in samples:
        if sample["expect"] == "positive":
            first, last = sample["span"]  # type: ignore[misc]
            spans[str(sample["path"])].append((int(first), int(last)))

    tp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    positives: Counter[str] = Counter()
    misses: list[str] = []
    alarms: list[str] = []
    for sample in samples:
        path, kind = str(sample["path"]), str(sample["kind"])
        if sample["expect"] != "positive":
            continue
        group = group_of(kind)
        positives[group] += 1
        first, last = sample["span"]  # type: ignore[misc]
        if any(first <= f.line <= last for f in by_path[path]):
            tp[group] += 1
        else:
            fn[group] += 1
            misses.append(f"{path}:{sample['line']} ({kind})")
    clean_paths = {str(s["path"]) for s in samples if s["expect"] == "clean"}
    for path, found in sorted(by_path.items()):
        if path in clean_paths:
            for group in sorted({RULE_GROUP.get(f.rule, "other") for f in found}):
                fp[group] += 1
            alarms += [f"{path}:{f.line} {f.rule} {f.severity}: {f.message}" for f in found]
            continue
        for finding in found:
            if not any(a <= finding.line <= b for a, b in spans[path]):
                fp[RULE_GROUP.get(finding.rule, "other")] += 1
                alarms.append(f"{path}:{finding.line} {finding.rule} (outside the labelled spans)")

    def ratio(num: int, den: int) -> float | None:
        return round(num / den, 4) if den else None

    kinds: dict[str, dict[str, object]] = {}
    for group in (*GROUPS, "other"):
        if not positives[group] and not fp[group]:
            continue
        kinds[group] = {
            "positives": positives[group],
            "tp": tp[group],
            "fn": fn[group],
            "fp": fp[group],
            "precision": ratio(tp[group], tp[group] + fp[group]),
            "recall": ratio(tp[group], positives[group]),
        }
    total_tp, total_fp = sum(tp.values()), sum(fp.values())
    kinds["all"] = {
        "positives": sum(positives.values()),
        "tp": total_tp,
        "fn": sum(fn.values()),
        "fp": total_fp,
        "precision": ratio(total_tp, total_tp + total_fp),
        "recall": ratio(total_tp, sum(positives.values())),
    }
    return {
        "engine_version": ENGINE_VERSION,
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "command": "python benchmarks/validation/realistic.py",
        "samples": len(samples),
        "positive_samples": sum(positives.values()),
        "clean_files": len(clean_paths),
        "seconds": round(seconds, 2),
        "kinds": kinds,
        "misses": misses,
        "false_alarms": alarms,
    }


def render(results: dict[str, object]) -> str:
    kinds = results["kinds"]
    assert isinstance(kinds, dict)
    lines = [
        "# Placeholder detection on the realistic corpus",
        "",
        f"Engine {results['engine_version']}, {results['date']}. Command: `{results['command']}`.",
        f"{results['positive_samples']} positive samples and {results['clean_files']} clean "
        "look-alike files, written before the rules were read "
        "(`benchmarks/validation/corpus_realistic/`). A positive counts when a `medium`-or-higher "
        "placeholders finding falls inside its span; a false alarm is such a finding in a clean "
        "file or outside every span. Target: 0.95 each.",
        "",
        "| kind | positives | TP | FN | FP | precision | recall |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, row in kinds.items():
        lines.append(
            f"| {name} | {row['positives']} | {row['tp']} | {row['fn']} | {row['fp']} | "
            f"{row['precision']} | {row['recall']} |"
        )
    for title, key in (("Misses", "misses"), ("False alarms", "false_alarms")):
        items = results[key]
        assert isinstance(items, list)
        lines += ["", f"{title}: {len(items)}", ""] + [f"- `{item}`" for item in items]
    return "\n".join(lines) + "\n"


def main() -> int:
    results = score()
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "validation_realistic.json").write_text(json.dumps(results, indent=2) + "\n")
    (RESULTS / "validation_realistic.md").write_text(render(results).rstrip("\n") + "\n")
    print(render(results))
    kinds = results["kinds"]
    assert isinstance(kinds, dict)
    below = [
        name
        for name, row in kinds.items()
        if name in GROUPS and ((row["precision"] or 0) < TARGET or (row["recall"] or 0) < TARGET)
    ]
    if below:
        print(f"below the {TARGET} target: {', '.join(below)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
