"""The assessment: everything the engine concludes, as pydantic models.

`Assessment.model_dump(mode="json")` is the `tunewise.assessment/1` JSON of the
contract; fields beyond the contract's are additions, never renames.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA = "tunewise.assessment/1"
StrategyId = Literal["prompt", "rag", "peft", "full_fine_tune", "from_scratch", "hybrid"]
SourceId = Literal["closed_api", "open_weights"]
ReasonKind = Literal["rule", "exclusion", "source", "economics", "budget", "timeline"]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class Reason(_Model):
    question: str
    strategy: str
    effect: float
    text: str
    rule: str
    kind: ReasonKind = "rule"


class CostLine(_Model):
    key: str
    label: str
    amount: float
    basis: str = Field(description="How the amount was worked out, in words and figures")
    assumptions: list[str] = Field(default_factory=list)


class Costs(_Model):
    upfront: float
    monthly: float
    hidden: float
    horizon_total: float
    horizon_months: int
    upfront_lines: list[CostLine]
    monthly_lines: list[CostLine]
    hidden_lines: list[CostLine]
    cumulative: list[float] = Field(description="Cumulative cost at the end of month 0..horizon")


class Benefits(_Model):
    monthly: float
    horizon_total: float
    error_reduction: float = Field(description="Share of a general model's errors removed")
    errors_avoided_monthly: float
    lines: list[CostLine]
    owns_ip: bool = Field(description="Yields model weights the business owns (stated, not priced)")


GateName = Literal["data", "knowledge_size", "realtime_data", "citations", "team", "privacy",
                   "budget_upfront", "budget_monthly", "deadline"]
Verdict = Literal["build", "do_not_build", "outside_constraints"]


class Gate(_Model):
    gate: GateName
    passed: bool
    text: str


class Shortfall(_Model):
    """What a strategy needs beyond the budget and deadline to fit; zero when it fits."""

    upfront: float = 0.0
    monthly: float = 0.0
    weeks: float = 0.0


class StrategyResult(_Model):
    id: StrategyId
    label: str
    short: str
    rank: int
    score: float
    raw_score: float
    eligible: bool
    excluded_because: list[str]
    within_budget: bool
    model_source: SourceId
    sources_allowed: list[SourceId]
    costs: Costs
    benefits: Benefits
    roi: float | None = Field(description="Risk-adjusted ROI: net_value over the discounted costs of "
                              "the same cash flow; above zero exactly when net_value is")
    payback_months: float | None = Field(description="Months from the start until the cumulative "
                                         "risk-adjusted, discounted net value turns positive for good; "
                                         "null when net_value is not positive")
    weeks_to_live: float
    reasons: list[Reason]
    net_value: float = Field(0.0, description="Risk-adjusted net present value over the horizon "
                             "at the catalogue's central figures")
    net_value_p10: float = 0.0
    net_value_p90: float = 0.0
    probability_best: float = Field(0.0, description="Share of Monte Carlo draws in which this "
                                    "strategy has the highest net value among those passing the gates")
    gates: list[Gate] = Field(default_factory=list)
    net_value_cumulative: list[float] = Field(
        default_factory=list, description="Cumulative risk-adjusted, discounted net value at the end of "
        "month 0..horizon; the last figure is net_value")
    shortfall: Shortfall = Field(default_factory=Shortfall)


class Recommendation(_Model):
    strategy: StrategyId
    model_source: SourceId
    runner_up: StrategyId | None
    confidence: float
    summary: str
    within_constraints: bool
    source_reasons: list[Reason]
    verdict: Verdict = "build"
    warnings: list[str] = Field(default_factory=list)
    next_step: str | None = None


class Client(_Model):
    name: str
    project: str
    consultant: str | None = None
    date: str | None = None


class AnswerShown(_Model):
    question: str
    section: str
    prompt: str
    value: object
    label: str
    defaulted: bool = False
    applies: bool = True
    note: str | None = Field(None, description="The consultant's note on this answer (answer file `notes`)")


class AssumptionUsed(_Model):
    key: str
    label: str
    value: float
    low: float
    high: float
    unit: str
    source: str
    as_of: str
    kind: str
    overridden: bool


class Flip(_Model):
    question: str
    current: object
    alternative: object
    alternative_label: str
    strategy: StrategyId
    model_source: SourceId


class TornadoBar(_Model):
    key: str
    label: str
    low: float
    high: float
    strategy: StrategyId
    total_at_low: float
    total_at_high: float
    base_total: float
    winner_at_low: StrategyId
    winner_at_high: StrategyId

    @property
    def swing(self) -> float:
        return abs(self.total_at_high - self.total_at_low)


class VolumePoint(_Model):
    monthly_queries: int
    totals: dict[str, float]
    recommended: StrategyId


class Sensitivity(_Model):
    flips: list[Flip]
    tornado: list[TornadoBar]
    volume_curve: list[VolumePoint]
    recommendation_changes_at: list[int] = Field(
        description="Monthly volumes at which the recommended strategy changes")


class KnowledgeSplit(_Model):
    fine_tune: list[str]
    retrieve: list[str]


class Phase(_Model):
    name: str
    start_week: float
    weeks: float
    detail: str


class Assessment(_Model):
    schema_: str = Field(default=SCHEMA, alias="schema")
    client: Client
    currency: str
    recommendation: Recommendation
    strategies: list[StrategyResult]
    reasons: list[Reason]
    break_even_monthly_queries: int | None
    answers: list[AnswerShown]
    assumptions: list[AssumptionUsed]
    sensitivity: Sensitivity
    knowledge_split: KnowledgeSplit | None
    roadmap: list[Phase]
    retrain_every_months: float | None
    risks: list[str]
    horizon_months: int

    model_config = ConfigDict(frozen=True, populate_by_name=True)

    def strategy(self, strategy_id: str) -> StrategyResult:
        return next(s for s in self.strategies if s.id == strategy_id)

    @property
    def recommended(self) -> StrategyResult:
        return self.strategy(self.recommendation.strategy)

    def to_json_dict(self) -> dict:
        return self.model_dump(mode="json", by_alias=True)
