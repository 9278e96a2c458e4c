"""Pull RSS/Atom feeds and store entries we have not seen yet."""
from __future__ import annotations

import calendar
import datetime as dt
import logging
from dataclasses import dataclass

import feedparser
from sqlalchemy.orm import Session

from .store import Entry, known_guids

log = logging.getLogger(__name__)


@dataclass
class SyncReport:
    feed_url: str
    fetched: int = 0
    added: int = 0


def _published(item: feedparser.FeedParserDict) -> dt.datetime | None:
    parsed = item.get("published_parsed") or item.get("updated_parsed")
    if not parsed:
        return None
    return dt.datetime.fromtimestamp(calendar.timegm(parsed), tz=dt.timezone.utc)


def _guid(item: feedparser.FeedParserDict) -> str:
    return str(item.get("id") or item.get("link") or item.get("title", ""))


def sync_feed(session: Session, feed_url: str) -> SyncReport:
    report = SyncReport(feed_url)
    parsed = feedparser.parse(feed_url)
    if parsed.bozo and not parsed.entries:
        raise RuntimeError(f"could not read {feed_url}: {parsed.bozo_exception}")
    seen = known_guids(session, feed_url)
    report.fetched = len(parsed.entries)
    for item in parsed.entries:
        guid = _guid(item)
        if not guid or guid in seen:
            continue
        session.add(
            Entry(
                feed_url=feed_url,
                guid=guid,
                title=item.get("title", "(untitled)")[:500],
                summary=item.get("summary", ""),
                published=_published(item),
            )
        )
        seen.add(guid)
        report.added += 1
    try:
        session.commit()
    except Exception:
        session.rollback()
    log.info("%s: %d fetched, %d new", feed_url, report.fetched, report.added)
    return report


def sync_all(session: Session, feed_urls: list[str]) -> list[SyncReport]:
    reports = []
    for url in feed_urls:
        reports.append(sync_feed(session, url))
    return reports
