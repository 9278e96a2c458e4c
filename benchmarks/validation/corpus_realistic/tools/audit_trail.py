from __future__ import annotations

import json
import logging
from typing import Any

audit_logger = logging.getLogger("audit")


def record(actor: str, action: str, **fields: Any) -> None:
    """Audit entries go to the dedicated "audit" logger, shipped to the SIEM by the collector."""
    audit_logger.info(json.dumps({"actor": actor, "action": action, **fields}, sort_keys=True))


def record_login(user: str, ip: str, ok: bool) -> None:
    record(user, "login", ip=ip, ok=ok)
