"""The monthly report and the e-Katalog report, computed from what the services posted (tests/dashboards/world.py):
the figures equal the sales, the return, the payout, the PNBP deposit and target the services recorded; another
facility's staff are refused; the e-Katalog report counts the UPTs that sold and their transactions."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils import timezone

from binakarya.dashboards.printing import ekatalog_tables, head_title
from binakarya.dashboards.reports import ekatalog_report, monthly_report, period_options, period_parse
from binakarya.deals.models import ContractChannel
from binakarya.deals.services import (
    DealLineInput,
    QuotationLineInput,
    Signatory,
    delivery_record,
    handover_record,
    quotation_accept,
    quotation_issue,
)
from binakarya.ledger.models import Account, JournalLine
from binakarya.ledger.selectors import capital_funds, maker_premi_owed, pnbp_year
from binakarya.organizations.models import Organization, Role
from tests.dashboards.world import staff
from tests.deals.world import deals_world
from tests.factories import OrganizationFactory, ProducerOrgFactory, make_lot

pytestmark = pytest.mark.django_db

MARCH = {"organization_slug": "rutan-sumenep", "year": 2026, "month": 3}


def figures(rows):
    return {str(row.label): (row.month.units, row.month.value_idr, row.year.units, row.year.value_idr) for row in rows}


def premi_of(entry) -> int:
    """What an entry credited to makers' premi (positive) or took back from them (negative)."""
    total = JournalLine.objects.filter(entry=entry, account__kind=Account.Kind.PREMI_PAYABLE).aggregate(
        t=Sum("amount_idr")
    )["t"]
    return -(total or 0)


def pnbp_of(entry) -> int:
    total = JournalLine.objects.filter(entry=entry, account__kind=Account.Kind.PNBP_PAYABLE).aggregate(
        t=Sum("amount_idr")
    )["t"]
    return -(total or 0)


def test_the_months_sales_are_what_the_services_posted(world):
    # given the March of Rutan Sumenep
    month = world["month"]

    # when its finance officer makes the report
    report = monthly_report(user=world["finance"], **MARCH)

    # then three sales, one whip returned, and January's till sale in the year to date
    assert [s.gross_idr for s in month.sales] == [450_000, 150_000, 600_000]
    assert (report.sales_month.transactions, report.sales_month.gross_idr) == (3, 1_200_000)
    assert (report.sales_month.returned_units, report.sales_month.returned_idr) == (1, 150_000)
    assert (report.sales_month.net_units, report.sales_month.net_idr) == (8, 1_050_000)
    assert (report.sales_year.transactions, report.sales_year.gross_idr, report.sales_year.net_idr) == (
        4,
        1_500_000,
        1_350_000,
    )
    # by channel, category and group: units and rupiah net of the return, month then year to date
    assert figures(report.by_channel) == {
        "Pesanan instansi": (4, 600_000, 4, 600_000),
        "Kasir": (2, 300_000, 4, 600_000),
        "Laporan penjualan gerai": (2, 150_000, 2, 150_000),
    }
    assert figures(report.by_category) == {"Pecut": (6, 900_000, 8, 1_200_000), "Rajutan": (2, 150_000, 2, 150_000)}
    assert figures(report.by_group) == {
        "Kelompok Pecut": (6, 900_000, 8, 1_200_000),
        "Kelompok Rajutan": (2, 150_000, 2, 150_000),
    }


def test_the_months_premi_pnbp_and_funds_are_what_the_ledger_holds(world):
    # given
    month = world["month"]
    facility = world["facility"]

    # when
    report = monthly_report(user=world["auditor"], **MARCH)

    # then premi: what the sales credited less what the return took back, the payout, four makers (a count)
    earned = sum(sale.premi_idr for sale in month.sales) + premi_of(month.sale_return.entry)
    assert earned > 0 and report.premi.earned_month_idr == earned
    assert report.premi.earned_year_idr == earned + month.january_sale.premi_idr
    assert (report.premi.paid_month_idr, report.premi.paid_year_idr) == (month.payout.amount_idr,) * 2
    assert (report.premi.makers_earning_month, report.premi.makers_earning_year) == (4, 4)
    assert report.premi.held_idr == sum(maker_premi_owed(maker=m) for m in world["makers"])
    # PNBP: accrued by the sales (and given back by the return), the deposit, the year's target
    accrued = sum(pnbp_of(sale.entry) for sale in month.sales) + pnbp_of(month.sale_return.entry)
    assert report.pnbp.accrued_month_idr == accrued
    assert report.pnbp.accrued_year_idr == pnbp_year(organization=facility, year=2026)["accrued_idr"]
    assert report.pnbp.accrued_year_idr == accrued + pnbp_of(month.january_sale.entry)
    assert (report.pnbp.deposited_month_idr, report.pnbp.deposited_year_idr) == (100_000, 100_000)
    assert (report.pnbp.target_idr, report.pnbp.target_percent) == (2_000_000, 5)
    assert report.pnbp.payable_idr == report.pnbp.accrued_year_idr - 100_000
    # the gallery owes the cats' Rp150.000 less its Rp30.000 commission; DLH's receivable is not consignment
    assert [(r.name, r.amount_idr) for r in report.receivables] == [
        ("Gerai Produk Unggulan Disperindag Sumenep", 120_000)
    ]
    # capital funds as the ledger's funds page shows them (the grant and the sales' shares)
    assert [(f.name, f.amount_idr) for f in report.capital_funds] == [
        (f["name"], f["balance_idr"]) for f in capital_funds(organization=facility)
    ]
    assert report.capital_idr > 1_000_000


def test_the_months_stock_production_and_waiting(world):
    # when
    report = monthly_report(user=world["admin"], **MARCH)

    # then 12 whips (20 − 2 − 3 + 1 − 4) and 15 cats (10 at the gallery, 5 in store) at the end of March
    assert (report.stock.units, report.stock.value_idr) == (27, 12 * 150_000 + 15 * 75_000)
    assert [(b.days_from, b.days_to, b.units) for b in report.stock.aging] == [
        (0, 30, 15),
        (31, 90, 12),
        (91, 180, 0),
        (181, 365, 0),
        (366, None, 0),
    ]
    # one lot finished in March (6 made, 5 passed); three this year
    assert vars(report.production_month) == {"lots": 1, "produced": 6, "passed": 5, "material_cost_idr": 180_000}
    assert (report.production_year.lots, report.production_year.passed) == (3, 37)
    assert vars(report.waiting) == {
        "orders": 0,
        "orders_idr": 0,
        "requests": 0,
        "quotations": 0,
        "deals": 0,
        "deals_idr": 0,
    }
    assert report.reference == "LAP-SMP-2026-03"


def test_an_earlier_month_holds_its_own_figures_and_stock(world):
    # when
    report = monthly_report(user=world["admin"], organization_slug="rutan-sumenep", year=2026, month=1)

    # then January: the till sale, and the 18 whips left at its end (nothing of February or March)
    assert (report.sales_month.transactions, report.sales_month.net_idr) == (1, 300_000)
    assert report.sales_year == report.sales_month
    assert (report.stock.units, report.stock.value_idr) == (18, 18 * 150_000)
    assert report.production_month.lots == 1
    assert report.receivables == [] and report.pnbp.deposited_year_idr == 0


def test_the_viewers_above_the_facility_open_its_report(world):
    # when
    kanwil = monthly_report(user=world["kanwil"], **MARCH)
    national = monthly_report(user=world["ditjenpas"], **MARCH)

    # then
    assert kanwil.sales_month == national.sales_month
    assert national.sales_month.net_idr == 1_050_000


def test_another_facilitys_staff_and_roles_without_the_books_are_refused(world):
    # given
    someone_else = world["others"]["dirgantara"]["admin"]
    production = staff(world["facility"], "produksi-smp", Role.PRODUCTION_OFFICER)
    kanwil_jateng = OrganizationFactory(kind=Organization.Kind.AGENCY, slug="kanwil-jateng", province="Jawa Tengah")
    jateng = staff(kanwil_jateng, "kanwil-jateng", Role.REGIONAL_VIEWER)

    # when / then
    for user in (someone_else, production, jateng):
        with pytest.raises(Organization.DoesNotExist):
            monthly_report(user=user, **MARCH)


def test_a_month_that_does_not_exist_is_refused(world):
    with pytest.raises(ValidationError) as error:
        monthly_report(user=world["admin"], organization_slug="rutan-sumenep", year=2026, month=13)
    assert error.value.code == "bad_month"


def test_an_umkm_producers_report_leaves_pnbp_out(db):
    # given
    producer = ProducerOrgFactory(name="Batik Sekar Kopi Tamanan", slug="sekar-kopi", code="SKK")
    operator = staff(producer, "operator-tamanan", Role.PRODUCER_OPERATOR)

    # when
    report = monthly_report(user=operator, organization_slug="sekar-kopi", year=2026, month=3)

    # then
    assert report.pnbp is None
    assert report.sales_month.transactions == 0 and report.stock.units == 0
    assert head_title(producer) == "Pemilik atau pengelola"


# The e-Katalog report ---------------------------------------------------------------------------


def test_the_ekatalog_report_counts_the_upts_that_sold_and_their_transactions(world):
    # when the Kanwil of Jawa Timur asks for the first quarter
    quarter = period_parse("2026-T1")
    report = ekatalog_report(
        user=world["kanwil"], province="jawa timur", date_from=quarter.date_from, date_to=quarter.date_to
    )

    # then both UPTs of the province, by name; Purbalingga (Jawa Tengah) is not one of them
    assert [row.organization.slug for row in report.rows] == ["dirgantara", "rutan-sumenep"]
    dirgantara, sumenep = report.rows
    assert {ch: vars(f) for ch, f in sumenep.by_channel.items()} == {
        "POS": {"transactions": 2, "value_idr": 600_000},
        "OUTLET": {"transactions": 1, "value_idr": 150_000},
        "INSTITUTIONAL": {"transactions": 1, "value_idr": 600_000},
    }
    assert (sumenep.transactions, sumenep.value_idr, sumenep.sold) == (4, 1_350_000, True)
    assert (sumenep.products_published, sumenep.products_with_listing) == (1, 1)
    assert (dirgantara.transactions, dirgantara.value_idr, dirgantara.products_published) == (1, 100_000, 1)
    assert (report.upts_selling, report.transactions, report.value_idr) == (2, 5, 1_450_000)
    assert report.channels == ["WEB", "POS", "OUTLET", "INSTITUTIONAL"]
    assert vars(report.ekatalog) == {"transactions": 0, "value_idr": 0}


def test_a_month_without_sales_has_no_upt_selling(world):
    # when
    report = ekatalog_report(
        user=world["kanwil"],
        province="Jawa Timur",
        date_from=datetime.date(2026, 2, 1),
        date_to=datetime.date(2026, 2, 28),
    )

    # then
    assert [row.sold for row in report.rows] == [False, False]
    assert (report.upts_selling, report.transactions, report.channels) == (0, 0, [])


def test_the_ekatalog_report_is_scoped_to_the_viewers_provinces(world):
    # given
    march = {"date_from": datetime.date(2026, 3, 1), "date_to": datetime.date(2026, 3, 31)}

    # when / then: the Kanwil of Jawa Timur may not read Jawa Tengah; the national viewer may
    with pytest.raises(Organization.DoesNotExist):
        ekatalog_report(user=world["kanwil"], province="Jawa Tengah", **march)
    jateng = ekatalog_report(user=world["ditjenpas"], province="Jawa Tengah", **march)
    assert [(row.organization.slug, row.transactions) for row in jateng.rows] == [("purbalingga", 1)]
    # a facility's own staff see their own row only; an unknown province is refused alike
    own = ekatalog_report(user=world["admin"], province="Jawa Timur", **march)
    assert [row.organization.slug for row in own.rows] == ["rutan-sumenep"]
    with pytest.raises(Organization.DoesNotExist):
        ekatalog_report(user=world["ditjenpas"], province="Atlantis", **march)
    with pytest.raises(ValidationError):
        ekatalog_report(
            user=world["ditjenpas"],
            province="Jawa Timur",
            date_from=datetime.date(2026, 3, 1),
            date_to=datetime.date(2026, 2, 1),
        )


def test_the_ekatalog_table_has_a_row_per_upt_and_the_totals(world):
    # given
    report = ekatalog_report(
        user=world["kanwil"],
        province="Jawa Timur",
        date_from=datetime.date(2026, 3, 1),
        date_to=datetime.date(2026, 3, 31),
    )

    # when
    summary, per_upt = ekatalog_tables(report=report)

    # then
    rows = list(per_upt.rows)
    assert [row[0] for row in rows] == ["Lapas Kelas IIA Dirgantara", "Rutan Kelas IIB Sumenep", "Total"]
    assert rows[1][2:9] == [1, 1, "Ya", 3, 1_050_000, 0, 0]
    assert rows[2][4:7] == [2, 4, 1_150_000]
    assert ["UPT yang menjual", 2] in list(summary.rows)


def test_e_katalog_deals_are_counted_apart_from_other_agency_purchases(db):
    # given two deals of Lapas Purbalingga handed over today: one ordered through e-Katalog, one directly
    today = timezone.localdate()
    world = deals_world(today)
    admin = world["admin"]
    make_lot(variant=world["bin"], group=world["group"], location=world["store"], quantity=10)
    signers = [Signatory("SELLER", "Sri", "Kasi Giatja"), Signatory("BUYER", "Budi", "PPK")]
    handed = []
    for number, channel, platform in (
        ("EPURCH-1", ContractChannel.EPURCHASING, "E_KATALOG"),
        ("SP-2", ContractChannel.DIRECT, ""),
    ):
        quotation = quotation_issue(
            actor=admin,
            organization=world["facility"],
            buyer="DLH PKP Kabupaten Purbalingga",
            lines=[QuotationLineInput("PBG-TSB-001", 2, 150_000)],
            today=today,
        )
        deal = quotation_accept(
            actor=admin, quotation=quotation, po_number=number, po_date=today, channel=channel, platform=platform
        )
        delivery_record(actor=admin, deal=deal, lines=[DealLineInput("PBG-TSB-001", 2)])
        handed.append(handover_record(actor=admin, deal=deal, signatories=signers))

    # when
    report = ekatalog_report(user=admin, province="Jawa Timur", date_from=today, date_to=today)

    # then both are agency purchases; one came through e-Katalog
    (row,) = report.rows
    assert vars(row.by_channel["INSTITUTIONAL"]) == {"transactions": 2, "value_idr": 600_000}
    assert vars(row.ekatalog) == {"transactions": 1, "value_idr": 300_000}


def test_the_period_choices_are_years_quarters_and_months():
    # when
    options = period_options(today=datetime.date(2026, 3, 20), years=1)

    # then
    assert [o.key for o in options] == ["2026", "2026-T1", "2026-03", "2026-02", "2026-01"]
    assert period_parse("2026-T2").date_to == datetime.date(2026, 6, 30)
    with pytest.raises(ValidationError):
        period_parse("2026-T5")
