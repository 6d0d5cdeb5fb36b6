"""Printable documents: the hang-tag sheet of a lot and the surat jalan of a transfer."""

from typing import Any

from django.urls import reverse
from django.utils import translation

from binakarya.documents.models import Document
from binakarya.documents.pdf import qr_data_uri, render_pdf


def _verify(document: Document, base_url: str) -> dict[str, str]:
    url = base_url + reverse("storefront:verify", kwargs={"code": document.verify_code})
    return {"verify_url": url, "verify_qr": qr_data_uri(url, scale=3), "verify_code": document.verify_code}


def tag_sheet_pdf(*, document: Document, lot: Any, base_url: str) -> bytes:
    """An A4 sheet of hang tags; each names the product, price, producer and lot, with a QR to /lacak/."""
    product = lot.variant.product
    producer = product.producer
    # Tags are read by buyers in Indonesia: printed in Indonesian whatever the staff member's language.
    with translation.override("id"):
        trace_url = base_url + reverse("storefront:trace", kwargs={"code": lot.code})
        tag = {
            "product": product.name,
            "variant": lot.variant.name,
            "price_idr": lot.variant.price_idr,
            "producer": producer.name,
            "organization": lot.organization.name if lot.group_id else "",
            "code": lot.code,
            "trace_url": trace_url,
            "qr": qr_data_uri(trace_url, scale=4),
        }
        count = int(document.public_figures.get("tags", lot.quantity_passed))
        return render_pdf(
            "documents/tag_sheet.html",
            {"document": document, "tags": [tag] * count, "lot": lot} | _verify(document, base_url),
        )


def surat_jalan_pdf(*, transfer: Any, base_url: str) -> bytes:
    document = transfer.document
    lines = list(transfer.lines.select_related("lot", "variant__product").order_by("pk"))
    with translation.override("id"):
        return render_pdf(
            "documents/surat_jalan.html",
            {
                "document": document,
                "transfer": transfer,
                "lines": lines,
                "units": sum(line.quantity_sent for line in lines),
            }
            | _verify(document, base_url),
        )


def premi_statement_pdf(*, document: Document, maker: Any, lines: list, balance_idr: int, base_url: str) -> bytes:
    """A maker's own statement: every sale that credited them, and their balance. Staff and the maker only."""
    with translation.override("id"):
        return render_pdf(
            "documents/premi_statement.html",
            {"document": document, "maker": maker, "lines": lines, "balance_idr": balance_idr}
            | _verify(document, base_url),
        )


def payout_slip_pdf(*, payout: Any, base_url: str) -> bytes:
    with translation.override("id"):
        return render_pdf(
            "documents/payout_slip.html",
            {"document": payout.document, "payout": payout} | _verify(payout.document, base_url),
        )


def consignment_statement_context(*, document: Document, statement: Any, issued: Any, base_url: str) -> dict[str, Any]:
    """What the consignment statement prints: the seller, the outlet, the period, each product and lot sold
    with its money, the payments and the balance (never a maker: the lines carry SKU, product and lot)."""
    agreement = statement.agreement
    with translation.override("id"):
        verify = _verify(document, base_url)
    return {
        "document": document,
        "seller": agreement.organization.name,
        "outlet": agreement.outlet.name,
        "statement": statement,
        "issued": issued,
        "units": sum(line.units for line in statement.lines),
    } | verify


def consignment_statement_pdf(*, document: Document, statement: Any, issued: Any, base_url: str) -> bytes:
    """The statement both sides of a consignment agreement hold, in Indonesian."""
    with translation.override("id"):
        return render_pdf(
            "documents/consignment_statement.html",
            consignment_statement_context(document=document, statement=statement, issued=issued, base_url=base_url),
        )


def consignment_return_context(*, consignment_return: Any, base_url: str) -> dict[str, Any]:
    """What a return or recall prints: the seller, the outlet, where the goods go, each lot with its units and
    price, the value and the verification code (never a maker: a line carries SKU, product and lot)."""
    document = consignment_return.transfer.document
    agreement = consignment_return.agreement
    lines = [
        {
            "sku": line.variant.sku,
            "product": line.variant.product.name,
            "lot": line.lot.code,
            "quantity": line.quantity,
            "unit_price_idr": line.unit_price_idr,
            "value_idr": line.quantity * line.unit_price_idr,
        }
        for line in consignment_return.lines.all()
    ]
    with translation.override("id"):
        verify = _verify(document, base_url)
    return {
        "document": document,
        "recall": consignment_return.kind == "RECALL",
        "seller": agreement.organization.name,
        "outlet": agreement.outlet.name,
        "to_location": consignment_return.transfer.to_location.name,
        "reason": consignment_return.reason,
        "lines": lines,
        "units": sum(line["quantity"] for line in lines),
        "value_idr": sum(line["value_idr"] for line in lines),
    } | verify


def consignment_return_pdf(*, consignment_return: Any, base_url: str) -> bytes:
    """The return's (or recall's) document both sides sign, in Indonesian."""
    with translation.override("id"):
        return render_pdf(
            "documents/consignment_return.html",
            consignment_return_context(consignment_return=consignment_return, base_url=base_url),
        )


def consignment_history_context(*, history: Any) -> dict[str, Any]:
    """What the printable history of an agreement prints (the review selector's History; never a maker)."""
    agreement = history.agreement
    return {
        "history": history,
        "agreement": agreement,
        "seller": agreement.organization.name,
        "outlet": agreement.outlet.name,
        "commission_percent": agreement.commission_bp / 100 if agreement.commission_bp is not None else None,
        "gross_idr": sum(p.gross_idr for p in history.periods),
        "net_idr": sum(p.net_idr for p in history.periods),
    }


def consignment_history_pdf(*, history: Any) -> bytes:
    with translation.override("id"):
        return render_pdf("documents/consignment_history.html", consignment_history_context(history=history))


def consignment_receipt_pdf(*, placement: Any, base_url: str) -> bytes:
    """The tanda terima titipan of a placement, in Indonesian: the seller, the outlet, the date, each lot with its
    quantity and agreed price, the total value, a signature box for each side and the verification code with
    its QR (the placement's surat jalan document). Never a maker: lots are named by their code."""
    agreement = placement.agreement
    transfer = placement.transfer
    prices = {line.variant_id: line.unit_price_idr for line in placement.lines.all()}
    rows = [
        {
            "sku": line.variant.sku,
            "product": line.variant.product.name,
            "variant": line.variant.name,
            "lot": line.lot.code,
            "quantity": line.quantity_sent,
            "price_idr": prices.get(line.variant_id, 0),
            "value_idr": line.quantity_sent * prices.get(line.variant_id, 0),
        }
        for line in transfer.lines.select_related("lot", "variant__product").order_by("pk")
    ]
    with translation.override("id"):
        return render_pdf(
            "documents/consignment_receipt.html",
            {
                "document": transfer.document,
                "number": transfer.number,
                "seller": agreement.organization,
                "outlet": agreement.outlet,
                "location": agreement.location,
                "date": transfer.created_at,
                "rows": rows,
                "units": sum(row["quantity"] for row in rows),
                "total_idr": sum(row["value_idr"] for row in rows),
                "note": transfer.note,
            }
            | _verify(transfer.document, base_url),
        )


def quotation_pdf(*, quotation: Any, base_url: str) -> bytes:
    """The surat penawaran harga, in Indonesian: kop surat, number, place and date, the buyer, each line with its
    price, discount, PPN and total, validity, delivery time, down payment, the contract document the value needs,
    the seller's signature and the verification code. Never a maker: lines carry product and SKU."""
    with translation.override("id"):
        return render_pdf(
            "documents/quotation.html",
            {
                "quotation": quotation,
                "seller": quotation.organization,
                "rfq": quotation.rfq,
                "lines": list(quotation.lines.select_related("variant").order_by("pk")),
                "contract_form": quotation.get_contract_form_display(),
                "discount_percent": _percent(quotation.discount_bp),
                "ppn_percent": _percent(quotation.ppn_rate_bp),
            }
            | _verify(quotation.document, base_url),
        )


def _percent(bp: int) -> str:
    """Basis points as an Indonesian percentage: 1100 -> "11", 1250 -> "12,5"."""
    whole, rest = divmod(bp, 100)
    return f"{whole},{rest:02d}".rstrip("0").rstrip(",") if rest else str(whole)
