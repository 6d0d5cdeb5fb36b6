"""An order's life: transitions, cancelling, expiry giving stock back, and payments that arrive late."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from binakarya.inventory.models import Reservation, StockBalance
from binakarya.orders.models import Order
from binakarya.orders.services import (
    next_statuses,
    order_cancel,
    order_refund,
    order_transition,
    orders_expire,
    payment_record,
)
from binakarya.sales.models import Sale
from binakarya.sales.services import SaleLineInput, sale_record
from tests.orders.helpers import balances, place, staff_of


@pytest.fixture
def staff(seller):
    return staff_of(seller["org"])


def paid(order, staff):
    payment_record(actor=staff, order=order, amount_idr=order.total_idr, method="TRANSFER")
    order.refresh_from_db()
    return order


def test_a_delivery_goes_paid_packed_shipped_completed(seller, staff):
    (order,) = place((seller["variant"], 1), fulfillment="DELIVERY")
    order.shipping_idr = 0
    order.save()
    order = paid(order, staff)
    assert next_statuses(order) == ["PACKED"]
    with pytest.raises(ValidationError):
        order_transition(actor=staff, order=order, to="COMPLETED")

    order_transition(actor=staff, order=order, to="PACKED")
    with pytest.raises(ValidationError) as caught:
        order_transition(actor=staff, order=order, to="SHIPPED", courier="JNE")
    assert set(caught.value.error_dict) == {"resi"}
    order_transition(actor=staff, order=order, to="SHIPPED", courier="JNE", resi="JNE0012345678")
    order_transition(actor=staff, order=order, to="COMPLETED")

    order.refresh_from_db()
    assert (order.status, order.courier, order.resi) == ("COMPLETED", "JNE", "JNE0012345678")
    assert list(order.events.filter(kind="STATUS").values_list("status", flat=True)) == [
        "PAID",
        "PACKED",
        "SHIPPED",
        "COMPLETED",
    ]


def test_a_pickup_goes_ready_for_pickup_then_completed(seller, staff):
    (order,) = place((seller["variant"], 1))
    order = paid(order, staff)
    order_transition(actor=staff, order=order, to="READY_FOR_PICKUP")
    with pytest.raises(ValidationError):
        order_transition(actor=staff, order=order, to="SHIPPED", courier="x", resi="y")
    order_transition(actor=staff, order=order, to="COMPLETED")
    assert Order.objects.get(pk=order.pk).status == "COMPLETED"


def test_an_unpaid_order_cannot_be_packed(seller, staff):
    (order,) = place((seller["variant"], 1))
    with pytest.raises(ValidationError):
        order_transition(actor=staff, order=order, to="PACKED")


def test_the_buyer_cancels_and_the_stock_comes_back(seller):
    (order,) = place((seller["variant"], 4))
    order_cancel(actor=None, order=order, reason="Salah ukuran", by_buyer=True)
    order.refresh_from_db()
    assert order.status == "CANCELLED"
    assert Reservation.objects.get().status == "RELEASED"
    seller["variant"].refresh_from_db()
    assert seller["variant"].stock_quantity == 10


def test_staff_cancel_a_paid_order_before_it_leaves_and_the_money_is_to_be_refunded(seller, staff):
    (order,) = place((seller["variant"], 2))
    order = paid(order, staff)
    order_cancel(actor=staff, order=order, reason="Pembeli membatalkan")
    order.refresh_from_db()
    assert order.status == "CANCELLED" and order.needs_refund and order.sale_id is None
    assert Sale.objects.get().status == "REVERSED"
    assert StockBalance.objects.get(location=seller["showroom"]).quantity == 10
    books = balances(seller["org"])
    assert books["BUYER_DEPOSITS"] == -order.total_idr  # held for the buyer again
    order_refund(actor=staff, order=order, amount_idr=order.total_idr, method="TRANSFER")
    order.refresh_from_db()
    assert order.payment_state == "REFUNDED" and not order.needs_refund
    books = balances(seller["org"])
    assert books.get("BANK", 0) == 0 and books.get("BUYER_DEPOSITS", 0) == 0
    assert books.get("PREMI_PAYABLE", 0) == 0


def test_the_buyer_may_not_cancel_once_paid(seller, staff):
    (order,) = place((seller["variant"], 1))
    order = paid(order, staff)
    with pytest.raises(ValidationError):
        order_cancel(actor=None, order=order, by_buyer=True)


def test_an_expired_reservation_gives_its_stock_back(seller):
    (order,) = place((seller["variant"], 6))
    # a reservation past its time no longer holds units, even before the expiry job runs
    Order.objects.filter(pk=order.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    Reservation.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    (again,) = place((seller["variant"], 10))
    assert again.status == "AWAITING_PAYMENT"
    order_cancel(actor=None, order=again, by_buyer=True)

    assert orders_expire() == 1

    order.refresh_from_db()
    assert (order.status, order.payment_state) == ("EXPIRED", "EXPIRED")
    assert Reservation.objects.get(reference=f"order:{order.token}").status == "RELEASED"
    seller["variant"].refresh_from_db()
    assert seller["variant"].stock_quantity == 10
    assert orders_expire() == 0


def expire(order):
    Order.objects.filter(pk=order.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    Reservation.objects.filter(reference=f"order:{order.token}").update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert orders_expire() == 1
    order.refresh_from_db()
    return order


def test_a_late_payment_reserves_the_goods_again_when_they_are_still_there(seller, staff):
    (order,) = place((seller["variant"], 3))
    order = expire(order)

    payment_record(actor=staff, order=order, amount_idr=order.total_idr, method="TRANSFER")

    order.refresh_from_db()
    assert (order.status, order.payment_state) == ("PAID", "LATE_PAID")
    assert order.sale_id and not order.needs_refund
    assert order.events.filter(kind="LATE_PAYMENT", params__restocked=True).exists()


def test_a_late_payment_with_the_stock_gone_is_flagged_for_a_refund_not_lost(seller, staff):
    (order,) = place((seller["variant"], 3))
    order = expire(order)
    # meanwhile the showroom sold 8 of its 10 units at the counter
    sale_record(
        actor=None,
        location=seller["showroom"],
        channel="POS",
        lines=[SaleLineInput(seller["variant"].sku, 8, 150_000)],
    )

    payment_record(actor=staff, order=order, amount_idr=order.total_idr, method="TRANSFER")

    order.refresh_from_db()
    assert (order.status, order.payment_state, order.needs_refund) == ("EXPIRED", "LATE_PAID", True)
    assert order.paid_idr == order.total_idr and order.sale_id is None
    assert balances(seller["org"])["BUYER_DEPOSITS"] == -order.total_idr
    from binakarya.orders.selectors import orders_for

    assert list(orders_for(user=staff, needs="late")) == [order]

    order_refund(actor=staff, order=order, amount_idr=order.total_idr, method="TRANSFER", reason="Stok habis")
    order.refresh_from_db()
    assert order.payment_state == "REFUNDED" and not order.needs_refund
    assert list(orders_for(user=staff, needs="late")) == []


def test_a_counter_sale_cannot_take_units_held_for_an_order(seller):
    place((seller["variant"], 9))
    from binakarya.inventory.fifo import InsufficientStock

    with pytest.raises(InsufficientStock) as caught:
        sale_record(
            actor=None,
            location=seller["showroom"],
            channel="POS",
            lines=[SaleLineInput(seller["variant"].sku, 2, 150_000)],
        )
    assert caught.value.shortfalls[0].available == 1
