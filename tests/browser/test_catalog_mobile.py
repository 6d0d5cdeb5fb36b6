"""A buyer on a 360x740 phone searches for "membatik", opens a batik product, and can order it."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect


@pytest.fixture
def demo_site(transactional_db):
    call_command("load_demo", stdout=open("/dev/null", "w"))


@pytest.mark.parametrize(
    ("prefix", "search_label", "order_label", "lang"),
    [("", "Cari", "Pesan lewat WhatsApp", "id"), ("/en", "Search", "Order via WhatsApp", "en")],
    ids=["indonesian", "english"],
)
def test_search_membatik_open_batik_product_and_order(
    page, screenshot, demo_site, prefix, search_label, order_label, lang
):
    page.goto(f"{prefix}/")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    screenshot("home")

    page.locator("#home_q").fill("membatik")
    page.get_by_role("button", name=search_label, exact=True).click()
    page.wait_for_url("**/katalog/?q=membatik")
    cards = page.locator(".card-title")
    expect(cards.first).to_be_visible()
    titles = cards.all_inner_texts()
    assert titles and all("Batik" in t or "Membatik" in t for t in titles), titles
    screenshot("search-membatik")

    page.get_by_role("link", name="Kain Batik Tulis Motif Kerapan Sapi").click()
    page.wait_for_url("**/produk/kain-batik-tulis-motif-kerapan-sapi/")
    expect(page.get_by_test_id("price")).to_have_text("Rp525.000")
    button = page.get_by_role("link", name=order_label)
    expect(button).to_be_visible()
    assert button.get_attribute("href").startswith("https://wa.me/6281231230001?text=")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    image = page.locator(".gallery img").first
    expect(image).to_be_visible()
    assert page.evaluate("(img) => img.naturalWidth", image.element_handle()) > 0
    screenshot("product")
