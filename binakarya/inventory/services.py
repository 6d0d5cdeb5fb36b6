"""Stock writes: every change is a StockMovement; balances follow through the database trigger.

Services lock the balances they read (primary-key order), check availability in Python for a clear
message, then insert movements. The balance's CHECK (quantity >= 0) refuses anything that slipped by.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import BooleanField, Exists, ExpressionWrapper, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from binakarya.catalog.models import Product, Variant
from binakarya.catalog.signals import catalog_changed_send
from binakarya.core.audit import AuditAction, audit_record
from binakarya.core.bulk import OrmWriter, RowWriter
from binakarya.core.slugs import unique_slug
from binakarya.core.types import Actor, user_of
from binakarya.documents import numbers
from binakarya.documents.services import document_issue
from binakarya.inventory.fifo import FifoStock, InsufficientStock
from binakarya.inventory.locks import balances_lock, balances_lock_lots, transfer_lock, variants_lock
from binakarya.inventory.models import (
    Location,
    MovementKind,
    Reservation,
    StockBalance,
    StockCount,
    StockCountLine,
    StockMovement,
    Transfer,
    TransferLine,
)
from binakarya.inventory.reservations import reserved_by_variant
from binakarya.organizations.models import Organization

# Annotations only: production records stock through inventory, so inventory never imports production.
if TYPE_CHECKING:
    from binakarya.production.models import Lot


@dataclass(frozen=True)
class Allocation:
    lot: Lot
    quantity: int


class MovementRow(NamedTuple):
    """One stock movement to write (positive in, negative out)."""

    organization_id: int
    variant_id: int
    lot_id: int
    location_id: int
    kind: str
    quantity: int
    reason: str = ""
    created_by_id: int | None = None
    transfer_id: int | None = None
    stock_count_id: int | None = None
    reverses_id: int | None = None


MOVEMENT_FIELDS = (*MovementRow._fields, "created_at")


def _require(actor: Actor, organization: Organization, perm: str = "inventory.manage") -> None:
    if actor is not None and not actor.has_perm(perm, organization):
        raise PermissionDenied(_("You may not change the stock of %(org)s.") % {"org": organization.name})


def variant_stock_refresh(*, variant_ids: list[int]) -> None:
    """Set each variant's ``stock_quantity`` to its units at sellable locations less those reserved, and its
    product's flag.

    Three statements whatever the number of variants: the variants locked in primary-key order (the
    lock order of every stock writer, so two sales of the same variants cannot deadlock), their
    figures updated at once, then the flag of each of their products whose flag is wrong. Sends
    ``catalog_changed`` for the variants (the product feeds show availability), once per call: a bulk
    import that refreshes once at the end tells the feeds once.
    """
    ids = sorted(set(variant_ids))
    if not ids:
        return
    variants_lock(variant_ids=ids)
    sellable = (
        StockBalance.objects.filter(variant_id=OuterRef("pk"))
        .exclude(location__kind=Location.Kind.TRANSIT)
        .order_by()
        .values("variant_id")
        .annotate(total=Sum("quantity"))
        .values("total")
    )
    reserved = (
        Reservation.objects.filter(
            variant_id=OuterRef("pk"), status=Reservation.Status.ACTIVE, expires_at__gt=timezone.now()
        )
        .order_by()
        .values("variant_id")
        .annotate(total=Sum("quantity"))
        .values("total")
    )
    Variant.objects.filter(pk__in=ids).update(
        stock_quantity=Greatest(Coalesce(Subquery(sellable), 0) - Coalesce(Subquery(reserved), 0), Value(0))
    )
    has_stock = Exists(Variant.objects.filter(product_id=OuterRef("pk"), is_active=True, stock_quantity__gt=0))
    should = ExpressionWrapper(Q(made_to_order=True) | Q(has_stock), output_field=BooleanField())
    Product.objects.filter(pk__in=Variant.objects.filter(pk__in=ids).values("product_id")).alias(should=should).exclude(
        in_stock=F("should")
    ).update(in_stock=should)
    catalog_changed_send(variant_ids=ids)


def movements_write(
    *, rows: Sequence[MovementRow], writer: RowWriter | None = None, refresh: bool = True, returning: bool = True
) -> list[int]:
    """Write movements (the balances follow through the database trigger); return their ids (with ``returning``).

    The one place stock movements are written. Zero quantities are left out. With ``refresh``, each
    variant's stock figure is brought up to date (a bulk import does it once at the end). With the
    default writer (the ORM), a balance the database refuses to take below zero raises
    InsufficientStock and nothing of it is saved; a caller that brings its own writer (a bulk import)
    handles the database's refusal itself.
    """
    now = timezone.now()
    values = [(*row, now) for row in rows if row.quantity]
    if writer is None:
        try:
            with transaction.atomic():
                ids = OrmWriter().insert(StockMovement, MOVEMENT_FIELDS, values, ids=returning)
        except IntegrityError as exc:
            raise InsufficientStock.database_refusal() from exc
    else:
        ids = writer.insert(StockMovement, MOVEMENT_FIELDS, values, ids=returning)
    if refresh:
        variant_stock_refresh(variant_ids=[row.variant_id for row in rows if row.quantity])
    return ids


def movements_post(
    *,
    actor: Actor,
    organization: Organization,
    entries: Sequence[tuple[Lot, Location, str, int, str]],
    transfer: Transfer | None = None,
    stock_count: StockCount | None = None,
) -> list[int]:
    """Post movements (lot, location, kind, signed quantity, reason) in one statement; return their ids.

    Raises InsufficientStock when the database refuses a balance below zero.
    """
    user = user_of(actor)
    rows = [
        MovementRow(
            organization_id=organization.pk,
            variant_id=lot.variant_id,
            lot_id=lot.pk,
            location_id=location.pk,
            kind=kind,
            quantity=quantity,
            reason=reason,
            created_by_id=user.pk if user else None,
            transfer_id=transfer.pk if transfer else None,
            stock_count_id=stock_count.pk if stock_count else None,
        )
        for lot, location, kind, quantity, reason in entries
        if quantity
    ]
    return movements_write(rows=rows)


def fifo_allocate(*, location: Location, wanted: dict[Variant, int]) -> list[Allocation]:
    """Lock the variants' balances at ``location`` and take the ``wanted`` units of each, oldest lot first.

    Variants are taken in primary-key order. Raises InsufficientStock naming every variant that is short.
    """
    balances = balances_lock(location_id=location.pk, variant_ids=[v.pk for v in wanted]).select_related("lot")
    stock = FifoStock.from_balances(balances)
    short = stock.shortfalls(
        location_id=location.pk,
        location=location.name,
        wanted={v.pk: quantity for v, quantity in wanted.items()},
        skus={v.pk: v.sku for v in wanted},
        held_back=reserved_by_variant(location_id=location.pk, variant_ids=[v.pk for v in wanted]),
    )
    if short:
        raise InsufficientStock(short)
    return [
        Allocation(lot=lot, quantity=quantity)
        for variant in sorted(wanted, key=lambda v: v.pk)
        for lot, quantity in stock.take(location.pk, variant.pk, wanted[variant])
    ]


@transaction.atomic
def location_create(
    *, actor: Actor, organization: Organization, name: str, kind: str, outlet: Organization | None = None
) -> Location:
    """Raises ValidationError, PermissionDenied."""
    _require(actor, organization)
    errors = {}
    if not name.strip():
        errors["name"] = _("Give the location a name.")
    if kind == Location.Kind.OUTLET:
        if outlet is None or outlet.kind != Organization.Kind.OUTLET:
            errors["outlet"] = _("An outlet location must name the outlet that holds the stock.")
    elif outlet is not None:
        errors["outlet"] = _("Only an outlet location names an outlet.")
    if kind == Location.Kind.TRANSIT and Location.objects.filter(organization=organization, kind=kind).exists():
        errors["kind"] = _("There is already an in-transit location.")
    if errors:
        raise ValidationError(errors)
    location = Location.objects.create(
        organization=organization,
        name=name.strip(),
        kind=kind,
        outlet=outlet,
        code=unique_slug(Location, f"{organization.slug} {name}", max_length=60),
    )
    audit_record(actor=actor, action=AuditAction.LOCATION_CREATE, obj=location)
    return location


def transit_location(*, organization: Organization) -> Location:
    """The organization's in-transit location, created on first use."""
    location = Location.objects.filter(organization=organization, kind=Location.Kind.TRANSIT).first()
    if location is None:
        location = Location.objects.create(
            organization=organization,
            name=_("In transit"),
            kind=Location.Kind.TRANSIT,
            code=unique_slug(Location, f"{organization.slug} transit", max_length=60),
        )
    return location


MAX_ADJUSTMENT = 1_000_000


def error_deal_location(location: Location) -> ValidationError:
    return ValidationError(
        {
            "location": _(
                "%(location)s holds goods delivered to a buyer under a deal: they move only through the deal "
                "(its handover)."
            )
            % {"location": location.name}
        },
        code="deal_location",
    )


def refuse_deal_location(*locations: Location) -> None:
    """Goods at a deal's BUYER location wait for the deal's handover: no adjustment, damage, count or transfer
    reaches them except through ``deals.services`` (which passes ``allow_buyer``)."""
    for location in locations:
        if location.kind == Location.Kind.BUYER:
            raise error_deal_location(location)


def _require_available(*, location: Location, lot: Lot, quantity: int) -> None:
    """Lock the lot's balance at ``location`` and check that ``quantity`` units can leave it."""
    balance = balances_lock_lots(location_id=location.pk, lot_ids=[lot.pk]).first()
    _require_available_held(location=location, lot=lot, held=balance.quantity if balance else 0, quantity=quantity)


def _require_available_held(*, location: Location, lot: Lot, held: int, quantity: int) -> None:
    if quantity > held:
        raise InsufficientStock(
            _("%(location)s holds only %(held)s of lot %(lot)s; %(wanted)s cannot be removed."),
            code="insufficient_stock",
            params={"location": location.name, "held": held, "lot": lot.code, "wanted": quantity, "lot_id": lot.pk},
        )


@transaction.atomic
def stock_adjust(*, actor: Actor, lot: Lot, location: Location, quantity: int, reason: str) -> StockMovement:
    """Post an ADJUSTED movement (+ or -) with its reason. Raises ValidationError, InsufficientStock."""
    _require(actor, location.organization)
    refuse_deal_location(location)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the stock is adjusted.")})
    if quantity == 0:
        raise ValidationError({"quantity": _("An adjustment changes stock by at least one unit.")})
    if lot.organization_id != location.organization_id:
        raise ValidationError({"lot": _("This lot belongs to another organization.")})
    if abs(quantity) > MAX_ADJUSTMENT:
        raise ValidationError(
            {"quantity": _("An adjustment changes stock by at most %(max)s units.") % {"max": MAX_ADJUSTMENT}}
        )
    _require_available(location=location, lot=lot, quantity=-quantity)
    (movement_id,) = movements_post(
        actor=actor,
        organization=location.organization,
        entries=[(lot, location, MovementKind.ADJUSTED, quantity, reason.strip())],
    )
    movement = StockMovement.objects.get(pk=movement_id)
    audit_record(actor=actor, action=AuditAction.STOCK_ADJUST, obj=movement, quantity=quantity, reason=reason)
    return movement


@transaction.atomic
def stock_damage(*, actor: Actor, lot: Lot, location: Location, quantity: int, reason: str = "") -> StockMovement:
    """Write off ``quantity`` damaged units. Raises ValidationError, InsufficientStock."""
    _require(actor, location.organization)
    refuse_deal_location(location)
    if quantity <= 0:
        raise ValidationError({"quantity": _("Enter how many units were damaged.")})
    _require_available(location=location, lot=lot, quantity=quantity)
    (movement_id,) = movements_post(
        actor=actor,
        organization=location.organization,
        entries=[(lot, location, MovementKind.DAMAGED, -quantity, reason.strip())],
    )
    movement = StockMovement.objects.get(pk=movement_id)
    audit_record(actor=actor, action=AuditAction.STOCK_DAMAGE, obj=movement, quantity=quantity)
    return movement


@transaction.atomic
def movement_reverse(*, actor: Actor, movement: StockMovement, reason: str) -> StockMovement:
    """Cancel a mistaken movement with an equal and opposite REVERSAL. Raises ValidationError."""
    _require(actor, movement.organization)
    if movement.kind == MovementKind.REVERSAL:
        raise ValidationError(_("A reversal cannot itself be reversed; post a new movement instead."))
    if StockMovement.objects.filter(reverses=movement).exists():
        raise ValidationError(_("This movement has already been reversed."))
    if movement.transfer_id or movement.stock_count_id:
        raise ValidationError(_("Movements of a transfer or a stock count are corrected through it, not one by one."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the movement is reversed.")})
    list(balances_lock_lots(location_id=movement.location_id, lot_ids=[movement.lot_id]))
    user = user_of(actor)
    try:
        (reversal_id,) = movements_write(
            rows=[
                MovementRow(
                    organization_id=movement.organization_id,
                    variant_id=movement.variant_id,
                    lot_id=movement.lot_id,
                    location_id=movement.location_id,
                    kind=MovementKind.REVERSAL,
                    quantity=-movement.quantity,
                    reason=reason.strip(),
                    created_by_id=user.pk if user else None,
                    reverses_id=movement.pk,
                )
            ]
        )
    except InsufficientStock as exc:
        raise InsufficientStock(
            _("The units of this movement have already left the location, so it cannot be reversed."),
            code="insufficient_stock",
        ) from exc
    reversal = StockMovement.objects.get(pk=reversal_id)
    audit_record(actor=actor, action=AuditAction.STOCK_REVERSE, obj=reversal, reverses=movement.pk)
    return reversal


@transaction.atomic
def transfer_send(
    *,
    actor: Actor,
    from_location: Location,
    to_location: Location,
    lines: list[tuple[Variant, int]],
    note: str = "",
    lots: Sequence[tuple[Lot, int]] = (),
    allow_buyer: bool = False,
) -> Transfer:
    """Send stock (oldest lots first) towards another location; issues the surat jalan.

    ``lots`` sends units of the lots given (a consignment return names the lots it brings back); give a
    variant either in ``lines`` or through its lots, not both. The units sit in the organization's
    in-transit location until the receiver confirms them. A deal's BUYER location is refused unless
    ``allow_buyer`` (the deals service delivering to it).
    Raises ValidationError, InsufficientStock (nothing saved), PermissionDenied.
    """
    organization = from_location.organization
    _require(actor, organization)
    errors: dict[str, str] = {}
    if to_location.organization_id != organization.pk:
        errors["to_location"] = _("Both locations must belong to the same organization.")
    if from_location.pk == to_location.pk:
        errors["to_location"] = _("Choose a destination other than the source.")
    if Location.Kind.TRANSIT in (from_location.kind, to_location.kind):
        errors["to_location"] = _("Transfers go between real locations; transit is handled for you.")
    if not to_location.is_active:
        errors["to_location"] = _("The destination is no longer active.")
    if not from_location.is_active:
        errors["from_location"] = _("The source location is no longer active.")
    if not allow_buyer and Location.Kind.BUYER in (from_location.kind, to_location.kind):
        errors["to_location"] = str(
            error_deal_location(to_location if to_location.kind == Location.Kind.BUYER else from_location).messages[0]
        )
    wanted: dict[int, int] = defaultdict(int)
    variants: dict[int, Variant] = {}
    for variant, quantity in lines:
        if quantity <= 0:
            errors["quantity"] = _("Transfer at least one unit.")
        if variant.organization_id != organization.pk:
            errors["sku"] = _("SKU %(sku)s belongs to another organization.") % {"sku": variant.sku}
        wanted[variant.pk] += quantity
        variants[variant.pk] = variant
    pinned: dict[int, int] = defaultdict(int)
    pinned_lots: dict[int, Lot] = {}
    for lot, quantity in lots:
        if quantity <= 0:
            errors["quantity"] = _("Transfer at least one unit.")
        if lot.organization_id != organization.pk:
            errors["lot"] = _("This lot belongs to another organization.")
        pinned[lot.pk] += quantity
        pinned_lots[lot.pk] = lot
        variants[lot.variant_id] = lot.variant
    if not lines and not lots:
        errors["lines"] = _("Add at least one product to transfer.")
    if errors:
        raise ValidationError(errors)

    allocations = (
        fifo_allocate(location=from_location, wanted={variants[pk]: units for pk, units in wanted.items()})
        if wanted
        else []
    )
    if pinned:
        held = {b.lot_id: b.quantity for b in balances_lock_lots(location_id=from_location.pk, lot_ids=sorted(pinned))}
        for pk in sorted(pinned):
            _require_available_held(
                location=from_location, lot=pinned_lots[pk], held=held.get(pk, 0), quantity=pinned[pk]
            )
            allocations.append(Allocation(lot=pinned_lots[pk], quantity=pinned[pk]))
    transit = transit_location(organization=organization)
    number = numbers.number_next(organization=organization, series=numbers.TRANSFER)
    transfer = Transfer.objects.create(
        organization=organization,
        number=number,
        from_location=from_location,
        to_location=to_location,
        note=note[:200],
        sent_by=user_of(actor),
    )
    TransferLine.objects.bulk_create(
        TransferLine(
            organization=organization,
            transfer=transfer,
            variant_id=a.lot.variant_id,
            lot=a.lot,
            quantity_sent=a.quantity,
        )
        for a in allocations
    )
    entries = []
    for a in allocations:
        entries.append((a.lot, from_location, MovementKind.TRANSFER_OUT, -a.quantity, number))
        entries.append((a.lot, transit, MovementKind.TRANSFER_IN, a.quantity, number))
    movements_post(actor=actor, organization=organization, entries=entries, transfer=transfer)
    transfer.document = document_issue(
        actor=actor,
        organization=organization,
        kind="SURAT_JALAN",
        number=number,
        title=_("Delivery note %(number)s") % {"number": number},
        public_figures={
            "from": from_location.name,
            "to": to_location.name,
            "units": sum(a.quantity for a in allocations),
            "lines": [
                {"sku": variants[a.lot.variant_id].sku, "lot": a.lot.code, "quantity": a.quantity} for a in allocations
            ],
        },
    )
    transfer.save(update_fields=["document", "updated_at"])
    audit_record(
        actor=actor, action=AuditAction.TRANSFER_SEND, obj=transfer, units=sum(a.quantity for a in allocations)
    )
    return transfer


@transaction.atomic
def transfer_receive(
    *, actor: Actor, transfer: Transfer, received: dict[int, int] | None = None, note: str = ""
) -> Transfer:
    """Confirm what arrived, per transfer line id (all of it when ``received`` is None).

    A shortfall leaves transit as an ADJUSTED movement whose reason names the surat jalan, and the
    transfer is marked DISCREPANCY: it is recorded, never hidden. Raises ValidationError.
    """
    _require(actor, transfer.organization)
    transfer = transfer_lock(transfer_id=transfer.pk)
    if transfer.status != Transfer.Status.IN_TRANSIT:
        raise ValidationError(_("Transfer %(number)s has already been received.") % {"number": transfer.number})
    lines = list(transfer.lines.select_related("lot", "variant").order_by("pk"))
    received = received if received is not None else {line.pk: line.quantity_sent for line in lines}
    unknown = set(received) - {line.pk for line in lines}
    errors = []
    if unknown:
        errors.append(_("Some lines do not belong to this transfer."))
    for line in lines:
        got = received.get(line.pk)
        if got is None or got < 0 or got > line.quantity_sent:
            errors.append(
                _("For %(sku)s (lot %(lot)s) enter a number from 0 to %(sent)s.")
                % {"sku": line.variant.sku, "lot": line.lot.code, "sent": line.quantity_sent}
            )
    if errors:
        raise ValidationError(errors)

    transit = transit_location(organization=transfer.organization)
    list(balances_lock_lots(location_id=transit.pk, lot_ids=[line.lot_id for line in lines]))
    entries, short = [], 0
    for line in lines:
        got = received[line.pk]
        line.quantity_received = got
        missing = line.quantity_sent - got
        if got:
            entries.append((line.lot, transit, MovementKind.TRANSFER_OUT, -got, transfer.number))
            entries.append((line.lot, transfer.to_location, MovementKind.TRANSFER_IN, got, transfer.number))
        if missing:
            short += missing
            reason = _("Discrepancy on %(number)s: %(missing)s sent but not received") % {
                "number": transfer.number,
                "missing": missing,
            }
            entries.append((line.lot, transit, MovementKind.ADJUSTED, -missing, reason))
    TransferLine.objects.bulk_update(lines, ["quantity_received"])
    movements_post(actor=actor, organization=transfer.organization, entries=entries, transfer=transfer)
    transfer.status = Transfer.Status.DISCREPANCY if short else Transfer.Status.RECEIVED
    transfer.received_at = timezone.now()
    transfer.received_by = user_of(actor)
    if note:
        transfer.note = (transfer.note + " / " + note)[:200] if transfer.note else note[:200]
    transfer.save(update_fields=["status", "received_at", "received_by", "note", "updated_at"])
    audit_record(actor=actor, action=AuditAction.TRANSFER_RECEIVE, obj=transfer, missing=short)
    return transfer


@transaction.atomic
def stock_count_post(*, actor: Actor, location: Location, counted: dict[int, int], note: str = "") -> StockCount:
    """Record a stock opname: counted units per lot id at ``location``; post each variance as COUNTED.

    Lots not in ``counted`` are left as they are. Raises ValidationError.
    """
    _require(actor, location.organization)
    refuse_deal_location(location)
    if not counted:
        raise ValidationError(_("Enter at least one counted quantity."))
    if any(q < 0 for q in counted.values()):
        raise ValidationError(_("A counted quantity cannot be negative."))
    # A lot is the organization's if it ever held stock there (a lot's first movement is its PRODUCED one).
    variant_of = dict(
        StockMovement.objects.filter(organization=location.organization, lot_id__in=sorted(counted))
        .order_by()
        .values_list("lot_id", "variant_id")
        .distinct()
    )
    if any(pk not in variant_of for pk in counted):
        raise ValidationError(_("Some counted lots are not yours."))
    book = {b.lot_id: b.quantity for b in balances_lock_lots(location_id=location.pk, lot_ids=list(counted))}
    user = user_of(actor)
    count = StockCount.objects.create(
        organization=location.organization, location=location, note=note[:200], counted_by=user
    )
    lines = [
        StockCountLine(
            organization=location.organization,
            stock_count=count,
            lot_id=lot_id,
            book_quantity=book.get(lot_id, 0),
            counted_quantity=counted[lot_id],
        )
        for lot_id in sorted(counted)
    ]
    StockCountLine.objects.bulk_create(lines)
    movements_write(
        rows=[
            MovementRow(
                organization_id=location.organization_id,
                variant_id=variant_of[line.lot_id],
                lot_id=line.lot_id,
                location_id=location.pk,
                kind=MovementKind.COUNTED,
                quantity=line.variance,
                created_by_id=user.pk if user else None,
                stock_count_id=count.pk,
            )
            for line in lines
        ]
    )
    audit_record(actor=actor, action=AuditAction.STOCK_COUNT, obj=count, variance=sum(line.variance for line in lines))
    return count


def stock_reconcile_differences() -> list[tuple[int, int, int, int]]:
    """(lot id, location id, sum of movements, balance) wherever the two differ. One SQL statement."""
    sql = """
        SELECT COALESCE(m.lot_id, b.lot_id), COALESCE(m.location_id, b.location_id),
               COALESCE(m.total, 0), COALESCE(b.quantity, 0)
        FROM (SELECT lot_id, location_id, SUM(quantity) AS total
              FROM inventory_stockmovement GROUP BY lot_id, location_id) m
        FULL OUTER JOIN inventory_stockbalance b ON b.lot_id = m.lot_id AND b.location_id = m.location_id
        WHERE COALESCE(m.total, 0) <> COALESCE(b.quantity, 0)
        ORDER BY 1, 2
    """
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return [tuple(row) for row in cursor.fetchall()]
