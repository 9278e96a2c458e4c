"""The one table of model prices, and the per-task token and cost budget."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from claude_tui.agent.providers.base import Usage


@dataclass(frozen=True)
class Price:
    """US dollars per million tokens."""

    input: Decimal
    output: Decimal
    cache_read: Decimal
    cache_write: Decimal


def _price(inp: str, out: str) -> Price:
    # Anthropic bills cache reads at 10% and 5-minute cache writes at 125% of the input price.
    base = Decimal(inp)
    return Price(base, Decimal(out), base * Decimal("0.1"), base * Decimal("1.25"))


# Keyed by model-name prefix; the longest matching prefix wins so dated names resolve.
PRICES: dict[str, Price] = {
    "claude-opus-4": _price("15", "75"),
    "claude-opus-4-5": _price("5", "25"),
    "claude-opus-4-6": _price("5", "25"),
    "claude-sonnet-4": _price("3", "15"),
    "claude-3-7-sonnet": _price("3", "15"),
    "claude-3-5-sonnet": _price("3", "15"),
    "claude-haiku-4": _price("1", "5"),
    "claude-3-5-haiku": _price("0.8", "4"),
    "claude-3-haiku": _price("0.25", "1.25"),
    "gpt-4o-mini": _price("0.15", "0.6"),
    "gpt-4o": _price("2.5", "10"),
    "gpt-4.1-mini": _price("0.4", "1.6"),
    "gpt-4.1": _price("2", "8"),
}
MILLION = Decimal(1_000_000)


def price_for(model: str) -> Price | None:
    """The price of a model, or None when it is unknown (local models, new names)."""
    best: str | None = None
    for prefix in PRICES:
        if model.startswith(prefix) and (best is None or len(prefix) > len(best)):
            best = prefix
    return PRICES[best] if best is not None else None


def cost_of(model: str, usage: Usage) -> Decimal:
    """What the usage costs in US dollars; zero for a model without a known price."""
    price = price_for(model)
    if price is None:
        return Decimal(0)
    total = (
        price.input * usage.input_tokens
        + price.output * usage.output_tokens
        + price.cache_read * usage.cache_read_tokens
        + price.cache_write * usage.cache_write_tokens
    )
    return (total / MILLION).quantize(Decimal("0.000001"))


class BudgetExceededError(Exception):
    """The task used up its token or cost budget."""


@dataclass
class Budget:
    """Tokens and dollars one task may spend; ``None`` means unlimited."""

    max_tokens: int | None = None
    max_cost_usd: Decimal | None = None
    usage: Usage = field(default_factory=Usage)
    cost_usd: Decimal = Decimal(0)

    def charge(self, model: str, usage: Usage) -> None:
        """Record a turn's usage; raise when a limit is now reached."""
        self.usage.add(usage)
        self.cost_usd += cost_of(model, usage)
        if self.max_tokens is not None and self.usage.total_tokens >= self.max_tokens:
            raise BudgetExceededError(
                f"token budget exhausted: {self.usage.total_tokens} of {self.max_tokens} "
                "tokens used"
            )
        if self.max_cost_usd is not None and self.cost_usd >= self.max_cost_usd:
            raise BudgetExceededError(
                f"cost budget exhausted: ${self.cost_usd} of ${self.max_cost_usd} spent"
            )
