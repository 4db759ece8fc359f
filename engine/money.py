"""Formatting amounts of money in the answer file's currency."""

from __future__ import annotations

import math

SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹", "CHF": "CHF ",
           "CAD": "CA$", "AUD": "A$"}
PLACEHOLDER = "¤"


def symbol(currency: str) -> str:
    return SYMBOLS.get(currency, currency + " ")


def fmt(amount: float, currency: str = "USD", decimals: int | None = None) -> str:
    return _amount(amount, symbol(currency), decimals)


def _amount(amount: float, mark: str, decimals: int | None = None) -> str:
    """``amount`` after the currency ``mark``: whole units from 100 up, else cents."""
    if decimals is None:
        decimals = 0 if abs(amount) >= 100 else 2
    sign = "-" if amount < 0 else ""
    return f"{sign}{mark}{abs(amount):,.{decimals}f}"


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
    return _amount(amount, PLACEHOLDER)


def tokens(count: float) -> str:
    """A count of tokens or parameters: 1.2M, 350k."""
    for limit, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")):
        if count >= limit:
            return f"{count / limit:.3g}{suffix}"
    return f"{count:.0f}"


def localise(text: str, currency: str) -> str:
    """Replace the cost model's currency placeholder with the currency's symbol."""
    return text.replace(PLACEHOLDER, symbol(currency))


_SCALES = {digits: 10.0 ** digits for digits in range(7)}
# A scaled figure this far from a rounding tie is on the same side of it as the exact product:
# below 1e11 the scaling is off by less than 2e-5 (a double carries 15-16 digits).
_CLEAR_OF_TIE = 0.4999
_LARGEST = 1e11


def round_to(x: float, digits: int) -> float:
    """``round(x, digits)``, the same float, in a third of the time: an assessment rounds some
    nine hundred figures for its report, and Python's round goes through a decimal string.

    Python rounds the exact binary value half to even and returns the double nearest to that
    decimal. Scaled by 10**digits, a figure clear of a tie rounds to the same whole number w,
    and w / 10**digits (one correctly rounded division of exact numbers) is that nearest
    double; a zero keeps the sign of the figure, as Python's does. A figure near a tie, a
    large one, one that is not a plain float, or one that is not a number goes to round.
    """
    if type(x) is float:
        scale = _SCALES[digits]
        y = x * scale
        if -_LARGEST < y < _LARGEST:
            whole = math.floor(y + 0.5)
            if -_CLEAR_OF_TIE < y - whole < _CLEAR_OF_TIE:
                return whole / scale if whole else math.copysign(0.0, x)
    return round(x, digits)
