"""The audited repository does not choose gitleaks' rules: ours always apply, its allow-list
only on request, and the report says which of its entries were used."""

from __future__ import annotations

import json
import secrets
from pathlib import Path

import typer
from typer.testing import CliRunner

from claude_tui.audit.options import AuditOptions
from claude_tui.audit.policy import Policy
from claude_tui.audit.reporting import render_text
from claude_tui.audit.runner import run_audit
from claude_tui.audit.tools import find_tool
from claude_tui.cli import audit_cmd
from servers import unavailable


def _shopify_token() -> str:
    # A provider only gitleaks knows, so the finding shows gitleaks itself ran with our rules.
    return "shpat_" + secrets.token_hex(16)


def _need_gitleaks() -> None:
    if find_tool("gitleaks") is None:
        unavailable("gitleaks is not installed (.ci/setup.d/50-audit.sh installs it)")


def _gitleaks_findings(root: Path, **options: object) -> tuple[list[tuple[str, int | None]], str]:
    report = run_audit(root, Policy(), AuditOptions(online=False, only=("secrets",), **options))  # type: ignore[arg-type]
    (outcome,) = report.outcomes
    found = [(f.path or "", f.line) for f in outcome.findings if f.rule_id.startswith("gitleaks.")]
    return found, render_text(report)


def test_a_repository_allow_listing_everything_does_not_silence_gitleaks(tmp_path: Path) -> None:
    _need_gitleaks()
    (tmp_path / ".gitleaks.toml").write_text('[allowlist]\npaths = [""".*"""]\n')
    (tmp_path / "deploy.sh").write_text(f"export SHOP={_shopify_token()}\n")
    found, text = _gitleaks_findings(tmp_path)
    assert found == [("deploy.sh", 1)]
    assert ".gitleaks.toml" in text
    assert "not applied" in text


def test_respect_repo_config_merges_only_the_allow_list_and_lists_it(tmp_path: Path) -> None:
    _need_gitleaks()
    (tmp_path / ".gitleaks.toml").write_text(
        "[extend]\nuseDefault = false\n"
        '[[rules]]\nid = "nothing"\nregex = """zzzz-never"""\n'
        '[allowlist]\ndescription = "vendored"\npaths = ["""^vendor/"""]\n'
    )
    (tmp_path / "vendor").mkdir()
    (tmp_path / "vendor" / "lib.sh").write_text(f"SHOP={_shopify_token()}\n")
    (tmp_path / "app.sh").write_text(f"SHOP={_shopify_token()}\n")
    found, text = _gitleaks_findings(tmp_path, respect_repo_config=True)
    # Its own rule set (no defaults, one useless rule) is ignored; its allow-list is applied.
    assert found == [("app.sh", 1)]
    assert "^vendor/" in text


def test_cli_flag_respect_repo_config(tmp_path: Path) -> None:
    _need_gitleaks()
    (tmp_path / ".gitleaks.toml").write_text('[[allowlists]]\npaths = ["""^vendor/"""]\n')
    (tmp_path / "vendor").mkdir()
    (tmp_path / "vendor" / "lib.sh").write_text(f"SHOP={_shopify_token()}\n")
    app = typer.Typer()
    audit_cmd.register(app)
    app.command("unused", hidden=True)(lambda: None)  # keeps Typer in multi-command mode
    runner = CliRunner()
    args = ["audit", str(tmp_path), "--offline", "--only", "secrets", "--format", "json"]
    plain = json.loads(runner.invoke(app, args).stdout)
    respected = json.loads(runner.invoke(app, [*args, "--respect-repo-config"]).stdout)
    assert [f["path"] for f in plain["findings"]] == ["vendor/lib.sh"]
    assert respected["findings"] == []
    (scanner,) = respected["scanners"]
    assert "^vendor/" in scanner["reason"]


def test_a_kubernetes_secret_is_reported_at_the_secrets_line(tmp_path: Path) -> None:
    _need_gitleaks()
    import base64

    value = base64.b64encode(secrets.token_urlsafe(18).encode()).decode()
    (tmp_path / "secret.yaml").write_text(
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ntype: Opaque\ndata:\n"
        f"  username: YWRtaW4=\n  password: {value}\n"
    )
    report = run_audit(tmp_path, Policy(), AuditOptions(online=False, only=("secrets",)))
    (outcome,) = report.outcomes
    # gitleaks' match starts at "kind: Secret"; the person fixing it needs the password's line.
    assert {f.line for f in outcome.findings} == {8}


def test_a_certificate_and_filler_tokens_are_not_secrets(tmp_path: Path) -> None:
    _need_gitleaks()
    import base64

    certificate = (
        "-----BEGIN CERTIFICATE-----\n"
        + "\n".join(secrets.token_urlsafe(48) for _ in range(6))
        + "\n-----END CERTIFICATE-----\n"
    )
    crt = base64.b64encode(certificate.encode()).decode()
    (tmp_path / "ca.yaml").write_text(
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: trust\ntype: Opaque\n"
        f"data:\n  ca.crt: {crt}\n"
    )
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "tokens.py").write_text('FAKE_KEY = "sk-ant-api03-' + "X" * 93 + 'AA"\n')
    report = run_audit(tmp_path, Policy(), AuditOptions(online=False, only=("secrets",)))
    (outcome,) = report.outcomes
    # A certificate is public and the all-X key is filler: neither is a finding.
    assert outcome.findings == []


def test_an_openssh_private_key_is_a_secret_despite_its_runs_of_zero_bytes(
    tmp_path: Path,
) -> None:
    _need_gitleaks()
    import base64

    # An OpenSSH key's binary header and padding are zero bytes: long runs of "A" in base64.
    body = base64.b64encode(
        b"openssh-key-v1\x00" + b"\x00" * 12 + secrets.token_bytes(300) + b"\x00" * 9
    ).decode()
    lines = [body[i : i + 70] for i in range(0, len(body), 70)]
    # The armour is assembled so that the repository's own audit finds no key in this file.
    armour = "OPENSSH " + "PRIVATE KEY-----"
    (tmp_path / "deploy_key").write_text(
        f"-----BEGIN {armour}\n" + "\n".join(lines) + f"\n-----END {armour}\n"
    )
    report = run_audit(tmp_path, Policy(), AuditOptions(online=False, only=("secrets",)))
    (outcome,) = report.outcomes
    assert [f.path for f in outcome.findings] == ["deploy_key"]
