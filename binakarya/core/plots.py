"""Charts drawn by the server as SVG, from the same :class:`~binakarya.core.exports.Table` a page shows
beside the chart and offers as CSV or XLSX.

No chart library and no script: a chart is markup, so it shows on a cheap phone with JavaScript off,
prints, and passes the Content-Security-Policy (presentation attributes only, no ``style``). The first
column of the table labels the rows; every other column is a series of integers.

- ``bars``: grouped bars. Short row labels (months) stand as columns on an axis; long labels or many
  rows (facilities side by side, channels) lie as horizontal bars, each under its full label, which
  reads on a 360 px screen without turning the text.
- ``stacked``: the series of a row stacked into one column (sales of a month by channel).
- ``line``: one line per series over the rows (months), for comparing units through a year.

The SVG scales to its container's width (``viewBox``); its text stays legible down to 320 px. Each mark
carries a ``<title>`` with the exact figure, and the table beside the chart is the accessible reading.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from binakarya.core.exports import Table
from binakarya.core.money import decimal_separator_for, format_rupiah

# Okabe and Ito's palette (told apart by readers with colour blindness), without its yellow, which
# does not show on white; then a grey.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000", "#999999")
WIDTH = 360
# Vertical charts: plot area height, margins for the axis labels.
HEIGHT = 220
LEFT = 48
BOTTOM = 34
TOP = 10
RIGHT = 8
# Horizontal bars: a label line, then one bar per series.
LABEL_LINE = 16
BAR = 12
ROW_GAP = 10
# Row labels at most this long (and at most this many rows) stand on a vertical chart's axis.
SHORT_LABEL = 6
MAX_COLUMNS = 14
FONT = 11


@dataclass(frozen=True)
class Chart:
    """A chart ready for a template: the SVG, and the legend's (colour, series name) pairs."""

    svg: SafeString
    legend: tuple[tuple[str, str], ...]


def _series(table: Table) -> tuple[list[str], list[str], list[list[int]], list[bool]]:
    """Row labels, series names, values[series][row] (None and text read as 0), and which are rupiah."""
    rows = [list(row) for row in table.rows]
    columns = list(table.columns)[1:]
    labels = [str(row[0]) if row else "" for row in rows]
    values = [[_number(row[i + 1]) if len(row) > i + 1 else 0 for row in rows] for i in range(len(columns))]
    return labels, [c.title for c in columns], values, [c.rupiah for c in columns]


def _number(value: Any) -> int:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def compact(value: int, *, rupiah: bool = False) -> str:
    """A short figure for an axis: ``1250000`` → ``1,3 jt`` (Indonesian) or ``1.3M`` (English)."""
    separator = decimal_separator_for(get_language())
    indonesian = separator == ","
    sign = "-" if value < 0 else ""
    n = abs(value)
    steps = (
        (10**12, "T" if indonesian else "T"),
        (10**9, " M" if indonesian else "B"),
        (10**6, " jt" if indonesian else "M"),
        (10**3, " rb" if indonesian else "K"),
    )
    text = str(n)
    for size, suffix in steps:
        if n >= size:
            scaled = n / size
            shown = f"{scaled:.1f}" if scaled < 10 and n % size else str(int(scaled + 0.5))
            text = shown.replace(".", separator) + suffix
            break
    return f"{sign}{'Rp' if rupiah else ''}{text}"


def _exact(value: int, rupiah: bool) -> str:
    if rupiah:
        return format_rupiah(value)
    separator = "." if decimal_separator_for(get_language()) == "," else ","
    return f"{value:,}".replace(",", separator)


def _nice_step(span: float, ticks: int = 4) -> int:
    """A tick step of 1, 2, 2.5 or 5 times a power of ten, so that ``ticks`` steps cover ``span``."""
    raw = span / ticks
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if factor * power >= raw:
            return max(1, int(math.ceil(factor * power)))
    return max(1, int(math.ceil(raw)))  # pragma: no cover - the loop always returns


@dataclass(frozen=True)
class _Axis:
    """A vertical axis from ``low`` (0, or below it when a figure is negative: returns beyond sales) to
    ``high``, with a tick every ``step``."""

    low: int
    high: int
    step: int

    @classmethod
    def over(cls, smallest: int, largest: int) -> "_Axis":
        smallest, largest = min(0, smallest), max(0, largest)
        if smallest == largest:
            return cls(0, 4, 1)
        step = _nice_step(largest - smallest)
        low = -step * math.ceil(-smallest / step) if smallest < 0 else 0
        high = step * math.ceil(largest / step) if largest > 0 else 0
        return cls(low, max(high, low + step), step)

    def y(self, value: float) -> float:
        plot_h = HEIGHT - TOP - BOTTOM
        return TOP + plot_h * (self.high - value) / (self.high - self.low)


def _color(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


def _svg(width: int, height: int, title: str, body: SafeString) -> SafeString:
    return format_html(
        '<svg class="chart-svg" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" role="img" font-family="sans-serif" '
        'aria-label="{}" preserveAspectRatio="xMidYMid meet"><title>{}</title>{}</svg>',
        width,
        height,
        title,
        title,
        body,
    )


def _mark_title(label: str, name: str, value: int, rupiah: bool) -> str:
    return f"{label} · {name}: {_exact(value, rupiah)}"


def _axis(axis: _Axis, rupiah: bool) -> SafeString:
    parts = []
    for tick in range(axis.low, axis.high + 1, axis.step):
        y = axis.y(tick)
        parts.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="1"/>'
                '<text x="{}" y="{}" font-size="{}" text-anchor="end" fill="#444444">{}</text>',
                LEFT,
                f"{y:.1f}",
                WIDTH - RIGHT,
                f"{y:.1f}",
                "#888888" if tick == 0 else "#dddddd",
                LEFT - 4,
                f"{y + 4:.1f}",
                FONT - 1,
                compact(tick, rupiah=rupiah),
            )
        )
    return mark_safe("".join(parts))  # noqa: S308 - each part was escaped by format_html


def _x_labels(labels: Sequence[str], slot: float) -> SafeString:
    return format_html_join(
        "",
        '<text x="{}" y="{}" font-size="{}" text-anchor="middle" fill="#222222">{}</text>',
        ((f"{LEFT + slot * (i + 0.5):.1f}", HEIGHT - BOTTOM + 14, FONT - 1, label) for i, label in enumerate(labels)),
    )


def _vertical(
    labels: list[str], names: list[str], values: list[list[int]], rupiah: list[bool], *, stacked: bool
) -> str:
    rows = range(len(labels))
    if stacked:  # positives stack up from zero, negatives (returns) down from it
        axis = _Axis.over(
            min((sum(min(0, v[i]) for v in values) for i in rows), default=0),
            max((sum(max(0, v[i]) for v in values) for i in rows), default=0),
        )
    else:
        axis = _Axis.over(min(min(v) for v in values), max(max(v) for v in values))
    slot = (WIDTH - LEFT - RIGHT) / max(1, len(labels))
    parts: list[SafeString] = [_axis(axis, any(rupiah))]
    for i, label in enumerate(labels):
        x0 = LEFT + slot * i + slot * 0.12
        inner = slot * 0.76
        up, down = 0, 0
        for s, name in enumerate(names):
            value = values[s][i]
            if stacked:
                x, w = x0, inner
                if value >= 0:
                    start, up = up, up + value
                else:
                    start, down = down, down + value
                end = start + value
            else:
                w = inner / max(1, len(names))
                x, start, end = x0 + w * s, 0, value
            y_top, y_bottom = axis.y(max(start, end)), axis.y(min(start, end))
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}</title></rect>',
                    f"{x:.1f}",
                    f"{y_top:.1f}",
                    f"{max(w - 0.5, 0.5):.1f}",
                    f"{y_bottom - y_top:.1f}",
                    _color(s),
                    _mark_title(label, name, value, rupiah[s]),
                )
            )
    parts.append(_x_labels(labels, slot))
    return mark_safe("".join(parts))  # noqa: S308 - each part was escaped by format_html


def _line(labels: list[str], names: list[str], values: list[list[int]], rupiah: list[bool]) -> str:
    axis = _Axis.over(min(min(v) for v in values), max(max(v) for v in values))
    slot = (WIDTH - LEFT - RIGHT) / max(1, len(labels))
    parts: list[SafeString] = [_axis(axis, any(rupiah))]
    for s, name in enumerate(names):
        points = [(LEFT + slot * (i + 0.5), axis.y(v)) for i, v in enumerate(values[s])]
        parts.append(
            format_html(
                '<polyline points="{}" fill="none" stroke="{}" stroke-width="2"/>',
                " ".join(f"{x:.1f},{y:.1f}" for x, y in points),
                _color(s),
            )
        )
        parts.append(
            format_html_join(
                "",
                '<circle cx="{}" cy="{}" r="3" fill="{}"><title>{}</title></circle>',
                (
                    (f"{x:.1f}", f"{y:.1f}", _color(s), _mark_title(labels[i], name, values[s][i], rupiah[s]))
                    for i, (x, y) in enumerate(points)
                ),
            )
        )
    parts.append(_x_labels(labels, slot))
    return mark_safe("".join(parts))  # noqa: S308 - each part was escaped by format_html


def _horizontal(labels: list[str], names: list[str], values: list[list[int]], rupiah: list[bool]) -> tuple[str, int]:
    """Horizontal bars, each row under its full label; returns the body and its height. A negative figure (more
    returned than sold) is drawn by its size, paler, and its written value carries the minus sign."""
    top = max(max((abs(x) for x in v), default=0) for v in values) or 1
    text_room = 78  # the value written after the longest bar
    span = WIDTH - RIGHT - text_room
    parts: list[SafeString] = []
    y = 4
    for i, label in enumerate(labels):
        parts.append(
            format_html('<text x="0" y="{}" font-size="{}" fill="#222222">{}</text>', y + FONT, FONT, _truncate(label))
        )
        y += LABEL_LINE
        for s, name in enumerate(names):
            value = values[s][i]
            w = span * abs(value) / top
            parts.append(
                format_html(
                    '<rect x="0" y="{}" width="{}" height="{}" fill="{}" fill-opacity="{}"><title>{}</title></rect>'
                    '<text x="{}" y="{}" font-size="{}" fill="#444444">{}</text>',
                    y,
                    f"{max(w, 1):.1f}",
                    BAR - 2,
                    _color(s),
                    "0.45" if value < 0 else "1",
                    _mark_title(label, name, value, rupiah[s]),
                    f"{max(w, 1) + 4:.1f}",
                    y + BAR - 3,
                    FONT - 1,
                    compact(value, rupiah=rupiah[s]),
                )
            )
            y += BAR
        y += ROW_GAP
    return mark_safe("".join(parts)), y  # noqa: S308 - each part was escaped by format_html


def _truncate(label: str, limit: int = 52) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def chart(table: Table, kind: str = "bars", *, title: str = "") -> Chart | None:
    """The chart of ``table`` as ``kind`` (``bars``, ``stacked`` or ``line``); None when there is
    nothing to draw (no rows, no numeric column, or every figure zero)."""
    labels, names, values, rupiah = _series(table)
    if not labels or not names or not any(any(v) for v in values):
        return None
    title = title or table.title
    legend = tuple((_color(s), name) for s, name in enumerate(names)) if len(names) > 1 else ()
    horizontal = kind != "line" and (len(labels) > MAX_COLUMNS or max(len(label) for label in labels) > SHORT_LABEL)
    if kind == "line" and len(labels) > 1:
        body = _line(labels, names, values, rupiah)
        return Chart(_svg(WIDTH, HEIGHT, title, mark_safe(body)), legend)  # noqa: S308 - built from format_html
    if horizontal:
        if kind == "stacked":  # many long rows stack badly on a phone: grouped bars read better
            kind = "bars"
        body, height = _horizontal(labels, names, values, rupiah)
        return Chart(_svg(WIDTH, height, title, mark_safe(body)), legend)  # noqa: S308 - built from format_html
    body = _vertical(labels, names, values, rupiah, stacked=kind == "stacked")
    return Chart(_svg(WIDTH, HEIGHT, title, mark_safe(body)), legend)  # noqa: S308 - built from format_html
