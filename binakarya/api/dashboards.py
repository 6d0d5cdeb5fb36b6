"""Staff endpoints for the dashboards (issue 14): the scopes a user may open, and a scope's panels for a year.

Who sees what is the dashboards app's (``dashboards.selectors``): facility and producer staff their own
organization, a regional viewer their province's facilities, a national viewer the provinces (and any of
them), an agency viewer the UMKM producers it supports. A scope outside the user's answers 403, one that does
not exist 404. Figures only: no maker is ever named.
"""

from typing import Any

from ninja import Query, Router

from binakarya.api.auth import STAFF_AUTH, AuthenticatedRequest
from binakarya.api.schemas.common import ErrorOut, FieldErrorsOut
from binakarya.api.schemas.dashboards import DashboardOut, DashboardPanelsQuery, DashboardScopesOut
from binakarya.dashboards.selectors import dashboard_panels, dashboard_scope, dashboard_scopes, dashboard_years

router = Router(tags=["dashboards"], auth=STAFF_AUTH)


@router.get(
    "/dashboards",
    response={200: DashboardScopesOut, 401: ErrorOut},
    summary="The dashboards (scopes) the user may open, the default first",
)
def dashboards(request: AuthenticatedRequest) -> dict[str, Any]:
    return {"items": [{"scope": scope, "label": label} for scope, label in dashboard_scopes(user=request.auth)]}


@router.get(
    "/dashboards/panels",
    response={200: DashboardOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: FieldErrorsOut},
    summary="A scope's panels for a year: sales, premi, PNBP, stock, receivables, capital, orders",
)
def dashboard(request: AuthenticatedRequest, filters: Query[DashboardPanelsQuery]) -> dict[str, Any]:
    user = request.auth
    scope = dashboard_scope(user=user, scope=filters.scope.strip())
    years = dashboard_years(scope=scope)
    year = filters.year or years[0]
    panels = dashboard_panels(user=user, scope=scope, year=year)
    return {
        "scope": scope.scope,
        "kind": scope.kind,
        "title": scope.title,
        "year": year,
        "years": years,
        "units": [{"key": u.key, "label": u.label, "link_scope": u.link_scope} for u in scope.units],
        "panels": [
            {
                "key": p.key,
                "title": p.table.title,
                "columns": [{"title": c.title, "rupiah": c.rupiah} for c in p.table.columns],
                "rows": [list(row) for row in p.table.rows],
                "chart": p.chart,
                "series": list(p.series),
                "note": p.note,
            }
            for p in panels
        ],
    }
