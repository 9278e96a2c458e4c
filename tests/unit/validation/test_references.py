"""Invented imports and names: resolved against the environment, the project, its manifests."""

from __future__ import annotations

import json
from pathlib import Path

from claude_tui.validation import Check, Severity, validate_path, validate_snippet


def rules(report_findings: list, minimum: Severity = Severity.MEDIUM) -> list[str]:  # type: ignore[type-arg]
    return [f.rule for f in report_findings if f.severity.at_least(minimum)]


def test_invented_package_is_high() -> None:
    report = validate_snippet("import fastjsonparserx\n\nfastjsonparserx.load('x')\n", "python")
    assert ("imports.unresolved", Severity.HIGH) in [(f.rule, f.severity) for f in report.findings]


def test_stdlib_installed_and_declared_imports_resolve(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "demo"\ndependencies = ["some-declared-lib>=1", "PyYAML"]\n'
    )
    (tmp_path / "helpers.py").write_text("VALUE = 1\n")
    code = (
        "import json\nimport httpx\nimport some_declared_lib\nimport yaml\n"
        "from helpers import VALUE\n\nprint(json, httpx, some_declared_lib, yaml, VALUE)\n"
    )
    report = validate_snippet(code, "python", project_root=tmp_path)
    assert rules(report.findings, Severity.LOW) == []


def test_requirements_txt_declares_dependencies(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("# deps\nacme-widgets==2.0  # pinned\n")
    report = validate_snippet("import acme_widgets\n", "python", project_root=tmp_path)
    assert report.findings == []


def test_optional_import_guarded_by_import_error_is_low() -> None:
    code = "try:\n    import ujsonx as json\nexcept ImportError:\n    import json\n\nprint(json)\n"
    report = validate_snippet(code, "python")
    assert [(f.rule, f.severity) for f in report.findings] == [
        ("imports.optional-missing", Severity.LOW)
    ]


def test_names_that_do_not_exist_in_a_module_are_reported() -> None:
    code = (
        "import json\nfrom collections import OrderedDictionary\n\n"
        "print(json.loads_fast('{}'), OrderedDictionary)\n"
    )
    report = validate_snippet(code, "python", checks=[Check.NAMES])
    found = {(f.rule, f.severity) for f in report.findings}
    assert ("names.missing-import-name", Severity.HIGH) in found
    assert ("names.missing-attribute", Severity.HIGH) in found


def test_real_names_and_submodules_are_accepted() -> None:
    code = (
        "import os\nimport os.path\nimport json\nimport importlib\nfrom collections import abc\n"
        "from re import IGNORECASE\n\n"
        "print(os.path.join('a'), os.getcwd(), json.dumps({}), importlib.util, abc, IGNORECASE)\n"
    )
    report = validate_snippet(code, "python")
    assert report.findings == []


def test_undefined_names_come_from_ruff() -> None:
    report = validate_snippet("def f():\n    return compute_total(3)\n", "python")
    assert [(f.rule, f.line) for f in report.findings] == [("names.undefined", 2)]
    assert "F821" in report.findings[0].message


def test_javascript_imports_resolve_against_package_json(tmp_path: Path) -> None:
    (tmp_path / "package.json").write_text(json.dumps({"dependencies": {"express": "^4"}}))
    (tmp_path / "lib.js").write_text("export const x = 1;\n")
    source = tmp_path / "app.js"
    source.write_text(
        "import express from 'express';\nimport fs from 'node:fs';\nimport path from 'path';\n"
        "import { x } from './lib.js';\nimport magic from 'express-magic-router';\n"
        "const y = require('./missing');\n"
    )
    report = validate_path(source)
    found = [(f.rule, f.line) for f in report.findings]
    assert found == [("imports.unresolved", 5), ("imports.unresolved", 6)]


def test_go_imports_resolve_against_go_mod(tmp_path: Path) -> None:
    (tmp_path / "go.mod").write_text(
        "module example.com/app\n\ngo 1.22\n\nrequire (\n\tgithub.com/spf13/cobra v1.8.0\n)\n"
    )
    (tmp_path / "internal" / "db").mkdir(parents=True)
    source = tmp_path / "main.go"
    source.write_text(
        'package main\n\nimport (\n\t"fmt"\n\t"net/http"\n\t"example.com/app/internal/db"\n'
        '\t"github.com/spf13/cobra"\n\t"github.com/acme/fastrouter"\n'
        '\t"example.com/app/internal/cache"\n)\n\n'
        "func main() { fmt.Println(http.StatusOK, db.X, cobra.Command{}, cache.Y) }\n"
    )
    report = validate_path(source)
    assert [(f.rule, f.line) for f in report.findings] == [
        ("imports.unresolved", 8),
        ("imports.unresolved", 9),
    ]


def test_relative_python_import_to_a_missing_module(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "real.py").write_text("X = 1\n")
    (package / "use.py").write_text("from .real import X\nfrom .ghost import Y\n\nprint(X, Y)\n")
    report = validate_path(tmp_path)
    assert [(f.path, f.rule) for f in report.findings] == [
        ("pkg/use.py", "imports.unresolved-relative")
    ]


def test_an_import_expected_to_fail_is_not_an_invented_package() -> None:
    code = (
        "import pytest\n\n\ndef test_missing():\n    with pytest.raises(ImportError):\n"
        "        import definitely_missing_modulezz\n"
    )
    report = validate_snippet(code, "python")
    assert [(f.rule, f.severity) for f in report.findings] == [
        ("imports.optional-missing", Severity.LOW)
    ]
