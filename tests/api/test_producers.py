"""GET /api/v1/producers."""

from urllib.parse import quote

from binakarya.catalog.services import producer_update
from tests.factories import ProducerFactory, UmkmProducerFactory

URL = "/api/v1/producers"


def test_lists_producers_with_published_products(client, batik_product, pecut_product, facility_b):
    # given a producer without products, which is not listed
    UmkmProducerFactory(name="Anyaman Tanpa Produk", slug="anyaman-kosong")
    facility_b.phone = "6283344556677"
    facility_b.save()
    batik_url = "http://testserver/en/pembuat/batik-sumenep/"
    pecut_url = "http://testserver/en/pembuat/pecut-banyuwangi/"

    def wa(phone, name, url):
        return f"https://wa.me/{phone}?text=" + quote(
            f"Hello {name}, I saw your products on Binakarya ({url})", safe=""
        )

    # when
    response = client.get(URL, HTTP_ACCEPT_LANGUAGE="en")

    # then
    assert response.status_code == 200
    assert response.json() == {
        "count": 2,
        "items": [
            {
                "slug": "batik-sumenep",
                "name": "Kelompok Batik Tulis",
                "kind": "FACILITY_GROUP",
                "region": "Sumenep, Jawa Timur",
                "phone": "6281234567890",
                "whatsapp_url": wa("6281234567890", "Kelompok Batik Tulis", batik_url),
                "url": batik_url,
            },
            {
                # no number of its own: the facility's
                "slug": "pecut-banyuwangi",
                "name": "Kelompok Pecut",
                "kind": "FACILITY_GROUP",
                "region": "Banyuwangi, Jawa Timur",
                "phone": "6283344556677",
                "whatsapp_url": wa("6283344556677", "Kelompok Pecut", pecut_url),
                "url": pecut_url,
            },
        ],
    }


def test_unpublished_producer_is_not_listed(client, batik_product, pecut_product):
    # given
    producer_update(actor=None, producer=pecut_product.producer, is_published=False)

    # when
    response = client.get(URL)

    # then
    assert [p["slug"] for p in response.json()["items"]] == ["batik-sumenep"]


def test_producer_without_any_phone_has_null_contact(client, pecut_product, facility_b):
    # given
    facility_b.phone = ""
    facility_b.save()

    # when
    item = client.get(URL).json()["items"][0]

    # then
    assert (item["phone"], item["whatsapp_url"]) == (None, None)


def test_producers_take_one_query(client, django_assert_num_queries, batik_product, pecut_product):
    # given
    from tests.factories import ProductFactory

    for _ in range(5):
        ProductFactory(producer=ProducerFactory(phone=""), photos=1)

    # when / then
    with django_assert_num_queries(1):
        response = client.get(URL)
    assert response.json()["count"] == 7
