"""Charts as inline SVG, drawn from plain Python (no plotting library).

Every chart is a ``<svg role="img">`` with a ``<title>`` and ``<desc>`` naming
what it shows, text kept as text in the brand font, and colours from the brand.
All numbers are rounded before they are written, so output is deterministic.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from html import escape

from tunewise.engine.assessment import Assessment, Phase, StrategyResult
from tunewise.engine.money import short

STRATEGY_COLORS = {
    "prompt": "#5B6472",
    "rag": "#13797A",
    "peft": "#A4540A",
    "full_fine_tune": "#6D3FC0",
    "from_scratch": "#A3213F",
    "hybrid": "#2A5DB0",
}
STRATEGY_DASHES = {
    "prompt": "2 3",
    "rag": "",
    "peft": "7 3",
    "full_fine_tune": "1 3",
    "from_scratch": "10 3 2 3",
    "hybrid": "",
}
INK = "#1F2933"
MUTED = "#52606D"
GRID = "#D9DEE4"


def _n(value: float) -> str:
    """A coordinate, rounded to 0.1 and written without a trailing '.0'."""
    text = f"{round(value, 1):.1f}"
    text = text[:-2] if text.endswith(".0") else text
    return "0" if text == "-0" else text


def _text(x: float, y: float, content: str, *, size: float = 11, anchor: str = "start",
          weight: str | int = "normal", fill: str = INK, extra: str = "") -> str:
    return (f'<text x="{_n(x)}" y="{_n(y)}" font-size="{_n(size)}" text-anchor="{anchor}" '
            f'font-weight="{weight}" fill="{fill}"{extra}>{escape(content)}</text>')


def _approx_width(text: str, size: float) -> float:
    return len(text) * size * 0.56


def _clip(text: str, size: float, room: float) -> str:
    if _approx_width(text, size) <= room:
        return text
    keep = max(3, int(room / (size * 0.56)) - 1)
    return text[:keep].rstrip() + "…"


class Chart(str):
    """An SVG chart; renders as markup in Jinja and carries its title for a visible caption."""

    title: str = ""

    def __html__(self) -> str:
        return str(self)


def _svg(width: int, height: int, title: str, desc: str, body: list[str], font: str,
         chart_id: str) -> Chart:
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
            f'role="img" aria-labelledby="{chart_id}-t {chart_id}-d" '
            f'font-family="{escape(font)}">'
            f'<title id="{chart_id}-t">{escape(title)}</title>'
            f'<desc id="{chart_id}-d">{escape(desc)}</desc>')
    chart = Chart(head + "".join(body) + "</svg>")
    chart.title = title
    return chart


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering [low, high]."""
    if high <= low:
        high = low + 1
    raw = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    start = math.floor(low / step) * step
    ticks = []
    value = start
    while value < high + step * 0.999:
        ticks.append(round(value, 10))
        value += step
    return ticks


class Frame:
    """A plotting area with linear or log scales."""

    def __init__(self, left: float, top: float, width: float, height: float,
                 x_range: tuple[float, float], y_range: tuple[float, float], log_x: bool = False):
        self.left, self.top, self.width, self.height = left, top, width, height
        self.x0, self.x1 = x_range
        self.y0, self.y1 = y_range
        self.log_x = log_x

    def x(self, value: float) -> float:
        if self.log_x:
            lo, hi = math.log10(self.x0), math.log10(self.x1)
            return self.left + (math.log10(max(value, self.x0)) - lo) / (hi - lo) * self.width
        return self.left + (value - self.x0) / ((self.x1 - self.x0) or 1) * self.width

    def y(self, value: float) -> float:
        return self.top + self.height - (value - self.y0) / ((self.y1 - self.y0) or 1) * self.height


def _y_axis(frame: Frame, ticks: Sequence[float], label: Callable[[float], str]) -> list[str]:
    out = []
    for tick in ticks:
        y = frame.y(tick)
        out.append(f'<line x1="{_n(frame.left)}" y1="{_n(y)}" x2="{_n(frame.left + frame.width)}" '
                   f'y2="{_n(y)}" stroke="{GRID}" stroke-width="1"/>')
        out.append(_text(frame.left - 6, y + 4, label(tick), size=10, anchor="end", fill=MUTED))
    return out


def _legend(items: list[tuple[str, str, str, bool]], x: float, y: float, width: float) -> list[str]:
    """Legend entries (label, colour, dash, bold) laid out in rows."""
    out, cx, cy = [], x, y
    for label, color, dash, bold in items:
        w = 30 + _approx_width(label, 10.5) + 18
        if cx + w > x + width and cx > x:
            cx, cy = x, cy + 18
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(f'<line x1="{_n(cx)}" y1="{_n(cy - 4)}" x2="{_n(cx + 24)}" y2="{_n(cy - 4)}" '
                   f'stroke="{color}" stroke-width="{3 if bold else 2}"{dash_attr}/>')
        out.append(_text(cx + 30, cy, label, size=10.5, weight=600 if bold else "normal"))
        cx += w
    return out


def scores_chart(assessment: Assessment, primary: str, accent: str, font: str) -> Chart:
    strategies = sorted(assessment.strategies, key=lambda s: s.rank)
    row, left, right, top = 30, 250, 80, 30
    width = 640
    height = top + row * len(strategies) + 26
    bar_room = width - left - right
    body = []
    for tick in (0, 0.25, 0.5, 0.75, 1.0):
        x = left + tick * bar_room
        body.append(f'<line x1="{_n(x)}" y1="{top - 6}" x2="{_n(x)}" y2="{_n(top + row * len(strategies))}" '
                    f'stroke="{GRID}" stroke-width="1"/>')
        body.append(_text(x, top + row * len(strategies) + 16, f"{tick:.2f}", size=10, anchor="middle",
                          fill=MUTED))
    described = []
    for index, strategy in enumerate(strategies):
        y = top + index * row
        recommended = strategy.id == assessment.recommendation.strategy
        label = strategy.label
        body.append(_text(left - 8, y + 15, _clip(label, 11, left - 12), size=11, anchor="end",
                          weight=700 if recommended else "normal"))
        bar = max(strategy.score, 0.0) * bar_room
        if strategy.eligible:
            color = accent if recommended else primary
            body.append(f'<rect x="{left}" y="{_n(y + 4)}" width="{_n(max(bar, 1))}" height="16" rx="2" '
                        f'fill="{color}"/>')
            note = f"{strategy.score:.2f}" + ("  recommended" if recommended else "")
        else:
            body.append(f'<rect x="{left}" y="{_n(y + 4)}" width="{_n(max(bar, 1))}" height="16" rx="2" '
                        f'fill="#FFFFFF" stroke="{MUTED}" stroke-width="1" stroke-dasharray="3 2"/>')
            note = f"{strategy.score:.2f} ruled out"
        body.append(_text(left + bar + 6, y + 16, note, size=10.5, fill=INK if strategy.eligible else MUTED))
        described.append(f"{strategy.label} {strategy.score:.2f}"
                         + ("" if strategy.eligible else " (ruled out)"))
    title = "Fit score of each strategy (0 to 1)"
    desc = "Bar chart. " + "; ".join(described) + "."
    return _svg(width, height, title, desc, body, font, "chart-scores")


def _money_axis(top_value: float, currency: str) -> tuple[list[float], Callable[[float], str]]:
    ticks = nice_ticks(0, top_value, 5)
    return ticks, lambda v: short(v, currency)


def cumulative_chart(assessment: Assessment, font: str) -> Chart:
    strategies = [s for s in sorted(assessment.strategies, key=lambda s: s.rank) if s.eligible]
    months = assessment.horizon_months
    width, height = 640, 330
    peak = max((max(s.costs.cumulative) for s in strategies), default=1.0) or 1.0
    ticks, label = _money_axis(peak, assessment.currency)
    frame = Frame(70, 20, 540, 220, (0, months), (0, ticks[-1]))
    body = _y_axis(frame, ticks, label)
    for month in nice_ticks(0, months, 6):
        if month > months:
            continue
        x = frame.x(month)
        body.append(f'<line x1="{_n(x)}" y1="{_n(frame.top + frame.height)}" x2="{_n(x)}" '
                    f'y2="{_n(frame.top + frame.height + 4)}" stroke="{MUTED}"/>')
        body.append(_text(x, frame.top + frame.height + 16, f"{month:g}", size=10, anchor="middle",
                          fill=MUTED))
    body.append(_text(frame.left + frame.width / 2, frame.top + frame.height + 32, "months from the start",
                      size=10.5, anchor="middle", fill=MUTED))
    legend, described = [], []
    recommended = assessment.recommendation.strategy
    for strategy in reversed(strategies):
        points = " ".join(f"{_n(frame.x(m))},{_n(frame.y(v))}"
                          for m, v in enumerate(strategy.costs.cumulative))
        bold = strategy.id == recommended
        dash = STRATEGY_DASHES[strategy.id]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        body.append(f'<polyline points="{points}" fill="none" stroke="{STRATEGY_COLORS[strategy.id]}" '
                    f'stroke-width="{3.2 if bold else 1.8}" stroke-linejoin="round"{dash_attr}/>')
    for strategy in strategies:
        bold = strategy.id == recommended
        legend.append((strategy.label + (" (recommended)" if bold else ""), STRATEGY_COLORS[strategy.id],
                       STRATEGY_DASHES[strategy.id], bold))
        upfront = short(strategy.costs.upfront, assessment.currency)
        described.append(f"{strategy.label}: {upfront} at the start, "
                         f"{short(strategy.costs.horizon_total, assessment.currency)} after {months} months")
    body += _legend(legend, 20, frame.top + frame.height + 56, 600)
    title = f"Cumulative cost over {months} months, by strategy"
    desc = "Line chart. " + "; ".join(described) + "."
    return _svg(width, height, title, desc, body, font, "chart-cumulative")


def break_even_chart(assessment: Assessment, font: str, accent: str) -> Chart | None:
    curve = [p for p in assessment.sensitivity.volume_curve if p.monthly_queries > 0]
    current = next((a.value for a in assessment.answers if a.question == "monthly_queries"), None)
    be = assessment.break_even_monthly_queries
    marks = [v for v in (current, be) if isinstance(v, int | float) and v > 0]
    if marks:
        lo, hi = min(marks) / 10, max(marks) * 10
        window = [p for p in curve if lo <= p.monthly_queries <= hi]
        if len(window) >= 3:
            curve = window
    if len(curve) < 2 or not all("rag" in p.totals and "peft" in p.totals for p in curve):
        return None
    currency = assessment.currency
    width, height = 640, 320
    lines = ("rag", "peft")
    peak = max(max(p.totals[s] for s in lines) for p in curve)
    ticks, label = _money_axis(peak, currency)
    frame = Frame(70, 20, 540, 220, (curve[0].monthly_queries, curve[-1].monthly_queries), (0, ticks[-1]),
                  log_x=True)
    body = _y_axis(frame, ticks, label)
    decade = 10 ** math.ceil(math.log10(frame.x0))
    while decade <= frame.x1:
        x = frame.x(decade)
        body.append(f'<line x1="{_n(x)}" y1="{_n(frame.top)}" x2="{_n(x)}" '
                    f'y2="{_n(frame.top + frame.height)}" '
                    f'stroke="{GRID}" stroke-width="1"/>')
        body.append(_text(x, frame.top + frame.height + 16, _volume(decade), size=10, anchor="middle",
                          fill=MUTED))
        decade *= 10
    body.append(_text(frame.left + frame.width / 2, frame.top + frame.height + 32,
                      "questions a month (log scale)", size=10.5, anchor="middle", fill=MUTED))
    labels = {s.id: s.label for s in assessment.strategies}
    legend = []
    for sid in lines:
        points = " ".join(f"{_n(frame.x(p.monthly_queries))},{_n(frame.y(p.totals[sid]))}" for p in curve)
        dash = STRATEGY_DASHES[sid]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        body.append(f'<polyline points="{points}" fill="none" stroke="{STRATEGY_COLORS[sid]}" '
                    f'stroke-width="2.6" stroke-linejoin="round"{dash_attr}/>')
        legend.append((labels[sid], STRATEGY_COLORS[sid], dash, True))
    if isinstance(current, int | float) and frame.x0 <= current <= frame.x1:
        x = frame.x(current)
        body.append(f'<line x1="{_n(x)}" y1="{_n(frame.top)}" x2="{_n(x)}" '
                    f'y2="{_n(frame.top + frame.height)}" '
                    f'stroke="{MUTED}" stroke-width="1.2" stroke-dasharray="4 3"/>')
        body.append(_text(x + 4, frame.top + 12, f"today: {_volume(current)}", size=10, fill=MUTED))
    if be and frame.x0 <= be <= frame.x1:
        x = frame.x(be)
        cost = _interpolate(curve, "rag", be)
        y = frame.y(cost) if cost is not None else frame.top + frame.height / 2
        body.append(f'<line x1="{_n(x)}" y1="{_n(frame.top)}" x2="{_n(x)}" '
                    f'y2="{_n(frame.top + frame.height)}" '
                    f'stroke="{accent}" stroke-width="1.5"/>')
        body.append(f'<circle cx="{_n(x)}" cy="{_n(y)}" r="5" fill="#FFFFFF" stroke="{accent}" '
                    f'stroke-width="2.5"/>')
        text = f"break-even: {be:,} a month"
        anchor, tx = ("end", x - 8) if x > frame.left + frame.width * 0.6 else ("start", x + 8)
        body.append(_text(tx, frame.top + 28, text, size=11, anchor=anchor, weight=700, fill=INK))
    body += _legend(legend, 20, frame.top + frame.height + 56, 600)
    described = (f"break-even at {be:,} questions a month" if be
                 else "the two lines do not cross in this range")
    title = f"Cost over {assessment.horizon_months} months against monthly volume: RAG and fine-tuning"
    desc = (f"Line chart on a log scale from {_volume(frame.x0)} to {_volume(frame.x1)} questions a month; "
            f"{described}.")
    return _svg(width, height, title, desc, body, font, "chart-break-even")


def _interpolate(curve, sid: str, volume: float) -> float | None:
    for a, b in zip(curve, curve[1:], strict=False):
        if a.monthly_queries <= volume <= b.monthly_queries:
            la, lb = math.log10(a.monthly_queries), math.log10(b.monthly_queries)
            t = (math.log10(volume) - la) / ((lb - la) or 1)
            return a.totals[sid] + t * (b.totals[sid] - a.totals[sid])
    return None


def _volume(value: float) -> str:
    for limit, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if value >= limit:
            return f"{value / limit:.3g}{suffix}"
    return f"{value:,.0f}"


def tornado_chart(assessment: Assessment, font: str, primary: str, accent: str) -> Chart | None:
    bars = sorted(assessment.sensitivity.tornado, key=lambda b: (-b.swing, b.key))[:10]
    if not bars:
        return None
    currency = assessment.currency
    base = bars[0].base_total
    lo = min(min(b.total_at_low, b.total_at_high, b.base_total) for b in bars)
    hi = max(max(b.total_at_low, b.total_at_high, b.base_total) for b in bars)
    pad = (hi - lo) * 0.12 or 1
    width, left, right, row, top = 640, 262, 50, 28, 30
    height = top + row * len(bars) + 60
    frame = Frame(left + 44, top, width - left - right - 44, row * len(bars), (lo - pad, hi + pad), (0, 1))
    body = [f'<line x1="{_n(frame.x(base))}" y1="{top - 8}" x2="{_n(frame.x(base))}" '
            f'y2="{_n(top + row * len(bars) + 4)}" stroke="{INK}" stroke-width="1.2"/>',
            _text(frame.x(base), top - 12, f"base: {short(base, currency)}", size=10, anchor="middle",
                  fill=MUTED)]
    described = []
    for index, bar in enumerate(bars):
        y = top + index * row
        body.append(_text(left - 8, y + 16, _clip(bar.label, 10, left - 12), size=10, anchor="end"))
        for total, color in ((bar.total_at_low, tint_hex(primary)), (bar.total_at_high, accent)):
            x0, x1 = sorted((frame.x(base), frame.x(total)))
            body.append(f'<rect x="{_n(x0)}" y="{_n(y + 5)}" width="{_n(max(x1 - x0, 1))}" height="15" '
                        f'fill="{color}"/>')
        for total in (bar.total_at_low, bar.total_at_high):
            x = frame.x(total)
            anchor = "start" if total >= base else "end"
            body.append(_text(x + (4 if anchor == "start" else -4), y + 16, short(total, currency), size=9.5,
                              anchor=anchor, fill=MUTED))
        described.append(f"{bar.label}: {short(bar.total_at_low, currency)} at the low value, "
                         f"{short(bar.total_at_high, currency)} at the high value")
    legend_y = top + row * len(bars) + 30
    body.append(f'<rect x="{left}" y="{legend_y - 10}" width="14" height="10" fill="{tint_hex(primary)}"/>')
    body.append(_text(left + 20, legend_y, "assumption at its low value", size=10))
    body.append(f'<rect x="{left + 210}" y="{legend_y - 10}" width="14" height="10" fill="{accent}"/>')
    body.append(_text(left + 230, legend_y, "assumption at its high value", size=10))
    label = next(s.label for s in assessment.strategies if s.id == bars[0].strategy)
    title = f"What moves the {assessment.horizon_months}-month cost of {label} most"
    desc = "Tornado chart around a base of " + short(base, currency) + ". " + "; ".join(described) + "."
    return _svg(width, height, title, desc, body, font, "chart-tornado")


def tint_hex(color: str) -> str:
    from tunewise.report.brand import tint
    return tint(color, 0.45)


def gantt_chart(phases: Sequence[Phase], font: str, primary: str, accent: str) -> Chart | None:
    if not phases:
        return None
    end = max(p.start_week + p.weeks for p in phases)
    width, left, right, row, top = 640, 250, 30, 28, 14
    height = top + row * len(phases) + 40
    frame = Frame(left, top, width - left - right, row * len(phases), (0, end), (0, 1))
    body = []
    for week in nice_ticks(0, end, 8):
        if week > end + 1e-9:
            continue
        x = frame.x(week)
        body.append(f'<line x1="{_n(x)}" y1="{top}" x2="{_n(x)}" y2="{_n(top + row * len(phases))}" '
                    f'stroke="{GRID}" stroke-width="1"/>')
        body.append(_text(x, top + row * len(phases) + 16, f"{week:g}", size=10, anchor="middle", fill=MUTED))
    body.append(_text(frame.left + frame.width / 2, top + row * len(phases) + 32, "weeks from the start",
                      size=10.5, anchor="middle", fill=MUTED))
    described = []
    for index, phase in enumerate(phases):
        y = top + index * row
        body.append(_text(left - 8, y + 17, _clip(phase.name, 10.5, left - 14), size=10.5, anchor="end"))
        x0, x1 = frame.x(phase.start_week), frame.x(phase.start_week + phase.weeks)
        color = accent if index == len(phases) - 1 else primary
        body.append(f'<rect x="{_n(x0)}" y="{_n(y + 5)}" width="{_n(max(x1 - x0, 2))}" height="17" rx="3" '
                    f'fill="{color}"/>')
        described.append(f"{phase.name}: weeks {phase.start_week:g} to {phase.start_week + phase.weeks:g}")
    title = f"Implementation plan: {end:g} weeks until live"
    desc = "Gantt chart. " + "; ".join(described) + "."
    return _svg(width, height, title, desc, body, font, "chart-roadmap")


def all_charts(assessment: Assessment, primary: str, accent: str, font: str) -> dict[str, Chart | None]:
    return {
        "scores": scores_chart(assessment, primary, accent, font),
        "cumulative": cumulative_chart(assessment, font),
        "break_even": break_even_chart(assessment, font, accent),
        "tornado": tornado_chart(assessment, font, primary, accent),
        "roadmap": gantt_chart(assessment.roadmap, font, primary, accent),
    }


def eligible(strategies: Sequence[StrategyResult]) -> list[StrategyResult]:
    return [s for s in strategies if s.eligible]
