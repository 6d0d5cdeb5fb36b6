"""Staff endpoints over stock: locations, where a SKU's units are, transfers, adjustments and counts.

Every write goes through inventory.services, which lock the balances they change; a request for more
units than a location holds answers 409 and saves nothing. References in a body (sku, location, lot)
resolve only within the caller's scope and answer 400 like unknown ones; numbers in a path answer 404.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Body, Query, Router, Status

from binakarya.api.auth import STAFF_AUTH, AuthenticatedRequest
from binakarya.api.common import document_url, location_or_error, unknown_sku, verify_url
from binakarya.api.schemas.common import WRITE_ERRORS, ErrorOut, FieldErrorsOut
from binakarya.api.schemas.inventory import (
    AdjustmentIn,
    AdjustmentOut,
    CountIn,
    CountOut,
    LocationIn,
    LocationListOut,
    LocationOut,
    ReceiveIn,
    StockOut,
    StockQuery,
    TransferIn,
    TransferOut,
)
from binakarya.catalog.models import Variant
from binakarya.core.codes import normalize_code
from binakarya.core.types import Actor
from binakarya.inventory.models import Location, Transfer
from binakarya.inventory.selectors import (
    StockFilter,
    locations_for,
    stock_balances,
    stock_for_sku,
    transfer_for,
    variants_by_sku,
)
from binakarya.inventory.services import (
    location_create,
    stock_adjust,
    stock_count_post,
    transfer_receive,
    transfer_send,
)
from binakarya.organizations.models import Organization
from binakarya.organizations.scoping import INVENTORY_ROLES
from binakarya.organizations.selectors import organization_for, organization_get
from binakarya.production.models import Lot
from binakarya.production.selectors import lot_for, lots_by_code

router = Router(tags=["stock"], auth=STAFF_AUTH)


def unknown_lot(code: str) -> str:
    return _("Unknown lot “%(code)s”.") % {"code": code}


def balance_of(*, user: Actor, lot: Lot, location: Location) -> int:
    balance = stock_balances(
        user=user, filters=StockFilter(lot=lot.code, location=location.code), include_empty=True
    ).first()
    return balance.quantity if balance else 0


# Stock and locations ---------------------------------------------------------------------------


@router.get(
    "/stock",
    response={200: StockOut, 401: ErrorOut, 422: FieldErrorsOut},
    summary="Where the units of one SKU are, by location and lot",
)
def stock(request: AuthenticatedRequest, filters: Query[StockQuery]) -> dict[str, Any]:
    """Locations by code, then lots oldest first; only balances above zero. One query for the rows.

    An unknown SKU, or one outside the caller's scope, answers 200 with no items.
    """
    sku = filters.sku.strip().upper()
    items = [
        {"location": b.location.code, "location_name": b.location.name, "lot": b.lot.code, "quantity": b.quantity}
        for b in stock_for_sku(user=request.auth, sku=sku)
    ]
    return {"sku": sku, "total": sum(item["quantity"] for item in items), "items": items}


@router.get(
    "/locations",
    response={200: LocationListOut, 401: ErrorOut},
    summary="Active stock locations of the caller's organizations",
)
def location_list(request: AuthenticatedRequest) -> dict[str, Any]:
    items = [
        {
            "code": location.code,
            "name": location.name,
            "kind": location.kind,
            "organization": location.organization.slug,
            "outlet": location.outlet.slug if location.outlet else None,
        }
        for location in locations_for(user=request.auth)
    ]
    return {"count": len(items), "items": items}


@router.post(
    "/locations",
    response={201: LocationOut} | WRITE_ERRORS,
    summary="Create a stock location (a store, a showroom, an outlet's shelf, or an event such as a bazaar)",
)
def location_create_api(request: AuthenticatedRequest, payload: LocationIn) -> Status[dict[str, Any]]:
    user = request.auth
    errors: dict[str, list[str]] = {}
    organization = outlet = None
    try:
        organization = organization_for(user=user, slug=payload.organization, roles=INVENTORY_ROLES, oversight=False)
    except Organization.DoesNotExist:
        errors["organization"] = [_("Choose one of your organizations.")]
    if payload.outlet:
        try:
            outlet = organization_get(slug=payload.outlet, kinds=[Organization.Kind.OUTLET])
        except Organization.DoesNotExist:
            errors["outlet"] = [_("Choose the outlet that holds the stock.")]
    if errors or organization is None:
        raise ValidationError(errors)
    location = location_create(
        actor=user, organization=organization, name=payload.name, kind=payload.kind, outlet=outlet
    )
    return Status(
        201,
        {
            "code": location.code,
            "name": location.name,
            "kind": location.kind,
            "organization": organization.slug,
            "outlet": outlet.slug if outlet else None,
        },
    )


@router.post(
    "/stock/adjustments",
    response={201: AdjustmentOut} | WRITE_ERRORS,
    summary="Add or remove units of a lot at a location, with a reason",
)
def adjustment_create(request: AuthenticatedRequest, payload: AdjustmentIn) -> Status[dict[str, Any]]:
    user = request.auth
    errors: dict[str, list[str]] = {}
    lot: Lot | None = None
    try:
        lot = lot_for(user=user, code=payload.lot)
    except Lot.DoesNotExist:
        errors["lot"] = [unknown_lot(payload.lot)]
    location = location_or_error(user=user, code=payload.location, errors=errors)
    if errors or lot is None or location is None:  # either is None only with its error
        raise ValidationError(errors)
    # A refusal names what the location holds of the lot (409, the service's message).
    movement = stock_adjust(actor=user, lot=lot, location=location, quantity=payload.quantity, reason=payload.reason)
    return Status(
        201,
        {
            "lot": lot.code,
            "sku": lot.variant.sku,
            "location": location.code,
            "kind": movement.kind,
            "quantity": movement.quantity,
            "reason": movement.reason,
            "balance": balance_of(user=user, lot=lot, location=location),
        },
    )


@router.post(
    "/stock/counts",
    response={201: CountOut} | WRITE_ERRORS,
    summary="Record a stock count (stock opname) at a location and post the variances",
)
def count_create(request: AuthenticatedRequest, payload: CountIn) -> Status[dict[str, Any]]:
    """Lots not listed keep their book quantity."""
    user = request.auth
    errors: dict[str, list[str]] = {}
    location = location_or_error(user=user, code=payload.location, errors=errors)
    codes = [normalize_code(line.lot) for line in payload.lines]
    lots = lots_by_code(user=user, codes=codes)
    counted: dict[int, int] = {}
    for i, (code, line) in enumerate(zip(codes, payload.lines, strict=True)):
        lot = lots.get(code)
        if lot is None:
            errors[f"lines.{i}.lot"] = [unknown_lot(line.lot)]
        elif lot.pk in counted:
            errors[f"lines.{i}.lot"] = [_("Lot %(code)s is listed twice.") % {"code": code}]
        else:
            counted[lot.pk] = line.counted
    if errors or location is None:  # None only with its error
        raise ValidationError(errors)
    count = stock_count_post(actor=user, location=location, counted=counted, note=payload.note)
    by_id = {lot.pk: lot for lot in lots.values()}
    lines = [
        {
            "lot": by_id[line.lot_id].code,
            "sku": by_id[line.lot_id].variant.sku,
            "book": line.book_quantity,
            "counted": line.counted_quantity,
            "variance": line.variance,
        }
        for line in count.lines.all()  # in the order they were counted (StockCountLine's ordering is by id)
    ]
    return Status(
        201,
        {
            "id": count.pk,
            "location": location.code,
            "note": count.note,
            "variance": sum(line["variance"] for line in lines),
            "lines": lines,
        },
    )


# Transfers -------------------------------------------------------------------------------------


def transfer_out(request: AuthenticatedRequest, transfer: Transfer) -> dict[str, Any]:
    lines = list(transfer.lines.all())
    received = transfer.status != Transfer.Status.IN_TRANSIT
    return {
        "number": transfer.number,
        "status": transfer.status,
        "from_location": transfer.from_location.code,
        "to_location": transfer.to_location.code,
        "note": transfer.note,
        "units": sum(line.quantity_sent for line in lines),
        "discrepancy": sum(line.discrepancy or 0 for line in lines) if received else None,
        "received_at": transfer.received_at,
        "verify_code": transfer.document.verify_code if transfer.document else None,
        "verify_url": verify_url(request, transfer.document),
        "document_url": document_url(request, transfer.document),
        "lines": [
            {
                "sku": line.variant.sku,
                "lot": line.lot.code,
                "quantity": line.quantity_sent,
                "quantity_received": line.quantity_received,
                "discrepancy": line.discrepancy,
            }
            for line in lines
        ],
    }


@router.post(
    "/transfers",
    response={201: TransferOut} | WRITE_ERRORS,
    summary="Send stock to another location (oldest lots first) and issue the surat jalan",
)
def transfer_create(request: AuthenticatedRequest, payload: TransferIn) -> Status[dict[str, Any]]:
    """Either ``sku`` and ``quantity``, or ``lines``. The units wait in transit until received."""
    user = request.auth
    errors: dict[str, list[str]] = {}
    wanted: list[tuple[str, str, int]] = []  # (error field, sku, quantity)
    if payload.lines is not None:
        if payload.sku is not None or payload.quantity is not None:
            errors["lines"] = [_("Send either sku and quantity, or lines, not both.")]
        wanted = [(f"lines.{i}.sku", line.sku, line.quantity) for i, line in enumerate(payload.lines)]
    else:
        if not payload.sku:
            errors["sku"] = [_("Name the SKU to send, or send lines.")]
        if payload.quantity is None:
            errors["quantity"] = [_("Say how many units to send.")]
        if payload.sku and payload.quantity is not None:
            wanted = [("sku", payload.sku, payload.quantity)]
    variants = variants_by_sku(user=user, skus=[sku for _field, sku, _quantity in wanted])
    lines: list[tuple[Variant, int]] = []
    for field, sku, quantity in wanted:
        variant = variants.get(sku.strip().upper())
        if variant is None:
            errors[field] = [unknown_sku(sku)]
        else:
            lines.append((variant, quantity))
    from_location = location_or_error(user=user, code=payload.from_location, errors=errors, field="from_location")
    to_location = location_or_error(user=user, code=payload.to_location, errors=errors, field="to_location")
    if errors or from_location is None or to_location is None:  # either is None only with its error
        raise ValidationError(errors)
    transfer = transfer_send(
        actor=user, from_location=from_location, to_location=to_location, lines=lines, note=payload.note
    )
    return Status(201, transfer_out(request, transfer_for(user=user, number=transfer.number)))


@router.get(
    "/transfers/{number}",
    response={200: TransferOut, 401: ErrorOut, 404: ErrorOut},
    summary="One transfer with its lines",
)
def transfer_detail(request: AuthenticatedRequest, number: str) -> dict[str, Any]:
    return transfer_out(request, transfer_for(user=request.auth, number=number))


@router.post(
    "/transfers/{number}/receive",
    response={200: TransferOut, 404: ErrorOut} | WRITE_ERRORS,
    summary="Confirm what arrived; a shortfall is recorded as a discrepancy",
)
def transfer_receive_view(
    request: AuthenticatedRequest, number: str, payload: Body[ReceiveIn | None] = None
) -> dict[str, Any]:
    """Without ``lines`` everything arrived. With ``lines``, list every lot of the transfer."""
    user = request.auth
    transfer = transfer_for(user=user, number=number)
    received: dict[int, int] | None = None
    if payload is not None and payload.lines is not None:
        by_lot = {line.lot.code: line for line in transfer.lines.all()}
        errors: dict[str, list[str]] = {}
        received = {}
        for i, item in enumerate(payload.lines):
            line = by_lot.get(normalize_code(item.lot))
            if line is None:
                errors[f"lines.{i}.lot"] = [
                    _("Lot %(lot)s is not on %(number)s.") % {"lot": item.lot, "number": transfer.number}
                ]
            elif line.pk in received:
                errors[f"lines.{i}.lot"] = [_("Lot %(code)s is listed twice.") % {"code": line.lot.code}]
            else:
                received[line.pk] = item.quantity_received
        if errors:
            raise ValidationError(errors)
    transfer_receive(actor=user, transfer=transfer, received=received, note=payload.note if payload else "")
    return transfer_out(request, transfer_for(user=user, number=number))
