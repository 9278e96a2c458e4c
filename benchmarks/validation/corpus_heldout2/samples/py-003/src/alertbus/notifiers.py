"""Where alerts go once they fire."""
from __future__ import annotations

import logging
from typing import Protocol

import requests

log = logging.getLogger(__name__)


class Notifier(Protocol):
    def send(self, title: str, body: str) -> None: ...


class SlackNotifier:
    def __init__(self, webhook_url: str, session: requests.Session | None = None) -> None:
        self._url = webhook_url
        self._session = session or requests.Session()

    def send(self, title: str, body: str) -> None:
        payload = {"text": f"*{title}*\n{body}"}
        response = self._session.post(self._url, json=payload, timeout=5)
        response.raise_for_status()


class NullNotifier:
    """Drops alerts on purpose.

    Selected when `alerts.enabled = false` in the config, so staging stacks can
    run the evaluator without paging anyone.
    """

    def send(self, title: str, body: str) -> None:
        log.debug("alerts disabled, dropping %r", title)


def build_notifier(config: dict[str, object]) -> Notifier:
    if not config.get("enabled", True):
        return NullNotifier()
    url = config.get("slack_webhook")
    if not isinstance(url, str) or not url:
        raise ValueError("alerts.slack_webhook is required when alerts are enabled")
    return SlackNotifier(url)
