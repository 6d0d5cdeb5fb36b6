"""A product from a phone: photos on the first screen, a generated SKU, and a checklist of what buyers still miss."""

import pytest
from django.urls import reverse

from binakarya.catalog.models import Photo, Product, Variant
from binakarya.catalog.services import photo_add
from tests.backoffice.helpers import files_under, html, noise_jpeg, text, upload
from tests.backoffice.test_products import product_post
from tests.factories import small_jpeg

pytestmark = pytest.mark.django_db

NOT_AN_IMAGE = "This file is not a photo. Upload a JPEG, PNG, WebP or GIF image (a GIF is kept as a still picture)."


def test_the_new_product_form_offers_photos_on_its_first_screen(client_a, producer_a):
    # when
    response = client_a.get(reverse("backoffice:product_create"))

    # then: the photo field comes right after the name, and the form can carry files
    page = response.content.decode()
    form = response.context["form"]
    assert list(form.fields)[:2] == ["name", "photos"]
    assert 'enctype="multipart/form-data"' in page
    assert '<input type="file" name="photos" accept="image/*" data-shrink="1600"' in page
    assert " multiple" in page.split('name="photos"')[1].split(">")[0]
    assert '<script src="/static/js/photo-upload.js" defer></script>' in page
    assert form.fields["sku"].required is False
    assert "<script>" not in page and " onclick=" not in page


def test_create_with_photos_and_without_a_sku(client_a, producer_a, batik, facility_a):
    # when
    response = client_a.post(
        reverse("backoffice:product_create"),
        product_post(producer_a, batik, sku="", photos=[small_jpeg("depan.jpg"), small_jpeg("samping.jpg")]),
    )

    # then
    product = Product.objects.get()
    sku = f"{facility_a.code}-BTK-001"
    assert response.status_code == 302
    assert response["Location"] == reverse("backoffice:product_edit", args=[product.pk])
    assert product.variants.get().sku == sku
    assert product.photos.count() == 2
    page = client_a.get(response["Location"]).content.decode()
    assert html("Product saved with SKU %(sku)s.", sku=sku) in page
    assert text("Buyers can see this product") in page


def test_create_without_photos_says_a_photo_is_still_needed(client_a, producer_a, batik):
    # when
    response = client_a.post(reverse("backoffice:product_create"), product_post(producer_a, batik), follow=True)

    # then
    page = response.content.decode()
    assert html("Product saved with SKU %(sku)s. Add a photo so buyers can see it.", sku="SMP-BTK-001") in page
    assert text("Not in the public catalog yet") in page


def test_a_bad_photo_refuses_the_whole_form_with_a_clear_message(client_a, producer_a, batik, settings):
    # when
    response = client_a.post(
        reverse("backoffice:product_create"),
        product_post(producer_a, batik, photos=[small_jpeg("depan.jpg"), upload("nota.jpg", b"%PDF-1.4 nota")]),
    )

    # then: the message names the file, and nothing was saved
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "photos": [f"nota.jpg: {text(NOT_AN_IMAGE)}", text("Nothing was saved. Choose the photos again.")]
    }
    assert html(f"nota.jpg: {text(NOT_AN_IMAGE)}") in response.content.decode()
    assert (Product.objects.count(), Variant.objects.count(), Photo.objects.count()) == (0, 0, 0)
    assert files_under(settings.MEDIA_ROOT) == []


def test_a_photo_over_the_size_limit_refuses_the_whole_form(client_a, producer_a, batik, settings):
    # given
    settings.UPLOAD_MAX_BYTES = 200_000

    # when
    response = client_a.post(
        reverse("backoffice:product_create"),
        product_post(producer_a, batik, photos=[upload("besar.jpg", noise_jpeg(size=(500, 500)))]),
    )

    # then
    assert response.status_code == 200
    (message, again) = response.context["form"].errors["photos"]
    assert message.startswith("besar.jpg: ")
    assert again == text("Nothing was saved. Choose the photos again.")
    assert Product.objects.count() == 0
    assert files_under(settings.MEDIA_ROOT) == []


def test_more_photos_than_the_form_takes_are_refused(client_a, producer_a, batik):
    # when
    response = client_a.post(
        reverse("backoffice:product_create"),
        product_post(producer_a, batik, photos=[small_jpeg(f"{i}.jpg") for i in range(6)]),
    )

    # then
    assert response.context["form"].errors == {
        "photos": [
            text("Choose at most %(n)s photos here; add more on the product's page after saving.") % {"n": 5},
            text("Nothing was saved. Choose the photos again."),
        ]
    }
    assert Product.objects.count() == 0


def test_photos_sent_with_a_mistake_elsewhere_must_be_chosen_again(client_a, producer_a, batik):
    # when the price is missing but a photo was chosen
    response = client_a.post(
        reverse("backoffice:product_create"),
        product_post(producer_a, batik, price_idr="", photos=[small_jpeg()]),
    )

    # then
    errors = response.context["form"].errors
    assert list(errors) == ["price_idr", "photos"]
    assert errors["photos"] == [text("Nothing was saved. Choose the photos again.")]
    assert Product.objects.count() == 0


def test_the_javascript_upload_is_answered_with_a_redirect_header(client_a, producer_a, batik):
    # when photo-upload.js posts the form
    response = client_a.post(
        reverse("backoffice:product_create"),
        product_post(producer_a, batik, photos=[small_jpeg()]),
        headers={"HX-Request": "true"},
    )

    # then
    product = Product.objects.get()
    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("backoffice:product_edit", args=[product.pk])


def test_a_refused_javascript_upload_gets_the_form_back_with_its_errors(client_a, producer_a, batik):
    # when
    response = client_a.post(
        reverse("backoffice:product_create"),
        product_post(producer_a, batik, photos=[upload("nota.jpg", b"nota")]),
        headers={"HX-Request": "true"},
    )

    # then
    assert response.status_code == 200
    assert "HX-Redirect" not in response
    assert 'id="product-create"' in response.content.decode()
    assert Product.objects.count() == 0


def test_the_staff_page_lists_what_keeps_the_product_from_buyers(client_a, product_a):
    # given a published product with a price, without a photo or a description
    product_a.description = ""
    product_a.save()

    # when
    page = client_a.get(reverse("backoffice:product_edit", args=[product_a.pk])).content.decode()

    # then
    assert text("Not in the public catalog yet") in page
    assert '<li class="todo" data-check="PHOTO">' in page
    assert '<a href="#photos">' + html("Add at least one photo") + "</a>" in page
    assert '<li class="advice" data-check="DESCRIPTION">' in page
    assert '<li class="done" data-check="PRICE">' in page
    assert html("Price: %(price)s", price="Rp250.000") in page
    assert text("Not public yet") in page
    assert text("View in the catalog") not in page


def test_the_checklist_is_done_once_the_product_has_a_photo(client_a, product_a):
    # given
    photo_add(actor=None, product=product_a, upload=small_jpeg())

    # when
    page = client_a.get(reverse("backoffice:product_edit", args=[product_a.pk])).content.decode()

    # then
    assert text("Buyers can see this product") in page
    assert '<li class="done" data-check="PHOTO">' in page
    assert f'href="{reverse("storefront:product", args=[product_a.slug])}"' in page


def test_the_product_list_tells_public_products_from_those_not_ready(client_a, product_a, product_b, staff_a):
    # given product_a gets a photo; product_b (another facility) is not listed at all
    photo_add(actor=None, product=product_a, upload=small_jpeg())
    hidden = Product.objects.create(
        organization=product_a.organization,
        producer=product_a.producer,
        category=product_a.category,
        name="Selendang Tanpa Foto",
        slug="selendang",
    )

    # when
    page = client_a.get(reverse("backoffice:products")).content.decode()

    # then
    rows = page.split('class="row-link"')[1:]
    assert len(rows) == 2
    (ready,) = [r for r in rows if product_a.name in r]
    (not_ready,) = [r for r in rows if hidden.name in r]
    assert html("Public") in ready
    assert html("Not public yet") in not_ready


def test_an_htmx_photo_upload_refreshes_the_checklist_out_of_band(client_a, product_a):
    # when
    response = client_a.post(
        reverse("backoffice:photo_upload", args=[product_a.pk]),
        {"photo": small_jpeg(), "alt_text": ""},
        headers={"HX-Request": "true"},
    )

    # then
    page = response.content.decode()
    assert response.status_code == 200
    assert page.startswith('<section id="photos"')
    assert (
        '<section id="readiness" class="readiness is-public" aria-labelledby="readiness-title" hx-swap-oob="true">'
        in page
    )


def test_a_gif_photo_is_accepted_on_the_product_page(client_a, product_a):
    # given
    gif = upload(
        "kain.gif",
        b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x00\x00\x00\x00\x00,"
        b"\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;",
        "image/gif",
    )

    # when
    response = client_a.post(reverse("backoffice:photo_upload", args=[product_a.pk]), {"photo": gif})

    # then
    assert response.status_code == 302
    assert product_a.photos.get().image.name.endswith(".webp")
