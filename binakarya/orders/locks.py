"""Row locks of orders, taken in primary-key order."""

from collections.abc import Iterable

from binakarya.orders.models import Order, Payment


def order_lock(*, order_id: int) -> Order:
    """Lock one order (FOR UPDATE) and return it fresh; raises Order.DoesNotExist."""
    return Order.objects.select_for_update(of=("self",)).select_related("organization", "location").get(pk=order_id)


def orders_lock(*, order_ids: Iterable[int]) -> list[Order]:
    return list(
        Order.objects.select_for_update(of=("self",))
        .select_related("organization", "location")
        .filter(pk__in=sorted(set(order_ids)))
        .order_by("pk")
    )


def payment_lock(*, payment_id: int) -> Payment:
    return Payment.objects.select_for_update(of=("self",)).get(pk=payment_id)
