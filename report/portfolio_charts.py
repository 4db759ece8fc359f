"""The portfolio report's charts, as inline SVG in the style of report/charts.py.

- the value-against-effort matrix: risk-adjusted net value against upfront cost and
  against weeks to go live, bubble area the monthly cost;
- the roadmap: each funded use case's build, quarter by quarter;
- the people load: each role's person-weeks per quarter against its capacity.
"""

from __future__ import annotations

import math

from tunewise.engine.money import short
from tunewise.engine.portfolio import ROLE_LABELS, Portfolio
from tunewise.report.charts import (
    GRID,
    INK,
    MUTED,
    Frame,
    _approx_width,
    _n,
    _svg,
    _text,
    nice_ticks,
    tint_hex,
)

ChartSvg = dict[str, str]   # {"title": ..., "svg": ...}: plain data for the template


def _clip(text: str, size: float, room: float) -> str:
    """The text cut to fit ``room`` (a use case's project name beside a bar), with an ellipsis."""
    if _approx_width(text, size) <= room:
        return text
    keep = max(3, int(room / (size * 0.56)) - 1)
    return text[:keep].rstrip() + "…"


SET_COLORS = {"funded": None, "deferred": None, "not_worth": "#8A939E"}


def ranked(entries):
    """Use cases, most valuable first: the order of the chart's numbers and the table beside it."""
    return sorted(entries, key=lambda e: (-e.figures.net_value, e.id))


def _status(result: Portfolio) -> dict[str, str]:
    status = {item.id: "funded" for item in result.funded}
    status |= {item.id: "deferred" for item in result.deferred}
    status |= {item.id: "not_worth" for item in result.not_worth_building}
    return status


def _money_ticks(low: float, high: float, currency: str, count: int = 5):
    ticks = nice_ticks(min(low, 0.0), max(high, 1.0), count)
    return ticks, (lambda value: short(value, currency))


def _panel(frame: Frame, x_ticks, x_label, y_ticks, y_label, caption: str, show_y: bool) -> list[str]:
    body = []
    for tick in y_ticks:
        y = frame.y(tick)
        stroke = INK if tick == 0 else GRID
        body.append(f'<line x1="{_n(frame.left)}" y1="{_n(y)}" x2="{_n(frame.left + frame.width)}" '
                    f'y2="{_n(y)}" stroke="{stroke}" stroke-width="1"/>')
        if show_y:
            body.append(_text(frame.left - 6, y + 4, y_label(tick), size=10, anchor="end", fill=MUTED))
    for tick in x_ticks:
        x = frame.x(tick)
        bottom = frame.top + frame.height
        body.append(f'<line x1="{_n(x)}" y1="{_n(frame.top)}" x2="{_n(x)}" y2="{_n(bottom)}" '
                    f'stroke="{GRID}" stroke-width="1"/>')
        body.append(_text(x, bottom + 15, x_label(tick), size=10, anchor="middle", fill=MUTED))
    body.append(_text(frame.left + frame.width / 2, frame.top + frame.height + 32, caption, size=10.5,
                      anchor="middle", fill=MUTED))
    return body


def value_effort_chart(result: Portfolio, primary: str, accent: str, font: str) -> ChartSvg | None:
    entries = result.entries
    if not entries:
        return None
    currency = result.currency
    colors = {"funded": primary, "deferred": accent, "not_worth": SET_COLORS["not_worth"]}
    status = _status(result)
    values = [e.figures.net_value for e in entries]
    y_ticks, y_label = _money_ticks(min(values), max(values), currency)
    up_ticks, up_label = _money_ticks(0.0, max(e.figures.upfront for e in entries), currency, 4)
    week_ticks = nice_ticks(0, max(max(e.figures.weeks_to_live for e in entries), 1.0), 4)
    width, height, top, bottom, left, gap = 680, 340, 16, 74, 62, 34
    panel = (width - left - gap - 12) / 2
    y_range = (y_ticks[0], y_ticks[-1])
    cost = Frame(left, top, panel, height - top - bottom, (0, up_ticks[-1]), y_range)
    weeks = Frame(left + panel + gap, top, panel, height - top - bottom, (0, week_ticks[-1]), y_range)
    body = _panel(cost, up_ticks, up_label, y_ticks, y_label, "upfront cost", True)
    body += _panel(weeks, week_ticks, lambda w: f"{w:g}", y_ticks, y_label, "weeks to go live", False)
    biggest = max((e.figures.monthly for e in entries), default=1.0) or 1.0
    described = []
    number = {e.id: index for index, e in enumerate(ranked(entries), start=1)}
    # Largest bubbles first, so small ones stay visible on top; each is numbered as in the table.
    for entry in sorted(entries, key=lambda e: (-e.figures.monthly, e.id)):
        f = entry.figures
        radius = 5 + 13 * math.sqrt(max(f.monthly, 0.0) / biggest)
        color = colors[status.get(entry.id, "deferred")]
        for frame, x in ((cost, f.upfront), (weeks, f.weeks_to_live)):
            cx, cy = frame.x(x), frame.y(f.net_value)
            body.append(f'<circle cx="{_n(cx)}" cy="{_n(cy)}" r="{_n(radius)}" fill="{color}" '
                        f'fill-opacity="0.45" stroke="{color}" stroke-width="1.5"/>')
            body.append(_text(cx + radius + 2, cy + 4, str(number[entry.id]), size=10.5, weight=700))
        described.append(f"{number[entry.id]}. {entry.project}: {short(f.net_value, currency)} net value, "
                         f"{short(f.upfront, currency)} upfront, {f.weeks_to_live:g} weeks, "
                         f"{short(f.monthly, currency)} a month "
                         f"({status.get(entry.id, 'deferred').replace('_', ' ')})")
    legend_y = height - 12
    x = left
    for key, label in (("funded", "funded"), ("deferred", "deferred"), ("not_worth", "not worth building")):
        body.append(f'<circle cx="{_n(x + 6)}" cy="{_n(legend_y - 4)}" r="6" fill="{colors[key]}" '
                    f'fill-opacity="0.55" stroke="{colors[key]}"/>')
        body.append(_text(x + 16, legend_y, label, size=10.5))
        x += 30 + len(label) * 6.2
    body.append(_text(width - 12, legend_y, "bubble area: monthly cost", size=10.5, anchor="end", fill=MUTED))
    body.append(f'<text x="14" y="{_n(top + (height - top - bottom) / 2)}" font-size="10.5" fill="{MUTED}" '
                f'text-anchor="middle" transform="rotate(-90 14 {_n(top + (height - top - bottom) / 2)})">'
                f'risk-adjusted net value</text>')
    title = "Value against effort: what each use case returns for what it takes"
    desc = "Bubble chart in two panels sharing the vertical axis. " + "; ".join(described) + "."
    return {"title": title, "svg": _svg(width, height, title, desc, body, font, "chart-value-effort")}


def roadmap_chart(result: Portfolio, primary: str, accent: str, font: str) -> ChartSvg | None:
    if not result.funded:
        return None
    quarter_weeks = 13.0
    rows = result.funded
    end_weeks = max((item.start_quarter - 1) * quarter_weeks + result.entry(item.id).figures.weeks_to_live
                    for item in rows)
    quarters = max(len(result.roadmap), math.ceil(end_weeks / quarter_weeks))
    width, left, right, row, top = 680, 210, 16, 28, 22
    height = top + row * len(rows) + 30
    frame = Frame(left, top, width - left - right, row * len(rows), (0, quarters * quarter_weeks), (0, 1))
    body = []
    for q in range(quarters + 1):
        x = frame.x(q * quarter_weeks)
        body.append(f'<line x1="{_n(x)}" y1="{top - 4}" x2="{_n(x)}" y2="{_n(top + row * len(rows))}" '
                    f'stroke="{GRID}" stroke-width="1"/>')
        if q < quarters:
            label = result.roadmap[q].label if q < len(result.roadmap) else f"Quarter {q + 1}"
            body.append(_text(frame.x((q + 0.5) * quarter_weeks), top - 8, label.split(" (")[0], size=10,
                              anchor="middle", fill=MUTED))
    described = []
    for index, item in enumerate(rows):
        y = top + index * row
        weeks = result.entry(item.id).figures.weeks_to_live
        start = (item.start_quarter - 1) * quarter_weeks
        body.append(_text(left - 8, y + 18, _clip(item.project, 10.5, left - 14), size=10.5, anchor="end"))
        x0, x1 = frame.x(start), frame.x(start + weeks)
        color = accent if item.must_do else primary
        body.append(f'<rect x="{_n(x0)}" y="{_n(y + 6)}" width="{_n(max(x1 - x0, 2))}" height="17" rx="3" '
                    f'fill="{color}"/>')
        described.append(f"{item.project}: starts {item.start_label}, live after {weeks:g} weeks")
    title = "Roadmap: when each funded use case is built"
    desc = "Gantt chart by quarter; must-do use cases in the accent colour. " + "; ".join(described) + "."
    return {"title": title, "svg": _svg(width, height, title, desc, body, font, "chart-portfolio-roadmap")}


def load_chart(result: Portfolio, primary: str, accent: str, font: str) -> ChartSvg | None:
    quarters = result.roadmap
    if not quarters:
        return None
    roles = list(ROLE_LABELS)
    peak = max([q.load.get(r, 0.0) for q in quarters for r in roles]
               + [q.capacity.get(r, 0.0) for q in quarters for r in roles] + [1.0])
    ticks = nice_ticks(0, peak, 4)
    width, left, top, bottom = 680, 52, 14, 58
    height = 250
    frame = Frame(left, top, width - left - 16, height - top - bottom, (0, len(quarters)), (0, ticks[-1]))
    body = []
    for tick in ticks:
        y = frame.y(tick)
        body.append(f'<line x1="{_n(left)}" y1="{_n(y)}" x2="{_n(width - 16)}" y2="{_n(y)}" '
                    f'stroke="{GRID}"/>')
        body.append(_text(left - 6, y + 4, f"{tick:g}", size=10, anchor="end", fill=MUTED))
    colors = {"ml_experts": accent, "engineers": tint_hex(primary)}
    slot = frame.width / len(quarters)
    bar = min(34.0, slot * 0.32)
    described = []
    for index, quarter in enumerate(quarters):
        centre = frame.x(index + 0.5)
        for k, role in enumerate(roles):
            x = centre - bar - 3 + k * (bar + 6)
            used, capacity = quarter.load.get(role, 0.0), quarter.capacity.get(role, 0.0)
            body.append(f'<rect x="{_n(x)}" y="{_n(frame.y(used))}" width="{_n(bar)}" '
                        f'height="{_n(frame.y(0) - frame.y(used))}" fill="{colors[role]}"/>')
            body.append(f'<line x1="{_n(x - 3)}" y1="{_n(frame.y(capacity))}" x2="{_n(x + bar + 3)}" '
                        f'y2="{_n(frame.y(capacity))}" stroke="{INK}" stroke-width="2.2"/>')
        body.append(_text(centre, frame.y(0) + 15, quarter.label.split(" (")[0], size=10, anchor="middle",
                          fill=MUTED))
        described.append(f"{quarter.label}: " + ", ".join(
            f"{ROLE_LABELS[r]} {quarter.load.get(r, 0.0):g} of {quarter.capacity.get(r, 0.0):g} person-weeks"
            for r in roles))
    legend_y = height - 12
    body.append(f'<rect x="{left}" y="{legend_y - 10}" width="14" height="10" '
                f'fill="{colors["ml_experts"]}"/>')
    body.append(_text(left + 20, legend_y, "ML experts", size=10.5))
    body.append(f'<rect x="{left + 110}" y="{legend_y - 10}" width="14" height="10" '
                f'fill="{colors["engineers"]}"/>')
    body.append(_text(left + 130, legend_y, "engineers", size=10.5))
    body.append(f'<line x1="{left + 220}" y1="{legend_y - 5}" x2="{left + 244}" y2="{legend_y - 5}" '
                f'stroke="{INK}" stroke-width="2.2"/>')
    body.append(_text(left + 250, legend_y, "capacity (person-weeks per quarter)", size=10.5))
    title = "People: person-weeks needed each quarter against those available"
    desc = "Bar chart by quarter. " + "; ".join(described) + "."
    return {"title": title, "svg": _svg(width, height, title, desc, body, font, "chart-portfolio-load")}


def portfolio_charts(result: Portfolio, primary: str, accent: str, font: str) -> dict[str, ChartSvg | None]:
    return {
        "value_effort": value_effort_chart(result, primary, accent, font),
        "roadmap": roadmap_chart(result, primary, accent, font),
        "load": load_chart(result, primary, accent, font),
    }
