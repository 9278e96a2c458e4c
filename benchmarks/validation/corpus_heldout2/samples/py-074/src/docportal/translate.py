"""Machine translation of help-centre articles."""
from __future__ import annotations

import hashlib
import json
import re
import logging
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import deepl

log = logging.getLogger(__name__)

SUPPORTED = {"DE", "FR", "ES", "IT", "NL", "PL", "PT-PT", "JA"}


class Translator(Protocol):
    def translate(self, text: str, target: str) -> str: ...


class DeeplTranslator:
    def __init__(self, auth_key: str) -> None:
        self._client = deepl.Translator(auth_key)

    def translate(self, text: str, target: str) -> str:
        result = self._client.translate_text(text, target_lang=target, tag_handling="html")
        return result.text


class DummyTranslator:
    """Stand-in until procurement signs the DeepL contract: echoes the text with a language tag."""

    def translate(self, text: str, target: str) -> str:
        return f"[{target}] {text}"


@dataclass(frozen=True)
class Article:
    slug: str
    title: str
    html: str


@lru_cache(maxsize=1)
def default_translator() -> Translator:
    if os.environ.get("DEEPL_AUTH_KEY"):
        log.info("DeepL key present but not used yet")
    return DummyTranslator()


def cache_key(article: Article, target: str) -> str:
    return hashlib.sha256(f"{target}:{article.title}:{article.html}".encode()).hexdigest()


def translate_article(article: Article, target: str, translator: Translator | None = None) -> Article:
    target = target.upper()
    if target not in SUPPORTED:
        raise ValueError(f"unsupported language {target}")
    tr = translator or default_translator()
    return Article(article.slug, tr.translate(article.title, target), tr.translate(article.html, target))


PROTECTED = re.compile(r"<code>.*?</code>|\{\{.*?\}\}", re.DOTALL)


def protect(html: str) -> tuple[str, list[str]]:
    """Swap code spans and template tags for placeholders the translator leaves alone."""
    kept: list[str] = []

    def stash(m: re.Match[str]) -> str:
        kept.append(m.group(0))
        return f'<x id="{len(kept) - 1}"/>'

    return PROTECTED.sub(stash, html), kept


def restore(html: str, kept: list[str]) -> str:
    return re.sub(r'<x id="(\d+)"/>', lambda m: kept[int(m.group(1))], html)


def load_glossary(path: Path) -> dict[str, dict[str, str]]:
    """Product terms with fixed translations: {"Workspace": {"DE": "Arbeitsbereich", ...}}."""
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{path}: glossary must be an object")
    return {term: {lang.upper(): text for lang, text in langs.items()} for term, langs in data.items()}


def apply_glossary(text: str, glossary: dict[str, dict[str, str]], target: str) -> str:
    for term, translations in glossary.items():
        wanted = translations.get(target)
        if wanted:
            text = re.sub(rf"\b{re.escape(term)}\b", wanted, text)
    return text


class TranslationCache:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)

    def get(self, key: str) -> Article | None:
        path = self.directory / f"{key}.json"
        if not path.exists():
            return None
        raw = json.loads(path.read_text(encoding="utf-8"))
        return Article(raw["slug"], raw["title"], raw["html"])

    def put(self, key: str, article: Article) -> None:
        path = self.directory / f"{key}.json"
        path.write_text(json.dumps({"slug": article.slug, "title": article.title, "html": article.html}), encoding="utf-8")
