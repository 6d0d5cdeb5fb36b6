"""Made to order: a down payment that funds the group's materials, the date it should be ready, the sale at completion."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from binakarya.inventory.models import Reservation
from binakarya.ledger.models import CapitalMovement
from binakarya.orders.services import order_transition, payment_record
from binakarya.sales.models import Sale
from tests.factories import make_lot
from tests.orders.conftest import make_seller
from tests.orders.helpers import balances, place, staff_of


@pytest.fixture
def atelier(db):
    return make_seller(name="Lapas Bondowoso", units=0, price=1_000_000, made_to_order=True)


def test_a_made_to_order_order_asks_for_half_down_and_shows_when_it_will_be_ready(atelier):
    (order,) = place((atelier["variant"], 3))
    assert order.made_to_order and order.deposit_idr == 1_500_000
    assert order.due_now_idr == 1_500_000
    assert order.expected_ready_on == timezone.localdate() + datetime.timedelta(days=14)
    assert not Reservation.objects.exists()  # nothing to reserve: it is yet to be made


def test_the_deposit_percent_is_per_product_and_rounds_up(atelier):
    atelier["product"].deposit_percent = 30
    atelier["product"].save()
    atelier["variant"].price_idr = 333_333
    atelier["variant"].save()
    (order,) = place((atelier["variant"], 1))
    assert order.deposit_idr == 100_000  # 99,999.9 rounded up


def test_stock_goods_and_made_to_order_goods_of_one_seller_become_two_orders(atelier):
    from tests.factories import ProductFactory

    stocked = ProductFactory(producer=atelier["producer"], variants=[50_000], photos=1)
    variant = stocked.variants.get()
    make_lot(variant=variant, group=atelier["group"], location=atelier["showroom"], quantity=5)
    orders = place((atelier["variant"], 1), (variant, 2))
    assert sorted(o.made_to_order for o in orders) == [False, True]


def test_the_down_payment_funds_materials_and_the_sale_at_completion_recovers_it(atelier):
    staff = staff_of(atelier["org"])
    (order,) = place((atelier["variant"], 2))

    # the down payment: the order is PAID (in production), the money is in the group's capital fund
    payment_record(actor=staff, order=order, amount_idr=order.deposit_idr, method="TRANSFER")
    order.refresh_from_db()
    assert (order.status, order.payment_state) == ("PAID", "PENDING")
    assert not Sale.objects.exists()
    movement = CapitalMovement.objects.get()
    assert (movement.kind, movement.group, movement.amount_idr) == ("ORDER_DEPOSIT", atelier["group"], 1_000_000)
    assert balances(atelier["org"])["CAPITAL_FUND"] == -1_000_000

    # it cannot be handed over before the rest is paid, nor completed before the goods exist
    order_transition(actor=staff, order=order, to="PACKED")
    with pytest.raises(ValidationError) as caught:
        order_transition(actor=staff, order=order, to="READY_FOR_PICKUP")
    assert caught.value.error_dict["to"][0].code == "balance_due"
    payment_record(actor=staff, order=order, amount_idr=order.total_idr - order.deposit_idr, method="TRANSFER")
    order_transition(actor=staff, order=order, to="READY_FOR_PICKUP")
    with pytest.raises(ValidationError) as caught:
        order_transition(actor=staff, order=order, to="COMPLETED")
    assert caught.value.error_dict["to"][0].code == "insufficient_stock"

    # the group makes the two pieces; completing the order records the sale and pays the premi
    make_lot(variant=atelier["variant"], group=atelier["group"], location=atelier["showroom"], quantity=2, cost=400_000)
    order_transition(actor=staff, order=order, to="COMPLETED")

    order.refresh_from_db()
    assert (order.status, order.payment_state) == ("COMPLETED", "PAID")
    sale = Sale.objects.get()
    assert (sale.channel, sale.gross_idr) == ("WEB", 2_000_000)
    assert CapitalMovement.objects.filter(kind="DEPOSIT_APPLIED").get().amount_idr == 1_000_000
    books = balances(atelier["org"])
    assert books["BANK"] == order.total_idr
    assert books.get("BUYER_DEPOSITS", 0) == 0 and books.get("CASH", 0) == 0
    # the fund now holds only the sale's capital share (the advance was recovered)
    capital_share = sum(sale.entry.lines.filter(account__kind="CAPITAL_FUND").values_list("amount_idr", flat=True))
    assert capital_share < 0
    assert books["CAPITAL_FUND"] == capital_share


def test_a_cancelled_made_to_order_order_refunds_its_deposit_out_of_the_capital_fund(atelier):
    from binakarya.orders.services import order_cancel, order_refund

    staff = staff_of(atelier["org"])
    (order,) = place((atelier["variant"], 1))
    payment_record(actor=staff, order=order, amount_idr=order.deposit_idr, method="TRANSFER")
    order.refresh_from_db()
    order_cancel(actor=staff, order=order, reason="Pembeli batal")
    order.refresh_from_db()
    assert order.needs_refund
    order_refund(actor=staff, order=order, amount_idr=order.deposit_idr, method="TRANSFER")
    assert CapitalMovement.objects.filter(kind="DEPOSIT_REFUNDED").get().amount_idr == 500_000
    books = balances(atelier["org"])
    assert books.get("CAPITAL_FUND", 0) == 0 and books.get("BANK", 0) == 0


def test_completing_names_the_lot_made_for_the_order_so_its_makers_earn_the_premi(atelier):
    from binakarya.ledger.selectors import maker_premi_owed
    from tests.factories import GroupMembershipFactory

    staff = staff_of(atelier["org"])
    (order,) = place((atelier["variant"], 1))
    payment_record(actor=staff, order=order, amount_idr=order.total_idr, method="TRANSFER")
    order_transition(actor=staff, order=order, to="READY_FOR_PICKUP")
    # an older piece by the group's first makers sits in the showroom; the new one is made by a newcomer alone
    make_lot(variant=atelier["variant"], group=atelier["group"], location=atelier["showroom"], quantity=1)
    newcomer = GroupMembershipFactory(group=atelier["group"]).maker
    made = make_lot(
        variant=atelier["variant"], group=atelier["group"], location=atelier["showroom"], quantity=1, makers=[newcomer]
    )
    with pytest.raises(ValidationError) as caught:
        order_transition(actor=staff, order=order, to="COMPLETED", lot_code="LOT-NOPE")
    assert caught.value.error_dict["lot"][0].code == "lot"

    order_transition(actor=staff, order=order, to="COMPLETED", lot_code=made.code.lower())

    assert Sale.objects.get().lines.get().lot == made
    assert maker_premi_owed(maker=newcomer) > 0
    assert all(maker_premi_owed(maker=m) == 0 for m in atelier["members"])
