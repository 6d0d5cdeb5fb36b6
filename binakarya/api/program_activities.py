"""Staff endpoints over activities (trainings, mentoring, exhibitions, promotions) with their attendance, and
the links of an agreement to the grants and deals that came from it (programs, issue 15).

Reads are scoped as the back office's: every staff role but outlet partners; who attended (maker ids) only
for the organization's own staff. Activities are recorded by the facility admin, production officer or
producer operator; attendance by them and instructors; grants and deals are linked by the agreement's managers.
"""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from binakarya.api.auth import STAFF_AUTH, AuthenticatedRequest
from binakarya.api.schemas.common import WRITE_ERRORS, ErrorOut, FieldErrorsOut, IdParam
from binakarya.api.schemas.program_activities import (
    ActivityIn,
    ActivityListOut,
    ActivityOut,
    AgreementOutcomesOut,
    AttendanceIn,
    DealLinkIn,
    GrantLinkIn,
    ParticipantIn,
)
from binakarya.core.types import Actor
from binakarya.deals.models import Deal
from binakarya.ledger.models import CapitalMovement
from binakarya.makers.models import Maker
from binakarya.makers.selectors import group_by_slug
from binakarya.organizations.models import Organization
from binakarya.organizations.selectors import organization_get
from binakarya.programs import selectors, services
from binakarya.programs.models import Activity, Agreement

router = Router(tags=["programs"], auth=STAFF_AUTH)

READ_ERRORS = {401: ErrorOut, 404: ErrorOut, 422: FieldErrorsOut}
LIST_LIMIT = 500


def activity_out(user: Actor, activity: Activity) -> dict[str, Any]:
    """``activity`` from selectors.activities_with_details (attendance, products and event sales read with it:
    a list costs the same few queries whatever its length)."""
    return {
        "id": activity.pk,
        "organization": activity.organization.slug,
        "kind": activity.kind,
        "title": activity.title,
        "agreement_id": activity.agreement_id,
        "partner": activity.partner.slug if activity.partner else None,
        "group": activity.group.slug if activity.group else None,
        "place": activity.place,
        "start_date": activity.start_date,
        "end_date": activity.end_date,
        "hours": activity.hours,
        "instructors": activity.instructors,
        "outcomes": activity.outcomes,
        "participant_count": getattr(activity, "participant_count", 0),
        "participant_hours": getattr(activity, "participant_hours", None) or 0,
        "participants": [
            {"maker_id": a.maker_id, "present": a.present, "hours": a.hours}
            for a in getattr(activity, "visible_attendance", [])
        ],
        "products": [row.product.slug for row in getattr(activity, "product_list", [])],
        "event_sales_total_idr": getattr(activity, "event_sales_idr", None) or 0,
    }


def outcomes_out(user: Actor, agreement: Agreement) -> dict[str, Any]:
    """An agreement's outcomes as GET /api/v1/agreements/{id} and the link endpoints answer them."""
    o = selectors.agreement_outcomes(user=user, agreement=agreement)
    return {
        **{k: o[k] for k in AgreementOutcomesOut.model_fields if k not in {"activities", "grants", "deals"}},
        "activities": [
            {
                "id": a.pk,
                "kind": a.kind,
                "title": a.title,
                "start_date": a.start_date,
                "participant_count": a.participant_count,
                "participant_hours": a.participant_hours or 0,
            }
            for a in o["activities"]
        ],
        "grants": [
            {
                "movement_id": g.pk,
                "amount_idr": g.amount_idr,
                "occurred_at": g.occurred_at,
                "agency": g.agency.slug if g.agency else None,
            }
            for g in o["grants"]
        ],
        "deals": [
            {"number": d.number, "buyer": d.buyer, "status": d.status, "total_idr": d.total_idr} for d in o["deals"]
        ],
    }


def _organization(user: Actor, slug: str) -> Organization:
    """The organization named in the body, or the caller's only one; 403 for a caller who records none."""
    if slug.strip():
        try:
            return selectors.activity_organization_for(user=user, slug=slug.strip())
        except Organization.DoesNotExist:
            raise ValidationError({"organization": [_("Choose one of your organizations.")]}) from None
    first_two = list(selectors.activity_organizations_for(user=user)[:2])
    if not first_two:
        raise PermissionDenied(
            _("Only the facility admin, the production officer or the producer operator records activities.")
        )
    if len(first_two) != 1:
        raise ValidationError({"organization": [_("Say which organization: give its slug in “organization”.")]})
    return first_two[0]


def _rows(user: Actor, participants: list[ParticipantIn]) -> list[services.AttendanceRow]:
    """The participants as attendance rows; an unknown maker (or one the caller may not see) is a 400."""
    makers: dict[int, Maker] = selectors.activity_makers(user=user, pks=[p.maker_id for p in participants])
    unknown = [p.maker_id for p in participants if p.maker_id not in makers]
    if unknown:
        raise ValidationError(
            {"participants": [_("Unknown maker #%(id)s.") % {"id": maker_id} for maker_id in unknown]}
        )
    return [services.AttendanceRow(maker=makers[p.maker_id], present=p.present, hours=p.hours) for p in participants]


@router.post(
    "/activities",
    response={201: ActivityOut} | WRITE_ERRORS,
    summary="Record an activity (training, mentoring, exhibition, promotion), with its participants",
)
def activity_create_api(request: AuthenticatedRequest, payload: ActivityIn) -> Status[dict[str, Any]]:
    """Calls programs.services.activity_create (attendance in the same step). Any 400 or 403 saves nothing."""
    user = request.auth
    if not selectors.manages_activities(user=user):
        raise PermissionDenied(
            _("Only the facility admin, the production officer or the producer operator records activities.")
        )
    organization = _organization(user, payload.organization)
    errors: dict[str, list[str]] = {}
    agreement = None
    if payload.agreement_id is not None:
        agreement = selectors.activity_agreement_for(user=user, pk=payload.agreement_id)
        if agreement is None:
            errors["agreement_id"] = [_("Unknown agreement #%(id)s.") % {"id": payload.agreement_id}]
    partner = None
    if payload.partner.strip():
        try:
            partner = organization_get(slug=payload.partner.strip(), kinds=[Organization.Kind.AGENCY])
        except Organization.DoesNotExist:
            errors["partner"] = [_("Unknown agency “%(slug)s”.") % {"slug": payload.partner}]
    group = None
    if payload.group.strip():
        group = group_by_slug(user=user, slug=payload.group, organization=organization)
        if group is None:
            errors["group"] = [_("Unknown group “%(slug)s”.") % {"slug": payload.group}]
    if errors:
        raise ValidationError(errors)
    rows = _rows(user, payload.participants)
    activity = services.activity_create(
        actor=user,
        organization=organization,
        kind=payload.kind,
        title=payload.title,
        place=payload.place,
        start_date=payload.start_date,
        end_date=payload.end_date,
        hours=payload.hours,
        agreement=agreement,
        partner=partner,
        group=group,
        instructors=payload.instructors,
        outcomes=payload.outcomes,
        participants=rows,
    )
    return Status(201, activity_out(user, selectors.activity_get(user=user, pk=activity.pk, details=True)))


class ActivityFilter(Schema):
    agreement: IdParam | None = None
    organization: str = ""


@router.get(
    "/activities",
    response={200: ActivityListOut} | READ_ERRORS,
    summary="Activities of the organizations the caller sees (optionally those under one agreement)",
)
def activity_list(request: AuthenticatedRequest, filters: Query[ActivityFilter]) -> dict[str, Any]:
    user = request.auth
    agreement = selectors.agreement_get(user=user, pk=filters.agreement) if filters.agreement else None
    activities = selectors.activities_for(user=user, agreement=agreement)
    if filters.organization.strip():
        activities = selectors.activities_for(
            user=user, agreement=agreement, organization=organization_get(slug=filters.organization.strip())
        )
    items = list(selectors.activities_with_details(user=user, activities=activities)[:LIST_LIMIT])
    return {"count": len(items), "items": [activity_out(user, a) for a in items]}


@router.get(
    "/activities/{activity_id}",
    response={200: ActivityOut} | READ_ERRORS,
    summary="One activity with its attendance, products and event sales",
)
def activity_detail(request: AuthenticatedRequest, activity_id: IdParam) -> dict[str, Any]:
    return activity_out(request.auth, selectors.activity_get(user=request.auth, pk=activity_id, details=True))


@router.post(
    "/activities/{activity_id}/attendance",
    response={200: ActivityOut, 404: ErrorOut} | WRITE_ERRORS,
    summary="Take the attendance of an activity: the whole group in one call",
)
def attendance_api(request: AuthenticatedRequest, activity_id: IdParam, payload: AttendanceIn) -> dict[str, Any]:
    """Calls programs.services.activity_attendance_record: one wrong row saves none."""
    user = request.auth
    activity = selectors.activity_get(user=user, pk=activity_id)
    services.require_attendance_taker(user, activity.organization_id)  # 403 before any field error
    services.activity_attendance_record(actor=user, activity=activity, rows=_rows(user, payload.participants))
    return activity_out(user, selectors.activity_get(user=user, pk=activity.pk, details=True))


@router.post(
    "/agreements/{agreement_id}/grants",
    response={201: AgreementOutcomesOut, 404: ErrorOut} | WRITE_ERRORS,
    summary="Link a capital grant given under the agreement",
)
def grant_link_api(
    request: AuthenticatedRequest, agreement_id: IdParam, payload: GrantLinkIn
) -> Status[dict[str, Any]]:
    user = request.auth
    agreement = selectors.agreement_get(user=user, pk=agreement_id)
    services.require_manager(user, agreement.organization_id)
    try:
        movement = selectors.grant_get(user=user, agreement=agreement, pk=payload.movement_id)
    except CapitalMovement.DoesNotExist as exc:
        raise ValidationError({"movement_id": [_("Choose a grant of this organization.")]}) from exc
    services.agreement_grant_link(actor=user, agreement=agreement, movement=movement)
    return Status(201, outcomes_out(user, agreement))


@router.post(
    "/agreements/{agreement_id}/deals",
    response={201: AgreementOutcomesOut, 404: ErrorOut} | WRITE_ERRORS,
    summary="Link an agency purchase (deal) made under the agreement",
)
def deal_link_api(request: AuthenticatedRequest, agreement_id: IdParam, payload: DealLinkIn) -> Status[dict[str, Any]]:
    user = request.auth
    agreement = selectors.agreement_get(user=user, pk=agreement_id)
    services.require_manager(user, agreement.organization_id)
    try:
        deal = selectors.deal_lookup(user=user, agreement=agreement, number=payload.deal)
    except Deal.DoesNotExist as exc:
        raise ValidationError({"deal": [_("Choose a deal of this organization.")]}) from exc
    services.agreement_deal_link(actor=user, agreement=agreement, deal=deal)
    return Status(201, outcomes_out(user, agreement))
