"""manage.py orders_expire: overdue orders expire (their reservations released), old idempotency records go."""

import datetime
import io

from django.core.management import call_command
from django.utils import timezone

from binakarya.inventory.models import Reservation
from binakarya.orders.models import IdempotencyRecord, Order
from binakarya.orders.services import Buyer, CartLine, orders_place


def _place(seller, quantity=1):
    (order,) = orders_place(
        lines=[CartLine(seller["variant"].sku, quantity)],
        buyer=Buyer("Siti Aminah", "0812 3456 7890"),
        fulfillment="PICKUP",
    )
    return order


def test_expires_overdue_orders_and_purges_old_records(seller):
    overdue, current = _place(seller, 2), _place(seller, 1)
    Order.objects.filter(pk=overdue.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    now = timezone.now()
    IdempotencyRecord.objects.create(
        scope="api", key="old-key-1", request_hash="x", expires_at=now - datetime.timedelta(hours=1)
    )
    IdempotencyRecord.objects.create(
        scope="api", key="new-key-1", request_hash="y", expires_at=now + datetime.timedelta(hours=1)
    )
    out = io.StringIO()

    call_command("orders_expire", stdout=out)

    overdue.refresh_from_db()
    current.refresh_from_db()
    assert (overdue.status, overdue.payment_state) == (Order.Status.EXPIRED, Order.PaymentState.EXPIRED)
    assert current.status == Order.Status.AWAITING_PAYMENT
    assert Reservation.objects.get(reference=f"order:{overdue.token}").status == Reservation.Status.RELEASED
    assert Reservation.objects.get(reference=f"order:{current.token}").status == Reservation.Status.ACTIVE
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["new-key-1"]
    assert "Expired 1 order(s); purged 1 idempotency record(s)." in out.getvalue()


def test_expires_in_batches(seller):
    orders = [_place(seller) for _ in range(3)]
    Order.objects.filter(pk__in=[o.pk for o in orders]).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )

    call_command("orders_expire", "--limit", "2", stdout=io.StringIO())

    assert set(Order.objects.values_list("status", flat=True)) == {Order.Status.EXPIRED}
