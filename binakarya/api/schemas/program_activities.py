"""Shapes of the activities endpoints and of an agreement's outcomes (programs, issue 15)."""

import datetime
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import Strict

from binakarya.api.schemas.common import Flag, Id, IsoDate

Hours = Annotated[int, Strict(), Field(ge=-32768, le=32767)]


class ParticipantIn(Schema):
    maker_id: Id
    present: Flag = True
    hours: Hours | None = Field(None, description="Empty: the activity's hours when present, 0 when absent.")


class ActivityIn(Schema):
    organization: str = Field(
        "", max_length=120, description="Slug of the facility or producer; may be left out by staff of one."
    )
    kind: Literal["TRAINING", "DESIGN", "PACKAGING", "EXHIBITION", "PROMOTION"]
    title: str = Field(..., max_length=200)
    agreement_id: Id | None = Field(None, description="An agreement of the same organization.")
    partner: str = Field("", max_length=120, description="Slug of the partner agency; under an agreement, a partner.")
    group: str = Field("", max_length=120, description="Slug of the group invited.")
    place: str = Field(..., max_length=200)
    start_date: IsoDate
    end_date: IsoDate
    hours: Hours = Field(..., description="Hours of practice a participant who attended in full is credited.")
    instructors: str = Field("", max_length=300)
    outcomes: str = Field("", max_length=5000)
    participants: list[ParticipantIn] = Field(
        default_factory=list, max_length=500, description="Attendance taken in the same step (optional)."
    )


class AttendanceIn(Schema):
    participants: list[ParticipantIn] = Field(..., min_length=1, max_length=500)


class ParticipantOut(Schema):
    maker_id: int
    present: bool
    hours: int


class ActivityOut(Schema):
    id: int
    organization: str
    kind: str
    title: str
    agreement_id: int | None
    partner: str | None
    group: str | None
    place: str
    start_date: datetime.date
    end_date: datetime.date
    hours: int
    instructors: str
    outcomes: str
    participant_count: int
    participant_hours: int
    participants: list[ParticipantOut] = Field(
        ..., description="Who attended, by maker id: only for the organization's own staff (empty otherwise)."
    )
    products: list[str] = Field(..., description="Slugs of the products designed at the activity.")
    event_sales_total_idr: int


class ActivityListOut(Schema):
    count: int
    items: list[ActivityOut]


class GrantLinkIn(Schema):
    movement_id: Id = Field(..., description="The capital grant (GET /api/v1/capital/grants lists them).")


class DealLinkIn(Schema):
    deal: str = Field(..., max_length=40, description="The deal's number.")


class OutcomeActivityOut(Schema):
    id: int
    kind: str
    title: str
    start_date: datetime.date
    participant_count: int
    participant_hours: int


class OutcomeGrantOut(Schema):
    movement_id: int
    amount_idr: int
    occurred_at: datetime.datetime
    agency: str | None


class OutcomeDealOut(Schema):
    number: str
    buyer: str
    status: str
    total_idr: int


class AgreementOutcomesOut(Schema):
    activity_count: int
    participant_count: int
    participant_hours: int
    activities: list[OutcomeActivityOut]
    grant_count: int
    grants_total_idr: int
    grants: list[OutcomeGrantOut]
    event_sale_count: int
    event_sales_total_idr: int
    deal_count: int
    deals_total_idr: int
    deals: list[OutcomeDealOut]
    sales_total_idr: int
