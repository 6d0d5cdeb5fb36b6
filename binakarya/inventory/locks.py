"""Row locks for stock, always taken in primary-key order so that two writers cannot deadlock."""

from collections.abc import Iterable

from django.db.models import QuerySet

from binakarya.catalog.models import Variant
from binakarya.inventory.models import Reservation, StockBalance, Transfer


def balances_lock(*, location_id: int, variant_ids: Iterable[int]) -> QuerySet[StockBalance]:
    """Lock the balances of ``variant_ids`` at ``location_id`` (FOR UPDATE on PostgreSQL).

    SQLite has no row locks; its IMMEDIATE transactions already serialise writers.
    """
    return (
        StockBalance.objects.select_for_update(of=("self",))
        .filter(location_id=location_id, variant_id__in=sorted(set(variant_ids)))
        .order_by("pk")
    )


def balances_lock_lots(*, location_id: int, lot_ids: Iterable[int]) -> QuerySet[StockBalance]:
    return (
        StockBalance.objects.select_for_update(of=("self",))
        .filter(location_id=location_id, lot_id__in=sorted(set(lot_ids)))
        .order_by("pk")
    )


def transfer_lock(*, transfer_id: int) -> Transfer:
    """Lock a transfer (FOR UPDATE) so that it is received once; raises Transfer.DoesNotExist."""
    return Transfer.objects.select_for_update(of=("self",)).get(pk=transfer_id)


def variants_lock(*, variant_ids: Iterable[int]) -> None:
    """Lock variants (FOR UPDATE, primary-key order) before their stock figures are rewritten."""
    list(
        Variant.objects.select_for_update(of=("self",))
        .filter(pk__in=sorted(set(variant_ids)))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def reservations_lock(*, reference: str) -> list[Reservation]:
    """Lock the ACTIVE reservations of one holder (FOR UPDATE, primary-key order) before closing them."""
    return list(
        Reservation.objects.select_for_update(of=("self",))
        .filter(reference=reference, status=Reservation.Status.ACTIVE)
        .order_by("pk")
    )
