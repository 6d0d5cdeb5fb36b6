"""Issue 13, the Bondowoso uniform order on a 360x740 phone: the regency's staff officer opens the request form
from the batik shirt, downloads the shirt's size list template, sends it with a wrong row (the table of problems
in Indonesian, nothing sent), corrects it and sends again; the sent page gives the pieces per size, and the
seller's staff find the request with one line per size. No maker's name on any page."""

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from binakarya.deals.models import Rfq, SizeList
from tests.deals.sizes_world import BATIK_MAKERS, PEOPLE, add_batik, filled_list
from tests.deals.world import MAKER_NAMES, deals_world

AGENCY = "Bagian Organisasi Setda Kabupaten Bondowoso"


@pytest.fixture
def uniform(transactional_db):
    return add_batik(deals_world(timezone.localdate()))


def fits_and_hides_makers(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, page.url
    body = page.locator("body").inner_text()
    for name in MAKER_NAMES + BATIK_MAKERS:
        for part in name.split():
            assert part not in body, (page.url, part)


def fill_request(page: Page) -> None:
    page.locator("input[name=agency]").fill(AGENCY)
    page.locator("input[name=name]").fill("Ibu Lestari")
    page.locator("input[name=phone]").fill("0812 3333 4444")
    page.locator("input[name=delivery_place]").fill("Kantor Setda Bondowoso")


def choose_file(page: Page, data: bytes) -> None:
    page.locator("input[name=size_list]").set_input_files(
        {
            "name": "daftar-setda.xlsx",
            "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "buffer": data,
        }
    )


def test_an_agency_sends_its_uniform_size_list_from_a_phone(page: Page, screenshot, uniform):
    # The form comes with the shirt's SKU and links the shirt's template, which downloads as a workbook.
    page.goto("/pengadaan/permintaan/?sku=PBG-KMJ-M")
    link = page.get_by_test_id("size-templates").get_by_role("link")
    expect(link).to_have_text("Templat untuk Kemeja Batik Bondowoso (XLSX)")
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "daftar-ukuran-kemeja-batik.xlsx"
    fits_and_hides_makers(page)
    screenshot("1-form")

    # A list with a wrong size: the problems by row, nothing sent.
    fill_request(page)
    wrong = PEOPLE[:2] + [("Dwi Prasetyo", "", "Bagian Umum", "XXL", 1, "")]
    choose_file(page, filled_list(uniform["shirt"], wrong))
    page.locator("main form button[type=submit]:not([name])").click()
    rows = page.get_by_test_id("size-list-error-rows")
    expect(rows).to_contain_text("Ukuran “XXL” tidak dikenal. Ukurannya: S, M, L, XL.")
    expect(page.get_by_test_id("size-list-errors")).to_contain_text("1 masalah dalam daftar ukuran")
    assert Rfq.objects.filter(agency=AGENCY).count() == 0
    assert SizeList.objects.count() == 0
    fits_and_hides_makers(page)
    screenshot("2-refused")

    # The corrected list, chosen again: the request and its list are sent.
    choose_file(page, filled_list(uniform["shirt"], PEOPLE))
    page.locator("main form button[type=submit]:not([name])").click()
    page.wait_for_url("**/pengadaan/permintaan/terkirim/")
    expect(page.get_by_test_id("rfq-sent-size-list")).to_have_text(
        "Dengan daftar ukurannya untuk Kemeja Batik Bondowoso: 7 orang, 8 potong."
    )
    expect(page.get_by_test_id("rfq-sent")).to_contain_text("Ukuran M: 4 potong")
    fits_and_hides_makers(page)
    screenshot("3-sent")
    rfq = Rfq.objects.get(agency=AGENCY)
    assert [(line.variant.sku, line.quantity) for line in rfq.lines.order_by("pk")] == [
        ("PBG-KMJ-S", 1),
        ("PBG-KMJ-M", 4),
        ("PBG-KMJ-L", 2),
        ("PBG-KMJ-XL", 1),
    ]
    assert SizeList.objects.get().rfq == rfq
