"""The export documents as PDFs, in English (a buyer abroad reads them): the pro-forma invoice, the packing
list and, once the order ships, the commercial invoice, each with the seller's letterhead, number, date, the parties, the verification code and its QR.

Lines carry the product's English name (Indonesian when untranslated), SKU and HS code: never a maker."""

from typing import Any

from django.urls import reverse
from django.utils import translation

from binakarya.core.templatetags.binakarya import rupiah
from binakarya.documents.models import Document
from binakarya.documents.pdf import qr_data_uri, render_pdf
from binakarya.exports import amounts
from binakarya.exports.countries import country_name
from binakarya.exports.models import Currency, Proforma, Shipment
from binakarya.exports.selectors import exporter_settings_for, order_payments, proforma_lines


def _verify(document: Document, base_url: str) -> dict[str, str]:
    with translation.override("en"):
        url = base_url + reverse("storefront:verify", kwargs={"code": document.verify_code})
    return {"verify_url": url, "verify_qr": qr_data_uri(url, scale=3), "verify_code": document.verify_code}


def _money(proforma: Proforma) -> Any:
    currency = proforma.currency

    def show(value: Any) -> str:
        if currency == Currency.IDR:
            return rupiah(value)
        return amounts.money_format(value, currency)

    return show


def proforma_context(*, proforma: Proforma, base_url: str) -> dict[str, Any]:
    """What both documents print: the parties, terms, lines and totals, formatted the English way."""
    inquiry = proforma.inquiry
    money = _money(proforma)
    lines = [
        {
            "line": line,
            "unit_price": money(line.unit_price_foreign),
            "amount": money(line.amount_foreign),
            "net_kg": amounts.kilograms(line.net_weight_grams),
            "gross_kg": amounts.kilograms(line.gross_weight_grams),
            "unit_net_kg": amounts.kilograms(line.unit_net_grams),
            "unit_gross_kg": amounts.kilograms(line.unit_gross_grams),
            "dimensions_cm": " × ".join(
                amounts.centimetres(mm) for mm in (line.length_mm, line.width_mm, line.height_mm)
            ),
            "volume_m3": amounts.cubic_metres(line.volume_mm3),
        }
        for line in proforma_lines(proforma=proforma)
    ]
    return {
        "proforma": proforma,
        "inquiry": inquiry,
        "seller": proforma.organization,
        "exporter": exporter_settings_for(organization=proforma.organization),
        "country": country_name(inquiry.country, "en"),
        "lines": lines,
        "foreign": proforma.currency != Currency.IDR,
        "rate": f"{proforma.idr_per_unit:,.2f}",
        "subtotal": money(proforma.subtotal_foreign),
        "freight": money(proforma.freight_foreign),
        "insurance": money(proforma.insurance_foreign),
        "total": money(proforma.total_foreign),
        "net_kg": amounts.kilograms(proforma.net_weight_grams),
        "gross_kg": amounts.kilograms(proforma.gross_weight_grams),
        "volume_m3": amounts.cubic_metres(proforma.volume_mm3),
        "units": sum(row["line"].quantity for row in lines),
    }


def proforma_pdf(*, proforma: Proforma, base_url: str) -> bytes:
    """The pro-forma invoice, in English."""
    with translation.override("en"):
        return render_pdf(
            "exports/proforma.html",
            proforma_context(proforma=proforma, base_url=base_url) | _verify(proforma.document, base_url),
        )


def packing_list_pdf(*, proforma: Proforma, base_url: str) -> bytes:
    """The packing list issued with the pro-forma invoice, in English."""
    packing_list = proforma.packing_list
    with translation.override("en"):
        return render_pdf(
            "exports/packing_list.html",
            proforma_context(proforma=proforma, base_url=base_url)
            | {"packing_list": packing_list}
            | _verify(packing_list.document, base_url),
        )


def commercial_invoice_pdf(*, shipment: Shipment, base_url: str) -> bytes:
    """The commercial invoice of a shipped export order, in English: the pro-forma's lines with their HS codes,
    in the currency and in rupiah, the Incoterm, the shipment's date, vessel or flight, B/L or AWB and PEB, and
    the payments received."""
    order = shipment.order
    proforma = order.proforma
    currency = proforma.currency
    payments = [
        {
            "received_on": payment.received_on,
            "amount_idr": payment.amount_idr,
            "foreign": amounts.money_format(payment.amount_foreign, currency)
            if payment.amount_foreign is not None
            else "",
            "reference": payment.reference,
        }
        for payment in order_payments(order=order)
    ]
    with translation.override("en"):
        return render_pdf(
            "exports/commercial_invoice.html",
            proforma_context(proforma=proforma, base_url=base_url)
            | {"shipment": shipment, "order": order, "payments": payments}
            | _verify(shipment.document, base_url),
        )
