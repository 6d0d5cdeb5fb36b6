"""A deal's documents as printed, in Indonesian: the contract (SPK or surat perjanjian), each delivery's surat
jalan, each handover's berita acara serah terima (BAST), the invoice or kuitansi that bills the handed-over
goods, and the kuitansi of each payment.

Each kind has a ``*_context`` (what the page prints), a ``*_html`` and a ``*_pdf`` (WeasyPrint). The services
issue the ``Document`` rows (number, verification code, public figures); this module only renders them. Every
page carries the seller's kop surat, the buyer, the purchase order and quotation it rests on, the lines, the
signature blocks and the verification code with its QR.

Buyer documents never name a maker: a line is the ``DealLine``'s description and the variant's SKU, nothing
about who made it.
"""

import datetime
import functools
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from typing import Any, ParamSpec

from django.db.models import Sum
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from binakarya.core.money import (
    date_in_words,
    date_indonesian,
    format_percent,
    number_in_words,
    rupiah_in_words,
)
from binakarya.deals.models import (
    ContractForm,
    Deal,
    DealInvoice,
    DealPayment,
    Delivery,
    DeliveryLine,
    Handover,
)
from binakarya.deals.selectors import tax_settings_for
from binakarya.documents.models import Document
from binakarya.documents.pdf import qr_data_uri, render_pdf
from binakarya.orders.selectors import shop_settings_for

# Bea meterai (UU 10/2020 pasal 3 and 5): Rp10.000 on an agreement, and on a document stating an amount of money
# of more than Rp5.000.000 (a kuitansi of exactly Rp5.000.000 needs none).
STAMP_DUTY_IDR = 10_000
STAMP_DUTY_FROM_IDR = 5_000_000

# Late delivery, the standard clause of government purchases: 1 per mille of the late part's value a day,
# at most 5 % of the contract's value.
LATE_PENALTY_PER_MILLE = 1
LATE_PENALTY_MAX_PERCENT = 5

P = ParamSpec("P")

CONTRACT_FORMS = (ContractForm.SPK, ContractForm.SURAT_PERJANJIAN)

_CONTRACT_TEMPLATE = {
    ContractForm.SPK: "documents/deal_spk.html",
    ContractForm.SURAT_PERJANJIAN: "documents/deal_perjanjian.html",
}


# The pieces every deal document shares ------------------------------------------------------------------


def _verify(document: Document, base_url: str) -> dict[str, str]:
    url = base_url + reverse("storefront:verify", kwargs={"code": document.verify_code})
    return {"verify_url": url, "verify_qr": qr_data_uri(url, scale=3), "verify_code": document.verify_code}


def _percent(bp: int) -> str:
    """Basis points as an Indonesian percentage: 1100 → "11", 1250 → "12,5"."""
    return format_percent(Decimal(bp) / 100)


def _staff_name(user: Any) -> str:
    if user is None:
        return ""
    return str(user.get_full_name() or user.username)


def _buyer(deal: Deal) -> dict[str, str]:
    """The buyer as a letter addresses it: the name, "u.p." the contact of its request, where it is."""
    rfq = deal.quotation.rfq
    org = deal.buyer_organization
    address = ", ".join(part for part in (org.address, org.regency) if part) if org else ""
    return {
        "name": deal.buyer,
        "contact": rfq.contact_name if rfq else "",
        "address": address or deal.delivery_place or (rfq.delivery_place if rfq else ""),
    }


def _reference(deal: Deal) -> dict[str, Any]:
    """The purchase order and the quotation a document rests on (and the contract, once there is one)."""
    quotation = deal.quotation
    contract = deal.contract_document
    return {
        "po_number": deal.po_number,
        "po_date": date_indonesian(deal.po_date),
        "platform": deal.get_platform_display() if deal.platform else "",
        "quotation_number": quotation.number,
        "quotation_date": date_indonesian(quotation.issued_on),
        "contract_title": _contract_title(deal.contract_form) if contract else "",
        "contract_number": contract.number if contract else "",
    }


def _contract_title(form: str) -> str:
    return "Surat Perintah Kerja" if form == ContractForm.SPK else "Surat Perjanjian"


def _place(deal: Deal) -> str:
    return deal.quotation.place or deal.organization.regency


def _letter(*, deal: Deal, document: Document, number: str, date: datetime.date, base_url: str) -> dict[str, Any]:
    """What every deal document prints around its own content: kop surat, number, place and date, the buyer,
    the references and the verification code."""
    return {
        "document": document,
        "deal": deal,
        "seller": deal.organization,
        "buyer": _buyer(deal),
        "ref": _reference(deal),
        "number": number,
        "date": date_indonesian(date),
        "place": _place(deal),
        "ppn_percent": _percent(deal.quotation.ppn_rate_bp),
        "ppn_enabled": deal.quotation.ppn_enabled,
    } | _verify(document, base_url)


def _bank(deal: Deal) -> dict[str, str]:
    """The seller's bank account from its shop settings; empty when it has none."""
    shop = shop_settings_for(organization=deal.organization)
    if not shop.bank_account_number:
        return {}
    return {"name": shop.bank_name, "number": shop.bank_account_number, "holder": shop.bank_account_holder}


def _in_indonesian(build: Callable[P, dict[str, Any]]) -> Callable[P, dict[str, Any]]:
    """Build a context in Indonesian whatever the staff member's language: the choice labels, and the
    verification URL without a language prefix."""

    @functools.wraps(build)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> dict[str, Any]:
        with translation.override("id"):
            return build(*args, **kwargs)

    return wrapper


def _render(template: str, context: dict[str, Any]) -> str:
    with translation.override("id"):
        return render_to_string(template, context)


def _pdf(template: str, context: dict[str, Any]) -> bytes:
    with translation.override("id"):
        return render_pdf(template, context)


# The contract: SPK or surat perjanjian ------------------------------------------------------------------


def _delivery_time(deal: Deal, start: str) -> str:
    """When the goods are due, as the contract words it."""
    if deal.needed_by:
        return f"paling lambat tanggal {date_indonesian(deal.needed_by)}"
    days = deal.quotation.lead_time_days
    if days == 0:
        return f"segera, paling lambat 7 (tujuh) hari kalender sejak {start}"
    if days:
        return f"paling lambat {days} ({number_in_words(days)}) hari kalender sejak {start}"
    return "sesuai jadwal yang disepakati PARA PIHAK secara tertulis"


@_in_indonesian
def contract_context(*, deal: Deal, base_url: str) -> dict[str, Any]:
    """What the SPK or the surat perjanjian prints: the parties, the goods with their prices, the value in figures
    and in words, delivery time and place, payment, the late penalty and the legal reference.

    Raises ValueError when the deal has no contract document or its value needs neither an SPK nor a surat
    perjanjian (a kuitansi, a proof of purchase or the platform's surat pesanan is the contract then).
    """
    document = deal.contract_document
    if document is None:
        raise ValueError(f"deal {deal.number} has no contract document")
    if deal.contract_form not in CONTRACT_FORMS:
        raise ValueError(f"deal {deal.number} needs a {deal.contract_form}, not an SPK or a surat perjanjian")
    issued = timezone.localdate(document.issued_at)
    lines: list[dict[str, Any]] = [
        {
            "description": line.description,
            "sku": line.variant.sku,
            "quantity": line.quantity,
            "unit_price_idr": line.unit_price_idr,
            "amount_idr": line.quantity * line.unit_price_idr,
        }
        for line in deal.lines.select_related("variant").order_by("pk")
    ]
    subtotal = sum(line["amount_idr"] for line in lines)
    quotation = deal.quotation
    spk = deal.contract_form == ContractForm.SPK
    start = "tanggal SPK ini" if spk else "tanggal Surat Perjanjian ini ditandatangani"
    penalty_cap = deal.total_idr * LATE_PENALTY_MAX_PERCENT // 100
    return _letter(deal=deal, document=document, number=document.number, date=issued, base_url=base_url) | {
        "title": _contract_title(deal.contract_form),
        "spk": spk,
        "opening": str(date_in_words(issued)),
        "lines": lines,
        "units": sum(line["quantity"] for line in lines),
        "subtotal_idr": subtotal,
        "discount_idr": max(subtotal - deal.dpp_idr, 0),
        "discount_percent": _percent(quotation.discount_bp),
        "total_words": rupiah_in_words(deal.total_idr),
        "delivery_time": _delivery_time(deal, start),
        "delivery_place": deal.delivery_place or _buyer(deal)["address"],
        "payment_days": tax_settings_for(organization=deal.organization).payment_days,
        "down_payment_idr": quotation.down_payment_idr,
        "down_payment_words": rupiah_in_words(quotation.down_payment_idr),
        "bank": _bank(deal),
        "legal_reference": deal.contract_rule.legal_reference,
        "penalty_per_mille": LATE_PENALTY_PER_MILLE,
        "penalty_max_percent": LATE_PENALTY_MAX_PERCENT,
        "penalty_cap_idr": penalty_cap,
        "stamp_duty_idr": STAMP_DUTY_IDR,
    }


def contract_html(*, deal: Deal, base_url: str) -> str:
    """The contract's HTML (raises as :func:`contract_context`)."""
    context = contract_context(deal=deal, base_url=base_url)
    return _render(_CONTRACT_TEMPLATE[ContractForm(deal.contract_form)], context)


def contract_pdf(*, deal: Deal, base_url: str) -> bytes:
    """The SPK or surat perjanjian as a PDF (raises as :func:`contract_context`)."""
    context = contract_context(deal=deal, base_url=base_url)
    return _pdf(_CONTRACT_TEMPLATE[ContractForm(deal.contract_form)], context)


# A delivery's surat jalan -------------------------------------------------------------------------------


@_in_indonesian
def surat_jalan_context(*, delivery: Delivery, base_url: str) -> dict[str, Any]:
    """What a delivery's surat jalan prints: from the seller to the buyer at the delivery place, the vehicle and
    driver, and for each line sent the units ordered, sent now, sent up to and including this delivery, and
    still to come. Raises ValueError when the delivery's transfer has no document."""
    document = delivery.transfer.document
    if document is None:
        raise ValueError(f"delivery {delivery.number} has no surat jalan document")
    deal = delivery.deal
    sent_so_far: dict[int, int] = defaultdict(int)
    for row in (
        DeliveryLine.objects.filter(delivery__deal=deal, delivery__pk__lte=delivery.pk)
        .values("deal_line_id")
        .annotate(units=Sum("quantity"))
    ):
        sent_so_far[row["deal_line_id"]] = row["units"]
    lines: list[dict[str, Any]] = []
    for line in delivery.lines.select_related("deal_line__variant").order_by("pk"):
        ordered = line.deal_line.quantity
        cumulative = sent_so_far[line.deal_line_id]
        lines.append(
            {
                "description": line.deal_line.description,
                "sku": line.deal_line.variant.sku,
                "ordered": ordered,
                "quantity": line.quantity,
                "cumulative": cumulative,
                "remaining": max(ordered - cumulative, 0),
            }
        )
    return _letter(
        deal=deal, document=document, number=delivery.number, date=delivery.delivered_on, base_url=base_url
    ) | {
        "delivery": delivery,
        "lines": lines,
        "units": sum(line["quantity"] for line in lines),
        "delivery_place": deal.delivery_place or _buyer(deal)["address"],
        "sender": _staff_name(delivery.created_by),
    }


def surat_jalan_html(*, delivery: Delivery, base_url: str) -> str:
    return _render("documents/deal_surat_jalan.html", surat_jalan_context(delivery=delivery, base_url=base_url))


def surat_jalan_pdf(*, delivery: Delivery, base_url: str) -> bytes:
    """The delivery's surat jalan as a PDF (raises as :func:`surat_jalan_context`)."""
    return _pdf("documents/deal_surat_jalan.html", surat_jalan_context(delivery=delivery, base_url=base_url))


# A handover's berita acara serah terima (BAST) ----------------------------------------------------------

SELLER = "SELLER"
BUYER = "BUYER"


def _signatories(handover: Handover, side: str) -> list[dict[str, str]]:
    return [
        {
            "name": str(person.get("name", "")),
            "position": str(person.get("position", "")),
            "id_number": str(person.get("id_number", "")),
        }
        for person in handover.signatories or []
        if person.get("side") == side
    ]


@_in_indonesian
def bast_context(*, handover: Handover, base_url: str) -> dict[str, Any]:
    """What the BAST prints: the day and date in words, the parties (the seller's signatories are PIHAK PERTAMA,
    the buyer's PIHAK KEDUA), the goods handed over with their value, the inspection, the totals, the statement
    of acceptance and a signature block for each signatory."""
    deal = handover.deal
    lines: list[dict[str, Any]] = [
        {
            "description": line.deal_line.description,
            "sku": line.deal_line.variant.sku,
            "ordered": line.deal_line.quantity,
            "quantity": line.quantity,
            "unit_price_idr": line.deal_line.unit_price_idr,
            "dpp_idr": line.dpp_idr,
            "value_idr": line.dpp_idr + line.ppn_idr,
        }
        for line in handover.lines.select_related("deal_line__variant").order_by("pk")
    ]
    day = handover.handed_over_on
    return _letter(deal=deal, document=handover.document, number=handover.number, date=day, base_url=base_url) | {
        "handover": handover,
        "opening": date_in_words(day),
        "numeric_date": day.strftime("%d-%m-%Y"),
        "handover_place": handover.place or _place(deal),
        "first_party": _signatories(handover, SELLER),
        "second_party": _signatories(handover, BUYER),
        "lines": lines,
        "units": sum(line["quantity"] for line in lines),
        "value_words": rupiah_in_words(handover.value_idr),
    }


def bast_html(*, handover: Handover, base_url: str) -> str:
    return _render("documents/deal_bast.html", bast_context(handover=handover, base_url=base_url))


def bast_pdf(*, handover: Handover, base_url: str) -> bytes:
    """The berita acara serah terima as a PDF."""
    return _pdf("documents/deal_bast.html", bast_context(handover=handover, base_url=base_url))


# The bill: an invoice, or a kuitansi ---------------------------------------------------------------------


def _goods_summary(deal: Deal) -> str:
    return ", ".join(f"{line.quantity} {line.description}" for line in deal.lines.order_by("pk"))


def _kuitansi(
    *, deal: Deal, document: Document, date: datetime.date, amount_idr: int, purpose: str, base_url: str
) -> dict[str, Any]:
    return _letter(deal=deal, document=document, number=document.number, date=date, base_url=base_url) | {
        "kuitansi": True,
        "amount_idr": amount_idr,
        "amount_words": rupiah_in_words(amount_idr),
        "purpose": purpose,
        "stamp_duty": amount_idr > STAMP_DUTY_FROM_IDR,
        "stamp_duty_idr": STAMP_DUTY_IDR,
    }


@_in_indonesian
def invoice_context(*, invoice: DealInvoice, base_url: str) -> dict[str, Any]:
    """What the bill prints. An invoice: the handovers it covers (BAST numbers and dates) with their lines, DPP,
    PPN, the total in figures and words, the due date and where to pay. A kuitansi (where the value needs only
    one): received from, the amount in words, what for, the amount, and the stamp duty note above Rp5.000.000.

    Raises ValueError for a document that is neither an invoice nor a kuitansi.
    """
    deal = invoice.deal
    document = invoice.document
    handovers = list(invoice.handovers.prefetch_related("lines__deal_line__variant").order_by("handed_over_on", "pk"))
    bast_numbers = ", ".join(h.number for h in handovers)
    if document.kind == Document.Kind.RECEIPT:
        goods = "; ".join(
            ", ".join(f"{line.quantity} {line.deal_line.description}" for line in h.lines.all()) for h in handovers
        )
        purpose = f"Pembayaran {goods}" if goods else "Pembayaran barang"
        purpose += f" sesuai BAST nomor {bast_numbers}" if bast_numbers else ""
        purpose += f", pesanan nomor {deal.po_number} tanggal {date_indonesian(deal.po_date)}"
        return _kuitansi(
            deal=deal,
            document=document,
            date=invoice.issued_on,
            amount_idr=invoice.amount_idr,
            purpose=purpose,
            base_url=base_url,
        ) | {"invoice": invoice, "credit_idr": invoice.credit_idr, "due_idr": invoice.amount_idr - invoice.credit_idr}
    if document.kind != Document.Kind.INVOICE:
        raise ValueError(f"invoice {invoice.number} has a {document.kind} document")
    groups = [
        {
            "number": h.number,
            "date": date_indonesian(h.handed_over_on),
            "lines": [
                {
                    "description": line.deal_line.description,
                    "sku": line.deal_line.variant.sku,
                    "quantity": line.quantity,
                    "unit_price_idr": line.deal_line.unit_price_idr,
                    "dpp_idr": line.dpp_idr,
                }
                for line in h.lines.all()
            ],
        }
        for h in handovers
    ]
    return _letter(deal=deal, document=document, number=invoice.number, date=invoice.issued_on, base_url=base_url) | {
        "kuitansi": False,
        "invoice": invoice,
        "groups": groups,
        "bast_numbers": bast_numbers,
        "due_date": date_indonesian(invoice.due_on),
        "due_idr": invoice.amount_idr - invoice.credit_idr,
        "amount_words": rupiah_in_words(invoice.amount_idr - invoice.credit_idr),
        "bank": _bank(deal),
    }


def _invoice_template(invoice: DealInvoice) -> str:
    if invoice.document.kind == Document.Kind.RECEIPT:
        return "documents/deal_kuitansi.html"
    return "documents/deal_invoice.html"


def invoice_html(*, invoice: DealInvoice, base_url: str) -> str:
    return _render(_invoice_template(invoice), invoice_context(invoice=invoice, base_url=base_url))


def invoice_pdf(*, invoice: DealInvoice, base_url: str) -> bytes:
    """The invoice or kuitansi as a PDF (raises as :func:`invoice_context`)."""
    return _pdf(_invoice_template(invoice), invoice_context(invoice=invoice, base_url=base_url))


# A payment's kuitansi -----------------------------------------------------------------------------------

_PAID_BY: dict[str, str] = {DealPayment.Method.BANK: "transfer bank", DealPayment.Method.CASH: "tunai"}


@_in_indonesian
def payment_receipt_context(*, payment: DealPayment, base_url: str) -> dict[str, Any]:
    """What the kuitansi of one payment prints: from the buyer, the amount in words and figures, what it paid
    (a down payment held until the goods are handed over, or the goods handed over), how it was paid.

    Raises ValueError when the payment has no receipt document.
    """
    document = payment.receipt
    if document is None:
        raise ValueError(f"payment {payment.pk} has no receipt document")
    deal = payment.deal
    what = "Uang muka pembelian" if payment.held_idr and not payment.to_receivable_idr else "Pembayaran pembelian"
    purpose = f"{what} {_goods_summary(deal)}, pesanan nomor {deal.po_number} tanggal {date_indonesian(deal.po_date)}"
    how = _PAID_BY.get(payment.method, payment.get_method_display())
    purpose += f" (dibayar {how}{', ref. ' + payment.reference if payment.reference else ''})"
    return _kuitansi(
        deal=deal,
        document=document,
        date=payment.paid_on,
        amount_idr=payment.amount_idr,
        purpose=purpose,
        base_url=base_url,
    ) | {"payment": payment}


def payment_receipt_html(*, payment: DealPayment, base_url: str) -> str:
    return _render("documents/deal_kuitansi.html", payment_receipt_context(payment=payment, base_url=base_url))


def payment_receipt_pdf(*, payment: DealPayment, base_url: str) -> bytes:
    """The payment's kuitansi as a PDF (raises as :func:`payment_receipt_context`)."""
    return _pdf("documents/deal_kuitansi.html", payment_receipt_context(payment=payment, base_url=base_url))
