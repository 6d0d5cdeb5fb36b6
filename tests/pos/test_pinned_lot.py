"""sale_record with a line pinned to a lot (the hang tag scanned at the till): the units come from that lot."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from binakarya.inventory.fifo import InsufficientStock
from binakarya.inventory.models import StockBalance
from binakarya.inventory.reservations import stock_reserve
from binakarya.ledger.models import JournalLine
from binakarya.ledger.selectors import maker_premi_owed
from binakarya.sales.models import Channel
from binakarya.sales.services import SaleLineInput, sale_record


def sell(bazaar, lines):
    return sale_record(actor=bazaar["cashier"], location=bazaar["event"], channel=Channel.POS, lines=lines)


def test_the_premi_goes_to_the_pinned_lots_makers(bazaar):
    ahmad, slamet, _joko = bazaar["makers"]
    sale = sell(bazaar, [SaleLineInput("SMP-BTK-001", 1, 450_000, lot_code=bazaar["new_lot"].code)])
    (line,) = sale.lines.all()
    assert line.lot == bazaar["new_lot"]
    premi_lines = JournalLine.objects.filter(sale_line=line, account__kind="PREMI_PAYABLE")
    assert {jl.account.maker_id for jl in premi_lines} == {slamet.pk}
    assert maker_premi_owed(maker=slamet) == sale.premi_idr > 0
    assert maker_premi_owed(maker=ahmad) == 0


def test_pinned_lines_take_first_so_the_fifo_lines_take_the_rest(bazaar):
    """Three of the old lot pinned and two more by SKU: the SKU line takes from the new lot, not the pinned one."""
    sale = sell(
        bazaar,
        [
            SaleLineInput("SMP-BTK-001", 2, 450_000),
            SaleLineInput("SMP-BTK-001", 3, 450_000, lot_code=bazaar["old_lot"].code),
        ],
    )
    lines = [(line.lot_id, line.quantity) for line in sale.lines.order_by("pk")]
    assert lines == [(bazaar["new_lot"].pk, 2), (bazaar["old_lot"].pk, 3)]
    assert StockBalance.objects.get(lot=bazaar["old_lot"], location=bazaar["event"]).quantity == 0


def test_a_pinned_lot_must_hold_the_units_and_be_of_the_sku(bazaar):
    with pytest.raises(InsufficientStock) as exc:
        sell(bazaar, [SaleLineInput("SMP-BTK-001", 4, 450_000, lot_code=bazaar["new_lot"].code)])
    (short,) = exc.value.shortfalls
    assert (short.sku, short.lot, short.available, short.wanted) == ("SMP-BTK-001", bazaar["new_lot"].code, 3, 4)
    with pytest.raises(ValidationError) as verr:
        sell(bazaar, [SaleLineInput("SMP-PCT-001", 1, 75_000, lot_code=bazaar["new_lot"].code)])
    assert verr.value.error_dict["lines"][0].code == "lot_variant"
    with pytest.raises(ValidationError) as verr:
        sell(bazaar, [SaleLineInput("SMP-BTK-001", 1, 450_000, lot_code="ZZZZZZ")])
    assert verr.value.error_dict["lines"][0].code == "unknown_lot"
    # At the store the lot holds nothing any more: all of it went to the bazaar.
    with pytest.raises(InsufficientStock):
        sale_record(
            actor=bazaar["cashier"],
            location=bazaar["store"],
            channel=Channel.POS,
            lines=[SaleLineInput("SMP-BTK-001", 1, 450_000, lot_code=bazaar["new_lot"].code)],
        )


def test_a_pinned_lot_cannot_take_units_reserved_for_an_order(bazaar):
    """Reservations hold units of a variant: a scanned lot sells only while enough of the variant is unreserved."""
    stock_reserve(
        location=bazaar["event"],
        wanted={bazaar["batik"]: 5},
        reference="PSN-TEST-1",
        expires_at=timezone.now() + datetime.timedelta(hours=1),
    )
    sell(bazaar, [SaleLineInput("SMP-BTK-001", 1, 450_000, lot_code=bazaar["new_lot"].code)])
    with pytest.raises(InsufficientStock):
        sell(bazaar, [SaleLineInput("SMP-BTK-001", 1, 450_000, lot_code=bazaar["new_lot"].code)])
