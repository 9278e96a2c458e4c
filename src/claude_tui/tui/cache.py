"""The last dashboard seen, kept on disk so the next launch shows it while it connects."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class CachedDashboard:
    projects: list[dict[str, Any]]
    summaries: list[dict[str, Any]]
    audits: dict[int, dict[str, Any]] | None
    saved_at: datetime


class DashboardCache:
    """One file per server, readable only by the user (it names their projects)."""

    def __init__(self, directory: Path, server: str) -> None:
        digest = hashlib.sha256(server.encode()).hexdigest()[:16]
        self.path = directory / f"dashboard-{digest}.json"

    def load(self) -> CachedDashboard | None:
        """The cached dashboard, or None when there is none or it cannot be read."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            audits = data.get("audits")
            return CachedDashboard(
                projects=list(data["projects"]),
                summaries=list(data["summaries"]),
                audits=None if audits is None else {int(k): v for k, v in audits.items()},
                saved_at=datetime.fromisoformat(data["saved_at"]),
            )
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            # A missing or damaged cache only means the first frame waits for the server.
            return None

    def save(
        self,
        projects: list[dict[str, Any]],
        summaries: list[dict[str, Any]],
        audits: dict[int, dict[str, Any]] | None,
    ) -> None:
        """Replace the cached dashboard atomically; a cache that cannot be written is skipped."""
        payload = {
            "projects": projects,
            "summaries": summaries,
            "audits": audits,
            "saved_at": datetime.now(UTC).isoformat(),
        }
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".dashboard-")
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as out:
                    json.dump(payload, out, default=str)
                os.replace(tmp, self.path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError:
            return
