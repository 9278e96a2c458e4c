"""Remove from the image's virtualenv the files the application never loads.

Run by the image build with the virtualenv's interpreter, after ``pip check``:

    slim-venv.py LANGUAGES_PY

- claude-agent-sdk bundles a copy of the Claude Code CLI (about 400 MB). The app never runs
  it: the claude-code backend drives the CLI the operator installs and names
  (``agent_claude_cli``, else ``claude`` on PATH), inside the sandbox.
- tree-sitter-language-pack carries about 170 grammars (about 180 MB); the validation engine
  parses only the languages of ``claude_tui.validation.languages.Language``. The list is read
  from that file, so a language added there keeps its grammar in the image.
- swagger-ui-bundle ships source maps of its scripts (about 5 MB) that only a browser's
  developer tools ask for; the API's /docs page loads the scripts themselves.

Prints what it removed; exits non-zero, removing nothing, when an expected file is absent
(a new release of either package changed its layout and this script must follow it).
"""

from __future__ import annotations

import importlib.util
import shutil
import sys
import sysconfig
from pathlib import Path

GRAMMAR_SUFFIX = ".abi3.so"


def used_languages(languages_py: Path) -> set[str]:
    """The tree-sitter names of the languages the validation engine parses."""
    spec = importlib.util.spec_from_file_location("_claude_tui_languages", languages_py)
    if spec is None or spec.loader is None:
        raise SystemExit(f"slim-venv: cannot load {languages_py}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return {member.value for member in module.Language}


def size(path: Path) -> int:
    if path.is_dir():
        return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    return path.stat().st_size


def removals(site: Path, languages: set[str]) -> list[Path]:
    """Every path to delete; SystemExit when the installed packages are not as expected."""
    bundled_cli = site / "claude_agent_sdk" / "_bundled" / "claude"
    bindings = site / "tree_sitter_language_pack" / "bindings"
    problems = []
    if not bundled_cli.is_file():
        problems.append(f"{bundled_cli} is absent")
    if not bindings.is_dir():
        problems.append(f"{bindings} is absent")
    grammars = {p.name.removesuffix(GRAMMAR_SUFFIX): p for p in bindings.glob(f"*{GRAMMAR_SUFFIX}")}
    missing = sorted(languages - grammars.keys())
    if missing:
        problems.append(f"no grammar for {', '.join(missing)} in {bindings}")
    if problems:
        raise SystemExit("slim-venv: " + "; ".join(problems))
    unused = [path for name, path in sorted(grammars.items()) if name not in languages]
    source_maps = sorted((site / "swagger_ui_bundle").rglob("*.map"))
    return [bundled_cli, *unused, *source_maps]


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: slim-venv.py LANGUAGES_PY", file=sys.stderr)
        return 2
    site = Path(sysconfig.get_paths()["purelib"])
    languages = used_languages(Path(argv[0]))
    paths = removals(site, languages)
    freed = 0
    for path in paths:
        freed += size(path)
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()
    grammars = sum(1 for p in paths if p.name.endswith(GRAMMAR_SUFFIX))
    maps = sum(1 for p in paths if p.suffix == ".map")
    print(
        f"slim-venv: removed the bundled Claude Code CLI, {grammars} unused grammars "
        f"(kept {', '.join(sorted(languages))}) and {maps} source maps: {freed / 1e6:.0f} MB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
