"""Deals with agencies after the quotation: accepting it with the buyer's purchase order, deliveries (each
with its surat jalan), the BAST (which records the sale through sales.services.sale_record, or waits for
the payment, per the seller's setting), invoices or kuitansi, and payments. The seller's sales staff only;
another seller's deal is 404. A request that contradicts the deal's state (a quotation accepted twice, more
delivered than ordered, more paid than the deal is worth) is 409 with a ``code``; nothing is saved on any
error. No answer names a maker. See docs/deals.md.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Router, Status

from binakarya.api.auth import STAFF_AUTH, AuthenticatedRequest
from binakarya.api.common import verify_url
from binakarya.api.schemas.common import WRITE_ERRORS, ErrorOut
from binakarya.api.schemas.deal_orders import (
    AcceptIn,
    CancelIn,
    DealListOut,
    DealOut,
    DeliveryIn,
    DeliveryOut,
    HandoverIn,
    HandoverOut,
    InvoiceIn,
    InvoiceOut,
    PaymentIn,
    PaymentOut,
)
from binakarya.deals import selectors
from binakarya.deals.models import Deal, DealInvoice, DealPayment, Delivery, Handover
from binakarya.deals.printing import deal_document_pdf
from binakarya.deals.services import (
    DealLineInput,
    Signatory,
    deal_cancel,
    deal_invoice_issue,
    deal_payment_record,
    delivery_record,
    handover_record,
    quotation_accept,
)
from binakarya.documents.models import Document
from binakarya.inventory.models import Location
from binakarya.inventory.selectors import stock_move_location_for

router = Router(tags=["deals"])


# Shapes -----------------------------------------------------------------------------------------------


def _document(request: HttpRequest, deal: Deal, document: Document | None) -> dict[str, Any] | None:
    if document is None:
        return None
    path = reverse("api:deal_document_pdf", kwargs={"number": deal.number, "document": document.number})
    return {
        "number": document.number,
        "kind": document.kind,
        "verify_code": document.verify_code,
        "verify_url": verify_url(request, document),
        "pdf_url": request.build_absolute_uri(path),
    }


def _delivery_out(request: HttpRequest, deal: Deal, delivery: Delivery) -> dict[str, Any]:
    document = delivery.transfer.document
    return {
        "number": delivery.number,
        "delivered_on": delivery.delivered_on,
        "verify_code": document.verify_code if document else "",
        "document": _document(request, deal, document),
        "lines": [{"sku": line.deal_line.variant.sku, "quantity": line.quantity} for line in delivery.lines.all()],
    }


def _handover_out(request: HttpRequest, deal: Deal, handover: Handover) -> dict[str, Any]:
    return {
        "number": handover.number,
        "handed_over_on": handover.handed_over_on,
        "value_idr": handover.value_idr,
        "dpp_idr": handover.dpp_idr,
        "ppn_idr": handover.ppn_idr,
        "sale": handover.sale.number if handover.sale else None,
        "signatories": handover.signatories,
        "verify_code": handover.document.verify_code,
        "document": _document(request, deal, handover.document),
        "lines": [{"sku": line.deal_line.variant.sku, "quantity": line.quantity} for line in handover.lines.all()],
    }


def _invoice_out(request: HttpRequest, deal: Deal, invoice: DealInvoice) -> dict[str, Any]:
    return {
        "number": invoice.number,
        "kind": invoice.document.kind,
        "issued_on": invoice.issued_on,
        "due_on": invoice.due_on,
        "amount_idr": invoice.amount_idr,
        "verify_code": invoice.document.verify_code,
        "document": _document(request, deal, invoice.document),
    }


def _payment_out(request: HttpRequest, deal: Deal, payment: DealPayment) -> dict[str, Any]:
    return {
        "id": payment.pk,
        "paid_on": payment.paid_on,
        "amount_idr": payment.amount_idr,
        "method": payment.method,
        "reference": payment.reference,
        "to_receivable_idr": payment.to_receivable_idr,
        "held_idr": payment.held_idr,
        "verify_code": payment.receipt.verify_code if payment.receipt else None,
        "document": _document(request, deal, payment.receipt),
    }


def _deal_out(request: HttpRequest, deal: Deal) -> dict[str, Any]:
    step = selectors.deal_next_step(deal=deal)
    return {
        "number": deal.number,
        "seller": deal.organization.slug,
        "quotation": deal.quotation.number,
        "buyer": deal.buyer,
        "po_number": deal.po_number,
        "po_date": deal.po_date,
        "channel": deal.channel,
        "platform": deal.platform,
        "contract_form": deal.contract_form,
        "legal_reference": deal.contract_rule.legal_reference,
        "contract_document": _document(request, deal, deal.contract_document),
        "needed_by": deal.needed_by,
        "urgency": selectors.deal_urgency(deal=deal),
        "recognition": deal.recognition,
        "status": deal.status,
        "next_step": {"code": step.code, "figure": step.figure},
        "dpp_idr": deal.dpp_idr,
        "ppn_idr": deal.ppn_idr,
        "total_idr": deal.total_idr,
        "handed_over_idr": deal.handed_over_idr,
        "recognized_idr": deal.recognized_idr,
        "invoiced_idr": deal.invoiced_idr,
        "paid_idr": deal.paid_idr,
        "held_idr": deal.held_idr,
        "receivable_idr": selectors.deal_receivable(deal=deal),
        "lines": [
            {
                "sku": line.variant.sku,
                "description": line.description,
                "quantity": line.quantity,
                "unit_price_idr": line.unit_price_idr,
                "dpp_idr": line.dpp_idr,
                "ppn_idr": line.ppn_idr,
                "delivered": line.delivered,
                "handed_over": line.handed_over,
            }
            for line in deal.lines.all()
        ],
        "deliveries": [_delivery_out(request, deal, d) for d in deal.deliveries.all()],
        "handovers": [_handover_out(request, deal, h) for h in deal.handovers.all()],
        "invoices": [_invoice_out(request, deal, i) for i in deal.invoices.all()],
        "payments": [_payment_out(request, deal, p) for p in deal.payments.all()],
    }


def _fresh(request: AuthenticatedRequest, number: str) -> dict[str, Any]:
    return _deal_out(request, selectors.deal_get(user=request.auth, number=number))


# Endpoints --------------------------------------------------------------------------------------------


@router.post(
    "/quotations/{number}/accept",
    auth=STAFF_AUTH,
    response={201: DealOut, 404: ErrorOut} | WRITE_ERRORS,
    summary="Accept a quotation with the buyer's purchase order: the deal, and its contract document",
)
def quotation_accept_post(request: AuthenticatedRequest, number: str, payload: AcceptIn) -> Status[Any]:
    """``po_number`` and ``po_date`` record the buyer's surat pesanan or SPK; ``channel`` EPURCHASING with a
    ``platform`` records a surat pesanan from e-Katalog or Bela Pengadaan. The contract document the value
    needs (SPK, surat perjanjian) is produced; a quotation accepted before is 409 (code ``accepted``)."""
    quotation = selectors.quotation_get(user=request.auth, number=number)
    deal = quotation_accept(
        actor=request.auth,
        quotation=quotation,
        po_number=payload.po_number,
        po_date=payload.po_date,
        channel=payload.channel,
        platform=payload.platform,
        needed_by=payload.needed_by,
    )
    return Status(201, _fresh(request, deal.number))


@router.get("/deals", auth=STAFF_AUTH, response={200: DealListOut, 401: ErrorOut}, summary="Deals")
def deal_list(request: AuthenticatedRequest, status: str = "") -> dict[str, Any]:
    """The latest 100 deals of the sellers you run deals for (``status``: ORDERED, PARTLY_DELIVERED, DELIVERED,
    INVOICED, PAID, CANCELLED), each with its next step."""
    deals = selectors.deals_for(user=request.auth, status=status, detailed=True)[:100]
    items = [_deal_out(request, deal) for deal in deals]
    return {"count": len(items), "items": items}


@router.get("/deals/{number}", auth=STAFF_AUTH, response={200: DealOut, 401: ErrorOut, 404: ErrorOut}, summary="A deal")
def deal_detail(request: AuthenticatedRequest, number: str) -> dict[str, Any]:
    return _fresh(request, number)


@router.post(
    "/deals/{number}/deliveries",
    auth=STAFF_AUTH,
    response={201: DeliveryOut, 404: ErrorOut} | WRITE_ERRORS,
    summary="Deliver some of a deal's goods, with a surat jalan",
)
def delivery_post(request: AuthenticatedRequest, number: str, payload: DeliveryIn) -> Status[Any]:
    """Stock leaves ``from_location`` (the seller's store when empty) through the inventory services. More than
    was ordered is 409 (code ``over_ordered``); fewer units in the store than asked is 409 too."""
    deal = selectors.deal_get(user=request.auth, number=number)
    source: Location | None = None
    if payload.from_location.strip():
        try:
            source = stock_move_location_for(
                user=request.auth, organization=deal.organization, code=payload.from_location
            )
        except Location.DoesNotExist:
            raise ValidationError(
                {"from_location": [_("Unknown location “%(code)s”.") % {"code": payload.from_location}]}
            ) from None
    delivery = delivery_record(
        actor=request.auth,
        deal=deal,
        lines=[DealLineInput(line.sku, line.quantity) for line in payload.lines],
        from_location=source,
        delivered_on=payload.delivered_on,
        vehicle=payload.vehicle,
        driver=payload.driver,
        note=payload.note,
    )
    deal = selectors.deal_get(user=request.auth, number=number)
    return Status(201, _delivery_out(request, deal, next(d for d in deal.deliveries.all() if d.pk == delivery.pk)))


@router.post(
    "/deals/{number}/bast",
    auth=STAFF_AUTH,
    response={201: HandoverOut, 404: ErrorOut} | WRITE_ERRORS,
    summary="Record the handover (BAST) of delivered goods, with its signatories",
)
def handover_post(request: AuthenticatedRequest, number: str, payload: HandoverIn) -> Status[Any]:
    """The sale is recorded now when the seller recognises sales at the handover (``sale`` names it), or once
    the buyer has paid for these goods. Goods not yet delivered are 409."""
    deal = selectors.deal_get(user=request.auth, number=number)
    handover = handover_record(
        actor=request.auth,
        deal=deal,
        signatories=[Signatory(s.side, s.name, s.position, s.id_number) for s in payload.signatories],
        handed_over_on=payload.handed_over_on,
        lines=[DealLineInput(line.sku, line.quantity) for line in payload.lines] if payload.lines is not None else None,
        place=payload.place,
        note=payload.note,
    )
    deal = selectors.deal_get(user=request.auth, number=number)
    return Status(201, _handover_out(request, deal, next(h for h in deal.handovers.all() if h.pk == handover.pk)))


@router.post(
    "/deals/{number}/invoice",
    auth=STAFF_AUTH,
    response={201: InvoiceOut, 404: ErrorOut} | WRITE_ERRORS,
    summary="Bill what is handed over and not yet billed: an invoice, or a kuitansi for small values",
)
def invoice_post(request: AuthenticatedRequest, number: str, payload: InvoiceIn) -> Status[Any]:
    """Nothing left to bill is 409 (code ``nothing_to_bill``)."""
    deal = selectors.deal_get(user=request.auth, number=number)
    invoice = deal_invoice_issue(actor=request.auth, deal=deal, issued_on=payload.issued_on, due_days=payload.due_days)
    deal = selectors.deal_get(user=request.auth, number=number)
    return Status(201, _invoice_out(request, deal, next(i for i in deal.invoices.all() if i.pk == invoice.pk)))


@router.post(
    "/deals/{number}/payments",
    auth=STAFF_AUTH,
    response={201: PaymentOut, 404: ErrorOut} | WRITE_ERRORS,
    summary="Record a payment from the buyer, with its kuitansi",
)
def payment_post(request: AuthenticatedRequest, number: str, payload: PaymentIn) -> Status[Any]:
    """The payment clears the receivable of goods sold; the rest (a down payment) is held until the sale.
    More than the deal has left to pay is 409 (code ``overpayment``)."""
    deal = selectors.deal_get(user=request.auth, number=number)
    payment = deal_payment_record(
        actor=request.auth,
        deal=deal,
        amount_idr=payload.amount_idr,
        paid_on=payload.paid_on,
        method=payload.method,
        reference=payload.reference,
    )
    deal = selectors.deal_get(user=request.auth, number=number)
    return Status(201, _payment_out(request, deal, next(p for p in deal.payments.all() if p.pk == payment.pk)))


@router.post(
    "/deals/{number}/cancel",
    auth=STAFF_AUTH,
    response={200: DealOut, 404: ErrorOut} | WRITE_ERRORS,
    summary="Cancel a deal nothing has been delivered or paid on",
)
def deal_cancel_post(request: AuthenticatedRequest, number: str, payload: CancelIn) -> dict[str, Any]:
    deal = selectors.deal_get(user=request.auth, number=number)
    deal_cancel(actor=request.auth, deal=deal, reason=payload.reason)
    return _fresh(request, number)


@router.get(
    "/deals/{number}/documents/{document}/pdf",
    auth=STAFF_AUTH,
    response={200: None, 401: ErrorOut, 404: ErrorOut},
    url_name="deal_document_pdf",
    summary="One of the deal's documents as a PDF: contract, surat jalan, BAST, invoice or kuitansi",
    openapi_extra={"responses": {200: {"description": "The PDF", "content": {"application/pdf": {}}}}},
)
def deal_document_get(request: AuthenticatedRequest, number: str, document: str) -> HttpResponse:
    deal = selectors.deal_get(user=request.auth, number=number)
    found = selectors.deal_document(deal=deal, number=document)
    pdf = deal_document_pdf(found=found, base_url=request.build_absolute_uri("/")[:-1])
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{found.document.number}.pdf"'
    return response
