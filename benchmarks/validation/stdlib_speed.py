"""Cold validation speed on the standard library, next to ruff on the same tree in the same run.

Copies the running interpreter's standard library (without ``site-packages`` and caches) to a
temporary directory, then, in each round, runs

1. ``claude-tui validate --no-exec --no-cache --format json`` as a user does (a subprocess);
2. ruff exactly as the validator runs it (its undefined-name rules, over the same files);
3. plain ``ruff check --isolated --no-cache`` on the tree, the reference of the ratio.

CPU time (user + sys of each command and everything it waited for) is the robust figure on a
shared machine; wall time is reported beside it. Median and worst of the rounds.

The findings of the validator, as (rule, path, line), are compared with a recorded set:
``--record`` writes it, ``--check`` (the default when the file exists) fails on any
difference, so a speed change cannot silently change what is found.

Run: ``make bench-validation`` or ``python benchmarks/validation/stdlib_speed.py [--runs 3]``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from claude_tui.validation.engine import collect_files
from claude_tui.validation.ruff_names import NAME_RULES, ruff_executable

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
RESULTS = REPO / "benchmarks" / "results"
FINDINGS = HERE / f"stdlib_findings_py{sys.version_info[0]}{sys.version_info[1]}.txt"
#: Issue 17's targets: wall on 2 idle cores, and CPU against plain ruff's.
WALL_TARGET = 10.0
RATIO_TARGET = 10.0

Finding = tuple[str, str, int]
VALIDATOR = "claude-tui validate --no-exec --no-cache"
BASELINE = "the same, baseline version (--baseline-src)"
RUFF_AS_VALIDATOR = f"ruff as the validator runs it (--select {','.join(NAME_RULES)})"
RUFF_PLAIN = "ruff check --isolated --no-cache (defaults, reference)"


def copy_stdlib(destination: Path) -> Path:
    source = Path(sysconfig.get_paths()["stdlib"])
    target = destination / "Lib"
    shutil.copytree(
        source,
        target,
        symlinks=True,
        ignore=shutil.ignore_patterns("site-packages", "__pycache__", "*.pyc"),
    )
    return target


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(
    command: list[str], accept: Callable[[int], bool], env: dict[str, str]
) -> tuple[float, float, str]:
    """Wall seconds, CPU seconds and stdout of one command (its children included)."""
    cpu = _children_cpu()
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
    wall = time.perf_counter() - started
    cpu = _children_cpu() - cpu
    if not accept(done.returncode):
        raise SystemExit(
            f"{' '.join(command[:6])} ... failed (exit {done.returncode}): "
            f"{done.stderr.strip()[-500:]}"
        )
    return wall, cpu, done.stdout


def findings_of(report_json: str) -> set[Finding]:
    report = json.loads(report_json)
    if report.get("failures"):
        raise SystemExit(f"the validator could not run every check: {report['failures']}")
    return {(f["rule"], f["path"], int(f["line"])) for f in report["findings"]}


def summary(values: list[float]) -> dict[str, float]:
    return {"median": round(statistics.median(values), 2), "worst": round(max(values), 2)}


def compare(found: set[Finding], path: Path) -> list[str]:
    """Differences from the recorded findings, one line each (empty: the same set)."""
    recorded = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        rule, _, rest = line.partition(" ")
        where, _, number = rest.rpartition(":")
        recorded.add((rule, where, int(number)))
    lost = sorted(recorded - found)
    new = sorted(found - recorded)
    return [f"no longer found: {r} {p}:{n}" for r, p, n in lost] + [
        f"newly found: {r} {p}:{n}" for r, p, n in new
    ]


def render(results: dict[str, object]) -> str:
    rows = results["tools"]
    assert isinstance(rows, dict)
    lines = [
        "# Cold validation of the standard library",
        "",
        f"Python {results['python']} standard library ({results['files']} files, "
        f"{results['python_files']} Python), {results['cpus']} CPUs, {results['date']}, "
        f"{results['runs']} rounds. Load average before/after (machine shared): "
        f"{results['load_before']} / {results['load_after']}. Command: `{results['command']}`.",
        "",
        "| command | wall median | wall worst | CPU median | CPU worst | CPU / 2 |",
        "|---|---|---|---|---|---|",
    ]
    for name, row in rows.items():
        wall, cpu = row["wall"], row["cpu"]
        lines.append(
            f"| {name} | {wall['median']} | {wall['worst']} | {cpu['median']} | "
            f"{cpu['worst']} | {round(cpu['median'] / 2, 2)} |"
        )
    lines += [
        "",
        f"Validator CPU / plain ruff CPU (medians): **{results['ratio_to_ruff']}** "
        f"(target at most {RATIO_TARGET}). Validator CPU / 2 (the wall time to expect on 2 idle "
        f"cores): **{results['cpu_over_2']} s** (target under {WALL_TARGET} s).",
        f"Findings: {results['findings']}; compared with the recorded set: "
        f"{results['findings_check']}.",
    ]
    if results.get("baseline_src"):
        lines.append(
            f"Baseline version ({results['baseline_src']}): CPU / plain ruff CPU "
            f"{results['baseline_ratio_to_ruff']}; findings against it: "
            f"{results['baseline_findings_check']}."
        )
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="rounds (default 3)")
    parser.add_argument(
        "--record", action="store_true", help=f"write the findings to {FINDINGS.name}"
    )
    parser.add_argument("--workers", type=int, default=None, help="validator worker processes")
    parser.add_argument(
        "--baseline-src",
        type=Path,
        default=None,
        help="a src/ directory of another version (git worktree or archive): run it in the "
        "same rounds for a before/after comparison",
    )
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    if args.baseline_src is not None and not (args.baseline_src / "claude_tui").is_dir():
        parser.error(f"--baseline-src {args.baseline_src}: no claude_tui package in it")
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    ruff = ruff_executable()
    load_before = [round(x, 2) for x in os.getloadavg()]
    with tempfile.TemporaryDirectory(prefix="ctui-stdlib-speed-") as tmp:
        tree = copy_stdlib(Path(tmp))
        files = collect_files(tree)
        python_files = [str(p) for p in files if p.suffix in (".py", ".pyi")]
        validate = [sys.executable, "-m", "claude_tui", "validate", str(tree), "--no-exec"]
        validate += ["--no-cache", "--format", "json"]
        if args.workers is not None:
            validate += ["--workers", str(args.workers)]
        # The validator's own ruff call (ruff_names._command), over the same files.
        ruff_as_validator = [ruff, "check", "--isolated", "--no-cache", "--quiet", "--exit-zero"]
        ruff_as_validator += ["--output-format", "json", "--select", ",".join(NAME_RULES)]
        ruff_as_validator += python_files
        ruff_plain = [ruff, "check", "--isolated", "--no-cache", "--exit-zero", "--quiet"]
        ruff_plain.append(str(tree))
        validator_ok: Callable[[int], bool] = lambda rc: rc in (0, 1)  # noqa: E731
        ruff_ok: Callable[[int], bool] = lambda rc: rc == 0  # noqa: E731
        commands = {VALIDATOR: (validate, validator_ok, env)}
        if args.baseline_src is not None:
            # The same command on another version of the code, in the same rounds: under a
            # changing load only interleaved runs compare fairly.
            baseline_env = dict(env, PYTHONPATH=str(args.baseline_src.resolve()))
            commands[BASELINE] = (validate, validator_ok, baseline_env)
        commands[RUFF_AS_VALIDATOR] = (ruff_as_validator, ruff_ok, env)
        commands[RUFF_PLAIN] = (ruff_plain, ruff_ok, env)
        walls: dict[str, list[float]] = {name: [] for name in commands}
        cpus: dict[str, list[float]] = {name: [] for name in commands}
        found: dict[str, set[Finding]] = {}
        for round_number in range(1, args.runs + 1):
            for name, (command, accept, command_env) in commands.items():
                wall, cpu, out = measure(command, accept, command_env)
                walls[name].append(wall)
                cpus[name].append(cpu)
                print(f"round {round_number}: {name}: {wall:.2f} s wall, {cpu:.2f} s CPU")
                if command is validate:
                    this = findings_of(out)
                    if found.setdefault(name, this) != this:
                        raise SystemExit(f"{name} found different things in two rounds")
    baseline_check = None
    if BASELINE in found:
        lost, new = found[BASELINE] - found[VALIDATOR], found[VALIDATOR] - found[BASELINE]
        baseline_check = f"{len(lost)} findings of the baseline lost, {len(new)} new"
        print(f"against the baseline: {baseline_check}")
    found_now = found[VALIDATOR]
    if args.record:
        FINDINGS.write_text(
            "".join(f"{r} {p}:{n}\n" for r, p, n in sorted(found_now)), encoding="utf-8"
        )
        check = f"recorded to {FINDINGS.name}"
        differences: list[str] = []
    elif FINDINGS.exists():
        differences = compare(found_now, FINDINGS)
        check = (
            f"same as {FINDINGS.name}"
            if not differences
            else f"{len(differences)} differences from {FINDINGS.name}"
        )
    else:
        print(f"no recorded findings for this Python ({FINDINGS.name}); run with --record")
        return 1
    reference = statistics.median(cpus[RUFF_PLAIN])
    ratio = statistics.median(cpus[VALIDATOR]) / reference
    results: dict[str, object] = {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "command": "python benchmarks/validation/stdlib_speed.py " + " ".join(sys.argv[1:]).strip(),
        "runs": args.runs,
        "files": len(files),
        "python_files": len(python_files),
        "load_before": load_before,
        "load_after": [round(x, 2) for x in os.getloadavg()],
        "tools": {n: {"wall": summary(walls[n]), "cpu": summary(cpus[n])} for n in commands},
        "ratio_to_ruff": round(ratio, 2),
        "cpu_over_2": round(statistics.median(cpus[VALIDATOR]) / 2, 2),
        "findings": len(found_now),
        "findings_check": check,
        "baseline_src": str(args.baseline_src) if args.baseline_src else None,
        "baseline_ratio_to_ruff": (
            round(statistics.median(cpus[BASELINE]) / reference, 2) if BASELINE in cpus else None
        ),
        "baseline_findings_check": baseline_check,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "stdlib_speed.json").write_text(json.dumps(results, indent=2) + "\n")
    (RESULTS / "stdlib_speed.md").write_text(render(results))
    print(render(results))
    if differences:
        print("\n".join(differences[:100]), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
