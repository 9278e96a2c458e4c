"""Secret-scanner precision and recall on the independent corpus, ours against two others.

Run: ``PATH=.venv/bin:$PATH .venv/bin/python benchmarks/audit/independent.py`` (or
``make bench-audit``).

The corpus (benchmarks/audit/corpus_independent/, written by make_corpus_independent.py)
was made without reading the audit's rules. Each scanner runs, in the same run, on a copy of
it outside this repository (so no policy, ignore file or scanner configuration of ours
applies): claude-tui's secrets scanner (``claude-tui audit --only secrets --format json``),
gitleaks (``gitleaks dir``, default rules) and detect-secrets (``detect-secrets scan
--all-files``, default plugins). gitleaks and detect-secrets are looked up on PATH; a missing
one stops the run with an error, because a table without it would claim a comparison that
did not happen.

A finding is a true positive when it names a labelled secret's file and line (any line of a
multi-line private key). Precision = true-positive findings / all findings (distinct file
and line); recall = labelled secrets found / labelled secrets. Result:
benchmarks/results/audit_independent.md.
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "benchmarks" / "audit" / "corpus_independent"
RESULT = ROOT / "benchmarks" / "results" / "audit_independent.md"
GROUPS = ("vendor", "generic", "url", "private-key")

Hit = tuple[str, int]


class ScannerError(RuntimeError):
    """A scanner is missing or did not complete: the comparison cannot be made."""


@dataclass(frozen=True)
class Label:
    file: str
    line: int
    end_line: int
    group: str
    family: str
    prefix: str
    context: str

    def lines(self) -> range:
        return range(self.line, self.end_line + 1)


@dataclass
class Score:
    findings: set[Hit]
    rules: dict[Hit, str] = field(default_factory=dict)
    seconds: float = 0.0


def load_labels(corpus: Path) -> tuple[list[Label], list[dict[str, object]]]:
    data = json.loads((corpus / "labels.json").read_text(encoding="utf-8"))
    labels = [
        Label(
            file=e["file"],
            line=e["line"],
            end_line=e.get("end_line", e["line"]),
            group=e["group"],
            family=e["family"],
            prefix=e["prefix"],
            context=e.get("context", ""),
        )
        for e in data["secrets"]
    ]
    return labels, list(data.get("hard_decoys", []))


def require(tool: str) -> str:
    exe = shutil.which(tool)
    if exe is None:
        raise ScannerError(f"{tool} is not on PATH: install it (.ci/setup.d/50-audit.sh)")
    return exe


def run_ours(tree: Path) -> Score:
    run = subprocess.run(
        [
            *(sys.executable, "-m", "claude_tui", "audit", str(tree), "--only", "secrets"),
            *("--format", "json", "--offline", "--no-history"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    # exit 1 means "findings at or above fail_on": the expected outcome on this corpus.
    if run.returncode not in (0, 1):
        raise ScannerError(f"claude-tui audit exited {run.returncode}: {run.stderr.strip()[-300:]}")
    report = json.loads(run.stdout)
    for scanner in report["scanners"]:
        if scanner["status"] != "completed":
            raise ScannerError(
                f"claude-tui secrets scanner {scanner['status']}: {scanner.get('reason', '')}"
            )
    rules: dict[Hit, str] = {}
    for f in report["findings"]:
        if f["scanner"] == "secrets" and f.get("path") and f.get("line"):
            rules.setdefault((f["path"], int(f["line"])), f["rule"])
    return Score(set(rules), rules)


def run_gitleaks(tree: Path, exe: str) -> Score:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.json"
        run = subprocess.run(
            [
                *(exe, "dir", ".", "--no-banner", "--log-level", "error"),
                *("--report-format", "json", "--report-path", str(out), "--exit-code", "0"),
            ],
            cwd=tree,
            capture_output=True,
            text=True,
            check=False,
        )
        if run.returncode != 0 or not out.exists():
            raise ScannerError(f"gitleaks exited {run.returncode}: {run.stderr.strip()[-300:]}")
        items = json.loads(out.read_text() or "[]")
    rules: dict[Hit, str] = {}
    for i in items:
        rules.setdefault(
            (Path(i["File"]).as_posix().removeprefix("./"), i["StartLine"]), i["RuleID"]
        )
    return Score(set(rules), rules)


def run_detect_secrets(tree: Path, exe: str) -> Score:
    run = subprocess.run(
        [exe, "scan", "--all-files", "."],
        cwd=tree,
        capture_output=True,
        text=True,
        check=False,
    )
    if run.returncode != 0:
        raise ScannerError(f"detect-secrets exited {run.returncode}: {run.stderr.strip()[-300:]}")
    rules: dict[Hit, str] = {}
    for path, items in json.loads(run.stdout)["results"].items():
        for item in items:
            rules.setdefault((path, int(item["line_number"])), item["type"])
    return Score(set(rules), rules)


@dataclass
class Result:
    findings: int
    true_positives: int
    false_positives: list[Hit]
    missed: list[Label]
    precision: float
    recall: float
    groups: dict[str, tuple[int, int]]


def measure(score: Score, labels: list[Label]) -> Result:
    by_line: dict[Hit, Label] = {(lab.file, n): lab for lab in labels for n in lab.lines()}
    true = {hit for hit in score.findings if hit in by_line}
    found = {by_line[hit] for hit in true}
    groups: dict[str, tuple[int, int]] = {}
    for group in (*GROUPS, "test-fixture"):
        members = [lab for lab in labels if group in (lab.group, lab.context)]
        groups[group] = (sum(lab in found for lab in members), len(members))
    return Result(
        findings=len(score.findings),
        true_positives=len(true),
        false_positives=sorted(score.findings - true),
        missed=[lab for lab in labels if lab not in found],
        precision=len(true) / len(score.findings) if score.findings else 0.0,
        recall=len(found) / len(labels),
        groups=groups,
    )


def render(
    results: dict[str, Result],
    scores: dict[str, Score],
    labels: list[Label],
    decoys: list[dict[str, object]],
) -> str:
    counts = {g: sum(lab.group == g for lab in labels) for g in GROUPS}
    out = [
        "# Secrets: the independent corpus",
        "",
        f"`make bench-audit` (Python {platform.python_version()}, {platform.machine()}): "
        f"{len(labels)} labelled secrets in {len({lab.file for lab in labels})} files ("
        + ", ".join(f"{g} {n}" for g, n in counts.items())
        + f"); {len(decoys)} hard decoys listed among many unlabelled ones.",
        "A finding is a true positive when it names a labelled secret's file and line. "
        "Precision is over all of a scanner's findings; a false positive belongs to no "
        "family, so per group only recall is defined.",
        "",
        "| scanner | findings | precision | recall | "
        + " | ".join(f"recall {g}" for g in (*GROUPS, "test-fixture"))
        + " | seconds |",
        "|---|---:|---:|---:|" + "---:|" * (len(GROUPS) + 1) + "---:|",
    ]
    for name, res in results.items():
        cells = [f"{f}/{n} ({f / n:.2f})" if n else "-" for f, n in res.groups.values()]
        out.append(
            f"| {name} | {res.findings} | {res.precision:.3f} | {res.recall:.3f} | "
            + " | ".join(cells)
            + f" | {scores[name].seconds:.1f} |"
        )
    ours = results["claude-tui"]
    decoy_at = {(str(d["file"]), int(str(d["line"]))): str(d["kind"]) for d in decoys}
    out += ["", f"## claude-tui: missed secrets ({len(ours.missed)})", ""]
    out += [
        f"- `{lab.file}:{lab.line}` {lab.group}/{lab.family} `{lab.prefix}…`"
        + (f" ({lab.context})" if lab.context else "")
        for lab in ours.missed
    ] or ["none"]
    out += ["", f"## claude-tui: false positives ({len(ours.false_positives)})", ""]
    out += [
        f"- `{path}:{line}` rule `{scores['claude-tui'].rules[(path, line)]}`"
        + (f" — hard decoy: {decoy_at[(path, line)]}" if (path, line) in decoy_at else "")
        for path, line in ours.false_positives
    ] or ["none"]
    out += ["", "## Hard decoys reported, by scanner", ""]
    reported = [
        f"- `{path}:{line}` {kind}: " + ", ".join(hit)
        for (path, line), kind in decoy_at.items()
        if (hit := [name for name, s in scores.items() if (path, line) in s.findings])
    ]
    out += reported or ["none"]
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--output", type=Path, default=RESULT)
    args = parser.parse_args(argv)
    try:
        # Both looked up before anything runs: a missing one must stop the run, not shrink it.
        gitleaks = require("gitleaks")
        detect_secrets = require("detect-secrets")
        labels, decoys = load_labels(args.corpus)
        with tempfile.TemporaryDirectory() as tmp:
            tree = Path(tmp) / "corpus"
            shutil.copytree(args.corpus, tree, ignore=shutil.ignore_patterns("labels.json"))
            runners: dict[str, Callable[[], Score]] = {
                "claude-tui": lambda: run_ours(tree),
                "gitleaks": lambda: run_gitleaks(tree, gitleaks),
                "detect-secrets": lambda: run_detect_secrets(tree, detect_secrets),
            }
            scores: dict[str, Score] = {}
            for name, runner in runners.items():
                start = time.perf_counter()
                scores[name] = runner()
                scores[name].seconds = time.perf_counter() - start
    except ScannerError as exc:
        print(f"independent.py: {exc}", file=sys.stderr)
        return 2
    results = {name: measure(score, labels) for name, score in scores.items()}
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(render(results, scores, labels, decoys), encoding="utf-8")
    for name, res in results.items():
        print(f"{name:15} precision {res.precision:.3f}  recall {res.recall:.3f}")
    print(f"written {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
