"""Shapes of the dashboard endpoints (api/dashboards.py): units, months, channels, groups and categories, never a
maker."""

from ninja import Field, Schema

from binakarya.api.schemas.common import YearParam


class DashboardScopeOut(Schema):
    scope: str = Field(
        ..., description='What to pass as `scope`: "org:<slug>", "province:<name>", "nation" or "agency:<slug>".'
    )
    label: str


class DashboardScopesOut(Schema):
    items: list[DashboardScopeOut]


class DashboardUnitOut(Schema):
    key: str = Field(..., description="Organization slug, or province name in the nation's view.")
    label: str
    link_scope: str = Field(..., description="The scope to open to drill down into this unit; empty when none.")


class DashboardPanelsQuery(Schema):
    scope: str = Field("", max_length=200, description="A scope from GET /dashboards; empty for the user's default.")
    year: YearParam | None = Field(None, description="Calendar year; the newest with data by default.")


class ColumnOut(Schema):
    title: str
    rupiah: bool = Field(..., description="Whether the column holds integer rupiah.")


class PanelOut(Schema):
    key: str = Field(..., description='Stable slug: "sales-month", "sales-channel", "premi", "pnbp", "stock", ….')
    title: str
    columns: list[ColumnOut]
    rows: list[list[str | int | None]] = Field(..., description="The first cell is the row's label.")
    chart: str = Field(..., description='"bars", "stacked", "line", or "" for a table only.')
    series: list[int] = Field(..., description="Positions of the columns the chart draws; empty: every numeric one.")
    note: str


class DashboardOut(Schema):
    scope: str
    kind: str = Field(..., description='"organization", "region", "nation" or "agency".')
    title: str
    year: int
    years: list[int] = Field(..., description="Years with data, newest first (the current year always).")
    units: list[DashboardUnitOut]
    panels: list[PanelOut]
