"""An order's paperwork: the packing slip, the invoice and the kuitansi (receipt), each a Document with a
verification code (``documents.services.document_issue``), rendered to PDF with WeasyPrint.

A document is issued once per order and kind, and printed again from the same number as often as staff
need. What the public verification page may show (``public_figures``) is the order's number, the seller,
the amount and the date: never the buyer's phone or address. Neither the documents nor their figures
name a maker: an order's lines carry the product as the buyer saw it, nothing about who made it.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from binakarya.core.audit import AuditAction, audit_record
from binakarya.core.money import rupiah_in_words
from binakarya.core.phone import display_phone
from binakarya.core.types import Actor
from binakarya.documents import numbers
from binakarya.documents.models import Document
from binakarya.documents.pdf import qr_data_uri, render_pdf
from binakarya.documents.services import document_issue
from binakarya.orders.locks import order_lock
from binakarya.orders.models import Order, Payment, ShopSettings
from binakarya.orders.services import require_order_staff

PACKING_SLIP = Document.Kind.PACKING_SLIP
INVOICE = Document.Kind.INVOICE
RECEIPT = Document.Kind.RECEIPT
KINDS = (PACKING_SLIP, INVOICE, RECEIPT)

# The order's field that holds each kind's document.
_FIELD: dict[str, str] = {PACKING_SLIP: "packing_document", INVOICE: "invoice_document", RECEIPT: "receipt_document"}
_TEMPLATE: dict[str, str] = {
    PACKING_SLIP: "orders/packing_slip.html",
    INVOICE: "orders/invoice.html",
    RECEIPT: "orders/receipt.html",
}


def _net_paid(order: Order) -> int:
    return order.paid_idr - order.refunded_idr


def paid_in_full(order: Order) -> bool:
    """Whether the buyer has paid the whole total (the shipping fee known): a kuitansi may be issued."""
    return not order.shipping_pending and order.total_idr > 0 and _net_paid(order) >= order.total_idr


def printable_kinds(order: Order) -> list[str]:
    """The documents staff may print for ``order`` now."""
    if order.status in (Order.Status.CANCELLED, Order.Status.EXPIRED):
        return [RECEIPT] if order.receipt_document_id else []
    kinds: list[str] = []
    if order.status in (
        Order.Status.PAID,
        Order.Status.PACKED,
        Order.Status.SHIPPED,
        Order.Status.READY_FOR_PICKUP,
        Order.Status.COMPLETED,
    ):
        kinds.append(PACKING_SLIP)
    kinds.append(INVOICE)
    if paid_in_full(order):
        kinds.append(RECEIPT)
    return kinds


@transaction.atomic
def order_document_issue(*, actor: Actor, order: Order, kind: str) -> Document:
    """The order's document of ``kind`` (packing slip, invoice, kuitansi), issued now unless it already was.

    Raises PermissionDenied (not the seller's order staff) and ValidationError (a kind that cannot be
    printed for the order as it stands: a kuitansi before it is paid in full).
    """
    if kind not in KINDS:
        raise ValidationError(_("Unknown document."), code="kind")
    require_order_staff(actor, order.organization)
    order = order_lock(order_id=order.pk)
    field = _FIELD[kind]
    existing: Document | None = getattr(order, field)
    if existing is not None:
        return existing
    if kind not in printable_kinds(order):
        if kind == RECEIPT:
            raise ValidationError(_("A kuitansi is issued once the order is paid in full."), code="not_paid")
        raise ValidationError(_("This document cannot be printed for the order now."), code="not_printable")
    if kind == PACKING_SLIP:
        # One packing slip per order: it carries the order's own number.
        number = order.number.replace(numbers.ORDER, "PCK", 1)
        title = _("Packing slip %(number)s") % {"number": order.number}
        amount = 0
    elif kind == INVOICE:
        number = numbers.number_next(organization=order.organization, series=numbers.INVOICE)
        title = _("Invoice %(number)s") % {"number": number}
        amount = order.total_idr
    else:
        number = numbers.number_next(organization=order.organization, series=numbers.RECEIPT)
        title = _("Kuitansi %(number)s") % {"number": number}
        amount = _net_paid(order)
    figures: dict[str, Any] = {"order": order.number, "date": timezone.localdate().isoformat()}
    if amount:
        figures["total_idr"] = amount
    document = document_issue(
        actor=actor, organization=order.organization, kind=kind, number=number, title=title, public_figures=figures
    )
    setattr(order, field, document)
    order.save(update_fields=[field, "updated_at"])
    audit_record(actor=actor, action=AuditAction.ORDER_DOCUMENT_ISSUE, obj=order, kind=kind, document=document.number)
    return document


# Rendering --------------------------------------------------------------------------------------------


def _context(document: Document, order: Order, base_url: str) -> dict[str, Any]:
    shop = ShopSettings.objects.filter(organization_id=order.organization_id).first() or ShopSettings(
        organization_id=order.organization_id
    )
    paid = _net_paid(order)
    verify_url = base_url + reverse("storefront:verify", kwargs={"code": document.verify_code})
    return {
        "document": document,
        "order": order,
        "organization": order.organization,
        "lines": list(order.lines.order_by("pk")),
        "shop": shop,
        "paid_idr": paid,
        "balance_idr": order.balance_idr,
        "phone": display_phone(order.buyer_phone.lstrip("+")) if order.buyer_phone else "",
        "amount_words": rupiah_in_words(paid),
        "payments": [
            p
            for p in order.payments.order_by("created_at", "pk")
            if p.kind == Payment.Kind.PAYMENT and p.status == Payment.Status.CONFIRMED
        ],
        "verify_url": verify_url,
        "verify_qr": qr_data_uri(verify_url, scale=3),
        "verify_code": document.verify_code,
    }


def order_document_html(*, document: Document, order: Order, base_url: str) -> str:
    """The HTML a document is printed from (in Indonesian, as buyers in Indonesia read it)."""
    with translation.override("id"):
        return render_to_string(_TEMPLATE[document.kind], _context(document, order, base_url))


def order_document_pdf(*, document: Document, order: Order, base_url: str) -> bytes:
    """The document as a PDF."""
    with translation.override("id"):
        return render_pdf(_TEMPLATE[document.kind], _context(document, order, base_url))
