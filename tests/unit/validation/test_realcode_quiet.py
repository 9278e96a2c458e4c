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
