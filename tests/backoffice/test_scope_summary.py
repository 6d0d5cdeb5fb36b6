"""Regional and national viewers land on a summary of their whole scope, and lists that span several
organizations name each row's organization."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from binakarya.ledger.services import premi_payout
from binakarya.organizations.models import Organization, Role
from binakarya.sales.selectors import scope_summary
from tests.backoffice.helpers import text
from tests.backoffice.test_sales_pages import make_shop, sell, user_with
from tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def province():
    """Two facilities of Jawa Timur (one with two sales and a payout), an UMKM with no sale, a facility of
    Jawa Tengah, and Kanwil Jawa Timur (where the regional viewer works)."""
    sumenep = OrganizationFactory(name="Rutan Kelas IIB Sumenep", slug="rutan-sumenep", code="SMP")
    bondowoso = OrganizationFactory(name="Lapas Kelas IIA Bondowoso", slug="lapas-bondowoso", code="BDW")
    umkm = OrganizationFactory(
        name="Batik Raung Tamanan", slug="batik-raung", code="BRT", kind=Organization.Kind.PRODUCER
    )
    purbalingga = OrganizationFactory(
        name="Rutan Kelas IIB Purbalingga", slug="rutan-purbalingga", code="PBG", province="Jawa Tengah"
    )
    kanwil = OrganizationFactory(name="Kanwil Jawa Timur", slug="kanwil-jatim", kind=Organization.Kind.AGENCY)
    shop = make_shop(sumenep)
    make_shop(bondowoso, sku="BDW-BTK-001")
    sell(shop, quantity=2)  # Rp900.000, premi Rp300.000 (Rp100.000 for each of three makers)
    sell(shop, quantity=1)  # Rp450.000, premi Rp150.000
    premi_payout(
        actor=None,
        maker=shop["members"][0],
        amount_idr=60_000,
        method="FAMILY",
        recipient_name="Siti",
        recipient_relationship="istri",
    )
    return {"sumenep": sumenep, "bondowoso": bondowoso, "umkm": umkm, "purbalingga": purbalingga, "kanwil": kanwil}


def test_a_regional_viewers_summary_has_one_row_per_organization_of_the_province(province):
    # given
    viewer = user_with(province["kanwil"], Role.REGIONAL_VIEWER)

    # when
    rows = scope_summary(user=viewer, at_least=2)

    # then: Kanwil itself keeps no books, Purbalingga is in another province
    assert [row.organization.slug for row in rows] == ["batik-raung", "lapas-bondowoso", "rutan-sumenep"]
    sumenep = rows[2]
    assert (sumenep.sales_month, sumenep.gross_month_idr, sumenep.gross_year_idr) == (2, 1_350_000, 1_350_000)
    assert sumenep.premi_year_idr == 450_000
    assert sumenep.premi_paid_year_idr == 60_000
    assert (sumenep.stock_units, sumenep.stock_value_idr) == (7, 7 * 450_000)
    # a viewer never sees makers, not even counted
    assert [row.makers for row in rows] == [None, None, None]
    bondowoso, umkm = rows[1], rows[0]
    assert (bondowoso.sales_month, bondowoso.gross_year_idr, bondowoso.premi_paid_year_idr) == (0, 0, 0)
    assert (bondowoso.stock_units, bondowoso.stock_value_idr) == (10, 4_500_000)
    assert (umkm.stock_units, umkm.stock_value_idr) == (0, 0)


def test_last_years_sales_count_neither_this_month_nor_this_year(province):
    # given: the figures asked for a day of the next year
    viewer = user_with(province["kanwil"], Role.NATIONAL_VIEWER)
    next_year = timezone.localdate().replace(month=1, day=15) + datetime.timedelta(days=365)

    # when
    rows = {row.organization.slug: row for row in scope_summary(user=viewer, today=next_year)}

    # then the national viewer sees every province, and nothing sold "this year"
    assert set(rows) == {"batik-raung", "lapas-bondowoso", "rutan-sumenep", "rutan-purbalingga"}
    assert (rows["rutan-sumenep"].sales_month, rows["rutan-sumenep"].gross_year_idr) == (0, 0)
    assert rows["rutan-sumenep"].premi_paid_year_idr == 0


def test_an_admin_of_two_organizations_sees_their_makers_counted(province):
    # given an admin of Sumenep who audits Bondowoso too
    admin = user_with(province["sumenep"], Role.FACILITY_ADMIN)
    MembershipFactory(user=admin, organization=province["bondowoso"], role=Role.AUDITOR)

    # when
    rows = scope_summary(user=admin, at_least=2)

    # then
    assert [(row.organization.slug, row.makers) for row in rows] == [("lapas-bondowoso", 3), ("rutan-sumenep", 3)]


def test_one_organizations_staff_get_no_summary(province):
    # given
    admin = user_with(province["sumenep"], Role.FACILITY_ADMIN)

    # when / then
    assert scope_summary(user=admin, at_least=2) == []


def test_the_viewer_lands_on_the_summary_of_the_province(client, province):
    # given
    client.force_login(user_with(province["kanwil"], Role.REGIONAL_VIEWER))

    # when
    response = client.get(reverse("backoffice:dashboard"))

    # then the summary comes first, a row per organization, each linking to its trial balance
    body = response.content.decode()
    assert body.index('data-testid="scope-summary"') < body.index(text("Your organizations"))
    assert [row.organization.slug for row in response.context["scope_summary"]] == [
        "batik-raung",
        "lapas-bondowoso",
        "rutan-sumenep",
    ]
    assert f'href="{reverse("backoffice:trial_balance")}?organisasi=rutan-sumenep">Rutan Kelas IIB Sumenep</a>' in body
    assert "Rp1.350.000" in body and "Rp60.000" in body
    assert text("Active makers") not in body


def test_a_single_facilitys_admin_gets_no_summary(client, province):
    # given
    client.force_login(user_with(province["sumenep"], Role.FACILITY_ADMIN))

    # when
    response = client.get(reverse("backoffice:dashboard"))

    # then
    assert response.context["scope_summary"] == []
    assert 'data-testid="scope-summary"' not in response.content.decode()


def test_the_stock_totals_and_aging_lists_name_each_rows_organization_for_a_viewer(client, province):
    # given: both facilities have a store called "Gudang" and a showroom called "Ruang Pamer"
    client.force_login(user_with(province["kanwil"], Role.REGIONAL_VIEWER))

    # when
    stock = client.get(reverse("backoffice:stock")).content.decode()
    aging = client.get(reverse("backoffice:stock_aging")).content.decode()

    # then
    totals = stock.split('id="totals"', 1)[1].split("</section>", 1)[0]
    assert totals.count("Ruang Pamer") == 2
    assert "Lapas Kelas IIA Bondowoso" in totals and "Rutan Kelas IIB Sumenep" in totals
    rows = aging.split("<tbody>", 1)[1]
    assert "Lapas Kelas IIA Bondowoso" in rows and "Rutan Kelas IIB Sumenep" in rows


def test_a_single_facilitys_lists_do_not_repeat_its_name(client, province):
    # given
    client.force_login(user_with(province["sumenep"], Role.FACILITY_ADMIN))

    # when
    stock = client.get(reverse("backoffice:stock")).content.decode()
    aging = client.get(reverse("backoffice:stock_aging")).content.decode()

    # then
    assert "Rutan Kelas IIB Sumenep" not in stock.split('id="totals"', 1)[1].split("</section>", 1)[0]
    assert "Rutan Kelas IIB Sumenep" not in aging.split("<tbody>", 1)[1]


def test_the_summary_costs_the_same_queries_for_three_or_thirteen_organizations(province, django_assert_num_queries):
    # given a national viewer, whose memberships are already read
    viewer = user_with(province["kanwil"], Role.NATIONAL_VIEWER)
    assert len(scope_summary(user=viewer)) == 4
    for i in range(9):
        make_shop(OrganizationFactory(name=f"Lapas {i}", code=f"L{i:02d}"), sku=f"L{i:02d}-BTK-001")

    # when / then: the organizations, sales of the month and of the year, payouts, stock and whose stock is
    # seen (a viewer's makers cost nothing: they see none)
    with django_assert_num_queries(6):
        rows = scope_summary(user=viewer)
    assert len(rows) == 13
