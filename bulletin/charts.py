"""Static SVG charts made at build time (no chart script, no third-party request).

The chart is drawn by a template; this module only computes the geometry."""

from __future__ import annotations

from dataclasses import dataclass

from .schema import Indicator
from .vietnamese import format_number

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
