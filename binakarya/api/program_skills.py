"""Staff endpoints of a maker's skill record, skills certificates and the release checklist (programs, issue 15).

Scoped as the makers' own endpoints: only the maker's own organization's staff (scoping.MAKER_ROLES, no
oversight) reach a maker or a certificate; anyone else gets 404. The facility admin (or an UMKM's producer
operator) issues certificates; only the facility admin completes the release checklist.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Path, Router, Status

from binakarya.api.auth import STAFF_AUTH, AuthenticatedRequest
from binakarya.api.common import verify_url
from binakarya.api.schemas.common import WRITE_ERRORS, ErrorOut, FieldErrorsOut, IdParam
from binakarya.api.schemas.program_skills import (
    CertificateIn,
    CertificateOut,
    ReleaseIn,
    ReleaseOut,
    SkillsOut,
)
from binakarya.makers.selectors import maker_for
from binakarya.organizations.models import Organization
from binakarya.organizations.selectors import organization_get
from binakarya.programs import selectors
from binakarya.programs.models import Certificate
from binakarya.programs.pdf import certificate_pdf
from binakarya.programs.services import certificate_issue, certificate_name_consent_withdraw, release_complete

router = Router(tags=["programs"], auth=STAFF_AUTH)

READ_ERRORS = {401: ErrorOut, 404: ErrorOut, 422: FieldErrorsOut}


def _partner(slug: str, field: str = "partner") -> Organization | None:
    if not slug.strip():
        return None
    try:
        return organization_get(slug=slug.strip(), kinds=[Organization.Kind.AGENCY])
    except Organization.DoesNotExist:
        raise ValidationError({field: [_("Unknown agency “%(slug)s”.") % {"slug": slug}]}) from None


def certificate_out(request: AuthenticatedRequest, certificate: Certificate) -> dict[str, Any]:
    document = certificate.document
    return {
        "id": certificate.pk,
        "maker": certificate.maker_id,
        "number": document.number,
        "verify_code": document.verify_code,
        "verify_url": verify_url(request, document),
        "pdf_url": request.build_absolute_uri(
            reverse("api:certificate_pdf", kwargs={"certificate_id": certificate.pk})
        ),
        "crafts": certificate.crafts,
        "hours": certificate.hours,
        "period_start": certificate.period_start,
        "period_end": certificate.period_end,
        "partner": certificate.partner.slug if certificate.partner else None,
        "name_consent": certificate.name_consent,
    }


@router.get(
    "/makers/{maker_id}/skills",
    response={200: SkillsOut} | READ_ERRORS,
    summary="A maker's skill record: trainings and hours, lots and units made, quality rate, crafts, period",
)
def skills(request: AuthenticatedRequest, maker_id: Path[IdParam]) -> dict[str, Any]:
    """For the maker's own organization's staff only; anyone else gets 404. Constant number of queries."""
    record = selectors.maker_skills(user=request.auth, maker_pk=maker_id)
    return {
        "maker": record.maker.pk,
        "name": record.maker.full_name,
        "trainings_attended": record.training_count,
        "training_hours": record.training_hours,
        "trainings": [
            {"date": t.date, "title": t.title, "kind": t.kind, "partner": t.partner, "hours": t.hours}
            for t in record.trainings
        ],
        "lots_contributed": record.lot_count,
        "units_made": record.units_made,
        "production_hours": record.production_hours,
        "units_produced": record.units_produced,
        "units_passed": record.units_passed,
        "quality_rate": record.quality_rate,
        "products": record.products,
        "crafts": record.crafts,
        "period_start": record.period_start,
        "period_end": record.period_end,
        "hours_of_practice": record.hours_of_practice,
        "certificates": [
            {
                "id": c.pk,
                "number": c.document.number,
                "verify_code": c.document.verify_code,
                "crafts": c.crafts,
                "hours": c.hours,
                "period_start": c.period_start,
                "period_end": c.period_end,
            }
            for c in record.certificates
        ],
        "released_on": record.release.released_on if record.release else None,
    }


@router.post(
    "/makers/{maker_id}/certificates",
    response={201: CertificateOut, 404: ErrorOut} | WRITE_ERRORS,
    summary="Issue a skills certificate to a maker, with a verification code and a PDF",
)
def certificate_create(
    request: AuthenticatedRequest, maker_id: Path[IdParam], payload: CertificateIn
) -> Status[dict[str, Any]]:
    """Calls programs.services.certificate_issue. Any 400 or 403 leaves nothing saved."""
    user = request.auth
    maker = maker_for(user=user, pk=maker_id)  # Maker.DoesNotExist -> 404
    certificate = certificate_issue(
        actor=user,
        maker=maker,
        crafts=payload.crafts,
        hours=payload.hours,
        period_start=payload.period_start,
        period_end=payload.period_end,
        partner=_partner(payload.partner),
        name_consent=payload.name_consent,
    )
    return Status(201, certificate_out(request, certificate))


@router.get(
    "/certificates/{certificate_id}/pdf",
    response={200: None, 401: ErrorOut, 404: ErrorOut},
    url_name="certificate_pdf",
    summary="The skills certificate as a PDF: the person's name, crafts, hours, period, verification code",
    openapi_extra={"responses": {200: {"description": "The PDF", "content": {"application/pdf": {}}}}},
)
def certificate_pdf_view(request: AuthenticatedRequest, certificate_id: IdParam) -> HttpResponse:
    certificate = selectors.certificate_get(user=request.auth, pk=certificate_id)
    pdf = certificate_pdf(certificate=certificate, base_url=request.build_absolute_uri("/")[:-1])
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{certificate.document.number}.pdf"'
    return response


@router.post(
    "/certificates/{certificate_id}/withdraw-name-consent",
    response={200: CertificateOut, 404: ErrorOut} | WRITE_ERRORS,
    summary="The person withdraws consent to be named on the certificate's public verification page",
)
def certificate_name_consent_withdraw_view(request: AuthenticatedRequest, certificate_id: IdParam) -> dict[str, Any]:
    """Calls programs.services.certificate_name_consent_withdraw: the name leaves the public verification page
    (the other figures stay); 400 when the person is not named there, 404 outside the maker's organization."""
    certificate = selectors.certificate_get(user=request.auth, pk=certificate_id)  # DoesNotExist -> 404
    certificate = certificate_name_consent_withdraw(actor=request.auth, certificate=certificate)
    return certificate_out(request, certificate)


@router.post(
    "/makers/{maker_id}/release",
    response={201: ReleaseOut, 404: ErrorOut} | WRITE_ERRORS,
    summary="The release checklist: pay out the whole premi balance, issue the certificate, mark released",
)
def release_create(
    request: AuthenticatedRequest, maker_id: Path[IdParam], payload: ReleaseIn
) -> Status[dict[str, Any]]:
    """Calls programs.services.release_complete in one transaction: a refused payout or certificate saves
    nothing. A second release of the same maker is 400 (an error on "maker")."""
    user = request.auth
    maker = maker_for(user=user, pk=maker_id)
    certificate: dict[str, Any] | Certificate | None = None
    if payload.certificate is not None and payload.certificate_id is not None:
        raise ValidationError({"certificate": [_("Send either a new certificate or certificate_id, not both.")]})
    if payload.certificate is not None:
        fields = payload.certificate
        certificate = {
            "crafts": fields.crafts,
            "hours": fields.hours,
            "period_start": fields.period_start,
            "period_end": fields.period_end,
            "partner": _partner(fields.partner),
            "name_consent": fields.name_consent,
        }
    elif payload.certificate_id is not None:
        try:
            certificate = selectors.certificate_get(user=user, pk=payload.certificate_id)
        except Certificate.DoesNotExist:
            raise ValidationError({"certificate_id": [_("No such certificate.")]}) from None
    release = release_complete(
        actor=user,
        maker=maker,
        released_on=payload.released_on,
        payout_method=payload.payout_method.strip().upper(),
        recipient_name=payload.recipient,
        recipient_relationship=payload.relationship,
        reference=payload.reference,
        expected_owed_idr=payload.expected_owed_idr,
        certificate=certificate,
        outcomes_consent=payload.outcomes_consent,
        note=payload.note,
    )
    payout, issued = release.payout, release.certificate
    return Status(
        201,
        {
            "maker": maker.pk,
            "released_on": release.released_on,
            "status": release.maker.status,
            "premi_paid_idr": release.premi_paid_idr,
            "payout_number": payout.document.number if payout else None,
            "payout_verify_code": payout.document.verify_code if payout else None,
            "balance_idr": selectors.premi_owed(maker=maker),
            "certificate_number": issued.document.number if issued else None,
            "certificate_verify_code": issued.document.verify_code if issued else None,
            "certificate_verify_url": verify_url(request, issued.document) if issued else None,
            "outcomes_consent": release.outcomes_consent,
        },
    )
