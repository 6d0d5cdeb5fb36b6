"""GET /api/v1/products/{slug}."""

from urllib.parse import quote

from binakarya.catalog.services import producer_update, product_update
from tests.factories import UmkmProducerFactory

URL = "/api/v1/products/{}"


def test_detail_returns_the_public_product(client, batik_product):
    # given
    product_update(
        actor=None,
        product=batik_product,
        story="Dibuat oleh kelompok batik.",
        technique="tulis",
        certifications="Batikmark",
        hs_code="5208.52",
        lead_time_days=14,
        moq=2,
    )
    photo = batik_product.photos.get()
    variants = list(batik_product.variants.order_by("price_idr"))
    product_url = "http://testserver/en/produk/kain-batik-tulis-parang/"
    message = f"Hello, I would like to order Kain Batik Tulis Motif Parang ({product_url})"

    # when
    response = client.get(URL.format("kain-batik-tulis-parang"), HTTP_ACCEPT_LANGUAGE="en")

    # then
    assert response.status_code == 200
    assert response.json() == {
        "slug": "kain-batik-tulis-parang",
        "name": "Kain Batik Tulis Motif Parang",
        "description": "Kain batik tulis pewarna alam.",
        "story": "Dibuat oleh kelompok batik.",
        "materials": "katun primisima, malam, pewarna alam",
        "technique": "tulis",
        "certifications": "Batikmark",
        "hs_code": "5208.52",
        "made_to_order": False,
        "lead_time_days": 14,
        "moq": 2,
        "category": {"slug": "batik-tulis", "name": "Batik Tulis"},
        "producer": {
            "slug": "batik-sumenep",
            "name": "Kelompok Batik Tulis",
            "kind": "FACILITY_GROUP",
            "region": "Sumenep, Jawa Timur",
            "facility": "Rutan Kelas IIB Sumenep",
        },
        "variants": [
            {
                "sku": variants[0].sku,
                "name": "",
                "price_idr": 275_000,
                "weight_grams": 0,
                "length_mm": 0,
                "width_mm": 0,
                "height_mm": 0,
                "in_stock": True,
            },
            {
                "sku": variants[1].sku,
                "name": "",
                "price_idr": 350_000,
                "weight_grams": 0,
                "length_mm": 0,
                "width_mm": 0,
                "height_mm": 0,
                "in_stock": True,
            },
        ],
        "images": [
            {
                "thumbnail_url": f"http://testserver/media/{photo.thumbnail.name}",
                "image_url": f"http://testserver/media/{photo.image.name}",
            }
        ],
        "url": product_url,
        "whatsapp_url": "https://wa.me/6281234567890?text=" + quote(message, safe=""),
        # Export (issue 13): no English text, no USD price in Indonesian without ?currency=USD.
        "name_en": "",
        "description_en": "",
        "story_en": "",
        "price_usd": None,
        "price_usd_rate_date": None,
    }


def test_detail_of_umkm_product_has_no_facility(client, batik_category):
    # given
    from tests.factories import ProductFactory

    producer = UmkmProducerFactory(name="Batik Raung", slug="batik-raung", phone="6285236110002")
    ProductFactory(producer=producer, category=batik_category, slug="batik-raung-kopi", photos=1)

    # when
    body = client.get(URL.format("batik-raung-kopi")).json()

    # then
    assert body["producer"]["kind"] == "UMKM"
    assert body["producer"]["facility"] is None
    assert body["producer"]["region"] == "Bondowoso, Jawa Timur"
    assert body["whatsapp_url"].startswith("https://wa.me/6285236110002?text=")


def test_whatsapp_falls_back_to_the_facility_phone(client, batik_product, facility_a):
    # given a group producer without its own number
    producer_update(actor=None, producer=batik_product.producer, phone="")
    facility_a.phone = "6281111222233"
    facility_a.save()

    # when
    body = client.get(URL.format("kain-batik-tulis-parang")).json()

    # then
    assert body["whatsapp_url"].startswith("https://wa.me/6281111222233?text=")


def test_without_any_phone_whatsapp_url_is_null(client, batik_product, facility_a):
    # given
    producer_update(actor=None, producer=batik_product.producer, phone="")
    facility_a.phone = ""
    facility_a.save()

    # when
    body = client.get(URL.format("kain-batik-tulis-parang")).json()

    # then
    assert body["whatsapp_url"] is None


def test_made_to_order_variants_are_in_stock_without_units(client, batik_product):
    # given
    batik_product.variants.update(stock_quantity=0)
    product_update(actor=None, product=batik_product, made_to_order=True, lead_time_days=21)

    # when
    body = client.get(URL.format("kain-batik-tulis-parang")).json()

    # then
    assert [v["in_stock"] for v in body["variants"]] == [True, True]


def test_sold_out_variant_is_not_in_stock(client, batik_product):
    # given
    batik_product.variants.update(stock_quantity=0)

    # when
    body = client.get(URL.format("kain-batik-tulis-parang")).json()

    # then
    assert [v["in_stock"] for v in body["variants"]] == [False, False]


def test_unknown_slug_is_404_json(client, db):
    # when
    response = client.get(URL.format("tidak-ada"), HTTP_ACCEPT_LANGUAGE="en")

    # then
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json() == {"detail": "Not found"}


def test_unpublished_product_is_404(client, batik_product):
    # given
    product_update(actor=None, product=batik_product, is_published=False)

    # when
    response = client.get(URL.format("kain-batik-tulis-parang"), HTTP_ACCEPT_LANGUAGE="en")

    # then
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found"}


def test_product_of_unpublished_producer_is_404(client, batik_product):
    # given
    producer_update(actor=None, producer=batik_product.producer, is_published=False)

    # when
    response = client.get(URL.format("kain-batik-tulis-parang"))

    # then
    assert response.status_code == 404


def test_detail_takes_three_queries(client, django_assert_num_queries, batik_product, add_photo):
    # given a second photo besides the cover
    add_photo(batik_product)

    # when / then: product with producer, organization and category; variants; photos
    with django_assert_num_queries(3):
        response = client.get(URL.format("kain-batik-tulis-parang"))
    assert len(response.json()["images"]) == 2
