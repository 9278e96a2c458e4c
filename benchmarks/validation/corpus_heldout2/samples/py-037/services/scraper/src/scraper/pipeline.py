"""Fetch articles, classify them, and archive the raw HTML."""
from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass

import bs4
import jwt
import magic
import requests
from dotenv import load_dotenv
from google.cloud import storage
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

load_dotenv()


@dataclass
class Article:
    url: str
    title: str
    text: str
    fetched_at: dt.datetime


def fetch(url: str, session: requests.Session) -> tuple[Article, bytes]:
    response = session.get(url, timeout=15)
    response.raise_for_status()
    mime = magic.from_buffer(response.content[:2048], mime=True)
    if mime != "text/html":
        raise ValueError(f"{url} is {mime}, not HTML")
    soup = bs4.BeautifulSoup(response.content, "html.parser")
    title = soup.title.get_text(strip=True) if soup.title else url
    body = " ".join(p.get_text(" ", strip=True) for p in soup.find_all("p"))
    return Article(url, title, body, dt.datetime.now(dt.timezone.utc)), response.content


class TopicModel:
    def __init__(self) -> None:
        self.vectorizer = TfidfVectorizer(max_features=20_000, ngram_range=(1, 2))
        self.clf = LogisticRegression(max_iter=1_000)

    def fit(self, texts: list[str], labels: list[str]) -> "TopicModel":
        self.clf.fit(self.vectorizer.fit_transform(texts), labels)
        return self

    def predict(self, text: str) -> str:
        return str(self.clf.predict(self.vectorizer.transform([text]))[0])


def archive(raw: bytes, article: Article, bucket_name: str) -> str:
    client = storage.Client()
    blob = client.bucket(bucket_name).blob(f"{article.fetched_at:%Y/%m/%d}/{abs(hash(article.url))}.html")
    blob.upload_from_string(raw, content_type="text/html")
    return blob.name


def service_token(audience: str) -> str:
    secret = os.environ["SCRAPER_SIGNING_KEY"]
    now = dt.datetime.now(dt.timezone.utc)
    return jwt.encode({"aud": audience, "iat": now, "exp": now + dt.timedelta(minutes=5)}, secret, algorithm="HS256")
