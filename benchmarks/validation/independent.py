"""Precision and recall of `claude-tui validate` on the independent corpus, per kind and overall.

Each sample of benchmarks/validation/corpus_independent is validated on its own through the CLI,
as a user would. The scoring rule is in that directory's README.md. Results are printed as
markdown and written to benchmarks/results/validation_independent.{md,json}.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus_independent"
RESULTS = HERE.parent / "results"
SEVERE = {"medium", "high"}
SLACK = 2
KINDS = [
    "invented-import",
    "invented-internal",
    "undefined-method",
    "invented-attribute",
    "fake-implementation",
    "elided-code",
    "swallowed-error",
    "syntax-error",
    "partial-refactor",
]


@dataclass
class Outcome:
    """What the validator said about one sample, and how it scores."""

    label: dict[str, Any]
    findings: list[dict[str, Any]] = field(default_factory=list)
    error: str = ""
    seconds: float = 0.0

    @property
    def severe(self) -> list[dict[str, Any]]:
        return [f for f in self.findings if f.get("severity") in SEVERE]

    @property
    def on_spot(self) -> list[dict[str, Any]]:
        if self.label["kind"] == "clean":
            return []
        first, last = self.label["lines"]
        return [
            f
            for f in self.severe
            if f.get("path") == self.label["file"]
            and isinstance(f.get("line"), int)
            and first - SLACK <= f["line"] <= last + SLACK
        ]

    @property
    def only_below_medium(self) -> bool:
        """Missed, but a low or info finding sits on the labelled spot (the rule saw it)."""
        if self.label["kind"] == "clean" or self.error or self.on_spot:
            return False
        first, last = self.label["lines"]
        return any(
            f.get("path") == self.label["file"]
            and isinstance(f.get("line"), int)
            and first - SLACK <= f["line"] <= last + SLACK
            for f in self.findings
        )

    @property
    def found(self) -> bool:
        return not self.error and bool(self.on_spot)

    @property
    def false_positive(self) -> bool:
        return self.label["kind"] == "clean" and (bool(self.error) or bool(self.severe))

    @property
    def off_spot(self) -> list[dict[str, Any]]:
        if self.label["kind"] == "clean":
            return []
        spot = self.on_spot
        return [f for f in self.severe if f not in spot]


def run_sample(sample_dir: Path, label: dict[str, Any], timeout: float) -> Outcome:
    command = [
        sys.executable,
        "-m",
        "claude_tui",
        "validate",
        "--no-exec",
        "--no-cache",
        "--workers",
        "1",
        "--format",
        "json",
        str(sample_dir),
    ]
    started = time.perf_counter()
    try:
        proc = subprocess.run(
            command, capture_output=True, text=True, timeout=timeout, env=os.environ.copy()
        )
    except subprocess.TimeoutExpired:
        return Outcome(label, error=f"timed out after {timeout:.0f} s", seconds=timeout)
    seconds = time.perf_counter() - started
    # Exit 1 means "findings at or above --fail-on"; anything else is the validator failing.
    if proc.returncode not in (0, 1):
        tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        return Outcome(label, error=f"exit {proc.returncode}: {tail}", seconds=seconds)
    try:
        report = json.loads(proc.stdout)
    except json.JSONDecodeError:
        return Outcome(label, error="output is not JSON", seconds=seconds)
    outcome = Outcome(label, findings=list(report.get("findings", [])), seconds=seconds)
    if not report.get("complete", False) or report.get("failures"):
        reasons = [
            str(f.get("message", f)) if isinstance(f, dict) else str(f)
            for f in report.get("failures", [])
        ]
        outcome.error = "incomplete: " + ("; ".join(reasons) or "complete=false")
    return outcome


def ratio(numerator: int, denominator: int) -> str:
    return f"{numerator / denominator:.2f}" if denominator else "n/a"


def describe(findings: list[dict[str, Any]]) -> str:
    if not findings:
        return "nothing medium or higher"
    parts = [
        f"{f.get('path')}:{f.get('line')} {f.get('severity')} {f.get('rule')}" for f in findings[:4]
    ]
    if len(findings) > 4:
        parts.append(f"... {len(findings) - 4} more")
    return "; ".join(parts)


def score(
    outcomes: list[Outcome], corpus: str = "corpus_independent"
) -> tuple[str, dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for kind in [*KINDS, "overall"]:
        positives = [
            o
            for o in outcomes
            if o.label["kind"] != "clean" and kind in ("overall", o.label["kind"])
        ]
        cleans = [
            o
            for o in outcomes
            if o.label["kind"] == "clean" and kind in ("overall", o.label.get("looks_like"))
        ]
        found = sum(o.found for o in positives)
        false_pos = sum(o.false_positive for o in cleans)
        rows.append(
            {
                "kind": kind,
                "positives": len(positives),
                "found": found,
                "below_medium": sum(o.only_below_medium for o in positives),
                "clean": len(cleans),
                "false_positives": false_pos,
                "precision": ratio(found, found + false_pos),
                "recall": ratio(found, len(positives)),
            }
        )
    by_language: list[dict[str, Any]] = []
    for language in sorted({o.label["language"] for o in outcomes}):
        positives = [
            o for o in outcomes if o.label["kind"] != "clean" and o.label["language"] == language
        ]
        cleans = [
            o for o in outcomes if o.label["kind"] == "clean" and o.label["language"] == language
        ]
        found = sum(o.found for o in positives)
        false_pos = sum(o.false_positive for o in cleans)
        by_language.append(
            {
                "language": language,
                "positives": len(positives),
                "found": found,
                "clean": len(cleans),
                "false_positives": false_pos,
                "precision": ratio(found, found + false_pos),
                "recall": ratio(found, len(positives)),
            }
        )
    lines = [
        "# Independent corpus: precision and recall of `validate --no-exec`",
        "",
        f"Corpus: `benchmarks/validation/{corpus}`. Command: "
        f"`python benchmarks/validation/independent.py --corpus benchmarks/validation/{corpus}`.",
        "",
        f"{len(outcomes)} samples; found = a medium-or-higher finding in the labelled file "
        f"within the labelled lines ±{SLACK}; false positive = any medium-or-higher finding "
        "in a clean sample.",
        "",
        "| kind | positives | found | missed, seen below medium | clean look-alikes "
        "| false positives | precision | recall |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        name = f"**{r['kind']}**" if r["kind"] == "overall" else r["kind"]
        lines.append(
            f"| {name} | {r['positives']} | {r['found']} | {r['below_medium']} | {r['clean']} "
            f"| {r['false_positives']} | {r['precision']} | {r['recall']} |"
        )
    lines += [
        "",
        "| language | positives | found | clean | false positives | precision | recall |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in by_language:
        lines.append(
            f"| {r['language']} | {r['positives']} | {r['found']} | {r['clean']} "
            f"| {r['false_positives']} | {r['precision']} | {r['recall']} |"
        )
    errors = [o for o in outcomes if o.error]
    misses = [o for o in outcomes if o.label["kind"] != "clean" and not o.found]
    false_positives = [o for o in outcomes if o.false_positive]
    lines += ["", f"## Misses ({len(misses)})", ""]
    for o in misses:
        lab = o.label
        expected = f"{lab['kind']} at {lab['file']}:{lab['lines'][0]}-{lab['lines'][1]}"
        got = o.error or describe(o.severe)
        if o.only_below_medium:
            got += "; below medium on the spot: " + describe(
                [f for f in o.findings if f.get("path") == lab["file"]]
            )
        lines.append(f"- `{lab['id']}`: expected {expected}; reported {got}")
    lines += ["", f"## False positives ({len(false_positives)})", ""]
    for o in false_positives:
        lab = o.label
        got = o.error or describe(o.severe)
        lines.append(f"- `{lab['id']}` (looks like {lab.get('looks_like')}): reported {got}")
    off = [o for o in outcomes if o.off_spot]
    lines += [
        "",
        f"## Other medium-or-higher findings in positive samples, not scored ({len(off)} samples)",
        "",
    ]
    for o in off:
        lines.append(f"- `{o.label['id']}`: {describe(o.off_spot)}")
    lines += ["", f"Validator errors: {len(errors)}."]
    for o in errors:
        lines.append(f"- `{o.label['id']}`: {o.error}")
    total_seconds = sum(o.seconds for o in outcomes)
    lines += ["", f"Wall time of the {len(outcomes)} validator runs: {total_seconds:.0f} s."]
    data = {
        "samples": len(outcomes),
        "kinds": rows,
        "languages": by_language,
        "misses": [o.label["id"] for o in misses],
        "false_positives": [o.label["id"] for o in false_positives],
        "errors": {o.label["id"]: o.error for o in errors},
        "details": {
            o.label["id"]: {"error": o.error, "severe": o.severe, "found": o.found}
            for o in outcomes
        },
    }
    return "\n".join(lines) + "\n", data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--corpus", type=Path, default=CORPUS, help="corpus directory (labels.json, samples/)"
    )
    parser.add_argument("--only", nargs="*", default=[], help="sample ids to run (default: all)")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds allowed per sample")
    parser.add_argument(
        "--no-write", action="store_true", help="print only; do not write benchmarks/results"
    )
    args = parser.parse_args(argv)
    labels_path = args.corpus / "labels.json"
    try:
        labels: list[dict[str, Any]] = json.loads(labels_path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        print(f"independent.py: cannot read {labels_path}: {exc}", file=sys.stderr)
        return 2
    if args.only:
        unknown = set(args.only) - {lab["id"] for lab in labels}
        if unknown:
            print(
                f"independent.py: unknown sample id(s): {', '.join(sorted(unknown))}",
                file=sys.stderr,
            )
            return 2
        labels = [lab for lab in labels if lab["id"] in set(args.only)]
    outcomes: list[Outcome] = []
    for number, label in enumerate(labels, start=1):
        sample_dir = args.corpus / "samples" / label["id"]
        if not sample_dir.is_dir():
            outcomes.append(Outcome(label, error=f"missing directory {sample_dir}"))
            continue
        outcome = run_sample(sample_dir, label, args.timeout)
        outcomes.append(outcome)
        verdict = (
            "error"
            if outcome.error
            else "found"
            if outcome.found
            else "FP"
            if outcome.false_positive
            else "ok"
            if label["kind"] == "clean"
            else "missed"
        )
        print(
            f"[{number}/{len(labels)}] {label['id']}: {verdict} ({outcome.seconds:.1f} s)",
            file=sys.stderr,
        )
    report, data = score(outcomes, args.corpus.name)
    # corpus_independent -> validation_independent, corpus_heldout -> validation_heldout
    result_name = "validation_" + args.corpus.name.removeprefix("corpus_")
    print(report)
    if not args.no_write and not args.only:
        RESULTS.mkdir(parents=True, exist_ok=True)
        (RESULTS / f"{result_name}.md").write_text(report, encoding="utf-8")
        (RESULTS / f"{result_name}.json").write_text(
            json.dumps(data, indent=1) + "\n", encoding="utf-8"
        )
    # Samples the validator could not check leave the measurement incomplete: say so by failing.
    return 1 if data["errors"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
