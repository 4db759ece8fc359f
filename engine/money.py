"""Formatting amounts of money in the answer file's currency."""

from __future__ import annotations

SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹", "CHF": "CHF ",
           "CAD": "CA$", "AUD": "A$"}
PLACEHOLDER = "¤"


def symbol(currency: str) -> str:
    return SYMBOLS.get(currency, currency + " ")


def fmt(amount: float, currency: str = "USD", decimals: int | None = None) -> str:
    if decimals is None:
        decimals = 0 if abs(amount) >= 100 else 2
    sign = "-" if amount < 0 else ""
    return f"{sign}{symbol(currency)}{abs(amount):,.{decimals}f}"


def short(amount: float, currency: str = "USD") -> str:
    """Compact form for charts and tables: $1.2M, $350k."""
    value = abs(amount)
    sign = "-" if amount < 0 else ""
    for limit, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if value >= limit:
            return f"{sign}{symbol(currency)}{value / limit:.3g}{suffix}"
    return f"{sign}{symbol(currency)}{value:,.0f}"


def money(amount: float) -> str:
    """An amount in the assessment's currency, marked with a placeholder symbol (`localise` puts
    the currency's own in)."""
    sign = "-" if amount < 0 else ""
    if abs(amount) >= 100:
        return f"{sign}{PLACEHOLDER}{abs(amount):,.0f}"
    return f"{sign}{PLACEHOLDER}{abs(amount):,.2f}"


def tokens(count: float) -> str:
    """A count of tokens or parameters: 1.2M, 350k."""
    for limit, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")):
        if count >= limit:
            return f"{count / limit:.3g}{suffix}"
    return f"{count:.0f}"


def localise(text: str, currency: str) -> str:
    """Replace the cost model's currency placeholder with the currency's symbol."""
    return text.replace(PLACEHOLDER, symbol(currency))
