"""Request and response shapes of the public impact endpoint (api/impact.py): aggregates only, never a maker."""

from ninja import Field, Schema

from binakarya.api.schemas.common import YearParam


class ImpactQuery(Schema):
    year: YearParam | None = Field(None, description="Calendar year; the current one by default.")


class ImpactOut(Schema):
    organization: str = Field(..., description="Organization slug.")
    name: str
    year: int
    premi_earned_idr: int
    premi_paid_idr: int
    makers_earning: int = Field(..., description="How many makers earned premi that year (a count, no names).")
    items_sold: int
    pnbp_deposited_idr: int
