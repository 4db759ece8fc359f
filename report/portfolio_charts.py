"""The portfolio report's charts, as inline SVG in the style of report/charts.py.

- the value-against-effort matrix: risk-adjusted net value against upfront cost and
  against weeks to go live, bubble area the monthly cost;
- the roadmap: each funded use case's build, quarter by quarter;
- the people load: each role's person-weeks per quarter against its capacity.
"""

from __future__ import annotations

import math
from collections.abc import Callable

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

ChartSvg = dict[str, str]   # {"title", "svg", "narrow"}: plain data for the template


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


WIDE_WIDTH, NARROW_WIDTH = 680, 360   # the print/desktop drawing and the phone drawing (390 px screens)


def _both(title: str, desc: str, chart_id: str, font: str,
          draw: Callable[[int], tuple[list[str], float]]) -> ChartSvg:
    """The chart drawn twice: wide for print and desktop, narrow (stacked, text near 11 px) for phones."""
    wide_body, wide_height = draw(WIDE_WIDTH)
    narrow_body, narrow_height = draw(NARROW_WIDTH)
    return {"title": title,
            "svg": _svg(WIDE_WIDTH, wide_height, title, desc, wide_body, font, chart_id),
            "narrow": _svg(NARROW_WIDTH, narrow_height, title, desc, narrow_body, font, chart_id + "-n")}


def _legend_row(items: list[tuple[str, str]], x0: float, y: float, width: float) -> tuple[list[str], float]:
    """Legend entries (SVG swatch, label) laid left to right, wrapping to a new line when out of room."""
    body, x = [], x0
    for swatch, label in items:
        room = 22 + _approx_width(label, 10.5) + 14
        if x > x0 and x + room > width - 8:
            x, y = x0, y + 18
        body.append(swatch.format(x=_n(x), y=_n(y)))
        body.append(_text(x + 20, y, label, size=10.5))
        x += room
    return body, y


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
    biggest = max((e.figures.monthly for e in entries), default=1.0) or 1.0
    number = {e.id: index for index, e in enumerate(ranked(entries), start=1)}
    y_range = (y_ticks[0], y_ticks[-1])

    def draw(width: int) -> tuple[list[str], float]:
        left, top, plot, gap = 62, 16, 250, 34
        if width >= WIDE_WIDTH:
            panel = (width - left - gap - 12) / 2
            cost = Frame(left, top, panel, plot, (0, up_ticks[-1]), y_range)
            weeks = Frame(left + panel + gap, top, panel, plot, (0, week_ticks[-1]), y_range)
        else:   # stacked: each panel the full width, the net value axis repeated
            plot = 200
            cost = Frame(left, top, width - left - 24, plot, (0, up_ticks[-1]), y_range)
            weeks = Frame(left, top + plot + 58, width - left - 24, plot, (0, week_ticks[-1]), y_range)
        body = _panel(cost, up_ticks, up_label, y_ticks, y_label, "upfront cost", True)
        body += _panel(weeks, week_ticks, lambda w: f"{w:g}", y_ticks, y_label, "weeks to go live",
                       width < WIDE_WIDTH)
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
        swatches = [(f'<circle transform="translate({{x}} {{y}})" cx="6" cy="-4" r="6" fill="{colors[key]}" '
                     f'fill-opacity="0.55" stroke="{colors[key]}"/>', label)
                    for key, label in (("funded", "funded"), ("deferred", "deferred"),
                                       ("not_worth", "not worth building"))]
        swatches.append(('<g transform="translate({x} {y})"></g>', "bubble area: monthly cost"))
        legend, last = _legend_row(swatches, left, weeks.top + weeks.height + 58, width)
        body += legend
        for frame in ((cost,) if width >= WIDE_WIDTH else (cost, weeks)):
            middle = frame.top + frame.height / 2
            body.append(f'<text x="14" y="{_n(middle)}" font-size="10.5" fill="{MUTED}" text-anchor="middle" '
                        f'transform="rotate(-90 14 {_n(middle)})">risk-adjusted net value</text>')
        return body, last + 12

    described = [f"{number[e.id]}. {e.project}: {short(e.figures.net_value, currency)} net value, "
                 f"{short(e.figures.upfront, currency)} upfront, {e.figures.weeks_to_live:g} weeks, "
                 f"{short(e.figures.monthly, currency)} a month "
                 f"({status.get(e.id, 'deferred').replace('_', ' ')})"
                 for e in sorted(entries, key=lambda e: (-e.figures.monthly, e.id))]
    title = "Value against effort: what each use case returns for what it takes"
    desc = "Bubble chart in two panels sharing the vertical axis. " + "; ".join(described) + "."
    return _both(title, desc, "chart-value-effort", font, draw)


def roadmap_chart(result: Portfolio, primary: str, accent: str, font: str) -> ChartSvg | None:
    if not result.funded:
        return None
    quarter_weeks = 13.0
    rows = result.funded
    end_weeks = max((item.start_quarter - 1) * quarter_weeks + result.entry(item.id).figures.weeks_to_live
                    for item in rows)
    quarters = max(len(result.roadmap), math.ceil(end_weeks / quarter_weeks))

    def draw(width: int) -> tuple[list[str], float]:
        wide = width >= WIDE_WIDTH
        left, right, top = (210, 16, 22) if wide else (10, 12, 22)
        row = 28 if wide else 40   # on phones each name sits on its own line above its bar
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
        for index, item in enumerate(rows):
            y = top + index * row
            weeks = result.entry(item.id).figures.weeks_to_live
            start = (item.start_quarter - 1) * quarter_weeks
            if wide:
                body.append(_text(left - 8, y + 18, _clip(item.project, 10.5, left - 14), size=10.5,
                                  anchor="end"))
            else:
                body.append(_text(left, y + 14, _clip(item.project, 10.5, width - 24), size=10.5))
            bar_y = y + 6 if wide else y + 19
            x0, x1 = frame.x(start), frame.x(start + weeks)
            color = accent if item.must_do else primary
            body.append(f'<rect x="{_n(x0)}" y="{_n(bar_y)}" width="{_n(max(x1 - x0, 2))}" height="17" '
                        f'rx="3" fill="{color}"/>')
        return body, top + row * len(rows) + 30

    described = [f"{item.project}: starts {item.start_label}, live after "
                 f"{result.entry(item.id).figures.weeks_to_live:g} weeks" for item in rows]
    title = "Roadmap: when each funded use case is built"
    desc = "Gantt chart by quarter; must-do use cases in the accent colour. " + "; ".join(described) + "."
    return _both(title, desc, "chart-portfolio-roadmap", font, draw)


def load_chart(result: Portfolio, primary: str, accent: str, font: str) -> ChartSvg | None:
    quarters = result.roadmap
    if not quarters:
        return None
    roles = list(ROLE_LABELS)
    peak = max([q.load.get(r, 0.0) for q in quarters for r in roles]
               + [q.capacity.get(r, 0.0) for q in quarters for r in roles] + [1.0])
    ticks = nice_ticks(0, peak, 4)
    colors = {"ml_experts": accent, "engineers": tint_hex(primary)}

    def draw(width: int) -> tuple[list[str], float]:
        left, top, plot = 52, 14, 178
        frame = Frame(left, top, width - left - 16, plot, (0, len(quarters)), (0, ticks[-1]))
        body = []
        for tick in ticks:
            y = frame.y(tick)
            body.append(f'<line x1="{_n(left)}" y1="{_n(y)}" x2="{_n(width - 16)}" y2="{_n(y)}" '
                        f'stroke="{GRID}"/>')
            body.append(_text(left - 6, y + 4, f"{tick:g}", size=10, anchor="end", fill=MUTED))
        slot = frame.width / len(quarters)
        bar = min(34.0, slot * 0.32)
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
        box = '<rect transform="translate({{x}} {{y}})" y="-10" width="14" height="10" fill="{}"/>'
        swatches = [(box.format(colors["ml_experts"]), "ML experts"),
                    (box.format(colors["engineers"]), "engineers"),
                    (f'<line transform="translate({{x}} {{y}})" y1="-5" x2="16" y2="-5" stroke="{INK}" '
                     f'stroke-width="2.2"/>', "capacity (person-weeks a quarter)")]
        legend, last = _legend_row(swatches, left, top + plot + 44, width)
        return body + legend, last + 12

    described = [f"{quarter.label}: " + ", ".join(
        f"{ROLE_LABELS[r]} {quarter.load.get(r, 0.0):g} of {quarter.capacity.get(r, 0.0):g} person-weeks"
        for r in roles) for quarter in quarters]
    title = "People: person-weeks needed each quarter against those available"
    desc = "Bar chart by quarter. " + "; ".join(described) + "."
    return _both(title, desc, "chart-portfolio-load", font, draw)


def portfolio_charts(result: Portfolio, primary: str, accent: str, font: str) -> dict[str, ChartSvg | None]:
    return {
        "value_effort": value_effort_chart(result, primary, accent, font),
        "roadmap": roadmap_chart(result, primary, accent, font),
        "load": load_chart(result, primary, accent, font),
    }
