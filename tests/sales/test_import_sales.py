"""manage.py import_sales: all or nothing, the services' own messages, and exactly sale_record's postings."""

import datetime
import io
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from binakarya.catalog.models import Product, Variant
from binakarya.core.models import AuditEvent
from binakarya.documents.models import NumberSequence
from binakarya.inventory.models import StockBalance, StockMovement
from binakarya.ledger.models import Account, JournalEntry, JournalLine
from binakarya.ledger.selectors import maker_premi_owed
from binakarya.ledger.services import split_rule_create
from binakarya.production.services import ContributionInput, lot_record
from binakarya.sales.importing.parsing import parse_int, parse_when
from binakarya.sales.models import Sale, SaleLine
from binakarya.sales.services import SaleLineInput, sale_record
from tests.factories import (
    CategoryFactory,
    LocationFactory,
    MakerFactory,
    OrganizationFactory,
    UmkmProducerFactory,
    VariantFactory,
    make_lot,
)

pytestmark = pytest.mark.django_db

HEADER = "location,channel,sku,quantity,unit_price_idr,commission_idr,sale_ref,occurred_at"


def write_csv(tmp_path: Path, *lines: str, name: str = "sales.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run_import(path: Path, *args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_sales", str(path), "--no-progress", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def failing_import(path: Path, *args: str) -> str:
    """Run an import that must fail; return what it printed (errors and the final message)."""
    err = io.StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command("import_sales", str(path), "--no-progress", *args, stdout=io.StringIO(), stderr=err)
    assert excinfo.value.returncode == 1
    return err.getvalue() + str(excinfo.value)


def row_error(row: int, message: str) -> str:
    return _("Row %(row)s: %(message)s") % {"row": row, "message": message}


def sale_record_refusal(**kwargs) -> list[str]:
    """What sale_record itself says about one sale (inside a savepoint that is rolled back)."""
    try:
        with transaction.atomic():
            sale_record(actor=None, **kwargs)
    except ValidationError as exc:
        return exc.messages
    raise AssertionError("sale_record accepted the sale")


def nothing_imported() -> bool:
    return not (
        Sale.objects.exists()
        or SaleLine.objects.exists()
        or JournalEntry.objects.exists()
        or StockMovement.objects.filter(kind="SOLD").exists()
        or NumberSequence.objects.filter(series="PJ").exclude(last_value=0).exists()
    )


def ledger_and_stock_check() -> None:
    """ledger_check and stock_reconcile both pass (each exits 1 on a problem)."""
    call_command("ledger_check", stdout=io.StringIO())
    call_command("stock_reconcile", stdout=io.StringIO())


# A good file ----------------------------------------------------------------------------------------


def test_a_good_file_posts_each_sale_with_exactly_the_premi_of_sale_record(shop, tmp_path):
    # given
    code = shop["showroom"].code
    path = write_csv(
        tmp_path,
        HEADER,
        f"{code},POS,SMP-BTK-001,2,450000,90000,,2025-07-01 10:00",
        f"{code},pos,smp-btk-001,1,Rp450.000,,,2025-07-02",
        "",  # an empty line is skipped
        f"{code},WEB,SMP-BTK-001,3,450.000,0,,02/07/2025 15:30",
    )

    # when
    out, _err = run_import(path)

    # then
    # 2 units, commission 90.000: margin 510.000, premi 255.000 (85.000 each) - as test_sale_record shows.
    # 1 unit: margin 450.000 - 150.000 = 300.000, premi 150.000. 3 units: margin 900.000, premi 450.000.
    sales = list(Sale.objects.order_by("number"))
    assert [(s.gross_idr, s.commission_idr, s.premi_idr, s.channel) for s in sales] == [
        (900_000, 90_000, 255_000, "POS"),
        (450_000, 0, 150_000, "POS"),
        (1_350_000, 0, 450_000, "WEB"),
    ]
    assert [s.number for s in sales] == [f"PJ-{shop['org'].code}-2025-{n:05d}" for n in (1, 2, 3)]
    assert [maker_premi_owed(maker=m) for m in shop["members"]] == [285_000] * 3
    assert StockBalance.objects.get(lot=shop["lot"], location=shop["showroom"]).quantity == 4
    assert shop["variant"].__class__.objects.get(pk=shop["variant"].pk).stock_quantity == 4
    assert AuditEvent.objects.filter(action="sale.record").count() == 3
    assert AuditEvent.objects.filter(action="sales.import").get().data["sales"] == 3
    assert "Rp2.700.000" in out and "Rp855.000" in out  # the summary: gross and premi
    ledger_and_stock_check()


def test_rows_with_the_same_sale_ref_form_one_sale(shop, tmp_path):
    # given
    code = shop["showroom"].code
    path = write_csv(
        tmp_path,
        "sku;quantity;unit_price_idr;commission_idr;sale_ref",  # semicolons, location and channel from options
        "SMP-BTK-001;1;450000;10000;NOTA-7",
        "SMP-BTK-001;2;400000;20000;",
        "SMP-BTK-001;1;430000;5000;NOTA-7",
    )

    # when
    run_import(path, "--location", code, "--channel", "POS")

    # then
    first, second = Sale.objects.order_by("number")
    assert first.lines.count() == 2 and first.commission_idr == 15_000 and first.gross_idr == 880_000
    assert second.lines.count() == 1 and second.commission_idr == 20_000
    assert JournalEntry.objects.count() == 2
    ledger_and_stock_check()


# Nothing half-imported -------------------------------------------------------------------------------


def test_a_file_with_one_bad_row_imports_nothing_and_names_the_row_and_reason(shop, tmp_path):
    # given a file whose row 4 names an unknown SKU
    code = shop["showroom"].code
    path = write_csv(
        tmp_path,
        HEADER,
        f"{code},POS,SMP-BTK-001,1,450000,,,",
        f"{code},POS,SMP-BTK-001,1,450000,,,",
        f"{code},POS,NOPE-404,1,450000,,,",
        f"{code},POS,SMP-BTK-001,1,450000,,,",
    )

    # when
    printed = failing_import(path)

    # then
    (reason,) = sale_record_refusal(
        location=shop["showroom"], channel="POS", lines=[SaleLineInput("NOPE-404", 1, 450_000)]
    )
    assert row_error(4, reason) in printed
    assert "Row 2" not in printed and "Row 3" not in printed and "Row 5" not in printed
    assert nothing_imported()
    assert StockBalance.objects.get(lot=shop["lot"], location=shop["showroom"]).quantity == 10


def test_every_bad_row_is_reported_in_the_services_words(shop, tmp_path):
    # given a file with a mistake in every row
    code = shop["showroom"].code
    path = write_csv(
        tmp_path,
        HEADER,
        f"{code},POS,SMP-BTK-001,0,450000,,,",  # 2: quantity
        f"{code},POS,SMP-BTK-001,1,0,,,",  # 3: price
        f"{code},POS,SMP-BTK-001,1,450000,999999,,",  # 4: commission over the total
        f"{code},BAZAAR,SMP-BTK-001,1,450000,,,",  # 5: channel
        "gudang-entah,POS,SMP-BTK-001,1,450000,,,",  # 6: location
        f"{code},POS,SMP-BTK-001,dua,450000,,,",  # 7: not a number
        f"{code},POS,SMP-BTK-001,1,450000,,,2099-01-01",  # 8: in the future
        f"{code},POS,SMP-BTK-001,1,450000,,,kemarin",  # 9: not a date
        f"{code},POS,SMP-BTK-001,1,450000,,,2023-06-01",  # 10: no split rule in force yet
        f"{code},POS,SMP-BTK-001",  # 11: too few cells
    )

    # when
    printed = failing_import(path)

    # then, in the words of sale_record itself where it has them
    showroom = shop["showroom"]

    def refusal(**kw):
        base = {"location": showroom, "channel": "POS", "lines": [SaleLineInput("SMP-BTK-001", 1, 450_000)]}
        return sale_record_refusal(**{**base, **kw})

    assert row_error(2, refusal(lines=[SaleLineInput("SMP-BTK-001", 0, 450_000)])[0]) in printed
    assert row_error(3, refusal(lines=[SaleLineInput("SMP-BTK-001", 1, 0)])[0]) in printed
    assert row_error(4, refusal(commission_idr=999_999)[0]) in printed
    assert row_error(5, refusal(channel="BAZAAR")[0]) in printed
    assert "Row 6:" in printed and "gudang-entah" in printed
    assert "Row 7:" in printed and "dua" in printed
    future = timezone.make_aware(datetime.datetime(2099, 1, 1))
    assert row_error(8, refusal(occurred_at=future)[0]) in printed
    assert "Row 9:" in printed and "kemarin" in printed
    early = timezone.make_aware(datetime.datetime(2023, 6, 1))
    assert row_error(10, refusal(occurred_at=early)[0]) in printed
    assert "Row 11:" in printed
    assert nothing_imported()


def test_stock_is_checked_for_all_rows_together(shop, tmp_path):
    # given
    code = shop["showroom"].code
    # Each row alone fits the 10 units; together they ask for 12.
    path = write_csv(tmp_path, HEADER, f"{code},POS,SMP-BTK-001,6,450000,,,", f"{code},POS,SMP-BTK-001,6,450000,,,")

    # when
    printed = failing_import(path)

    # then
    (reason,) = sale_record_refusal(
        location=shop["showroom"], channel="POS", lines=[SaleLineInput("SMP-BTK-001", 12, 450_000)]
    )
    assert row_error(3, reason) in printed and "Row 2" not in printed
    assert nothing_imported()


def test_a_bad_header_is_reported_and_nothing_is_read(shop, tmp_path):
    # given
    code = shop["showroom"].code
    path = write_csv(tmp_path, "location,channel,sku,qty,unit_price", f"{code},POS,SMP-BTK-001,1,450000")

    # when
    printed = failing_import(path)

    # then
    assert "Row 1:" in printed
    for column in ("qty", "unit_price", "quantity", "unit_price_idr"):
        assert f"“{column}”" in printed
    assert "Row 2" not in printed
    assert nothing_imported()


def test_an_empty_file_and_a_missing_location_column_are_header_errors(shop, tmp_path):
    # when / then: an empty file
    assert "Row 1:" in failing_import(write_csv(tmp_path, "", name="empty.csv"))

    # when a file has no location column, and no --location is given
    printed = failing_import(write_csv(tmp_path, "channel,sku,quantity,unit_price_idr", "POS,SMP-BTK-001,1,1"))

    # then
    assert "“location”" in printed and "--location" in printed


def test_rows_of_one_sale_must_agree(shop, tmp_path):
    # given two rows of sale A1 that disagree on the channel
    code = shop["showroom"].code
    path = write_csv(
        tmp_path,
        HEADER,
        f"{code},POS,SMP-BTK-001,1,450000,,A1,2025-07-01 10:00",
        f"{code},WEB,SMP-BTK-001,1,450000,,A1,2025-07-01 10:00",
    )

    # when
    printed = failing_import(path)

    # then
    assert "Row 3:" in printed and "A1" in printed
    assert nothing_imported()


def test_dry_run_checks_and_saves_nothing(shop, tmp_path):
    # given
    code = shop["showroom"].code

    # when
    out, _err = run_import(write_csv(tmp_path, HEADER, f"{code},POS,SMP-BTK-001,2,450000,,,"), "--dry-run")

    # then
    assert "--dry-run" in out
    assert nothing_imported()


def test_a_user_without_the_right_to_record_sales_is_refused(shop, tmp_path):
    from tests.factories import UserFactory

    # given a user with no role
    UserFactory(username="tamu")

    # when
    printed = failing_import(
        write_csv(tmp_path, HEADER, f"{shop['showroom'].code},POS,SMP-BTK-001,1,450000,,,"), "--user", "tamu"
    )

    # then
    assert "Row 2:" in printed and shop["org"].name in printed
    assert nothing_imported()


@pytest.mark.parametrize(
    ("text", "money", "value"),
    [
        ("450000", True, 450_000),
        ("450.000", True, 450_000),
        ("Rp450.000", True, 450_000),
        ("Rp 1.250.000", True, 1_250_000),
        ("1,250,000", True, 1_250_000),
        ("450000,00", True, 450_000),
        ("-5", False, -5),
        ("12", False, 12),
        ("1.5", False, None),
        ("1.2345", True, None),
        ("dua", False, None),
        ("", False, None),
        ("Rp12", False, None),
    ],
)
def test_parse_int(text, money, value):
    # when / then
    assert parse_int(text, money=money) == value


def test_parse_when():
    # when
    jakarta = parse_when("2025-07-01 10:00")

    # then: 10:00 in Jakarta, as the other ways of writing it give too; a date alone is midnight; no date is None
    assert timezone.localtime(jakarta).replace(tzinfo=None) == datetime.datetime(2025, 7, 1, 10, 0)
    assert parse_when("01/07/2025 10.00") == jakarta
    assert parse_when("2025-07-01T03:00:00+00:00") == jakarta
    assert timezone.localtime(parse_when("2025-07-01")).hour == 0
    assert parse_when("31/02/2025") is None and parse_when("kemarin") is None


# The bulk path posts exactly what sale_record posts --------------------------------------------------


@pytest.fixture
def market(shop):
    """shop, plus: a newer lot with uneven shares, a category with deductions, an outlet, and an UMKM."""
    org, group, members = shop["org"], shop["group"], shop["members"]
    finished = datetime.date(2025, 9, 1)
    lot_record(
        actor=None,
        variant=shop["variant"],
        group=group,
        location=shop["showroom"],
        quantity_produced=6,
        quantity_passed=5,
        material_cost_idr=777_777,
        contributions=[ContributionInput(members[0].pk, 3), ContributionInput(members[1].pk, 1)],
        started_date=finished - datetime.timedelta(days=3),
        finished_date=finished,
    )
    anyaman = CategoryFactory(name="Anyaman")
    basket = VariantFactory(
        product__producer=shop["variant"].product.producer,
        product__category=anyaman,
        sku="SMP-ANY-002",
        price_idr=125_000,
    )
    make_lot(variant=basket, group=group, location=shop["showroom"], quantity=20, cost=333_333)
    split_rule_create(
        actor=None,
        organization=org,
        category=anyaman,
        effective_from=datetime.date(2024, 6, 1),
        basis="REVENUE",
        premi_mode="PERCENT",
        premi_bp=1500,
        capital_bp=6000,
        restitution_bp=1000,
        victim_fund_bp=500,
        legal_reference="SK Kalapas tentang premi anyaman",
    )
    # A new general rule from 3 October 2025: sales on the 2nd keep the old one, sales from the 3rd take it.
    split_rule_create(
        actor=None,
        organization=org,
        effective_from=datetime.date(2025, 10, 3),
        basis="REVENUE",
        premi_mode="PERCENT",
        premi_bp=2000,
        capital_bp=3000,
        legal_reference="SK Kepala Rutan yang baru",
    )
    gallery = OrganizationFactory(kind="OUTLET", name="Galeri Dekranasda", facility_type="", facility_class="")
    outlet = LocationFactory(organization=org, name="Rak Galeri", kind="OUTLET", outlet=gallery)
    make_lot(variant=shop["variant"], group=group, location=outlet, quantity=8, cost=1_000_000)

    umkm_producer = UmkmProducerFactory()
    umkm = umkm_producer.organization
    artisans = [MakerFactory(organization=umkm, kind="ARTISAN") for _ in range(2)]
    pecut = CategoryFactory(name="Pecut")
    whip = VariantFactory(product__producer=umkm_producer, product__category=pecut, sku="TMN-PCT-003", price_idr=99_999)
    umkm_store = LocationFactory(organization=umkm, name="Toko Tamanan")
    make_lot(variant=whip, group=None, location=umkm_store, quantity=30, cost=900_000, makers=artisans)
    split_rule_create(
        actor=None,
        organization=umkm,
        effective_from=datetime.date(2024, 1, 1),
        basis="REVENUE",
        premi_mode="PER_UNIT",
        premi_per_unit_idr=20_000,
        capital_bp=1000,
        legal_reference="Kesepakatan kelompok perajin",
    )
    return {**shop, "outlet": outlet, "umkm_store": umkm_store}


def market_csv(market, tmp_path) -> Path:
    showroom, outlet, store = market["showroom"].code, market["outlet"].code, market["umkm_store"].code
    return write_csv(
        tmp_path,
        HEADER,
        f"{showroom},POS,SMP-BTK-001,12,450000,,,2025-10-01 09:00",  # FIFO: 10 from the old lot, 2 from the new
        f"{store},POS,TMN-PCT-003,4,99999,,,2025-10-01 09:30",
        f"{showroom},WEB,SMP-ANY-002,3,125000,7000,NOTA-1,2025-10-02 11:00",  # two categories, one sale
        f"{outlet},OUTLET,SMP-BTK-001,2,450000,50000,KONS-9,2025-10-03",
        f"{showroom},WEB,SMP-BTK-001,1,450000,3001,NOTA-1,2025-10-02 11:00",
        f"{outlet},OUTLET,SMP-BTK-001,1,440000,20001,KONS-9,2025-10-03",
        f"{showroom},POS,SMP-ANY-002,17,110000,,,2024-12-31T17:30:00+00:00",  # 1 January 2025 in Jakarta
        f"{store},DIRECT,TMN-PCT-003,26,95000,,,2025-10-04",
        f"{outlet},OUTLET,SMP-BTK-001,5,450000,225000,,2025-10-05",
    )


def snapshot() -> dict:
    """Everything a sale leaves behind, without database ids that differ between two runs."""
    accounts = {a.pk: (a.organization_id, a.kind, a.party_key, a.name) for a in Account.objects.all()}
    sales = []
    for sale in Sale.objects.select_related("entry").order_by("number"):
        lines = []
        for sl in sale.lines.order_by("pk"):
            postings = [
                (accounts[jl.account_id], jl.amount_idr, jl.lot_id, jl.share)
                for jl in JournalLine.objects.filter(sale_line=sl).order_by("pk")
            ]
            lines.append(
                (
                    sl.variant_id,
                    sl.lot_id,
                    sl.quantity,
                    sl.unit_price_idr,
                    sl.commission_idr,
                    sl.split_rule_id,
                    postings,
                )
            )
        entry = sale.entry
        assert JournalLine.objects.filter(entry=entry, sale_line__isnull=True).count() == 0
        sales.append(
            {
                "sale": (
                    sale.number,
                    sale.channel,
                    sale.location_id,
                    sale.buyer_id,
                    sale.occurred_at,
                    sale.gross_idr,
                    sale.commission_idr,
                    sale.premi_idr,
                    sale.status,
                    sale.created_by_id,
                ),
                "entry": (entry.kind, entry.memo, entry.occurred_at, entry.split_rule_id, entry.created_by_id),
                "lines": lines,
                "audit": list(
                    AuditEvent.objects.filter(action="sale.record", object_id=str(sale.pk)).values_list(
                        "data", flat=True
                    )
                ),
            }
        )
    return {
        "sales": sales,
        "accounts": sorted(accounts.values()),
        "movements": list(
            StockMovement.objects.filter(kind="SOLD")
            .order_by("pk")
            .values_list(
                "organization_id", "variant_id", "lot_id", "location_id", "quantity", "reason", "created_by_id"
            )
        ),
        "balances": list(
            StockBalance.objects.order_by("lot_id", "location_id").values_list("lot_id", "location_id", "quantity")
        ),
        "variants": list(Variant.objects.order_by("pk").values_list("pk", "stock_quantity")),
        "products": list(Product.objects.order_by("pk").values_list("pk", "in_stock")),
        "sequences": sorted(NumberSequence.objects.values_list("organization_id", "series", "year", "last_value")),
        "owed": sorted(
            (m.pk, maker_premi_owed(maker=m)) for m in {a.maker for a in Account.objects.filter(maker__isnull=False)}
        ),
    }


class _Undo(Exception):
    pass


def snapshot_of_import(path: Path, *args: str) -> dict:
    try:
        with transaction.atomic():
            run_import(path, *args)
            ledger_and_stock_check()
            taken = snapshot()
            raise _Undo
    except _Undo:
        return taken


def test_bulk_path_posts_exactly_what_sale_record_posts(market, tmp_path):
    # given
    path = market_csv(market, tmp_path)

    # when the file is imported sale by sale, and in bulk (each undone once its snapshot is taken)
    reference = snapshot_of_import(path, "--per-sale")
    bulk = snapshot_of_import(path, "--batch", "2")  # several batches, a sale never split

    # then
    assert len(reference["sales"]) == 7
    # Three rules were in force on the sales' dates: the old general one, the new one, the Anyaman one.
    assert len({line[5] for sale in reference["sales"] for line in sale["lines"]}) == 4  # + the UMKM's
    assert sum(len(s["lines"]) for s in reference["sales"]) == 10  # 12 units span two lots
    # The deduction accounts and the outlet's receivable came into being.
    kinds = {a[1] for a in reference["accounts"]}
    assert {"RECEIVABLE", "DEDUCTIONS_PAYABLE", "PRODUCER_INCOME", "PNBP_PAYABLE", "COMMISSION"} <= kinds
    facility = [s["sale"][0] for s in reference["sales"] if s["sale"][2] != market["umkm_store"].pk]
    assert facility == [f"PJ-{market['org'].code}-2025-{n:05d}" for n in range(1, 6)]
    for ours, theirs in zip(bulk["sales"], reference["sales"], strict=True):
        assert ours == theirs
    assert bulk == reference


def test_bulk_and_per_sale_imports_pass_the_ledger_check_together(market, tmp_path):
    # given the market's file in two parts
    lines = market_csv(market, tmp_path).read_text().splitlines()
    first = write_csv(tmp_path, HEADER, *(lines[n] for n in (1, 2, 7)), name="first.csv")
    second = write_csv(tmp_path, HEADER, *(lines[n] for n in (3, 4, 5, 6, 8, 9)), name="second.csv")

    # when the first is imported in bulk and the second sale by sale
    run_import(first)
    run_import(second, "--per-sale")

    # then
    assert Sale.objects.count() == 7
    numbers = sorted(Sale.objects.filter(organization=market["org"]).values_list("number", flat=True))
    assert len(set(numbers)) == len(numbers)
    ledger_and_stock_check()


def test_messages_come_in_the_language_asked_for(shop, tmp_path):
    # given
    path = write_csv(tmp_path, HEADER, f"{shop['showroom'].code},POS,NOPE-404,1,450000,,,")

    # when
    printed = failing_import(path, "--language", "en")

    # then
    assert "Row 2: Unknown SKU: NOPE-404." in printed
    assert "1 error; nothing was imported." in printed
