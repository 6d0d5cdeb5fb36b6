"""Shapes of the skill record, skills certificate and release endpoints (programs, issue 15)."""

import datetime

from ninja import Field, Schema
from pydantic import StrictBool, StrictInt

from binakarya.api.schemas.common import IsoDate, NonNegativeRupiah


class TrainingOut(Schema):
    date: datetime.date
    title: str
    kind: str
    partner: str
    hours: int


class SkillLotOut(Schema):
    code: str
    finished_date: datetime.date
    product: str
    craft: str
    share_basis: str
    share: int
    units: int
    quantity_produced: int
    quantity_passed: int


class CertificateBriefOut(Schema):
    id: int
    number: str
    verify_code: str
    crafts: str
    hours: int
    period_start: datetime.date
    period_end: datetime.date


class SkillsOut(Schema):
    maker: int
    name: str
    trainings_attended: int
    training_hours: int
    trainings: list[TrainingOut]
    lots_contributed: int
    units_made: int
    production_hours: int
    units_produced: int
    units_passed: int
    quality_rate: float | None = Field(..., description="Units passed over units produced; null without lots.")
    products: list[str]
    crafts: list[str]
    period_start: datetime.date | None
    period_end: datetime.date | None
    hours_of_practice: int = Field(..., description="The most a certificate may claim: training + production hours.")
    certificates: list[CertificateBriefOut]
    released_on: datetime.date | None


class CertificateIn(Schema):
    crafts: str = Field(..., max_length=300, description="What the person can make.")
    hours: StrictInt = Field(..., ge=1, le=100_000)
    period_start: IsoDate
    period_end: IsoDate
    partner: str = Field("", max_length=120, description="Slug of the co-signing agency; empty: none.")
    name_consent: StrictBool = Field(False, description="Show the full name on the public verification page.")


class CertificateOut(Schema):
    id: int
    maker: int
    number: str
    verify_code: str
    verify_url: str
    pdf_url: str
    crafts: str
    hours: int
    period_start: datetime.date
    period_end: datetime.date
    partner: str | None
    name_consent: bool


class ReleaseIn(Schema):
    released_on: IsoDate
    payout_method: str = Field("RELEASE", max_length=10, description="RELEASE, SAVINGS or FAMILY.")
    recipient: str = Field("", max_length=200, description="Family member's name; required for FAMILY.")
    relationship: str = Field("", max_length=60, description="Required for FAMILY, e.g. istri.")
    reference: str = Field("", max_length=60, description="Account number.")
    expected_owed_idr: NonNegativeRupiah | None = Field(
        None, description="The balance the caller saw; when it has changed, nothing is saved (400 on payout_method)."
    )
    certificate: CertificateIn | None = Field(None, description="Issue a certificate with these fields.")
    certificate_id: int | None = Field(None, description="Or attach a certificate already issued to this maker.")
    outcomes_consent: StrictBool = False
    note: str = Field("", max_length=300)


class ReleaseOut(Schema):
    maker: int
    released_on: datetime.date
    status: str
    premi_paid_idr: int
    payout_number: str | None
    payout_verify_code: str | None
    balance_idr: int
    certificate_number: str | None
    certificate_verify_code: str | None
    certificate_verify_url: str | None
    outcomes_consent: bool
