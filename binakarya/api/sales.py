"""Staff endpoints over sales: record a sale from any channel, read sales, return or cancel them.

Every write calls sales.services, which takes stock first in, first out by lot at the location and
posts one balanced journal entry that credits each maker's premi. Asking for more units than the
location holds answers 409 and saves nothing. References in a body (location, buyer, sku, lot)
resolve only within the caller's scope and answer 400 like unknown ones; a sale number in the path
answers 404.

Who sees sales: the staff of the selling organization and the oversight scopes above it, but not
outlet partners, who see only the sales made at their own outlet's consignment locations.
"""

from collections import defaultdict
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Body, Query, Router, Status

from binakarya.api.auth import STAFF_AUTH, AuthenticatedRequest
from binakarya.api.common import location_or_error
from binakarya.api.schemas.common import MAX_PAGE_SIZE, WRITE_ERRORS, ErrorOut, FieldErrorsOut
from binakarya.api.schemas.sales import (
    ReturnOut,
    ReverseIn,
    SaleIn,
    SaleListOut,
    SaleListQuery,
    SaleOut,
)
from binakarya.core.codes import normalize_code
from binakarya.organizations.models import Organization
from binakarya.sales.models import Sale
from binakarya.sales.selectors import sale_buyer_for, sale_for, sale_return_lines, sales_for
from binakarya.sales.services import (
    SaleLineInput,
    require_returns_recorder,
    require_seller,
    sale_record,
    sale_reverse,
)

router = Router(tags=["sales"], auth=STAFF_AUTH)


def sale_summary(sale: Sale) -> dict[str, Any]:
    return {
        "number": sale.number,
        "organization": sale.organization.slug,
        "location": sale.location.code,
        "channel": sale.channel,
        "buyer": sale.buyer.slug if sale.buyer else None,
        "buyer_name": sale.buyer_name,
        "occurred_at": sale.occurred_at,
        "total_idr": sale.gross_idr,
        "commission_idr": sale.commission_idr,
        "premi_idr": sale.premi_idr,
        "status": sale.status,
    }


def sale_out(sale: Sale) -> dict[str, Any]:
    return sale_summary(sale) | {
        "lines": [
            {
                "sku": line.variant.sku,
                "product": line.variant.product.name,
                "lot": line.lot.code,
                "quantity": line.quantity,
                "returned_quantity": line.returned_quantity,
                "unit_price_idr": line.unit_price_idr,
                "total_idr": line.total_idr,
                "price_reason": line.price_reason,
            }
            for line in sale.lines.all()
        ]
    }


def buyer_or_none(slug: str) -> Organization | None:
    """An active agency or outlet; facilities and producers are tenants, not buyers, and look unknown."""
    try:
        return sale_buyer_for(slug=slug.strip())
    except Organization.DoesNotExist:
        return None


@router.post(
    "/sales",
    response={201: SaleOut} | WRITE_ERRORS,
    summary="Record a sale: stock out first in, first out by lot, one balanced entry, premi to the makers",
)
def sale_create(request: AuthenticatedRequest, payload: SaleIn) -> Status[dict[str, Any]]:
    """Calls sales.services.sale_record. Any 400, 403 or 409 leaves nothing saved.

    A line priced below half or above twice its catalog price answers 400 unless it says ``price_intended``
    and gives a ``price_reason``."""
    user = request.auth
    errors: dict[str, list[str]] = {}
    location = location_or_error(user=user, code=payload.location, errors=errors)
    if location is not None:
        # The rule sale_record applies, checked first so that a viewer gets 403, not field errors.
        require_seller(user, location.organization)
    buyer = None
    if payload.buyer:
        buyer = buyer_or_none(payload.buyer)
        if buyer is None:
            errors["buyer"] = [_("Unknown buyer “%(slug)s”: name an agency or an outlet.") % {"slug": payload.buyer}]
    if errors or location is None:
        raise ValidationError(errors)
    occurred_at = payload.occurred_at
    if occurred_at is not None and timezone.is_naive(occurred_at):
        occurred_at = timezone.make_aware(occurred_at)
    sale = sale_record(
        actor=user,
        location=location,
        channel=payload.channel.strip().upper(),
        lines=[
            SaleLineInput(
                line.sku,
                line.quantity,
                line.unit_price_idr,
                price_intended=line.price_intended,
                price_reason=line.price_reason,
            )
            for line in payload.lines
        ],
        commission_idr=payload.commission_idr,
        occurred_at=occurred_at,
        buyer=buyer,
        buyer_name=payload.buyer_name.strip(),
    )
    return Status(201, sale_out(sale_for(user=user, number=sale.number)))


@router.get(
    "/sales",
    response={200: SaleListOut, 401: ErrorOut, 422: FieldErrorsOut},
    summary="Sales of the caller's organizations, newest first",
)
def sale_list(request: AuthenticatedRequest, filters: Query[SaleListQuery]) -> dict[str, Any]:
    """Two queries besides authentication: the count and the page's rows. Lines are in GET /sales/{number}."""
    page_size = min(filters.page_size, MAX_PAGE_SIZE)
    sales = sales_for(
        user=request.auth, location_code=filters.location.strip(), channel=filters.channel.strip().upper()
    )
    count = sales.count()
    start = (filters.page - 1) * page_size
    items = list(sales[start : start + page_size]) if start < count else []
    return {"count": count, "page": filters.page, "page_size": page_size, "items": [sale_summary(s) for s in items]}


@router.get(
    "/sales/{number}",
    response={200: SaleOut, 401: ErrorOut, 404: ErrorOut},
    summary="One sale with its lines and the lots they came from",
)
def sale_detail(request: AuthenticatedRequest, number: str) -> dict[str, Any]:
    return sale_out(sale_for(user=request.auth, number=number))


def _return_lines(sale: Sale, payload: ReverseIn) -> dict[int, int]:
    """{sale line id: quantity} for the lines asked for, or ValidationError.

    A SKU without a lot takes the units from the sale's newest lot first (the reverse of first in,
    first out), and within one lot from the sale's last line first. Listing a SKU twice is allowed:
    each listing takes from what the ones before it left.
    """
    sale_lines = sorted(sale.lines.all(), key=lambda sl: (sl.lot.finished_date, sl.lot_id, sl.pk), reverse=True)
    left = {sl.pk: sl.quantity - sl.returned_quantity for sl in sale_lines}
    wanted: dict[int, int] = defaultdict(int)
    errors: dict[str, list[str]] = {}
    if not payload.lines:
        raise ValidationError({"lines": [_("List what is returned, or leave lines out to return the whole sale.")]})
    for i, item in enumerate(payload.lines):
        sku = item.sku.strip().upper()
        lot = normalize_code(item.lot) if item.lot else ""
        candidates = [sl for sl in sale_lines if sl.variant.sku == sku]
        if not candidates:
            errors[f"lines.{i}.sku"] = [_("%(sku)s is not on sale %(number)s.") % {"sku": sku, "number": sale.number}]
            continue
        if lot:
            candidates = [sl for sl in candidates if sl.lot.code == lot]
            if not candidates:
                errors[f"lines.{i}.lot"] = [
                    _("Lot %(lot)s of %(sku)s is not on sale %(number)s.")
                    % {"lot": item.lot, "sku": sku, "number": sale.number}
                ]
                continue
        available = sum(left[sl.pk] for sl in candidates)
        if item.quantity < 1:
            errors[f"lines.{i}.quantity"] = [_("Return at least one unit.")]
        elif item.quantity > available:
            errors[f"lines.{i}.quantity"] = [
                _("At most %(left)s of %(what)s can still be returned from sale %(number)s.")
                % {"left": available, "what": f"{sku} {lot}".strip(), "number": sale.number}
            ]
        else:
            quantity = item.quantity
            for sl in candidates:
                take = min(left[sl.pk], quantity)
                if take:
                    wanted[sl.pk] += take
                    left[sl.pk] -= take
                    quantity -= take
    if errors:
        raise ValidationError(errors)
    return dict(wanted)


@router.post(
    "/sales/{number}/reverse",
    response={200: ReturnOut, 404: ErrorOut} | WRITE_ERRORS,
    summary="Return or cancel all of a sale, or some of its units",
)
def sale_reverse_view(
    request: AuthenticatedRequest, number: str, payload: Body[ReverseIn | None] = None
) -> dict[str, Any]:
    """Without ``lines`` the whole sale (what is left of it) is returned. Calls sales.services.sale_reverse."""
    user = request.auth
    payload = payload or ReverseIn(lines=None, reason="")
    sale = sale_for(user=user, number=number)
    require_returns_recorder(user, sale.organization)
    lines = _return_lines(sale, payload) if payload.lines is not None else None
    sale_return = sale_reverse(actor=user, sale=sale, lines=lines, reason=payload.reason.strip())
    # The service updated the status on its own (locked) copy of the sale, which the return points at.
    returned_lines = sale_return_lines(sale_return=sale_return)
    return {
        "number": sale.number,
        "status": sale_return.sale.status,
        "reason": sale_return.reason,
        "occurred_at": sale_return.occurred_at,
        "lines": [
            {
                "sku": rl.sale_line.variant.sku,
                "lot": rl.sale_line.lot.code,
                "quantity": rl.quantity,
                "unit_price_idr": rl.sale_line.unit_price_idr,
            }
            for rl in returned_lines
        ],
    }
