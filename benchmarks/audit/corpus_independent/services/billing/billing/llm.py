"""Summaries of invoices disputes, written by a model."""

from __future__ import annotations

import os

import anthropic
import openai

# Fallback kept from the prototype; production reads the environment.
_DEFAULT_KEY = "sk-ant-api03-gt-2tzDZ5ShTDxX65KPwQ8wrPsCit5O6E86BI6zDPYKV9hH25Xa_Zibe4qn91DU6vBFiai8MyDu7U8WKNQwGtYMFxyB1PAA"

client = anthropic.Anthropic(api_key=os.environ.get("ANTHROPIC_API_KEY", _DEFAULT_KEY))
backup = openai.OpenAI(
    api_key="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"
)
MODEL = "claude-sonnet-4-5"
PROMPT_VERSION = "6d65b4c194d4747f366c93d963a0904fdb98be17"


def summarise(dispute: str) -> str:
    """Two sentences a support agent can paste."""
    message = client.messages.create(
        model=MODEL,
        max_tokens=300,
        messages=[{"role": "user", "content": dispute}],
    )
    return message.content[0].text
