"""A facility admin on a 360 px phone opens the month's report from the staff menu: the Reports page, the month
picked, the PDF downloaded with the month's net sales in it and no maker's name; then the Kanwil's viewer opens
the e-Katalog report of the province. The data is tests/dashboards/world.py (March 2026 at Rutan Sumenep)."""

import subprocess

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.browser.staff_menu import go_by_menu, log_in, log_out
from tests.dashboards.world import MAKER_NAMES, Clock, sumenep_month


@pytest.fixture
def march(transactional_db):
    """The world is recorded on a clock moving through 2026; the browser then runs on the real one."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        world = sumenep_month(Clock(monkeypatch))
    return world


def fits_the_phone(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 360


def pdf_text(path: str) -> str:
    out = subprocess.run(["pdftotext", "-layout", path, "-"], capture_output=True, text=True, check=True)
    return " ".join(out.stdout.split())


def test_the_monthly_report_from_a_phone(page, screenshot, march):
    # given the facility admin on the staff home
    log_in(page, "admin-smp")

    # when they open Reports from the menu, pick March 2026 and open the report
    go_by_menu(page, reverse("backoffice:reports"))
    form = page.get_by_test_id("monthly-report")
    expect(form).to_be_visible()
    assert fits_the_phone(page)
    form.locator("input[name=bulan]").fill("2026-03")
    screenshot("reports-page")
    with page.expect_response(lambda r: r.url.endswith(".pdf")) as answer, page.expect_download() as download_info:
        form.locator("button[type=submit]").click()

    # then the answer is the PDF of March, with the month's net sales and no maker
    response = answer.value
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.url.endswith("/staf/laporan/bulanan/rutan-sumenep/2026/3.pdf")
    download = download_info.value
    assert download.suggested_filename.startswith("laporan-bulanan-rutan-sumenep-2026-03")
    text = pdf_text(download.path())
    assert "Maret 2026" in text
    assert "Penjualan bersih Rp1.050.000 Rp1.350.000" in text
    for name in MAKER_NAMES:
        assert name.split()[1] not in text


def test_the_ekatalog_report_from_a_phone(page, screenshot, march):
    # given the Kanwil's viewer on the Reports page
    log_in(page, "kanwil-jatim")
    go_by_menu(page, reverse("backoffice:reports"))
    section = page.get_by_test_id("ekatalog-report")
    expect(section).to_be_visible()
    assert fits_the_phone(page)

    # when they pick the first quarter and ask for the PDF
    section.locator("select[name=periode]").select_option("2026-T1")
    screenshot("reports-kanwil")
    with page.expect_download() as download_info:
        section.locator("button[value=pdf]").click()

    # then
    text = pdf_text(download_info.value.path())
    assert "Provinsi Jawa Timur" in text and "Rutan Kelas IIB Sumenep" in text and "Rp1.450.000" in text
    log_out(page)
