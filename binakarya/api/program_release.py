"""Staff endpoints after release (programs, issue 15): the facility's releases with their livelihood and which
outcome checks are due, starting a livelihood, recording an outcome check, and the aggregated outcomes.

Releases are read by the releasing facility's staff only (never through an oversight role); another
organization's release is a 404. The answers to the outcome checks leave only as counts and rates.
"""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from binakarya.api.auth import STAFF_AUTH, AuthenticatedRequest
from binakarya.api.schemas.common import WRITE_ERRORS, ErrorOut, FieldErrorsOut, IdParam
from binakarya.api.schemas.program_release import (
    LivelihoodIn,
    LivelihoodOut,
    OutcomeIn,
    OutcomeOut,
    OutcomesOut,
    OutcomesQuery,
    ReleaseListOut,
)
from binakarya.core.types import Actor
from binakarya.organizations.models import Organization
from binakarya.organizations.selectors import organization_get
from binakarya.programs import selectors, services
from binakarya.programs.models import Livelihood, Release

router = Router(tags=["programs"], auth=STAFF_AUTH)

READ_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: FieldErrorsOut}


def livelihood_out(livelihood: Livelihood) -> dict[str, Any]:
    return {
        "release": livelihood.release_id,
        "producer": livelihood.producer.slug,
        "producer_name": livelihood.producer.name,
        "consent_date": livelihood.consent_date,
        "starting_capital_idr": livelihood.starting_capital_idr,
    }


def release_out(release: Release) -> dict[str, Any]:
    status = selectors.release_status(release)
    return {
        "id": release.pk,
        "organization": release.organization.slug,
        "maker": release.maker_id,
        "released_on": release.released_on,
        "premi_paid_idr": release.premi_paid_idr,
        "outcomes_consent": release.outcomes_consent,
        "livelihood": livelihood_out(status.livelihood) if status.livelihood else None,
        "answered": sorted(status.checks),
        "due": list(status.due),
    }


def _require_staff(user: Actor) -> None:
    if not selectors.sees_releases(user=user):
        raise PermissionDenied(_("Only the facility's staff see its releases."))


@router.get(
    "/releases",
    response={200: ReleaseListOut} | READ_ERRORS,
    summary="The releases of the caller's facilities, with their livelihood and the outcome checks due",
)
def release_list(request: AuthenticatedRequest) -> dict[str, Any]:
    _require_staff(request.auth)
    releases = list(selectors.releases_for(user=request.auth)[:500])
    return {"count": len(releases), "items": [release_out(r) for r in releases]}


@router.post(
    "/releases/{release_id}/livelihood",
    response={201: LivelihoodOut, 404: ErrorOut} | WRITE_ERRORS,
    summary="Start a released maker's livelihood: a new UMKM producer with its operator, with consent",
)
def livelihood_create_api(
    request: AuthenticatedRequest, release_id: IdParam, payload: LivelihoodIn
) -> Status[dict[str, Any]]:
    """Calls programs.services.livelihood_start. Any 400 or 403 leaves nothing saved."""
    user = request.auth
    _require_staff(user)
    release = selectors.release_get(user=user, pk=release_id)
    if not services.may_start_livelihood(user, release):
        raise PermissionDenied(_("Only the admin of the facility that released this person starts their livelihood."))
    agency = None
    if payload.agency.strip():
        try:
            agency = organization_get(slug=payload.agency.strip(), kinds=[Organization.Kind.AGENCY])
        except Organization.DoesNotExist:
            raise ValidationError({"agency": [_("Unknown agency “%(slug)s”.") % {"slug": payload.agency}]}) from None
    livelihood = services.livelihood_start(
        actor=user,
        release=release,
        consent_date=payload.consent_date,
        business_name=payload.business_name,
        regency=payload.regency,
        province=payload.province,
        phone=payload.phone,
        description=payload.description,
        agency=agency,
        operator_username=payload.operator_username,
        operator_email=payload.operator_email,
        operator_password=payload.operator_password,
        starting_capital_idr=payload.starting_capital_idr,
    )
    return Status(201, livelihood_out(livelihood))


@router.post(
    "/releases/{release_id}/outcomes",
    response={201: OutcomeOut, 404: ErrorOut} | WRITE_ERRORS,
    summary="Record what a released maker who consented said 6 or 12 months after release",
)
def outcome_create_api(
    request: AuthenticatedRequest, release_id: IdParam, payload: OutcomeIn
) -> Status[dict[str, Any]]:
    """Calls programs.services.outcome_record. The answer is never read back per person."""
    user = request.auth
    _require_staff(user)
    release = selectors.release_get(user=user, pk=release_id)
    check = services.outcome_record(
        actor=user,
        release=release,
        months=payload.months,
        checked_on=payload.checked_on,
        producing=payload.producing,
        income_band=payload.income_band,
    )
    return Status(201, {"release": release.pk, "months": check.months, "checked_on": check.checked_on})


@router.get(
    "/programs/outcomes",
    response={200: OutcomesOut} | READ_ERRORS,
    summary="Outcomes after release of a facility, a province or the nation: counts and rates only",
)
def outcomes(request: AuthenticatedRequest, filters: Query[OutcomesQuery]) -> dict[str, Any]:
    """Cells of one or two people are "<3"; a count that would let them be worked out is "≥N". A facility's
    outcomes are for its own staff only (403 for viewers); a province's and the nation's are shown only when at
    least two facilities there each have three or more people, else "—" with the reason in ``withheld``."""
    scope = filters.scope.strip()
    table = selectors.program_outcomes(user=request.auth, scope=scope)
    return {
        "scope": scope,
        "title": table.title,
        "releases": table.releases,
        "consented": table.consented,
        "rows": [vars(row) for row in table.rows],
        "withheld": table.withheld,
    }
