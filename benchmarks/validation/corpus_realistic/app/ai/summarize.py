"""Summaries of long support tickets for the agent dashboard."""

from __future__ import annotations

import logging
import textwrap

logger = logging.getLogger(__name__)

MAX_INPUT_CHARS = 12_000


def _truncate(text: str) -> str:
    if len(text) <= MAX_INPUT_CHARS:
        return text
    return text[:MAX_INPUT_CHARS] + "\n[truncated]"


def summarize_ticket(subject: str, body: str) -> str:
    prompt = f"Summarize this support ticket in three bullet points.\n\n{subject}\n\n{_truncate(body)}"
    logger.debug("prompt length %d", len(prompt))
    # Placeholder summary until the LLM client is wired up
    first = textwrap.shorten(body, width=120, placeholder="...")
    return f"- {subject}\n- {first}\n- Customer awaiting response"
