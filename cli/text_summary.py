"""A readable terminal summary of an assessment, drawn with Rich tables."""

from __future__ import annotations

from io import StringIO

from tunewise.engine.assessment import Assessment
from tunewise.engine.money import fmt


def _table(assessment: Assessment):
    from rich.table import Table

    currency = assessment.currency
    table = Table(title=f"Strategies over {assessment.horizon_months} months ({currency})",
                  title_justify="left")
    for column, justify in (("#", "right"), ("strategy", "left"), ("source", "left"),
                            ("score", "right"), ("upfront", "right"), ("monthly", "right"),
                            ("total", "right"), ("ROI (risk-adj.)", "right"), ("payback", "right"),
                            ("status", "left")):
        table.add_column(column, justify=justify)
    for s in assessment.strategies:
        table.add_row(str(s.rank), s.label, s.model_source.replace("_", " "), f"{s.score:.2f}",
                      fmt(s.costs.upfront, currency), fmt(s.costs.monthly, currency),
                      fmt(s.costs.horizon_total, currency),
                      "-" if s.roi is None else f"{s.roi:.0%}",
                      "-" if s.payback_months is None else f"{s.payback_months:.0f} mo",
                      "ok" if s.eligible else "ruled out")
    return table


def render_summary(assessment: Assessment, console) -> None:
    rec = assessment.recommendation
    best = assessment.recommended
    console.print(f"[bold]{assessment.client.name} — {assessment.client.project}[/bold]")
    console.print(f"Recommendation: [bold]{best.label}[/bold] on "
                  f"{rec.model_source.replace('_', ' ')} (confidence {rec.confidence:.0%})")
    console.print(rec.summary, highlight=False)
    console.print(_table(assessment))
    if assessment.break_even_monthly_queries is not None:
        console.print(f"RAG and PEFT cost the same at {assessment.break_even_monthly_queries:,} "
                      "questions a month.")
    if assessment.sensitivity.flips:
        console.print("[bold]What would change the recommendation[/bold]")
        for flip in assessment.sensitivity.flips[:10]:
            console.print(f"  {flip.question} = {flip.alternative_label} -> {flip.strategy} "
                          f"({flip.model_source.replace('_', ' ')})", highlight=False)
    for strategy in assessment.strategies:
        if not strategy.eligible:
            console.print(f"[dim]{strategy.label} ruled out: "
                          f"{' '.join(strategy.excluded_because)}[/dim]", highlight=False)


def summary_text(assessment: Assessment, width: int = 110) -> str:
    from rich.console import Console

    buffer = StringIO()
    console = Console(file=buffer, width=width, no_color=True, force_terminal=False)
    render_summary(assessment, console)
    return buffer.getvalue()
