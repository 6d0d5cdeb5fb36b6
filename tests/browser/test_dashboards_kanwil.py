"""Issue 14, "What must be shown": on a 360 px phone, a Kanwil viewer compares the facilities of Jawa Timur
on a chart and downloads the table; no maker's name is on the way."""

import csv
import io

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from binakarya.organizations.models import Role
from tests.browser.staff_menu import go_by_menu, log_in
from tests.dashboard_world import sell, seller
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory


@pytest.fixture
def jawa_timur(transactional_db):
    sumenep = seller("Rutan Kelas IIB Sumenep", "rutan-sumenep", "Jawa Timur", "SMP-001")
    bondowoso = seller("Lapas Kelas IIA Bondowoso", "lapas-bondowoso", "Jawa Timur", "BDW-001")
    banyuwangi = seller("Lapas Kelas IIA Banyuwangi", "lapas-banyuwangi", "Jawa Timur", "BWI-001")
    purbalingga = seller("Rutan Kelas IIB Purbalingga", "rutan-purbalingga", "Jawa Tengah", "PBG-001")
    sell(sumenep, 4, month=1)
    sell(sumenep, 2, month=1, channel="WHATSAPP")
    sell(bondowoso, 3, month=1)
    sell(banyuwangi, 1, month=1, channel="MARKETPLACE")
    sell(purbalingga, 5, month=1)
    kanwil = OrganizationFactory(kind="AGENCY", name="Kanwil Jawa Timur", slug="kanwil-jatim", province="Jawa Timur")
    MembershipFactory(user=UserFactory(username="kanwil.jatim"), organization=kanwil, role=Role.REGIONAL_VIEWER)
    return [sumenep, bondowoso, banyuwangi]


def test_a_kanwil_viewer_compares_jawa_timur_on_a_chart_and_downloads_the_table(page: Page, jawa_timur, screenshot):
    # given a Kanwil viewer on a phone
    log_in(page, "kanwil.jatim")

    # when they open the dashboards from the menu
    go_by_menu(page, reverse("backoffice:dashboards"))

    # then the facilities of Jawa Timur stand side by side on the chart of sales by channel
    expect(page.get_by_test_id("dashboard-scope")).to_contain_text("Jawa Timur")
    chart = page.get_by_test_id("chart-sales-channel")
    expect(chart.locator("svg.chart-svg")).to_be_visible()
    svg = chart.locator("svg.chart-svg").inner_html()
    for name in ("Rutan Kelas IIB Sumenep", "Lapas Kelas IIA Bondowoso", "Lapas Kelas IIA Banyuwangi"):
        assert (
            name in svg or name in chart.inner_text() or name in page.get_by_test_id("table-sales-channel").inner_text()
        )
    assert "Purbalingga" not in page.locator("main").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    box = chart.locator("svg.chart-svg").bounding_box()
    assert box is not None and box["width"] <= 360
    screenshot("kanwil-dashboard")

    # and the table beside it downloads as CSV with one row per facility
    with page.expect_download() as download_info:
        page.get_by_test_id("download-sales-channel-csv").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    with open(download.path(), encoding="utf-8-sig") as handle:
        text = handle.read()
    rows = list(csv.reader(io.StringIO(text)))
    labels = {row[0] for row in rows if row}
    assert {"Rutan Kelas IIB Sumenep", "Lapas Kelas IIA Bondowoso", "Lapas Kelas IIA Banyuwangi"} <= labels
    for shop in jawa_timur:
        for maker in shop["makers"]:
            assert maker.full_name not in text and maker.full_name not in page.content()

    # and one facility opens from its name in the table
    page.get_by_test_id("table-sales-channel").get_by_role("link", name="Lapas Kelas IIA Bondowoso").click()
    expect(page.get_by_test_id("dashboard-scope")).to_contain_text("Lapas Kelas IIA Bondowoso")
    screenshot("kanwil-facility")
