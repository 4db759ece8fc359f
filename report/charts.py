"""Charts as inline SVG, drawn from plain Python (no plotting library).

Each chart comes back as plain data: ``{"title", "alt", "wide", "narrow"}``. ``wide`` is the
SVG for paper and desktop screens; ``narrow`` is laid out for a phone (labels above bars,
fewer ticks), so its text stays near 11 px at 390 px instead of shrinking. ``alt`` says
what the chart shows in numbers. Colours come from the brand: the pick in the accent colour,
the runner-up in the primary colour, and every line also has its own dash pattern.
All numbers are rounded before they are written, so output is deterministic.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from html import escape
from typing import Any

from tunewise.engine.assessment import Assessment, StrategyResult
from tunewise.report import wording
from tunewise.report.wording import money

INK = "#1F2933"
MUTED = "#52606D"
GRID = "#D9DEE4"
OTHER_COLOURS = ("#5B6472", "#7B8794", "#3E4C59", "#616E7C")
PICK_DASH, RUNNER_DASH = "", "8 4"
OTHER_DASHES = ("2 3", "10 3 2 3", "1 3", "5 2 1 2")
WIDE, NARROW = 640, 360


def _n(value: float) -> str:
    """A coordinate, rounded to 0.1 and written without a trailing '.0'."""
    text = f"{round(value, 1):.1f}"
    text = text[:-2] if text.endswith(".0") else text
    return "0" if text == "-0" else text


def _text(
    x: float,
    y: float,
    content: str,
    *,
    size: float = 11,
    anchor: str = "start",
    weight: str | int = "normal",
    fill: str = INK,
) -> str:
    return (
        f'<text x="{_n(x)}" y="{_n(y)}" font-size="{_n(size)}" text-anchor="{anchor}" '
        f'font-weight="{weight}" fill="{fill}">{escape(content)}</text>'
    )


def _line(x1: float, y1: float, x2: float, y2: float, colour: str, width: float = 1, dash: str = "") -> str:
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<line x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}" stroke="{colour}" '
        f'stroke-width="{_n(width)}"{dash_attr}/>'
    )


def _approx_width(text: str, size: float) -> float:
    return len(text) * size * 0.56


def _wrap(text: str, size: float, room: float) -> list[str]:
    """Words in lines that fit ``room``: labels are wrapped, never cut."""
    lines: list[str] = []
    for word in text.split():
        if lines and _approx_width(lines[-1] + " " + word, size) <= room:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def _svg(width: int, height: float, title: str, alt: str, body: list[str], font: str, chart_id: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {_n(height)}" '
        f'role="img" aria-labelledby="{chart_id}-t {chart_id}-d" font-family="{escape(font)}">'
        f'<title id="{chart_id}-t">{escape(title)}</title><desc id="{chart_id}-d">{escape(alt)}</desc>'
        + "".join(body)
        + "</svg>"
    )


def _chart(
    chart_id: str, title: str, alt: str, draw: Callable[[int], tuple[list[str], float]], font: str
) -> dict[str, str]:
    wide_body, wide_height = draw(WIDE)
    narrow_body, narrow_height = draw(NARROW)
    return {
        "id": chart_id,
        "title": title,
        "alt": alt,
        "wide": _svg(WIDE, wide_height, title, alt, wide_body, font, chart_id),
        "narrow": _svg(NARROW, narrow_height, title, alt, narrow_body, font, chart_id + "-n"),
    }


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

    def __init__(
        self,
        left: float,
        top: float,
        width: float,
        height: float,
        x_range: tuple[float, float],
        y_range: tuple[float, float],
        log_x: bool = False,
    ):
        self.left, self.top, self.width, self.height = left, top, width, height
        self.x0, self.x1 = x_range
        self.y0, self.y1 = y_range
        self.log_x = log_x

    def x(self, value: float) -> float:
        if self.log_x:
            lo, hi = math.log10(self.x0), math.log10(self.x1)
            return self.left + (math.log10(max(value, self.x0)) - lo) / ((hi - lo) or 1) * self.width
        return self.left + (value - self.x0) / ((self.x1 - self.x0) or 1) * self.width

    def y(self, value: float) -> float:
        return self.top + self.height - (value - self.y0) / ((self.y1 - self.y0) or 1) * self.height

    @property
    def bottom(self) -> float:
        return self.top + self.height


def _y_axis(frame: Frame, ticks: Sequence[float], label: Callable[[float], str]) -> list[str]:
    out = []
    for tick in ticks:
        y = frame.y(tick)
        out.append(_line(frame.left, y, frame.left + frame.width, y, GRID))
        out.append(_text(frame.left - 6, y + 4, label(tick), size=10, anchor="end", fill=MUTED))
    return out


def _x_caption(frame: Frame, caption: str) -> str:
    """The name of the horizontal axis, centred under its tick labels."""
    return _text(frame.left + frame.width / 2, frame.bottom + 30, caption, size=10.5, anchor="middle",
                 fill=MUTED)


def _legend(
    items: list[tuple[str, str, str, bool]], x: float, y: float, width: float
) -> tuple[list[str], float]:
    """Legend entries (label, colour, dash, bold) in rows; returns the markup and the last row's y."""
    out, cx, cy = [], x, y
    for label, colour, dash, bold in items:
        w = 30 + _approx_width(label, 10.5) + 18
        if cx + w > x + width and cx > x:
            cx, cy = x, cy + 18
        out.append(_line(cx, cy - 4, cx + 24, cy - 4, colour, 3 if bold else 2, dash))
        out.append(_text(cx + 30, cy, label, size=10.5, weight=600 if bold else "normal"))
        cx += w
    return out, cy


class Palette:
    """Colour and dash for each strategy: the pick in the accent, the runner-up in the primary."""

    def __init__(self, a: Assessment, primary: str, accent: str):
        ranked = sorted(a.strategies, key=lambda s: s.rank)
        pick, runner = a.recommendation.strategy, a.recommendation.runner_up
        others = [s.id for s in ranked if s.id not in (pick, runner)]
        self.style = {pick: (accent, PICK_DASH)}
        if runner:
            self.style[runner] = (primary, RUNNER_DASH)
        for index, sid in enumerate(others):
            self.style[sid] = (
                OTHER_COLOURS[index % len(OTHER_COLOURS)],
                OTHER_DASHES[index % len(OTHER_DASHES)],
            )

    def colour(self, sid: str) -> str:
        return self.style[sid][0]

    def dash(self, sid: str) -> str:
        return self.style[sid][1]


# --- horizontal bars (net values, tornado, roadmap share one layout) ------------------------------------


def _bar_rows(width: int, labels: list[str], size: float = 10.5) -> tuple[float, list[list[str]], float]:
    """Label column width, wrapped labels and row height. Narrow charts put labels above the bars."""
    if width >= WIDE:
        room = 230
        wrapped = [_wrap(label, size, room) for label in labels]
        lines = max(len(w) for w in wrapped)
        return room + 12, wrapped, max(28, 13 * lines + 6)
    wrapped = [_wrap(label, size, width - 20) for label in labels]
    return 10, wrapped, 0


def _row_labels(lines: list[str], width: int, left: float, y: float, row: float, *, size: float = 11,
                weight: str | int = "normal", bar_height: float = 16) -> tuple[list[str], float, float]:
    """A bar's wrapped label: on its own lines above the bar on narrow charts, right-aligned
    beside it on wide ones. Returns the SVG parts, the y after them and the bar's top."""
    if width < WIDE:
        step = 13 if size <= 10 else 14
        parts = []
        for line in lines:
            parts.append(_text(10, y + step - 3, line, size=size, weight=weight))
            y += step
        return parts, y, y + 5
    first = y + (row - 13 * len(lines)) / 2 + 10
    parts = [_text(left - 10, first + 13 * index, line, size=size, anchor="end", weight=weight)
             for index, line in enumerate(lines)]
    return parts, y, y + row / 2 - bar_height / 2


def _net_value_label(strategy: StrategyResult, cur: str) -> str:
    note = money(strategy.net_value, cur)
    return note if strategy.eligible else note + " (ruled out)"


def _marked(a: Assessment, label: str) -> str:
    """The pick's label in a legend, with what the verdict makes of it."""
    return f"{label} ({wording.pick_marker(a.recommendation.verdict)})"


def net_values_chart(a: Assessment, palette: Palette, font: str) -> dict[str, str]:
    """Each approach's risk-adjusted net value as a bar from zero, its P10-P90 range as a whisker."""
    strategies = sorted(a.strategies, key=lambda s: s.rank)
    cur = a.currency
    labels = [_marked(a, s.label) if s.id == a.recommendation.strategy else s.label for s in strategies]
    ends = [v for s in strategies for v in (s.net_value, s.net_value_p10, s.net_value_p90) if v is not None]
    ticks, tick_label = _money_ticks(min(min(ends), 0), max(max(ends), 0), cur)

    def draw(width: int) -> tuple[list[str], float]:
        notes = [_net_value_label(s, cur) for s in strategies]
        wide = width >= WIDE
        shown = labels if wide else [f"{label}: {note}" for label, note in zip(labels, notes, strict=True)]
        left, wrapped, row = _bar_rows(width, shown)
        right = 130 if wide else 20
        frame = Frame(left + 8, 0, width - left - 8 - right, 1, (ticks[0], ticks[-1]), (0, 1))
        body, y = [], 26.0
        for strategy, lines, note in zip(strategies, wrapped, notes, strict=True):
            weight = 700 if strategy.id == a.recommendation.strategy else "normal"
            parts, y, bar_y = _row_labels(lines, width, left, y, row, weight=weight)
            body += parts
            if wide:
                body.append(_text(width - right + 10, bar_y + 12, note, size=9.5,
                                  fill=INK if strategy.eligible else MUTED))
            body.extend(_net_value_bar(frame, strategy, bar_y, palette))
            y = bar_y + 16 + 12 if not wide else y + row
        for tick in ticks:
            x = frame.x(tick)
            body.insert(0, _line(x, 14, x, y, GRID))
            body.append(_text(x, 12, tick_label(tick), size=9.5, anchor="middle", fill=MUTED))
        body.append(_line(frame.x(0), 14, frame.x(0), y, INK, 1.2))
        return body, y + 8

    described = "; ".join(
        f"{s.label} {money(s.net_value, cur)}"
        + (f" ({money(s.net_value_p10, cur)} to {money(s.net_value_p90, cur)})"
           if s.net_value_p10 is not None and s.net_value_p90 is not None else "")
        + ("" if s.eligible else ", ruled out")
        for s in strategies
    )
    title = f"Risk-adjusted net value of each approach over {a.horizon_months} months"
    alt = f"Bar chart of risk-adjusted net value, with the P10 to P90 range as a line: {described}."
    return _chart("chart-scores", title, alt, draw, font)


def _net_value_bar(frame: Frame, strategy: StrategyResult, bar_y: float, palette: Palette) -> list[str]:
    x0, x1 = sorted((frame.x(0), frame.x(strategy.net_value)))
    if strategy.eligible:
        style = f'fill="{palette.colour(strategy.id)}"'
    else:
        style = f'fill="#FFFFFF" stroke="{MUTED}" stroke-width="1" stroke-dasharray="3 2"'
    parts = [f'<rect x="{_n(x0)}" y="{_n(bar_y)}" width="{_n(max(x1 - x0, 1))}" height="16" rx="2" {style}/>']
    if strategy.net_value_p10 is not None and strategy.net_value_p90 is not None:
        low, high = frame.x(strategy.net_value_p10), frame.x(strategy.net_value_p90)
        mid = bar_y + 8
        parts.append(_line(low, mid, high, mid, INK, 1.2))
        parts.extend(_line(x, mid - 5, x, mid + 5, INK, 1.2) for x in (low, high))
    return parts


def _money_ticks(low: float, high: float, currency: str) -> tuple[list[float], Callable[[float], str]]:
    ticks = nice_ticks(low, high, 5)
    return ticks, lambda v: money(v, currency)


def net_value_chart(a: Assessment, palette: Palette, font: str, budget: float | None) -> dict[str, str]:
    """Cumulative net value (benefit minus cost) of the pick and the runner-up, month by month."""
    pick = a.recommended
    runner = a.strategy(a.recommendation.runner_up) if a.recommendation.runner_up else None
    shown = [s for s in (pick, runner) if s is not None]
    months = a.horizon_months
    cur = a.currency
    series = {s.id: _net_series(s, months) for s in shown}
    low = min(min(v) for v in series.values())
    if budget:
        low = min(low, -budget)
    high = max(max(max(v) for v in series.values()), 0)
    ticks, label = _money_ticks(low, high, cur)

    def draw(width: int) -> tuple[list[str], float]:
        left = 64 if width >= WIDE else 54
        frame = Frame(
            left, 16, width - left - 20, 200 if width >= WIDE else 180, (0, months), (ticks[0], ticks[-1])
        )
        body = _y_axis(frame, ticks, label)
        body.append(_line(frame.left, frame.y(0), frame.left + frame.width, frame.y(0), INK, 1.2))
        for month in nice_ticks(0, months, 6 if width >= WIDE else 3):
            if month <= months:
                body.append(
                    _text(
                        frame.x(month), frame.bottom + 15, f"{month:g}", size=10, anchor="middle", fill=MUTED
                    )
                )
        body.append(_x_caption(frame, "months from the start"))
        if budget:
            y = frame.y(-budget)
            body.append(_line(frame.left, y, frame.left + frame.width, y, MUTED, 1.2, "4 3"))
            body.append(
                _text(
                    frame.left + frame.width - 4,
                    y - 5,
                    f"upfront budget: {money(budget, cur)}",
                    size=10,
                    anchor="end",
                    fill=MUTED,
                )
            )
        legend = []
        for s in reversed(shown):
            points = " ".join(f"{_n(frame.x(m))},{_n(frame.y(v))}" for m, v in enumerate(series[s.id]))
            dash = palette.dash(s.id)
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            body.append(
                f'<polyline points="{points}" fill="none" stroke="{palette.colour(s.id)}" '
                f'stroke-width="{3 if s.id == pick.id else 2.2}" stroke-linejoin="round"{dash_attr}/>'
            )
            if s.payback_months is not None:
                x, y = frame.x(s.payback_months), frame.y(0)
                body.append(
                    f'<circle cx="{_n(x)}" cy="{_n(y)}" r="4.5" fill="#FFFFFF" '
                    f'stroke="{palette.colour(s.id)}" stroke-width="2.5"/>'
                )
        for s in shown:
            name = _marked(a, s.label) if s.id == pick.id else s.label
            legend.append((name, palette.colour(s.id), palette.dash(s.id), s.id == pick.id))
        marks, last = _legend(legend, 14, frame.bottom + 52, width - 28)
        body += marks
        body.append(_text(14, last + 18, "Circles mark the month each line pays back.", size=10, fill=MUTED))
        return body, last + 28

    described = []
    for s in shown:
        payback = (
            f"pays back in {wording.months_text(s.payback_months)}"
            if s.payback_months is not None
            else "does not pay back"
        )
        described.append(
            f"{s.label} falls to {money(min(series[s.id]), cur)}, {payback} and ends at "
            f"{money(series[s.id][-1], cur)} after {months} months"
        )
    budget_text = f" The upfront budget line is at {money(-budget, cur)}." if budget else ""
    title = f"Cumulative net value over {months} months, risk-adjusted"
    return _chart("chart-net", title, "Line chart. " + "; ".join(described) + "." + budget_text, draw, font)


def _net_series(s: StrategyResult, months: int) -> list[float]:
    """The engine's risk-adjusted, discounted running total: it ends at the net value, and crosses
    zero for good at the payback month."""
    return list(s.net_value_cumulative[: months + 1])


def break_even_chart(
    a: Assessment, palette: Palette, font: str, crossing: float | None
) -> dict[str, str] | None:
    pick = a.recommendation.strategy
    runner = a.recommendation.runner_up
    if runner is None:
        return None
    curve = [
        p
        for p in a.sensitivity.volume_curve
        if p.monthly_queries > 0 and pick in p.totals and runner in p.totals
    ]
    today = next((x.value for x in a.answers if x.question == "monthly_queries"), None)
    marks = [v for v in (today, crossing) if isinstance(v, int | float) and v > 0]
    if marks:
        lo, hi = min(marks) / 10, max(marks) * 10
        window = [p for p in curve if lo <= p.monthly_queries <= hi]
        if len(window) >= 3:
            curve = window
    if len(curve) < 2:
        return None
    cur = a.currency
    labels = {s.id: s.label for s in a.strategies}
    peak = max(max(p.totals[pick], p.totals[runner]) for p in curve)
    ticks, label = _money_ticks(0, peak, cur)

    def draw(width: int) -> tuple[list[str], float]:
        left = 64 if width >= WIDE else 54
        frame = Frame(
            left,
            16,
            width - left - 20,
            200 if width >= WIDE else 170,
            (curve[0].monthly_queries, curve[-1].monthly_queries),
            (0, ticks[-1]),
            log_x=True,
        )
        body = _y_axis(frame, ticks, label)
        decade = 10 ** math.ceil(math.log10(frame.x0))
        while decade <= frame.x1:
            x = frame.x(decade)
            body.append(_line(x, frame.top, x, frame.bottom, GRID))
            body.append(
                _text(x, frame.bottom + 15, wording.volume(decade), size=10, anchor="middle", fill=MUTED)
            )
            decade *= 10
        body.append(_x_caption(frame, "questions a month (log scale)"))
        legend = []
        for sid in (runner, pick):
            points = " ".join(f"{_n(frame.x(p.monthly_queries))},{_n(frame.y(p.totals[sid]))}" for p in curve)
            dash = palette.dash(sid)
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            body.append(
                f'<polyline points="{points}" fill="none" stroke="{palette.colour(sid)}" '
                f'stroke-width="2.6" stroke-linejoin="round"{dash_attr}/>'
            )
        for sid in (pick, runner):
            legend.append(
                (
                    _marked(a, labels[sid]) if sid == pick else labels[sid],
                    palette.colour(sid),
                    palette.dash(sid),
                    sid == pick,
                )
            )
        if isinstance(today, int | float) and frame.x0 <= today <= frame.x1:
            x = frame.x(today)
            body.append(_line(x, frame.top, x, frame.bottom, MUTED, 1.2, "4 3"))
            body.append(_text(x + 4, frame.top + 12, f"today: {wording.volume(today)}", size=10, fill=MUTED))
        if crossing and frame.x0 <= crossing <= frame.x1:
            x = frame.x(crossing)
            body.append(_line(x, frame.top, x, frame.bottom, INK, 1.2))
            anchor, tx = ("end", x - 6) if x > frame.left + frame.width * 0.55 else ("start", x + 6)
            body.append(
                _text(
                    tx,
                    frame.top + 28,
                    f"same cost: {wording.volume(crossing)}",
                    size=10.5,
                    anchor=anchor,
                    weight=700,
                )
            )
        marks, last = _legend(legend, 14, frame.bottom + 52, width - 28)
        return body + marks, last + 12

    described = (
        f"the two cost the same at about {wording.volume(crossing)} questions a month"
        if crossing
        else "the two lines do not cross in this range"
    )
    title = f"Cost over {a.horizon_months} months by monthly volume: {labels[pick]} and {labels[runner]}"
    alt = (
        f"Line chart on a log scale from {wording.volume(curve[0].monthly_queries)} to "
        f"{wording.volume(curve[-1].monthly_queries)} questions a month. {labels[pick]} costs "
        f"{money(curve[0].totals[pick], cur)} to {money(curve[-1].totals[pick], cur)}; {labels[runner]} "
        f"{money(curve[0].totals[runner], cur)} to {money(curve[-1].totals[runner], cur)}; {described}."
    )
    return _chart("chart-break-even", title, alt, draw, font)


def tornado_chart(
    a: Assessment, palette: Palette, font: str, primary: str, accent: str
) -> dict[str, str] | None:
    bars = wording.tornado_bars(a)
    if not bars:
        return None
    cur = a.currency
    base = bars[0].base_total
    units = {x.key: x.unit for x in a.assumptions}
    labels = [f"{b.label} ({wording.span(b.low, b.high, units.get(b.key, ''))})" for b in bars]
    lo = min(min(b.total_at_low, b.total_at_high, b.base_total) for b in bars)
    hi = max(max(b.total_at_low, b.total_at_high, b.base_total) for b in bars)
    pad = (hi - lo) * 0.18 or 1
    low_colour = tint_hex(primary)

    def draw(width: int) -> tuple[list[str], float]:
        left, wrapped, row = _bar_rows(width, labels, 10)
        frame = Frame(left + 8, 0, width - left - 30, 1, (lo - pad, hi + pad), (0, 1))
        body, y = [], 30.0
        for bar, lines in zip(bars, wrapped, strict=True):
            parts, y, bar_y = _row_labels(lines, width, left, y, row, size=10, bar_height=15)
            body += parts
            for total, colour in ((bar.total_at_low, low_colour), (bar.total_at_high, accent)):
                x0, x1 = sorted((frame.x(base), frame.x(total)))
                body.append(
                    f'<rect x="{_n(x0)}" y="{_n(bar_y)}" width="{_n(max(x1 - x0, 1))}" height="15" '
                    f'fill="{colour}"/>'
                )
            for total in (bar.total_at_low, bar.total_at_high):
                x = frame.x(total)
                anchor = "start" if total >= base else "end"
                body.append(
                    _text(
                        x + (4 if anchor == "start" else -4),
                        bar_y + 11.5,
                        money(total, cur),
                        size=9.5,
                        anchor=anchor,
                        fill=MUTED,
                    )
                )
            if (
                bar.winner_at_low != a.recommendation.strategy
                or bar.winner_at_high != a.recommendation.strategy
            ):
                body.append(_text(frame.x(base) + 3, bar_y - 2, "changes the choice", size=9, weight=700))
            y = bar_y + 15 + 10 if width < WIDE else y + row
        x = frame.x(base)
        body.insert(0, _line(x, 20, x, y, INK, 1.2))
        body.insert(1, _text(x, 14, f"base: {money(base, cur)}", size=10, anchor="middle", fill=MUTED))
        legend_y = y + 18
        body.append(f'<rect x="10" y="{_n(legend_y - 10)}" width="14" height="10" fill="{low_colour}"/>')
        body.append(_text(30, legend_y, "figure at its low value", size=10))
        body.append(f'<rect x="180" y="{_n(legend_y - 10)}" width="14" height="10" fill="{accent}"/>')
        body.append(_text(200, legend_y, "at its high value", size=10))
        return body, legend_y + 10

    label = a.recommended.label
    described = "; ".join(
        f"{b.label}: {money(b.total_at_low, cur)} at {wording.quantity(b.low, units.get(b.key, ''))}, "
        f"{money(b.total_at_high, cur)} at {wording.quantity(b.high, units.get(b.key, ''))}"
        for b in bars
    )
    strategy = next(s.label for s in a.strategies if s.id == bars[0].strategy)
    title = f"What moves the {a.horizon_months}-month cost of {strategy} most"
    alt = f"Tornado chart around a base of {money(base, cur)} for {label}. {described}."
    return _chart("chart-tornado", title, alt, draw, font)


def tint_hex(colour: str) -> str:
    from tunewise.report.brand import tint

    return tint(colour, 0.45)


def gantt_chart(
    a: Assessment, font: str, primary: str, accent: str, deadline: float | None
) -> dict[str, str] | None:
    phases = wording.whole_week_phases(a.roadmap)
    if not phases:
        return None
    end = max(p["end"] for p in phases)
    span = max(end, deadline or 0)
    names = [p["name"] for p in phases]

    def draw(width: int) -> tuple[list[str], float]:
        left, wrapped, row = _bar_rows(width, names)
        frame = Frame(left + 4, 0, width - left - 30, 1, (0, span), (0, 1))
        body, y = [], 26.0
        for index, (phase, lines) in enumerate(zip(phases, wrapped, strict=True)):
            parts, y, bar_y = _row_labels(lines, width, left, y, row)
            body += parts
            x0, x1 = frame.x(phase["start"]), frame.x(phase["end"])
            colour = accent if index == len(phases) - 1 else primary
            body.append(
                f'<rect x="{_n(x0)}" y="{_n(bar_y)}" width="{_n(max(x1 - x0, 2))}" height="16" rx="3" '
                f'fill="{colour}"/>'
            )
            y = bar_y + 16 + 10 if width < WIDE else y + row
        for week in nice_ticks(0, span, 8 if width >= WIDE else 4):
            if week <= span + 1e-9:
                x = frame.x(week)
                body.insert(0, _line(x, 20, x, y, GRID))
                body.append(_text(x, 14, f"{week:g}", size=10, anchor="middle", fill=MUTED))
        if deadline is not None:
            x = frame.x(deadline)
            body.append(_line(x, 18, x, y + 4, INK, 1.6, "5 3"))
            anchor, tx = ("end", x - 4) if x > frame.left + frame.width * 0.6 else ("start", x + 4)
            body.append(
                _text(tx, y + 18, f"deadline: week {deadline:g}", size=10.5, anchor=anchor, weight=700)
            )
        body.append(_text(10, y + 34, "weeks from the start", size=10.5, fill=MUTED))
        return body, y + 42

    described = "; ".join(f"{p['name']}: weeks {p['start']} to {p['end']}" for p in phases)
    deadline_text = f" The deadline is week {deadline:g}." if deadline is not None else ""
    title = f"Implementation plan: {wording.weeks_text(end)} until live"
    return _chart("chart-roadmap", title, f"Gantt chart. {described}.{deadline_text}", draw, font)


def all_charts(
    a: Assessment,
    primary: str,
    accent: str,
    font: str,
    *,
    budget: float | None,
    deadline: float | None,
    crossing: float | None,
) -> dict[str, Any]:
    palette = Palette(a, primary, accent)
    return {
        "scores": net_values_chart(a, palette, font),
        "net": net_value_chart(a, palette, font, budget),
        "break_even": break_even_chart(a, palette, font, crossing),
        "tornado": tornado_chart(a, palette, font, primary, accent),
        "roadmap": gantt_chart(a, font, primary, accent, deadline),
    }
