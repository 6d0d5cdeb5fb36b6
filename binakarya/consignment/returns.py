"""Consignment writes at the outlet's shelf: returns and recalls, damage, and counts (stock opname).

Stock moves only through ``inventory.services`` (``transfer_send``/``transfer_receive`` to bring goods
back, ``stock_damage`` to write damaged units off, ``stock_count_post`` for a count's write-off and
surplus) and money only through ``consignment.services.outlet_sale_record`` (damage or a shortage the
outlet bears is charged as a sale at the agreement's terms, so premi follow and the receivable grows by the
net). Each service is one transaction: on any error nothing is saved.

Who may act:

- a RECALL (the seller takes goods back), damage and counts: the seller's staff who record sales
  (``is_seller_staff``);
- a RETURN (the outlet hands goods back): the seller's staff, or the outlet's partner. A partner's return
  leaves the units in transit (they are on their way to the seller) until the seller's staff confirm
  receipt with ``consignment_return_receive``; a return or recall by the seller's staff is received at
  once (they take the goods with them), unless ``receive=False``.

The inventory services check their own right (``inventory.manage``), which a sales clerk or a partner
may not have: once this module has checked the caller, they are called as the system and the row and the
audit event name who acted (as ``placement_receive`` does).
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from binakarya.catalog.models import Variant
from binakarya.consignment.models import (
    Agreement,
    ConsignmentReturn,
    ConsignmentReturnLine,
    DamageRecord,
    OutletCount,
    OutletCountLine,
)
from binakarya.consignment.services import (
    OutletSaleLine,
    is_outlet_partner,
    is_seller_staff,
    outlet_sale_record,
)
from binakarya.consignment.terms import shelf_price
from binakarya.core.audit import AuditAction, audit_record
from binakarya.core.types import Actor, user_of
from binakarya.inventory.fifo import InsufficientStock
from binakarya.inventory.locks import balances_lock
from binakarya.inventory.models import Location, StockBalance
from binakarya.inventory.services import stock_count_post, stock_damage, transfer_receive, transfer_send
from binakarya.production.models import Lot

__all__ = [
    "CountLineInput",
    "ShelfLine",
    "consignment_return_create",
    "consignment_return_receive",
    "outlet_count_post",
    "outlet_damage_record",
    "seller_return_location",
]

NOTE_MAX = 200


@dataclass(frozen=True)
class ShelfLine:
    """Units of a SKU on the outlet's shelf (of one lot when ``lot_code`` is given, else oldest first)."""

    sku: str
    quantity: int
    lot_code: str = ""


@dataclass(frozen=True)
class CountLineInput:
    """The units of one lot counted on the outlet's shelf."""

    sku: str
    lot_code: str
    counted: int


def _require_seller_staff(actor: Actor, agreement: Agreement) -> None:
    if not is_seller_staff(actor, agreement):
        raise PermissionDenied(_("Only the seller's staff may do this."))


def _system_unless_stock_keeper(actor: Actor, agreement: Agreement) -> Actor:
    """The actor when they may move the seller's stock themselves, else the system (checked here)."""
    if actor is not None and actor.has_perm("inventory.manage", agreement.organization):
        return actor
    return None


def seller_return_location(agreement: Agreement) -> Location | None:
    """Where returned goods go by default: the seller's first active store, else showroom."""
    for kind in (Location.Kind.STORE, Location.Kind.SHOWROOM):
        location = (
            Location.objects.filter(organization=agreement.organization, kind=kind, is_active=True)
            .order_by("pk")
            .first()
        )
        if location is not None:
            return location
    return None


def _shelf_take(
    agreement: Agreement, lines: Sequence[ShelfLine], *, what: str
) -> tuple[list[tuple[Lot, int]], dict[str, Variant]]:
    """Lock the shelf's balances of the lines' SKUs and resolve each line to lots (the lot given, else the
    oldest on the shelf first). Raises ValidationError (unknown SKU or lot, a quantity below 1) and
    InsufficientStock naming each SKU (and lot) the shelf holds too few of."""
    if not lines:
        raise ValidationError({"lines": [_("Add at least one product.")]})
    organization = agreement.organization
    skus = sorted({line.sku.strip().upper() for line in lines})
    variants = {v.sku: v for v in Variant.objects.filter(organization=organization, sku__in=skus)}
    errors: list[str] = []
    for line in lines:
        sku = line.sku.strip().upper()
        if sku not in variants:
            errors.append(_("Unknown SKU: %(sku)s.") % {"sku": sku or "—"})
        elif line.quantity < 1:
            errors.append(_("The quantity of %(sku)s must be at least 1.") % {"sku": sku})
    if errors:
        raise ValidationError({"lines": errors})
    balances = list(
        balances_lock(location_id=agreement.location_id, variant_ids=[v.pk for v in variants.values()]).select_related(
            "lot__variant"
        )
    )
    held: dict[int, int] = {b.lot_id: b.quantity for b in balances}
    lots_of: dict[int, list[StockBalance]] = {}
    for balance in sorted(balances, key=lambda b: (b.arrived_at or timezone.now(), b.pk)):
        if balance.quantity > 0:
            lots_of.setdefault(balance.variant_id, []).append(balance)
    taken: dict[int, int] = {}
    lot_by_pk: dict[int, Lot] = {b.lot_id: b.lot for b in balances}
    short: list[str] = []
    # Lines naming a lot first, then the others from what is left, oldest first.
    for line in sorted(lines, key=lambda line: not line.lot_code.strip()):
        sku = line.sku.strip().upper()
        variant = variants[sku]
        code = line.lot_code.strip().upper()
        if code:
            lot = next((b.lot for b in lots_of.get(variant.pk, []) if b.lot.code.upper() == code), None)
            left = held.get(lot.pk, 0) - taken.get(lot.pk, 0) if lot else 0
            if lot is None or line.quantity > left:
                short.append(
                    _("The outlet holds only %(held)s of %(sku)s lot %(lot)s; %(wanted)s cannot be %(what)s.")
                    % {"held": max(left, 0), "sku": sku, "lot": code, "wanted": line.quantity, "what": what}
                )
                continue
            taken[lot.pk] = taken.get(lot.pk, 0) + line.quantity
            continue
        wanted = line.quantity
        available = sum(held[b.lot_id] - taken.get(b.lot_id, 0) for b in lots_of.get(variant.pk, []))
        if wanted > available:
            short.append(
                _("The outlet holds only %(held)s of %(sku)s; %(wanted)s cannot be %(what)s.")
                % {"held": available, "sku": sku, "wanted": wanted, "what": what}
            )
            continue
        for balance in lots_of.get(variant.pk, []):
            if not wanted:
                break
            take = min(wanted, held[balance.lot_id] - taken.get(balance.lot_id, 0))
            if take > 0:
                taken[balance.lot_id] = taken.get(balance.lot_id, 0) + take
                wanted -= take
    if short:
        raise InsufficientStock(short)
    return [(lot_by_pk[pk], taken[pk]) for pk in sorted(taken) if taken[pk]], variants


# Returns and recalls ----------------------------------------------------------------------------------


@transaction.atomic
def consignment_return_create(
    *,
    actor: Actor,
    agreement: Agreement,
    kind: str,
    lines: Sequence[ShelfLine],
    to_location: Location | None = None,
    reason: str = "",
    receive: bool | None = None,
) -> ConsignmentReturn:
    """Bring goods back from the outlet's shelf to a seller location (the seller's store by default): a
    transfer whose surat jalan (with its verification code) lists each lot, its units and price.

    A RECALL is the seller's staff's; a RETURN may also be started by the outlet's partner, whose return
    stays in transit until the seller's staff confirm it (``consignment_return_receive``). The seller's
    staff's are received at once unless ``receive`` is False.

    Raises PermissionDenied, ValidationError and InsufficientStock (naming each SKU); nothing is saved.
    """
    if kind not in ConsignmentReturn.Kind.values:
        raise ValidationError({"kind": [_("Choose a return or a recall.")]})
    staff = is_seller_staff(actor, agreement)
    if not staff and not (kind == ConsignmentReturn.Kind.RETURN and is_outlet_partner(actor, agreement)):
        raise PermissionDenied(_("Only the seller's staff may recall goods; the outlet may return them."))
    reason = reason.strip()
    if len(reason) > NOTE_MAX:
        raise ValidationError({"reason": [_("The reason may be at most 200 characters.")]})
    destination = to_location or seller_return_location(agreement)
    if destination is None:
        raise ValidationError({"to_location": [_("The seller has no store to bring the goods back to.")]})
    if destination.organization_id != agreement.organization_id or destination.pk == agreement.location_id:
        raise ValidationError({"to_location": [_("Choose one of the seller's own locations.")]})
    lots, variants = _shelf_take(agreement, lines, what=_("brought back"))
    label = (_("Return from %(outlet)s") if kind == ConsignmentReturn.Kind.RETURN else _("Recall from %(outlet)s")) % {
        "outlet": agreement.outlet.name
    }
    mover = _system_unless_stock_keeper(actor, agreement)
    transfer = transfer_send(
        actor=mover,
        from_location=agreement.location,
        to_location=destination,
        lines=[],
        lots=lots,
        note=(label + (f": {reason}" if reason else ""))[:NOTE_MAX],
    )
    by_variant = {v.pk: v for v in variants.values()}
    prices = {pk: shelf_price(agreement, variant) for pk, variant in by_variant.items()}
    returned = ConsignmentReturn.objects.create(
        organization=agreement.organization,
        agreement=agreement,
        kind=kind,
        transfer=transfer,
        reason=reason,
        created_by=user_of(actor),
    )
    ConsignmentReturnLine.objects.bulk_create(
        ConsignmentReturnLine(
            organization=agreement.organization,
            consignment_return=returned,
            variant=by_variant[lot.variant_id],
            lot=lot,
            quantity=quantity,
            unit_price_idr=prices[lot.variant_id],
        )
        for lot, quantity in lots
    )
    document = transfer.document
    if document is not None:
        document.public_figures = {
            **document.public_figures,
            "consignment_return": kind,
            "consignment": agreement.outlet.name,
            "prices": {by_variant[pk].sku: prices[pk] for pk in sorted(prices)},
            "value_idr": sum(prices[lot.variant_id] * quantity for lot, quantity in lots),
        }
        document.save(update_fields=["public_figures"])
    audit_record(
        actor=actor,
        action=AuditAction.CONSIGNMENT_RETURN,
        obj=returned,
        kind=kind,
        transfer=transfer.number,
        units=sum(quantity for _lot, quantity in lots),
        by_partner=not staff,
    )
    if staff and receive is not False:
        consignment_return_receive(actor=actor, consignment_return=returned)
    return returned


@transaction.atomic
def consignment_return_receive(
    *, actor: Actor, consignment_return: ConsignmentReturn, received: dict[int, int] | None = None, note: str = ""
) -> ConsignmentReturn:
    """The seller's staff confirm the returned goods arrived (per transfer line id; all when None); a
    difference is recorded on the transfer by ``transfer_receive``. Raises PermissionDenied, ValidationError."""
    agreement = consignment_return.agreement
    _require_seller_staff(actor, agreement)
    transfer = transfer_receive(
        actor=_system_unless_stock_keeper(actor, agreement),
        transfer=consignment_return.transfer,
        received=received,
        note=note,
    )
    consignment_return.received_by = user_of(actor)
    consignment_return.received_at = timezone.now()
    consignment_return.save(update_fields=["received_by", "received_at"])
    consignment_return.transfer = transfer
    audit_record(
        actor=actor,
        action=AuditAction.CONSIGNMENT_RETURN_RECEIVE,
        obj=consignment_return,
        transfer=transfer.number,
        status=transfer.status,
    )
    return consignment_return


# Damage -----------------------------------------------------------------------------------------------


@transaction.atomic
def outlet_damage_record(
    *,
    actor: Actor,
    agreement: Agreement,
    lines: Sequence[ShelfLine],
    note: str = "",
    on_date: datetime.date | None = None,
) -> list[DamageRecord]:
    """Record units found damaged at the outlet. When the agreement's damage is borne by the OUTLET they are
    charged as a sale at the agreement's terms (``outlet_sale_record``, with the reason in its audit row);
    when borne by the SELLER they are written off (``stock_damage`` at the outlet location, no money).
    One DamageRecord per lot links to the sale or the movement.

    Raises PermissionDenied, ValidationError, InsufficientStock (naming the SKU); nothing is saved.
    """
    _require_seller_staff(actor, agreement)
    note = note.strip()
    if len(note) > NOTE_MAX:
        raise ValidationError({"note": [_("The note may be at most 200 characters.")]})
    on_date = on_date or timezone.localdate()
    lots, variants = _shelf_take(agreement, lines, what=_("recorded as damaged"))
    by_variant = {v.pk: v for v in variants.values()}
    borne_by = agreement.damage_borne_by
    reason = _("Damage at %(outlet)s charged to the outlet under the agreement") % {"outlet": agreement.outlet.name}
    if note:
        reason = f"{reason}: {note}"
    records: list[DamageRecord] = []
    if borne_by == Agreement.Party.OUTLET:
        sale = outlet_sale_record(
            actor=actor,
            agreement=agreement,
            sold_date=on_date,
            lines=[
                OutletSaleLine(by_variant[lot.variant_id].sku, quantity, lot_code=lot.code) for lot, quantity in lots
            ],
            reason=reason[:NOTE_MAX],
        )
        for lot, quantity in lots:
            records.append(
                DamageRecord.objects.create(
                    organization=agreement.organization,
                    agreement=agreement,
                    variant=by_variant[lot.variant_id],
                    lot=lot,
                    quantity=quantity,
                    note=note,
                    borne_by=borne_by,
                    sale=sale,
                    recorded_by=user_of(actor),
                )
            )
    else:
        mover = _system_unless_stock_keeper(actor, agreement)
        write_off = _("Damaged at %(outlet)s, borne by the seller") % {"outlet": agreement.outlet.name}
        if note:
            write_off = f"{write_off}: {note}"
        for lot, quantity in lots:
            movement = stock_damage(
                actor=mover, lot=lot, location=agreement.location, quantity=quantity, reason=write_off[:NOTE_MAX]
            )
            records.append(
                DamageRecord.objects.create(
                    organization=agreement.organization,
                    agreement=agreement,
                    variant=by_variant[lot.variant_id],
                    lot=lot,
                    quantity=quantity,
                    note=note,
                    borne_by=borne_by,
                    movement=movement,
                    recorded_by=user_of(actor),
                )
            )
    for record in records:
        audit_record(
            actor=actor,
            action=AuditAction.CONSIGNMENT_DAMAGE,
            obj=record,
            quantity=record.quantity,
            borne_by=borne_by,
            sale=record.sale_id,
        )
    return records


# Counts (stock opname) --------------------------------------------------------------------------------


@transaction.atomic
def outlet_count_post(
    *,
    actor: Actor,
    agreement: Agreement,
    lines: Sequence[CountLineInput],
    note: str = "",
    counted_date: datetime.date | None = None,
) -> OutletCount:
    """Post a count of the outlet's shelf: the counted units per lot against the book. A shortage is charged
    to the outlet as a sale (``outlet_sale_record``) or written off (``stock_count_post``) as the agreement's
    ``shortage_borne_by`` says; a surplus is counted in (``stock_count_post``) with the note as its reason.
    Lots not counted are left as they are. All or nothing.

    Raises PermissionDenied, ValidationError (an unknown SKU or lot, a negative count); nothing is saved.
    """
    _require_seller_staff(actor, agreement)
    note = note.strip()
    if len(note) > NOTE_MAX:
        raise ValidationError({"note": [_("The note may be at most 200 characters.")]})
    counted_date = counted_date or timezone.localdate()
    if counted_date > timezone.localdate():
        raise ValidationError({"counted_date": [_("A count cannot be dated in the future.")]})
    if not lines:
        raise ValidationError({"lines": [_("Enter at least one counted quantity.")]})
    skus = sorted({line.sku.strip().upper() for line in lines})
    variants = {v.sku: v for v in Variant.objects.filter(organization=agreement.organization, sku__in=skus)}
    balances = {
        (b.variant_id, b.lot.code.upper()): b
        for b in balances_lock(
            location_id=agreement.location_id, variant_ids=[v.pk for v in variants.values()]
        ).select_related("lot")
    }
    errors: list[str] = []
    counted: dict[int, tuple[Variant, Lot, int, int]] = {}
    for line in lines:
        sku, code = line.sku.strip().upper(), line.lot_code.strip().upper()
        variant = variants.get(sku)
        if variant is None:
            errors.append(_("Unknown SKU: %(sku)s.") % {"sku": sku or "—"})
            continue
        balance = balances.get((variant.pk, code))
        if balance is None:
            errors.append(_("Lot %(lot)s of %(sku)s has never been at the outlet.") % {"lot": code or "—", "sku": sku})
            continue
        if line.counted < 0:
            errors.append(_("The count of %(sku)s lot %(lot)s cannot be negative.") % {"sku": sku, "lot": code})
            continue
        if balance.lot_id in counted:
            errors.append(_("Lot %(lot)s of %(sku)s is counted twice.") % {"lot": code, "sku": sku})
            continue
        counted[balance.lot_id] = (variant, balance.lot, balance.quantity, line.counted)
    if errors:
        raise ValidationError({"lines": errors})

    borne_by = agreement.shortage_borne_by
    charge = [
        (variant, lot, book - got)
        for variant, lot, book, got in counted.values()
        if got < book and borne_by == Agreement.Party.OUTLET
    ]
    sale = None
    if charge:
        reason = _("Shortage counted at %(outlet)s charged to the outlet under the agreement") % {
            "outlet": agreement.outlet.name
        }
        sale = outlet_sale_record(
            actor=actor,
            agreement=agreement,
            sold_date=counted_date,
            lines=[OutletSaleLine(variant.sku, units, lot_code=lot.code) for variant, lot, units in charge],
            reason=reason,
        )
    posted = {
        lot.pk: got
        for variant, lot, book, got in counted.values()
        if got > book or (got < book and borne_by == Agreement.Party.SELLER)
    }
    stock_count = None
    if posted:
        stock_count = stock_count_post(
            actor=_system_unless_stock_keeper(actor, agreement),
            location=agreement.location,
            counted=posted,
            note=(note or _("Count at %(outlet)s") % {"outlet": agreement.outlet.name})[:NOTE_MAX],
        )
    shortage = sum(book - got for _v, _l, book, got in counted.values() if got < book)
    surplus = sum(got - book for _v, _l, book, got in counted.values() if got > book)
    count = OutletCount.objects.create(
        organization=agreement.organization,
        agreement=agreement,
        counted_date=counted_date,
        note=note,
        shortage_borne_by=borne_by,
        sale=sale,
        stock_count=stock_count,
        shortage_units=shortage,
        surplus_units=surplus,
        charged_idr=sale.sale.gross_idr - sale.sale.commission_idr if sale else 0,
        counted_by=user_of(actor),
    )

    def outcome(book: int, got: int) -> str:
        if got == book:
            return OutletCountLine.Outcome.MATCH
        if got > book:
            return OutletCountLine.Outcome.ADJUSTED_IN
        if borne_by == Agreement.Party.OUTLET:
            return OutletCountLine.Outcome.CHARGED
        return OutletCountLine.Outcome.WRITTEN_OFF

    OutletCountLine.objects.bulk_create(
        OutletCountLine(
            organization=agreement.organization,
            count=count,
            variant=variant,
            lot=lot,
            book_quantity=book,
            counted_quantity=got,
            outcome=outcome(book, got),
        )
        for lot_id, (variant, lot, book, got) in sorted(counted.items())
    )
    audit_record(
        actor=actor,
        action=AuditAction.CONSIGNMENT_COUNT,
        obj=count,
        shortage=shortage,
        surplus=surplus,
        borne_by=borne_by,
        charged_idr=count.charged_idr,
    )
    return count
