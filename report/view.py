"""What the template shows, worked out in Python so the template stays plain.

Everything here is a pure function of the assessment: no clock, no randomness.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

from tunewise.engine.assessment import Assessment, AssumptionUsed, Reason, StrategyResult
from tunewise.engine.money import fmt, short

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
SOURCE_PHRASES = {
    "closed_api": "on a closed model used through a vendor's API",
    "open_weights": "on an open-weight model you host yourself",
}
SOURCE_LABELS = {"closed_api": "Closed API", "open_weights": "Open weights, self-hosted"}
SOURCE_SHORT = {"closed_api": "closed API", "open_weights": "open weights, self-hosted"}
KIND_TITLES = {
    "policy": "Policy choices",
    "vendor": "Vendor prices",
    "secondary": "Published figures (exchange rates, salaries, hardware)",
    "paper": "Research papers",
    "talk": "Practitioner reports",
    "estimate": "Estimates",
}
KIND_ORDER = ("policy", "vendor", "secondary", "paper", "talk", "estimate")
CHUNK = 24

GLOSSARY = (
    ("Adapter (LoRA)", "A small set of extra weights trained on top of a frozen model. It changes how the "
     "model behaves at a fraction of the cost of retraining the whole model."),
    ("Break-even volume", "The number of questions a month at which two approaches cost the same over the "
     "planning horizon. Below it the one with the lower fixed cost wins; above it the one with the lower "
     "cost per question wins."),
    ("Closed API", "A model you cannot download, used through a vendor's web service and paid per token."),
    ("Embedding", "A list of numbers that stands for the meaning of a passage, so similar passages can be "
     "found quickly."),
    ("Fine-tuning", "Further training of an existing model on your own examples so that it learns a style, "
     "format, procedure or vocabulary."),
    ("Full fine-tuning", "Fine-tuning that updates every weight of the model. Most flexible, "
     "most expensive."),
    ("Hybrid", "Fine-tuning for the lasting know-how plus retrieval for the facts that change."),
    ("Inference", "Running the model to answer a question; the cost that grows with use."),
    ("Open weights", "A model whose weights can be downloaded and run on your own servers."),
    ("PEFT", "Parameter-efficient fine-tuning: training only adapters or the last layers of a model."),
    ("Payback period", "How many months until the cumulative benefit covers the cumulative cost."),
    ("Prompt engineering", "Getting what you need from a general model by writing instructions and "
     "examples into its prompt, without changing the model."),
    ("RAG", "Retrieval-augmented generation: relevant passages are found in your documents and handed to "
     "the model together with each question."),
    ("ROI", "Return on investment over the horizon: (benefit - cost) / cost."),
    ("Token", "A piece of a word; models read and are paid by the token. A page of text is about "
     "500 tokens."),
    ("Training from scratch", "Building a new model from random weights on a very large corpus."),
    ("Vector database", "A store that finds the passages whose embeddings are closest to a question's."),
)


def long_date(date: dt.date) -> str:
    return f"{date.day} {MONTHS[date.month - 1]} {date.year}"


def pct(value: float | None, digits: int = 0) -> str:
    if value is None:
        return "n/a"
    return f"{value * 100:,.{digits}f}%"


def num(value: float | None, digits: int = 0) -> str:
    if value is None:
        return "n/a"
    return f"{value:,.{digits}f}"


def months_text(value: float | None) -> str:
    if value is None:
        return "never within the horizon"
    if value < 1:
        return "under a month"
    return f"{value:.1f} months".replace(".0 months", " months")


def signed(value: float) -> str:
    return f"{value:+.2f}"


def compact(value: float) -> str:
    for limit, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= limit:
            return f"{value / limit:.3g}{suffix}"
    return f"{value:,.0f}"


def quantity(value: float) -> str:
    if abs(value) >= 1e6:
        for limit, suffix in ((1e12, " trillion"), (1e9, " billion"), (1e6, " million")):
            if abs(value) >= limit:
                return f"{value / limit:,.4g}{suffix}"
    if float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.4g}"


FILTERS = {"pct": pct, "num": num, "months": months_text, "signed": signed, "compact": compact,
           "quantity": quantity}


@dataclass(frozen=True)
class FlipRow:
    prompt: str
    current: str
    alternative: str
    result: str
    same_strategy: bool


@dataclass(frozen=True)
class AssumptionGroup:
    title: str
    part: int
    parts: int
    rows: tuple[AssumptionUsed, ...]


class View:
    """Derived facts the template needs, from one assessment."""

    def __init__(self, assessment: Assessment):
        self.a = assessment
        self.currency = assessment.currency

    def money(self, amount: float) -> str:
        return fmt(amount, self.currency)

    def short(self, amount: float) -> str:
        return short(amount, self.currency)

    @cached_property
    def bank(self):
        from tunewise.engine.questions import load_bank
        return load_bank()

    @cached_property
    def labels(self) -> dict[str, str]:
        return {s.id: s.label for s in self.a.strategies}

    @property
    def rec(self) -> StrategyResult:
        return self.a.recommended

    @property
    def source_phrase(self) -> str:
        return SOURCE_PHRASES[self.a.recommendation.model_source]

    def source_label(self, source: str) -> str:
        return SOURCE_LABELS.get(source, source)

    @property
    def headline(self) -> str:
        return f"We recommend {self.rec.label} {self.source_phrase}."

    @property
    def confidence_word(self) -> str:
        c = self.a.recommendation.confidence
        return "high" if c >= 0.75 else "moderate" if c >= 0.5 else "low"

    @property
    def ranked(self) -> list[StrategyResult]:
        return sorted(self.a.strategies, key=lambda s: s.rank)

    @property
    def eligible(self) -> list[StrategyResult]:
        return [s for s in self.ranked if s.eligible]

    @property
    def ruled_out(self) -> list[StrategyResult]:
        return [s for s in self.ranked if not s.eligible]

    @property
    def runner_up(self) -> StrategyResult | None:
        ru = self.a.recommendation.runner_up
        return self.a.strategy(ru) if ru else None

    @property
    def key_reasons(self) -> list[Reason]:
        """The two or three reasons that pushed the recommendation most."""
        reasons = [r for r in self.rec.reasons if r.effect > 0]
        reasons.sort(key=lambda r: (-r.effect, r.rule))
        chosen = reasons[:3]
        source = sorted(self.a.recommendation.source_reasons, key=lambda r: (-r.effect, r.rule))
        source = [r for r in source if r.strategy == self.a.recommendation.model_source]
        if source and len(chosen) >= 3:
            chosen = chosen[:2] + source[:1]
        elif source:
            chosen = chosen + source[:1]
        return chosen

    def reasons_for(self, strategy: StrategyResult) -> tuple[list[Reason], list[Reason]]:
        pros = sorted((r for r in strategy.reasons if r.effect > 0), key=lambda r: (-r.effect, r.rule))
        cons = sorted((r for r in strategy.reasons if r.effect < 0), key=lambda r: (r.effect, r.rule))
        return pros, cons

    def prompt(self, question: str) -> str:
        try:
            return self.bank.get(question).prompt  # type: ignore[attr-defined]
        except Exception:
            for q in self.bank.questions:
                if q.id == question:
                    return q.prompt
        return question.replace("_", " ")

    def answer_label(self, question: str) -> str:
        for answer in self.a.answers:
            if answer.question == question:
                return answer.label
        return "not answered"

    @property
    def answer_sections(self) -> list[tuple[str, list]]:
        out = []
        for section in self.bank.sections:
            rows = [a for a in self.a.answers if a.section == section.id]
            if rows:
                out.append((section.title, rows))
        known = {s.id for s in self.bank.sections}
        rest = [a for a in self.a.answers if a.section not in known]
        if rest:
            out.append(("Other", rest))
        return out

    @property
    def flips(self) -> list[FlipRow]:
        rec = self.a.recommendation
        rows = []
        for flip in self.a.sensitivity.flips:
            source = SOURCE_SHORT[flip.model_source]
            result = f"{self.labels.get(flip.strategy, flip.strategy)}, {source}"
            rows.append(FlipRow(prompt=self.prompt(flip.question), current=self.answer_label(flip.question),
                                alternative=flip.alternative_label, result=result,
                                same_strategy=flip.strategy == rec.strategy))
        return rows

    @property
    def volume_story(self) -> str:
        curve = self.a.sensitivity.volume_curve
        changes = self.a.sensitivity.recommendation_changes_at
        if not curve:
            return ""
        lo, hi = curve[0].monthly_queries, curve[-1].monthly_queries
        if not changes:
            return (f"Across every volume we tried, from {compact(lo)} to {compact(hi)} questions a month, "
                    f"the recommendation stays {self.labels[curve[0].recommended]}.")
        def after(volume: int) -> str:
            point = next((p for p in curve if p.monthly_queries >= volume), curve[-1])
            return self.labels[point.recommended]

        steps = "; ".join(f"from about {v:,} it is {after(v)}" for v in changes)
        return (f"Up to {changes[0]:,} questions a month the recommendation would be "
                f"{self.labels[curve[0].recommended]}; {steps}.")

    @property
    def tornado_rows(self):
        """The ten assumptions that move the cost most (the ones the tornado chart draws)."""
        return sorted(self.a.sensitivity.tornado, key=lambda b: (-b.swing, b.key))[:10]

    @property
    def tornado_strategy(self) -> str:
        bars = self.a.sensitivity.tornado
        return self.labels.get(bars[0].strategy, "") if bars else ""

    @property
    def assumption_groups(self) -> list[AssumptionGroup]:
        groups: list[AssumptionGroup] = []
        kinds = list(KIND_ORDER) + sorted({x.kind for x in self.a.assumptions} - set(KIND_ORDER))
        for kind in kinds:
            rows = sorted((x for x in self.a.assumptions if x.kind == kind), key=lambda x: x.label.lower())
            if not rows:
                continue
            chunks = [rows[i:i + CHUNK] for i in range(0, len(rows), CHUNK)]
            for index, chunk in enumerate(chunks, start=1):
                groups.append(AssumptionGroup(KIND_TITLES.get(kind, kind.title()), index, len(chunks),
                                              tuple(chunk)))
        return groups

    @property
    def overrides(self) -> list[AssumptionUsed]:
        return [x for x in self.a.assumptions if x.overridden]

    @property
    def roadmap_weeks(self) -> float:
        return max((p.start_week + p.weeks for p in self.a.roadmap), default=0)

    @property
    def glossary(self):
        return GLOSSARY

    @property
    def break_even_text(self) -> str:
        be = self.a.break_even_monthly_queries
        if be is None:
            return ("RAG and parameter-efficient fine-tuning never cost the same within the volumes we "
                    "tried, so volume alone does not decide between them.")
        current = next((x.value for x in self.a.answers if x.question == "monthly_queries"), None)
        rag, peft = self.a.strategy("rag"), self.a.strategy("peft")
        cheaper_low = rag.label if rag.costs.upfront <= peft.costs.upfront else peft.label
        cheaper_high = peft.label if cheaper_low == rag.label else rag.label
        text = (f"RAG and parameter-efficient fine-tuning cost the same over {self.a.horizon_months} months "
                f"at about {be:,} questions a month. Below that, {cheaper_low} costs less; above it, "
                f"{cheaper_high} does.")
        if isinstance(current, int | float):
            ratio = be / current if current else None
            if ratio and ratio >= 1:
                text += f" Today's {current:,} questions a month are {ratio:,.1f} times below that point."
            elif ratio:
                text += f" Today's {current:,} questions a month are already past that point."
        return text
