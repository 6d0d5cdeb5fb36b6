"""Phone photo upload: metadata is stripped, unsafe files are refused, and a refusal stores nothing."""

import io
import os
import struct

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse
from PIL import Image

from binakarya.catalog.models import Photo
from binakarya.core.models import AuditEvent
from tests.backoffice.helpers import (
    GPS_IFD,
    MAKE,
    files_under,
    html,
    jpeg_with_gps,
    noise_jpeg,
    png_bomb,
    png_bytes,
    text,
    upload,
)
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db

NOT_AN_IMAGE = "This file is not a photo. Upload a JPEG, PNG, WebP or GIF image (a GIF is kept as a still picture)."
TOO_MANY_PIXELS = "This image is too large in pixels to be processed safely. Use a photo of at most %(mp)s megapixels."


def post_photo(client, product, content: bytes, *, name: str = "IMG_20250301.jpg", htmx: bool = False, **extra):
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(
        reverse("backoffice:photo_upload", args=[product.pk]),
        {"photo": upload(name, content), "alt_text": "Kain batik dibentangkan", **extra},
        headers=headers,
    )


def test_the_source_jpeg_really_carries_gps_and_camera_make():
    # given
    source = Image.open(io.BytesIO(jpeg_with_gps()))

    # then the test image is a fair test of stripping
    exif = source.getexif()
    assert exif[MAKE] == "PhoneCam"
    assert exif.get_ifd(GPS_IFD)[1] == "S"


def test_upload_stores_webp_renditions_without_metadata(client_a, product_a, staff_a):
    # when
    response = post_photo(client_a, product_a, jpeg_with_gps(size=(1600, 1200)))

    # then
    assert response.status_code == 302
    assert response["Location"] == reverse("backoffice:product_edit", args=[product_a.pk]) + "#photos"
    photo = Photo.objects.get()
    assert (photo.product_id, photo.organization_id, photo.alt_text) == (
        product_a.pk,
        product_a.organization_id,
        "Kain batik dibentangkan",
    )
    with Image.open(photo.image.path) as large, Image.open(photo.thumbnail.path) as thumb:
        assert (large.format, thumb.format) == ("WEBP", "WEBP")
        assert large.size == (1200, 900)
        assert thumb.size == (480, 480)
        assert dict(large.getexif()) == {}
        assert dict(thumb.getexif()) == {}
        assert "exif" not in large.info and "exif" not in thumb.info
        assert "icc_profile" not in large.info
    for path in (photo.image.path, photo.thumbnail.path):
        with open(path, "rb") as fh:
            raw = fh.read()
        assert b"PhoneCam" not in raw
        assert b"Exif" not in raw
    product_a.refresh_from_db()
    assert product_a.cover_thumbnail == photo.thumbnail.name
    assert AuditEvent.objects.filter(action="photo.add", actor=staff_a).count() == 1


def test_htmx_upload_returns_the_photo_section_only(client_a, product_a):
    # when
    response = post_photo(client_a, product_a, jpeg_with_gps(size=(800, 800)), htmx=True)

    # then
    body = response.content.decode()
    photo = Photo.objects.get()
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "backoffice/includes/photos.html"
    assert body.startswith('<section id="photos"')
    assert "<html" not in body
    assert photo.thumbnail.url in body


def refused(client, product, content: bytes, *, htmx: bool, name: str = "IMG_1.jpg"):
    photos_before = Photo.objects.count()
    audit_before = AuditEvent.objects.count()
    response = post_photo(client, product, content, name=name, htmx=htmx)
    assert Photo.objects.count() == photos_before
    assert AuditEvent.objects.count() == audit_before
    assert files_under(settings.MEDIA_ROOT) == []
    return response


@pytest.mark.parametrize("htmx", [False, True])
def test_text_file_renamed_jpg_is_refused(client_a, product_a, htmx):
    # when
    response = refused(client_a, product_a, b"Bukan foto, hanya teks.\n" * 20, htmx=htmx, name="foto.jpg")

    # then
    assert response.status_code == 200
    assert response.context["photo_form"].errors == {"photo": [text(NOT_AN_IMAGE)]}
    assert html(NOT_AN_IMAGE) in response.content.decode()


@pytest.mark.parametrize("htmx", [False, True])
def test_file_over_the_size_limit_is_refused(client_a, product_a, settings, htmx):
    # given a 1 MB limit and a real photo over it
    settings.UPLOAD_MAX_BYTES = 1_048_576
    content = noise_jpeg(size=(1000, 1000))
    assert len(content) > 1_048_576

    # when
    response = refused(client_a, product_a, content, htmx=htmx)

    # then
    errors = response.context["photo_form"].errors["photo"]
    assert [e.code for e in response.context["photo_form"].errors.as_data()["photo"]] == ["too_large"]
    assert len(errors) == 1
    assert (
        html(
            "The file is too large (%(size)s MB). The limit is %(limit)s MB.",
            size=round(len(content) / 1_048_576, 1),
            limit=1,
        )
        in response.content.decode()
    )


@pytest.mark.parametrize("htmx", [False, True])
def test_png_declaring_huge_dimensions_is_refused(client_a, product_a, htmx):
    # given a 1x1 PNG whose header claims 20000 x 20000 pixels
    bomb = png_bomb()
    assert struct.unpack(">II", bomb[16:24]) == (20_000, 20_000)
    with pytest.raises(Image.DecompressionBombError):
        Image.open(io.BytesIO(bomb))

    # when
    response = refused(client_a, product_a, bomb, htmx=htmx, name="bomb.png")

    # then
    assert [e.code for e in response.context["photo_form"].errors.as_data()["photo"]] == ["too_many_pixels"]
    assert html(TOO_MANY_PIXELS, mp=40) in response.content.decode()


def test_normal_photo_over_the_pixel_limit_is_refused(client_a, product_a):
    # given a 1 megapixel limit and a 1.92 megapixel photo
    with override_settings(UPLOAD_MAX_PIXELS=1_000_000):
        # when
        response = refused(client_a, product_a, jpeg_with_gps(size=(1600, 1200)), htmx=False)

    # then
    assert [e.code for e in response.context["photo_form"].errors.as_data()["photo"]] == ["too_many_pixels"]
    assert html(TOO_MANY_PIXELS, mp=1) in response.content.decode()


def test_upload_without_a_file_asks_for_one(client_a, product_a):
    # when
    response = client_a.post(reverse("backoffice:photo_upload", args=[product_a.pk]), {"alt_text": "x"})

    # then
    assert response.status_code == 200
    assert list(response.context["photo_form"].errors) == ["photo"]
    assert Photo.objects.count() == 0


def test_make_cover_moves_the_photo_first(client_a, product_a):
    # given two photos
    post_photo(client_a, product_a, png_bytes(size=(600, 600)), name="a.png")
    post_photo(client_a, product_a, png_bytes(size=(600, 600)), name="b.png")
    first, second = Photo.objects.order_by("position", "id")

    # when
    response = client_a.post(
        reverse("backoffice:photo_make_cover", args=[product_a.pk, second.pk]), headers={"HX-Request": "true"}
    )

    # then
    assert response.status_code == 200
    assert list(Photo.objects.order_by("position", "id").values_list("pk", flat=True)) == [second.pk, first.pk]
    product_a.refresh_from_db()
    assert product_a.cover_thumbnail == second.thumbnail.name


def test_delete_photo_removes_row_and_files(client_a, product_a, django_capture_on_commit_callbacks):
    # given
    post_photo(client_a, product_a, png_bytes(size=(600, 600)), name="a.png")
    photo = Photo.objects.get()
    paths = [photo.image.path, photo.thumbnail.path]

    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = client_a.post(reverse("backoffice:photo_delete", args=[product_a.pk, photo.pk]))

    # then
    assert response.status_code == 302
    assert Photo.objects.count() == 0
    assert files_under(settings.MEDIA_ROOT) == []
    assert [p for p in paths if os.path.exists(p)] == []
    product_a.refresh_from_db()
    assert product_a.cover_thumbnail == ""


def test_photo_of_another_product_is_not_found(client_a, product_a, producer_a, batik):
    # given a photo on a second product of the same facility
    other = ProductFactory(producer=producer_a, category=batik, slug="lain")
    post_photo(client_a, other, png_bytes(size=(600, 600)), name="a.png")
    photo = Photo.objects.get()

    # when the photo is addressed through the wrong product
    response = client_a.post(reverse("backoffice:photo_delete", args=[product_a.pk, photo.pk]))

    # then
    assert response.status_code == 404
    assert Photo.objects.count() == 1
