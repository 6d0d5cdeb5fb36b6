"""No public endpoint ever reveals a maker: name, registration number or phone."""

import datetime

import pytest

from binakarya.makers.models import Maker
from tests.factories import GroupMembershipFactory, MakerFactory, ProductFactory, UmkmProducerFactory

SECRET_NAME = "Zulkarnaen Rahasiawati"
SECRET_REGISTRATION = "REG-RHS-99314/2025"
SECRET_PHONE = "6289990001117"
ARTISAN_NAME = "Wiryo Pengrajin Tersembunyi"


@pytest.fixture
def secret_makers(batik_product, facility_a, batik_category):
    # an inmate in the group behind the batik product, consenting to a public story under a pseudonym
    GroupMembershipFactory(
        group=batik_product.producer.group,
        maker__full_name=SECRET_NAME,
        maker__registration_number=SECRET_REGISTRATION,
        maker__phone=SECRET_PHONE,
        maker__public_story_consent=True,
        maker__consent_recorded_date=datetime.date(2025, 3, 1),
        maker__pseudonym="Zul",
        maker__public_story="Belajar membatik di dalam.",
    )
    # an UMKM artisan behind another product
    producer = UmkmProducerFactory(name="Batik Raung", slug="batik-raung")
    MakerFactory(
        organization=producer.organization,
        kind=Maker.Kind.ARTISAN,
        full_name=ARTISAN_NAME,
        registration_number="",
        phone=SECRET_PHONE,
    )
    ProductFactory(
        producer=producer, category=batik_category, name="Batik Raung Kopi", slug="batik-raung-kopi", photos=1
    )


def public_urls() -> list[tuple[str, dict]]:
    return [
        ("/api/v1/products", {}),
        ("/api/v1/products", {"page_size": 100}),
        ("/api/v1/products", {"q": SECRET_NAME}),
        ("/api/v1/products", {"q": "Zulkarnaen"}),
        ("/api/v1/products", {"q": SECRET_REGISTRATION}),
        ("/api/v1/products", {"q": ARTISAN_NAME}),
        ("/api/v1/products", {"producer": "batik-sumenep"}),
        ("/api/v1/products", {"category": "batik-tulis"}),
        ("/api/v1/products/kain-batik-tulis-parang", {}),
        ("/api/v1/products/batik-raung-kopi", {}),
        ("/api/v1/producers", {}),
        ("/api/v1/openapi.json", {}),
        # staff endpoints, anonymously
        ("/api/v1/makers", {}),
        ("/api/v1/makers", {"organization": "rutan-sumenep"}),
        ("/api/v1/groups", {}),
    ]


@pytest.mark.parametrize("language", ["id", "en"])
def test_public_responses_never_contain_maker_data(client, secret_makers, language):
    # when
    responses = [(url, params, client.get(url, params, HTTP_ACCEPT_LANGUAGE=language)) for url, params in public_urls()]

    # then
    assert [r.status_code for _, _, r in responses] == [200] * 12 + [401] * 3
    for url, params, response in responses:
        body = response.content.decode().lower()
        for secret in (
            SECRET_NAME,
            "zulkarnaen",
            "rahasiawati",
            SECRET_REGISTRATION,
            "99314",
            SECRET_PHONE,
            ARTISAN_NAME,
        ):
            assert secret.lower() not in body, f"{secret!r} leaked by {url} {params}"


def test_searching_a_makers_name_finds_nothing(client, secret_makers):
    # when
    response = client.get("/api/v1/products", {"q": SECRET_NAME})

    # then
    assert response.json() == {"count": 0, "count_capped": False, "page": 1, "page_size": 24, "items": []}


def test_products_still_listed_when_makers_exist(client, secret_makers):
    # when
    response = client.get("/api/v1/products")

    # then: the makers' products are public, their makers are not
    assert [item["slug"] for item in response.json()["items"]] == ["batik-raung-kopi", "kain-batik-tulis-parang"]
