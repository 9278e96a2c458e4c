"""Render the site into an output directory."""
from __future__ import annotations

import shutil
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

    index_tpl = env.get_template("index.html")
    (out / "index.html").write_text(
        index_tpl.render(posts=[(p, text.excerpt(p.body_md)) for p in posts[:10]]),
        encoding="utf-8",
    )
    return len(posts)
