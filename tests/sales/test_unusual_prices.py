"""A sale line priced below half or above twice its catalog price needs a confirmation and a reason.

The shop's batik costs Rp450.000 in the catalog: Rp225.000 to Rp900.000 is usual; Rp15 (``15.000`` read
as 15) or Rp2.147.483.648 for it is not, and is recorded only when the caller says it is intended and why.
"""

import pytest
from django.core.exceptions import ValidationError

from binakarya.core.models import AuditEvent
from binakarya.inventory.fifo import FifoStock
from binakarya.inventory.models import StockBalance
from binakarya.ledger.models import JournalEntry
from binakarya.sales.models import Sale, SaleLine
from binakarya.sales.posting import LineIn, SaleContext, sale_plan
from binakarya.sales.pricing import price_unusual
from binakarya.sales.services import SaleLineInput, sale_record
from tests.sales.test_import_sales import HEADER, failing_import, row_error, run_import, write_csv

pytestmark = pytest.mark.django_db

SKU = "SMP-BTK-001"


def record(shop, *lines: SaleLineInput) -> Sale:
    return sale_record(actor=None, location=shop["showroom"], channel="POS", lines=list(lines))


def nothing_sold(shop) -> bool:
    on_hand = StockBalance.objects.get(lot=shop["lot"], location=shop["showroom"]).quantity
    return not Sale.objects.exists() and not JournalEntry.objects.filter(kind="SALE").exists() and on_hand == 10


@pytest.mark.parametrize(
    ("price", "unusual"),
    [(224_999, True), (225_000, False), (450_000, False), (900_000, False), (900_001, True), (15, True)],
)
def test_half_and_twice_the_catalog_price_are_the_bounds(price, unusual):
    # when / then
    assert price_unusual(unit_price_idr=price, catalog_price_idr=450_000) is unusual


def test_a_variant_without_a_catalog_price_has_no_unusual_price():
    # when / then
    assert price_unusual(unit_price_idr=15, catalog_price_idr=0) is False
    assert price_unusual(unit_price_idr=15, catalog_price_idr=None) is False


@pytest.mark.parametrize("price", [15, 224_999, 900_001, 2_147_483_648])
def test_an_unusual_price_is_refused_with_its_data_and_nothing_is_saved(shop, price):
    # when
    with pytest.raises(ValidationError) as refused:
        record(shop, SaleLineInput(SKU, 1, price))

    # then
    (error,) = refused.value.error_dict["lines"]
    assert error.code == "unusual_price"
    assert error.params is not None
    assert {k: error.params[k] for k in ("sku", "unit_price_idr", "catalog_price_idr", "line")} == {
        "sku": SKU,
        "unit_price_idr": price,
        "catalog_price_idr": 450_000,
        "line": 0,
    }
    assert nothing_sold(shop)


def test_the_message_names_the_price_and_the_catalog_price(shop):
    # when
    with pytest.raises(ValidationError) as refused:
        record(shop, SaleLineInput(SKU, 1, 15))

    # then
    assert refused.value.messages == [
        "Rp15 for SMP-BTK-001 is far from its catalog price of Rp450.000 (below half or above twice). "
        "If this price is intended, confirm it and give the reason."
    ]


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_confirmation_without_a_reason_is_refused(shop, reason):
    # when
    with pytest.raises(ValidationError) as refused:
        record(shop, SaleLineInput(SKU, 1, 15_000, price_intended=True, price_reason=reason))

    # then
    (error,) = refused.value.error_dict["lines"]
    assert error.code == "unusual_price_reason"
    assert refused.value.messages == [
        "Give the reason for selling SMP-BTK-001 at Rp15.000 (its catalog price is Rp450.000)."
    ]
    assert nothing_sold(shop)


def test_a_reason_without_the_confirmation_is_refused(shop):
    # when
    with pytest.raises(ValidationError) as refused:
        record(shop, SaleLineInput(SKU, 1, 15_000, price_reason="contoh cacat"))

    # then
    assert refused.value.error_dict["lines"][0].code == "unusual_price"
    assert nothing_sold(shop)


def test_an_intended_price_with_its_reason_is_recorded_and_audited(shop):
    # when
    sale = record(shop, SaleLineInput(SKU, 2, 150_000, price_intended=True, price_reason="  kain bernoda, diskon  "))

    # then
    line = SaleLine.objects.get(sale=sale)
    assert (sale.gross_idr, line.unit_price_idr, line.price_reason) == (300_000, 150_000, "kain bernoda, diskon")
    event = AuditEvent.objects.get(action="sale.record")
    assert event.data["unusual_prices"] == [
        {"sku": SKU, "unit_price_idr": 150_000, "catalog_price_idr": 450_000, "reason": "kain bernoda, diskon"}
    ]


def test_a_usual_price_keeps_no_reason_and_its_audit_is_unchanged(shop):
    # when
    sale = record(shop, SaleLineInput(SKU, 1, 400_000, price_intended=True, price_reason="tidak perlu"))

    # then
    assert SaleLine.objects.get(sale=sale).price_reason == ""
    assert AuditEvent.objects.get(action="sale.record").data == {"gross": 400_000, "premi": sale.premi_idr}


def test_every_unusual_line_is_named_at_once(shop):
    # when
    with pytest.raises(ValidationError) as refused:
        record(shop, SaleLineInput(SKU, 1, 450_000), SaleLineInput(SKU, 1, 10), SaleLineInput(SKU, 1, 5_000_000))

    # then
    errors = refused.value.error_dict["lines"]
    assert [(e.code, e.params["line"]) for e in errors] == [("unusual_price", 1), ("unusual_price", 2)]


def test_the_planner_refuses_an_unusual_price_without_a_reason_whoever_calls_it():
    # given a line far from its catalog price, as any channel might plan it
    line = LineIn(1, None, 1, 15, 450_000, "", SKU)
    context = SaleContext("FACILITY", "POS", 1, None, None)

    # when
    with pytest.raises(ValidationError) as refused:
        sale_plan(context=context, lines=[line], commission_idr=0, stock=FifoStock(), rules={}, contributions={})

    # then
    assert refused.value.code == "unusual_price"
    assert refused.value.params is not None and refused.value.params["sku"] == SKU


# The CSV importer: a row far from the catalog price needs a price_reason --------------------------


def test_an_import_row_with_an_unusual_price_is_refused_and_nothing_is_imported(shop, tmp_path):
    # given
    code = shop["showroom"].code
    path = write_csv(tmp_path, HEADER, f"{code},POS,{SKU},1,450.000,,,", f"{code},POS,{SKU},1,15,,,")

    # when
    printed = failing_import(path)

    # then
    message = (
        "Rp15 for SMP-BTK-001 is far from its catalog price of Rp450.000 (below half or above twice). "
        "If this price is intended, confirm it and give the reason. Give the reason in the price_reason column."
    )
    assert row_error(3, message) in printed
    assert nothing_sold(shop)


@pytest.mark.parametrize("path_option", [(), ("--per-sale",)])
def test_an_import_row_with_its_price_reason_is_imported_with_it(shop, tmp_path, path_option):
    # given
    code = shop["showroom"].code
    path = write_csv(
        tmp_path,
        HEADER + ",price_reason",
        f"{code},POS,{SKU},1,450.000,,,,",
        f"{code},POS,{SKU},2,150.000,,,,contoh pameran bernoda",
    )

    # when
    run_import(path, *path_option)

    # then
    lines = SaleLine.objects.order_by("pk")
    assert [(line.unit_price_idr, line.price_reason) for line in lines] == [
        (450_000, ""),
        (150_000, "contoh pameran bernoda"),
    ]
    unusual = [e.data.get("unusual_prices") for e in AuditEvent.objects.filter(action="sale.record").order_by("pk")]
    assert unusual == [
        None,
        [{"sku": SKU, "unit_price_idr": 150_000, "catalog_price_idr": 450_000, "reason": "contoh pameran bernoda"}],
    ]
