"""Money that arrives at an awkward moment is kept and flagged, never lost or refused."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from binakarya.inventory.models import Reservation
from binakarya.orders.models import Order
from binakarya.orders.selectors import orders_for
from binakarya.orders.services import (
    RateInput,
    orders_expire,
    payment_proof_submit,
    payment_record,
    shipping_fee_set,
    shipping_rates_replace,
)
from tests.factories import small_jpeg
from tests.orders.conftest import make_seller
from tests.orders.helpers import balances, place, staff_of


@pytest.fixture
def staff(seller):
    return staff_of(seller["org"])


def lapse(order):
    """The order's time is up (the expiry job has not run yet)."""
    past = timezone.now() - datetime.timedelta(minutes=1)
    Order.objects.filter(pk=order.pk).update(expires_at=past)
    Reservation.objects.filter(reference=order.reference).update(expires_at=past)
    order.refresh_from_db()


def test_an_order_that_expires_part_paid_is_flagged_for_a_refund(seller, staff):
    (order,) = place((seller["variant"], 1))
    payment_record(actor=staff, order=order, amount_idr=50_000, method="TRANSFER")
    lapse(order)
    assert orders_expire() == 1
    order.refresh_from_db()
    assert (order.status, order.needs_refund) == ("EXPIRED", True)
    assert list(orders_for(user=staff, needs="late")) == [order]


def test_money_for_a_lapsed_order_whose_units_went_elsewhere_is_kept_and_flagged(seller, staff):
    (order,) = place((seller["variant"], 10))
    lapse(order)
    place((seller["variant"], 10))  # another buyer takes the ten units the lapsed order no longer holds

    payment_record(actor=staff, order=order, amount_idr=order.total_idr, method="TRANSFER")

    order.refresh_from_db()
    assert (order.status, order.payment_state, order.needs_refund) == ("EXPIRED", "LATE_PAID", True)
    assert order.paid_idr == order.total_idr and order.sale_id is None
    assert balances(seller["org"])["BUYER_DEPOSITS"] == -order.total_idr


def test_a_late_payment_gets_a_new_deadline_in_the_future(db):
    atelier = make_seller(name="Lapas Bondowoso", units=0, price=1_000_000, made_to_order=True)
    staff = staff_of(atelier["org"])
    (order,) = place((atelier["variant"], 1))
    lapse(order)
    orders_expire()
    payment_record(actor=staff, order=order, amount_idr=100_000, method="TRANSFER")
    order.refresh_from_db()
    assert order.status == "AWAITING_PAYMENT" and order.expires_at > timezone.now()
    assert not order.needs_refund


def test_the_fee_set_after_the_reservation_lapsed_takes_the_units_again_only_if_they_are_there(seller, staff):
    (waiting,) = place((seller["variant"], 6), fulfillment="DELIVERY")
    lapse(waiting)
    place((seller["variant"], 8))  # 8 of 10 promised to someone else meanwhile

    with pytest.raises(ValidationError) as caught:
        shipping_fee_set(actor=staff, order=waiting, fee_idr=15_000)
    assert caught.value.error_dict["fee_idr"][0].code == "insufficient_stock"
    assert sum(r.quantity for r in Reservation.objects.filter(status="ACTIVE", expires_at__gt=timezone.now())) == 8

    (other,) = place((seller["variant"], 2), fulfillment="DELIVERY")
    lapse(other)
    shipping_fee_set(actor=staff, order=other, fee_idr=15_000)
    other.refresh_from_db()
    assert other.expires_at > timezone.now()
    assert Reservation.objects.get(reference=other.reference, status="ACTIVE").quantity == 2


def test_money_paid_before_the_fee_is_known_is_not_an_overpayment(seller, staff):
    (order,) = place((seller["variant"], 1), fulfillment="DELIVERY")
    payment_record(actor=staff, order=order, amount_idr=order.goods_idr + 40_000, method="TRANSFER")
    order.refresh_from_db()
    assert not order.needs_refund  # the total is not known yet
    shipping_fee_set(actor=staff, order=order, fee_idr=30_000)
    order.refresh_from_db()
    assert order.status == "PAID"
    assert order.needs_refund == (order.paid_idr > order.total_idr)


def test_no_proof_while_the_fee_is_unknown(seller):
    (order,) = place((seller["variant"], 1), fulfillment="DELIVERY")
    with pytest.raises(ValidationError) as caught:
        payment_proof_submit(order=order, method="TRANSFER", amount_idr=1000, proof=small_jpeg())
    assert caught.value.error_dict["__all__"][0].code == "fee_pending"


def test_days_on_the_way_are_bounded(seller, staff):
    with pytest.raises(ValidationError):
        shipping_rates_replace(
            actor=staff, organization=seller["org"], rates=[RateInput("Jawa Timur", "", 1000, 10_000, "JNE", 40_000)]
        )


def test_the_email_asks_only_for_what_is_still_due(seller, staff, settings):
    from django.core import mail

    from binakarya.orders.notifications import order_email_send

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    (order,) = place((seller["variant"], 2))
    payment_record(actor=staff, order=order, amount_idr=100_000, method="TRANSFER")
    order.refresh_from_db()
    order_email_send.call(order.pk, "status")
    body = mail.outbox[-1].body
    from binakarya.core.money import format_rupiah

    assert format_rupiah(order.total_idr - 100_000) in body
    assert format_rupiah(order.total_idr) not in body
