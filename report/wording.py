"""How the report words and rounds things: one formatter per kind of quantity.

Money is rounded to three significant figures ($364k), weeks to whole weeks, volumes to two
significant figures (about 3.9M). Using these everywhere is what keeps one quantity from
appearing with two values on two pages.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from tunewise.engine.money import symbol

LEVELS = {"low": 1, "medium": 2, "high": 3}
GATE_NAMES = {
    "workable": "All gates", "eligible": "All gates", "budget_upfront": "Upfront limit",
    "budget_monthly": "Monthly limit", "deadline": "Deadline", "timeline": "Deadline",
    "privacy": "Privacy", "positive_value": "Pays back", "net_value": "Pays back", "team": "Team",
    "knowledge_size": "Data size",
}
PHASE_OWNERS = (
    ("data", "Domain expert"),
    ("evaluat", "Product owner"),
    ("launch", "Engineering lead"),
    ("contract", "Sponsor"),
    ("prompt", "Engineering lead"),
)

GLOSSARY = (
    (
        "Adapter (LoRA)",
        "A small set of extra weights trained on top of a frozen model. It changes how the "
        "model behaves at a fraction of the cost of retraining the whole model.",
    ),
    (
        "Break-even volume",
        "The number of questions a month at which two approaches cost the same over the "
        "planning horizon. Below it the one with the lower fixed cost wins; above it the one with the lower "
        "cost per question wins.",
    ),
    ("Closed API", "A model you cannot download, used through a vendor's web service and paid per token."),
    (
        "Embedding",
        "A list of numbers that stands for the meaning of a passage, so similar passages can be "
        "found quickly.",
    ),
    (
        "Fine-tuning",
        "Further training of an existing model on your own examples so that it learns a style, "
        "format, procedure or vocabulary.",
    ),
    (
        "Full fine-tuning",
        "Fine-tuning that updates every weight of the model. Most flexible, most expensive.",
    ),
    (
        "Gate",
        "A condition an approach must pass to be chosen at all: workable with your data and team, allowed "
        "by your privacy rules, within the budget, live by the deadline.",
    ),
    ("Hybrid", "Fine-tuning for the lasting know-how plus retrieval for the facts that change."),
    ("Inference", "Running the model to answer a question; the cost that grows with use."),
    (
        "Net value",
        "What the approach is worth today: benefits minus costs over the planning horizon, with use "
        "ramping up after launch, benefits counted only as often as such builds succeed, and later "
        "months discounted.",
    ),
    ("Open weights", "A model whose weights can be downloaded and run on your own servers."),
    ("PEFT", "Parameter-efficient fine-tuning: training only adapters or the last layers of a model."),
    (
        "Payback period",
        "Months from the start until the net value, added up month by month on the same risk-adjusted "
        "basis, turns positive for good. None when the net value over the horizon is not positive.",
    ),
    (
        "Prompt engineering",
        "Getting what you need from a general model by writing instructions and "
        "examples into its prompt, without changing the model.",
    ),
    (
        "RAG",
        "Retrieval-augmented generation: relevant passages are found in your documents and handed to "
        "the model together with each question.",
    ),
    (
        "ROI",
        "Risk-adjusted return on investment: the net value divided by the discounted costs. It is above "
        "zero exactly when the net value is.",
    ),
    (
        "Token",
        "A piece of a word; models read and are paid by the token. A page of text is about 500 tokens.",
    ),
    ("Training from scratch", "Building a new model from random weights on a very large corpus."),
    ("Vector database", "A store that finds the passages whose embeddings are closest to a question's."),
)


def _sig(value: float, digits: int = 3) -> str:
    text = f"{value:.{digits}g}"
    if "e" in text:  # 1e+03 and the like: write it out
        text = f"{float(text):,.0f}"
    return text


def _round_sig(value: float, digits: int) -> float:
    return float(f"{value:.{digits}g}")


def money(amount: float | None, currency: str) -> str:
    """$364k, $1.43M, $187, $0.45: three significant figures, never more than needed."""
    if amount is None:
        return "n/a"
    sign = "-" if amount < 0 else ""
    value = abs(amount)
    for limit, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if round(value, -int(f"{value:e}".split("e")[1]) + 2) >= limit:
            return f"{sign}{symbol(currency)}{_sig(value / limit)}{suffix}"
    if value >= 10 or float(value).is_integer():
        return f"{sign}{symbol(currency)}{value:,.0f}"
    return f"{sign}{symbol(currency)}{value:.2f}"


def round_amounts(text: str, currency: str) -> str:
    """Engine wording with its amounts of 1,000 or more rounded as the report rounds them.

    The engine writes exact amounts ("costs $586,290 upfront"); printed beside the report's own
    "$586k", one quantity would read two ways. Unit prices below 1,000 ("$130/h") stay as written.
    """
    mark = re.escape(symbol(currency))

    def rounded(match: re.Match[str]) -> str:
        value = float(match.group(2).replace(",", ""))
        return match.group(1) + money(value, currency) if value >= 1000 else match.group(0)

    text = re.sub(rf"(-?)(?<![\w.]){mark}(\d[\d,]*(?:\.\d+)?)(?![\d.]*[kMB]\b)", rounded, text)
    # Weeks in whole weeks, as everywhere else; counts of a hundred thousand or more to two figures.
    text = re.sub(r"\b(\d+\.\d+) weeks\b", lambda m: weeks_text(float(m.group(1))), text)
    return re.sub(
        r"(?<![\d,.$€£¥₹])(\d{1,3}(?:,\d{3}){1,})(?![\d,])",
        lambda m: _count(float(m.group(1).replace(",", ""))),
        text,
    )


def _count(value: float) -> str:
    return about(value) if value >= 100_000 else f"{value:,.0f}"


def pct(value: float | None, digits: int = 0) -> str:
    if value is None:
        return "n/a"
    return f"{value * 100:,.{digits}f}%"


def weeks(value: float) -> int:
    """Whole weeks, rounded as the engine's reasons round them."""
    return int(f"{value:.0f}")


def weeks_text(value: float) -> str:
    n = weeks(value)
    return f"{n} week" if n == 1 else f"{n} weeks"


def months_text(value: float | None) -> str:
    if value is None:
        return "never within the horizon"
    if value < 1:
        return "under a month"
    n = round(value)
    return "1 month" if n == 1 else f"{n} months"


def about(value: float | None) -> str:
    """A count rounded for reading: 3.9 million, 12,000, 4.5."""
    if value is None:
        return "n/a"
    if abs(value) >= 1e6:
        for limit, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
            if abs(value) >= limit:
                return f"{_sig(value / limit, 2)} {word}"
    if abs(value) >= 100:
        return f"{_round_sig(value, 2):,.0f}"
    if float(value).is_integer():
        return f"{value:.0f}"
    return _sig(value, 2)


def volume(value: float) -> str:
    """A monthly volume: 5,000, 3.9M, 16M."""
    for limit, suffix in ((1e9, "B"), (1e6, "M")):
        if value >= limit:
            return f"{_sig(value / limit, 2)}{suffix}"
    if value >= 100:
        return f"{_round_sig(value, 2):,.0f}"
    return f"{value:,.0f}"


def quantity(value: float, unit: str = "") -> str:
    """An assumption's value with its unit: 4.5 USD per GPU-hour, 1.3 ratio, 2 billion tokens."""
    if unit in ("share", "share of answers", "fraction") or unit.startswith("share"):
        number = pct(value, 1).replace(".0%", "%")
        return number
    if unit in ("ratio", "factor", "x"):
        return f"{_sig(value, 3)}x"
    number = (
        about(value)
        if abs(value) >= 1e6
        else (f"{value:,.0f}" if float(value).is_integer() else _sig(value, 3))
    )
    return f"{number} {unit}".strip()


def span(low: float, high: float, unit: str = "") -> str:
    """A range with its unit once: 1.99 to 6.98 USD per GPU-hour, 1% to 2.5%, 1.1x to 1.8x."""
    low_text, high_text = quantity(low, unit), quantity(high, unit)
    if unit and low_text.endswith(" " + unit) and high_text.endswith(" " + unit):
        return f"{low_text.removesuffix(' ' + unit)} to {high_text}"
    return f"{low_text} to {high_text}"


def scores(first: float, second: float) -> str:
    """Two fit scores, with enough digits to tell them apart."""
    digits = 2 if f"{first:.2f}" != f"{second:.2f}" else 3
    return f"{first:.{digits}f} against {second:.{digits}f}"


def join(items: Sequence[str], word: str = "and") -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {word} " + items[-1]


def lower_first(text: str) -> str:
    if len(text) > 1 and text[1].isupper():  # an acronym: keep it
        return text
    return text[:1].lower() + text[1:]


# How the report marks the pick beside its name: only a "build" verdict recommends it.
PICK_MARKERS = {
    "build": "recommended",
    "do_not_build": "closest to paying back",
    "outside_constraints": "closest to your limits",
}


def pick_marker(verdict: str) -> str:
    return PICK_MARKERS[verdict]


def confidence_word(value: float) -> str:
    return "high" if value >= 0.75 else "moderate" if value >= 0.6 else "low"


def gate_name(gate: str) -> str:
    return GATE_NAMES.get(gate, gate.split("_")[0].capitalize())


def phase_owner(name: str) -> str:
    lowered = name.lower()
    return next((owner for word, owner in PHASE_OWNERS if word in lowered), "Engineering lead")


def risk_register(
    answers: dict[str, Any], strategy: str, source: str, misses_deadline: bool, over_budget: bool
) -> list:
    from tunewise.engine.guidance import load_guidance

    context = dict(answers) | {
        "strategy": strategy,
        "model_source": source,
        "misses_deadline": misses_deadline,
        "over_budget": over_budget,
    }
    return load_guidance().register_for(context)


def tornado_bars(a) -> list:
    """The bars worth showing: the ten biggest uncertain figures, plus any that flips the choice.

    The planning horizon is left out: it is a choice the reader makes, not an uncertainty.
    """
    bars = [b for b in a.sensitivity.tornado if b.key != "horizon_months"]
    bars.sort(key=lambda b: (-b.swing, b.key))
    pick = a.recommendation.strategy
    flips = [b for b in bars if pick not in (b.winner_at_low,) or b.winner_at_high != pick]
    shown = bars[:10]
    shown += [b for b in flips if b not in shown][:4]
    return shown


def whole_week_phases(phases) -> list[dict[str, Any]]:
    """Roadmap phases on whole weeks: each boundary rounded once, so the last end is the go-live week."""
    out = []
    for phase in phases:
        start, end = weeks(phase.start_week), weeks(phase.start_week + phase.weeks)
        out.append(
            {
                "name": phase.name,
                "detail": phase.detail,
                "start": start,
                "end": max(end, start + 1),
                "weeks": max(end - start, 1),
            }
        )
    return out
