"""Syntax checks by the languages' own toolchains: node for JavaScript, gofmt for Go.

Tree-sitter's grammars are tolerant: they accept ``await`` in a plain function or a Go
literal missing its comma. Where the real toolchain is installed, its parser decides
instead, and its verdict replaces tree-sitter's for that file; where it is not, the
tree-sitter findings stand and say so. Either way the report names the checker of each
language, and no file passes unchecked.

- JavaScript (``.js``, ``.mjs``, ``.cjs``): one node process compiles every file as
  ``node --check`` does (CommonJS wrapper or ES module, from the extension and the nearest
  ``package.json`` ``type``), then ``node --check`` itself runs on each ES module that
  failed, for the line of the error. A ``.js`` file with no declared type is accepted
  when it compiles either way, since bundlers take ES modules in such packages. ``.jsx``
  and files that turn out to hold JSX are tree-sitter only: node does not parse JSX.
- Go: ``gofmt -e`` on all files at once. ``go vet`` is not run: it loads the module's
  dependencies, which may need the network.
- TypeScript: ``tsc`` is not run (it type-checks against the project's installed
  dependencies); tree-sitter plus :mod:`claude_tui.validation.lenient` check it.

The files are attacker input, so every toolchain process runs in the bubblewrap sandbox
(workspace read-only, no network) when it can start, with a timeout, and with the
sandbox's allow-listed environment in any case. Nothing is compiled to run: node builds
the functions and modules without calling or linking them; gofmt only parses.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from claude_tui.sandbox.bwrap import SandboxSpec, sandbox_argv, sandbox_env, sandbox_status
from claude_tui.validation import treesitter
from claude_tui.validation.errors import GrammarUnavailableError
from claude_tui.validation.languages import Language, language_of
from claude_tui.validation.model import Check, Finding, Severity
from claude_tui.validation.syntax import MAX_SYNTAX_FINDINGS

JSX_NOTE = "tree-sitter only: JSX, which node does not parse"
TYPESCRIPT_NOTE = "tree-sitter only: tsc is not run, as it type-checks against installed packages"
#: Files of one ``node --check`` re-run for an error's line; past this the line is unknown.
MAX_RECHECKS = 25
_GOFMT_CHUNK = 200

# Compiles each file the way node --check does, and calls and links nothing.
_NODE_SCRIPT = r"""
const fs = require('fs'), vm = require('vm');
const params = ['exports', 'require', 'module', '__filename', '__dirname'];
const items = JSON.parse(fs.readFileSync(0, 'utf8'));
const out = [];
function compile(src, file, mode) {
  if (mode === 'module') new vm.SourceTextModule(src, {identifier: 'file://' + file});
  else vm.compileFunction(src, params, {filename: file});
}
for (const [file, mode] of items) {
  let src;
  try { src = fs.readFileSync(file, 'utf8'); }
  catch (e) { out.push([file, mode, 'cannot read: ' + e.message, 0, 0]); continue; }
  if (src.startsWith('#!')) src = '//' + src.slice(2);
  let error = null;
  try { compile(src, file, mode === 'auto' ? 'commonjs' : mode); } catch (e) { error = e; }
  if (error !== null && mode === 'auto') {
    try { compile(src, file, 'module'); error = null; }
    catch (e) { /* node runs a plain .js as CommonJS: its error is the one to report */ }
  }
  if (error === null) continue;
  const stack = String(error.stack || error).split('\n');
  const where = /:(\d+)$/.exec(stack[0] || '');
  const caret = where && stack[2] ? stack[2].indexOf('^') : -1;
  const message = stack.find((l) => /^\w*Error:/.test(l)) || String(error);
  out.push([file, mode, message, where ? Number(where[1]) : 0, caret + 1]);
}
process.stdout.write(JSON.stringify(out));
"""
_NODE_CHECK_LOCATION = re.compile(r"^(?P<file>.+):(?P<line>\d+)$")
_GOFMT_ERROR = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (?P<message>.*)$")
_GOFMT_OTHER = re.compile(r"^(?:(?:open|stat|read|lstat) )?(?P<file>/.+?): (?P<message>.*)$")


@dataclass(frozen=True, slots=True)
class Toolchains:
    """The syntax checkers found on this machine (paths)."""

    node: str | None
    gofmt: str | None

    @property
    def sandboxed(self) -> bool:
        # Probed on first use only, so a run without JavaScript or Go never starts bwrap.
        return sandbox_status()[0]

    def signature(self) -> list[str]:
        """What changes the findings of a file: part of the cache key."""
        return [f"node={self.node or '-'}", f"gofmt={self.gofmt or '-'}"]

    def checker(self, language: Language) -> str:
        """How files of ``language`` are syntax-checked, as the report says it."""
        if language is Language.JAVASCRIPT:
            if self.node is None:
                return "tree-sitter only: node not installed"
            return f"checked with node --check ({self._where()})"
        if language is Language.GO:
            if self.gofmt is None:
                return "tree-sitter only: gofmt not installed"
            return f"checked with gofmt -e ({self._where()})"
        if language in (Language.TYPESCRIPT, Language.TSX):
            return TYPESCRIPT_NOTE
        return "tree-sitter only"

    def _where(self) -> str:
        return "sandboxed" if self.sandboxed else "not sandboxed: bubblewrap cannot start"


def detect() -> Toolchains:
    """The toolchains on PATH."""
    return Toolchains(node=shutil.which("node"), gofmt=shutil.which("gofmt"))


@dataclass(slots=True)
class ToolchainRun:
    """What the toolchains said: per file, their findings, or why tree-sitter had to do."""

    tools: Toolchains
    #: Files whose syntax verdict is the toolchain's, with their findings (maybe none).
    checked: dict[str, list[Finding]] = field(default_factory=dict)
    #: Files of a toolchain language that tree-sitter alone checked, and why.
    fallback: dict[str, str] = field(default_factory=dict)

    def merge(
        self, display: str, language: Language | None, findings: list[Finding]
    ) -> list[Finding]:
        """A file's findings with its syntax verdict from the checker that was used."""
        if language is Language.GO and "testdata" in display.split("/")[:-1]:
            # The go tool never builds testdata/; parsers' tests keep broken inputs there.
            return [
                replace(f, severity=Severity.LOW, message=f"{f.message} (in testdata/)")
                if f.check is Check.SYNTAX
                else f
                for f in self._verdict(display, language, findings)
            ]
        return self._verdict(display, language, findings)

    def _verdict(
        self, display: str, language: Language | None, findings: list[Finding]
    ) -> list[Finding]:
        if display in self.checked:
            others = [f for f in findings if f.check is not Check.SYNTAX]
            return others + self.checked[display]
        if language is None or language is Language.PYTHON:
            return findings
        reason = self.fallback_reason(display) or self.tools.checker(language)
        if not reason.startswith("tree-sitter only"):
            return findings
        return [
            replace(f, message=f"{f.message} ({reason})") if f.check is Check.SYNTAX else f
            for f in findings
        ]

    def fallback_reason(self, display: str) -> str | None:
        """Why tree-sitter alone read this file although its toolchain is installed."""
        if display.lower().endswith(".jsx") and self.tools.node is not None:
            return JSX_NOTE
        return self.fallback.get(display)

    def describe(self, displays: Iterable[str]) -> dict[str, str]:
        """For each language of the run, which checker was used (and files it could not take).

        ``displays`` are all files of the run, cached ones included; files that fell back are
        never cached (see the engine), so the count holds on a warm cache too.
        """
        by_language: dict[Language, list[str]] = {}
        for display in displays:
            language = language_of(display)
            if language is not None and language is not Language.PYTHON:
                by_language.setdefault(language, []).append(display)
        out: dict[str, str] = {}
        for language in sorted(by_language, key=lambda lang: lang.value):
            text = self.tools.checker(language)
            names = by_language[language]
            reasons = [r for r in map(self.fallback_reason, names) if r is not None]
            if reasons and len(reasons) == len(names):
                text = reasons[0] if len(set(reasons)) == 1 else f"{reasons[0]} (and others)"
            elif reasons and not text.startswith("tree-sitter only"):
                text += f"; {len(reasons)} file(s) tree-sitter only (see their findings' notes)"
            out[language.value] = text
        return out


def check_files(root: Path, files: Mapping[str, Path], tools: Toolchains) -> ToolchainRun:
    """Run the installed toolchains over ``files`` (display name -> real path)."""
    run = ToolchainRun(tools)
    javascript = {d: p for d, p in files.items() if p.suffix.lower() in {".js", ".mjs", ".cjs"}}
    go = {d: p for d, p in files.items() if language_of(p) is Language.GO}
    if javascript and tools.node is not None:
        _node(root, javascript, tools, run)
    if go and tools.gofmt is not None:
        _gofmt(root, go, tools, run)
    return run


# --- node ------------------------------------------------------------------------------------


def _node(root: Path, files: Mapping[str, Path], tools: Toolchains, run: ToolchainRun) -> None:
    assert tools.node is not None
    by_real = {str(p): d for d, p in files.items()}
    items = [[str(p), _module_type(p, root)] for p in files.values()]
    argv = [tools.node, "--experimental-vm-modules", "--no-warnings", "-e", _NODE_SCRIPT]
    outcome = _run(argv, root, tools.sandboxed, json.dumps(items), 30 + len(items) // 10)
    if isinstance(outcome, str):
        for display in files:
            run.fallback[display] = f"tree-sitter only: node --check failed ({outcome})"
        return
    try:
        failed = json.loads(outcome.stdout) if outcome.returncode == 0 else None
    except json.JSONDecodeError:
        failed = None
    if not isinstance(failed, list):
        # A node that cannot run the checker must not read as a clean result.
        detail = (outcome.stderr or outcome.stdout).strip().splitlines()[-1:]
        why = detail[0][:160] if detail else f"exit {outcome.returncode}, no output"
        for display in files:
            run.fallback[display] = f"tree-sitter only: node --check failed ({why})"
        return
    for display in files:
        run.checked[display] = []
    rechecks = 0
    for real, mode, message, line, column in failed:
        if real not in by_real:
            continue
        display = by_real[real]
        if message.startswith("cannot read"):
            # A link out of the workspace, hidden by the sandbox.
            del run.checked[display]
            run.fallback[display] = f"tree-sitter only: node could not read it ({message[:120]})"
            continue
        if _holds_jsx(files[display]):
            del run.checked[display]
            run.fallback[display] = JSX_NOTE
            continue
        if not line and mode == "module" and rechecks < MAX_RECHECKS:
            rechecks += 1
            located = _node_check_location(tools, root, files[display])
            if located is not None:
                line, column, message = located
        run.checked[display] = [
            _syntax(display, files[display], "javascript", "node --check", message, line, column)
        ]


def _module_type(path: Path, root: Path) -> str:
    suffix = path.suffix.lower()
    if suffix == ".mjs":
        return "module"
    if suffix == ".cjs":
        return "commonjs"
    for directory in path.parents:
        manifest = directory / "package.json"
        if manifest.is_file():
            try:
                declared = json.loads(manifest.read_text(encoding="utf-8")).get("type")
            except (OSError, ValueError, AttributeError):
                declared = None
            return declared if declared in ("module", "commonjs") else "auto"
        if directory == root or not directory.is_relative_to(root):
            break
    return "auto"


def _node_check_location(tools: Toolchains, root: Path, path: Path) -> tuple[int, int, str] | None:
    assert tools.node is not None
    outcome = _run([tools.node, "--check", str(path)], root, tools.sandboxed, "", 30)
    if isinstance(outcome, str) or outcome.returncode == 0:
        return None
    lines = outcome.stderr.splitlines()
    where = _NODE_CHECK_LOCATION.match(lines[0]) if lines else None
    if where is None:
        return None
    caret = lines[2].find("^") if len(lines) > 2 else -1
    message = next((line for line in lines if re.match(r"^\w*Error:", line)), lines[-1])
    return int(where.group("line")), caret + 1, message


def _holds_jsx(path: Path) -> bool:
    try:
        tree = treesitter.parse(Language.JAVASCRIPT, path.read_bytes())
    except (OSError, GrammarUnavailableError):
        return False
    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        if node.type.startswith("jsx_"):
            return True
        stack.extend(node.named_children)
    return False


# --- gofmt -----------------------------------------------------------------------------------


def _gofmt(root: Path, files: Mapping[str, Path], tools: Toolchains, run: ToolchainRun) -> None:
    assert tools.gofmt is not None
    by_real = {str(p): d for d, p in files.items()}
    names = list(by_real)
    for start in range(0, len(names), _GOFMT_CHUNK):
        chunk = names[start : start + _GOFMT_CHUNK]
        outcome = _run([tools.gofmt, "-e", "-l", *chunk], root, tools.sandboxed, "", 60)
        if isinstance(outcome, str):
            for real in chunk:
                run.fallback[by_real[real]] = f"tree-sitter only: gofmt -e failed ({outcome})"
            continue
        found: dict[str, list[Finding]] = {by_real[real]: [] for real in chunk}
        unexplained: list[str] = []
        unreadable: dict[str, str] = {}
        for line in outcome.stderr.splitlines():
            match = _GOFMT_ERROR.match(line)
            display = by_real.get(match.group("file")) if match else None
            if match is None or display is None:
                other = _GOFMT_OTHER.match(line)
                if other is not None and other.group("file") in by_real:
                    unreadable[by_real[other.group("file")]] = other.group("message")[:120]
                else:
                    unexplained.append(line)
                continue
            if len(found[display]) < MAX_SYNTAX_FINDINGS:
                found[display].append(
                    _syntax(
                        display,
                        files[display],
                        "go",
                        "gofmt -e",
                        match.group("message"),
                        int(match.group("line")),
                        int(match.group("col")),
                    )
                )
        if outcome.returncode != 0 and not any(found.values()) and not unreadable:
            why = (unexplained[-1] if unexplained else f"exit {outcome.returncode}")[:160]
            for real in chunk:
                run.fallback[by_real[real]] = f"tree-sitter only: gofmt -e failed ({why})"
            continue
        for display, why in unreadable.items():
            # A file gofmt could not open (a link out of the workspace) is not a clean file.
            del found[display]
            run.fallback[display] = f"tree-sitter only: gofmt could not read it ({why})"
        run.checked.update(found)


# --- shared ----------------------------------------------------------------------------------


def _run(
    argv: list[str], root: Path, sandboxed: bool, stdin: str, timeout: int
) -> subprocess.CompletedProcess[str] | str:
    """The finished process, or why it could not run."""
    command = (
        sandbox_argv(argv, SandboxSpec(workspace=root, workspace_read_only=True))
        if sandboxed
        else argv
    )
    try:
        return subprocess.run(  # noqa: S603 - fixed toolchain argv; files are only parsed
            command,
            input=stdin,
            capture_output=True,
            text=True,
            errors="replace",
            timeout=timeout,
            check=False,
            cwd=root,
            env=sandbox_env(),
        )
    except subprocess.TimeoutExpired:
        return f"timed out after {timeout}s"
    except OSError as exc:
        return f"could not start: {exc}"


def _syntax(
    display: str, path: Path, language: str, tool: str, message: str, line: int, column: int
) -> Finding:
    text = ""
    if line > 0:
        try:
            lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
            text = lines[line - 1].strip() if line <= len(lines) else ""
        except OSError:
            text = ""
    return Finding(
        Check.SYNTAX,
        "syntax.error",
        Severity.HIGH,
        f"{language} syntax error ({tool}): {message}",
        display,
        max(line, 1),
        max(column, 1),
        text,
    )
