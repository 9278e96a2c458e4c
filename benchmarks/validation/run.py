"""Benchmarks of the validation engine; results in benchmarks/results/validation.{md,json}.

1. Precision and recall per check on the labelled corpus (corpus.jsonl): a check detects a
   sample when it reports a finding at ``medium`` or above in it.
2. False positives on mature code: high-severity findings per 1,000 files on the installed
   Python standard library (its library modules, and separately with its own test suite,
   which holds deliberately broken files) and on this project's ``src/``.
3. Speed: files per second on the standard library with execution off, next to
   ``ruff check --select F`` on the same tree in the same run.

Run: ``make bench-validation`` (or ``python benchmarks/validation/run.py [--skip-stdlib]``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

from claude_tui.validation import ENGINE_VERSION, Check, Severity, validate_path
from claude_tui.validation.engine import collect_files
from claude_tui.validation.ruff_names import ruff_executable

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
RESULTS = REPO / "benchmarks" / "results"
CHECKS = (Check.SYNTAX, Check.PLACEHOLDERS, Check.IMPORTS, Check.NAMES)
SUFFIX = {"python": ".py", "javascript": ".js", "typescript": ".ts", "go": ".go"}
#: Directories of the standard library that are its own test suite and test data.
STDLIB_TEST_PARTS = {"test", "tests", "idle_test", "testdata"}
TARGET = 0.95


def load_corpus() -> list[dict[str, object]]:
    with (HERE / "corpus.jsonl").open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def materialize(samples: list[dict[str, object]], root: Path) -> dict[str, str]:
    """Write the samples as a project with its manifests; returns display path -> sample id."""
    (root / "pyproject.toml").write_text(
        '[project]\nname = "corpus"\ndependencies = ["requests>=2", "pydantic>=2", "PyYAML>=6"]\n'
    )
    (root / "package.json").write_text(
        json.dumps(
            {
                "name": "corpus",
                "dependencies": {"express": "^4", "axios": "^1", "zod": "^3", "lodash": "^4"},
            }
        )
    )
    (root / "go.mod").write_text(
        "module example.com/app\n\ngo 1.22\n\nrequire github.com/spf13/cobra v1.8.0\n"
    )
    (root / "internal" / "store").mkdir(parents=True)
    (root / "internal" / "store" / "store.go").write_text(
        "package store\n\ntype Store struct{}\n\nfunc (s *Store) Users() []string {\n"
        "\treturn nil\n}\n"
    )
    paths: dict[str, str] = {}
    for item in samples:
        language = str(item["language"])
        rel = f"{language}/{item['id']}{SUFFIX[language]}"
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(str(item["code"]), encoding="utf-8")
        paths[rel] = str(item["id"])
    return paths


def corpus_scores() -> dict[str, object]:
    samples = load_corpus()
    by_id = {str(s["id"]): s for s in samples}
    with tempfile.TemporaryDirectory(prefix="ctui-corpus-") as tmp:
        root = Path(tmp)
        paths = materialize(samples, root)
        started = time.perf_counter()
        report = validate_path(root, workers=2)
        seconds = time.perf_counter() - started
    detected: dict[str, set[str]] = defaultdict(set)
    evidence: dict[tuple[str, str], list[str]] = defaultdict(list)
    for finding in report.findings:
        sample_id = paths.get(finding.path)
        if sample_id is None or not finding.severity.at_least(Severity.MEDIUM):
            continue
        detected[sample_id].add(finding.check.value)
        evidence[(sample_id, finding.check.value)].append(f"{finding.rule}: {finding.message}")
    per_check: dict[str, dict[str, object]] = {}
    errors: list[str] = []
    for check in CHECKS:
        name = check.value
        tp = fp = fn = 0
        per_language: dict[str, Counter[str]] = defaultdict(Counter)
        for sample_id, item in by_id.items():
            expected = name in item["labels"]  # type: ignore[operator]
            found = name in detected[sample_id]
            outcome = "tp" if expected and found else "fp" if found else "fn" if expected else "tn"
            per_language[str(item["language"])][outcome] += 1
            if outcome == "tp":
                tp += 1
            elif outcome == "fp":
                fp += 1
                errors.append(f"FP {name} {sample_id}: {evidence[(sample_id, name)][0]}")
            elif outcome == "fn":
                fn += 1
                errors.append(f"FN {name} {sample_id} ({item['kind']})")
        per_check[name] = {
            "positives": tp + fn,
            "tp": tp,
            "fp": fp,
            "fn": fn,
            "precision": round(tp / (tp + fp), 4) if tp + fp else None,
            "recall": round(tp / (tp + fn), 4) if tp + fn else None,
            "by_language": {k: dict(v) for k, v in sorted(per_language.items())},
        }
    languages = Counter(str(s["language"]) for s in samples)
    kinds = Counter(str(s["kind"]).split(":")[0] for s in samples)
    return {
        "samples": len(samples),
        "by_language": dict(sorted(languages.items())),
        "by_kind": dict(sorted(kinds.items())),
        "seconds": round(seconds, 2),
        "checks": per_check,
        "errors": errors,
        "failures": [f.reason for f in report.failures],
    }


def is_stdlib_test(path: str) -> bool:
    parts = set(Path(path).parts[:-1])
    return bool(parts & STDLIB_TEST_PARTS) or Path(path).name.startswith("badsyntax")


def cpu_seconds() -> float:
    """CPU time of this process and its finished children (workers, ruff)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def mature_code(target: Path, label: str, split_tests: bool) -> dict[str, object]:
    started, cpu = time.perf_counter(), cpu_seconds()
    report = validate_path(target, workers=2)
    seconds = time.perf_counter() - started
    cpu = cpu_seconds() - cpu
    high = [f for f in report.findings if f.severity is Severity.HIGH]
    out: dict[str, object] = {
        "tree": label,
        "files": report.files_checked,
        "seconds": round(seconds, 2),
        "files_per_second": round(report.files_checked / seconds, 1) if seconds else None,
        "cpu_seconds": round(cpu, 2),
        "failures": [f.reason for f in report.failures],
    }

    def block(findings: list, files: int) -> dict[str, object]:  # type: ignore[type-arg]
        return {
            "files": files,
            "high": len(findings),
            "high_per_1000_files": round(1000 * len(findings) / files, 2) if files else 0.0,
            "by_rule": dict(Counter(f.rule for f in findings).most_common()),
            "findings": [f"{f.path}:{f.line} {f.rule} {f.message}" for f in findings],
        }

    if split_tests:
        paths = [p.relative_to(target).as_posix() for p in collect_files(target)]
        library_files = sum(1 for p in paths if not is_stdlib_test(p))
        library = [f for f in high if not is_stdlib_test(f.path)]
        out["library"] = block(library, library_files)
        suite = [f for f in high if is_stdlib_test(f.path)]
        out["test_suite"] = block(suite, len(paths) - library_files)
        out["test_suite"]["findings"] = out["test_suite"]["findings"][:50]  # type: ignore[index]
    out["all"] = block(high, report.files_checked)
    if split_tests:
        out["all"]["findings"] = []  # type: ignore[index]
    return out


def ruff_speed(target: Path) -> dict[str, object]:
    command = [
        ruff_executable(),
        "check",
        "--isolated",
        "--no-cache",
        "--select",
        "F",
        "--exit-zero",
        "--quiet",
        "--output-format",
        "concise",
        str(target),
    ]
    started, cpu = time.perf_counter(), cpu_seconds()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    cpu = cpu_seconds() - cpu
    files = sum(1 for p in collect_files(target) if p.suffix in (".py", ".pyi"))
    return {
        "command": " ".join(command[1:]),
        "files": files,
        "seconds": round(seconds, 2),
        "files_per_second": round(files / seconds, 1) if seconds else None,
        "cpu_seconds": round(cpu, 2),
        "findings": len(done.stdout.splitlines()),
        "exit_code": done.returncode,
    }


def render(results: dict[str, object]) -> str:
    corpus = results["corpus"]
    assert isinstance(corpus, dict)
    lines = [
        "# Validation engine benchmarks",
        "",
        f"Engine {results['engine_version']}, Python {results['python']}, "
        f"{results['cpus']} CPUs, {results['date']}. Command: `{results['command']}`.",
        "",
        f"## Precision and recall on the labelled corpus ({corpus['samples']} samples)",
        "",
        f"Samples by language: {corpus['by_language']}; by kind: {corpus['by_kind']}. A check "
        "detects a sample when it reports a finding at `medium` or above. Target: 0.95 each.",
        "",
        "| check | positives | TP | FP | FN | precision | recall |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, row in corpus["checks"].items():
        lines.append(
            f"| {name} | {row['positives']} | {row['tp']} | {row['fp']} | {row['fn']} | "
            f"{row['precision']} | {row['recall']} |"
        )
    if corpus["errors"]:
        lines += ["", "Misses and false alarms:", ""] + [f"- {e}" for e in corpus["errors"]]
    for key in ("stdlib", "src"):
        data = results.get(key)
        if not isinstance(data, dict):
            continue
        lines += ["", f"## False positives on mature code: {data['tree']}", ""]
        lines.append(
            f"{data['files']} files in {data['seconds']} s ({data['files_per_second']} files/s, "
            "execution off, 2 worker processes, cache off)."
        )
        for part in ("library", "test_suite", "all"):
            block = data.get(part)
            if not isinstance(block, dict):
                continue
            lines += [
                "",
                f"**{part.replace('_', ' ')}**: {block['files']} files, {block['high']} high "
                f"findings = **{block['high_per_1000_files']} per 1,000 files**; by rule: "
                f"{block['by_rule']}",
            ]
            if block["findings"]:
                lines += [""] + [f"- `{f}`" for f in block["findings"]]
    speed = results.get("ruff")
    if isinstance(speed, dict):
        stdlib = results["stdlib"]
        assert isinstance(stdlib, dict)
        lines += [
            "",
            "## Speed on the standard library (same run)",
            "",
            f"Load average of the machine during the run (shared by other jobs): "
            f"{results['load_average']}. CPU seconds do not depend on that load; "
            "`CPU / 2` is the wall time to expect on 2 idle cores.",
            "",
            "| tool | files | wall seconds | files/s (wall) | CPU seconds | CPU / 2 |",
            "|---|---|---|---|---|---|",
            f"| claude-tui validate (all static checks) | {stdlib['files']} | "
            f"{stdlib['seconds']} | {stdlib['files_per_second']} | {stdlib['cpu_seconds']} | "
            f"{round(float(stdlib['cpu_seconds']) / 2, 1)} |",
            f"| `ruff {speed['command']}` | {speed['files']} | {speed['seconds']} | "
            f"{speed['files_per_second']} | {speed['cpu_seconds']} | "
            f"{round(float(speed['cpu_seconds']) / 2, 1)} |",
        ]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-stdlib", action="store_true", help="only the corpus and src/")
    args = parser.parse_args()
    os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    results: dict[str, object] = {
        "engine_version": ENGINE_VERSION,
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "command": "make bench-validation",
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }
    results["corpus"] = corpus_scores()
    print(json.dumps(results["corpus"]["checks"], indent=1))  # type: ignore[index]
    results["src"] = mature_code(REPO / "src", "this project's src/", split_tests=False)
    if not args.skip_stdlib:
        stdlib = Path(sysconfig.get_paths()["stdlib"])
        results["stdlib"] = mature_code(stdlib, f"Python standard library ({stdlib})", True)
        results["ruff"] = ruff_speed(stdlib)
    results["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "validation.json").write_text(json.dumps(results, indent=2) + "\n")
    (RESULTS / "validation.md").write_text(render(results))
    print(render(results))
    corpus = results["corpus"]
    assert isinstance(corpus, dict)
    below = [
        name
        for name, row in corpus["checks"].items()
        if (row["precision"] or 0) < TARGET or (row["recall"] or 0) < TARGET
    ]
    if below:
        print(f"below the {TARGET} target: {', '.join(below)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
