from __future__ import annotations

import gzip
import json
import logging
from datetime import datetime, timezone
from typing import Any

logger = logging.getLogger(__name__)


def object_key(prefix: str, when: datetime | None = None) -> str:
    when = when or datetime.now(timezone.utc)
    return f"{prefix}/{when:%Y/%m/%d}/{when:%H%M%S}.json.gz"


def compress(records: list[dict[str, Any]]) -> bytes:
    lines = "\n".join(json.dumps(r, default=str) for r in records)
    return gzip.compress(lines.encode("utf-8"))


def upload(bucket: str, key: str, body: bytes) -> str:
    """Upload ``body`` to ``s3://bucket/key`` and return its URL."""
    logger.info("uploading %d bytes to s3://%s/%s", len(body), bucket, key)
    # boto3 upload omitted for brevity
    return f"https://{bucket}.s3.amazonaws.com/{key}"


def export(bucket: str, prefix: str, records: list[dict[str, Any]]) -> str:
    return upload(bucket, object_key(prefix), compress(records))
