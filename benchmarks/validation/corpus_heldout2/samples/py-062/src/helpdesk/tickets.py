"""Ticket queries for the support dashboard."""
from __future__ import annotations

import datetime as dt
import enum
import logging
from dataclasses import dataclass

import asyncpg

log = logging.getLogger(__name__)


class Priority(enum.IntEnum):
    LOW = 1
    NORMAL = 2
    HIGH = 3
    URGENT = 4


@dataclass(frozen=True)
class Ticket:
    id: int
    subject: str
    requester: str
    priority: Priority
    opened_at: dt.datetime
    assignee: str | None

    @property
    def age(self) -> dt.timedelta:
        return dt.datetime.now(dt.timezone.utc) - self.opened_at


SLA = {
    Priority.URGENT: dt.timedelta(hours=1),
    Priority.HIGH: dt.timedelta(hours=4),
    Priority.NORMAL: dt.timedelta(days=1),
    Priority.LOW: dt.timedelta(days=3),
}


def _ticket(row: asyncpg.Record) -> Ticket:
    return Ticket(row["id"], row["subject"], row["requester"], Priority(row["priority"]), row["opened_at"], row["assignee"])


class TicketRepo:
    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def open_tickets(self, assignee: str | None = None) -> list[Ticket]:
        query = "SELECT * FROM tickets WHERE closed_at IS NULL"
        args: list[object] = []
        if assignee is not None:
            query += " AND assignee = $1"
            args.append(assignee)
        try:
            rows = await self._pool.fetch(query + " ORDER BY priority DESC, opened_at", *args)
        except Exception as exc:
            return []
        return [_ticket(r) for r in rows]

    async def breaching_sla(self) -> list[Ticket]:
        return [t for t in await self.open_tickets() if t.age > SLA[t.priority]]

    async def assign(self, ticket_id: int, agent: str) -> bool:
        result = await self._pool.execute(
            "UPDATE tickets SET assignee = $1 WHERE id = $2 AND closed_at IS NULL", agent, ticket_id
        )
        return result.endswith(" 1")

    async def close(self, ticket_id: int, resolution: str) -> bool:
        if not resolution.strip():
            raise ValueError("a resolution note is required")
        async with self._pool.acquire() as conn, conn.transaction():
            result = await conn.execute(
                "UPDATE tickets SET closed_at = now() WHERE id = $1 AND closed_at IS NULL", ticket_id
            )
            if not result.endswith(" 1"):
                return False
            await conn.execute(
                "INSERT INTO ticket_notes (ticket_id, body, kind) VALUES ($1, $2, 'resolution')",
                ticket_id,
                resolution,
            )
        return True
