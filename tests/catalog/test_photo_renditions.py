"""Responsive images: a 320 px rendition beside the 480 px thumbnail, offered to phones through srcset."""

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from PIL import Image

from binakarya.catalog import services
from binakarya.catalog.images import process_photo
from binakarya.catalog.models import Photo, Product
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


def jpeg_upload(size=(1000, 800)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (120, 60, 30)).save(buffer, format="JPEG")
    return SimpleUploadedFile("foto.jpg", buffer.getvalue(), content_type="image/jpeg")


def media_files() -> set[Path]:
    return {p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()}


def test_processing_makes_a_320_px_rendition_beside_the_480_px_one():
    # when
    processed = process_photo(jpeg_upload())

    # then
    small, thumb = Image.open(processed.thumbnail_small), Image.open(processed.thumbnail)
    assert (small.format, small.size) == ("WEBP", (320, 320))
    assert thumb.size == (480, 480)
    assert processed.thumbnail_small.size < processed.thumbnail.size


def test_a_new_photo_stores_its_small_rendition_as_the_products_small_cover():
    # given
    product = ProductFactory()

    # when
    photo = services.photo_add(actor=None, product=product, upload=jpeg_upload())

    # then
    product.refresh_from_db()
    assert photo.thumbnail_small.name.startswith("photos/small/")
    assert product.cover_thumbnail_small == photo.thumbnail_small.name
    assert product.cover_thumbnail == photo.thumbnail.name
    assert (Path(settings.MEDIA_ROOT) / photo.thumbnail_small.name).is_file()


def test_deleting_a_photo_removes_its_small_rendition_too(django_capture_on_commit_callbacks):
    # given
    photo = services.photo_add(actor=None, product=ProductFactory(), upload=jpeg_upload())
    small = Path(settings.MEDIA_ROOT) / photo.thumbnail_small.name

    # when
    with django_capture_on_commit_callbacks(execute=True):
        services.photo_delete(actor=None, photo=photo)

    # then
    assert not small.exists()
    assert Product.objects.get(pk=photo.product_id).cover_thumbnail_small == ""


def test_photo_renditions_command_backfills_photos_stored_before_and_is_idempotent():
    # given: a photo as it was stored before the 320 px rendition existed
    product = ProductFactory()
    photo = services.photo_add(actor=None, product=product, upload=jpeg_upload())
    Path(settings.MEDIA_ROOT, photo.thumbnail_small.name).unlink()
    Photo.objects.filter(pk=photo.pk).update(thumbnail_small="")
    Product.objects.filter(pk=product.pk).update(cover_thumbnail_small="")

    # when
    out = io.StringIO()
    call_command("photo_renditions", stdout=out)
    files_after_first = media_files()
    call_command("photo_renditions", stdout=io.StringIO())

    # then
    photo.refresh_from_db()
    product.refresh_from_db()
    assert "1 photo(s) given a 320 px rendition, 0 failed." in out.getvalue()
    assert Image.open(Path(settings.MEDIA_ROOT, photo.thumbnail_small.name)).size == (320, 320)
    assert product.cover_thumbnail_small == photo.thumbnail_small.name
    assert media_files() == files_after_first


def cards(html: str) -> list[str]:
    return re.findall(r'<li class="card">(.*?)</li>', html, re.S)


def test_catalog_cards_offer_320_and_480_px_and_load_only_the_first_row_at_once(client):
    # given: five products with photos (the last one stored before small renditions)
    products = [ProductFactory(name=f"Kain Batik {i}", slug=f"kain-{i}") for i in range(5)]
    for product in products:
        services.photo_add(actor=None, product=product, upload=jpeg_upload())
    Product.objects.filter(pk=products[4].pk).update(cover_thumbnail_small="")
    first_product = Product.objects.get(pk=products[0].pk)
    small, large = first_product.cover_thumbnail_small, first_product.cover_thumbnail

    # when
    html = client.get("/katalog/").content.decode()
    found = cards(html)

    # then: the first row loads at once, the first image first
    assert len(found) == 5
    first, second, third, _fourth, old = found
    image = re.search(r"<img [^>]+>", first).group(0)
    assert f'src="/media/{large}" srcset="/media/{small} 320w, /media/{large} 480w"' in image
    assert 'sizes="(min-width: 960px) 264px, (min-width: 640px) calc(33vw - 1.2rem), calc(50vw - 1.4rem)"' in image
    assert 'width="480" height="480"' in image and 'fetchpriority="high"' in image
    assert "data-src" not in second and "fetchpriority" not in second and "<noscript>" not in second
    # below it, lazy-images.js fetches on approach; <noscript> holds the image for browsers without JavaScript
    lazy = re.search(r"<img [^>]+>", third).group(0)
    assert "data-src=" in lazy and "data-srcset=" in lazy and " src=" not in lazy
    assert re.search(r'<noscript><img src="/media/photos/thumb/[^"]+" srcset="[^"]+ 320w, [^"]+ 480w"', third)
    assert "srcset" not in old and "320w" not in old
    assert 'src="/static/js/lazy-images.js" defer' in html


def test_htmx_is_loaded_only_where_a_page_uses_it(client):
    # given
    product = ProductFactory(slug="kain-ringan")

    # when
    pages = {path: client.get(path).content.decode() for path in ("/", "/katalog/", f"/produk/{product.slug}/")}

    # then
    assert "htmx" in pages["/katalog/"] and "hx-get" in pages["/katalog/"]
    for path in ("/", f"/produk/{product.slug}/"):
        assert "htmx.min.js" not in pages[path], path
        assert "hx-" not in pages[path], path


def test_media_served_by_the_app_may_be_cached_for_a_day(client):
    # given
    photo = services.photo_add(actor=None, product=ProductFactory(), upload=jpeg_upload())

    # when
    response = client.get(f"/media/{photo.thumbnail_small.name}")
    missing = client.get("/media/photos/small/tidak-ada.webp")

    # then
    assert response.status_code == 200
    assert "max-age=86400" in response["Cache-Control"] and "public" in response["Cache-Control"]
    assert missing.status_code == 404
