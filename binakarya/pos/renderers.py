"""What a till receipt and a session's closing report show, as HTML (a 58 mm thermal printer) and as PDF.

Both are for buyers and cashiers: they name the products, lots and prices, never who made an item. Each
item carries the QR of its lot's public page (/lacak/<code>/), each document its verification code.
"""

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils import translation

from binakarya.documents.pdf import qr_data_uri, render_pdf
from binakarya.pos.models import PosSale, PosSession
from binakarya.pos.selectors import receipt_lines, session_sales, session_totals


@dataclass(frozen=True)
class ReceiptLine:
    product: str
    sku: str
    lot_code: str
    quantity: int
    unit_price_idr: int
    total_idr: int
    trace_url: str
    trace_qr: str


def _verify(document: Any, base_url: str) -> dict[str, str]:
    url = base_url + reverse("storefront:verify", kwargs={"code": document.verify_code})
    return {"verify_url": url, "verify_qr": qr_data_uri(url, scale=3), "verify_code": document.verify_code}


def receipt_context(*, pos_sale: PosSale, base_url: str) -> dict[str, Any]:
    """The receipt's content: the seller, the place, the items with the QR of their lot, the payment."""
    lines = []
    for line in receipt_lines(pos_sale=pos_sale):
        product = line.variant.product.name + (f" ({line.variant.name})" if line.variant.name else "")
        trace_url = base_url + reverse("storefront:trace", kwargs={"code": line.lot.code})
        lines.append(
            ReceiptLine(
                product,
                line.variant.sku,
                line.lot.code,
                line.quantity,
                line.unit_price_idr,
                line.total_idr,
                trace_url,
                qr_data_uri(trace_url, scale=2),
            )
        )
    session = pos_sale.session
    return {
        "pos_sale": pos_sale,
        "sale": pos_sale.sale,
        "session": session,
        "organization": pos_sale.organization,
        "location": session.location,
        "lines": lines,
        "units": sum(line.quantity for line in lines),
    } | _verify(pos_sale.receipt, base_url)


# WeasyPrint has no page of "auto" height: a PDF's page is as long as its content, estimated (in mm).
RECEIPT_BASE_MM, RECEIPT_LINE_MM = 75, 24
CLOSING_BASE_MM, CLOSING_SALE_MM = 95, 5


def receipt_pdf(*, pos_sale: PosSale, base_url: str) -> bytes:
    with translation.override("id"):
        context = receipt_context(pos_sale=pos_sale, base_url=base_url)
        context["page_height_mm"] = RECEIPT_BASE_MM + RECEIPT_LINE_MM * len(context["lines"])
        return render_pdf("pos/receipt_pdf.html", context)


def closing_context(*, session: PosSession, base_url: str) -> dict[str, Any]:
    """The closing report's content: the session, its sales by number and payment, the cash count."""
    context: dict[str, Any] = {
        "session": session,
        "organization": session.organization,
        "location": session.location,
        "sales": list(session_sales(session=session)),
        "totals": session_totals(session=session),
    }
    if session.closing_document is not None:
        context |= _verify(session.closing_document, base_url)
    return context


def closing_pdf(*, session: PosSession, base_url: str) -> bytes:
    with translation.override("id"):
        context = closing_context(session=session, base_url=base_url)
        context["page_height_mm"] = CLOSING_BASE_MM + CLOSING_SALE_MM * max(len(context["sales"]), 1)
        return render_pdf("pos/closing_pdf.html", context)
