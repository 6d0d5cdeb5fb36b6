"""The public impact page: a year selector without JavaScript, an SVG chart per month with a table, no maker."""

import datetime
import re

import pytest
from django.utils import timezone, translation

from binakarya.catalog.models import Producer
from binakarya.inventory.models import StockBalance
from binakarya.makers.models import Maker
from binakarya.organizations.models import Organization
from binakarya.sales import selectors as sales_selectors
from binakarya.sales.selectors import MonthImpact
from binakarya.sales.services import SaleLineInput, sale_record
from binakarya.storefront.charts import PLOT_BOTTOM, PLOT_TOP, impact_chart
from tests.storefront.conftest import year_figures

pytestmark = pytest.mark.django_db
URL = "/dampak/rutan-purbalingga/"


@pytest.fixture
def purbalingga(demo):
    return Organization.objects.get(slug="rutan-purbalingga")


@pytest.fixture
def last_year_sale(purbalingga):
    """Two units of the first stocked variant, sold in March of last year."""
    balance = (
        StockBalance.objects.filter(organization=purbalingga, quantity__gte=2)
        .select_related("variant", "location")
        .first()
    )
    location, variant = balance.location, balance.variant
    year = timezone.localdate().year - 1
    sold_at = timezone.make_aware(datetime.datetime(year, 3, 15, 10, 0))
    sale = sale_record(
        actor=None,
        location=location,
        channel="DIRECT",
        lines=[SaleLineInput(sku=variant.sku, quantity=2, unit_price_idr=variant.price_idr)],
        occurred_at=sold_at,
    )
    return {"year": year, "sale": sale, "revenue": 2 * variant.price_idr}


def test_the_chart_is_an_svg_with_a_title_a_description_and_a_table(client, purbalingga):
    # when
    html = client.get("/en" + URL).content.decode()
    year = timezone.localdate().year

    # then
    svg = re.search(r"<svg[^>]*>.*?</svg>", html, re.S).group(0)
    assert 'role="img"' in svg and 'aria-labelledby="chart-title chart-desc"' in svg
    assert f'<title id="chart-title">Sales and premi earned per month in {year}</title>' in svg
    assert "The best month was" in svg
    assert svg.count('class="bar-sales"') == 12 and svg.count('class="bar-premi"') == 12
    assert "<script" not in html.split("<main", 1)[1]
    # the table fallback holds every month; the DLH PKP purchase's premi is in this month's row
    rows = re.findall(r'<tr><th scope="row">([^<]+)</th><td>([^<]+)</td><td>([^<]+)</td><td>(\d+)</td></tr>', html)
    assert len(rows) == 12
    month = timezone.localdate().strftime("%b")
    assert any(label == month and premi == "Rp1.170.000" for label, _sales, premi, _items in rows)
    assert sum(int(items) for *_rest, items in rows) == year_figures(purbalingga, year)["items"] >= 96


def test_the_year_selector_is_plain_links_and_shows_that_years_figures(client, purbalingga, last_year_sale):
    # given
    year, this_year = last_year_sale["year"], timezone.localdate().year

    # when
    current = client.get("/en" + URL).content.decode()
    past = client.get("/en" + URL, {"tahun": year}).content.decode()

    # then
    assert f'<a href="?tahun={year}">{year}</a>' in current
    assert f'<span aria-current="page">{this_year}</span>' in current
    assert f'<span aria-current="page">{year}</span>' in past
    assert f"Figures for {year}" in past
    assert f"<dt>Items sold</dt><dd>{year_figures(purbalingga, year)['items']}</dd>" in past
    assert f"<dt>Items sold</dt><dd>{year_figures(purbalingga, this_year)['items']}</dd>" in current
    assert f'<tr><th scope="row">Mar</th><td>Rp{last_year_sale["revenue"]:,}</td>'.replace(",", ".") in past


@pytest.mark.parametrize("year", ["abc", "1999", "99999", "-1", "2024x"])
def test_a_year_without_figures_or_not_a_year_is_a_404(client, purbalingga, year):
    assert client.get(URL, {"tahun": year}).status_code == 404


def test_the_impact_page_never_names_a_maker(client, purbalingga, last_year_sale):
    # when
    pages = [client.get(URL).content.decode(), client.get(URL, {"tahun": last_year_sale["year"]}).content.decode()]

    # then
    makers = list(Maker.objects.filter(organization=purbalingga))
    assert makers
    for html in pages:
        for maker in makers:
            assert maker.full_name not in html
            assert maker.registration_number not in html


def test_each_facility_producer_page_links_to_the_impact_page(client, purbalingga):
    # given
    producers = list(Producer.objects.filter(organization=purbalingga, is_published=True))
    assert producers

    # when / then
    for producer in producers:
        html = client.get(f"/pembuat/{producer.slug}/").content.decode()
        assert f'href="{URL}" data-testid="impact-link"' in html


def test_months_add_up_to_the_years_totals(purbalingga, last_year_sale):
    for year in (last_year_sale["year"], timezone.localdate().year):
        # when
        months = sales_selectors.public_impact_months(organization=purbalingga, year=year)
        totals = sales_selectors.public_impact(organization=purbalingga, year=year)

        # then
        assert [m.month for m in months] == list(range(1, 13))
        assert sum(m.premi_earned_idr for m in months) == totals["premi_earned_idr"]
        assert sum(m.items_sold for m in months) == totals["items_sold"]
    assert sales_selectors.public_impact_years(organization=purbalingga) == [
        timezone.localdate().year,
        last_year_sale["year"],
    ]


def test_chart_bars_scale_to_the_highest_value_and_never_go_negative():
    # given: a returns-only month (negative premi) and an empty one
    months = [MonthImpact(month=m, sales_idr=0, premi_earned_idr=0, items_sold=0) for m in range(1, 13)]
    months[2] = MonthImpact(month=3, sales_idr=2_000_000, premi_earned_idr=300_000, items_sold=4)
    months[3] = MonthImpact(month=4, sales_idr=0, premi_earned_idr=-15_000, items_sold=0)

    # when: in Indonesian, whose decimal comma must not reach the SVG
    with translation.override("id"):
        chart = impact_chart(year=2026, months=months)

    # then
    march, april = chart.columns[2], chart.columns[3]
    assert chart.peak_idr == 2_000_000
    assert float(march.sales.height) == pytest.approx(PLOT_BOTTOM - PLOT_TOP)
    assert float(march.premi.height) == pytest.approx((PLOT_BOTTOM - PLOT_TOP) * 0.15)
    assert float(april.premi.height) == 0
    assert (march.label, chart.columns[7].label) == ("Mar", "Agu")
    assert chart.best is march
    assert all("," not in value for c in chart.columns for value in (c.sales.x, c.sales.y, c.premi.height))


def test_a_year_without_sales_says_so_instead_of_an_empty_chart(client):
    # given
    from tests.factories import OrganizationFactory

    facility = OrganizationFactory(slug="rutan-baru")

    # when
    html = client.get("/en/dampak/rutan-baru/").content.decode()

    # then
    assert facility.name in html
    assert "<svg" not in html
    assert f"No sales recorded in {timezone.localdate().year} yet." in html
