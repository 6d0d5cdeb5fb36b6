"""A catalog officer on a 360 px phone fills a product's e-Katalog listing: a wrong KBKI code is shown next to
its field, the page never scrolls sideways, and the saved listing offers the spec sheet."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from binakarya.catalog.models import ProcurementListing
from binakarya.organizations.models import Role
from tests.browser.staff_menu import log_in
from tests.factories import MembershipFactory, ProducerFactory, ProductFactory, UserFactory


@pytest.fixture
def product(transactional_db):
    producer = ProducerFactory()
    product = ProductFactory(producer=producer, name="Tempat Sampah Bambu", variants=[150_000])
    officer = UserFactory(username="petugas.katalog")
    MembershipFactory(user=officer, organization=producer.organization, role=Role.PRODUCTION_OFFICER)
    return product


def test_the_listing_is_filled_on_a_phone(page: Page, screenshot, product):
    log_in(page, "petugas.katalog")
    page.goto(reverse("backoffice:product_edit", args=[product.pk]))
    page.get_by_role("link", name="Data e-Katalog").click()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.locator("input[name=kbki_code]").fill("38-99X")
    page.locator("select[name=unit]").select_option("set")
    page.locator("textarea[name=specifications]").fill("Bahan: bambu\nUkuran: 30 x 30 x 60 cm")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".has-error")).to_contain_text("Kode KBKI terdiri atas 5 sampai 10 angka")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot("listing-error")

    page.locator("input[name=kbki_code]").fill("38990")
    page.locator("input[name=tkdn]").fill("42,35")
    page.locator("input[name=tkdn_certificate_number]").fill("TKDN/2025/1")
    page.locator("input[name=tkdn_certificate_date]").fill("2025-03-01")
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_text("Data e-Katalog disimpan.")).to_be_visible()
    expect(page.get_by_role("link", name="Lembar spesifikasi (PDF)")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot("listing-saved")
    listing = ProcurementListing.objects.get(product=product)
    assert (listing.kbki_code, listing.tkdn_bp, listing.unit) == ("38990", 4235, "set")
