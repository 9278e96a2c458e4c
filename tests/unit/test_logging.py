from __future__ import annotations

import json
import logging

import pytest

from claude_tui.observability.context import request_id_var
from claude_tui.observability.logging import REDACTED, configure_logging, get_logger, redact_value


def test_redact_value_masks_by_key_and_by_pattern() -> None:
    value = {
        "password": "hunter2",
        "nested": {"api_key": "abc", "note": "Authorization: Bearer eyJhbGciOi.payload.sig"},
        "url": "postgresql://app:s3cret@db/app",
        "items": ["ctui_abcdefghijklmnopqrstuvwx", "plain"],
    }
    out = redact_value(value)
    text = json.dumps(out)
    for secret in ("hunter2", 'abc"', "eyJhbGciOi", "s3cret", "ctui_abcdefghijklmnop"):
        assert secret not in text
    assert out["password"] == REDACTED
    assert out["items"][1] == "plain"


def test_log_lines_are_json_with_request_id_and_no_secrets(
    capsys: pytest.CaptureFixture[str],
) -> None:
    configure_logging("INFO", "json")
    token = request_id_var.set("req-42")
    try:
        get_logger("test").info("login", username="ann", password="hunter2", token="t0ps3cret")
        logging.getLogger("stdlib").warning("header Authorization: Bearer abc.def.ghi")
    finally:
        request_id_var.reset(token)
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line]
    assert {line["event"] for line in lines} >= {"login"}
    login = next(line for line in lines if line["event"] == "login")
    assert login["request_id"] == "req-42"
    assert login["level"] == "info"
    assert login["logger"] == "test"
    assert "timestamp" in login
    dumped = json.dumps(lines)
    assert "hunter2" not in dumped
    assert "t0ps3cret" not in dumped
    assert "abc.def.ghi" not in dumped
