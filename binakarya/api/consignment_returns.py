"""Consignment endpoints at the outlet's shelf: returns and recalls, damage, counts (stock opname), the
review and the printable history. Mounted with the other consignment paths under /api/v1/consignments.

An agreement anyone else asks about is 404, on every endpoint. A recall, damage and counts are the
seller's staff's (403 for the outlet's partner); a return may also be started by the outlet's partner, and
then stays in transit until the seller's staff confirm it (``POST .../returns/{id}/receive``). More than
the outlet holds is 409 naming the SKU; nothing is saved on any error. No answer names a maker.
"""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status

from binakarya.api.auth import STAFF_AUTH, AuthenticatedRequest
from binakarya.api.common import location_or_error, verify_url
from binakarya.api.schemas.common import WRITE_ERRORS, ErrorOut, FieldErrorsOut, IdParam, IsoDate, PositiveUnits, Units
from binakarya.api.schemas.consignments import ReceiptIn
from binakarya.consignment.models import ConsignmentReturn, DamageRecord, OutletCount
from binakarya.consignment.returns import (
    CountLineInput,
    ShelfLine,
    consignment_return_create,
    consignment_return_receive,
    outlet_count_post,
    outlet_damage_record,
)
from binakarya.consignment.review import (
    agreement_history,
    agreement_review,
    consignment_return_for,
    returns_for,
)
from binakarya.consignment.selectors import agreement_for
from binakarya.documents.renderers import consignment_history_pdf, consignment_return_pdf

router = Router(tags=["consignment"], auth=STAFF_AUTH)

READ_ERRORS = {401: ErrorOut, 404: ErrorOut, 422: FieldErrorsOut}


class ShelfLineIn(Schema):
    sku: str = Field(max_length=64)
    quantity: PositiveUnits
    lot: str = Field("", max_length=12, description="The lot code; empty: the oldest units on the shelf first")


class ReturnIn(Schema):
    kind: str = Field(description="RETURN (the outlet hands goods back) or RECALL (the seller takes them back)")
    lines: list[ShelfLineIn] = Field(max_length=500)
    to_location: str = Field("", max_length=60, description="A seller location's code; empty: the seller's store")
    reason: str = Field("", max_length=200)


class ReturnLineOut(Schema):
    sku: str
    product: str
    lot: str
    quantity: int
    unit_price_idr: int


class ReturnOut(Schema):
    id: int
    agreement: int
    kind: str
    number: str
    status: str
    to_location: str
    reason: str
    verify_code: str | None
    verify_url: str | None
    pdf_url: str
    value_idr: int
    lines: list[ReturnLineOut]
    transfer_lines: list[dict[str, Any]]


class ReturnListOut(Schema):
    count: int
    items: list[ReturnOut]


class DamageIn(Schema):
    lines: list[ShelfLineIn] = Field(max_length=500)
    note: str = Field("", max_length=200)


class DamageOut(Schema):
    id: int
    sku: str
    lot: str
    quantity: int
    borne_by: str
    sale: str | None = Field(None, description="The sale number when charged to the outlet")
    written_off: bool


class DamageListOut(Schema):
    count: int
    items: list[DamageOut]


class CountLineIn(Schema):
    sku: str = Field(max_length=64)
    lot: str = Field(max_length=12)
    counted: Units


class CountIn(Schema):
    lines: list[CountLineIn] = Field(max_length=2000)
    note: str = Field("", max_length=200)
    counted_date: IsoDate | None = None


class CountLineOut(Schema):
    sku: str
    lot: str
    book_quantity: int
    counted_quantity: int
    outcome: str


class CountOut(Schema):
    id: int
    agreement: int
    counted_date: datetime.date
    shortage_borne_by: str
    shortage_units: int
    surplus_units: int
    charged_idr: int
    sale: str | None
    lines: list[CountLineOut]


class ReviewQuery(Schema):
    slow_days: int = Field(60, ge=1, le=365)
    recent_days: int = Field(30, ge=1, le=365)


class ReviewRowOut(Schema):
    sku: str
    product: str
    placed: int
    sold: int
    on_hand: int
    sell_through_pct: int | None
    oldest_days: int | None
    average_days: int | None
    sold_recent: int
    slow: bool
    suggested_restock: int


class ReviewOut(Schema):
    agreement: int
    window_from: datetime.date
    window_to: datetime.date
    next_review: datetime.date
    slow_days: int
    recent_days: int
    items: list[ReviewRowOut]
    slow_sellers: list[str]
    best_sellers: list[str]


def return_out(request: HttpRequest, returned: ConsignmentReturn) -> dict[str, Any]:
    transfer = returned.transfer
    document = transfer.document
    lines = list(returned.lines.all())
    pdf = reverse(
        "api:consignment_return_pdf", kwargs={"agreement_id": returned.agreement_id, "return_id": returned.pk}
    )
    return {
        "id": returned.pk,
        "agreement": returned.agreement_id,
        "kind": returned.kind,
        "number": transfer.number,
        "status": transfer.status,
        "to_location": transfer.to_location.code,
        "reason": returned.reason,
        "verify_code": document.verify_code if document else None,
        "verify_url": verify_url(request, document),
        "pdf_url": request.build_absolute_uri(pdf),
        "value_idr": sum(line.quantity * line.unit_price_idr for line in lines),
        "lines": [
            {
                "sku": line.variant.sku,
                "product": line.variant.product.name,
                "lot": line.lot.code,
                "quantity": line.quantity,
                "unit_price_idr": line.unit_price_idr,
            }
            for line in lines
        ],
        "transfer_lines": [
            {
                "id": line.pk,
                "sku": line.variant.sku,
                "lot": line.lot.code,
                "quantity_sent": line.quantity_sent,
                "quantity_received": line.quantity_received,
            }
            for line in transfer.lines.all()
        ],
    }


def damage_out(record: DamageRecord) -> dict[str, Any]:
    return {
        "id": record.pk,
        "sku": record.variant.sku,
        "lot": record.lot.code,
        "quantity": record.quantity,
        "borne_by": record.borne_by,
        "sale": record.sale.sale.number if record.sale else None,
        "written_off": record.movement_id is not None,
    }


def count_out(count: OutletCount) -> dict[str, Any]:
    return {
        "id": count.pk,
        "agreement": count.agreement_id,
        "counted_date": count.counted_date,
        "shortage_borne_by": count.shortage_borne_by,
        "shortage_units": count.shortage_units,
        "surplus_units": count.surplus_units,
        "charged_idr": count.charged_idr,
        "sale": count.sale.sale.number if count.sale else None,
        "lines": [
            {
                "sku": line.variant.sku,
                "lot": line.lot.code,
                "book_quantity": line.book_quantity,
                "counted_quantity": line.counted_quantity,
                "outcome": line.outcome,
            }
            for line in count.lines.all()
        ],
    }


def _shelf_lines(lines: list[ShelfLineIn]) -> list[ShelfLine]:
    return [ShelfLine(line.sku, line.quantity, line.lot) for line in lines]


@router.post(
    "/consignments/{agreement_id}/returns",
    response={201: ReturnOut, 404: ErrorOut} | WRITE_ERRORS,
    summary="Bring goods back from the outlet: a RETURN (partner or staff) or a RECALL (seller's staff)",
)
def return_create(request: AuthenticatedRequest, agreement_id: IdParam, payload: ReturnIn) -> Status[dict[str, Any]]:
    """The seller's staff's are received at their store at once; the partner's stay in transit until the
    staff confirm. 409 naming the SKU when the outlet holds fewer units; nothing is saved."""
    user = request.auth
    agreement = agreement_for(user=user, pk=agreement_id)
    to_location = None
    if payload.to_location.strip():
        errors: dict[str, list[str]] = {}
        to_location = location_or_error(user=user, code=payload.to_location, errors=errors, field="to_location")
        if to_location is None:
            raise ValidationError(errors)
    returned = consignment_return_create(
        actor=user,
        agreement=agreement,
        kind=payload.kind.strip().upper(),
        lines=_shelf_lines(payload.lines),
        to_location=to_location,
        reason=payload.reason,
    )
    return Status(201, return_out(request, consignment_return_for(user=user, agreement=agreement, pk=returned.pk)))


@router.get(
    "/consignments/{agreement_id}/returns",
    response={200: ReturnListOut} | READ_ERRORS,
    summary="The returns and recalls of an agreement, latest first (both sides)",
)
def return_list(request: AuthenticatedRequest, agreement_id: IdParam) -> dict[str, Any]:
    agreement = agreement_for(user=request.auth, pk=agreement_id)
    items = [return_out(request, r) for r in returns_for(user=request.auth, agreement=agreement)]
    return {"count": len(items), "items": items}


@router.post(
    "/consignments/{agreement_id}/returns/{return_id}/receive",
    response={200: ReturnOut, 404: ErrorOut} | WRITE_ERRORS,
    summary="The seller's staff confirm a returned consignment arrived (all of it, or per transfer line)",
)
def return_receive(
    request: AuthenticatedRequest, agreement_id: IdParam, return_id: IdParam, payload: ReceiptIn
) -> dict[str, Any]:
    user = request.auth
    agreement = agreement_for(user=user, pk=agreement_id)
    returned = consignment_return_for(user=user, agreement=agreement, pk=return_id)
    received = None
    if payload.lines is not None:
        received = {line.line: line.quantity_received for line in payload.lines}
    consignment_return_receive(actor=user, consignment_return=returned, received=received, note=payload.note)
    return return_out(request, consignment_return_for(user=user, agreement=agreement, pk=return_id))


@router.get(
    "/consignments/{agreement_id}/returns/{return_id}/pdf",
    response={200: None, 401: ErrorOut, 404: ErrorOut},
    url_name="consignment_return_pdf",
    summary="The PDF of a return or recall: each lot, units and price, with its verification code (both sides)",
    openapi_extra={"responses": {200: {"description": "The PDF", "content": {"application/pdf": {}}}}},
)
def return_pdf(request: AuthenticatedRequest, agreement_id: IdParam, return_id: IdParam) -> HttpResponse:
    agreement = agreement_for(user=request.auth, pk=agreement_id)
    returned = consignment_return_for(user=request.auth, agreement=agreement, pk=return_id)
    pdf = consignment_return_pdf(consignment_return=returned, base_url=request.build_absolute_uri("/")[:-1])
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{returned.transfer.number}.pdf"'
    return response


@router.post(
    "/consignments/{agreement_id}/damage",
    response={201: DamageListOut, 404: ErrorOut} | WRITE_ERRORS,
    summary="Record units damaged at the outlet (seller's staff): charged to the outlet or written off",
)
def damage_create(request: AuthenticatedRequest, agreement_id: IdParam, payload: DamageIn) -> Status[dict[str, Any]]:
    """Per the agreement's ``damage_borne_by``: OUTLET charges them as a sale at the agreement's terms (the
    outlet owes the net), SELLER writes them off at the outlet location (no money)."""
    user = request.auth
    agreement = agreement_for(user=user, pk=agreement_id)
    records = outlet_damage_record(
        actor=user, agreement=agreement, lines=_shelf_lines(payload.lines), note=payload.note
    )
    return Status(201, {"count": len(records), "items": [damage_out(r) for r in records]})


@router.post(
    "/consignments/{agreement_id}/counts",
    response={201: CountOut, 404: ErrorOut} | WRITE_ERRORS,
    summary="Post a count of the outlet's shelf (seller's staff): shortage charged or written off, surplus in",
)
def count_create(request: AuthenticatedRequest, agreement_id: IdParam, payload: CountIn) -> Status[dict[str, Any]]:
    """Per the agreement's ``shortage_borne_by``; lots not listed are left as they are. All or nothing."""
    user = request.auth
    agreement = agreement_for(user=user, pk=agreement_id)
    count = outlet_count_post(
        actor=user,
        agreement=agreement,
        lines=[CountLineInput(line.sku, line.lot, line.counted) for line in payload.lines],
        note=payload.note,
        counted_date=payload.counted_date,
    )
    return Status(201, count_out(count))


@router.get(
    "/consignments/{agreement_id}/review",
    response={200: ReviewOut} | READ_ERRORS,
    summary="The shelf's review per product: sell-through, days on the shelf, slow sellers, restock suggestions",
)
def review_read(request: AuthenticatedRequest, agreement_id: IdParam, filters: Query[ReviewQuery]) -> dict[str, Any]:
    agreement = agreement_for(user=request.auth, pk=agreement_id)
    review = agreement_review(
        user=request.auth, agreement=agreement, slow_days=filters.slow_days, recent_days=filters.recent_days
    )
    return {
        "agreement": agreement.pk,
        "window_from": review.window_from,
        "window_to": review.window_to,
        "next_review": review.next_review,
        "slow_days": review.slow_days,
        "recent_days": review.recent_days,
        "items": [row.__dict__ for row in review.rows],
        "slow_sellers": [row.sku for row in review.slow_sellers],
        "best_sellers": [row.sku for row in review.best_sellers],
    }


@router.get(
    "/consignments/{agreement_id}/history/pdf",
    response={200: None, 401: ErrorOut, 404: ErrorOut},
    summary="The agreement's printable history: terms, placements, sales per period, returns, damage, counts, "
    "statements and payments (both sides)",
    openapi_extra={"responses": {200: {"description": "The PDF", "content": {"application/pdf": {}}}}},
)
def history_pdf(request: AuthenticatedRequest, agreement_id: IdParam) -> HttpResponse:
    agreement = agreement_for(user=request.auth, pk=agreement_id)
    pdf = consignment_history_pdf(history=agreement_history(user=request.auth, agreement=agreement))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="riwayat-titip-jual-{agreement.pk}.pdf"'
    return response
