"""A buyer on a 360x740 phone searches for "membatik", opens a batik product, and can order it."""

from urllib.parse import parse_qs, urlparse

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
    button = page.get_by_role("button", name=order_label)
    expect(button).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    image = page.locator(".gallery img").first
    expect(image).to_be_visible()
    assert page.evaluate("(img) => img.naturalWidth", image.element_handle()) > 0
    screenshot("product")

    # The machine has no network: WhatsApp's answer is faked, its address is what is checked.
    page.context.route("https://wa.me/**", lambda route: route.fulfill(body="WhatsApp", content_type="text/plain"))
    page.locator("#order_quantity").fill("2")
    with page.expect_popup() as popup:
        button.click()
    link = urlparse(popup.value.url)
    assert (link.netloc, link.path) == ("wa.me", "/6281231230001")
    text = parse_qs(link.query)["text"][0]
    assert "Kain Batik Tulis Motif Kerapan Sapi" in text
    assert ("Jumlah: 2" if lang == "id" else "Quantity: 2") in text


def test_whatsapp_order_names_the_chosen_size_and_quantity_with_and_without_javascript(browser, live_server):
    """A shirt in M and L: choosing L and 3 sends a message naming L and 3, whether or not JavaScript runs."""
    from binakarya.catalog.services import product_refresh
    from tests.factories import ProductFactory, VariantFactory

    product = ProductFactory(photos=1, name="Kaos Batik Kawung", slug="kaos-kawung", variants=[])
    VariantFactory(product=product, name="M", sku="KAOS-KWG-M", price_idr=120_000)
    VariantFactory(product=product, name="L", sku="KAOS-KWG-L", price_idr=135_000)
    product_refresh(product=product)  # priced and pictured: buyers see it
    texts = {}
    for javascript in (True, False):
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": 360, "height": 740}, java_script_enabled=javascript
        )
        # No network here: WhatsApp is faked (a redirect's target is not routed, so requests are watched too).
        context.route("https://wa.me/**", lambda route: route.fulfill(body="WhatsApp", content_type="text/plain"))
        opened: list[str] = []
        context.on(
            "request", lambda request, seen=opened: seen.append(request.url) if "wa.me/" in request.url else None
        )
        page = context.new_page()
        page.goto("/produk/kaos-kawung/")
        page.locator("#order_variant").select_option(label="L · Rp135.000")
        page.locator("#order_quantity").fill("3")
        if javascript:
            expect(page.locator("[data-order-total] output")).to_have_text("Rp405.000")
        with page.expect_popup() as popup:
            page.get_by_role("button", name="Pesan lewat WhatsApp").click()
        popup.value.wait_for_load_state()
        assert len(opened) == 1, opened
        link = urlparse(opened[0])
        assert (link.netloc, link.path) == ("wa.me", "/6281234567890")
        texts[javascript] = parse_qs(link.query)["text"][0]
        context.close()

    assert texts[True] == texts[False]
    assert "Pilihan: L (KAOS-KWG-L)" in texts[True]
    assert "Jumlah: 3" in texts[True]
