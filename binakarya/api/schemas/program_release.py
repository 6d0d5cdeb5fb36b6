"""Shapes of the after-release endpoints (programs, issue 15): livelihood, outcome checks, aggregated outcomes."""

import datetime
from typing import Literal

from ninja import Field, Schema

from binakarya.api.schemas.common import IsoDate, NonNegativeRupiah


class LivelihoodIn(Schema):
    consent_date: IsoDate
    business_name: str = Field(..., max_length=200, description="Must say nothing of the facility or the past.")
    regency: str = Field(..., max_length=100)
    province: str = Field(..., max_length=100)
    phone: str = Field("", max_length=30)
    description: str = Field("", max_length=5000)
    agency: str = Field("", max_length=120, description="Slug of the agency that supports the new UMKM; optional.")
    operator_username: str = Field(..., max_length=150)
    operator_email: str = Field("", max_length=254)
    operator_password: str = Field(
        ..., max_length=128, description="Temporary: the operator chooses their own at the first sign-in."
    )
    starting_capital_idr: NonNegativeRupiah | None = Field(
        None,
        description="Shown only to the producer's operator; default: the premi paid at release. "
        "At most Rp1.000.000.000 (400 above).",
    )


class LivelihoodOut(Schema):
    release: int
    producer: str = Field(..., description="Slug of the new UMKM producer.")
    producer_name: str
    consent_date: datetime.date
    starting_capital_idr: int


class OutcomeIn(Schema):
    months: Literal[6, 12]
    checked_on: IsoDate
    producing: bool
    income_band: Literal["NONE", "UNDER_1M", "FROM_1M", "FROM_3M", "OVER_5M"]


class OutcomeOut(Schema):
    release: int
    months: int
    checked_on: datetime.date


class ReleaseOut(Schema):
    id: int
    organization: str
    maker: int = Field(..., description="The maker's id (their name stays in the back office).")
    released_on: datetime.date
    premi_paid_idr: int
    outcomes_consent: bool
    livelihood: LivelihoodOut | None
    answered: list[int] = Field(..., description="The months (6, 12) whose answer is recorded (not the answer).")
    due: list[int] = Field(..., description="The months whose check is due: date passed, consent, no answer yet.")


class ReleaseListOut(Schema):
    count: int
    items: list[ReleaseOut]


class OutcomesQuery(Schema):
    scope: str = Field(
        ...,
        min_length=1,
        max_length=140,
        description='"org:<facility slug>" (its own staff only), "province:<name>" or "nation".',
    )


class OutcomeRowOut(Schema):
    key: str
    label: str
    at_6: str = Field(..., description='A count, a rate ("71%"), "<3" (one or two people), "≥N" or "—".')
    at_12: str


class OutcomesOut(Schema):
    scope: str
    title: str
    releases: str
    consented: str
    rows: list[OutcomeRowOut]
    withheld: str = Field(
        "", description="Why figures are shown as \u201c\u2014\u201d (too few facilities or people); empty otherwise."
    )
