"""From a validated answer file to a full Assessment."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from tunewise.engine import montecarlo, sensitivity
from tunewise.engine.advice import CONTESTED, Tried, contested_figure_warning, next_step
from tunewise.engine.answers import AnswerFile
from tunewise.engine.assessment import (
    AnswerShown,
    Assessment,
    AssumptionUsed,
    Benefits,
    Client,
    CostLine,
    Costs,
    Flip,
    Gate,
    KnowledgeSplit,
    Phase,
    Reason,
    Recommendation,
    Sensitivity,
    Shortfall,
    StrategyId,
    StrategyResult,
    TornadoBar,
    Verdict,
    VolumePoint,
)
from tunewise.engine.assumptions import Assumption, Catalogue, load_catalogue
from tunewise.engine.costs import (
    WEEKS_PER_MONTH,
    Economics,
    Line,
    assumptions_read,
    break_even,
    economics,
    values_in,
    volume_level,
)
from tunewise.engine.decide import Decision, Effect, decide, effective_answers, squash
from tunewise.engine.guidance import load_guidance
from tunewise.engine.memo import remembered
from tunewise.engine.money import fmt, localise, round_to
from tunewise.engine.picks import Outcome
from tunewise.engine.questions import Question, QuestionBank, load_bank
from tunewise.engine.rules import RuleBook, load_rules
from tunewise.engine.scenarios import Scenarios
from tunewise.engine.value import payback_month
from tunewise.engine.verdict import discounted_cost, net_value_path, risk_adjusted_roi

SOURCE_LABELS = {"closed_api": "a closed API", "open_weights": "open weights you host"}
ASSUMPTION_LABELS = {"closed_api": "Closed API", "open_weights": "Open weights (self-hosted)"}


def assess(answer_file: AnswerFile, catalogue: Catalogue | None = None,
           extra_overrides: Mapping[str, float] | None = None,
           with_sensitivity: bool = True) -> Assessment:
    """The engine's one entry point: every conclusion about one answer file."""
    bank, book = load_bank(), load_rules()
    catalogue = (catalogue or load_catalogue()).with_overrides(
        dict(extra_overrides or {}) | answer_file.assumptions)
    currency = answer_file.currency
    values = values_in(catalogue, currency)
    answers = effective_answers(bank, answer_file.answers)
    decision = decide(book, answers, values)
    _simulate(decision, catalogue, values, answers, currency)
    labels: dict[str, str] = {s.id: s.label for s in book.strategies}
    decision.next_step = next_step(decision, labels, values, answers)
    sens, tried = Sensitivity(flips=[], tornado=[], volume_curve=[], recommendation_changes_at=[]), None
    if with_sensitivity:
        sources = {s.id: s.source for s in decision.ranked}
        sens, tried = _sensitivity(bank, book, catalogue, answer_file, values, answers, decision, sources)
    contested = contested_figure_warning(decision, values, catalogue.entries[CONTESTED].low, answers,
                                         labels, tried)
    if contested:
        decision.warnings.append(contested)
    return _build(answer_file, bank, book, catalogue, values, answers, decision, sens)


def _simulate(decision: Decision, catalogue: Catalogue, values: Mapping[str, float],
              answers: Mapping[str, Any], currency: str) -> None:
    """Net value ranges and chances of being best from the Monte Carlo; confidence follows."""
    drawn = montecarlo.draws(catalogue, values, catalogue.fx(currency))
    spreads, share = montecarlo.simulate(decision.ranked, drawn, answers)
    for item in decision.ranked:
        item.net_value_p10, item.net_value_p90 = spreads[item.id].p10, spreads[item.id].p90
        item.probability_best = share[item.id]
    decision.confidence = decision.recommended.probability_best


_VALUES: list[tuple[Catalogue, str, dict[str, float]]] = []


def _values_for(catalogue: Catalogue, currency: str) -> dict[str, float]:
    """`values_in`, kept for the last catalogue and currency: the live panel asks on every answer."""
    for known, known_currency, values in _VALUES:
        if known is catalogue and known_currency == currency:
            return values
    values = values_in(catalogue, currency)
    _VALUES[:] = [(catalogue, currency, values)]
    return values


def quick_decision(answers: Mapping[str, Any], currency: str = "USD",
                   catalogue: Catalogue | None = None) -> Decision:
    """The ranking alone, for live displays: no sensitivity, no report objects.

    Questions not answered yet count at their defaults, so a half-finished
    interview shows what the answers so far lead to, not what an empty form does.
    Each call starts from the previous call's evaluations and recomputes only what the
    changed answers reach (`CostModel.evaluate_near`): the same numbers, less work.
    """
    bank = load_bank()
    catalogue = catalogue or load_catalogue()
    values = _values_for(catalogue, currency)
    merged = bank.defaults() | dict(answers)
    effective = effective_answers(bank, merged)
    last = _LAST[0] if _LAST and _LAST[0][0] is values else None

    def reuse(strategy: str, source: str) -> Economics:
        near = last[2].get((strategy, source)) if last else None
        return economics(values, strategy, source, effective, near=near,
                         near_answers=last[1] if last else None)

    decision = decide(load_rules(), effective, values, reuse=reuse)
    _LAST[:] = [(values, effective, decision.costed())]
    return decision


# The last live decision's inputs and evaluations, for the next one to start from.
_LAST: list[tuple[dict[str, float], dict[str, Any], dict[tuple[str, str], Economics]]] = []


def _lines(lines: list[Line], currency: str, labels: Mapping[str, str]) -> list[CostLine]:
    return [CostLine(key=line.key, label=labels.get(line.key, line.key.replace("_", " ")),
                     amount=round_to(line.amount, 2), basis=localise(line.basis(), currency),
                     assumptions=list(line.assumptions)) for line in lines]


LINE_LABELS = {
    "data_preparation": "Data collection and preparation", "evaluation_set": "Evaluation set",
    "engineering": "Engineering and integration", "training_compute": "Training compute",
    "ingestion": "Document ingestion and embedding", "inference": "Model usage (inference)",
    "hosting_ops": "Operating self-hosted models", "vector_db": "Vector database",
    "reembedding": "Keeping the index current", "retraining": "Retraining on the data's cadence",
    "maintenance": "Maintenance", "delay": "Value forgone while building",
    "errors_avoided": "Wrong answers avoided", "compliance": "Compliance upkeep for the cloud agreement",
    "compliance_review": "Review of the cloud provider's data agreement",
}


def _ip_line(chosen: Economics, currency: str) -> list[CostLine]:
    if chosen.one_off_benefit <= 0:
        return []
    return [CostLine(key="ip_value", label="Owned model weights (one-off, your figure)",
                     amount=round_to(chosen.one_off_benefit, 2),
                     basis="the value you entered for owning the model, counted once",
                     assumptions=[])]


def _reason(effect: Effect, currency: str) -> Reason:
    return Reason(question=effect.question, strategy=effect.strategy,
                  effect=round_to(effect.effect, 4), text=localise(effect.text, currency),
                  rule=effect.rule, kind=effect.kind)


def _risk_adjusted(item, values: Mapping[str, float]) -> tuple[float | None, float | None, list[float]]:
    """(ROI, payback month, cumulative net value) on the cash flow of the net value, rounded so
    that the ROI is above zero and a payback month exists exactly when the rounded net value is."""
    chosen: Economics = item.chosen
    cumulative = net_value_path(chosen, values)
    path = [round_to(x, 2) for x in cumulative]
    if round_to(item.net_value, 2) == 0:
        return (0.0 if discounted_cost(chosen, values) > 0 else None), None, path
    roi = risk_adjusted_roi(chosen, values, item.net_value)
    if roi is not None:
        roi = round_to(roi, 4) or float(f"{roi:.3g}")  # a tiny ratio keeps its sign
    # Months until the cumulative net value turns positive for good; None if it never does.
    payback = payback_month(cumulative, item.net_value)
    return roi, None if payback is None else round_to(payback, 1), path


def _strategy_result(item, rank: int, book: RuleBook, currency: str,
                     values: Mapping[str, float]) -> StrategyResult:
    chosen: Economics = item.chosen
    roi, payback, path = _risk_adjusted(item, values)
    strategy = book.strategy(item.id)
    return StrategyResult(
        id=item.id, label=strategy.label, short=strategy.short, rank=rank,
        score=round_to(squash(item.raw), 4), raw_score=round_to(item.raw, 4), eligible=item.eligible,
        excluded_because=[localise(t, currency) for t in item.excluded_because],
        within_budget=item.within_budget, model_source=item.source,
        sources_allowed=list(item.allowed),
        costs=Costs(upfront=round_to(chosen.upfront_total, 2),
                    monthly=round_to(chosen.monthly_total, 2),
                    hidden=round_to(chosen.hidden_total, 2),
                    horizon_total=round_to(chosen.horizon_total, 2),
                    horizon_months=chosen.horizon_months,
                    upfront_lines=_lines(chosen.upfront, currency, LINE_LABELS),
                    monthly_lines=_lines(chosen.monthly, currency, LINE_LABELS),
                    hidden_lines=_lines(chosen.hidden, currency, LINE_LABELS),
                    cumulative=[round_to(x, 2) for x in chosen.cumulative()]),
        benefits=Benefits(monthly=round_to(chosen.benefit_monthly, 2),
                          horizon_total=round_to(chosen.benefit_horizon, 2),
                          error_reduction=round_to(chosen.error_reduction, 4),
                          errors_avoided_monthly=round_to(chosen.errors_avoided_monthly, 2),
                          lines=_lines(chosen.benefit, currency, LINE_LABELS) + _ip_line(chosen, currency),
                          owns_ip=item.id != "prompt" and item.id != "rag"
                          and item.source == "open_weights"),
        roi=roi, payback_months=payback, net_value_cumulative=path,
        weeks_to_live=round_to(chosen.weeks_to_live, 1),
        reasons=[_reason(e, currency) for e in item.reasons],
        net_value=round_to(item.net_value, 2), net_value_p10=round_to(item.net_value_p10, 2),
        net_value_p90=round_to(item.net_value_p90, 2),
        probability_best=round_to(item.probability_best, 4),
        gates=[Gate(gate=g.gate, passed=g.passed, text=localise(g.text, currency))
               for g in item.gates],
        shortfall=Shortfall(upfront=round_to(item.shortfall.upfront, 2),
                            monthly=round_to(item.shortfall.monthly, 2),
                            weeks=round_to(item.shortfall.weeks, 1)))


VERDICT_WORDS = {
    "build": "is the best fit",
    "do_not_build": "comes closest to paying back, but no option does",
    "outside_constraints": "would pay back but does not fit the limits given",
}


def _summary(answer_file: AnswerFile, decision: Decision, book: RuleBook,
             results: list[StrategyResult], currency: str) -> str:
    best = results[0]
    label = book.strategy(best.id).label
    gains = sorted((r for r in best.reasons if r.kind == "rule" and r.effect > 0), key=lambda r: -r.effect)
    roi = f", a risk-adjusted ROI of {best.roi:.0%}" if best.roi is not None else ""
    parts = [
        f"{label} on {SOURCE_LABELS[best.model_source]} {VERDICT_WORDS[decision.verdict]} for "
        f"{answer_file.client.project}.",
        f"Its risk-adjusted net value over {best.costs.horizon_months} months is "
        f"{fmt(best.net_value, currency)} (P10 {fmt(best.net_value_p10, currency)}, "
        f"P90 {fmt(best.net_value_p90, currency)}).",
        gains[0].text.split(" Effect on net value")[0] if gains else "",
        f"It costs about {fmt(best.costs.upfront, currency)} to build and "
        f"{fmt(best.costs.monthly, currency)} a month to run, "
        f"{fmt(best.costs.horizon_total, currency)} over {best.costs.horizon_months} months"
        f"{roi}.",
    ]
    if decision.runner_up:
        runner = next(r for r in results if r.id == decision.runner_up.id)
        parts.append(f"The runner-up is {book.strategy(runner.id).label} "
                     f"({fmt(runner.net_value, currency)}).")
    if decision.verdict == "build" and not decision.within_constraints:
        parts.append("No approach fits every budget and deadline given.")
    return " ".join(p for p in parts if p)


def answer_label(question: Question, value: Any, currency: str) -> str:
    """An answer in words: a choice's label, Yes/No, an amount of money, a number with its unit."""
    choice = question.choice(value) if question.type == "choice" else None
    if choice:
        return choice.label
    if question.type == "bool":
        return "Yes" if value else "No"
    if question.type == "money":
        return fmt(value, currency)
    if isinstance(value, int | float):
        return f"{value:,}" + (f" {question.unit}" if question.unit else "")
    return str(value)


def _answers_shown(bank: QuestionBank, answer_file: AnswerFile) -> list[AnswerShown]:
    merged = bank.defaults() | answer_file.answers
    shown = []
    for question in bank.questions:
        if question.id not in answer_file.answers:
            continue
        value = answer_file.answers[question.id]
        label = answer_label(question, value, answer_file.currency)
        shown.append(AnswerShown(question=question.id, section=question.section,
                                 prompt=question.prompt, value=value, label=label,
                                 defaulted=question.id in answer_file.defaulted,
                                 applies=question.applies(merged),
                                 note=answer_file.notes.get(question.id)))
    return shown


def _roadmap(item_id: str, economics: Economics, v: Mapping[str, float],
             answers: Mapping[str, Any]) -> list[Phase]:
    guidance = load_guidance()
    phases, start = [], 0.0
    level = volume_level(answers)
    prep = 0.0 if level == "none" else v[f"data_prep_weeks_{level}"]
    if item_id == "rag":
        prep *= v["rag_prep_share"]
    if item_id == "prompt":
        prep = 0.0
    if answers.get("ml_team") == "none":
        phases.append(Phase(name="Contract outside help", start_week=0,
                            weeks=v["outsourcing_delay_weeks"],
                            detail="Choose a partner and agree scope, handover and support."))
        start += v["outsourcing_delay_weeks"]
    if prep:
        phases.append(Phase(name="Collect and prepare data", start_week=round_to(start, 1),
                            weeks=round_to(prep, 1),
                            detail="Gather, clean and format the knowledge; build the "
                                   "evaluation set."))
        start += prep
    build = max(economics.weeks_to_live - start, 0.5)
    for template in guidance.roadmap[item_id]:
        weeks = build * template.share
        phases.append(Phase(name=template.name, start_week=round_to(start, 1),
                            weeks=round_to(weeks, 1), detail=template.detail))
        start += weeks
    return phases


def _build(answer_file: AnswerFile, bank: QuestionBank, book: RuleBook, catalogue: Catalogue,
           values: dict[str, float], answers: dict[str, Any], decision: Decision,
           sens: Sensitivity) -> Assessment:
    currency = answer_file.currency
    results = [_strategy_result(item, rank, book, currency, values)
               for rank, item in enumerate(decision.ranked, start=1)]
    best, best_item = results[0], decision.recommended
    by_id = {s.id: s for s in decision.ranked}
    crossing = break_even(values, ("rag", by_id["rag"].source), ("peft", by_id["peft"].source),
                          answers, near=decision.costed())

    split = None
    if best.id == "hybrid":
        fine_tune, retrieve = load_guidance().split(answers)
        split = KnowledgeSplit(fine_tune=fine_tune, retrieve=retrieve)
    context = dict(answers) | {"strategy": best.id, "model_source": best.model_source}
    risks = load_guidance().risks_for(context)
    retrain = None
    if best_item.chosen.retrains_per_month:
        retrain = round_to(1.0 / best_item.chosen.retrains_per_month, 2)
    assumptions = [_assumption_used(entry) for entry in catalogue.entries.values()]
    client = answer_file.client
    return Assessment(
        client=Client(name=client.name, project=client.project, consultant=client.consultant,
                      date=client.date.isoformat() if client.date else None),
        currency=currency,
        recommendation=Recommendation(
            strategy=best.id, model_source=best.model_source,
            runner_up=decision.runner_up.id if decision.runner_up else None,
            confidence=round_to(decision.confidence, 3),
            summary=_summary(answer_file, decision, book, results, currency),
            within_constraints=decision.within_constraints,
            source_reasons=[_reason(e, currency) for e in decision.source_reasons],
            verdict=decision.verdict,
            warnings=[localise(w, currency) for w in decision.warnings],
            next_step=localise(decision.next_step, currency) if decision.next_step else None),
        strategies=results,
        reasons=[r for s in results for r in s.reasons]
        + [_reason(e, currency) for e in decision.source_reasons],
        break_even_monthly_queries=None if crossing is None else int(round(crossing)),
        answers=_answers_shown(bank, answer_file), assumptions=assumptions, sensitivity=sens,
        knowledge_split=split, roadmap=_roadmap(best.id, best_item.chosen, values, answers),
        retrain_every_months=retrain, risks=risks,
        horizon_months=int(values["horizon_months"]))


# Each catalogue entry as the assessment lists it, kept by entry: entries never change once made
# and every assessment on the same catalogue shares them (an override makes a new one), while
# making the hundred-odd objects again was 3 % of an assessment.
_USED: dict[int, tuple[Assumption, AssumptionUsed]] = {}


def _assumption_used(e: Assumption) -> AssumptionUsed:
    return remembered(_USED, id(e), e, lambda: AssumptionUsed(
        key=e.key, label=e.label, value=e.value, low=e.low, high=e.high, unit=e.unit, source=e.source,
        as_of=e.as_of, kind=e.kind, overridden=e.overridden))


def _sensitivity(bank, book, catalogue, answer_file, values, effective, decision,
                 sources) -> tuple[Sensitivity, Tried]:
    """The sensitivity analysis, and the pick and verdict of each figure the tornado tried at its
    low and its high (for `advice.contested_figure_warning`)."""
    scenarios = Scenarios(book, bank, values, effective, decision)
    reads = {pair: assumptions_read(values, *pair, effective) for pair in scenarios.base}
    ranges = _tornado_ranges(catalogue, answer_file.currency, frozenset().union(*reads.values()))
    answers = answer_file.answers
    # Decide the answers flips tries, the volume grid and every figure at its low and its high
    # together, in one pass (for a free question such as the volume, a change to the raw answers
    # is one to the effective ones).
    flip_tries = sensitivity.flip_changes(bank, answers)
    outcomes = scenarios.changes(flip_tries + sensitivity.grid_changes(), answers,
                                 figures=[(key, end) for key, (low, high) in ranges.items() if low != high
                                          for end in (low, high)])
    flips = []
    for question_id, current, alternative, strategy, source in sensitivity.flips(
            bank, answers, decision, flip_tries, outcomes[:len(flip_tries)]):
        label = answer_label(bank.get(question_id), alternative, answer_file.currency)
        flips.append(Flip(question=question_id, current=current, alternative=alternative,
                          alternative_label=label, strategy=strategy, model_source=source))
    decided = _figure_outcomes(scenarios, book, values, effective, decision.recommended)

    def outcome(changed: str, value: float) -> tuple[float, StrategyId]:
        total, picked = decided(changed, value)
        return total, picked.strategy

    def tried(changed: str, value: float) -> tuple[StrategyId, Verdict] | None:
        if (changed, value) not in scenarios.figures:
            return None
        picked = decided(changed, value)[1]
        return picked.strategy, picked.verdict

    leader = decision.recommended
    bars = [TornadoBar(key=key, label=catalogue.entries[key].label, low=low, high=high,
                       strategy=leader.id, total_at_low=round_to(at_low, 2),
                       total_at_high=round_to(at_high, 2),
                       base_total=round_to(leader.chosen.horizon_total, 2),
                       winner_at_low=w_low, winner_at_high=w_high)
            for key, low, high, at_low, at_high, w_low, w_high in sensitivity.tornado(
                ranges, leader.id, outcome)]
    curve = sensitivity.volume_curve(scenarios.changes, scenarios.change_totals, sources)
    changes = sensitivity.changes_at(scenarios.winners_at, curve)
    return Sensitivity(
        flips=flips, tornado=bars,
        volume_curve=[VolumePoint(monthly_queries=q, totals={k: round_to(t, 2) for k, t in tot.items()},
                                  recommended=w) for q, tot, w in curve],
        recommendation_changes_at=changes), tried


def _tornado_ranges(catalogue: Catalogue, currency: str, read_somewhere: frozenset[str]
                    ) -> dict[str, tuple[float, float]]:
    """(low, high) in the assessment's currency of every figure the tornado tries. A figure no
    strategy's costs read cannot move a total or the pick: no need to try it."""
    rate = catalogue.fx(currency)
    return {key: (e.low * rate, e.high * rate) if e.unit.startswith("USD") else (e.low, e.high)
            for key, e in catalogue.entries.items()
            if not key.startswith("fx_") and key != "horizon_months"
            and (key in read_somewhere or key.startswith(("success_", "discount_", "adoption_")))}


def _figure_outcomes(scenarios: Scenarios, book: RuleBook, values: Mapping[str, float],
                     effective: Mapping[str, Any], leader: Any
                     ) -> Callable[[str, float], tuple[float, Outcome]]:
    """For one figure at another value: the leader's horizon total there, and the outcome."""
    horizon = int(values["horizon_months"])

    def decided(changed: str, value: float) -> tuple[float, Outcome]:
        # Every strategy's costs at this trial come from the batch's vectorised evaluation, and
        # so does the pick wherever it is clear (engine/picks.py); else decide it.
        trial = scenarios.figures[(changed, value)]
        if trial.picked is not None:
            return trial.totals[(leader.id, leader.source)].horizon_total(horizon, trial.at), trial.picked

        def reuse(strategy: str, source: str) -> Economics | None:
            found = trial.totals.get((strategy, source))
            return found.economics(strategy, source, horizon, trial.at) if found else None

        again = decide(book, effective, dict(values) | {changed: value}, reuse=reuse,
                       stage=scenarios.stage, explain=False)
        item = next(s for s in again.ranked if s.id == leader.id)
        economics = item.economics.get(leader.source) or item.chosen
        return economics.horizon_total, Outcome.of(again)

    return decided


__all__ = ["assess", "quick_decision", "WEEKS_PER_MONTH"]
