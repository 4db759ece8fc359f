"""The cost and benefit model: named lines, each traceable to assumptions and answers.

Everything here is plain arithmetic over floats so it is cheap enough to rerun
hundreds of times for sensitivity analysis. Amounts are in the answer file's
currency: `values_in` converts the catalogue's dollar figures first. `v` is a
plain mapping of assumption key to value, `answers` the effective answers.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

FINE_TUNED = frozenset({"peft", "full_fine_tune", "from_scratch", "hybrid"})
RETRIEVES = frozenset({"rag", "hybrid"})
TRAINS_ML = FINE_TUNED
WEEKS_PER_MONTH = 52.0 / 12.0
CHANGE_ORDER = ("static", "yearly", "quarterly", "monthly", "weekly", "daily", "realtime")
UPDATES_PER_MONTH = {
    "static": 0.0,
    "yearly": 1 / 12,
    "monthly": 1.0,
    "weekly": WEEKS_PER_MONTH,
    "daily": 30.4,
    "realtime": 60.0,
}


@dataclass(slots=True)
class Line:
    """One cost or benefit line: a key, an amount, and how it was reached."""

    key: str
    amount: float
    # Formatting every explanation is costly and the sensitivity analysis discards
    # almost all of them, so the text is built only when it is read.
    basis: Callable[[], str]
    assumptions: tuple[str, ...] = ()


@dataclass
class Economics:
    """All lines of one strategy on one source. Totals are cached: build the lines first."""

    strategy: str
    source: str
    upfront: list[Line] = field(default_factory=list)
    monthly: list[Line] = field(default_factory=list)
    hidden: list[Line] = field(default_factory=list)
    benefit: list[Line] = field(default_factory=list)
    weeks_to_live: float = 0.0
    error_reduction: float = 0.0
    errors_avoided_monthly: float = 0.0
    horizon_months: int = 36
    retrains_per_month: float = 0.0

    @cached_property
    def upfront_total(self) -> float:
        return sum(line.amount for line in self.upfront)

    @cached_property
    def monthly_total(self) -> float:
        return sum(line.amount for line in self.monthly)

    @cached_property
    def hidden_total(self) -> float:
        return sum(line.amount for line in self.hidden)

    @cached_property
    def benefit_monthly(self) -> float:
        return sum(line.amount for line in self.benefit)

    @cached_property
    def live_months(self) -> float:
        return min(self.weeks_to_live / WEEKS_PER_MONTH, float(self.horizon_months))

    @cached_property
    def horizon_total(self) -> float:
        """Cash spent over the horizon: upfront plus running costs once live."""
        return self.upfront_total + self.monthly_total * (self.horizon_months - self.live_months)

    @cached_property
    def benefit_horizon(self) -> float:
        return self.benefit_monthly * (self.horizon_months - self.live_months)

    @cached_property
    def roi(self) -> float | None:
        cost = self.horizon_total
        return None if cost <= 0 else (self.benefit_horizon - cost) / cost

    @cached_property
    def payback_months(self) -> float | None:
        margin = self.benefit_monthly - self.monthly_total
        if margin <= 0:
            return None
        months = self.live_months + self.upfront_total / margin
        return months if months <= self.horizon_months else None

    def cumulative(self) -> list[float]:
        """Cumulative cash cost at the end of each month 0..horizon."""
        live, upfront, monthly = self.live_months, self.upfront_total, self.monthly_total
        return [upfront + monthly * max(0.0, month - live) for month in range(self.horizon_months + 1)]


def values_in(catalogue, currency: str) -> dict[str, float]:
    """Catalogue values as a plain dict, with dollar amounts converted to ``currency``."""
    rate = catalogue.fx(currency)
    return {
        key: entry.value * rate if entry.unit.startswith("USD") else entry.value
        for key, entry in catalogue.entries.items()
    }


def money(amount: float) -> str:
    """An amount in the assessment's currency, marked with a placeholder symbol."""
    return f"¤{amount:,.0f}" if abs(amount) >= 100 else f"¤{amount:,.2f}"


def tokens(count: float) -> str:
    for limit, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")):
        if count >= limit:
            return f"{count / limit:.3g}{suffix}"
    return f"{count:.0f}"


def change_level(answers: Mapping[str, Any]) -> str:
    return answers.get("data_change") or "static"


def volume_level(answers: Mapping[str, Any]) -> str:
    if not answers.get("needs_private_data", True):
        return "none"
    return answers.get("data_volume") or "none"


def corpus_tokens(v: Mapping[str, float], answers: Mapping[str, Any]) -> float:
    level = volume_level(answers)
    return 0.0 if level == "none" else v[f"corpus_tokens_{level}"]


def updates_per_month(v: Mapping[str, float], level: str) -> float:
    if level == "quarterly":
        return 1.0 / v["talk_retrain_interval_months"]
    return UPDATES_PER_MONTH[level]


def retrain_interval_months(v: Mapping[str, float], strategy: str, answers: Mapping[str, Any]) -> float:
    """How often a fine-tuned model is retrained; intervals only shrink as change speeds up."""
    level = change_level(answers)
    if strategy == "hybrid" and answers.get("stable_and_evolving"):
        level = "static"  # retrieval carries the changing facts; the tuned part holds lasting know-how
    interval = v["base_model_refresh_months"]
    steps = {
        "yearly": 12.0,
        "quarterly": v["talk_retrain_interval_months"],
        "monthly": 1.0,
        "weekly": v["min_retrain_interval_months"],
    }
    for step in CHANGE_ORDER[1 : CHANGE_ORDER.index(level) + 1]:
        interval = min(interval, steps.get(step, v["min_retrain_interval_months"]))
    return max(interval, v["min_retrain_interval_months"])


def freshness(v: Mapping[str, float], strategy: str, answers: Mapping[str, Any]) -> float:
    if strategy == "hybrid" and answers.get("stable_and_evolving"):
        return 1.0
    level = change_level(answers)
    # Never more than the level before it, so an override cannot make faster change look fresher.
    value = 1.0
    for step in CHANGE_ORDER[: CHANGE_ORDER.index(level) + 1]:
        value = min(value, v[f"freshness_{step}"])
    return value


class Rates:
    """Hourly rates for software and machine-learning work, given the team."""

    def __init__(self, v: Mapping[str, float], team: str, source: str):
        eng, ml = v["engineer_hour_usd"], v["ml_engineer_hour_usd"]
        if team == "none":
            factor = v["outsourcing_rate_factor"]
            self.software, self.ml = eng * factor, ml * factor
            self.note = f"bought in at {factor:g}x rates"
        elif team == "engineers":
            curve = v["learning_curve_factor"]
            self.software = eng * (curve if source == "open_weights" else 1.0)
            self.ml = eng * curve
            self.note = f"engineers learning on the job ({curve:g}x hours)"
        else:
            self.software, self.ml = eng, ml
            self.note = "in-house team"


def per_query_tokens(
    v: Mapping[str, float], strategy: str, answers: Mapping[str, Any]
) -> tuple[float, float, float]:
    """(fixed prefix tokens, varying input tokens, output tokens) for one question."""
    system = v["system_prompt_tokens"]
    if strategy in FINE_TUNED:
        system *= 1.0 - v["finetune_prompt_reduction"]
    prefix = system
    varying = v["query_input_tokens"]
    if strategy == "prompt" and volume_level(answers) != "none":
        prefix += min(corpus_tokens(v, answers), v["corpus_tokens_prompt_sized"])
    if strategy in RETRIEVES:
        varying += v["rag_chunks_per_query"] * v["rag_chunk_tokens"]
    return prefix, varying, v["query_output_tokens"]


def api_cost_per_query(v: Mapping[str, float], strategy: str, answers: Mapping[str, Any]) -> float:
    prefix, varying, output = per_query_tokens(v, strategy, answers)
    factor = v["api_finetuned_price_factor"] if strategy in FINE_TUNED else 1.0
    price_in = v["api_input_usd_per_mtok"] * factor / 1e6
    price_out = v["api_output_usd_per_mtok"] * factor / 1e6
    hit = v["prompt_cache_hit_share"]
    cached = prefix * (hit * v["api_cached_input_factor"] + (1.0 - hit))
    return (cached + varying) * price_in + output * price_out


def gpu_capacity(v: Mapping[str, float], strategy: str, answers: Mapping[str, Any]) -> float:
    """Questions a month one GPU serves, scaled by how heavy each question is.

    Reading input is roughly ten times cheaper per token than writing output,
    so the load of a question is output + input / 10 tokens.
    """
    prefix, varying, output = per_query_tokens(v, strategy, answers)
    baseline = v["query_output_tokens"] + (v["query_input_tokens"] + v["system_prompt_tokens"]) / 10
    load = output + (prefix + varying) / 10
    return v["selfhost_queries_per_gpu_month"] * baseline / load


def chunks(v: Mapping[str, float], answers: Mapping[str, Any]) -> float:
    stride = max(1.0, v["rag_chunk_tokens"] - v["rag_chunk_overlap_tokens"])
    return corpus_tokens(v, answers) / stride


def training_tokens(v: Mapping[str, float], answers: Mapping[str, Any]) -> float:
    return min(corpus_tokens(v, answers) * v["finetune_examples_share"], v["finetune_max_training_tokens"])


def gpu_hours_for(v: Mapping[str, float], params: float, token_count: float) -> float:
    flops = v["training_flops_per_param_token"] * params * token_count
    return flops / (v["gpu_peak_flops"] * v["gpu_utilisation"] * 3600.0)


def training_compute(v: Mapping[str, float], strategy: str, source: str, answers: Mapping[str, Any]) -> Line:
    """The compute bill of one training run."""
    if strategy == "from_scratch":
        params = v["scratch_model_params"]
        count = params * v["scratch_tokens_per_param"]
        hours = gpu_hours_for(v, params, count) * v["scratch_experiment_overhead"]
        return Line(
            "training_compute",
            hours * v["gpu_hour_usd"],
            lambda: (
                f"{tokens(count)} tokens on a {tokens(params)}-parameter model = "
                f"{hours:,.0f} GPU-hours (incl. {v['scratch_experiment_overhead']:g}x for "
                f"trial runs) x {money(v['gpu_hour_usd'])}"
            ),
            (
                "scratch_model_params",
                "scratch_tokens_per_param",
                "gpu_hour_usd",
                "scratch_experiment_overhead",
                "gpu_peak_flops",
                "gpu_utilisation",
            ),
        )
    count = training_tokens(v, answers) * v["finetune_epochs"]
    if source == "closed_api":
        return Line(
            "training_compute",
            count / 1e6 * v["api_training_usd_per_mtok"],
            lambda: (
                f"{tokens(count)} training tokens ({v['finetune_epochs']:g} epochs) x "
                f"{money(v['api_training_usd_per_mtok'])} per million"
            ),
            ("finetune_examples_share", "finetune_epochs", "api_training_usd_per_mtok"),
        )
    share = v["lora_compute_share"] if strategy in ("peft", "hybrid") else 1.0
    hours = gpu_hours_for(v, v["open_model_params"], count) * share
    return Line(
        "training_compute",
        hours * v["gpu_hour_usd"],
        lambda: (
            f"{tokens(count)} training tokens on a {tokens(v['open_model_params'])}-parameter"
            f" model = {hours:,.1f} GPU-hours x {money(v['gpu_hour_usd'])}"
        ),
        (
            "finetune_examples_share",
            "finetune_epochs",
            "open_model_params",
            "lora_compute_share",
            "gpu_hour_usd",
            "gpu_utilisation",
        ),
    )


def embedding_cost(v: Mapping[str, float], source: str, token_count: float) -> float:
    if source == "closed_api":
        return token_count / 1e6 * v["embedding_usd_per_mtok"]
    return token_count / v["selfhost_embedding_tokens_per_gpu_hour"] * v["gpu_hour_usd"]


def vector_db_monthly(
    v: Mapping[str, float], source: str, answers: Mapping[str, Any], queries: float
) -> Line:
    gigabytes = chunks(v, answers) * v["vector_bytes_per_chunk"] / 1e9
    if source == "closed_api":
        usage = (
            gigabytes * v["vector_db_gb_month_usd"]
            + queries * v["vector_db_read_units_per_query"] * v["vector_db_read_unit_usd_per_m"] / 1e6
        )
        amount = max(v["vector_db_min_monthly_usd"], usage)
        return Line(
            "vector_db",
            amount,
            lambda: (
                f"managed index of {gigabytes:,.1f} GB and {queries:,.0f} searches, at least "
                f"{money(v['vector_db_min_monthly_usd'])}"
            ),
            (
                "vector_db_gb_month_usd",
                "vector_db_read_units_per_query",
                "vector_db_read_unit_usd_per_m",
                "vector_db_min_monthly_usd",
                "vector_bytes_per_chunk",
            ),
        )
    amount = v["selfhost_vector_db_monthly_usd"] + gigabytes * v["selfhost_storage_gb_month_usd"]
    return Line(
        "vector_db",
        amount,
        lambda: (
            f"self-hosted servers {money(v['selfhost_vector_db_monthly_usd'])} + "
            f"{gigabytes:,.1f} GB of storage"
        ),
        ("selfhost_vector_db_monthly_usd", "selfhost_storage_gb_month_usd", "vector_bytes_per_chunk"),
    )


def inference_monthly(
    v: Mapping[str, float], strategy: str, source: str, answers: Mapping[str, Any], queries: float
) -> list[Line]:
    if source == "closed_api":
        per_query = api_cost_per_query(v, strategy, answers)
        label = "fine-tuned model" if strategy in FINE_TUNED else "base model"
        return [
            Line(
                "inference",
                per_query * queries,
                lambda: f"{queries:,.0f} questions x {money(per_query * 1000)} per thousand ({label} prices)",
                (
                    "api_input_usd_per_mtok",
                    "api_output_usd_per_mtok",
                    "api_finetuned_price_factor",
                    "query_input_tokens",
                    "query_output_tokens",
                    "system_prompt_tokens",
                    "prompt_cache_hit_share",
                ),
            )
        ]
    capacity = gpu_capacity(v, strategy, answers)
    gpus = max(v["selfhost_min_gpus"], queries / capacity)
    premium = v["talk_finetuned_cost_premium"] if strategy in FINE_TUNED else 0.0
    amount = gpus * v["hours_per_month"] * v["gpu_hour_usd"] * (1.0 + premium)

    def basis() -> str:
        text = (
            f"{gpus:,.1f} GPUs x {v['hours_per_month']:g} h x {money(v['gpu_hour_usd'])} "
            f"({capacity:,.0f} questions per GPU-month)"
        )
        return text + (f", +{premium:.1%} for a custom model" if premium else "")

    return [
        Line(
            "inference",
            amount,
            basis,
            (
                "selfhost_queries_per_gpu_month",
                "selfhost_min_gpus",
                "gpu_hour_usd",
                "hours_per_month",
                "talk_finetuned_cost_premium",
            ),
        ),
        Line(
            "hosting_ops",
            v["selfhost_ops_monthly_usd"],
            lambda: "monitoring, patching and on-call for models you host",
            ("selfhost_ops_monthly_usd",),
        ),
    ]


def volume_hours(v: Mapping[str, float], prefix: str, answers: Mapping[str, Any]) -> float:
    level = volume_level(answers)
    return 0.0 if level == "none" else v[f"{prefix}_{level}"]


def error_reduction(v: Mapping[str, float], strategy: str, answers: Mapping[str, Any]) -> float:
    """Share of a general model's wrong answers this strategy removes."""
    if not answers.get("needs_private_data", True):
        return v["prompt_error_reduction"] if strategy == "prompt" else 0.0
    corpus = corpus_tokens(v, answers)
    if corpus <= 0:
        return v["prompt_error_reduction"] * 0.5 if strategy == "prompt" else 0.0
    learned_gap = v["talk_accuracy_gain"] if answers.get("behaviour_change") else 0.0
    tuned = v["talk_hallucination_reduction"] * freshness(v, strategy, answers)
    if strategy == "prompt":
        covered = min(1.0, v["corpus_tokens_prompt_sized"] / corpus)
        return v["prompt_error_reduction"] * covered * (1.0 - learned_gap)
    if strategy == "rag":
        return v["rag_error_reduction"] * (1.0 - learned_gap)
    if strategy == "peft":
        return tuned
    if strategy == "full_fine_tune":
        return min(1.0, tuned * v["full_ft_quality_factor"])
    if strategy == "from_scratch":
        return min(1.0, tuned * v["scratch_quality_factor"])
    # hybrid: the gains of fine-tuning and retrieval add up (Balaguer et al. 2024)
    return 1.0 - (1.0 - v["rag_error_reduction"]) * (1.0 - tuned)


def economics(
    v: Mapping[str, float],
    strategy: str,
    source: str,
    answers: Mapping[str, Any],
    queries: float | None = None,
) -> Economics:
    """Every cost and benefit line of one strategy on one model source."""
    queries = float(answers.get("monthly_queries", 0) if queries is None else queries)
    team = answers.get("ml_team", "engineers")
    rates = Rates(v, team, source)
    horizon = int(v["horizon_months"])
    result = Economics(strategy=strategy, source=source, horizon_months=horizon)
    upfront, monthly = result.upfront, result.monthly

    # --- upfront: people -------------------------------------------------------
    prep_hours = 0.0
    if strategy == "prompt":
        prep_hours = v["data_prep_hours_prompt_sized"] if volume_level(answers) != "none" else 0.0
    elif strategy == "rag":
        prep_hours = volume_hours(v, "data_prep_hours", answers) * v["rag_prep_share"]
    elif strategy == "hybrid":
        prep_hours = volume_hours(v, "data_prep_hours", answers) * (1.0 + v["rag_prep_share"])
    else:
        prep_hours = volume_hours(v, "data_prep_hours", answers)
    prep_rate = rates.ml if strategy in TRAINS_ML else rates.software
    if prep_hours:
        upfront.append(
            Line(
                "data_preparation",
                prep_hours * prep_rate,
                lambda: f"{prep_hours:,.0f} h x {money(prep_rate)}/h ({rates.note})",
                (
                    "data_prep_hours_" + volume_level(answers),
                    "rag_prep_share",
                    "engineer_hour_usd",
                    "ml_engineer_hour_usd",
                ),
            )
        )
    eval_rate = rates.ml if strategy in TRAINS_ML else rates.software
    eval_key = "eval_set_hours_prompt" if strategy == "prompt" else "eval_set_hours"
    upfront.append(
        Line(
            "evaluation_set",
            v[eval_key] * eval_rate,
            lambda: f"{v[eval_key]:g} h x {money(eval_rate)}/h",
            (eval_key, "engineer_hour_usd"),
        )
    )
    build_hours = v[f"integration_hours_{strategy}"]
    build_rate = rates.ml if strategy in TRAINS_ML else rates.software
    upfront.append(
        Line(
            "engineering",
            build_hours * build_rate,
            lambda: f"{build_hours:,.0f} h x {money(build_rate)}/h ({rates.note})",
            (f"integration_hours_{strategy}", "engineer_hour_usd", "ml_engineer_hour_usd"),
        )
    )
    people_upfront = sum(line.amount for line in upfront)

    # --- upfront: compute ---------------------------------------------------------
    if strategy in FINE_TUNED:
        upfront.append(training_compute(v, strategy, source, answers))
    corpus = corpus_tokens(v, answers)
    if strategy in RETRIEVES and corpus:
        upfront.append(
            Line(
                "ingestion",
                embedding_cost(v, source, corpus),
                lambda: f"embedding {tokens(corpus)} tokens of documents",
                (
                    "embedding_usd_per_mtok",
                    "selfhost_embedding_tokens_per_gpu_hour",
                    f"corpus_tokens_{volume_level(answers)}",
                ),
            )
        )

    # --- monthly ------------------------------------------------------------------
    monthly.extend(inference_monthly(v, strategy, source, answers, queries))
    if strategy in RETRIEVES:
        monthly.append(vector_db_monthly(v, source, answers, queries))
        changed = corpus * min(1.0, v["corpus_change_share"] * updates_per_month(v, change_level(answers)))
        upkeep = embedding_cost(v, source, changed) + v["reembed_hours_per_month"] * rates.software
        monthly.append(
            Line(
                "reembedding",
                upkeep,
                lambda: (
                    f"re-embedding {tokens(changed)} changed tokens a month and "
                    f"{v['reembed_hours_per_month']:g} h of pipeline care"
                ),
                ("corpus_change_share", "reembed_hours_per_month", "embedding_usd_per_mtok"),
            )
        )
    if strategy in FINE_TUNED:
        interval = retrain_interval_months(v, strategy, answers)
        result.retrains_per_month = 1.0 / interval
        compute = training_compute(v, strategy, source, answers).amount
        if strategy == "from_scratch":
            # Keeping a pre-trained model current means continued training on what changed.
            compute *= v["corpus_change_share"] / v["scratch_experiment_overhead"]
        per_run = compute + v["retrain_hours"] * rates.ml
        monthly.append(
            Line(
                "retraining",
                per_run / interval,
                lambda: (
                    f"one retraining every {interval:.2g} months at {money(per_run)} "
                    f"(compute + {v['retrain_hours']:g} h)"
                ),
                (
                    "retrain_hours",
                    "talk_retrain_interval_months",
                    "base_model_refresh_months",
                    "min_retrain_interval_months",
                ),
            )
        )
    monthly.append(
        Line(
            "maintenance",
            people_upfront * v["maintenance_share_per_month"],
            lambda: f"{v['maintenance_share_per_month']:.1%} of the {money(people_upfront)} build a month",
            ("maintenance_share_per_month",),
        )
    )

    # --- time to go live and benefits -------------------------------------------------
    weeks = v[f"weeks_{strategy}"]
    if strategy in FINE_TUNED:
        weeks += volume_hours(v, "data_prep_weeks", answers)
    elif strategy == "rag":
        weeks += volume_hours(v, "data_prep_weeks", answers) * v["rag_prep_share"]
    if team == "none":
        weeks += v["outsourcing_delay_weeks"]
    result.weeks_to_live = weeks

    reduction = error_reduction(v, strategy, answers)
    cost_per_error = answers.get("cost_per_error")
    if cost_per_error is None:
        cost_per_error = v["cost_per_error_default"]
    avoided = queries * v["base_error_rate"] * reduction
    result.error_reduction, result.errors_avoided_monthly = reduction, avoided
    result.benefit.append(
        Line(
            "errors_avoided",
            avoided * cost_per_error,
            lambda: (
                f"{queries:,.0f} questions x {v['base_error_rate']:.0%} errors x "
                f"{reduction:.0%} removed x {money(cost_per_error)} per error"
            ),
            (
                "base_error_rate",
                "cost_per_error_default",
                "talk_hallucination_reduction",
                "rag_error_reduction",
            ),
        )
    )
    forgone = result.benefit_monthly * result.live_months
    result.hidden.append(
        Line(
            "delay",
            forgone,
            lambda: (
                f"{weeks:.1f} weeks before it is live x "
                f"{money(result.benefit_monthly)} a month of value forgone"
            ),
            (f"weeks_{strategy}",),
        )
    )
    return result


class _ReadLog(dict):
    """A mapping that remembers which keys were read."""

    def __init__(self, values: Mapping[str, float]):
        super().__init__(values)
        self.read: set[str] = set()

    def __getitem__(self, key: str) -> float:
        self.read.add(key)
        return super().__getitem__(key)


def assumptions_read(v: Mapping[str, float], strategy: str, source: str,
                     answers: Mapping[str, Any]) -> frozenset[str]:
    """The assumption keys one strategy's economics depend on, for the given answers."""
    log = _ReadLog(v)
    economics(log, strategy, source, answers)
    return frozenset(log.read)


def total_at_volume(
    v: Mapping[str, float], strategy: str, source: str, answers: Mapping[str, Any], queries: float
) -> float:
    return economics(v, strategy, source, answers, queries).horizon_total


def kinks(v: Mapping[str, float], strategy: str, source: str, answers: Mapping[str, Any]) -> list[float]:
    """Volumes where a strategy's cost changes slope (minimum GPUs, database minimum)."""
    points = []
    if source == "open_weights":
        points.append(v["selfhost_min_gpus"] * gpu_capacity(v, strategy, answers))
    elif strategy in RETRIEVES:
        gigabytes = chunks(v, answers) * v["vector_bytes_per_chunk"] / 1e9
        per_query = v["vector_db_read_units_per_query"] * v["vector_db_read_unit_usd_per_m"] / 1e6
        if per_query > 0:
            points.append(
                (v["vector_db_min_monthly_usd"] - gigabytes * v["vector_db_gb_month_usd"]) / per_query
            )
    return [p for p in points if p > 0]


def break_even(
    v: Mapping[str, float],
    a: tuple[str, str],
    b: tuple[str, str],
    answers: Mapping[str, Any],
    ceiling: float = 1e11,
) -> float | None:
    """Lowest monthly volume at which strategies ``a`` and ``b`` cost the same over the horizon.

    Both totals are piecewise linear in volume, so the difference is linear
    between the known kinks and the crossing is solved exactly in each piece.
    """
    points = sorted({0.0, ceiling, *kinks(v, *a, answers), *kinks(v, *b, answers)})
    points = [p for p in points if 0.0 <= p <= ceiling]

    def gap(q: float) -> float:
        return total_at_volume(v, *a, answers, q) - total_at_volume(v, *b, answers, q)

    previous_q, previous_gap = points[0], gap(points[0])
    if previous_gap == 0:
        return None
    for q in points[1:]:
        current = gap(q)
        if current == 0:
            return q
        if (previous_gap < 0) != (current < 0):
            crossing = previous_q + (q - previous_q) * previous_gap / (previous_gap - current)
            return crossing if math.isfinite(crossing) else None
        previous_q, previous_gap = q, current
    return None
