"""Dashboards by scope: who opens which, and figures equal to what the services posted (tests/ledger/books.py)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import translation

from binakarya.catalog.models import Product
from binakarya.catalog.services import product_update
from binakarya.dashboards.reports import monthly_report
from binakarya.dashboards.selectors import (
    PANEL_KEYS,
    Panel,
    dashboard_panels,
    dashboard_scope,
    dashboard_scopes,
    dashboard_years,
)
from binakarya.ledger.models import Account
from binakarya.ledger.selectors import (
    account_balance,
    capital_funds,
    maker_premi_owed,
    outlet_owed,
    pnbp_year,
    summary_mismatches,
)
from binakarya.ledger.services import pnbp_deposit_record
from binakarya.makers.models import Maker
from binakarya.sales.models import Sale
from tests.factories import CategoryFactory
from tests.ledger.books import BAG, WHIP

pytestmark = pytest.mark.django_db


def panels_of(user, scope: str = "", year: int | None = None) -> dict[str, Panel]:
    resolved = dashboard_scope(user=user, scope=scope)
    year = year or dashboard_years(scope=resolved)[0]
    return {p.key: p for p in dashboard_panels(user=user, scope=resolved, year=year)}


def rows(panel: Panel) -> dict:
    """A panel's rows by their label: the label -> the other cells."""
    return {row[0]: list(row[1:]) for row in panel.table.rows}


def column_titles(panel: Panel) -> list[str]:
    return [c.title for c in panel.table.columns]


# Who opens what --------------------------------------------------------------------------------------


def test_facility_staff_open_their_facility_and_nothing_else(land):
    # given Rutan Sumenep's admin
    admin = land["admin"]

    # when
    scopes = dashboard_scopes(user=admin)
    scope = dashboard_scope(user=admin)

    # then
    assert scopes == [("org:rutan-sumenep", "Rutan Kelas IIB Sumenep")]
    assert (scope.kind, scope.title, scope.organization_ids) == (
        "organization",
        "Rutan Kelas IIB Sumenep",
        (land["facility"].pk,),
    )
    assert [(u.key, u.link_scope) for u in scope.units] == [("rutan-sumenep", "")]
    for refused in ("org:lapas-bondowoso", "province:Jawa Timur", "nation", "agency:diskoperindag-bondowoso"):
        with pytest.raises(PermissionDenied):
            dashboard_scope(user=admin, scope=refused)
    for unknown in ("org:no-such-place", "province:Atlantis", "agency:rutan-sumenep", "planet:mars", "nation:x"):
        with pytest.raises(Http404):
            dashboard_scope(user=admin, scope=unknown)


def test_a_regional_viewer_sees_the_facilities_of_their_province_side_by_side(land):
    # given the Kanwil Jawa Timur viewer
    viewer = land["regional"]

    # when
    scope = dashboard_scope(user=viewer)

    # then the province's facilities are the units, each opening its own dashboard
    assert dashboard_scopes(user=viewer) == [("province:Jawa Timur", "Jawa Timur")]
    assert (scope.kind, scope.title) == ("region", "Jawa Timur")
    assert [(u.label, u.link_scope) for u in scope.units] == [
        ("Lapas Kelas IIA Bondowoso", "org:lapas-bondowoso"),
        ("Rutan Kelas IIB Sumenep", "org:rutan-sumenep"),
    ]
    assert dashboard_scope(user=viewer, scope="org:rutan-sumenep").kind == "organization"
    for refused in ("org:rutan-purbalingga", "province:Jawa Tengah", "nation", "agency:diskoperindag-bondowoso"):
        with pytest.raises(PermissionDenied):
            dashboard_scope(user=viewer, scope=refused)


def test_a_national_viewer_sees_the_provinces_and_may_open_any_of_them(land):
    # given Ditjenpas's viewer
    viewer = land["national"]

    # when
    scope = dashboard_scope(user=viewer)

    # then
    assert dashboard_scopes(user=viewer) == [
        ("nation", "Indonesia"),
        ("province:Jawa Tengah", "Jawa Tengah"),
        ("province:Jawa Timur", "Jawa Timur"),
    ]
    assert (scope.kind, scope.title) == ("nation", "Indonesia")
    assert [(u.label, u.link_scope, len(u.organization_ids)) for u in scope.units] == [
        ("Jawa Tengah", "province:Jawa Tengah", 1),
        ("Jawa Timur", "province:Jawa Timur", 2),
    ]
    assert dashboard_scope(user=viewer, scope="province:Jawa Tengah").units[0].label == "Rutan Kelas IIB Purbalingga"
    assert dashboard_scope(user=viewer, scope="org:lapas-bondowoso").title == "Lapas Kelas IIA Bondowoso"


def test_an_agency_viewer_sees_the_producers_it_supports(land):
    # given Diskoperindag Bondowoso's viewer
    viewer = land["agency_viewer"]

    # when
    scope = dashboard_scope(user=viewer)

    # then its two producers, and no facility nor another agency
    assert dashboard_scopes(user=viewer) == [("agency:diskoperindag-bondowoso", "Diskoperindag Bondowoso")]
    assert (scope.kind, scope.title) == ("agency", "Diskoperindag Bondowoso")
    assert [(u.label, u.link_scope) for u in scope.units] == [
        ("Batik Sekar Kopi", "org:batik-sekar-kopi"),
        ("Batik Tamanan Asri", "org:batik-tamanan-asri"),
    ]
    assert dashboard_scope(user=viewer, scope="org:batik-sekar-kopi").kind == "organization"
    for refused in ("agency:disperindag-jember", "org:rutan-sumenep", "province:Jawa Timur", "nation"):
        with pytest.raises(PermissionDenied):
            dashboard_scope(user=viewer, scope=refused)


def test_panels_refuse_a_scope_the_user_may_not_see(land):
    # given the region's scope, as the national viewer resolved it
    region = dashboard_scope(user=land["national"], scope="province:Jawa Timur")

    # when / then Rutan Sumenep's admin cannot have its panels drawn
    with pytest.raises(PermissionDenied):
        dashboard_panels(user=land["admin"], scope=region, year=land["today"].year)


def test_someone_without_a_dashboard_is_refused(land):
    # given the hotel's outlet partner
    with pytest.raises(PermissionDenied):
        dashboard_scope(user=land["partner"])
    assert dashboard_scopes(user=land["partner"]) == []


# Figures ---------------------------------------------------------------------------------------------


def test_a_facilitys_panels_equal_what_the_services_posted(land):
    # given Rutan Sumenep's books: POS 2 whips + 1 bag, a WhatsApp whip returned, 3 whips sold at the hotel and
    # Rp100.000 paid, a payout of Rp10.000, a grant of Rp2.000.000, a PNBP deposit of Rp20.000, a target
    facility, today = land["facility"], land["today"]
    month = today.strftime("%b")

    # when
    panels = panels_of(land["admin"])

    # then the panels come in their order, with PNBP (a facility)
    assert list(panels) == list(PANEL_KEYS)
    sales_month = panels["sales-month"]
    assert column_titles(sales_month) == ["Month", "Point of sale", "Outlet sell-through report", "Total"]
    assert len(sales_month.table.rows) == 12
    assert rows(sales_month)[month] == [2 * WHIP + BAG, 3 * WHIP, 5 * WHIP + BAG]
    assert (sales_month.chart, sales_month.series) == ("stacked", (1, 2))
    assert rows(panels["sales-channel"]) == {
        "Point of sale": [2 * WHIP + BAG],
        "Outlet sell-through report": [3 * WHIP],
    }
    assert rows(panels["sales-group"]) == {"Kelompok Rajutan": [5 * WHIP + BAG]}
    category = land["whip"].product.category.name_en
    assert rows(panels["sales-category"]) == {category: [5 * WHIP + BAG]}

    premi = rows(panels["premi"])
    owed = sum(maker_premi_owed(maker=m) for m in land["makers"])
    earned = sum(s.premi_idr for s in Sale.objects.filter(organization=facility).exclude(pk=land["returned"].pk))
    assert premi[str(today.year)] == [earned, 10_000, 2]
    assert earned - 10_000 == owed
    assert premi[month] == [earned, 10_000, 2]

    pnbp = pnbp_year(organization=facility, year=today.year)
    assert rows(panels["pnbp"]) == {
        "Rutan Kelas IIB Sumenep": [pnbp["accrued_idr"], 20_000, 5_000_000, 20_000 * 100 // 5_000_000]
    }
    assert panels["pnbp"].note == ""

    # what the hotel owes: its receivable less the commission it keeps, as the outlet's statement says
    outlet_owes = outlet_owed(organization=facility, outlet=land["hotel"])
    receivable = Account.objects.get(organization=facility, kind="RECEIVABLE", counterparty=land["hotel"])
    assert 0 < outlet_owes <= account_balance(account=receivable)
    assert rows(panels["receivables"]) == {"Rutan Kelas IIB Sumenep": [outlet_owes, 0, outlet_owes]}
    (fund,) = capital_funds(organization=facility)
    assert rows(panels["capital"]) == {"Kelompok Rajutan": [fund["balance_idr"], 2_000_000]}

    # whips: 6 left at the store, 1 at the hotel (4 placed, 3 sold), 4 at the showroom (6, 3 sold, 1 returned);
    # bags: 6 at the store, 1 at the showroom
    whips, bags = 6 + 1 + 4, 6 + 1
    assert rows(panels["stock"]) == {"Rutan Kelas IIB Sumenep": [whips + bags, whips * WHIP + bags * BAG]}
    units = whips + bags
    assert sum(rows(panels["stock-aging"])["Rutan Kelas IIB Sumenep"]) == units
    assert rows(panels["orders"]) == {"Rutan Kelas IIB Sumenep": [0, 0, 0]}


def test_a_region_compares_its_facilities_and_the_nation_its_provinces(land):
    # given sales at Rutan Sumenep, Lapas Bondowoso (2 × Rp50.000) and Rutan Purbalingga (3 × Rp40.000)
    month = land["today"].strftime("%b")
    sumenep = 5 * WHIP + BAG

    # when
    region = panels_of(land["regional"])
    nation = panels_of(land["national"])

    # then a region's months have a column per facility, and its other panels a row per facility
    assert column_titles(region["sales-month"]) == ["Month", "Lapas Kelas IIA Bondowoso", "Rutan Kelas IIB Sumenep"]
    assert rows(region["sales-month"])[month] == [100_000, sumenep]
    assert region["sales-month"].chart == "line"
    assert rows(region["sales-channel"]) == {
        "Lapas Kelas IIA Bondowoso": [100_000, 0],
        "Rutan Kelas IIB Sumenep": [2 * WHIP + BAG, 3 * WHIP],
    }
    assert rows(region["sales-group"]) == {
        "Lapas Kelas IIA Bondowoso": [1, 100_000],
        "Rutan Kelas IIB Sumenep": [1, sumenep],
    }
    assert rows(region["pnbp"])["Lapas Kelas IIA Bondowoso"][2] == 0
    assert region["pnbp"].note == f"No PNBP target set for {land['today'].year} at 1 of 2 facilities."
    # and the nation's, a column and a row per province
    assert rows(nation["sales-month"])[month] == [120_000, 100_000 + sumenep]
    assert rows(nation["premi"])["Jawa Tengah"][2] == 2  # Purbalingga's two makers
    assert rows(nation["premi"])["Jawa Timur"][2] == 4  # two at Sumenep, two at Bondowoso
    assert rows(nation["capital"])["Jawa Timur"][1] == 2_000_000


def test_an_agencys_producers_have_no_pnbp_and_their_own_name_as_group(land):
    # when
    agency = panels_of(land["agency_viewer"])
    producer = panels_of(land["operator"])

    # then
    assert "pnbp" not in agency and "pnbp" not in producer
    assert rows(agency["sales-month"])[land["today"].strftime("%b")] == [300_000, 0]
    assert rows(agency["stock"]) == {"Batik Sekar Kopi": [9, 9 * 300_000], "Batik Tamanan Asri": [0, 0]}
    assert rows(producer["sales-group"]) == {"Batik Sekar Kopi": [300_000]}
    assert rows(producer["premi"])[str(land["today"].year)] == [0, 0, 0]


def test_years_are_those_with_entries_and_this_year(land):
    # given the books, all of this year
    scope = dashboard_scope(user=land["national"])

    # when / then
    assert dashboard_years(scope=scope) == [land["today"].year]


def test_months_are_named_in_the_active_language(land):
    # when
    with translation.override("id"):
        panels = panels_of(land["admin"])

    # then
    assert [r[0] for r in panels["sales-month"].table.rows][4:8] == ["Mei", "Jun", "Jul", "Agu"]
    assert column_titles(panels["sales-month"])[0] == "Bulan"


def test_no_panel_names_a_maker(land):
    # given every maker's name and registration number
    secrets = [s for pair in Maker.objects.values_list("full_name", "registration_number") for s in pair if s]
    assert len(secrets) >= 8

    # when every dashboard of every viewer is drawn
    drawn = []
    for user in (land["admin"], land["regional"], land["national"], land["agency_viewer"], land["operator"]):
        for scope, _label in dashboard_scopes(user=user):
            for panel in panels_of(user, scope).values():
                drawn.append(
                    repr((panel.table.title, [c.title for c in panel.table.columns], panel.table.rows, panel.note))
                )

    # then
    text = "\n".join(drawn)
    assert "Rutan Kelas IIB Sumenep" in text
    assert [s for s in secrets if s in text] == []


def test_a_pnbp_deposit_counts_in_the_year_of_its_deposit_date(world):
    # given a deposit made on 30 December 2025 and recorded in March 2026 (the world's clock)
    facility = world["facility"]
    pnbp_deposit_record(
        actor=world["finance"],
        organization=facility,
        amount_idr=10_000,
        billing_code="820251230001",
        ntpn="NTPN-20251230",
        deposited_date=datetime.date(2025, 12, 30),
    )

    # when
    figures = {year: rows(panels_of(world["kanwil"], "org:rutan-sumenep", year)["pnbp"]) for year in (2025, 2026)}

    # then each year's deposits are those of the PNBP page
    for year in (2025, 2026):
        assert (
            figures[year]["Rutan Kelas IIB Sumenep"][1] == pnbp_year(organization=facility, year=year)["deposited_idr"]
        )
    assert figures[2025]["Rutan Kelas IIB Sumenep"][1] == 10_000


def test_what_outlets_owe_is_net_of_the_commission_they_keep_as_in_the_monthly_report(world):
    # given the world's gallery, which keeps a commission on what it sells
    facility = world["facility"]
    owed = outlet_owed(organization=facility, outlet=world["gallery"])
    receivable = Account.objects.get(organization=facility, kind="RECEIVABLE", counterparty=world["gallery"])
    assert 0 < owed < account_balance(account=receivable)

    # when
    panel = panels_of(world["admin"], "org:rutan-sumenep", 2026)["receivables"]
    report = monthly_report(user=world["admin"], organization_slug="rutan-sumenep", year=2026, month=3)

    # then the dashboard, the outlet's own figure and the monthly report agree
    assert rows(panel)["Rutan Kelas IIB Sumenep"][0] == owed == report.receivables_idr


def test_a_product_moved_to_another_category_moves_its_sales_and_the_summaries_still_agree(world):
    # given the whips, sold this month, and a new category for them
    whip = Product.objects.get(slug="pecut-sapi")
    leather = CategoryFactory(name="Kerajinan Kulit", name_en="Leatherwork")
    before = rows(panels_of(world["admin"], "org:rutan-sumenep", 2026)["sales-category"])
    assert summary_mismatches() == []

    # when staff move the product
    product_update(actor=world["admin"], product=whip, category=leather)

    # then the journal and its summaries still agree, and the whips' sales are under the new category
    assert summary_mismatches() == []
    after = rows(panels_of(world["admin"], "org:rutan-sumenep", 2026)["sales-category"])
    assert after["Leatherwork"][0] > 0
    assert sum(v[0] for v in after.values()) == sum(v[0] for v in before.values())
