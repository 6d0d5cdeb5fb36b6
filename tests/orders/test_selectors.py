"""Who sees which orders, and what a buyer's link reaches."""

import pytest

from binakarya.orders.models import Order
from binakarya.orders.selectors import (
    cart_view,
    order_by_token,
    order_desk_counts,
    order_for,
    order_instructions,
    orders_by_checkout,
    orders_for,
)
from binakarya.orders.services import payment_proof_submit
from tests.factories import small_jpeg
from tests.orders.helpers import place, staff_of


def test_staff_see_only_their_own_organizations_orders(seller, other_seller):
    mine, theirs = place((seller["variant"], 1), (other_seller["variant"], 1))
    staff = staff_of(seller["org"])
    assert list(orders_for(user=staff)) == [mine]
    with pytest.raises(Order.DoesNotExist):
        order_for(user=staff, number=theirs.number)
    assert order_for(user=staff, number=mine.number.lower()) == mine


def test_oversight_roles_do_not_see_buyers_details(seller):
    place((seller["variant"], 1))
    viewer = staff_of(seller["org"], role="AUDITOR")
    assert list(orders_for(user=viewer)) == []


def test_the_desk_counts_what_needs_action(seller):
    (order,) = place((seller["variant"], 1))
    place((seller["variant"], 1), fulfillment="DELIVERY")
    payment_proof_submit(order=order, method="TRANSFER", amount_idr=1000, proof=small_jpeg())
    staff = staff_of(seller["org"])
    counts = order_desk_counts(user=staff)
    assert (counts.proof, counts.shipping, counts.awaiting, counts.pack) == (1, 1, 2, 0)
    assert list(orders_for(user=staff, needs="proof")) == [order]
    assert list(orders_for(user=staff, search="0812 3456 78")) != []
    assert list(orders_for(user=staff, search=order.number[-5:])) == [order]


def test_a_buyer_reaches_an_order_only_by_its_token(seller, other_seller):
    first, second = place((seller["variant"], 1), (other_seller["variant"], 1))
    assert order_by_token(token=first.token) == first
    with pytest.raises(Order.DoesNotExist):
        order_by_token(token="x" * 32)
    with pytest.raises(Order.DoesNotExist):
        order_by_token(token="")
    assert orders_by_checkout(checkout_token=first.checkout_token) == [first, second]
    assert orders_by_checkout(checkout_token="nothing") == []


def test_payment_instructions_name_the_exact_amount_and_the_account(seller):
    (order,) = place((seller["variant"], 1))
    instructions = order_instructions(order=order)
    assert instructions.amount_idr == order.total_idr
    transfer, qris = instructions.methods
    assert (transfer.method, transfer.account_number, transfer.ready) == ("TRANSFER", "0123456789", True)
    assert (qris.method, qris.ready) == ("QRIS", False)  # no QRIS image uploaded


def test_the_cart_groups_by_seller_and_shows_what_is_left(seller, other_seller):
    place((seller["variant"], 4))
    view = cart_view(lines={seller["variant"].sku: 7, other_seller["variant"].sku: 1, "GONE-1": 1})
    assert [s.name for s in view.sellers] == ["Rutan Purbalingga", "Rutan Sumenep"]
    item = view.sellers[1].items[0]
    assert (item.available, item.short) == (6, True)
    assert view.missing == ["GONE-1"]
    assert view.goods_idr == 7 * 150_000 + 85_000


def test_the_dashboard_counts_the_orders_that_need_something_done(seller, other_seller, client):
    from django.urls import reverse

    from binakarya.orders.selectors import orders_needing_action

    (order,) = place((seller["variant"], 1))
    place((seller["variant"], 1), fulfillment="DELIVERY")  # its fee is to be set
    place((other_seller["variant"], 1), fulfillment="DELIVERY")  # another seller's
    payment_proof_submit(order=order, method="TRANSFER", amount_idr=1000, proof=small_jpeg())
    staff = staff_of(seller["org"])
    assert orders_needing_action(user=staff) == 2

    client.force_login(staff)
    page = client.get(reverse("backoffice:dashboard"))
    assert page.context["orders_needing_action"] == 2
    assert reverse("backoffice:orders") in page.content.decode()
    viewer = staff_of(seller["org"], role="AUDITOR")
    assert orders_needing_action(user=viewer) == 0
