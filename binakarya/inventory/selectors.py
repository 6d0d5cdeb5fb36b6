"""Reads of locations, stock and transfers, all scoped through the organization helper."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import F, Q, QuerySet, Sum
from django.utils import timezone

from binakarya.catalog.models import Variant
from binakarya.inventory.models import Location, StockBalance, StockCount, StockMovement, Transfer
from binakarya.organizations.models import Organization
from binakarya.organizations.scoping import INVENTORY_ROLES, scope


def locations_for(
    *, user: Any, organization: Organization | None = None, active_only: bool = True
) -> QuerySet[Location]:
    qs = scope(Location.objects.all(), user)
    if organization is not None:
        qs = qs.filter(organization=organization)
    if active_only:
        qs = qs.filter(is_active=True)
    return qs.select_related("organization", "outlet").order_by("organization__name", "kind", "name")


def location_for(*, user: Any, code: str) -> Location:
    """Raises Location.DoesNotExist when unknown or outside the user's scope."""
    return locations_for(user=user, active_only=False).get(code=code)


@dataclass(frozen=True)
class StockFilter:
    sku: str = ""
    location: str = ""
    product: str = ""
    lot: str = ""
    organization: str = ""


def stock_balances(
    *, user: Any, filters: StockFilter | None = None, include_empty: bool = False
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


def stock_for_sku(*, user: Any, sku: str) -> list[StockBalance]:
    """Where the units of one SKU are, by location and lot: one indexed query, after the membership lookup
    that scoping makes once per user object."""
    return list(
        scope(StockBalance.objects.all(), user)
        .filter(variant__sku=sku.strip().upper(), quantity__gt=0)
        .select_related("location", "lot")
        .order_by("location__code", "lot__finished_date", "lot_id")
    )


def low_stock_variants(*, user: Any, threshold: int | None = None) -> QuerySet[Variant]:
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


def stock_aging(*, user: Any, today: datetime.date | None = None, limit: int = 500) -> list[AgingRow]:
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


def stock_totals_by_location(*, user: Any) -> QuerySet:
    return (
        scope(StockBalance.objects.all(), user)
        .filter(quantity__gt=0)
        .values(location_code=F("location__code"), location_name=F("location__name"))
        .annotate(units=Sum("quantity"))
        .order_by("location_name")
    )


def transfers_for(*, user: Any, status: str = "") -> QuerySet[Transfer]:
    qs = scope(Transfer.objects.all(), user).select_related("from_location", "to_location", "document")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-id")


def transfer_for(*, user: Any, number: str) -> Transfer:
    """Raises Transfer.DoesNotExist when unknown or outside the user's scope."""
    return (
        transfers_for(user=user)
        .select_related("organization", "sent_by", "received_by")
        .prefetch_related("lines__lot", "lines__variant__product")
        .get(number=number)
    )


def movements_for(*, user: Any, lot_id: int | None = None, location_id: int | None = None) -> QuerySet[StockMovement]:
    qs = scope(StockMovement.objects.all(), user)
    if lot_id is not None:
        qs = qs.filter(lot_id=lot_id)
    if location_id is not None:
        qs = qs.filter(location_id=location_id)
    return qs.select_related("location", "lot", "variant", "created_by").order_by("-id")


def stock_counts_for(*, user: Any, location: Location | None = None) -> QuerySet[StockCount]:
    qs = scope(StockCount.objects.all(), user)
    if location is not None:
        qs = qs.filter(location=location)
    return qs.select_related("location", "counted_by").order_by("-created_at", "-id")


def stock_count_for(*, user: Any, pk: int) -> StockCount:
    """Raises StockCount.DoesNotExist when unknown or outside the user's scope."""
    return (
        stock_counts_for(user=user)
        .select_related("organization")
        .prefetch_related("lines__lot__variant__product")
        .get(pk=pk)
    )


def stock_variants_for(*, user: Any) -> QuerySet[Variant]:
    """Variants whose stock ``user`` may move (inventory staff of the variant's organization)."""
    return (
        scope(Variant.objects.all(), user, roles=INVENTORY_ROLES, oversight=False)
        .select_related("product", "organization")
        .order_by("sku")
    )


def stock_units_by_variant_location(*, user: Any) -> QuerySet:
    """Units on hand per variant and location (transit excluded): rows of variant_id, location_id, units."""
    return (
        scope(StockBalance.objects.all(), user)
        .filter(quantity__gt=0)
        .exclude(location__kind=Location.Kind.TRANSIT)
        .values("variant_id", "location_id")
        .annotate(units=Sum("quantity"))
        .order_by("variant_id", "location_id")
    )


def outlet_organizations() -> QuerySet[Organization]:
    """Active outlets (government galleries, shops, hotels…) that may hold consigned stock; reference data."""
    return Organization.objects.filter(kind=Organization.Kind.OUTLET, is_active=True).order_by("name")
