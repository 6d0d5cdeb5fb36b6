"""Reads of locations, stock and transfers, all scoped through the organization helper."""

from __future__ import annotations

import datetime
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import BigIntegerField, F, Q, QuerySet, Sum
from django.utils import timezone

from binakarya.catalog.models import Variant
from binakarya.core.types import Actor
from binakarya.inventory.models import (
    Location,
    MovementKind,
    Reservation,
    StockBalance,
    StockCount,
    StockMovement,
    Transfer,
)
from binakarya.organizations.models import Organization, Role
from binakarya.organizations.scoping import INVENTORY_ROLES, STAFF_ROLES, scope

# Annotations only: production records stock through inventory, so inventory never imports production.
if TYPE_CHECKING:
    from binakarya.production.models import Lot

# Who sees the production and stock pages: every staff role but outlet partners (who see only the stock
# consigned to their outlet, on pages of their own). Those whose stock a user may move are the ones where
# they hold one of scoping.INVENTORY_ROLES (oversight excluded).
STOCK_VIEW_ROLES: frozenset[str] = STAFF_ROLES - {Role.OUTLET_PARTNER}


def _locations(
    qs: QuerySet[Location],
    *,
    organization: Organization | None = None,
    organization_ids: Collection[int] | None = None,
    active_only: bool = True,
    include_transit: bool = True,
) -> QuerySet[Location]:
    if organization is not None:
        qs = qs.filter(organization=organization)
    if organization_ids is not None:
        qs = qs.filter(organization_id__in=organization_ids)
    if active_only:
        qs = qs.filter(is_active=True)
    if not include_transit:
        qs = qs.exclude(kind=Location.Kind.TRANSIT)
    return qs.select_related("organization", "outlet").order_by("organization__name", "kind", "name")


def locations_for(
    *,
    user: Actor,
    organization: Organization | None = None,
    organization_ids: Collection[int] | None = None,
    active_only: bool = True,
    include_transit: bool = True,
) -> QuerySet[Location]:
    """Locations ``user`` may see, by organization, kind and name; only of ``organization`` (or of the
    organizations ``organization_ids``) when given, inactive ones too unless ``active_only``, and without
    the transit location (units on their way) unless ``include_transit``."""
    return _locations(
        scope(Location.objects.all(), user),
        organization=organization,
        organization_ids=organization_ids,
        active_only=active_only,
        include_transit=include_transit,
    )


def stock_move_locations_for(*, user: Actor, organization: Organization | None = None) -> QuerySet[Location]:
    """The active locations, transit and deals' buyer locations excluded, of the organizations whose stock
    ``user`` may move (of ``organization`` only, when given): where a transfer may start or end."""
    return _locations(
        scope(Location.objects.all(), user, roles=INVENTORY_ROLES, oversight=False),
        organization=organization,
        include_transit=False,
    ).exclude(kind=Location.Kind.BUYER)  # a deal's goods at the buyer move only through the deal


def stock_move_location_for(*, user: Actor, organization: Organization, code: str) -> Location:
    """One of the locations of ``stock_move_locations_for``. Raises Location.DoesNotExist."""
    return stock_move_locations_for(user=user, organization=organization).get(code=code.strip())


def location_for(*, user: Actor, code: str) -> Location:
    """Raises Location.DoesNotExist when unknown or outside the user's scope."""
    return locations_for(user=user, active_only=False).get(code=code)


@dataclass(frozen=True)
class LocationRow:
    """A location as the locations page lists it, with the units on hand there that ``user`` may see."""

    code: str
    name: str
    kind: str
    kind_label: str
    is_active: bool
    outlet_name: str  # the outlet holding consigned stock; empty for the organization's own locations
    organization_id: int
    organization_name: str
    units: int


def location_rows_for(*, user: Actor) -> list[LocationRow]:
    """Every location ``user`` may see, inactive ones too, in the order of :func:`locations_for`."""
    units = {row["location_code"]: row["units"] for row in stock_totals_by_location(user=user)}
    return [
        LocationRow(
            code=location.code,
            name=location.name,
            kind=location.kind,
            kind_label=location.get_kind_display(),
            is_active=location.is_active,
            outlet_name=location.outlet.name if location.outlet else "",
            organization_id=location.organization_id,
            organization_name=location.organization.name,
            units=units.get(location.code, 0),
        )
        for location in locations_for(user=user, active_only=False)
    ]


@dataclass(frozen=True)
class StockFilter:
    sku: str = ""
    location: str = ""
    product: str = ""
    lot: str = ""
    organization: str = ""


def stock_balances(
    *, user: Actor, filters: StockFilter | None = None, include_empty: bool = False
) -> QuerySet[StockBalance]:
    """Balances per variant, lot and location that ``user`` may see."""
    filters = filters or StockFilter()
    qs = scope(StockBalance.objects.all(), user)
    if not include_empty:
        qs = qs.filter(quantity__gt=0)
    if filters.sku:
        qs = qs.filter(variant__sku=filters.sku.strip().upper())
    if filters.location:
        qs = qs.filter(location__code=filters.location)
    if filters.product:
        qs = qs.filter(Q(variant__product__slug=filters.product) | Q(variant__product__name__icontains=filters.product))
    if filters.lot:
        qs = qs.filter(lot__code=filters.lot.strip().upper())
    if filters.organization:
        qs = qs.filter(organization__slug=filters.organization)
    return qs.select_related("variant__product", "lot", "location", "organization").order_by(
        "variant__sku", "location__name", "lot__finished_date", "lot_id"
    )


def stock_units(*, user: Actor, filters: StockFilter | None = None) -> int:
    """The units of the balances :func:`stock_balances` lists for ``filters`` (0 when there are none)."""
    total: int | None = stock_balances(user=user, filters=filters).aggregate(total=Sum("quantity"))["total"]
    return total or 0


def _stock_by_location(user: Actor, **lookups: Any) -> list[StockBalance]:
    return list(
        scope(StockBalance.objects.all(), user)
        .filter(quantity__gt=0, **lookups)
        .select_related("location", "lot")
        .order_by("location__code", "lot__finished_date", "lot_id")
    )


def stock_for_sku(*, user: Actor, sku: str) -> list[StockBalance]:
    """Where the units of one SKU are, by location and lot: one indexed query, after the membership lookup
    that scoping makes once per user object."""
    return _stock_by_location(user, variant__sku=sku.strip().upper())


def stock_for_lot(*, user: Actor, lot: Lot) -> list[StockBalance]:
    """Where the units of one lot are, by location code (the API's order; the back office lists a lot's
    balances with :func:`stock_balances`, by location name)."""
    return _stock_by_location(user, lot=lot)


def low_stock_variants(*, user: Actor, threshold: int | None = None) -> QuerySet[Variant]:
    """Active ready-stock variants at or below ``threshold`` units (settings.LOW_STOCK_THRESHOLD)."""
    threshold = settings.LOW_STOCK_THRESHOLD if threshold is None else threshold
    return (
        scope(Variant.objects.all(), user)
        .filter(is_active=True, product__made_to_order=False, stock_quantity__lte=threshold)
        .select_related("product", "organization")
        .order_by("stock_quantity", "sku")
    )


@dataclass(frozen=True)
class AgingRow:
    balance: StockBalance
    days_since_production: int
    days_at_location: int | None


def stock_aging(*, user: Actor, today: datetime.date | None = None, limit: int = 500) -> list[AgingRow]:
    """Units on hand, oldest production first, with days since production and days at the location."""
    today = today or timezone.localdate()
    balances = (
        stock_balances(user=user)
        .exclude(location__kind=Location.Kind.TRANSIT)
        .order_by("lot__finished_date", "lot_id", "location__name")[:limit]
    )
    rows = []
    for b in balances:
        arrived = timezone.localdate(b.arrived_at) if b.arrived_at else None
        rows.append(
            AgingRow(
                balance=b,
                days_since_production=(today - b.lot.finished_date).days,
                days_at_location=(today - arrived).days if arrived else None,
            )
        )
    return rows


def stock_totals_by_location(*, user: Actor) -> list[dict[str, Any]]:
    """Units on hand per location (code, name, its organization's name), by location name, with the units
    reserved there for orders awaiting payment (``reserved``) and those still free (``available``)."""
    rows = list(
        scope(StockBalance.objects.all(), user)
        .filter(quantity__gt=0)
        .values(
            "location_id",
            location_code=F("location__code"),
            location_name=F("location__name"),
            organization_name=F("organization__name"),
        )
        .annotate(units=Sum("quantity"))
        .order_by("location_name", "organization_name")
    )
    reserved = dict(
        Reservation.objects.filter(
            location_id__in=[row["location_id"] for row in rows],
            status=Reservation.Status.ACTIVE,
            expires_at__gt=timezone.now(),
        )
        .order_by()
        .values("location_id")
        .annotate(units=Sum("quantity"))
        .values_list("location_id", "units")
    )
    return [
        {
            **row,
            "reserved": reserved.get(row["location_id"], 0),
            "available": max(row["units"] - reserved.get(row["location_id"], 0), 0),
        }
        for row in rows
    ]


def transfers_for(*, user: Actor, status: str = "") -> QuerySet[Transfer]:
    qs = scope(Transfer.objects.all(), user).select_related("organization", "from_location", "to_location", "document")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-id")


def transfers_with_units_for(*, user: Actor, status: str = "") -> QuerySet[Transfer]:
    """:func:`transfers_for`, each transfer with ``units``: the units sent on its lines."""
    return transfers_for(user=user, status=status).annotate(units=Sum("lines__quantity_sent"))


def transfer_for(*, user: Actor, number: str) -> Transfer:
    """Raises Transfer.DoesNotExist when unknown or outside the user's scope."""
    return (
        transfers_for(user=user)
        .select_related("organization", "sent_by", "received_by")
        .prefetch_related("lines__lot", "lines__variant__product")
        .get(number=number)
    )


def movements_for(*, user: Actor, lot_id: int | None = None, location_id: int | None = None) -> QuerySet[StockMovement]:
    qs = scope(StockMovement.objects.all(), user)
    if lot_id is not None:
        qs = qs.filter(lot_id=lot_id)
    if location_id is not None:
        qs = qs.filter(location_id=location_id)
    return qs.select_related("location", "lot", "variant", "created_by").order_by("-id")


@dataclass(frozen=True)
class MovementRow:
    """One movement of a lot's history as its page lists it, with whether ``user`` may reverse it."""

    pk: int
    kind: str
    kind_label: str
    location_name: str
    quantity: int
    reason: str
    created_at: datetime.datetime
    created_by_name: str  # empty for the system's own movements (imports, the demo loader)
    reversed: bool  # cancelled by a reversal
    reversible: bool  # ``user`` may cancel it by a reversal now


def lot_movement_rows(*, user: Actor, lot: Lot) -> list[MovementRow]:
    """The lot's movements ``user`` may see, newest first.

    A movement may be reversed by inventory staff of the lot's organization, once, unless it is itself a
    reversal or belongs to a transfer or a stock count (those are settled by their own pages).
    """
    movements = list(movements_for(user=user, lot_id=lot.pk))
    reversed_ids = {m.reverses_id for m in movements if m.reverses_id}
    can_manage = user is not None and user.has_perm("inventory.manage", lot.organization)
    return [
        MovementRow(
            pk=m.pk,
            kind=m.kind,
            kind_label=m.get_kind_display(),
            location_name=m.location.name,
            quantity=m.quantity,
            reason=m.reason,
            created_at=m.created_at,
            created_by_name=(m.created_by.get_full_name() or m.created_by.get_username()) if m.created_by else "",
            reversed=m.pk in reversed_ids,
            reversible=(
                can_manage
                and m.kind != MovementKind.REVERSAL
                and m.pk not in reversed_ids
                and not m.transfer_id
                and not m.stock_count_id
            ),
        )
        for m in movements
    ]


def stock_counts_for(*, user: Actor, location: Location | None = None) -> QuerySet[StockCount]:
    qs = scope(StockCount.objects.all(), user)
    if location is not None:
        qs = qs.filter(location=location)
    return qs.select_related("location", "counted_by").order_by("-created_at", "-id")


def stock_count_for(*, user: Actor, pk: int) -> StockCount:
    """Raises StockCount.DoesNotExist when unknown or outside the user's scope."""
    return (
        stock_counts_for(user=user)
        .select_related("organization")
        .prefetch_related("lines__lot__variant__product")
        .get(pk=pk)
    )


def stock_variants_for(*, user: Actor, ids: Collection[int] | None = None) -> QuerySet[Variant]:
    """Variants whose stock ``user`` may move (inventory staff of the variant's organization), by SKU;
    only those of ``ids`` when given."""
    qs = scope(Variant.objects.all(), user, roles=INVENTORY_ROLES, oversight=False)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.select_related("product", "organization").order_by("sku")


def variants_by_sku(*, user: Actor, skus: Iterable[str]) -> dict[str, Variant]:
    """The variants of ``skus`` (read forgivingly: spaces and case) that ``user`` may see, by their SKU;
    an unknown SKU or one outside the user's scope is missing alike. One query."""
    wanted = {sku.strip().upper() for sku in skus}
    if not wanted:
        return {}
    qs = scope(Variant.objects.all(), user).filter(sku__in=wanted).select_related("product__producer", "organization")
    return {variant.sku: variant for variant in qs}


def stock_units_by_variant_location(*, user: Actor) -> QuerySet:
    """Units on hand per variant and location (transit excluded): rows of variant_id, location_id, units."""
    return (
        scope(StockBalance.objects.all(), user)
        .filter(quantity__gt=0)
        .exclude(location__kind=Location.Kind.TRANSIT)
        .values("variant_id", "location_id")
        .annotate(units=Sum("quantity"))
        .order_by("variant_id", "location_id")
    )


@dataclass(frozen=True)
class StockValue:
    """Units on hand at an organization's locations and what they are worth at catalog prices."""

    units: int
    value_idr: int


def stock_value_by_organization(
    *, user: Actor, organization_ids: Collection[int] | None = None
) -> dict[int, StockValue]:
    """Units on hand and their value at the variants' catalog prices, per organization whose stock ``user``
    sees (every staff role but outlet partners), of ``organization_ids`` only when given:
    {organization id: StockValue}. One query."""
    qs = scope(StockBalance.objects.all(), user, roles=STOCK_VIEW_ROLES)
    if organization_ids is not None:
        qs = qs.filter(organization_id__in=sorted(organization_ids))
    rows = (
        qs.filter(quantity__gt=0)
        .values("organization_id")
        .annotate(
            units=Sum("quantity"), value=Sum(F("quantity") * F("variant__price_idr"), output_field=BigIntegerField())
        )
        .order_by()
    )
    return {row["organization_id"]: StockValue(units=row["units"] or 0, value_idr=row["value"] or 0) for row in rows}


# Ages of stock on hand, in days since its lot was finished (as ``stock_aging`` counts them): the upper
# bound of each bucket, the last open.
AGE_BUCKETS: tuple[int | None, ...] = (90, 180, 365, None)


def stock_age_buckets_by_organization(
    *, user: Actor, organization_ids: Collection[int], today: datetime.date | None = None
) -> dict[int, tuple[int, ...]]:
    """Units on hand (not in transit) per organization, by age since production: one count per
    ``AGE_BUCKETS`` bucket (0–90, 91–180, 181–365, over 365 days). One grouped query."""
    today = today or timezone.localdate()
    rows = (
        scope(StockBalance.objects.all(), user, roles=STOCK_VIEW_ROLES)
        .filter(organization_id__in=sorted(organization_ids), quantity__gt=0)
        .exclude(location__kind=Location.Kind.TRANSIT)
        .values("organization_id", finished=F("lot__finished_date"))
        .annotate(units=Sum("quantity"))
        .order_by()
    )
    found: dict[int, list[int]] = {}
    for row in rows:
        age = (today - row["finished"]).days
        bucket = next(i for i, top in enumerate(AGE_BUCKETS) if top is None or age <= top)
        found.setdefault(row["organization_id"], [0] * len(AGE_BUCKETS))[bucket] += row["units"]
    return {org_id: tuple(counts) for org_id, counts in found.items()}


def default_store(*, organization: Organization) -> Location | None:
    """Where an organization's goods leave from by default: its first active store (a showroom if it has no
    store)."""
    return (
        Location.objects.filter(
            organization=organization, is_active=True, kind__in=[Location.Kind.STORE, Location.Kind.SHOWROOM]
        )
        .order_by("-kind", "pk")
        .first()
    )
