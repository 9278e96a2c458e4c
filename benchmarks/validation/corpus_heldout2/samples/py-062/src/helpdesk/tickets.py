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

    async def stats(self, since: dt.datetime) -> dict[str, object]:
        row = await self._pool.fetchrow(
            """
            SELECT count(*) FILTER (WHERE opened_at >= $1) AS opened,
                   count(*) FILTER (WHERE closed_at >= $1) AS closed,
                   avg(extract(epoch FROM closed_at - opened_at)) FILTER (WHERE closed_at >= $1) AS avg_seconds
            FROM tickets
            """,
            since,
        )
        avg = row["avg_seconds"]
        return {
            "opened": row["opened"],
            "closed": row["closed"],
            "avg_resolution_hours": None if avg is None else round(float(avg) / 3600, 1),
        }

    async def workload(self) -> dict[str, int]:
        rows = await self._pool.fetch(
            "SELECT coalesce(assignee, '(unassigned)') AS who, count(*) AS n "
            "FROM tickets WHERE closed_at IS NULL GROUP BY 1 ORDER BY 2 DESC"
        )
        return {r["who"]: r["n"] for r in rows}


def escalation_order(tickets: list[Ticket]) -> list[Ticket]:
    """Most urgent first: how far past its SLA a ticket is, then priority."""
    def overdue(t: Ticket) -> dt.timedelta:
        return t.age - SLA[t.priority]

    return sorted(tickets, key=lambda t: (overdue(t), t.priority), reverse=True)


def digest(tickets: list[Ticket]) -> str:
    if not tickets:
        return "No tickets are breaching their SLA."
    lines = [f"{len(tickets)} ticket(s) breaching SLA:"]
    for t in escalation_order(tickets):
        hours = t.age.total_seconds() / 3600
        lines.append(f"  #{t.id} [{t.priority.name}] {t.subject} — open {hours:.1f} h, {t.assignee or 'unassigned'}")
    return "\n".join(lines)
