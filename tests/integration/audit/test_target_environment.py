"""Dependencies and licenses are those of the audited project: its manifests and locks, and
its own virtualenv when it has one; never the environment the audit itself runs in."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from claude_tui.audit.dependencies import collect_packages
from claude_tui.audit.options import AuditOptions
from claude_tui.audit.policy import Policy
from claude_tui.audit.project import Project
from claude_tui.audit.reporting import render_json
from claude_tui.audit.runner import AuditReport, run_audit

# Tools installed beside the audit, never dependencies of the projects below.
OUR_TOOLS = ("pyinstaller", "yamllint", "bandit", "detect-secrets", "pip-audit")


def _advisories(directory: Path) -> Path:
    """Advisories for the audited pins and for tools of our own environment."""
    directory.mkdir()
    records = [
        ("PyPI", "jinja2", "3.1.5"),
        ("PyPI", "pyinstaller", "99.0"),
        ("PyPI", "yamllint", "99.0"),
        ("Go", "golang.org/x/net", "0.23.0"),
        ("crates.io", "smallvec", "1.6.1"),
        ("npm", "lodash", "4.17.21"),
    ]
    for n, (ecosystem, name, fixed) in enumerate(records):
        record = {
            "id": f"TEST-ENV-{n}",
            "summary": f"{name} is vulnerable",
            "database_specific": {"severity": "HIGH"},
            "affected": [
                {
                    "package": {"ecosystem": ecosystem, "name": name},
                    "ranges": [
                        {"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": fixed}]}
                    ],
                }
            ],
        }
        (directory / f"{n}.json").write_text(json.dumps(record))
    return directory


def _checkout(root: Path, name: str) -> Path:
    root.mkdir()
    (root / "pyproject.toml").write_text(
        textwrap.dedent(
            f"""\
            [project]
            name = "{name}"
            version = "8.1.7"
            dependencies = [
                "colorama==0.4.6",
                "jinja2>=3",
            ]
            """
        )
    )
    (root / "requirements-dev.txt").write_text(
        "# pinned for the docs build\nsphinx==7.2.6\njinja2==3.1.4  # via sphinx\n"
    )
    return root


def _audit(root: Path, tmp: Path, **options: object) -> AuditReport:
    return run_audit(
        root,
        Policy(),
        AuditOptions(  # type: ignore[arg-type]
            online=False,
            advisories=_advisories(tmp / "advisories"),
            only=("dependencies", "licenses"),
            **options,
        ),
    )


@pytest.mark.parametrize("name", ["click", "claude-tui"])
def test_a_checkout_named_like_our_own_distributions_is_audited_on_its_manifests(
    tmp_path: Path, name: str
) -> None:
    report = _audit(_checkout(tmp_path / name, name), tmp_path)
    rendered = render_json(report).lower()
    for tool in OUR_TOOLS:
        assert tool not in rendered, tool
    by_scanner = {o.scanner: o for o in report.outcomes}
    deps = by_scanner["dependencies"]
    assert deps.status.value == "completed"
    assert [(f.rule_id, f.path, f.line) for f in deps.findings] == [
        ("TEST-ENV-0", "requirements-dev.txt", 3)
    ]
    assert "installed" not in deps.reason
    # No metadata for the pins offline: the licenses are not checked, and the report says so.
    licenses = by_scanner["licenses"]
    assert licenses.status.value == "not checked"
    assert "3 pinned" in licenses.reason
    assert report.exit_code == 2


def test_licenses_come_from_the_metadata_of_exactly_the_pins(tmp_path: Path) -> None:
    root = _checkout(tmp_path / "click", "click")
    cache = tmp_path / "metadata"
    cache.mkdir()
    for dist, version, license_line in [
        ("colorama", "0.4.6", "License-Expression: BSD-3-Clause"),
        ("Sphinx", "7.2.6", "License-Expression: BSD-2-Clause"),
        ("Jinja2", "3.1.4", "License-Expression: GPL-3.0-only"),  # made up, to be denied
        ("Jinja2", "3.1.5", "License-Expression: MIT"),  # not the pinned version
    ]:
        (cache / f"{dist}-{version}.metadata").write_text(
            f"Metadata-Version: 2.4\nName: {dist}\nVersion: {version}\n{license_line}\n"
        )
    report = _audit(root, tmp_path, license_metadata=cache)
    licenses = next(o for o in report.outcomes if o.scanner == "licenses")
    assert licenses.status.value == "completed", licenses.reason
    assert [(f.rule_id, f.path, f.line, f.properties["package"]) for f in licenses.findings] == [
        ("license-deny", "requirements-dev.txt", 3, "Jinja2")
    ]


@pytest.mark.sandbox
def test_the_projects_own_virtualenv_is_read_when_it_has_one(tmp_path: Path) -> None:
    root = _checkout(tmp_path / "click", "click")
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", str(root / ".venv")],
        check=True,
        capture_output=True,
    )
    report = _audit(root, tmp_path)
    deps = next(o for o in report.outcomes if o.scanner == "dependencies")
    assert "installed Python distributions" in deps.reason
    rendered = render_json(report).lower()
    assert "pyinstaller" not in rendered


LOCKS = {
    "poetry.lock": (
        '[[package]]\nname = "requests"\nversion = "2.31.0"\ndescription = "HTTP"\n\n'
        '[[package]]\nname = "urllib3"\nversion = "2.0.7"\n'
    ),
    "uv.lock": (
        'version = 1\n\n[[package]]\nname = "click"\nversion = "8.1.7"\n'
        'source = { editable = "." }\n\n'
        '[[package]]\nname = "idna"\nversion = "3.6"\n'
        'source = { registry = "https://pypi.org/simple" }\n'
    ),
    "Pipfile.lock": json.dumps(
        {"_meta": {}, "default": {"certifi": {"version": "==2024.2.2"}}, "develop": {}},
        indent=4,
    ),
    "go.mod": (
        "module example.com/app\n\ngo 1.22\n\nrequire (\n"
        "\tgolang.org/x/net v0.17.0\n\tgithub.com/pkg/errors v0.9.1 // indirect\n)\n"
        "require golang.org/x/text v0.14.0\n"
    ),
    "Cargo.lock": (
        'version = 3\n\n[[package]]\nname = "app"\nversion = "0.1.0"\n\n'
        '[[package]]\nname = "smallvec"\nversion = "1.6.0"\n'
        'source = "registry+https://github.com/rust-lang/crates.io-index"\n'
    ),
    "yarn/yarn.lock": (
        "# THIS IS AN AUTOGENERATED FILE.\n# yarn lockfile v1\n\n\n"
        '"@babel/code-frame@^7.0.0", "@babel/code-frame@^7.10.4":\n'
        '  version "7.12.13"\n  resolved "https://registry.yarnpkg.com/x.tgz"\n\n'
        'minimist@^1.2.0:\n  version "1.2.5"\n'
    ),
    "berry/yarn.lock": (
        '__metadata:\n  version: 6\n\n"app@workspace:.":\n  version: 0.0.0-use.local\n\n'
        '"ms@npm:^2.1.1":\n  version: 2.1.2\n'
    ),
    "pnpm/pnpm-lock.yaml": (
        "lockfileVersion: '9.0'\n\nimporters:\n  .:\n    dependencies:\n"
        "      debug:\n        specifier: ^4.0.0\n        version: 4.3.4\n\npackages:\n\n"
        "  debug@4.3.4:\n    resolution: {integrity: sha512-x}\n\n"
        "  '@types/node@20.11.0':\n    resolution: {integrity: sha512-y}\n"
    ),
    "web/package-lock.json": json.dumps(
        {
            "name": "web",
            "lockfileVersion": 3,
            "packages": {
                "": {"name": "web"},
                "node_modules/lodash": {"version": "4.17.20", "license": "MIT"},
            },
        },
        indent=2,
    ),
}


def test_every_kind_of_lock_is_read_with_file_and_line(tmp_path: Path) -> None:
    for rel, text in LOCKS.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    packages, _ = collect_packages(Project.open(tmp_path, Policy()), AuditOptions())
    found = {(p.ecosystem, p.name, p.version, p.source, p.line) for p in packages}
    assert found == {
        ("PyPI", "requests", "2.31.0", "poetry.lock", 2),
        ("PyPI", "urllib3", "2.0.7", "poetry.lock", 7),
        ("PyPI", "idna", "3.6", "uv.lock", 9),
        ("PyPI", "certifi", "2024.2.2", "Pipfile.lock", 4),
        ("Go", "golang.org/x/net", "v0.17.0", "go.mod", 6),
        ("Go", "github.com/pkg/errors", "v0.9.1", "go.mod", 7),
        ("Go", "golang.org/x/text", "v0.14.0", "go.mod", 9),
        ("crates.io", "smallvec", "1.6.0", "Cargo.lock", 8),
        ("npm", "lodash", "4.17.20", "web/package-lock.json", 8),
        ("npm", "@babel/code-frame", "7.12.13", "yarn/yarn.lock", 5),
        ("npm", "minimist", "1.2.5", "yarn/yarn.lock", 9),
        ("npm", "ms", "2.1.2", "berry/yarn.lock", 7),
        ("npm", "debug", "4.3.4", "pnpm/pnpm-lock.yaml", 12),
        ("npm", "@types/node", "20.11.0", "pnpm/pnpm-lock.yaml", 15),
    }


def test_cli_license_metadata_option(tmp_path: Path) -> None:
    import typer
    from typer.testing import CliRunner

    from claude_tui.cli import audit_cmd

    app = typer.Typer()
    audit_cmd.register(app)
    app.command("unused", hidden=True)(lambda: None)  # keeps Typer in multi-command mode
    root = _checkout(tmp_path / "click", "click")
    runner = CliRunner()
    missing = runner.invoke(
        app, ["audit", str(root), "--offline", "--license-metadata", str(tmp_path / "nope")]
    )
    assert missing.exit_code == 2
    assert "--license-metadata" in missing.output
    assert "Traceback" not in missing.output
    cache = tmp_path / "meta"
    cache.mkdir()
    for dist, version in [("colorama", "0.4.6"), ("sphinx", "7.2.6"), ("jinja2", "3.1.4")]:
        (cache / f"{dist}-{version}.metadata").write_text(
            f"Metadata-Version: 2.1\nName: {dist}\nVersion: {version}\n"
            "Classifier: License :: OSI Approved :: BSD License\n"
        )
    args = ["audit", str(root), "--offline", "--only", "licenses", "--format", "json"]
    result = runner.invoke(app, [*args, "--license-metadata", str(cache)])
    (scanner,) = json.loads(result.stdout)["scanners"]
    assert (scanner["status"], scanner["reason"]) == ("completed", "3 pinned packages")


@pytest.mark.sandbox
def test_with_a_virtualenv_the_npm_and_go_pins_still_count(tmp_path: Path) -> None:
    root = _checkout(tmp_path / "click", "click")
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", str(root / ".venv")],
        check=True,
        capture_output=True,
    )
    (root / "web").mkdir()
    (root / "web" / "package-lock.json").write_text(LOCKS["web/package-lock.json"])
    (root / "go.mod").write_text(LOCKS["go.mod"])
    report = _audit(root, tmp_path)
    licenses = next(o for o in report.outcomes if o.scanner == "licenses")
    # lodash declares MIT in the lockfile; go.mod says nothing about licenses: not checked.
    assert licenses.status.value == "not checked"
    assert licenses.reason.startswith("3 of 4 pinned packages not checked")
    assert "golang.org/x/net v0.17.0" in licenses.reason
