"""Check the project's Markdown: relative links resolve, and every `make TARGET` it tells a
reader to run exists. Used by ``make docs``; one line per problem, exit 1 when there is any.

    python tools/check_docs.py [--targets FILE] PATH...

PATH is a Markdown file or a directory searched for ``*.md``. ``--targets`` names a file with
the known make targets, one a line (``make help`` output is accepted as is).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

LINK = re.compile(r"(?<!!)\[[^\]]*\]\((?P<target>[^)\s]+)(?:\s+\"[^\"]*\")?\)")
MAKE_CALL = re.compile(r"`make (?P<targets>[a-z0-9][a-z0-9 _.-]*?)(?: [A-Z_]+=[^`]*)?`")
FENCE = re.compile(r"^\s*(```|~~~)")
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def markdown_files(paths: list[Path]) -> list[Path]:
    """The Markdown files named, and those under the directories named."""
    found: list[Path] = []
    for path in paths:
        found.extend(sorted(path.rglob("*.md")) if path.is_dir() else [path])
    return found


def anchors(path: Path) -> set[str]:
    """GitHub-style anchors of a Markdown file's headings."""
    slugs = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            title = line.lstrip("#").strip().lower()
            slug = re.sub(r"[^\w\- ]", "", title).replace(" ", "-")
            slugs.add(slug)
    return slugs


def link_problems(path: Path) -> list[str]:
    """Relative links of one file whose file or heading does not exist."""
    problems = []
    in_fence = False
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if FENCE.match(line):
            in_fence = not in_fence
        if in_fence:
            continue
        for match in LINK.finditer(line):
            target = match["target"]
            if re.match(r"^[a-z][a-z0-9+.-]*:", target):
                continue  # http:, https:, mailto: ... are not checked offline
            file_part, _, anchor = target.partition("#")
            linked = (path.parent / file_part).resolve() if file_part else path
            if not linked.exists():
                problems.append(f"{path}:{number}: broken link {target}")
            elif anchor and linked.suffix == ".md" and anchor.lower() not in anchors(linked):
                problems.append(f"{path}:{number}: no heading #{anchor} in {linked.name}")
    return problems


def make_problems(path: Path, known: set[str]) -> list[str]:
    """`make TARGET` mentions of one file that name a target the Makefile does not have."""
    problems = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        for match in MAKE_CALL.finditer(line):
            for target in match["targets"].split():
                if target not in known:
                    problems.append(f"{path}:{number}: `make {target}` is not a make target")
    return problems


def main(argv: list[str] | None = None) -> int:
    """Command line: print each problem on one line; exit 1 when there is any."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--targets", type=Path, help="file listing the make targets")
    args = parser.parse_args(argv)
    missing = [str(p) for p in args.paths if not p.exists()]
    if missing:
        print(f"check_docs: no such file or directory: {', '.join(missing)}", file=sys.stderr)
        return 2
    known: set[str] | None = None
    if args.targets is not None:
        lines = ANSI.sub("", args.targets.read_text(encoding="utf-8")).splitlines()
        known = {line.split()[0] for line in lines if line.strip()}
    files = markdown_files(args.paths)
    problems: list[str] = []
    for path in files:
        problems += link_problems(path)
        if known is not None:
            problems += make_problems(path, known)
    for problem in problems:
        print(problem)
    print(f"check_docs: {len(files)} files, {len(problems)} problems", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
