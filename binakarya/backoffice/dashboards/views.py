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
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from binakarya.backoffice.common import export_filename
from binakarya.core import plots
from binakarya.core.exports import FORMATS as EXPORT_FORMATS
from binakarya.core.exports import Table, export_format, export_response
from binakarya.core.money import format_rupiah
from binakarya.core.templatetags.binakarya import grouped
from binakarya.dashboards import selectors as dashboard_selectors


@dataclass(frozen=True)
class PanelView:
    key: str
    title: str
    note: str
    chart: plots.Chart | None
    headings: list[str]
    rows: list[SafeString]
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


def _cell(value: Any, label: str, *, rupiah: bool, link: str) -> SafeString:
    """One cell of a panel's table, its column's name in ``data-label`` (shown beside it on a phone)."""
    if link:
        return format_html('<td data-label="{}"><a href="{}">{}</a></td>', label, link, value)
    if isinstance(value, int) and not isinstance(value, bool):
        text = format_rupiah(value) if rupiah else grouped(value)
        return format_html('<td data-label="{}" class="num">{}</td>', label, text)
    return format_html('<td data-label="{}">{}</td>', label, value)


def _rows(request: HttpRequest, table: Table, drill: dict[str, str], year: int) -> list[SafeString]:
    """The table's body rows as markup, built here rather than cell by cell in the template: a nation's page
    has thousands of cells (34 provinces in every panel)."""
    columns = list(table.columns)
    labels = [column.title for column in columns]
    rows: list[SafeString] = []
    for row in table.rows:
        cells = []
        for index, value in enumerate(row):
            label = labels[index] if index < len(labels) else ""
            rupiah = index < len(columns) and columns[index].rupiah
            target = drill.get(str(value), "") if index == 0 else ""
            link = _page_url(request, scope=target, year=year) if target else ""
            cells.append(_cell(value, label, rupiah=rupiah, link=link))
        rows.append(format_html("<tr>{}</tr>", mark_safe("".join(cells))))  # noqa: S308 - cells built by format_html
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
