"""Stock held for orders: reserved at placement, released on cancel or expiry, consumed by the sale.

Available stock at a location is what it holds less its ACTIVE reservations that have not expired.
Every writer that takes units out of a location (``sale_record``, ``transfer_send``, ``stock_reserve``)
locks the variants' balances there first, in primary-key order, and only then reads the reservations,
so two buyers racing for the last units are served one after the other and neither can take units the
other holds. A reservation that outlives its ``expires_at`` stops counting at once, even before the
expiry job marks it RELEASED.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping

from django.db.models import Case, Exists, F, OuterRef, Sum, Value, When
from django.db.models.functions import Greatest
from django.utils import timezone

from binakarya.catalog.models import Product, Variant
from binakarya.catalog.signals import catalog_changed_send
from binakarya.inventory.fifo import FifoStock, InsufficientStock
from binakarya.inventory.locks import balances_lock, reservations_lock, variants_lock
from binakarya.inventory.models import Location, Reservation, StockBalance


def reserved_by_variant(*, location_id: int, variant_ids: Iterable[int], exclude_reference: str = "") -> dict[int, int]:
    """Units held back by live reservations at a location, by variant id (one query).

    ``exclude_reference`` leaves out the caller's own reservations (a sale that consumes them).
    """
    ids = sorted(set(variant_ids))
    if not ids:
        return {}
    rows = Reservation.objects.filter(
        location_id=location_id, variant_id__in=ids, status=Reservation.Status.ACTIVE, expires_at__gt=timezone.now()
    )
    if exclude_reference:
        rows = rows.exclude(reference=exclude_reference)
    return dict(rows.order_by().values("variant_id").annotate(units=Sum("quantity")).values_list("variant_id", "units"))


def available_by_variant(*, location_id: int, variant_ids: Iterable[int]) -> dict[int, int]:
    """Units a location can still promise, by variant id: held less live reservations (no lock: a read)."""
    ids = sorted(set(variant_ids))
    held = dict(
        StockBalance.objects.filter(location_id=location_id, variant_id__in=ids)
        .order_by()
        .values("variant_id")
        .annotate(units=Sum("quantity"))
        .values_list("variant_id", "units")
    )
    reserved = reserved_by_variant(location_id=location_id, variant_ids=ids)
    return {pk: max(held.get(pk, 0) - reserved.get(pk, 0), 0) for pk in ids}


def stock_reserve(
    *,
    location: Location,
    wanted: Mapping[Variant, int],
    reference: str,
    expires_at: datetime.datetime,
) -> list[Reservation]:
    """Hold ``wanted`` units ({variant: units}) at ``location`` for ``reference`` until ``expires_at``.

    Call inside a transaction. Raises InsufficientStock naming every short SKU (what is available after
    other reservations, and what was wanted); nothing is reserved then. The variants' public stock figures
    drop by the units reserved.
    """
    totals: dict[int, int] = defaultdict(int)
    variants = {}
    for variant, units in wanted.items():
        totals[variant.pk] += units
        variants[variant.pk] = variant
    balances = balances_lock(location_id=location.pk, variant_ids=totals).filter(quantity__gt=0).select_related("lot")
    stock = FifoStock.from_balances(balances)
    short = stock.shortfalls(
        location_id=location.pk,
        location=location.name,
        wanted=totals,
        skus={pk: v.sku for pk, v in variants.items()},
        held_back=reserved_by_variant(location_id=location.pk, variant_ids=totals),
    )
    if short:
        raise InsufficientStock(short)
    _figures_lower(totals)
    return Reservation.objects.bulk_create(
        Reservation(
            organization_id=location.organization_id,
            location=location,
            variant_id=pk,
            quantity=units,
            reference=reference,
            expires_at=expires_at,
        )
        for pk, units in sorted(totals.items())
    )


def _figures_lower(totals: Mapping[int, int]) -> None:
    """Lower the variants' public stock figures by the units just reserved, and clear the in-stock flag of
    products left with none: three light statements on the hot path of every order, where
    ``variant_stock_refresh`` would sum every balance and reservation of the variants again. The variants are
    locked in primary-key order first, as every stock writer locks them."""
    ids = sorted(totals)
    variants_lock(variant_ids=ids)
    lowered = Case(*[When(pk=pk, then=Value(units)) for pk, units in totals.items()], default=Value(0))
    Variant.objects.filter(pk__in=ids).update(stock_quantity=Greatest(F("stock_quantity") - lowered, Value(0)))
    still = Exists(Variant.objects.filter(product_id=OuterRef("pk"), is_active=True, stock_quantity__gt=0))
    Product.objects.filter(
        pk__in=Variant.objects.filter(pk__in=ids, stock_quantity=0).values("product_id"),
        in_stock=True,
        made_to_order=False,
    ).exclude(still).update(in_stock=False)
    catalog_changed_send(variant_ids=ids)


def _close(reference: str, status: str) -> list[int]:
    """Close the ACTIVE reservations of ``reference``; return the variant ids whose figures change."""
    rows = reservations_lock(reference=reference)
    variant_ids = sorted({r.variant_id for r in rows})
    if rows:
        Reservation.objects.filter(pk__in=[r.pk for r in rows]).update(status=status, closed_at=timezone.now())
    return variant_ids


def reservations_release(*, reference: str) -> list[int]:
    """Give back the units ``reference`` holds (cancelled or expired); return the variant ids touched.

    The caller refreshes the variants' public stock figures (``variant_stock_refresh``).
    """
    return _close(reference, Reservation.Status.RELEASED)


def reservations_consume(*, reference: str) -> list[int]:
    """Mark the reservations of ``reference`` as sold (the sale took the units); return the variant ids."""
    return _close(reference, Reservation.Status.CONSUMED)


def reservation_extend(*, reference: str, expires_at: datetime.datetime) -> None:
    """Move the expiry of the ACTIVE reservations of ``reference`` (a payment is on its way)."""
    Reservation.objects.filter(reference=reference, status=Reservation.Status.ACTIVE).update(expires_at=expires_at)
