"""Request and response shapes of the public impact endpoint (api/impact.py): aggregates only, never a maker."""

from ninja import Field, Schema

from binakarya.api.schemas.common import YearParam


class ImpactQuery(Schema):
    year: YearParam | None = Field(None, description="Calendar year; the current one by default.")


class ImpactProgramsOut(Schema):
    """A facility's programs (issue 15): counts only."""

    agreements_in_force: int = Field(
        ..., description="Agreements (MoU, PKS) in force at the end of the year, or today."
    )
    training_hours: int = Field(..., description="Hours of practice credited to attendees of the year's activities.")
    makers_certified: int = Field(..., description="Distinct makers given a skills certificate that year.")
    released_makers_selling: int | None = Field(
        ...,
        description="Released makers whose own UMKM sold on Binakarya in the last 90 days; null when one or two "
        "(too few to show).",
    )


class ImpactOut(Schema):
    organization: str = Field(..., description="Organization slug.")
    name: str
    year: int
    premi_earned_idr: int
    premi_paid_idr: int
    makers_earning: int = Field(..., description="How many makers earned premi that year (a count, no names).")
    items_sold: int
    pnbp_deposited_idr: int
    programs: ImpactProgramsOut | None = Field(..., description="A facility's programs; null for a producer.")
