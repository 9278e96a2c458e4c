"""Shapes of well-kept libraries that the validator once flagged wrongly (issue 17).

Each test holds code shaped like what the pinned real-code benchmark
(benchmarks/validation/realcode.py) showed, and asserts nothing at medium or above; the
controls beside them keep the real problems reported.
"""

from __future__ import annotations

import json
from pathlib import Path

from claude_tui.validation import Finding, Severity, validate_path, validate_snippet


def severe(findings: list[Finding]) -> list[tuple[str, int, str]]:
    return [(f.rule, f.line, f.message) for f in findings if f.severity.at_least(Severity.MEDIUM)]


def test_python2_fallback_in_the_import_error_handler_is_quiet() -> None:
    code = (
        "try:\n"
        "    from http.server import HTTPServer, SimpleHTTPRequestHandler\n"
        "except ImportError:\n"
        "    from BaseHTTPServer import HTTPServer\n"
        "    from SimpleHTTPServer import SimpleHTTPRequestHandler\n"
        "try:\n"
        "    import threading\n"
        "except ImportError:\n"
        "    import dummy_threading as threading\n"
        "\n"
        "print(HTTPServer, SimpleHTTPRequestHandler, threading)\n"
    )
    assert severe(validate_snippet(code, "python").findings) == []


def test_imports_behind_an_availability_flag_or_in_else_are_quiet() -> None:
    code = (
        "has_fastjson = False\n"
        "try:\n"
        "    import fastjsonlib as json\n"
        "    has_fastjson = True\n"
        "except ImportError:\n"
        "    import json\n"
        "\n"
        "if has_fastjson:\n"
        "    from fastjsonlib import JSONDecodeError\n"
        "else:\n"
        "    from json import JSONDecodeError\n"
        "\n"
        "try:\n"
        "    from widgetcrypto import contrib\n"
        "except ImportError:\n"
        "    contrib = None\n"
        "else:\n"
        "    import widgetcrypto_backend\n"
        "\n"
        "def make_event():\n"
        "    if is_running_quietio():\n"
        "        import quietio\n"
        "        return quietio.Event()\n"
        "    return None\n"
        "\n"
        "def is_running_quietio():\n"
        "    return False\n"
        "\n"
        "print(json, JSONDecodeError, contrib, widgetcrypto_backend)\n"
    )
    assert severe(validate_snippet(code, "python").findings) == []


def test_type_checking_imports_are_quiet_but_runtime_ones_are_not() -> None:
    code = (
        "from __future__ import annotations\n"
        "import typing\n"
        "from typing import TYPE_CHECKING\n"
        "\n"
        "if TYPE_CHECKING:\n"
        "    from _typeshed.wsgi import WSGIApplication\n"
        "    import quietio\n"
        "if typing.TYPE_CHECKING:\n"
        "    from _typeshed import StrPath\n"
        "else:\n"
        "    import inventedruntimelib\n"
        "\n"
        "def serve(app: WSGIApplication, path: StrPath, ev: quietio.Event) -> None:\n"
        "    print(app, path, ev, inventedruntimelib)\n"
    )
    found = severe(validate_snippet(code, "python").findings)
    assert [(rule, line) for rule, line, _ in found] == [("imports.unresolved", 11)]


def test_typeshed_at_runtime_is_still_reported() -> None:
    found = severe(validate_snippet("from _typeshed import StrPath\n", "python").findings)
    assert [rule for rule, _, _ in found] == ["imports.unresolved"]


def test_version_and_platform_checks_are_quiet() -> None:
    code = (
        "import platform\n"
        "import sys\n"
        "\n"
        "PY_3_14_PLUS = sys.version_info[:2] >= (3, 14)\n"
        "if PY_3_14_PLUS:\n"
        "    import annotationlib\n"
        "    get_annotations = annotationlib.get_annotations\n"
        "\n"
        "def implementation_version() -> str:\n"
        "    implementation = platform.python_implementation()\n"
        '    if implementation == "PyPy":\n'
        "        info = sys.pypy_version_info\n"
        '        return f"{info.major}.{info.minor}"\n'
        "    return platform.python_version()\n"
    )
    assert severe(validate_snippet(code, "python").findings) == []


def test_an_unguarded_missing_attribute_is_still_reported() -> None:
    found = severe(
        validate_snippet("import sys\nprint(sys.pypy_version_info)\n", "python").findings
    )
    assert [rule for rule, _, _ in found] == ["names.missing-attribute"]


def test_nested_package_json_declares_the_dependencies(tmp_path: Path) -> None:
    # An npm tarball unpacks into ``package/``: its manifest is one folder down.
    package = tmp_path / "package"
    (package / "lib").mkdir(parents=True)
    manifest = {"name": "webkit", "dependencies": {"body-parser": "1", "debug": "2"}}
    (package / "package.json").write_text(json.dumps(manifest))
    (package / "lib" / "app.js").write_text(
        "var bodyParser = require('body-parser');\n"
        "var debug = require('debug')('app');\n"
        "var invented = require('left-padder-pro');\n"
        "module.exports = { bodyParser, debug, invented };\n"
    )
    found = severe(validate_path(tmp_path, execute=False).findings)
    assert [(rule, line) for rule, line, _ in found] == [("imports.unresolved", 3)]


def test_workspace_member_pyproject_and_nested_requirements_declare(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.uv.workspace]\nmembers = ["packages/*"]\n')
    member = tmp_path / "packages" / "billing"
    (member / "src" / "billing").mkdir(parents=True)
    (member / "pyproject.toml").write_text(
        '[project]\nname = "billing"\ndependencies = ["ledgerkit>=2"]\n'
    )
    (member / "src" / "billing" / "__init__.py").write_text(
        "import ledgerkit\n\nprint(ledgerkit)\n"
    )
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "requirements.txt").write_text("pretendlib\n")
    (tmp_path / "tests" / "test_billing.py").write_text("import pretendlib\n\nprint(pretendlib)\n")
    (tmp_path / "dev-requirements.txt").write_text("quietio==1\n")
    (tmp_path / "tools.py").write_text("import quietio\n\nprint(quietio)\n")
    assert severe(validate_path(tmp_path, execute=False).findings) == []


def test_declaration_file_importing_the_js_it_describes_resolves(tmp_path: Path) -> None:
    (tmp_path / "package.json").write_text('{"name": "cmdline"}')
    (tmp_path / "typings").mkdir()
    (tmp_path / "typings" / "index.d.ts").write_text("export declare function run(): void;\n")
    (tmp_path / "typings" / "esm.d.mts").write_text("export * from './index.js';\n")
    assert severe(validate_path(tmp_path, execute=False).findings) == []


def test_unresolved_import_says_what_is_known(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "demo"\ndependencies = []\n')
    (tmp_path / "app.py").write_text("import OpenSSL\nimport fastjsonparserx\n")
    found = {f.line: f.message for f in validate_path(tmp_path, execute=False).findings}
    assert "not installed" in found[1]
    assert "not declared in pyproject.toml" in found[1]
    assert "`pyopenssl`" in found[1]
    assert "may not exist" not in found[1]
    assert "not declared in pyproject.toml" in found[2]
    assert "may not exist" in found[2]


def test_comment_leading_the_code_after_an_elif_chain_is_quiet() -> None:
    code = (
        "def build_headers(request, host, port, default_port):\n"
        '    if "host" in request.headers:\n'
        "        headers = []\n"
        "    elif port == default_port:\n"
        '        headers = [(b"host", host.encode())]\n'
        "    else:\n"
        '        headers = [(b"host", f"{host}:{port}".encode())]\n'
        "\n"
        "    # Include other request headers.\n"
        "    headers += [(k.lower().encode(), v.encode()) for k, v in request.headers.items()]\n"
        "    return headers\n"
    )
    assert severe(validate_snippet(code, "python").findings) == []


def test_comment_closing_an_elif_branch_is_still_elided_code() -> None:
    code = (
        "def route(kind, event):\n"
        '    if kind == "key":\n'
        "        on_key(event)\n"
        '    elif kind == "mouse":\n'
        "        on_mouse(event)\n"
        "        # handle the other devices similarly\n"
        "\n"
        "def on_key(event):\n"
        "    print(event)\n"
        "\n"
        "def on_mouse(event):\n"
        "    print(event)\n"
    )
    found = severe(validate_snippet(code, "python").findings)
    assert [(rule, line) for rule, line, _ in found] == [("placeholder.elided-code", 6)]


def test_comments_quoting_or_crediting_original_code_are_quiet() -> None:
    python = (
        "def flash(session, message, category):\n"
        "    # Original implementation:\n"
        "    #\n"
        "    #     session.setdefault('_flashes', []).append((category, message))\n"
        "    #\n"
        "    # That mutated the session in place, which some backends never saw.\n"
        "    flashes = session.get('_flashes', [])\n"
        "    flashes.append((category, message))\n"
        "    session['_flashes'] = flashes\n"
    )
    javascript = (
        "// original code\n"
        "// https://example.org/promise-lib/blob/main/lib/utils.js#L11-L34\n"
        "const nextTick = (fn) => Promise.resolve().then(fn);\n"
        "module.exports = { nextTick };\n"
    )
    assert severe(validate_snippet(python, "python").findings) == []
    assert severe(validate_snippet(javascript, "javascript").findings) == []


def test_interface_methods_with_nothing_to_do_are_quiet() -> None:
    code = (
        "from __future__ import annotations\n"
        "import typing\n"
        "\n"
        "if typing.TYPE_CHECKING:\n"
        "    from .base import BaseConnection\n"
        "\n"
        "class BrowserConnection:\n"
        "    def __init__(self, host: str, port: int) -> None:\n"
        "        self.host = host\n"
        "        self.port = port\n"
        "\n"
        "    def set_tunnel(self, host: str, port: int | None = 0) -> None:\n"
        "        pass\n"
        "\n"
        "    def connect(self) -> None:\n"
        "        pass\n"
        "\n"
        "    def request(self, method: str, url: str) -> str:\n"
        '        return f"{method} {url} via {self.host}:{self.port}"\n'
        "\n"
        "if typing.TYPE_CHECKING:\n"
        '    _supports_protocol: BaseConnection = BrowserConnection("", 0)\n'
    )
    found = severe(validate_snippet(code, "python").findings)
    assert [rule for rule, _, _ in found if rule.startswith("placeholder")] == []


def test_probes_and_cleanup_that_ignore_failures_are_quiet() -> None:
    code = (
        "import socket\n"
        "\n"
        "def has_ipv6(host: str) -> bool:\n"
        "    sock = None\n"
        "    supported = False\n"
        "    if socket.has_ipv6:\n"
        "        try:\n"
        "            sock = socket.socket(socket.AF_INET6)\n"
        "            sock.bind((host, 0))\n"
        "            supported = True\n"
        "        except Exception:\n"
        "            pass\n"
        "    if sock:\n"
        "        sock.close()\n"
        "    return supported\n"
        "\n"
        "class Session:\n"
        "    def __init__(self, conn) -> None:\n"
        "        self.conn = conn\n"
        "        self.pending = []\n"
        "\n"
        "    def close(self) -> None:\n"
        "        try:\n"
        "            self.conn.goodbye()\n"
        "            if data := self.conn.pending_bytes():\n"
        "                self.conn.send(data)\n"
        "        except Exception:\n"
        "            pass\n"
        "        self.pending = []\n"
    )
    assert severe(validate_snippet(code, "python").findings) == []


def test_swallowing_every_error_around_real_work_is_still_reported() -> None:
    code = (
        "def import_orders(rows, db):\n"
        "    count = 0\n"
        "    try:\n"
        "        for row in rows:\n"
        "            db.insert(row)\n"
        "        db.commit()\n"
        "    except Exception:\n"
        "        pass\n"
        "    return count\n"
    )
    found = severe(validate_snippet(code, "python").findings)
    assert [rule for rule, _, _ in found] == ["placeholder.swallowed-error"]


def test_host_builtins_probed_in_a_try_are_quiet() -> None:
    code = (
        "import sys\n"
        "\n"
        "def in_notebook() -> bool:\n"
        "    try:\n"
        "        get_ipython\n"
        "    except NameError:\n"
        "        return False\n"
        "    shell = get_ipython().__class__.__name__\n"
        '    return shell == "ZMQInteractiveShell"\n'
        "\n"
        "def install_hook():\n"
        "    try:\n"
        "        ip = get_ipython()\n"
        "    except Exception:\n"
        "        return sys.excepthook\n"
        "    else:\n"
        "        from IPython.core.formatters import BaseFormatter\n"
        "        return ip, BaseFormatter\n"
    )
    found = severe(validate_snippet(code, "python").findings)
    assert found == []
    assert severe(validate_snippet("print(get_ipythonx())\n", "python").findings) != []


def test_findings_in_tests_and_benchmarks_are_down_ranked_not_dropped(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "demo"\n')
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_tls.py").write_text("import trustmelib\n\nprint(trustmelib)\n")
    (tmp_path / "lib" / "benchmarks").mkdir(parents=True)
    (tmp_path / "lib" / "benchmarks" / "run.js").write_text(
        "function bench(fn) {\n  try {\n    fn();\n  } catch (e) {}\n}\nmodule.exports = bench;\n"
    )
    report = validate_path(tmp_path, execute=False)
    assert severe(report.findings) == []
    low = {(f.path, f.rule) for f in report.findings if f.severity is Severity.LOW}
    assert ("tests/test_tls.py", "imports.unresolved") in low
    assert ("lib/benchmarks/run.js", "placeholder.swallowed-error") in low


def test_attributes_bound_by_a_lazy_importer_are_quiet(tmp_path: Path) -> None:
    # The project's own environment holds a package whose submodule binds names lazily.
    site = tmp_path / ".venv" / "lib" / "python3.11" / "site-packages"
    (site / "lazyfw" / "abc").mkdir(parents=True)
    (tmp_path / ".venv" / "pyvenv.cfg").write_text("home = /usr/bin\n")
    (site / "lazyfw" / "__init__.py").write_text("")
    (site / "lazyfw" / "_lazy.py").write_text(
        "def install_lazy_importer():\n    return True\n\n"
        "def set_deprecated_aliases(table):\n    return table\n"
    )
    (site / "lazyfw" / "abc" / "__init__.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "from .._lazy import install_lazy_importer, set_deprecated_aliases\n"
        "\n"
        "if TYPE_CHECKING or not install_lazy_importer():\n"
        "    set_deprecated_aliases({'Portal': 'lazyfw.portal.Portal'})\n"
    )
    (site / "lazyfw" / "plain.py").write_text("VALUE = 1\n")
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "app"\ndependencies = ["lazyfw"]\n')
    (tmp_path / "app.py").write_text(
        "import lazyfw.abc\nimport lazyfw.plain\n\n"
        "print(lazyfw.abc.Portal)\nprint(lazyfw.plain.VALUEX)\n"
    )
    found = severe(validate_path(tmp_path, execute=False).findings)
    assert [(rule, line) for rule, line, _ in found] == [("names.missing-attribute", 5)]


def test_empty_catch_in_a_file_that_turns_off_no_empty_is_low() -> None:
    code = (
        "async function setLength(headers, data) {\n"
        "  try {\n"
        "    const known = await data.getLength();\n"
        "    headers.setContentLength(known);\n"
        "    /*eslint no-empty:0*/\n"
        "  } catch (e) {\n"
        "  }\n"
        "}\n"
        "module.exports = { setLength };\n"
    )
    report = validate_snippet(code, "javascript")
    assert severe(report.findings) == []
    assert [f.rule for f in report.findings] == ["placeholder.swallowed-error"]
    plain = code.replace("    /*eslint no-empty:0*/\n", "")
    assert [r for r, _, _ in severe(validate_snippet(plain, "javascript").findings)] == [
        "placeholder.swallowed-error"
    ]


def test_the_other_cases_left_out_after_an_open_elif_chain_are_elided_code() -> None:
    code = (
        "def apply(item, event, actor):\n"
        '    if event == "submit":\n'
        '        item["status"] = "submitted"\n'
        '    elif event == "approve":\n'
        '        item["status"] = "approved"\n'
        "    # similar for the other events\n"
        '    item.setdefault("history", []).append((event, actor))\n'
        "    return item\n"
    )
    found = severe(validate_snippet(code, "python").findings)
    assert [(rule, line) for rule, line, _ in found] == [("placeholder.elided-code", 6)]
