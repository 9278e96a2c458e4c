"""False positives on real, well-kept code; results in results/validation-realcode.md.

A pinned list of Python sdists (PyPI) and npm tarballs is fetched with the registries' own
clients, cached in ``~/.cache/claude-tui-bench/`` and checked against the SHA-256 recorded
below, so a changed archive fails loudly instead of moving the numbers. Each archive is
unpacked in a temporary directory and validated the way a user does:
``claude-tui validate --no-exec --format json DIR``. Every medium-or-higher finding is
false unless ``ACCEPTED`` names it with the reason it stands. Rates are per 1,000 source
files, with test, example and documentation code counted apart from the shipped code.

Run: ``python benchmarks/validation/realcode.py`` (part of ``make bench-validation``).
Exit 1 when an archive cannot be fetched or verified, the validator fails to run, or the
target is missed.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from claude_tui.validation import ENGINE_VERSION
from claude_tui.validation.engine import collect_files
from claude_tui.validation.placeholders import path_context

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
RESULTS = REPO / "benchmarks" / "results"
CACHE = Path(os.environ.get("CLAUDE_TUI_BENCH_CACHE", Path.home() / ".cache" / "claude-tui-bench"))
#: Medium-or-higher findings per 1,000 files outside tests, all packages together.
TARGET_PER_1000 = 2.0
#: Packages that must pass ``validate --no-exec`` with the default ``--fail-on medium``.
MUST_PASS = ("click", "requests")
SEVERE = ("medium", "high")


@dataclass(frozen=True)
class Archive:
    ecosystem: str  # "pypi" or "npm"
    name: str
    version: str
    filename: str
    sha256: str


PINNED = (
    Archive("pypi", "click", "8.1.8", "click-8.1.8.tar.gz",
            "ed53c9d8990d83c2a27deae68e4ee337473f6330c040a31d4225c9574d16096a"),
    Archive("pypi", "requests", "2.32.3", "requests-2.32.3.tar.gz",
            "55365417734eb18255590a9ff9eb97e9e1da868d4ccd6402399eaf68af20a760"),
    Archive("pypi", "rich", "13.9.4", "rich-13.9.4.tar.gz",
            "439594978a49a09530cff7ebc4b5c7103ef57baf48d5ea3184f21d9a2befa098"),
    Archive("pypi", "httpx", "0.28.1", "httpx-0.28.1.tar.gz",
            "75e98c5f16b0f35b567856f597f06ff2270a374470a5c2392242528e3e3e42fc"),
    Archive("pypi", "starlette", "0.45.3", "starlette-0.45.3.tar.gz",
            "2cbcba2a75806f8a41c722141486f37c28e30a0921c5f6fe4346cb0dcee1302f"),
    Archive("pypi", "attrs", "24.3.0", "attrs-24.3.0.tar.gz",
            "8f5c07333d543103541ba7be0e2ce16eeee8130cb0b3f9238ab904ce1e85baff"),
    Archive("pypi", "flask", "3.1.0", "flask-3.1.0.tar.gz",
            "5f873c5184c897c8d9d1b05df1e3d01b14910ce69607a117bd3277098a5836ac"),
    Archive("pypi", "jinja2", "3.1.5", "jinja2-3.1.5.tar.gz",
            "8fefff8dc3034e27bb80d67c671eb8a9bc424c0ef4c0826edbff304cceff43bb"),
    Archive("pypi", "urllib3", "2.3.0", "urllib3-2.3.0.tar.gz",
            "f8c5449b3cf0861679ce7e0503c7b44b5ec981bec0d1d3795a07f1ba96f0204d"),
    Archive("pypi", "packaging", "24.2", "packaging-24.2.tar.gz",
            "c228a6dc5e932d346bc5739379109d49e8853dd8223571c7c5b55260edc0b97f"),
    Archive("npm", "express", "4.21.2", "express-4.21.2.tgz",
            "fc43a91e7dc7affb53c6ad7123a4f35485ed3c45226ae7a3847b7738e783e008"),
    Archive("npm", "commander", "12.1.0", "commander-12.1.0.tgz",
            "56affc6ddafe486f94b428ae2823d059cf60d4dae2f33eaaf1b1ec4306f73173"),
    Archive("npm", "axios", "1.7.9", "axios-1.7.9.tgz",
            "634e3ed585d7c8857f00cb7556f79422614e8defd008f8bb34b6018c1faefa0f"),
    Archive("npm", "zod", "3.24.1", "zod-3.24.1.tgz",
            "bce658d4d39b30b619970938bf7ff1b0554d3d2124194b6dbd0e10086dd56417"),
    Archive("npm", "chalk", "5.4.1", "chalk-5.4.1.tgz",
            "84b8b9f386a76781f4482279af42d131ba852315388643999e15f95b47ffd0da"),
)  # fmt: skip

#: Findings read by hand and found true, keyed ``package:path:line:rule``, with why each
#: stands. Anything not here counts as a false positive.
ACCEPTED: dict[str, str] = {}


class BenchError(Exception):
    """An archive or a run the benchmark cannot trust; the benchmark stops and says why."""


def fetch(archive: Archive) -> Path:
    """The cached archive, fetched with the registry's client when missing, verified."""
    folder = CACHE / ("py" if archive.ecosystem == "pypi" else "npm")
    target = folder / archive.filename
    if not target.is_file():
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="ctui-fetch-") as tmp:
            spec = f"{archive.name}=={archive.version}"
            if archive.ecosystem == "pypi":
                command = [sys.executable, "-m", "pip", "download", "--quiet",
                           "--no-binary", ":all:", "--no-deps", "--dest", tmp, spec]  # fmt: skip
            else:
                npm = shutil.which("npm")
                if npm is None:
                    raise BenchError(f"{archive.filename}: npm is not installed, cannot fetch it")
                command = [npm, "pack", "--silent", f"{archive.name}@{archive.version}"]
            done = subprocess.run(command, cwd=tmp, capture_output=True, text=True, check=False)
            fetched = Path(tmp) / archive.filename
            if done.returncode != 0 or not fetched.is_file():
                last = (done.stderr.strip().splitlines() or ["no output"])[-1]
                raise BenchError(f"{archive.filename}: fetching failed: {last}")
            shutil.move(fetched, target)
    digest = hashlib.sha256(target.read_bytes()).hexdigest()
    if digest != archive.sha256:
        raise BenchError(
            f"{target}: SHA-256 {digest} differs from the pinned {archive.sha256}; "
            "the archive changed, so the results would not be comparable"
        )
    return target


def unpack(archive: Path, into: Path) -> Path:
    """The directory a user gets by unpacking ``archive`` into ``into``."""
    with tarfile.open(archive) as tar:
        tar.extractall(into, filter="data")
    entries = list(into.iterdir())
    # An sdist holds one NAME-VERSION/ folder: that is the project. An npm tarball holds
    # ``package/``; the folder it was unpacked into is validated, as a user does.
    if len(entries) == 1 and entries[0].is_dir() and entries[0].name != "package":
        return entries[0]
    return into


def validate(root: Path) -> tuple[int, dict[str, object], float]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO / "src"), *sys.path[1:]])}
    command = [sys.executable, "-m", "claude_tui", "validate", "--no-exec", "--no-cache",
               "--format", "json", str(root)]  # fmt: skip
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise BenchError(f"validate {root} exited {done.returncode}: {done.stderr.strip()[-500:]}")
    try:
        report: dict[str, object] = json.loads(done.stdout)
    except json.JSONDecodeError as exc:
        raise BenchError(f"validate {root} printed no JSON report: {exc}") from exc
    if not report.get("complete", False):
        raise BenchError(f"validate {root} reports an incomplete run: {report.get('failures')}")
    return done.returncode, report, seconds


@dataclass
class Result:
    archive: Archive
    exit_code: int
    seconds: float
    files_main: int
    files_tests: int
    findings: list[dict[str, object]]  # medium or higher, each with "area" and "why"


def measure(archive: Archive, work: Path) -> Result:
    path = fetch(archive)
    place = work / f"{archive.name}-{archive.version}"
    place.mkdir()
    root = unpack(path, place)
    files = [f.relative_to(root).as_posix() for f in collect_files(root)]
    tests = sum(1 for f in files if path_context(f) is not None)
    exit_code, report, seconds = validate(root)
    findings: list[dict[str, object]] = []
    raw = report.get("findings", [])
    assert isinstance(raw, list)
    for finding in raw:
        if finding["severity"] not in SEVERE:
            continue
        key = f"{archive.name}:{finding['path']}:{finding['line']}:{finding['rule']}"
        area = "tests" if path_context(str(finding["path"])) is not None else "main"
        findings.append({**finding, "area": area, "key": key, "why": ACCEPTED.get(key)})
    return Result(archive, exit_code, seconds, len(files) - tests, tests, findings)


def per_1000(count: int, files: int) -> float:
    return 1000.0 * count / files if files else 0.0


def render(results: list[Result]) -> tuple[str, bool]:
    main_files = sum(r.files_main for r in results)
    test_files = sum(r.files_tests for r in results)
    main_all = [f for r in results for f in r.findings if f["area"] == "main"]
    test_all = [f for r in results for f in r.findings if f["area"] == "tests"]
    rate = per_1000(len(main_all), main_files)
    false_main = [f for f in main_all if f["why"] is None]
    must = {r.archive.name: r.exit_code for r in results if r.archive.name in MUST_PASS}
    met = rate <= TARGET_PER_1000 and all(code == 0 for code in must.values())
    out = [
        "# Validation on real, well-kept code",
        "",
        f"Engine {ENGINE_VERSION}, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}. "
        "Generated by `benchmarks/validation/realcode.py` (`make bench-validation`); do not edit.",
        "Each pinned archive is validated with `claude-tui validate --no-exec --format json`.",
        "Medium-or-higher findings per 1,000 source files; tests, examples, docs and fixtures",
        "are counted apart. A finding is false unless the script's `ACCEPTED` says why it stands.",
        "",
        f"- Outside tests: **{len(main_all)}** findings in {main_files} files = "
        f"**{rate:.2f} per 1,000** (target at most {TARGET_PER_1000:g}); "
        f"{len(false_main)} of them false.",
        f"- In tests, examples, docs: {len(test_all)} findings in {test_files} files = "
        f"{per_1000(len(test_all), test_files):.2f} per 1,000.",
        "- Default `--fail-on medium` on "
        + ", ".join(f"{n}: exit {c}" for n, c in sorted(must.items()))
        + " (must be 0).",
        f"- Target {'met' if met else '**MISSED**'}.",
        "",
        "| package | version | files (main / tests) | medium+ main | medium+ tests | exit "
        "| seconds |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        main_count = sum(1 for f in r.findings if f["area"] == "main")
        out.append(
            f"| {r.archive.name} | {r.archive.version} | {r.files_main} / {r.files_tests} "
            f"| {main_count} | {len(r.findings) - main_count} | {r.exit_code} "
            f"| {r.seconds:.1f} |"
        )
    out += ["", "## Remaining findings", ""]
    listed = [(r.archive.name, f) for r in results for f in r.findings]
    if not listed:
        out.append("None.")
    for name, f in listed:
        why = f["why"] or "FALSE: not accepted as a true finding"
        out.append(
            f"- {name} `{f['path']}:{f['line']}` {f['severity']} `{f['rule']}` ({f['area']}): "
            f"{f['message']} — *{why}*"
        )
    return "\n".join(out) + "\n", met


def main() -> int:
    results: list[Result] = []
    try:
        with tempfile.TemporaryDirectory(prefix="ctui-realcode-") as tmp:
            for archive in PINNED:
                result = measure(archive, Path(tmp))
                results.append(result)
                print(
                    f"{archive.name} {archive.version}: {len(result.findings)} medium+ "
                    f"findings, exit {result.exit_code}, {result.seconds:.1f} s",
                    flush=True,
                )
    except BenchError as exc:
        print(f"realcode benchmark: {exc}", file=sys.stderr)
        return 1
    text, met = render(results)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "validation-realcode.md").write_text(text, encoding="utf-8")
    print(text.split("\n| package")[0])
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
