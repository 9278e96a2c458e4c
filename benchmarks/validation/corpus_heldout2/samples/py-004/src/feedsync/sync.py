"""Pull RSS/Atom feeds and store entries we have not seen yet."""
from __future__ import annotations

import calendar
import datetime as dt
import logging
import xml.etree.ElementTree as ET
from dataclasses import dataclass

import feedparser
from sqlalchemy import delete, func, select
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


def feeds_from_opml(text: str) -> list[str]:
    """Feed URLs listed in an OPML export (nested outlines included)."""
    root = ET.fromstring(text)
    urls = []
    for outline in root.iter("outline"):
        url = outline.get("xmlUrl")
        if url and url not in urls:
            urls.append(url)
    return urls


def prune(session: Session, keep_per_feed: int = 500) -> int:
    """Delete the oldest entries beyond `keep_per_feed` for every feed."""
    if keep_per_feed < 1:
        raise ValueError("keep_per_feed must be at least 1")
    removed = 0
    feeds = session.scalars(select(Entry.feed_url).distinct()).all()
    for feed in feeds:
        count = session.scalar(select(func.count()).select_from(Entry).where(Entry.feed_url == feed)) or 0
        excess = count - keep_per_feed
        if excess <= 0:
            continue
        oldest = session.scalars(
            select(Entry.id)
            .where(Entry.feed_url == feed)
            .order_by(Entry.published.is_(None).desc(), Entry.published, Entry.id)
            .limit(excess)
        ).all()
        session.execute(delete(Entry).where(Entry.id.in_(oldest)))
        removed += len(oldest)
    session.commit()
    return removed


def latest(session: Session, limit: int = 20, feed_url: str | None = None) -> list[Entry]:
    query = select(Entry).order_by(Entry.published.desc().nulls_last(), Entry.id.desc()).limit(limit)
    if feed_url is not None:
        query = query.where(Entry.feed_url == feed_url)
    return list(session.scalars(query))


def main(argv: list[str] | None = None) -> int:
    import argparse

    from .store import open_store

    parser = argparse.ArgumentParser(prog="feedsync")
    parser.add_argument("--db", default="feeds.sqlite3")
    parser.add_argument("--opml", help="read feed URLs from an OPML file")
    parser.add_argument("urls", nargs="*")
    parser.add_argument("--keep", type=int, default=500)
    args = parser.parse_args(argv)
    urls = list(args.urls)
    if args.opml:
        with open(args.opml, encoding="utf-8") as fh:
            urls += feeds_from_opml(fh.read())
    if not urls:
        parser.error("give feed URLs or --opml")
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    session = open_store(args.db)
    reports = sync_all(session, urls)
    removed = prune(session, args.keep)
    print(f"{sum(r.added for r in reports)} new entries from {len(reports)} feeds; {removed} old ones pruned")
    return 0
