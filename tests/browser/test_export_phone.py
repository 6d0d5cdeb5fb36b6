"""Issue 13 (export) on a 360 px phone: staff enter a product's export data, English name and a USD rate;
the English product page shows them with the indicative price, and no page scrolls sideways."""

import pytest
from playwright.sync_api import expect

from binakarya.organizations.models import Role
from tests.browser.staff_menu import log_in
from tests.factories import MembershipFactory, ProductFactory, UserFactory


@pytest.fixture
def product(transactional_db):
    product = ProductFactory(name="Kain Batik Sekar Jagad", slug="sekar-jagad", variants=[250_000], photos=1)
    MembershipFactory(user=UserFactory(username="ani"), organization=product.organization, role=Role.FACILITY_ADMIN)
    return product


def test_staff_enter_export_data_and_a_rate_and_the_english_page_shows_them(page, screenshot, product):
    log_in(page, "ani")

    page.goto(f"/staf/produk/{product.pk}/ekspor/")
    page.locator("#id_hs_code").fill("5208.52")
    page.locator("#id_net_weight_grams").fill("450")
    page.locator("#id_gross_weight_grams").fill("300")
    page.locator("#id_name_en").fill("Sekar Jagad hand-drawn batik")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("Berat kotor (dengan kemasan) tidak boleh kurang dari berat bersih.")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot("export-refused")
    page.locator("#id_gross_weight_grams").fill("1.200")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("Data ekspor disimpan.")

    page.goto("/staf/produk/kurs/")
    page.locator("#id_idr_per_unit").fill("16.250")
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_test_id("rate-row").first).to_contain_text("Rp16.250")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot("rates")

    page.goto("/en/produk/sekar-jagad/")
    expect(page.locator("h1")).to_have_text("Sekar Jagad hand-drawn batik")
    expect(page.get_by_test_id("indicative-price")).to_contain_text("≈ US$15.38, rate of")
    expect(page.get_by_test_id("export-data")).to_contain_text("450 g / 1,200 g")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot("english-product")
