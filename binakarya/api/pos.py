"""Staff endpoints of the point of sale: open and close cashier sessions, ring up sales.

A sale calls pos.services.pos_sale_record, which ends in sales.services.sale_record (channel POS, from the
session's location, at catalog prices). A line naming a ``lot`` takes its units from that lot (the hang
tag scanned); a line naming a ``sku`` takes first in, first out. Too few units answer 409 naming the SKU.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from binakarya.api.auth import STAFF_AUTH, AuthenticatedRequest
from binakarya.api.common import location_or_error, verify_url
from binakarya.api.schemas.common import MAX_PAGE_SIZE, WRITE_ERRORS, ErrorOut, FieldErrorsOut, IdParam
from binakarya.api.schemas.pos import (
    PosSaleIn,
    PosSaleOut,
    SessionCloseIn,
    SessionListOut,
    SessionListQuery,
    SessionOpenIn,
    SessionOut,
)
from binakarya.pos.models import PosSale, PosSession
from binakarya.pos.selectors import receipt_lines, session_for, session_totals, sessions_for
from binakarya.pos.services import (
    PosLineInput,
    pos_sale_record,
    pos_session_close,
    pos_session_open,
    require_session_hand,
)
from binakarya.sales.services import require_seller

router = Router(tags=["pos"], auth=STAFF_AUTH)


def session_out(request: HttpRequest, session: PosSession) -> dict[str, Any]:
    totals = session_totals(session=session)
    document = session.closing_document
    return {
        "id": session.pk,
        "number": session.number,
        "organization": session.organization.slug,
        "location": session.location.code,
        "cashier": session.cashier.get_username(),
        "status": session.status,
        "opened_at": session.opened_at,
        "opening_cash_idr": session.opening_cash_idr,
        "closed_at": session.closed_at,
        "sales_count": totals.count,
        "cash_sales_idr": totals.cash_idr,
        "qris_sales_idr": totals.qris_idr,
        "expected_cash_idr": session.expected_cash_idr,
        "counted_cash_idr": session.counted_cash_idr,
        "difference_idr": session.difference_idr,
        "note": session.note,
        "closing_verify_code": document.verify_code if document else None,
        "closing_verify_url": verify_url(request, document),
    }


def pos_sale_out(request: HttpRequest, pos_sale: PosSale) -> dict[str, Any]:
    return {
        "number": pos_sale.sale.number,
        "session": pos_sale.session_id,
        "location": pos_sale.session.location.code,
        "payment_method": pos_sale.payment_method,
        "total_idr": pos_sale.total_idr,
        "cash_received_idr": pos_sale.cash_received_idr,
        "change_idr": pos_sale.change_idr,
        "premi_idr": pos_sale.sale.premi_idr,
        "receipt_verify_code": pos_sale.receipt.verify_code,
        "receipt_verify_url": verify_url(request, pos_sale.receipt),
        "lines": [
            {
                "sku": line.variant.sku,
                "product": line.variant.product.name,
                "lot": line.lot.code,
                "quantity": line.quantity,
                "unit_price_idr": line.unit_price_idr,
                "total_idr": line.total_idr,
            }
            for line in receipt_lines(pos_sale=pos_sale)
        ],
    }


@router.post(
    "/pos/sessions",
    response={201: SessionOut} | WRITE_ERRORS,
    summary="Open a cashier session at a showroom, store or event location",
)
def session_open(request: AuthenticatedRequest, payload: SessionOpenIn) -> Status[dict[str, Any]]:
    user = request.auth
    errors: dict[str, list[str]] = {}
    location = location_or_error(user=user, code=payload.location, errors=errors)
    if location is None:
        raise ValidationError(errors)
    require_seller(user, location.organization)
    session = pos_session_open(actor=user, location=location, opening_cash_idr=payload.opening_cash_idr)
    return Status(201, session_out(request, session_for(user=user, pk=session.pk)))


@router.post(
    "/pos/sessions/{session_id}/close",
    response={200: SessionOut, 404: ErrorOut} | WRITE_ERRORS,
    summary="Close a session with the cash counted: expected cash, difference and the closing report",
)
def session_close(request: AuthenticatedRequest, session_id: IdParam, payload: SessionCloseIn) -> dict[str, Any]:
    user = request.auth
    session = session_for(user=user, pk=session_id)
    require_session_hand(user, session)
    pos_session_close(actor=user, session=session, counted_cash_idr=payload.counted_cash_idr, note=payload.note)
    return session_out(request, session_for(user=user, pk=session_id))


@router.get(
    "/pos/sessions",
    response={200: SessionListOut, 401: ErrorOut, 422: FieldErrorsOut},
    summary="Cashier sessions of the caller's organizations, newest first",
)
def session_list(request: AuthenticatedRequest, filters: Query[SessionListQuery]) -> dict[str, Any]:
    page_size = min(filters.page_size, MAX_PAGE_SIZE)
    sessions = sessions_for(
        user=request.auth, status=filters.status.strip().upper(), location_code=filters.location.strip()
    )
    count = sessions.count()
    start = (filters.page - 1) * page_size
    items = list(sessions[start : start + page_size]) if start < count else []
    return {
        "count": count,
        "page": filters.page,
        "page_size": page_size,
        "items": [session_out(request, s) for s in items],
    }


@router.get(
    "/pos/sessions/{session_id}",
    response={200: SessionOut, 401: ErrorOut, 404: ErrorOut, 422: FieldErrorsOut},
    summary="One cashier session with its totals",
)
def session_detail(request: AuthenticatedRequest, session_id: IdParam) -> dict[str, Any]:
    return session_out(request, session_for(user=request.auth, pk=session_id))


@router.post(
    "/pos/sales",
    response={201: PosSaleOut, 404: ErrorOut} | WRITE_ERRORS,
    summary="Ring up a sale in an open session: by lot code (that lot) or SKU, paid in cash or by QRIS",
)
def pos_sale_create(request: AuthenticatedRequest, payload: PosSaleIn) -> Status[dict[str, Any]]:
    """Any 400, 403 or 409 leaves nothing saved. A session outside the caller's scope is 404."""
    user = request.auth
    session = session_for(user=user, pk=payload.session)
    require_session_hand(user, session)
    errors: dict[str, list[str]] = {}
    lines = []
    for i, line in enumerate(payload.lines):
        lot, sku = (line.lot or "").strip(), (line.sku or "").strip()
        if bool(lot) == bool(sku):
            errors[f"lines.{i}"] = [_("Name either a lot or a SKU.")]
        lines.append(PosLineInput(lot or sku, line.quantity, "lot" if lot else "sku"))
    if errors:
        raise ValidationError(errors)
    pos_sale = pos_sale_record(
        actor=user,
        session=session,
        lines=lines,
        payment_method=payload.payment_method.strip().upper(),
        cash_received_idr=payload.cash_received_idr,
    )
    return Status(201, pos_sale_out(request, pos_sale))
