"""Shapes of the agreements endpoints (programs, issue 15)."""

import datetime
from typing import Literal

from ninja import Field, Schema

from binakarya.api.schemas.common import IsoDate
from binakarya.api.schemas.program_activities import AgreementOutcomesOut


class AgreementIn(Schema):
    organization: str = Field(
        "", max_length=120, description="Slug of the facility or producer; may be left out by staff of one."
    )
    kind: Literal["MOU", "PKS"]
    number: str = Field(..., max_length=100)
    title: str = Field(..., max_length=200)
    partners: list[str] = Field(..., min_length=1, max_length=20, description="Slugs of the partner agencies.")
    signed_date: IsoDate
    start_date: IsoDate
    end_date: IsoDate | None = Field(None, description="Empty for an open-ended agreement.")
    scope: str = Field("", max_length=5000)


class ObligationIn(Schema):
    party: str = Field("", max_length=120, description="Slug of a partner agency of the agreement; empty: our side.")
    description: str = Field(..., max_length=300)
    due_date: IsoDate


class ObligationOut(Schema):
    id: int
    party: str | None = Field(..., description="Slug of the partner agency; null: the agreement's organization.")
    description: str
    due_date: datetime.date
    done_at: datetime.datetime | None
    overdue: bool


class AgreementOut(Schema):
    id: int
    organization: str
    kind: str
    number: str
    title: str
    partners: list[str]
    signed_date: datetime.date
    start_date: datetime.date
    end_date: datetime.date | None
    scope: str
    has_signed_document: bool
    obligations: list[ObligationOut]
    outcomes: AgreementOutcomesOut | None = Field(
        None, description="What came from the agreement (activities, grants, sales); in the one-agreement answer."
    )


class AgreementListOut(Schema):
    count: int
    items: list[AgreementOut]
