"""Secret-scanner precision and recall, and audit timings per scanner.

Run: ``.venv/bin/python benchmarks/audit/bench_audit.py [--seed N] [--copies N] [--repeat N]``
(or ``make bench-audit``).

1. Generates a corpus (tests/fixtures/audit/planted_secrets.py): every kind of secret planted
   ``--copies`` times with fresh random values, plus decoys (digests, UUIDs, placeholders, test
   fixtures, lockfile and SRI integrity strings, build ids). Nothing secret-shaped is committed.
   A second corpus (benchmarks/audit/blind_corpus.py) was written from the vendors' published
   token formats before the rules were read: bare tokens, Markdown mentions, secrets with no
   vendor prefix, passwords in URLs of several schemes, and decoys; ``--blind-copies`` sets
   of it, each with its own seed.
2. Runs, on each corpus in the same run: our secret scanner (own rules only as they were at
   ``--before``, the commit before the generic-secrets detector; own rules now; and the
   default with the gitleaks engine), detect-secrets alone (its CLI, default plugins and
   filters) and gitleaks alone (``gitleaks dir``, default rules). A report counts as a true
   positive when it names a planted secret's file and line.
3. Audits three pinned sdists and compares the audit's speed with gitleaks and bandit alone
   (benchmarks/audit/bench_repos.py).
4. Times a full audit of this repository (offline; dependencies against the shipped test
   advisories) and of a large tree, with each scanner's own wall time (they run in parallel).

Results: benchmarks/results/audit.json and audit.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "audit"
RESULTS = ROOT / "benchmarks" / "results"
sys.path.insert(0, str(FIXTURES))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_repos  # noqa: E402
from blind_corpus import write_blind_corpus  # noqa: E402
from planted_secrets import KINDS, Planted, write_corpus  # noqa: E402

from claude_tui.audit.options import AuditOptions  # noqa: E402
from claude_tui.audit.policy import Policy, load_policy  # noqa: E402
from claude_tui.audit.project import Project  # noqa: E402
from claude_tui.audit.runner import run_audit  # noqa: E402
from claude_tui.audit.secrets_scanner import scan  # noqa: E402
from claude_tui.audit.tools import find_tool  # noqa: E402

Hit = tuple[str, int]


def ours(corpus: Path, engines: tuple[str, ...]) -> set[Hit]:
    outcome = scan(Project.open(corpus, Policy()), AuditOptions(secret_engines=engines))
    return {(f.path or "", f.line or 0) for f in outcome.findings}


OURS_AT = """
import json, sys
from pathlib import Path
from claude_tui.audit.options import AuditOptions
from claude_tui.audit.policy import Policy
from claude_tui.audit.project import Project
from claude_tui.audit.secrets_scanner import scan
outcome = scan(Project.open(Path(sys.argv[1]), Policy()), AuditOptions(secret_engines=()))
print(json.dumps([[f.path or "", f.line or 0] for f in outcome.findings]))
"""


def ours_at(src: Path, corpus: Path) -> set[Hit]:
    """Our own rules as they were in another source tree (the code before the detector)."""
    run = subprocess.run(
        [sys.executable, "-c", OURS_AT, str(corpus)],
        capture_output=True,
        text=True,
        check=True,
        env=dict(os.environ, PYTHONPATH=str(src)),
    )
    return {(path, line) for path, line in json.loads(run.stdout)}


def detect_secrets_alone(corpus: Path) -> set[Hit]:
    exe = Path(sys.executable).with_name("detect-secrets")
    run = subprocess.run(
        [str(exe), "scan", "--all-files", "."],
        cwd=corpus,
        capture_output=True,
        text=True,
        check=True,
    )
    results = json.loads(run.stdout)["results"]
    return {(path, item["line_number"]) for path, items in results.items() for item in items}


def gitleaks_alone(corpus: Path) -> set[Hit]:
    exe = find_tool("gitleaks")
    if exe is None:
        raise RuntimeError("gitleaks is not installed (.ci/setup.d/50-audit.sh)")
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "r.json"
        subprocess.run(
            [
                exe,
                "dir",
                ".",
                "--no-banner",
                "--log-level",
                "error",
                "--report-format",
                "json",
                "--report-path",
                str(report),
                "--exit-code",
                "0",
            ],
            cwd=corpus,
            check=True,
            capture_output=True,
        )
        items = json.loads(report.read_text() or "[]")
    return {(Path(i["File"]).as_posix().removeprefix("./"), i["StartLine"]) for i in items}


def score(found: set[Hit], planted: list[Planted]) -> dict[str, object]:
    truth = {(p.path, p.line): p.kind for p in planted}
    tp = found & truth.keys()
    fp = found - truth.keys()
    per_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for where, kind in truth.items():
        per_kind[kind][1] += 1
        per_kind[kind][0] += where in found
    return {
        "true_positives": len(tp),
        "false_positives": len(fp),
        "missed": len(truth) - len(tp),
        "precision": round(len(tp) / len(found), 3) if found else 0.0,
        "recall": round(len(tp) / len(truth), 3),
        "per_kind": {k: f"{v[0]}/{v[1]}" for k, v in sorted(per_kind.items())},
        "false_positive_examples": sorted(f"{p}:{n}" for p, n in fp)[:8],
    }


def timed(fn, *args):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    value = fn(*args)
    return value, time.perf_counter() - start


def audit_timings(
    path: Path, policy: Policy, repeat: int, python: Path | None = None
) -> dict[str, object]:
    options = AuditOptions(online=False, advisories=FIXTURES / "advisories", python=python)
    runs = []
    for _ in range(repeat):
        report = run_audit(path, policy, options)
        runs.append(
            {
                "total": report.duration_seconds,
                "scanners": {
                    o.scanner: (o.duration_seconds, o.status.value) for o in report.outcomes
                },
                "files": len(Project.open(path, policy).files),
            }
        )
    scanners = runs[0]["scanners"]
    return {
        "files": runs[0]["files"],
        "total_seconds_median": round(statistics.median(r["total"] for r in runs), 2),
        "scanners": {
            name: {
                "seconds_median": round(statistics.median(r["scanners"][name][0] for r in runs), 2),
                "status": status,
            }
            for name, (_, status) in scanners.items()
        },
    }


def large_tree(base: Path, copies: int) -> Path:
    """This repository's files ``copies`` times over, plus a corpus: a tree of a large project."""
    tracked = subprocess.run(
        ["git", "-C", str(ROOT), "ls-files"], capture_output=True, text=True, check=True
    ).stdout.split()
    for n in range(copies):
        for rel in tracked:
            src = ROOT / rel
            if src.is_file() and not rel.startswith(("tests/fixtures/audit", ".claude-tui")):
                dst = base / f"copy{n}" / rel
                dst.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(src, dst)
    return base


def blind_corpus(base: Path, seed: int | None, copies: int) -> tuple[list[Planted], int]:
    """``copies`` sets of the blind corpus under ``base``; the secrets and the decoy count."""
    planted: list[Planted] = []
    decoys = 0
    for n in range(copies):
        corpus = write_blind_corpus(base / f"set{n}", seed=None if seed is None else seed + n)
        planted += [Planted(kind, f"set{n}/{path}", line) for path, line, kind in corpus.secrets]
        decoys += corpus.decoys
    return planted, decoys


def compare(
    corpus: Path, planted: list[Planted], before: Path, before_label: str
) -> dict[str, dict[str, object]]:
    """Every engine on ``corpus``, scored against ``planted``."""
    scanners = {
        f"claude-tui (own rules, before: {before_label})": lambda: ours_at(before, corpus),
        "claude-tui (own rules)": lambda: ours(corpus, ()),
        "claude-tui (rules + gitleaks engine, default)": lambda: ours(corpus, ("gitleaks",)),
        "claude-tui (rules + gitleaks + detect-secrets plugins)": lambda: ours(
            corpus, ("gitleaks", "detect-secrets")
        ),
        "detect-secrets alone": lambda: detect_secrets_alone(corpus),
        "gitleaks alone": lambda: gitleaks_alone(corpus),
    }
    accuracy = {}
    for name, fn in scanners.items():
        found, seconds = timed(fn)
        accuracy[name] = {**score(found, planted), "seconds": round(seconds, 2)}
        print(f"{name}: precision {accuracy[name]['precision']} recall {accuracy[name]['recall']}")
    return accuracy


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=None, help="corpus seed (default: random)")
    parser.add_argument("--copies", type=int, default=10, help="times each secret is planted")
    parser.add_argument("--repeat", type=int, default=1, help="audit runs per tree (median)")
    parser.add_argument(
        "--large-copies", type=int, default=5, help="repository copies in the large tree"
    )
    parser.add_argument("--blind-copies", type=int, default=5, help="sets of the blind corpus")
    parser.add_argument(
        "--before",
        default=bench_repos.PINNED_COMMIT,
        help="commit whose own rules are the 'before' of the generic-secrets detector",
    )
    parser.add_argument(
        "--repos-repeat", type=int, default=3, help="runs per command in the speed comparison"
    )
    parser.add_argument(
        "--speed-only",
        action="store_true",
        help="run only the speed comparison (--repos-repeat runs) and update its section",
    )
    args = parser.parse_args()
    if args.speed_only:
        speed_only(args.repos_repeat)
        return

    with tempfile.TemporaryDirectory(prefix="ctui-bench-audit-") as tmp:
        try:
            before = bench_repos.source_at(args.before, Path(tmp) / "before")
        except bench_repos.BenchError as exc:
            raise SystemExit(f"bench_audit: {exc}") from None
        label = args.before[:12]
        corpus = Path(tmp) / "corpus"
        planted = write_corpus(corpus, seed=args.seed, copies=args.copies)
        accuracy = compare(corpus, planted, before, label)
        blind_root = Path(tmp) / "blind"
        blind_planted, blind_decoys = blind_corpus(blind_root, args.seed, args.blind_copies)
        print("blind corpus:")
        blind = compare(blind_root, blind_planted, before, label)
        blind_files = sum(1 for _ in blind_root.rglob("*") if _.is_file())
        files_in_corpus = sum(1 for _ in corpus.rglob("*") if _.is_file())

        # This repository's environment is the one running the benchmark (a worktree may
        # share a virtualenv created elsewhere): named, as the audit never assumes it.
        repo = audit_timings(ROOT, load_policy(ROOT), args.repeat, Path(sys.executable))
        print(f"repository: {repo['total_seconds_median']}s")
        big = large_tree(Path(tmp) / "large", args.large_copies)
        write_corpus(big / "planted", seed=args.seed, copies=args.copies * 5)
        large = audit_timings(big, Policy(), args.repeat)
        print(f"large tree: {large['total_seconds_median']}s")
    try:
        repos = bench_repos.run(args.repos_repeat, args.before)
    except bench_repos.BenchError as exc:
        raise SystemExit(f"bench_audit: {exc}") from None

    machine = f"{platform.machine()}, {os.cpu_count()} cores"
    result = {
        "machine": f"{machine}, Python {platform.python_version()}",
        "corpus": {
            "planted": len(planted),
            "kinds": len(KINDS),
            "files": files_in_corpus,
            "copies": args.copies,
            "seed": args.seed,
        },
        "accuracy": accuracy,
        "blind_corpus": {
            "planted": len(blind_planted),
            "decoys": blind_decoys,
            "files": blind_files,
            "sets": args.blind_copies,
            "accuracy": blind,
        },
        "repository_audit": repo,
        "large_tree_audit": large,
        "repositories": repos,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "audit.json").write_text(json.dumps(result, indent=2) + "\n")
    (RESULTS / "audit.md").write_text(render(result, args))
    print(f"results in {RESULTS / 'audit.md'}")


def speed_only(repeat: int) -> None:
    """The speed comparison alone, written into the recorded results in place of the last."""
    result = json.loads((RESULTS / "audit.json").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory(prefix="ctui-bench-speed-") as tmp:
        speed = bench_repos.speed(Path(tmp), repeat)
    result["repositories"]["speed"] = speed
    (RESULTS / "audit.json").write_text(json.dumps(result, indent=2) + "\n")
    markdown = (RESULTS / "audit.md").read_text(encoding="utf-8")
    head, marker, _ = markdown.partition("\n## Speed:")
    if not marker:
        raise SystemExit(f"bench_audit: no speed section in {RESULTS / 'audit.md'}")
    (RESULTS / "audit.md").write_text(
        head.rstrip("\n") + "\n" + "\n".join(bench_repos.render_speed(speed)) + "\n"
    )
    print(f"speed section updated in {RESULTS / 'audit.md'}")


def render(result: dict, args: argparse.Namespace) -> str:  # type: ignore[type-arg]
    c = result["corpus"]
    lines = [
        "# Security audit benchmark",
        "",
        f"Command: `.venv/bin/python benchmarks/audit/bench_audit.py --copies {args.copies} "
        f"--repeat {args.repeat} --large-copies {args.large_copies} "
        f"--blind-copies {args.blind_copies} --repos-repeat {args.repos_repeat}` "
        "(`make bench-audit`). "
        f"Machine: {result['machine']}; the CPU is shared with other work, so times vary.",
        "",
        "## Secrets: precision and recall on the same corpus, same run",
        "",
        f"{c['planted']} planted secrets ({c['kinds']} kinds x {c['copies']}) with fresh random "
        f"values in {c['files']} files, among decoys (SHA/MD5 digests, UUIDs, placeholders, "
        "fake test values, vendor-example shapes, npm lockfile and SRI integrity strings, "
        "build ids). A report is a true positive when it names a planted secret's file and line. "
        '"before" is our own rules at the commit before the generic-secrets detector, run '
        "in the same process tree on the same files.",
        "",
        "| scanner | precision | recall | TP | FP | missed | time |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, a in result["accuracy"].items():
        lines.append(
            f"| {name} | {a['precision']:.3f} | {a['recall']:.3f} | {a['true_positives']} | "
            f"{a['false_positives']} | {a['missed']} | {a['seconds']}s |"
        )
    kinds = sorted(next(iter(result["accuracy"].values()))["per_kind"])
    names = list(result["accuracy"])
    lines += [
        "",
        "Recall per kind:",
        "",
        "| kind | " + " | ".join(names) + " |",
        "|---|" + "---:|" * len(names),
    ]
    for kind in kinds:
        lines.append(
            f"| {kind} | "
            + " | ".join(result["accuracy"][n]["per_kind"][kind] for n in names)
            + " |"
        )
    lines += ["", "False-positive examples:", ""]
    for name, a in result["accuracy"].items():
        if a["false_positive_examples"]:
            lines.append(f"- {name}: " + ", ".join(f"`{x}`" for x in a["false_positive_examples"]))
    b = result["blind_corpus"]
    lines += [
        "",
        "## Secrets: the blind corpus (written before the rules were read)",
        "",
        f"{b['planted']} secrets and {b['decoys']} decoy lines in {b['files']} files "
        f"({b['sets']} sets, each with its own seed): bare tokens in files of their own, "
        "Markdown mentions, vendor tokens in config and code, secrets with no vendor prefix "
        "(AWS secret key alone, Datadog, Azure, OAuth client secret, docker config auth, YAML "
        "password, Kubernetes Secret), passwords in URLs of five schemes; decoys are "
        "placeholders, documented example values, truncated prefixes, digests, UUIDs, "
        "integrity strings and variable references.",
        "",
        "| scanner | precision | recall | TP | FP | missed | time |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, a in b["accuracy"].items():
        lines.append(
            f"| {name} | {a['precision']:.3f} | {a['recall']:.3f} | {a['true_positives']} | "
            f"{a['false_positives']} | {a['missed']} | {a['seconds']}s |"
        )
    kinds = sorted(next(iter(b["accuracy"].values()))["per_kind"])
    lines += ["", "| kind | " + " | ".join(names) + " |", "|---|" + "---:|" * len(names)]
    for kind in kinds:
        lines.append(
            f"| {kind} | " + " | ".join(b["accuracy"][n]["per_kind"][kind] for n in names) + " |"
        )
    lines += ["", "False-positive examples:", ""]
    for name, a in b["accuracy"].items():
        if a["false_positive_examples"]:
            lines.append(f"- {name}: " + ", ".join(f"`{x}`" for x in a["false_positive_examples"]))
    for title, key in (("This repository", "repository_audit"), ("Large tree", "large_tree_audit")):
        t = result[key]
        lines += [
            "",
            f"## Audit time: {title.lower()} ({t['files']} files)",
            "",
            f"Wall time of the whole audit: **{t['total_seconds_median']} s** (median of "
            f"{args.repeat}). Scanners run in parallel (4 threads); each one's own wall time:",
            "",
            "| scanner | seconds | status |",
            "|---|---:|---|",
        ]
        for name, s in t["scanners"].items():
            lines.append(f"| {name} | {s['seconds_median']} | {s['status']} |")
    lines += bench_repos.render(result["repositories"])
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
