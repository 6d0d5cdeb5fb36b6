"""Deals with agencies and bulk buyers: requests for quotation (public POST, throttled; the seller's staff
read them) and quotations (the seller's sales staff). See docs/api.md, "Deals", and docs/deals.md.

A request or quotation of another seller is 404 on every endpoint. No answer names a maker.
"""

from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Router, Status

from binakarya.api.auth import STAFF_AUTH, STAFF_OR_PUBLIC, AddressThrottle, AuthenticatedRequest
from binakarya.api.common import verify_url
from binakarya.api.schemas.common import WRITE_ERRORS, ErrorOut, FieldErrorsOut, IdParam
from binakarya.api.schemas.deals import (
    QuotationIn,
    QuotationListOut,
    QuotationOut,
    RfqIn,
    RfqListOut,
    RfqOut,
    RfqStaffOut,
)
from binakarya.deals import selectors
from binakarya.deals.models import Quotation, Rfq
from binakarya.deals.services import (
    Contact,
    QuotationLineInput,
    RfqLineInput,
    quotation_issue,
    rfq_submit,
)
from binakarya.deals.size_selectors import size_list_get
from binakarya.deals.sizes import quotation_issue_sized, size_list_lines
from binakarya.deals.throttle import rfq_attempt
from binakarya.documents.renderers import quotation_pdf
from binakarya.organizations.models import Organization

router = Router(tags=["deals"])


# Shapes -----------------------------------------------------------------------------------------------


def _rfq_out(rfq: Rfq, *, staff: bool = False, quotations: list[str] | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": rfq.pk,
        "number": rfq.number,
        "seller": rfq.organization.slug,
        "agency": rfq.agency,
        "status": rfq.status,
        "needed_by": rfq.needed_by,
        "delivery_place": rfq.delivery_place,
        "lines": [
            {
                "sku": line.variant.sku if line.variant else None,
                "description": line.description,
                "quantity": line.quantity,
            }
            for line in rfq.lines.all()
        ],
    }
    if staff:
        out |= {
            "contact_name": rfq.contact_name,
            "contact_phone": rfq.contact_phone,
            "contact_email": rfq.contact_email,
            "created_at": rfq.created_at,
            "quotations": quotations or [],
        }
    return out


def _quotation_out(request: HttpRequest, quotation: Quotation) -> dict[str, Any]:
    return {
        "number": quotation.number,
        "seller": quotation.organization.slug,
        "rfq": quotation.rfq_id,
        "buyer": quotation.buyer,
        "issued_on": quotation.issued_on,
        "valid_until": quotation.valid_until,
        "subtotal_idr": quotation.subtotal_idr,
        "discount_bp": quotation.discount_bp,
        "discount_idr": quotation.discount_idr,
        "ppn_rate_bp": quotation.ppn_rate_bp,
        "ppn_idr": quotation.ppn_idr,
        "total_idr": quotation.total_idr,
        "document_kind": quotation.contract_form,
        "legal_reference": quotation.contract_rule.legal_reference,
        "lead_time_days": quotation.lead_time_days,
        "capacity_per_month": quotation.capacity_per_month,
        "capital_needed_idr": quotation.capital_needed_idr,
        "capital_fund_idr": quotation.capital_fund_idr,
        "down_payment_idr": quotation.down_payment_idr,
        "verify_code": quotation.document.verify_code,
        "verify_url": verify_url(request, quotation.document),
        "pdf_url": request.build_absolute_uri(reverse("api:quotation_pdf", kwargs={"number": quotation.number})),
        "lines": [
            {
                "sku": line.variant.sku,
                "description": line.description,
                "quantity": line.quantity,
                "unit_price_idr": line.unit_price_idr,
                "line_total_idr": line.line_total_idr,
                "from_stock": line.from_stock,
                "to_make": line.to_make,
            }
            for line in quotation.lines.all()
        ],
    }


# Requests for quotation -------------------------------------------------------------------------------


@router.post(
    "/rfqs",
    auth=STAFF_OR_PUBLIC,
    throttle=[AddressThrottle(rfq_attempt)],
    response={201: RfqOut, 400: FieldErrorsOut, 429: ErrorOut},
    summary="Ask a seller for a quotation (public, throttled)",
)
def rfq_create(request: HttpRequest, payload: RfqIn) -> Status[Any]:
    """The seller is the one of the SKUs asked for, or ``seller`` (its slug) for free descriptions. Bad
    input is 400 naming each field, in the caller's language; nothing is saved then."""
    seller: Organization | None = None
    if payload.seller:
        try:
            seller = selectors.rfq_seller(slug=payload.seller)
        except Organization.DoesNotExist:
            raise ValidationError({"seller": [_("Unknown seller “%(slug)s”.") % {"slug": payload.seller}]}) from None
    auth = getattr(request, "auth", None)
    rfq = rfq_submit(
        actor=auth if isinstance(auth, User) else None,
        agency=payload.agency,
        contact=Contact(payload.contact.name, payload.contact.phone, payload.contact.email),
        lines=[RfqLineInput(line.sku, line.description, line.quantity) for line in payload.lines],
        delivery_place=payload.delivery_place,
        needed_by=payload.needed_by,
        seller=seller,
        note=payload.note,
        language=get_language() or "",
    )
    return Status(201, _rfq_out(rfq))


@router.get("/rfqs", auth=STAFF_AUTH, response={200: RfqListOut, 401: ErrorOut}, summary="Requests for quotation")
def rfq_list(request: AuthenticatedRequest, status: str = "") -> dict[str, Any]:
    """The latest 100 requests to the sellers you quote for (``status``: NEW, QUOTED, CLOSED)."""
    rfqs = selectors.rfqs_for(user=request.auth, status=status)[:100]
    items = [_rfq_out(r, staff=True, quotations=[q.number for q in r.quotations.all()]) for r in rfqs]
    return {"count": len(items), "items": items}


@router.get(
    "/rfqs/{int:rfq_id}",  # a number only: POST /rfqs/with-size-list (deal_sizes.py) is another endpoint
    auth=STAFF_AUTH,
    response={200: RfqStaffOut, 401: ErrorOut, 404: ErrorOut},
    summary="A request",
)
def rfq_detail(request: AuthenticatedRequest, rfq_id: IdParam) -> dict[str, Any]:
    rfq = selectors.rfq_get(user=request.auth, pk=rfq_id)
    return _rfq_out(rfq, staff=True, quotations=[q.number for q in rfq.quotations.all()])


# Quotations -------------------------------------------------------------------------------------------


def _seller(user: User, payload: QuotationIn, rfq: Rfq | None) -> Organization:
    if rfq is not None:
        return rfq.organization
    if payload.seller:
        try:
            return selectors.deal_organization_for(user=user, slug=payload.seller)
        except Organization.DoesNotExist:
            raise ValidationError({"seller": [_("Unknown seller “%(slug)s”.") % {"slug": payload.seller}]}) from None
    own = list(selectors.deal_organizations_for(user=user)[:2])
    if len(own) != 1:
        raise ValidationError({"seller": [_("Name the seller (its slug) you quote for.")]})
    return own[0]


@router.post(
    "/quotations",
    auth=STAFF_AUTH,
    response={201: QuotationOut, 404: ErrorOut} | WRITE_ERRORS,
    summary="Issue a quotation, with lead time, capacity, capital needed and the contract document its value needs",
)
def quotation_create(request: AuthenticatedRequest, payload: QuotationIn) -> Status[Any]:
    """``rfq`` (an id) quotes a request and marks it quoted. Prices are integer rupiah; ``valid_days`` defaults
    to the seller's setting. PPN follows the seller's tax settings."""
    user = request.auth
    rfq = selectors.rfq_get(user=user, pk=payload.rfq) if payload.rfq is not None else None
    lines = [QuotationLineInput(line.sku, line.quantity, line.unit_price_idr) for line in payload.lines]
    if payload.size_list is not None:  # a uniform order: deal_sizes.py, docs/deals.md "Uniform size lists"
        size_list = size_list_get(user=user, pk=payload.size_list)
        rfq = rfq or size_list.rfq
        quotation = quotation_issue_sized(
            actor=user,
            organization=size_list.organization,
            size_lists=[size_list],
            lines=size_list_lines(size_lists=[size_list], lines=lines),
            buyer=payload.buyer or size_list.buyer,
            valid_days=payload.valid_days,
            discount_bp=payload.discount_bp,
            rfq=rfq,
            note=payload.note,
        )
        return Status(201, _quotation_out(request, selectors.quotation_get(user=user, number=quotation.number)))
    organization = _seller(user, payload, rfq)
    quotation = quotation_issue(
        actor=user,
        organization=organization,
        buyer=payload.buyer,
        lines=lines,
        valid_days=payload.valid_days,
        discount_bp=payload.discount_bp,
        rfq=rfq,
        note=payload.note,
    )
    return Status(201, _quotation_out(request, selectors.quotation_get(user=user, number=quotation.number)))


@router.get("/quotations", auth=STAFF_AUTH, response={200: QuotationListOut, 401: ErrorOut}, summary="Quotations")
def quotation_list(request: AuthenticatedRequest) -> dict[str, Any]:
    """The latest 100 quotations of the sellers you quote for."""
    quotations = selectors.quotations_for(user=request.auth)[:100]
    items = [_quotation_out(request, q) for q in quotations]
    return {"count": len(items), "items": items}


@router.get(
    "/quotations/{number}",
    auth=STAFF_AUTH,
    response={200: QuotationOut, 401: ErrorOut, 404: ErrorOut},
    summary="A quotation",
)
def quotation_detail(request: AuthenticatedRequest, number: str) -> dict[str, Any]:
    return _quotation_out(request, selectors.quotation_get(user=request.auth, number=number))


@router.get(
    "/quotations/{number}/pdf",
    auth=STAFF_AUTH,
    response={200: None, 401: ErrorOut, 404: ErrorOut},
    url_name="quotation_pdf",
    summary="The quotation's PDF (surat penawaran harga), with its verification code and QR",
    openapi_extra={"responses": {200: {"description": "The PDF", "content": {"application/pdf": {}}}}},
)
def quotation_pdf_get(request: AuthenticatedRequest, number: str) -> HttpResponse:
    quotation = selectors.quotation_get(user=request.auth, number=number)
    pdf = quotation_pdf(quotation=quotation, base_url=request.build_absolute_uri("/")[:-1])
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{quotation.number}.pdf"'
    return response
