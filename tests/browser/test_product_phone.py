"""An UMKM operator on a 360x740 phone adds a product with a photo on the first screen; the phone shrinks a large
photo to 1600 px before sending it, and the checklist says what buyers still miss."""

import io
import re

import pytest
from django.urls import reverse
from PIL import Image
from playwright.sync_api import Page, expect

from binakarya.catalog import services
from binakarya.catalog.models import Product
from binakarya.organizations.models import Role
from tests.backoffice.helpers import text
from tests.factories import CategoryFactory, MembershipFactory, ProducerOrgFactory, UmkmProducerFactory, UserFactory

PASSWORD = "pass-word-123"  # tests.factories.UserFactory's password


@pytest.fixture
def umkm(transactional_db):
    organization = ProducerOrgFactory(name="Batik Raung", code="RNG")
    UmkmProducerFactory(organization=organization, name="Batik Raung")
    CategoryFactory(name="Batik Tulis", slug="batik-tulis")
    operator = UserFactory(username="operator.raung", first_name="Rini")
    MembershipFactory(user=operator, organization=organization, role=Role.PRODUCER_OPERATOR)
    return organization


def jpeg(size: tuple[int, int]) -> bytes:
    """A photo-like JPEG: a gradient, so that it compresses like a photo and not like a flat colour."""
    width, height = size
    image = Image.linear_gradient("L").resize(size).convert("RGB")
    image.paste((150, 80, 40), (width // 4, height // 4, width // 2, height // 2))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=95)
    return out.getvalue()


def log_in(page: Page) -> None:
    page.goto(reverse("accounts:login"))
    page.locator("main input[name=username]").fill("operator.raung")
    page.locator("main input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**{reverse('backoffice:dashboard')}")


@pytest.fixture
def received(monkeypatch) -> list[tuple[str, str, tuple[int, int], int]]:
    """What the server received for each photo: (file name, format, size in pixels, bytes).

    Chromium does not show a request body that holds files, so the photos are looked at where live_server
    (a thread of this process) hands them to catalog.images.
    """
    seen: list[tuple[str, str, tuple[int, int], int]] = []
    process_photo = services.process_photo

    def recording(upload, **kwargs):
        data = upload.read()
        upload.seek(0)
        image = Image.open(io.BytesIO(data))
        seen.append((upload.name, image.format, image.size, len(data)))
        return process_photo(upload, **kwargs)

    monkeypatch.setattr(services, "process_photo", recording)
    return seen


def test_a_product_with_a_photo_from_the_first_screen(page, screenshot, umkm, tmp_path, received):
    # given a large photo, as a phone camera takes it
    photo = tmp_path / "IMG_20250301_101500.jpg"
    photo.write_bytes(jpeg((3000, 2000)))
    log_in(page)

    # when the operator opens the new product form
    page.goto(reverse("backoffice:product_create"))
    photos = page.locator("input[name=photos]")
    # then the photo field is on the first screen, under the name
    expect(photos).to_be_in_viewport()
    screenshot("new-product-first-screen")

    # when they type a name, choose the photo, a price, and save without a SKU
    page.locator("input[name=name]").fill("Kain Batik Kopi Raung")
    photos.set_input_files(str(photo))
    page.locator("select[name=category]").select_option(label="Batik Tulis")
    page.locator("input[name=price_idr]").fill("350000")
    page.get_by_role("button", name=text("Save product")).click()
    page.wait_for_url(re.compile(r".*/staf/produk/\d+/$"))

    # then the phone sent the photo shrunk to 1600 px on its long side, as a much smaller JPEG
    ((name, kind, size, length),) = received
    assert (name, kind, size) == ("IMG_20250301_101500.jpg", "JPEG", (1600, 1067))
    assert length < photo.stat().st_size / 2
    product = Product.objects.get()
    assert product.variants.get().sku == "RNG-BTK-001"
    assert product.photos.count() == 1
    expect(page.get_by_text(text("Product saved with SKU %(sku)s.", sku="RNG-BTK-001"))).to_be_visible()
    expect(page.locator("#readiness h2")).to_have_text(text("Buyers can see this product"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot("product-saved")

    # and the public product page shows it
    page.goto(reverse("storefront:product", args=[product.slug]))
    expect(page.locator("h1")).to_have_text("Kain Batik Kopi Raung")


def test_a_refused_photo_keeps_the_form_and_saves_nothing(page, screenshot, umkm, tmp_path):
    # given a document renamed .jpg
    fake = tmp_path / "nota.jpg"
    fake.write_bytes(b"%PDF-1.4 this is a receipt, not a photo")
    log_in(page)
    page.goto(reverse("backoffice:product_create"))

    # when
    page.locator("input[name=name]").fill("Kain Batik Kopi Raung")
    page.locator("input[name=photos]").set_input_files(str(fake))
    page.locator("select[name=category]").select_option(label="Batik Tulis")
    page.locator("input[name=price_idr]").fill("350000")
    page.get_by_role("button", name=text("Save product")).click()

    # then the form comes back in place with the message next to the photos, and nothing was saved
    error = page.locator(".has-error .errorlist").first
    expect(error).to_contain_text("nota.jpg")
    expect(error).to_contain_text("GIF")
    expect(page.locator("input[name=name]")).to_have_value("Kain Batik Kopi Raung")
    assert Product.objects.count() == 0
    screenshot("refused-photo")


def test_the_product_page_upload_shows_progress_and_shrinks_the_photo(page, umkm, tmp_path, received):
    # given a product without a photo
    photo = tmp_path / "besar.jpg"
    photo.write_bytes(jpeg((2000, 3000)))
    log_in(page)
    page.goto(reverse("backoffice:product_create"))
    page.locator("input[name=name]").fill("Selendang Kopi")
    page.locator("select[name=category]").select_option(label="Batik Tulis")
    page.locator("input[name=price_idr]").fill("150000")
    page.get_by_role("button", name=text("Save product")).click()
    page.wait_for_url(re.compile(r".*/staf/produk/\d+/$"))
    expect(page.locator("#readiness [data-check=PHOTO]")).to_have_class("todo")

    # when a photo is added from the product page, with the status line watched as it changes
    page.evaluate(
        """() => {
            window.uploadStatus = [];
            const status = document.querySelector("#photos .upload-status");
            new MutationObserver(() => {
                const bar = status.querySelector("progress");
                window.uploadStatus.push([status.hidden, status.textContent.trim(), bar.getAttribute("value")]);
            }).observe(status, { attributes: true, childList: true, subtree: true, characterData: true });
        }"""
    )
    page.locator("#photos input[name=photo]").set_input_files(str(photo))
    page.locator("#photos button[type=submit]").click()

    # then the photo and the checklist refreshed in place, and the photo was sent at 1067x1600
    expect(page.locator("#photos .photo-item")).to_have_count(1)
    expect(page.locator("#readiness [data-check=PHOTO]")).to_have_class("done")
    expect(page.locator("#readiness h2")).to_have_text(text("Buyers can see this product"))
    assert [(kind, size) for _name, kind, size, _length in received] == [("JPEG", (1067, 1600))]
    # and meanwhile the status line said the photo was being made smaller, then showed the upload's progress
    shown = [entry for entry in page.evaluate("window.uploadStatus") if not entry[0]]
    texts = [entry[1] for entry in shown]
    assert text("Making the photo smaller…") in texts
    assert any(t.startswith(text("Uploading… {percent}").split("{")[0]) for t in texts), texts
