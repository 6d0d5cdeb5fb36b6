"""Writes of an export order, after the pro-forma invoice: the buyer's confirmation, their T/T payments and the
shipment, where the sale is recorded (the seller's sales staff). See docs/export.md, "The export order".

- ``order_confirm``: the buyer accepted a pro-forma (their order number and date): the export order.
- ``order_payment_record``: rupiah the bank credited, held for the buyer (``ledger.services.order_payment_post``).
- ``shipment_record``: once the payments cover the total, the whole order ships: in one transaction the sale
  (``sales.services.sale_record``, channel EXPORT, the goods booked as cash like a web order's), the money held
  for the buyer paying for it (``ledger.services.order_settlement_post``) and the commercial invoice (CI-…).

Bad input raises one ValidationError naming each field, in the caller's language; a request that contradicts
the order's state raises ExportConflict with a ``code`` (the API answers 409). Nothing is half-saved; every
write records an audit row.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from binakarya.core.audit import AuditAction, audit_record
from binakarya.core.money import format_rupiah
from binakarya.core.types import Actor, user_of
from binakarya.documents import numbers
from binakarya.documents.models import Document
from binakarya.documents.services import document_issue
from binakarya.exports import amounts
from binakarya.exports.locks import inquiry_lock, order_lock
from binakarya.exports.models import ExportInquiry, ExportOrder, ExportPayment, Proforma, Shipment
from binakarya.exports.services import Errors, _add, _text, require_export_staff
from binakarya.inventory.models import Location
from binakarya.ledger.services import order_payment_post, order_settlement_post
from binakarya.sales.models import Channel
from binakarya.sales.services import SaleLineInput, sale_record

COMMERCIAL_INVOICE_SERIES = "CI"
MAX_PAYMENT_IDR = 100_000_000_000
MAX_FOREIGN = Decimal("10000000000")
SHIP_FROM_KINDS = (Location.Kind.STORE, Location.Kind.SHOWROOM)


class ExportConflict(ValidationError):
    """The request contradicts the export order's state: a pro-forma confirmed twice, a closed inquiry, more
    paid than the order takes, a shipment before it is paid or a second one (the API answers 409). ``code``
    names which (``confirmed``, ``closed``, ``overpayment``, ``not_paid``, ``shipped``), also when the message
    is a dict of fields."""

    def __init__(self, message: Any, code: str) -> None:
        super().__init__(message, code=code)
        self.code = code


def _day(day: datetime.date) -> str:
    return date_format(day, "j F Y")


def _occurred_at(day: datetime.date) -> datetime.datetime:
    """A moment on ``day``: now when it is today, else noon (local time)."""
    if day >= timezone.localdate():
        return timezone.now()
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def _refuse_closed(inquiry: ExportInquiry) -> None:
    if inquiry.status == ExportInquiry.Status.CLOSED:
        raise ExportConflict(
            {"status": [_("Inquiry %(number)s is closed.") % {"number": inquiry.number}]}, code="closed"
        )


# Confirmation ---------------------------------------------------------------------------------------------


def order_confirm(
    *,
    actor: Actor,
    proforma: Proforma,
    po_number: str,
    po_date: datetime.date | None,
    today: datetime.date | None = None,
) -> ExportOrder:
    """The buyer accepted ``proforma`` with their order (``po_number``: their purchase order or reference, dated
    ``po_date``, within the pro-forma's validity): the export order, awaiting payment; the inquiry becomes
    CONFIRMED. One pro-forma of an inquiry becomes an order, once.

    Raises PermissionDenied; ValidationError naming ``po_number``, ``po_date``; ExportConflict (code
    ``confirmed`` when the inquiry has an order already, ``closed`` when it is closed). Nothing is saved then.
    """
    organization = proforma.organization
    require_export_staff(actor, organization)
    today = today or timezone.localdate()
    errors: Errors = {}
    number = _text(
        errors,
        "po_number",
        po_number,
        limit=80,
        required=_("Enter the buyer's order number (their purchase order or order reference)."),
    )
    if po_date is None:
        _add(errors, "po_date", _("Enter the date of the buyer's order."), "required")
    elif po_date > today:
        _add(errors, "po_date", _("The buyer's order cannot be dated in the future."))
    elif po_date < proforma.issued_on:
        _add(
            errors,
            "po_date",
            _("The buyer's order cannot be dated before the pro-forma invoice (%(date)s).")
            % {"date": _day(proforma.issued_on)},
        )
    elif po_date > proforma.valid_until:
        _add(
            errors,
            "po_date",
            _("Pro-forma invoice %(number)s was valid until %(date)s: issue a new one.")
            % {"number": proforma.number, "date": _day(proforma.valid_until)},
            "expired",
        )
    if errors:
        raise ValidationError(errors)
    assert po_date is not None
    with transaction.atomic():
        inquiry = inquiry_lock(pk=proforma.inquiry_id)
        _refuse_closed(inquiry)
        existing = ExportOrder.objects.select_related("proforma").filter(inquiry=inquiry).first()
        if existing is not None:
            raise ExportConflict(
                _("The buyer has already confirmed pro-forma invoice %(number)s.")
                % {"number": existing.proforma.number},
                code="confirmed",
            )
        order = ExportOrder.objects.create(
            organization=organization,
            inquiry=inquiry,
            proforma=proforma,
            po_number=number,
            po_date=po_date,
            total_idr=proforma.total_idr,
            confirmed_by=user_of(actor),
        )
        inquiry.status = ExportInquiry.Status.CONFIRMED
        inquiry.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditAction.EXPORT_ORDER_CONFIRM,
            obj=order,
            organization=organization,
            proforma=proforma.number,
            po_number=number,
        )
    order.proforma = proforma
    return order


# Payments -------------------------------------------------------------------------------------------------


def order_payment_record(
    *,
    actor: Actor,
    order: ExportOrder,
    amount_idr: int,
    received_on: datetime.date | None = None,
    amount_foreign: Decimal | None = None,
    reference: str = "",
) -> ExportPayment:
    """Rupiah the bank credited for the order (a T/T), with the amount in the pro-forma's currency and the
    bank's reference (the SWIFT message's) when known. Posted with ``ledger.services.order_payment_post``:
    into the bank, held for the buyer (BUYER_DEPOSITS) until the shipment. Once the payments cover the total
    the order is PAID.

    The order takes at most its total in rupiah, plus 2% when the pro-forma is in a foreign currency (the bank's
    rate on the day; ``amounts.payment_ceiling``).

    Raises PermissionDenied; ValidationError naming ``amount_idr``, ``received_on``, ``amount_foreign``,
    ``reference``; ExportConflict (code ``overpayment``, ``shipped``, ``closed``). Nothing is saved then.
    """
    organization = order.organization
    require_export_staff(actor, organization)
    proforma = order.proforma
    today = timezone.localdate()
    received_on = received_on or today
    errors: Errors = {}
    if not 0 < amount_idr <= MAX_PAYMENT_IDR:
        _add(errors, "amount_idr", _("Enter the rupiah the bank credited, more than Rp0."))
    if received_on > today:
        _add(errors, "received_on", _("The payment cannot be dated in the future."))
    elif received_on < proforma.issued_on:
        _add(
            errors,
            "received_on",
            _("The payment cannot be dated before the pro-forma invoice (%(date)s).")
            % {"date": _day(proforma.issued_on)},
        )
    currency = proforma.currency
    if amount_foreign is not None:
        if currency == "IDR":
            _add(errors, "amount_foreign", _("The pro-forma invoice is in rupiah: leave this amount empty."))
        elif not 0 < amount_foreign <= MAX_FOREIGN:
            _add(
                errors,
                "amount_foreign",
                _("Enter the amount in %(currency)s above 0, or leave it empty.") % {"currency": currency},
            )
        elif not amounts.fits_minor_unit(amount_foreign, currency):
            _add(
                errors,
                "amount_foreign",
                _("%(currency)s has no cents: enter a whole amount.") % {"currency": currency}
                if amounts.minor_unit(currency) == 1
                else _("Enter %(currency)s to the cent: at most two decimals.") % {"currency": currency},
            )
    text = _text(errors, "reference", reference, limit=120)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        _refuse_closed(inquiry_lock(pk=order.inquiry_id))
        order = order_lock(pk=order.pk)
        if order.status == ExportOrder.Status.SHIPPED:
            raise ExportConflict(
                _("The order of pro-forma invoice %(number)s has shipped: it takes no more payments.")
                % {"number": proforma.number},
                code="shipped",
            )
        room = amounts.payment_ceiling(order.total_idr, currency) - order.paid_idr
        if amount_idr > room:
            raise ExportConflict(
                {
                    "amount_idr": [
                        _(
                            "The order of pro-forma invoice %(number)s totals %(total)s and %(paid)s is received: "
                            "it takes at most %(room)s more, not %(amount)s."
                        )
                        % {
                            "number": proforma.number,
                            "total": format_rupiah(order.total_idr),
                            "paid": format_rupiah(order.paid_idr),
                            "room": format_rupiah(max(room, 0)),
                            "amount": format_rupiah(amount_idr),
                        }
                    ]
                },
                code="overpayment",
            )
        memo = f"{proforma.number} {order.po_number} {text}".strip()[:300]
        entry = order_payment_post(actor=actor, organization=organization, amount_idr=amount_idr, memo=memo)
        payment = ExportPayment.objects.create(
            organization=organization,
            order=order,
            received_on=received_on,
            amount_idr=amount_idr,
            amount_foreign=amount_foreign,
            reference=text,
            entry=entry,
            created_by=user_of(actor),
        )
        order.paid_idr += amount_idr
        if order.paid_idr >= order.total_idr:
            order.status = ExportOrder.Status.PAID
        order.save(update_fields=["paid_idr", "status", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditAction.EXPORT_PAYMENT,
            obj=payment,
            organization=organization,
            proforma=proforma.number,
            amount_idr=amount_idr,
            reference=text,
        )
    return payment


# The shipment ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ShipmentInput:
    shipped_on: datetime.date | None
    peb_number: str
    transport_number: str
    vessel: str
    location: Location | None


def shipment_record(*, actor: Actor, order: ExportOrder, data: ShipmentInput) -> Shipment:
    """The whole order ships from ``data.location`` (a store or showroom of the seller), with its PEB, its B/L
    or AWB and the vessel or flight. Allowed once the payments cover the total (T/T before shipment). In one
    transaction:

    - the sale: ``sale_record`` on the EXPORT channel at the location, the pro-forma's lines at their rupiah unit
      prices, naming the buyer's company; stock leaves first in, first out by lot and the makers earn their premi;
    - ``order_settlement_post``: the money held for the buyer pays for the goods, the freight and insurance of a
      CIF order become what is owed to the forwarder and insurer, and rupiah received above the total (the
      bank's rate) is income;
    - the commercial invoice (CI-…, Document kind INVOICE, with its verification code).

    The order and the inquiry become SHIPPED; the checklist's PEB and B/L items are ready from the shipment.

    Raises PermissionDenied; ValidationError naming ``shipped_on``, ``peb_number``, ``transport_number``,
    ``vessel``, ``location``; InsufficientStock (the store holds fewer units than the order); ExportConflict
    (code ``not_paid``, naming what is still due; ``shipped``; ``closed``). Nothing is saved on any of them.
    """
    organization = order.organization
    require_export_staff(actor, organization)
    proforma = order.proforma
    today = timezone.localdate()
    errors: Errors = {}
    if data.shipped_on is None:
        _add(errors, "shipped_on", _("Enter the date the goods shipped."), "required")
    elif data.shipped_on > today:
        _add(errors, "shipped_on", _("The shipment cannot be dated in the future."))
    elif data.shipped_on < order.po_date:
        _add(
            errors,
            "shipped_on",
            _("The shipment cannot be dated before the buyer's order (%(date)s).") % {"date": _day(order.po_date)},
        )
    peb = _text(
        errors,
        "peb_number",
        data.peb_number,
        limit=60,
        required=_("Enter the PEB number (the export declaration lodged with customs)."),
    )
    transport = _text(
        errors,
        "transport_number",
        data.transport_number,
        limit=60,
        required=_("Enter the B/L (sea) or AWB (air) number."),
    )
    vessel = _text(errors, "vessel", data.vessel, limit=120, required=_("Enter the vessel and voyage, or the flight."))
    location = data.location
    if (
        location is None
        or location.organization_id != organization.pk
        or location.kind not in SHIP_FROM_KINDS
        or not location.is_active
    ):
        _add(
            errors,
            "location",
            _("Choose the store or showroom of %(org)s the goods leave from.") % {"org": organization.name},
            "required" if location is None else "invalid",
        )
    if errors:
        raise ValidationError(errors)
    assert data.shipped_on is not None and location is not None
    shipped_on = data.shipped_on
    with transaction.atomic():
        inquiry = inquiry_lock(pk=order.inquiry_id)
        _refuse_closed(inquiry)
        order = order_lock(pk=order.pk)
        if order.status == ExportOrder.Status.SHIPPED:
            raise ExportConflict(
                _("The order of pro-forma invoice %(number)s has already shipped.") % {"number": proforma.number},
                code="shipped",
            )
        if order.paid_idr < order.total_idr:
            raise ExportConflict(
                _(
                    "The order of pro-forma invoice %(number)s is not paid in full: %(due)s of %(total)s is still "
                    "due. Its terms ask for payment by T/T before shipment."
                )
                % {
                    "number": proforma.number,
                    "due": format_rupiah(order.total_idr - order.paid_idr),
                    "total": format_rupiah(order.total_idr),
                },
                code="not_paid",
            )
        lines = list(proforma.lines.select_related("variant").order_by("pk"))
        reason = _("Priced on pro-forma invoice %(number)s") % {"number": proforma.number}
        sale = sale_record(
            actor=actor,
            location=location,
            channel=Channel.EXPORT,
            lines=[
                SaleLineInput(
                    line.variant.sku, line.quantity, line.unit_price_idr, price_intended=True, price_reason=reason
                )
                for line in lines
            ],
            occurred_at=_occurred_at(shipped_on),
            buyer=None,
            buyer_name=inquiry.company,
        )
        extra_idr = order.paid_idr - order.total_idr
        settlement = order_settlement_post(
            actor=actor,
            organization=organization,
            goods_idr=proforma.subtotal_idr,
            shipping_idr=proforma.freight_idr + proforma.insurance_idr,
            extra_idr=extra_idr,
            memo=f"{proforma.number} {sale.number}",
        )
        number = numbers.number_next(organization=organization, series=COMMERCIAL_INVOICE_SERIES, year=shipped_on.year)
        document = document_issue(
            actor=actor,
            organization=organization,
            kind=Document.Kind.INVOICE,
            number=number,
            title=f"Commercial invoice {number}",
            public_figures={
                "date": shipped_on.isoformat(),
                "proforma": proforma.number,
                "currency": proforma.currency,
                "total": amounts.money_format(proforma.total_foreign, proforma.currency),
                "total_idr": proforma.total_idr,
                "incoterm": f"{proforma.incoterm} {proforma.place}",
                "items": len(lines),
                "units": sum(line.quantity for line in lines),
            },
        )
        shipment = Shipment.objects.create(
            organization=organization,
            order=order,
            shipped_on=shipped_on,
            peb_number=peb,
            transport_number=transport,
            vessel=vessel,
            location=location,
            sale=sale,
            settlement_entry=settlement,
            extra_idr=extra_idr,
            invoice_number=number,
            document=document,
            created_by=user_of(actor),
        )
        order.status = ExportOrder.Status.SHIPPED
        order.save(update_fields=["status", "updated_at"])
        inquiry.status = ExportInquiry.Status.SHIPPED
        inquiry.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditAction.EXPORT_SHIPMENT,
            obj=shipment,
            organization=organization,
            proforma=proforma.number,
            sale=sale.number,
            peb=peb,
            transport=transport,
        )
    return shipment
