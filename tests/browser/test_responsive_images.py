"""At 360x740 (device pixel ratio 2), catalog cards load the 320 px thumbnails, not the 480 px ones."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from playwright.sync_api import expect

from binakarya.catalog.services import photo_add
from tests.factories import ProductFactory


@pytest.fixture
def pictured(transactional_db):
    for i in range(12):
        product = ProductFactory(name=f"Kain Batik Motif {i}", slug=f"kain-motif-{i}")
        buffer = io.BytesIO()
        Image.new("RGB", (900, 900), (30 * i, 90, 60)).save(buffer, format="JPEG")
        photo_add(actor=None, product=product, upload=SimpleUploadedFile("foto.jpg", buffer.getvalue()))


def test_catalog_cards_use_the_small_rendition_on_a_phone_and_load_below_the_fold_on_approach(page, pictured):
    # when
    loaded: list[str] = []
    page.on("requestfinished", lambda request: loaded.append(request.url) if "/media/" in request.url else None)
    page.goto("/katalog/")
    first = page.locator(".card img").first
    expect(first).to_be_visible()
    page.wait_for_load_state("networkidle")

    # then
    assert "/photos/small/" in page.evaluate("(img) => img.currentSrc", first.element_handle())
    assert loaded and all("/photos/small/" in url for url in loaded), loaded
    # the last card is out of reach: fetched only when scrolled near
    last = page.locator(".card img").last
    assert page.evaluate("(img) => img.currentSrc", last.element_handle()) == ""
    last.scroll_into_view_if_needed()
    # (an image without a source counts as complete: wait for lazy-images.js to give it one, and for it to load)
    page.wait_for_function(
        "(img) => img.currentSrc.includes('/photos/small/kain-motif-') && img.complete && img.naturalWidth > 0",
        arg=last.element_handle(),
    )


def test_without_javascript_every_card_still_shows_its_image(browser, live_server, pictured):
    # given
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 360, "height": 740}, java_script_enabled=False
    )
    page = context.new_page()

    # when
    page.goto("/katalog/")
    images = page.locator(".card img:visible")

    # then: every card shows its image (the noscript copies below the first row)
    expect(images).to_have_count(12)
    images.last.scroll_into_view_if_needed()
    expect(images.last).to_have_js_property("complete", True)
    assert page.evaluate("(img) => img.naturalWidth", images.last.element_handle()) > 0
    context.close()
