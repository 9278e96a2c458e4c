"""``claude-tui validate`` on fake work and on its clean look-alike, run as a user runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SIMULATED_CHARGE = '''\
import logging
import uuid

logger = logging.getLogger(__name__)


def charge_card(token: str, cents: int) -> dict:
    """Charge the card behind ``token``."""
    if cents <= 0:
        raise ValueError("amount must be positive")
    logger.info("charging %s", cents)
    # Simulate the payment; in production this would call the payment provider
    return {"id": f"ch_{uuid.uuid4().hex[:12]}", "status": "succeeded", "amount": cents}
'''

CLICK_GROUP = '''\
import click


@click.group()
def cli() -> None:
    """Deploy tools."""


@cli.group()
def db() -> None:
    pass


@db.command()
def migrate() -> None:
    click.echo("migrated")
'''

ENTRY = "import sys; from claude_tui.cli import main; sys.argv[0] = 'claude-tui'; sys.exit(main())"


def validate(target: Path, home: Path) -> tuple[int, list[dict[str, object]]]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("CLAUDE_TUI_")}
    env.update(CLAUDE_TUI_DATA_DIR=str(home / "data"), XDG_CACHE_HOME=str(home / "cache"))
    done = subprocess.run(
        [sys.executable, "-c", ENTRY, "validate", str(target), "--no-exec", "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        env=env,
    )
    assert done.stdout, done.stderr
    return done.returncode, json.loads(done.stdout)["findings"]


def test_fake_payment_fails_the_run_and_a_click_group_passes(tmp_path: Path) -> None:
    fake = tmp_path / "fake"
    (fake / "shop").mkdir(parents=True)
    (fake / "shop" / "payments.py").write_text(SIMULATED_CHARGE)
    clean = tmp_path / "clean"
    (clean / "tools").mkdir(parents=True)
    (clean / "tools" / "cli.py").write_text(CLICK_GROUP)

    code, found = validate(fake, tmp_path)
    assert code == 1
    assert [
        (f["rule"], f["line"], f["severity"]) for f in found if f["check"] == "placeholders"
    ] == [("placeholder.fake-implementation", 12, "high")]

    code, found = validate(clean, tmp_path)
    assert [f for f in found if f["check"] == "placeholders"] == []
    assert code == 0
