"""Static SVG charts made at build time (no chart script, no third-party request).

The chart is drawn by a template; this module only computes the geometry."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .schema import Campaign, Indicator
from .vietnamese import format_date, format_number

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 24, 40
BAR_GAP = 4


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    series: str


@dataclass(frozen=True)
class Chart:
    title: str
    description: str
    bars: list[Bar]
    years: list[tuple[float, int]]
    ticks: list[tuple[float, str]]
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    baseline: float = HEIGHT - BOTTOM


def indicator_chart(indicator: Indicator, unit_name: str) -> Chart:
    """Targets against actuals by year, as grouped bars."""
    targets = {v.year: v.value for v in indicator.targets}
    actuals = {v.year: v.value for v in indicator.actuals}
    actuals.setdefault(indicator.baseline.year, indicator.baseline.value)
    years = sorted(set(targets) | set(actuals))
    top = max([*targets.values(), *actuals.values(), 1.0]) * 1.15
    plot_height = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT - RIGHT) / max(len(years), 1)
    bar_width = (slot - 3 * BAR_GAP) / 2

    def bar(year_index: int, offset: int, value: float, series: str) -> Bar:
        height = value / top * plot_height
        x = LEFT + year_index * slot + BAR_GAP + offset * (bar_width + BAR_GAP)
        label = f"{format_number(value)}{indicator.measure}"
        return Bar(round(x, 1), round(HEIGHT - BOTTOM - height, 1), round(bar_width, 1), round(height, 1), label, series)

    bars = [bar(i, 0, targets[y], "target") for i, y in enumerate(years) if y in targets]
    bars += [bar(i, 1, actuals[y], "actual") for i, y in enumerate(years) if y in actuals]
    ticks = [
        (round(HEIGHT - BOTTOM - step / 4 * plot_height, 1), f"{format_number(top * step / 4, 1)}{indicator.measure}")
        for step in range(5)
    ]
    described = "; ".join(
        f"năm {y}: mục tiêu {format_number(targets[y]) + indicator.measure if y in targets else 'không đặt'}, "
        f"thực hiện {format_number(actuals[y]) + indicator.measure if y in actuals else 'chưa có'}"
        for y in years
    )
    return Chart(
        title=f"{indicator.title} — {unit_name}",
        description=f"Biểu đồ cột so sánh mục tiêu và thực hiện theo năm: {described}.",
        bars=bars,
        years=[(round(LEFT + i * slot + slot / 2, 1), y) for i, y in enumerate(years)],
        ticks=ticks,
    )


# --- Campaign timeline ---------------------------------------------------------------------
@dataclass(frozen=True)
class Span:
    """A phase on the timeline; ``start`` and ``width`` are percentages of the whole."""

    label: str
    name: str
    dates: str
    start: float
    width: float
    state: str  # "past", "current" or "future" on the build day


@dataclass(frozen=True)
class Mark:
    label: str
    month: str  # "9/2025"
    at: float


@dataclass(frozen=True)
class Timeline:
    spans: list[Span]
    marks: list[Mark]
    today: float  # where the build day falls, kept within the timeline
    today_label: str
    status: str


def _month_index(month: str) -> int:
    year, number = month.split("-")
    return int(year) * 12 + int(number) - 1


def _short_month(month: str) -> str:
    year, number = month.split("-")
    return f"{int(number)}/{year}"


def campaign_timeline(campaign: Campaign, today: date, status: str) -> Timeline:
    """Phases from the launch (the plan's first phase runs «from now»: the launch ceremony
    starts it) to the final review, with the reviews marked and the build day placed."""
    first = campaign.phases[0].start or (campaign.ceremony.month if campaign.ceremony else None)
    start = _month_index(first) if first else _month_index(campaign.phases[0].end) - 11
    months = [_month_index(p.end) for p in campaign.phases] + [_month_index(r.month) for r in campaign.reviews]
    end = max(months) + 1  # the end of the last month

    def at(index: float) -> float:
        return round(min(max((index - start) / (end - start) * 100, 0.0), 100.0), 2)

    now = today.year * 12 + today.month - 1 + (today.day - 1) / 31
    spans = []
    for number, phase in enumerate(campaign.phases, 1):
        begin = _month_index(phase.start) if phase.start else start
        finish = _month_index(phase.end) + 1
        state = "past" if now >= finish else "current" if now >= begin else "future"
        begin_label = _short_month(phase.start) if phase.start else _short_month(first) if first else "nay"
        dates = f"{begin_label}–{_short_month(phase.end)}"
        spans.append(Span(f"Giai đoạn {number}", phase.name, dates, at(begin), round(at(finish) - at(begin), 2), state))
    marks = [Mark("Lễ phát động", _short_month(campaign.ceremony.month), at(start))] if campaign.ceremony else []
    marks += [Mark(r.kind.capitalize(), _short_month(r.month), at(_month_index(r.month) + 0.5)) for r in campaign.reviews]
    return Timeline(spans, marks, at(now), f"Hôm nay, {format_date(today)}", status)
