"""Placing orders: one per seller, stock reserved, totals, shipping from the rate table, all or nothing."""

import pytest
from django.core.exceptions import ValidationError

from binakarya.inventory.models import Reservation
from binakarya.orders.models import Order, OrderEvent
from binakarya.orders.services import Address, Buyer, CartLine, RateInput, orders_place, shipping_rates_replace
from tests.orders.helpers import ADDRESS, place, staff_of


def test_a_cart_of_two_sellers_becomes_two_orders_with_their_stock_reserved(seller, other_seller):
    # when a buyer orders 2 of one seller's product and 1 of another's
    orders = place((seller["variant"], 2), (other_seller["variant"], 1))

    # then there is one order per seller, placed together
    assert [o.organization for o in orders] == [seller["org"], other_seller["org"]]
    assert orders[0].checkout_token == orders[1].checkout_token
    assert orders[0].token != orders[1].token
    first = orders[0]
    assert first.status == Order.Status.AWAITING_PAYMENT
    assert first.number.startswith("PSN-") and first.number.endswith("-00001")
    assert first.buyer_phone == "+6281234567890"
    assert first.goods_idr == 300_000
    assert 1 <= first.unique_code_idr <= 999
    assert first.total_idr == 300_000 + first.unique_code_idr  # pickup: no shipping
    assert [(line.sku, line.quantity, line.unit_price_idr) for line in first.lines.all()] == [
        (seller["variant"].sku, 2, 150_000)
    ]
    # and the units are reserved at the seller's order location, so the public figure drops
    reservation = Reservation.objects.get(variant=seller["variant"])
    assert (reservation.location, reservation.quantity, reservation.status) == (seller["showroom"], 2, "ACTIVE")
    seller["variant"].refresh_from_db()
    assert seller["variant"].stock_quantity == 8
    assert OrderEvent.objects.filter(order=first, kind=OrderEvent.Kind.PLACED).count() == 1


def test_the_shipping_fee_comes_from_the_rate_table_regency_first(seller):
    staff = staff_of(seller["org"])
    shipping_rates_replace(
        actor=staff,
        organization=seller["org"],
        rates=[
            RateInput("Jawa Timur", "", 1000, 25_000, "JNE REG"),
            RateInput("Jawa Timur", "", 5000, 60_000, "JNE REG"),
            RateInput("Jawa Timur", "Kabupaten Sumenep", 1000, 10_000, "Kurir Rutan"),
            RateInput("Jawa Timur", "Kabupaten Sumenep", 5000, 20_000, "Kurir Rutan"),
        ],
    )

    # 2 × 400 g = 800 g to Sumenep: the regency's first band
    (order,) = place((seller["variant"], 2), fulfillment="DELIVERY")
    assert (order.shipping_idr, order.courier) == (10_000, "Kurir Rutan")
    # 3 × 400 g = 1,200 g elsewhere in the province (case and spaces do not matter): the province's second band
    (other,) = place(
        (seller["variant"], 3),
        fulfillment="DELIVERY",
        address=Address("jawa  timur", "Kota Malang", "Klojen", "Jl. Ijen 1", "65119"),
    )
    assert (other.shipping_idr, other.courier) == (60_000, "JNE REG")
    assert other.total_idr == other.goods_idr + 60_000 + other.unique_code_idr


def test_without_a_rate_the_fee_waits_for_staff(seller):
    (order,) = place((seller["variant"], 1), fulfillment="DELIVERY")
    assert order.shipping_idr is None
    assert order.shipping_pending
    assert order.total_idr == order.goods_idr + order.unique_code_idr


def test_not_enough_stock_names_the_product_and_places_nothing(seller, other_seller):
    with pytest.raises(ValidationError) as caught:
        place((other_seller["variant"], 1), (seller["variant"], 11))

    (error,) = caught.value.error_dict["lines"]
    assert error.code == "insufficient_stock"
    assert error.params["sku"] == seller["variant"].sku
    assert seller["product"].name in error.messages[0]
    assert "10 left" in error.messages[0]
    # all or nothing: the other seller's order was not kept either
    assert not Order.objects.exists()
    assert not Reservation.objects.exists()


def test_units_reserved_for_one_buyer_are_not_sold_to_the_next(seller):
    place((seller["variant"], 7))
    with pytest.raises(ValidationError) as caught:
        place((seller["variant"], 4))
    assert caught.value.error_dict["lines"][0].params == {"sku": seller["variant"].sku, "available": 3, "wanted": 4}


def test_bad_buyer_details_are_named_field_by_field(seller):
    with pytest.raises(ValidationError) as caught:
        orders_place(
            lines=[CartLine(seller["variant"].sku, 1)],
            buyer=Buyer(" ", "12345", "not-an-email"),
            fulfillment="DELIVERY",
            address=Address("", "", "", "", "12"),
        )
    fields = set(caught.value.error_dict)
    assert {"name", "phone", "email", "province", "regency", "district", "address", "postal_code"} <= fields
    assert not Order.objects.exists()


def test_unknown_and_unpublished_products_are_refused(seller):
    seller["product"].is_published = False
    seller["product"].save()
    with pytest.raises(ValidationError) as caught:
        place((seller["variant"], 1))
    assert caught.value.error_dict["lines"][0].code == "unknown_sku"


def test_a_seller_without_shop_settings_does_not_take_web_orders(seller):
    seller["org"].shop_settings.delete()
    with pytest.raises(ValidationError) as caught:
        place((seller["variant"], 1))
    assert caught.value.error_dict["lines"][0].code == "seller_closed"


def test_staff_enter_a_whatsapp_order_for_their_own_organization_only(seller, other_seller):
    staff = staff_of(seller["org"])
    (order,) = place((seller["variant"], 1), channel=Order.Channel.WHATSAPP, organization=seller["org"], actor=staff)
    assert order.channel == Order.Channel.WHATSAPP and order.created_by == staff

    with pytest.raises(ValidationError) as caught:
        place((other_seller["variant"], 1), channel=Order.Channel.WHATSAPP, organization=seller["org"], actor=staff)
    assert caught.value.error_dict["lines"][0].code == "unknown_sku"


def test_staff_of_another_organization_may_not_enter_its_orders(seller, other_seller):
    from django.core.exceptions import PermissionDenied

    outsider = staff_of(other_seller["org"])
    with pytest.raises(PermissionDenied):
        place((seller["variant"], 1), channel=Order.Channel.WHATSAPP, organization=seller["org"], actor=outsider)


def test_delivery_address_is_kept_and_pickup_keeps_none(seller):
    (delivery,) = place((seller["variant"], 1), fulfillment="DELIVERY")
    assert (delivery.province, delivery.regency, delivery.postal_code) == (
        ADDRESS.province,
        ADDRESS.regency,
        ADDRESS.postal_code,
    )
    (pickup,) = place((seller["variant"], 1), fulfillment="PICKUP", address=ADDRESS)
    assert pickup.address == "" and pickup.province == ""
