"""Reads of consignment, scoped to the two sides of an agreement.

The seller's staff who record sales see their organization's agreements; an outlet partner sees only
the agreements of their own outlet, through ``scope(..., field="outlet")``. Nothing here reads makers:
what a partner sees of the goods is the SKU, product, lot code, units, price and days on the shelf.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from binakarya.consignment.models import Agreement, AgreementTerm, ConsignmentSale, Placement, PlacementLine
from binakarya.consignment.terms import unit_price
from binakarya.core.types import Actor
from binakarya.inventory.models import StockBalance, TransferLine
from binakarya.organizations.models import Role
from binakarya.organizations.scoping import SALES_ROLES, scope

SELLER_ROLES = SALES_ROLES
PARTNER_ROLES = frozenset({Role.OUTLET_PARTNER})


def agreements_for(*, user: Actor, status: str = "", outlet_slug: str = "") -> QuerySet[Agreement]:
    """Agreements ``user`` is a party to: their organization's as seller staff, their outlet's as its partner."""
    base = Agreement.objects.all()
    qs = scope(base, user, roles=SELLER_ROLES, oversight=False) | scope(
        base, user, roles=PARTNER_ROLES, oversight=False, field="outlet"
    )
    if status:
        qs = qs.filter(status=status)
    if outlet_slug:
        qs = qs.filter(outlet__slug=outlet_slug)
    return (
        qs.select_related("organization", "outlet", "location")
        .prefetch_related(Prefetch("terms", queryset=AgreementTerm.objects.select_related("variant").order_by("pk")))
        .order_by("-start_date", "-pk")
    )


def agreement_for(*, user: Actor, pk: int) -> Agreement:
    """One agreement ``user`` is a party to; raises Agreement.DoesNotExist for any other, alike."""
    return agreements_for(user=user).get(pk=pk)


def agreements_ending_within(*, user: Actor, days: int = 30, today: datetime.date | None = None) -> list[Agreement]:
    """Active agreements whose end date falls within the next ``days`` days, soonest first."""
    today = today or timezone.localdate()
    return list(
        agreements_for(user=user, status=Agreement.Status.ACTIVE)
        .filter(end_date__gte=today, end_date__lte=today + datetime.timedelta(days=days))
        .order_by("end_date", "pk")
    )


def placement_for(*, user: Actor, agreement: Agreement, pk: int) -> Placement:
    """One placement of an agreement ``user`` is a party to; raises Placement.DoesNotExist otherwise."""
    agreement = agreement_for(user=user, pk=agreement.pk)
    return (
        Placement.objects.filter(agreement=agreement)
        .select_related("agreement__organization", "agreement__outlet", "agreement__location", "transfer__document")
        .prefetch_related(
            Prefetch("lines", queryset=PlacementLine.objects.select_related("variant__product").order_by("pk")),
            Prefetch("transfer__lines", queryset=TransferLine.objects.select_related("variant", "lot").order_by("pk")),
        )
        .get(pk=pk)
    )


def placements_for(*, user: Actor, agreement: Agreement) -> list[Placement]:
    agreement = agreement_for(user=user, pk=agreement.pk)
    return list(
        Placement.objects.filter(agreement=agreement)
        .select_related("transfer__document")
        .prefetch_related(Prefetch("lines", queryset=PlacementLine.objects.select_related("variant").order_by("pk")))
        .order_by("-created_at", "-pk")
    )


def consignment_sale_for(*, user: Actor, pk: int) -> ConsignmentSale:
    """A sale recorded under an agreement ``user`` is a party to; raises ConsignmentSale.DoesNotExist."""
    return (
        ConsignmentSale.objects.filter(agreement__in=agreements_for(user=user).values("pk"))
        .select_related("sale", "agreement")
        .get(pk=pk)
    )


@dataclass(frozen=True)
class OutletStockRow:
    """Units of one lot on the outlet's shelf: what the outlet may see of it (never a maker)."""

    sku: str
    product: str
    lot: str
    quantity: int
    unit_price_idr: int
    arrived_on: datetime.date | None
    days_on_shelf: int | None


def outlet_stock_for(*, user: Actor, agreement: Agreement, today: datetime.date | None = None) -> list[OutletStockRow]:
    """The units at the agreement's location, per SKU and lot, with the selling price (the last placement's
    price for the product, else the agreement's) and the days since they arrived. Raises
    Agreement.DoesNotExist when ``user`` is not a party to the agreement."""
    agreement = agreement_for(user=user, pk=agreement.pk)
    today = today or timezone.localdate()
    placed: dict[int, int] = {}
    for variant_id, price in (
        PlacementLine.objects.filter(placement__agreement=agreement)
        .order_by("pk")
        .values_list("variant_id", "unit_price_idr")
    ):
        placed[variant_id] = price  # the latest wins
    rows = []
    balances = (
        StockBalance.objects.filter(location=agreement.location, quantity__gt=0)
        .select_related("variant__product", "lot")
        .order_by("variant__sku", "arrived_at", "pk")
    )
    for balance in balances:
        variant = balance.variant
        arrived = timezone.localdate(balance.arrived_at) if balance.arrived_at else None
        rows.append(
            OutletStockRow(
                sku=variant.sku,
                product=variant.product.name,
                lot=balance.lot.code,
                quantity=balance.quantity,
                unit_price_idr=placed.get(variant.pk) or unit_price(agreement, variant),
                arrived_on=arrived,
                days_on_shelf=(today - arrived).days if arrived else None,
            )
        )
    return rows
