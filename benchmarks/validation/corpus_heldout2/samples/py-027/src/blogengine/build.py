"""Render the site into an output directory."""
from __future__ import annotations

import datetime as dt
import shutil
from email.utils import format_datetime
from xml.sax.saxutils import escape
from collections import defaultdict
from pathlib import Path

from jinja2 import Environment, FileSystemLoader

from . import text
from .posts import Post, parse_post


def load_posts(content: Path, include_drafts: bool = False) -> list[Post]:
    posts = [parse_post(p) for p in sorted(content.glob("*.md"))]
    if not include_drafts:
        posts = [p for p in posts if not p.draft]
    return sorted(posts, key=lambda p: p.date, reverse=True)


def tag_index(posts: list[Post]) -> dict[str, list[Post]]:
    index: dict[str, list[Post]] = defaultdict(list)
    for post in posts:
        for tag in post.tags:
            index[tag].append(post)
    return dict(sorted(index.items()))


def rss(posts: list[Post], site_url: str, title: str, limit: int = 20) -> str:
    """An RSS 2.0 feed of the newest posts."""
    items = []
    for post in posts[:limit]:
        published = dt.datetime.combine(post.date, dt.time(9, 0), tzinfo=dt.timezone.utc)
        link = site_url.rstrip("/") + post.url
        items.append(
            "<item>"
            f"<title>{escape(post.title)}</title>"
            f"<link>{escape(link)}</link>"
            f"<guid>{escape(link)}</guid>"
            f"<pubDate>{format_datetime(published)}</pubDate>"
            f"<description>{escape(text.excerpt(post.body_md))}</description>"
            "</item>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<rss version="2.0"><channel>'
        f"<title>{escape(title)}</title><link>{escape(site_url)}</link>"
        f"<description>{escape(title)}</description>"
        + "".join(items)
        + "</channel></rss>"
    )


def sitemap(posts: list[Post], site_url: str) -> str:
    base = site_url.rstrip("/")
    urls = "".join(
        f"<url><loc>{escape(base + p.url)}</loc><lastmod>{p.date.isoformat()}</lastmod></url>" for p in posts
    )
    return f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'


def copy_static(static: Path, out: Path) -> int:
    if not static.is_dir():
        return 0
    count = 0
    for src in static.rglob("*"):
        if src.is_file():
            dest = out / src.relative_to(static)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest)
            count += 1
    return count


def build(content: Path, templates: Path, out: Path, include_drafts: bool = False) -> int:
    env = Environment(loader=FileSystemLoader(str(templates)), autoescape=True)
    posts = load_posts(content, include_drafts)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)

    post_tpl = env.get_template("post.html")
    for post in posts:
        target = out / post.url.strip("/") / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(
            post_tpl.render(
                post=post,
                content=post.html(),
                minutes=text.reading_minutes(post.body_md),
            ),
            encoding="utf-8",
        )

    tag_tpl = env.get_template("tag.html")
    for tag, tagged in tag_index(posts).items():
        target = out / "tags" / text.slugify_title(tag) / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(tag_tpl.render(tag=tag, posts=tagged), encoding="utf-8")

    site_url = env.globals.get("site_url", "https://example.org")
    (out / "feed.xml").write_text(rss(posts, str(site_url), "Blog"), encoding="utf-8")
    (out / "sitemap.xml").write_text(sitemap(posts, str(site_url)), encoding="utf-8")
    copy_static(content.parent / "static", out)

    index_tpl = env.get_template("index.html")
    (out / "index.html").write_text(
        index_tpl.render(posts=[(p, text.excerpt(p.body_md)) for p in posts[:10]]),
        encoding="utf-8",
    )
    return len(posts)
