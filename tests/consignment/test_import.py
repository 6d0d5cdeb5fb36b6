"""Importing an outlet's sales from its till's CSV (consignment.importing): all or nothing, per-row errors."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from binakarya.consignment.importing import (
    MAX_BYTES,
    MAX_ROWS,
    ImportRefused,
    import_template_csv,
    outlet_sales_import,
)
from binakarya.consignment.models import ConsignmentSale
from binakarya.consignment.selectors import consignment_statement
from binakarya.core.models import AuditEvent
from binakarya.inventory.models import StockBalance
from binakarya.ledger.selectors import maker_premi_owed, outlet_owed
from binakarya.sales.models import Sale, SaleLine
from tests.consignment.settle import shelf_agreement


@pytest.fixture
def shelf(world, today):
    """10 whips (Rp75.000) and 6 bags (Rp120.000) at the hotel, 20 % commission, from two months back."""
    return shelf_agreement(world, today)


def days_ago(today, n):
    return today - datetime.timedelta(days=n)


def csv_of(*rows, header="tanggal,sku,jumlah,harga,kode_lot", sep=","):
    lines = [header.replace(",", sep)] + [sep.join(str(c) for c in row) for row in rows]
    return ("\n".join(lines) + "\n").encode()


def refused(agreement, data, actor):
    with pytest.raises(ImportRefused) as info:
        outlet_sales_import(actor=actor, agreement=agreement, data=data, file_name="till.csv")
    return info.value


def units_at(location):
    return sum(StockBalance.objects.filter(location=location).values_list("quantity", flat=True))


def test_a_good_file_makes_one_sale_per_day_with_premi_and_the_outlet_owes_the_net(world, shelf, today):
    # given three rows on two days, one at an agreed price written the Indonesian way
    d1, d2 = days_ago(today, 5), days_ago(today, 3)
    data = csv_of(
        (d1.isoformat(), "smp-pct-001", 2, "", ""),
        (d1.strftime("%d/%m/%Y"), "SMP-RJT-001", 1, "Rp120.000", ""),
        (d2.isoformat(), "SMP-PCT-001", 1, "75000", ""),
    )

    # when the partner imports it
    result = outlet_sales_import(actor=world["partner"], agreement=shelf, data=data, file_name="till.csv")

    # then two sales (one per day), gross 345.000, commission 20 %, net owed by the outlet
    assert (result.sales, result.lines, result.units) == (2, 3, 4)
    assert (result.gross_idr, result.commission_idr, result.net_idr) == (345_000, 69_000, 276_000)
    recorded = list(ConsignmentSale.objects.filter(agreement=shelf).order_by("sold_date"))
    assert [(c.sold_date, c.recorded_by) for c in recorded] == [(d1, world["partner"]), (d2, world["partner"])]
    assert [c.sale.gross_idr for c in recorded] == [270_000, 75_000]
    assert all(c.sale.channel == "OUTLET" and c.sale.location_id == shelf.location_id for c in recorded)
    assert outlet_owed(organization=world["facility"], outlet=world["hotel"]) == 276_000
    assert units_at(shelf.location) == 12
    # lots attributed at the outlet, premi to the makers
    assert set(SaleLine.objects.filter(sale__in=[c.sale for c in recorded]).values_list("lot_id", flat=True)) == {
        world["whip_lot"].pk,
        world["bag_lot"].pk,
    }
    assert result.premi_idr > 0
    assert maker_premi_owed(maker=world["makers"][0]) > 0
    # the statement sees the imported sales
    statement = consignment_statement(user=world["admin"], agreement=shelf, date_from=d1, date_to=d2)
    assert statement.gross_idr == 345_000
    # audited: the import and the sales
    event = AuditEvent.objects.get(action="consignment.sales_import")
    assert event.actor == world["partner"] and event.data["file"] == "till.csv" and event.data["sales"] == 2
    assert AuditEvent.objects.filter(action="sales.import").count() == 1


def test_staff_import_records_in_their_own_name(world, shelf, today):
    data = csv_of((days_ago(today, 1).isoformat(), "SMP-PCT-001", 1, "", ""))
    result = outlet_sales_import(actor=world["admin"], agreement=shelf, data=data)
    sale = ConsignmentSale.objects.get(agreement=shelf).sale
    assert result.sales == 1 and sale.created_by == world["admin"]


def test_one_bad_row_imports_nothing_and_names_the_row_and_column(world, shelf, today):
    data = csv_of(
        (days_ago(today, 2).isoformat(), "SMP-PCT-001", 1, "", ""),
        (days_ago(today, 2).isoformat(), "SMP-XXX-999", 1, "", ""),
        (days_ago(today, 2).isoformat(), "SMP-RJT-001", 0, "", ""),
    )
    error = refused(shelf, data, world["partner"])
    assert [(e.row, e.column) for e in error.errors] == [(3, "sku"), (4, "jumlah")]
    assert "Unknown SKU: SMP-XXX-999." in error.errors[0].message
    assert Sale.objects.count() == 0 and ConsignmentSale.objects.count() == 0
    assert units_at(shelf.location) == 16


@pytest.mark.parametrize(
    ("row", "column", "words"),
    [
        (("2020-01-01", "SMP-PCT-001", 1, "", ""), "tanggal", "not in force"),
        (("tomorrow", "SMP-PCT-001", 1, "", ""), "tanggal", "future"),
        (("31/02/2026", "SMP-PCT-001", 1, "", ""), "tanggal", "not a date"),
        (("today", "SMP-PCT-001", "dua", "", ""), "jumlah", "not a whole number"),
        (("today", "SMP-PCT-001", 1, "Rp5.000", ""), "harga", "below half or above twice"),
        (("today", "SMP-PCT-001", 1, "", "NOLOT"), "kode_lot", "not on the shelf"),
    ],
)
def test_each_check_names_its_column(world, shelf, today, row, column, words):
    when = {"today": today.isoformat(), "tomorrow": (today + datetime.timedelta(days=1)).isoformat()}
    row = (when.get(row[0], row[0]), *row[1:])
    error = refused(shelf, csv_of(row), world["partner"])
    assert [(e.row, e.column) for e in error.errors] == [(2, column)]
    assert words in error.errors[0].message


def test_the_stock_is_counted_across_rows(world, shelf, today):
    # 6 + 5 whips on two days: the hotel holds 10
    data = csv_of(
        (days_ago(today, 3).isoformat(), "SMP-PCT-001", 6, "", ""),
        (days_ago(today, 2).isoformat(), "SMP-PCT-001", 5, "", ""),
    )
    error = refused(shelf, data, world["partner"])
    assert [(e.row, e.column) for e in error.errors] == [(3, "jumlah")]
    assert "SMP-PCT-001" in error.errors[0].message
    assert Sale.objects.count() == 0


def test_a_lot_named_is_the_lot_sold(world, shelf, today):
    lot = world["whip_lot"]
    data = csv_of((days_ago(today, 1).isoformat(), "SMP-PCT-001", 3, "", lot.code.lower()))
    outlet_sales_import(actor=world["partner"], agreement=shelf, data=data)
    assert list(SaleLine.objects.values_list("lot_id", "quantity")) == [(lot.pk, 3)]


def test_a_lot_of_another_product_is_refused(world, shelf, today):
    data = csv_of((days_ago(today, 1).isoformat(), "SMP-PCT-001", 1, "", world["bag_lot"].code))
    error = refused(shelf, data, world["partner"])
    assert error.errors[0].column == "kode_lot" and "is not of SMP-PCT-001" in error.errors[0].message


def test_english_headers_semicolons_and_a_bom(world, shelf, today):
    day = days_ago(today, 1).strftime("%d/%m/%Y")
    data = "\ufeff" + "Date;SKU;Quantity;Unit_Price_IDR;Lot_Code\n" + f"{day};SMP-RJT-001;2;Rp120.000;\n"
    result = outlet_sales_import(actor=world["partner"], agreement=shelf, data=data.encode("utf-8"))
    assert (result.sales, result.units, result.gross_idr) == (1, 2, 240_000)


def test_a_file_without_a_header_is_read_in_the_templates_order(world, shelf, today):
    data = f"{days_ago(today, 1).isoformat()},SMP-PCT-001,1\n".encode()
    assert outlet_sales_import(actor=world["partner"], agreement=shelf, data=data).units == 1


def test_messages_in_indonesian(world, shelf, today):
    data = csv_of((days_ago(today, 1).isoformat(), "SMP-XXX-999", 1, "", ""))
    with translation.override("id"):
        error = refused(shelf, data, world["partner"])
    assert error.errors[0].message == "SKU tidak dikenal: SMP-XXX-999."


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "not a CSV file"),
        ("tanggal,sku,jumlah\n2026-01-01,Ä,1\n".encode("latin-1"), "not UTF-8"),
        (b"tanggal,sku\n2026-01-01,SMP-PCT-001\n", "is missing"),
        (b"nama,alamat\nBudi,Sumenep\n", "must name the columns"),
        (b"", "empty"),
        (b"tanggal,sku,jumlah\n", "no rows"),
    ],
)
def test_a_malformed_file_says_why(world, shelf, data, words):
    error = refused(shelf, data, world["partner"])
    assert words in error.errors[0].message
    assert Sale.objects.count() == 0


def test_a_huge_file_is_refused(world, shelf):
    error = refused(shelf, b"tanggal,sku,jumlah\n" + b"x" * MAX_BYTES, world["partner"])
    assert "at most 5 MB" in error.errors[0].message


def test_too_many_rows_are_refused(world, shelf, today):
    row = f"{today.isoformat()},SMP-PCT-001,1\n".encode()
    error = refused(shelf, b"tanggal,sku,jumlah\n" + row * (MAX_ROWS + 1), world["partner"])
    assert "more than 100.000 rows" in error.errors[0].message


def test_per_product_commission_needs_a_term(world, today):
    from binakarya.consignment.services import PlacementLineInput, agreement_create, placement_receive, placement_send

    agreement = agreement_create(
        actor=world["admin"],
        organization=world["facility"],
        outlet=world["hotel"],
        commission_per_product={world["whip"]: 10_000},
        settlement_period="MONTHLY",
        payment_days=14,
        start_date=days_ago(today, 10),
    )
    placement = placement_send(
        actor=world["admin"],
        agreement=agreement,
        from_location=world["store"],
        lines=[PlacementLineInput(world["whip"], 3)],
    )
    placement_receive(actor=world["partner"], placement=placement)
    error = refused(agreement, csv_of((days_ago(today, 1).isoformat(), "SMP-RJT-001", 1, "", "")), world["partner"])
    assert error.errors[0].column == "sku" and "no commission" in error.errors[0].message
    result = outlet_sales_import(
        actor=world["partner"],
        agreement=agreement,
        data=csv_of((days_ago(today, 1).isoformat(), "SMP-PCT-001", 2, "", "")),
    )
    assert (result.gross_idr, result.commission_idr, result.net_idr) == (150_000, 20_000, 130_000)


def test_only_the_parties_may_import(world, shelf, today):
    data = csv_of((days_ago(today, 1).isoformat(), "SMP-PCT-001", 1, "", ""))
    for outsider in (world["other_partner"], world["stranger"]):
        with pytest.raises(PermissionDenied):
            outlet_sales_import(actor=outsider, agreement=shelf, data=data)
    assert Sale.objects.count() == 0


def test_the_template_has_the_header_and_a_row_with_one_of_the_agreements_skus(world, shelf, today):
    text = import_template_csv(shelf)
    header, example = text.splitlines()
    assert header == "tanggal,sku,jumlah,harga,kode_lot"
    assert example.split(",")[1] in {"SMP-PCT-001", "SMP-RJT-001"}
    # and the template itself imports
    assert outlet_sales_import(actor=world["partner"], agreement=shelf, data=text.encode()).units == 1
