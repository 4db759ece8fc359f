"""What the live advisor says, worked out from two engine decisions (before and after).

No Textual here: ``advisor_view`` returns rich Text for the panel to show, so it can
be tested and timed on its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.text import Text

from tunewise.engine.money import localise
from tunewise.tui.verdict import limits_missed, needs_text

if TYPE_CHECKING:
    # The decision engine (and numpy under it) loads with the first answer, not at launch:
    # the empty first screen needs none of it.
    from tunewise.engine.decide import Decision, Scored
    from tunewise.tui.session import Session


def squash(raw: float) -> float:
    from tunewise.engine.decide import squash as engine_squash

    return engine_squash(raw)

STRATEGY_SHORT = {"prompt": "Prompt", "rag": "RAG", "peft": "PEFT", "full_fine_tune": "Full FT",
                  "from_scratch": "Scratch", "hybrid": "RAG+FT"}
SOURCE_SHORT = {"closed_api": "closed API", "open_weights": "open weights"}
MOVED = 0.005


def strategy_label(strategy_id: str) -> str:
    from tunewise.engine.rules import load_rules

    return load_rules().strategy(strategy_id).label


def bar(score: float, width: int = 10) -> str:
    filled = round(max(0.0, min(1.0, score)) * width)
    return "█" * filled + "░" * (width - filled)


def status_word(item: Scored) -> str:
    """"out" when an answer rules it out, "over" when only budget or deadline do."""
    if item.eligible:
        return ""
    return "out" if item.hard_excluded else "over"


@dataclass
class AdvisorView:
    leader: Text
    bars: Text
    latest: Text
    why: Text


def advisor_view(session: Session, decision: Decision | None, previous: Decision | None,
                 present: bool = False) -> AdvisorView:
    if decision is None or not session.answers:
        return _waiting(session)
    best = decision.recommended
    currency = session.currency
    label = strategy_label(best.id)
    leader = Text()
    verdict = decision.verdict
    if verdict == "build" and decision.within_constraints:
        leader.append("▶ Best fit: ", style="bold")
        leader.append(label, style="bold")
        leader.append(f"\n  on {SOURCE_SHORT[best.source]}")
        if not present:
            leader.append(f"\n  confidence {decision.confidence:.0%}")
    elif verdict == "do_not_build":
        leader.append("Not worth building", style="bold")
        leader.append(":\nno approach is expected to earn back its cost on these answers.")
    else:
        shortfall = best.shortfall
        leader.append(f"Nothing fits {limits_missed(shortfall)}", style="bold")
        needs = needs_text(STRATEGY_SHORT[best.id], shortfall, currency)
        if needs:
            leader.append(f":\n{needs}.")
    fits = verdict == "build" and decision.within_constraints
    return AdvisorView(leader, _bars(decision, present),
                       _latest(session, decision, previous, present),
                       _why(session, decision) if fits else Text())


def _waiting(session: Session) -> AdvisorView:
    following = session.next_after(None)
    leader = Text("No answers yet.", style="bold")
    leader.append("\nThe advisor ranks the approaches once it knows about the use case "
                  "and the data.")
    latest = Text()
    if following is not None:
        latest.append("Needs next: ", style="bold")
        latest.append(following.prompt)
    return AdvisorView(leader, Text(), latest, Text())


def _bars(decision: Decision, present: bool) -> Text:
    best = decision.recommended
    lines = Text()
    for item in decision.ranked:
        score = squash(item.raw)
        lead = item.id == best.id and decision.within_constraints and decision.verdict == "build"
        mark = "▶" if lead else " "
        word = status_word(item)
        style = "strike" if word == "out" else ("italic" if word == "over" else "")
        lines.append(f"{mark}{STRATEGY_SHORT[item.id]:<8}", style="bold" if lead else style)
        lines.append(bar(score))
        if word:
            lines.append(f" {word}\n", style=style)
        elif present:
            lines.append("\n")
        else:
            lines.append(f" {score:.2f}\n")
    return lines


def _latest(session: Session, decision: Decision, previous: Decision | None,
            present: bool) -> Text:
    question_id = session.last_question
    text = Text()
    if question_id is None or question_id not in session.answers:
        return text
    from tunewise.tui.session import format_value

    question = session.bank.get(question_id)
    text.append("Latest: ", style="bold")
    text.append(f"{question.prompt} → "
                f"{format_value(question, session.answers[question_id], session.currency)}\n")
    if previous is None:
        return text
    before = {s.id: squash(s.raw) for s in previous.ranked}
    moves = sorted(((squash(s.raw) - before[s.id], s.id) for s in decision.ranked
                    if s.id in before), key=lambda m: -abs(m[0]))
    moves = [m for m in moves if abs(m[0]) >= MOVED][:3]
    if previous.recommended.id != decision.recommended.id and decision.within_constraints:
        text.append(f"{strategy_label(decision.recommended.id)} now leads. ", style="bold")
    was_out = {s.id for s in previous.ranked if s.hard_excluded}
    now_out = [s.id for s in decision.ranked if s.hard_excluded and s.id not in was_out]
    back_in = [s.id for s in decision.ranked if not s.hard_excluded and s.id in was_out]
    if now_out:
        text.append("Rules out " + ", ".join(_name(i) for i in now_out) + ". ", style="bold")
    if back_in:
        text.append("Brings back " + ", ".join(_name(i) for i in back_in) + ". ", style="bold")
    if previous.recommended.source != decision.recommended.source:
        text.append(f"Model source now {SOURCE_SHORT[decision.recommended.source]}. ",
                    style="bold")
    if not moves and not now_out and not back_in:
        own = _own_effects(decision, question_id)
        if own:
            # The advisor had assumed this answer already (unanswered questions count at
            # their defaults); say what it does rather than "nothing moved".
            text.append("Counts for " if own[0][0] > 0 else "Counts against ")
            text.append(" · ".join(f"{_name(sid)} {'+' if delta > 0 else '−'}"
                                   + ("" if present else f"{abs(delta):.2f}")
                                   for delta, sid in own[:3]))
            text.append(" (as already assumed)")
        else:
            text.append("No score moved; it may matter for costs or later questions.")
    elif present:
        text.append("Moved: " + ", ".join(STRATEGY_SHORT[m[1]] for m in moves))
    else:
        text.append(" · ".join(f"{STRATEGY_SHORT[sid]} {'+' if delta > 0 else '−'}"
                               f"{abs(delta):.2f}" for delta, sid in moves))
    return text


def _own_effects(decision: Decision, question_id: str) -> list[tuple[float, str]]:
    effects = [(e.effect, e.strategy) for s in decision.ranked for e in s.reasons
               if e.question == question_id and e.effect]
    effects += [(e.effect, e.strategy) for e in decision.source_reasons
                if e.question == question_id and e.effect]
    return sorted(effects, key=lambda m: -abs(m[0]))


def _name(key: str) -> str:
    """A strategy's or a model source's short name (never an empty gap)."""
    return STRATEGY_SHORT.get(key) or SOURCE_SHORT.get(key) or key.replace("_", " ")


def _why(session: Session, decision: Decision) -> Text:
    """Reasons for the leader that come from answers actually given (no defaults)."""
    best = decision.recommended
    answered: dict[str, Any] = session.answers
    positive = sorted((e for e in best.reasons if e.effect > 0 and e.question in answered),
                      key=lambda e: -e.effect)[:3]
    why = Text()
    if positive:
        why.append(f"Why {STRATEGY_SHORT[best.id]} leads:\n", style="bold")
        for effect in positive:
            why.append(f"+ {localise(effect.text, session.currency)}\n")
    return why
