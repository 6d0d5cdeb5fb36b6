"""Dashboards by scope (issue 14): a facility's figures, a province's facilities side by side, the nation's
provinces, an agency's UMKM producers.

One page per scope and year: a chart drawn by the server beside each panel's table, and the table as CSV or
XLSX (one panel, or every panel as the sheets of one workbook) from the same address with ``format``. What a
user may open, and every figure, comes from ``binakarya.dashboards.selectors``; no maker is ever named there.
"""

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from binakarya.backoffice.common import export_filename
from binakarya.core import plots
from binakarya.core.exports import FORMATS as EXPORT_FORMATS
from binakarya.core.exports import Table, export_format, export_response
from binakarya.dashboards import selectors as dashboard_selectors


@dataclass(frozen=True)
class Cell:
    value: Any
    label: str = ""
    number: bool = False
    rupiah: bool = False
    link: str = ""


@dataclass(frozen=True)
class PanelView:
    key: str
    title: str
    note: str
    chart: plots.Chart | None
    headings: list[str]
    rows: list[list[Cell]]
    downloads: dict[str, str]


def _year(raw: str | None, years: list[int]) -> int:
    if raw:
        try:
            year = int(raw)
        except ValueError:
            year = 0
        if year in years:
            return year
    return years[0]


def _chart_table(table: Table, series: tuple[int, ...]) -> Table:
    """The columns the chart draws: the labels and ``series`` (every column when empty)."""
    if not series:
        return table
    columns = list(table.columns)
    keep = [0, *(i for i in series if 0 < i < len(columns))]
    return Table(table.title, [columns[i] for i in keep], [[row[i] for i in keep] for row in table.rows])


def _page_url(request: HttpRequest, **params: str | int) -> str:
    return f"{request.path}?{urlencode({k: v for k, v in params.items() if v not in ('', None)})}"


def _rows(request: HttpRequest, table: Table, drill: dict[str, str], year: int) -> list[list[Cell]]:
    columns = list(table.columns)
    rows: list[list[Cell]] = []
    for row in table.rows:
        cells: list[Cell] = []
        for index, value in enumerate(row):
            column = columns[index] if index < len(columns) else None
            label = column.title if column else ""
            if index == 0:
                target = drill.get(str(value), "")
                link = _page_url(request, scope=target, year=year) if target else ""
                cells.append(Cell(value, label, link=link))
            else:
                number = isinstance(value, int) and not isinstance(value, bool)
                cells.append(Cell(value, label, number=number, rupiah=bool(column and column.rupiah and number)))
        rows.append(cells)
    return rows


@login_required
@require_GET
def dashboards(request: HttpRequest) -> HttpResponse:
    user = request.user
    scopes = dashboard_selectors.dashboard_scopes(user=user)
    if not scopes:
        raise PermissionDenied(_("Your roles do not include a dashboard."))
    scope = dashboard_selectors.dashboard_scope(user=user, scope=request.GET.get("scope", "").strip())
    years = dashboard_selectors.dashboard_years(scope=scope)
    year = _year(request.GET.get("year"), years)
    panels = dashboard_selectors.dashboard_panels(user=user, scope=scope, year=year)
    scope_value = request.GET.get("scope", "").strip()

    fmt = export_format(request.GET.get("format"))
    if fmt:
        key = request.GET.get("panel", "").strip()
        tables = [panel.table for panel in panels if not key or panel.key == key]
        if not tables:
            raise Http404(_("This dashboard has no such table."))
        return export_response(fmt, export_filename(_("dashboard"), scope.title, year, key), tables)

    drill = {unit.label: unit.link_scope for unit in scope.units if unit.link_scope and len(scope.units) > 1}
    views = []
    for panel in panels:
        table = Table(panel.table.title, panel.table.columns, list(panel.table.rows))
        downloads = {
            f: _page_url(request, scope=scope_value, year=year, panel=panel.key, format=f) for f in EXPORT_FORMATS
        }
        views.append(
            PanelView(
                key=panel.key,
                title=table.title,
                note=panel.note,
                chart=plots.chart(_chart_table(table, panel.series), panel.chart) if panel.chart else None,
                headings=[column.title for column in table.columns],
                rows=_rows(request, table, drill, year),
                downloads=downloads,
            )
        )
    # A scope opened from a table (a facility of the province, say) stays picked when the year changes.
    if scope.scope and scope.scope not in {value for value, _label in scopes}:
        scopes = [(scope.scope, scope.title), *scopes]
    scope_value = scope_value or scope.scope
    context = {
        "section": "dashboards",
        "scope": scope,
        "scope_value": scope_value,
        "scopes": scopes,
        "years": years,
        "year": year,
        "panels": views,
        "download_all": {f: _page_url(request, scope=scope_value, year=year, format=f) for f in EXPORT_FORMATS},
    }
    return render(request, "backoffice/dashboards.html", context)
