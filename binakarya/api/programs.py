"""Staff endpoints over agreements (MoU, PKS) with partner agencies (programs, issue 15).

Reads are scoped as the back office's: every staff role but outlet partners, viewers included (agreements name
organizations, never a maker). Writes are the facility admin's or producer operator's of the agreement's
organization. The signed PDF is uploaded as multipart/form-data and streamed back to whoever may read the
agreement; it has no public address.
"""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from ninja import File, Router, Status
from ninja.files import UploadedFile

from binakarya.api.auth import STAFF_AUTH, AuthenticatedRequest
from binakarya.api.program_activities import outcomes_out
from binakarya.api.schemas.common import WRITE_ERRORS, ErrorOut, FieldErrorsOut, IdParam
from binakarya.api.schemas.programs import AgreementIn, AgreementListOut, AgreementOut, ObligationIn, ObligationOut
from binakarya.core.types import Actor
from binakarya.organizations.models import Organization
from binakarya.organizations.selectors import organization_get
from binakarya.programs import selectors
from binakarya.programs.models import Agreement, Obligation
from binakarya.programs.services import agreement_create, agreement_document_attach, obligation_add, require_manager

router = Router(tags=["programs"], auth=STAFF_AUTH)

READ_ERRORS = {401: ErrorOut, 404: ErrorOut, 422: FieldErrorsOut}


def obligation_out(obligation: Obligation) -> dict[str, Any]:
    return {
        "id": obligation.pk,
        "party": obligation.party.slug if obligation.party else None,
        "description": obligation.description,
        "due_date": obligation.due_date,
        "done_at": obligation.done_at,
        "overdue": obligation.done_at is None and obligation.due_date < selectors.today(),
    }


def agreement_out(user: Actor, agreement: Agreement) -> dict[str, Any]:
    return {
        "id": agreement.pk,
        "organization": agreement.organization.slug,
        "kind": agreement.kind,
        "number": agreement.number,
        "title": agreement.title,
        "partners": [a.slug for a in agreement.partners.all()],
        "signed_date": agreement.signed_date,
        "start_date": agreement.start_date,
        "end_date": agreement.end_date,
        "scope": agreement.scope,
        "has_signed_document": bool(agreement.signed_document),
        "obligations": [obligation_out(o) for o in selectors.obligations_of(user=user, agreement=agreement)],
    }


def _signer(user: Actor, slug: str) -> Organization:
    """The organization named in the body, or the caller's only one; 403 for a caller who records none."""
    organizations = selectors.signer_organizations_for(user=user)
    if slug.strip():
        try:
            return organizations.get(slug=slug.strip())
        except Organization.DoesNotExist:
            raise ValidationError({"organization": [_("Choose one of your organizations.")]}) from None
    first_two = list(organizations[:2])
    if not first_two:
        raise PermissionDenied(_("Only the facility admin or the producer operator records agreements."))
    if len(first_two) != 1:
        raise ValidationError({"organization": [_("Say which organization: give its slug in “organization”.")]})
    return first_two[0]


def _agency(slug: str, errors: dict[str, list[str]], field: str) -> Organization | None:
    try:
        return organization_get(slug=slug.strip(), kinds=[Organization.Kind.AGENCY])
    except Organization.DoesNotExist:
        errors.setdefault(field, []).append(_("Unknown agency “%(slug)s”.") % {"slug": slug})
        return None


@router.post(
    "/agreements",
    response={201: AgreementOut} | WRITE_ERRORS,
    summary="Record an agreement (MoU or PKS) with partner agencies",
)
def agreement_create_api(request: AuthenticatedRequest, payload: AgreementIn) -> Status[dict[str, Any]]:
    """Calls programs.services.agreement_create. Any 400 or 403 leaves nothing saved."""
    user = request.auth
    if not selectors.manages_agreements(user=user):
        raise PermissionDenied(_("Only the facility admin or the producer operator records agreements."))
    organization = _signer(user, payload.organization)
    errors: dict[str, list[str]] = {}
    partners = [_agency(slug, errors, "partners") for slug in payload.partners]
    if errors:
        raise ValidationError(errors)
    agreement = agreement_create(
        actor=user,
        organization=organization,
        kind=payload.kind,
        number=payload.number,
        title=payload.title,
        partners=[p for p in partners if p is not None],
        signed_date=payload.signed_date,
        start_date=payload.start_date,
        end_date=payload.end_date,
        scope=payload.scope,
    )
    return Status(201, agreement_out(user, selectors.agreement_get(user=user, pk=agreement.pk)))


@router.get(
    "/agreements",
    response={200: AgreementListOut} | READ_ERRORS,
    summary="Agreements with partner agencies of the organizations the caller sees",
)
def agreement_list(request: AuthenticatedRequest) -> dict[str, Any]:
    agreements = list(selectors.agreements_for(user=request.auth)[:500])
    return {"count": len(agreements), "items": [agreement_out(request.auth, a) for a in agreements]}


@router.get(
    "/agreements/{agreement_id}",
    response={200: AgreementOut} | READ_ERRORS,
    summary="One agreement with its partners, obligations and outcomes (activities, grants, sales)",
)
def agreement_detail(request: AuthenticatedRequest, agreement_id: IdParam) -> dict[str, Any]:
    agreement = selectors.agreement_get(user=request.auth, pk=agreement_id)
    # What came from the agreement: activities, grants, sales (api/program_activities.py)
    return {**agreement_out(request.auth, agreement), "outcomes": outcomes_out(request.auth, agreement)}


@router.post(
    "/agreements/{agreement_id}/obligations",
    response={201: ObligationOut, 404: ErrorOut} | WRITE_ERRORS,
    summary="Add an obligation of our side or of a partner agency, with its due date",
)
def obligation_create_api(
    request: AuthenticatedRequest, agreement_id: IdParam, payload: ObligationIn
) -> Status[dict[str, Any]]:
    user = request.auth
    agreement = selectors.agreement_get(user=user, pk=agreement_id)
    require_manager(user, agreement.organization_id)  # a viewer gets 403 before any field error
    errors: dict[str, list[str]] = {}
    party = _agency(payload.party, errors, "party") if payload.party.strip() else None
    if errors:
        raise ValidationError(errors)
    obligation = obligation_add(
        actor=user, agreement=agreement, description=payload.description, due_date=payload.due_date, party=party
    )
    return Status(201, obligation_out(obligation))


@router.post(
    "/agreements/{agreement_id}/document",
    response={200: AgreementOut, 404: ErrorOut} | WRITE_ERRORS,
    summary="Attach or replace the signed agreement: a PDF of at most 10 MB (multipart/form-data, field document)",
)
def agreement_document_upload(
    request: AuthenticatedRequest, agreement_id: IdParam, document: File[UploadedFile]
) -> dict[str, Any]:
    """A file that is not a PDF, or is larger than 10 MB, is 400 and the agreement keeps the PDF it had."""
    user = request.auth
    agreement = selectors.agreement_get(user=user, pk=agreement_id)
    agreement_document_attach(actor=user, agreement=agreement, signed_document=document)
    return agreement_out(user, selectors.agreement_get(user=user, pk=agreement_id))


@router.get(
    "/agreements/{agreement_id}/document",
    response={200: None, 401: ErrorOut, 404: ErrorOut},
    summary="The signed agreement (PDF), for whoever may read the agreement",
    openapi_extra={"responses": {200: {"description": "The PDF", "content": {"application/pdf": {}}}}},
)
def agreement_document_download(request: AuthenticatedRequest, agreement_id: IdParam) -> FileResponse:
    agreement = selectors.agreement_get(user=request.auth, pk=agreement_id)
    if not agreement.signed_document:
        raise Http404(_("This agreement has no signed PDF yet."))
    response = FileResponse(
        agreement.signed_document.open("rb"),
        as_attachment=True,
        filename=f"kerja-sama-{agreement.organization.slug}-{agreement.pk}.pdf",
        content_type="application/pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response
