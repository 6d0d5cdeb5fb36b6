"""A bar chart of an organization's months, drawn as inline SVG by the template: no JavaScript.

The geometry is computed here and handed to the template as ready strings, so the template never
formats a number (a localised "12,5" would break an SVG attribute).
"""

import datetime
from dataclasses import dataclass

from django.utils.formats import date_format

from binakarya.sales.selectors import MonthImpact

WIDTH = 360
HEIGHT = 190
PLOT_TOP = 22.0  # room for the top value's label
PLOT_BOTTOM = 166.0  # the baseline; month labels sit under it
SIDE = 6.0
BAR_SHARE = 0.36  # each of the two bars takes this share of a month's slot


@dataclass(frozen=True)
class Bar:
    x: str
    y: str
    width: str
    height: str
    value: int


@dataclass(frozen=True)
class MonthColumn:
    label: str  # the month's short name in the active language
    label_x: str
    sales: Bar
    premi: Bar
    data: MonthImpact


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    baseline: str
    peak_idr: int
    columns: list[MonthColumn]
    best: MonthColumn | None  # the month with the most sales, for the chart's description


def _number(value: float) -> str:
    return f"{value:.1f}"


def impact_chart(*, year: int, months: list[MonthImpact]) -> Chart:
    """Grouped bars (sales, premi earned) per month, on one scale from zero to the year's highest value."""
    peak = max((max(m.sales_idr, m.premi_earned_idr, 0) for m in months), default=0)
    slot = (WIDTH - 2 * SIDE) / max(len(months), 1)
    bar_width = slot * BAR_SHARE
    scale = (PLOT_BOTTOM - PLOT_TOP) / peak if peak else 0.0

    def bar(x: float, value: int) -> Bar:
        # A month that lost more to returns than it sold draws no bar; the table shows the figure.
        height = max(value, 0) * scale
        return Bar(_number(x), _number(PLOT_BOTTOM - height), _number(bar_width), _number(height), value)

    columns = []
    for index, month in enumerate(months):
        left = SIDE + index * slot + (slot - 2 * bar_width) / 2
        columns.append(
            MonthColumn(
                label=date_format(datetime.date(year, month.month, 1), "M"),
                label_x=_number(SIDE + index * slot + slot / 2),
                sales=bar(left, month.sales_idr),
                premi=bar(left + bar_width, month.premi_earned_idr),
                data=month,
            )
        )
    best = max(columns, key=lambda c: c.data.sales_idr, default=None)
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        baseline=_number(PLOT_BOTTOM),
        peak_idr=peak,
        columns=columns,
        best=best if best is not None and best.data.sales_idr > 0 else None,
    )
