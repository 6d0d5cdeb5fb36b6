"""The same goods are charged the same whoever records them, the history agrees with the statements, and an
issued statement prints as it was issued.

- Goods placed at their own price (the tanda terima's) sell, are charged for damage, and import at that price,
  as the shelf shows it.
- A partial return is netted in the history and the review as in the statements.
- A sale returned after its period's statement was issued leaves the issued statement as both sides got it.
"""

import datetime

import pytest

from binakarya.consignment.importing import ImportRefused, outlet_sales_import
from binakarya.consignment.returns import ShelfLine, outlet_damage_record
from binakarya.consignment.review import agreement_history, agreement_review
from binakarya.consignment.selectors import consignment_statement, issued_statement, outlet_stock_for
from binakarya.consignment.services import (
    OutletSaleLine,
    PlacementLineInput,
    agreement_create,
    consignment_statement_issue,
    outlet_sale_record,
    placement_receive,
    placement_send,
)
from binakarya.ledger.selectors import outlet_owed
from binakarya.sales.services import sale_reverse
from tests.consignment.settle import previous_period_of_month, sell, shelf_agreement


@pytest.fixture
def priced_shelf(world, today):
    """Whips placed at Rp90.000 (the catalog says Rp75.000), 20 %, damage borne by the outlet."""
    agreement = agreement_create(
        actor=world["admin"],
        organization=world["facility"],
        outlet=world["hotel"],
        commission_percent_bp=2000,
        settlement_period="MONTHLY",
        payment_days=14,
        start_date=today - datetime.timedelta(days=40),
        damage_borne_by="OUTLET",
    )
    placement = placement_send(
        actor=world["admin"],
        agreement=agreement,
        from_location=world["store"],
        lines=[PlacementLineInput(world["whip"], 6, 90_000)],
    )
    placement_receive(actor=world["partner"], placement=placement)
    return agreement


def test_goods_placed_at_their_own_price_are_charged_at_it_however_recorded(world, today, priced_shelf):
    # the shelf shows Rp90.000
    assert {row.unit_price_idr for row in outlet_stock_for(user=world["partner"], agreement=priced_shelf)} == {90_000}

    # when the partner picks one as sold, one is found damaged, and the till's CSV names one without a price
    picked = outlet_sale_record(
        actor=world["partner"], agreement=priced_shelf, sold_date=today, lines=[OutletSaleLine("SMP-PCT-001", 1)]
    )
    outlet_damage_record(actor=world["admin"], agreement=priced_shelf, lines=[ShelfLine("SMP-PCT-001", 1)])
    outlet_sales_import(
        actor=world["partner"],
        agreement=priced_shelf,
        data=f"tanggal;sku;jumlah\n{today.isoformat()};SMP-PCT-001;1\n".encode(),
        file_name="kasir.csv",
    )

    # then all three are charged Rp90.000 less 20 %: the outlet owes 3 × Rp72.000
    assert picked.sale.lines.get().unit_price_idr == 90_000
    assert outlet_owed(organization=world["facility"], outlet=world["hotel"]) == 3 * 72_000


def test_a_row_at_the_shelf_price_is_not_refused_as_unusual(world, today, priced_shelf):
    result = outlet_sales_import(
        actor=world["partner"],
        agreement=priced_shelf,
        data=f"tanggal;sku;jumlah;harga\n{today.isoformat()};SMP-PCT-001;2;Rp90.000\n".encode(),
        file_name="kasir.csv",
    )
    assert (result.units, result.gross_idr) == (2, 180_000)


def test_the_history_and_the_review_net_a_partial_return_as_the_statement_does(world, today):
    agreement = shelf_agreement(world, today)
    start, end = previous_period_of_month(today)
    sold = sell(world, agreement, start, whips=3)
    sale_reverse(actor=world["admin"], sale=sold.sale, lines={sold.sale.lines.get().pk: 1}, reason="Retur pembeli")

    statement = consignment_statement(user=world["admin"], agreement=agreement, date_from=start, date_to=end)
    history = agreement_history(user=world["admin"], agreement=agreement)
    period = next(p for p in history.periods if p.date_from == start)

    assert (statement.gross_idr, statement.net_idr) == (150_000, 120_000)
    assert (period.units, period.gross_idr, period.commission_idr, period.net_idr) == (2, 150_000, 30_000, 120_000)
    assert history.sold_units == 2
    review = agreement_review(user=world["admin"], agreement=agreement, today=today)
    assert next(row for row in review.rows if row.sku == "SMP-PCT-001").sold == 2


def test_an_issued_statement_prints_as_issued_after_a_later_return(world, today):
    agreement = shelf_agreement(world, today)
    start, end = previous_period_of_month(today)
    sold = sell(world, agreement, start, whips=3)
    issued = consignment_statement_issue(actor=world["admin"], agreement=agreement, date_from=start, date_to=end)

    # when one of the three whips comes back after the statement was issued
    sale_reverse(actor=world["admin"], sale=sold.sale, lines={sold.sale.lines.get().pk: 1}, reason="Retur pembeli")

    # then the issued statement keeps its lines and totals; the running one nets the return
    as_issued = issued_statement(user=world["partner"], agreement=agreement, issued=issued)
    assert [(line.units, line.gross_idr, line.net_idr) for line in as_issued.lines] == [(3, 225_000, 180_000)]
    assert (as_issued.gross_idr, as_issued.balance_idr) == (225_000, 180_000)
    running = consignment_statement(user=world["partner"], agreement=agreement, date_from=start, date_to=end)
    assert [(line.units, line.gross_idr) for line in running.lines] == [(2, 150_000)]


def test_the_same_till_file_is_never_imported_twice(world, today, priced_shelf):
    data = f"tanggal;sku;jumlah\n{today.isoformat()};SMP-PCT-001;1\n".encode()
    first = outlet_sales_import(actor=world["partner"], agreement=priced_shelf, data=data, file_name="kasir.csv")

    # when the partner taps "Import" again with the same file
    with pytest.raises(ImportRefused) as refused:
        outlet_sales_import(actor=world["partner"], agreement=priced_shelf, data=data, file_name="kasir.csv")

    # then it is refused naming the earlier import, and the outlet owes for one whip only
    message = refused.value.errors[0].message
    assert "already imported" in message and first.first_number in message
    assert outlet_owed(organization=world["facility"], outlet=world["hotel"]) == 72_000
    # a different file (another day's sales) still imports
    other = f"tanggal;sku;jumlah\n{today.isoformat()};SMP-PCT-001;2\n".encode()
    assert outlet_sales_import(actor=world["partner"], agreement=priced_shelf, data=other).units == 2
