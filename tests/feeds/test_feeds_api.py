"""The staff API of the channel feeds: a seller's problems per channel, and the marketplace files."""

import csv
import io

import pytest
from openpyxl import load_workbook

from binakarya.accounts.services import api_token_create
from binakarya.feeds.marketplaces import SHOPEE_STOCK_COLUMNS
from binakarya.organizations.models import Role
from tests.factories import MembershipFactory, OrganizationFactory
from tests.feeds.conftest import ready_product

pytestmark = pytest.mark.django_db


def bearer(user) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(user=user, name='test')[1]}"}


@pytest.fixture
def headers(facility):
    return bearer(MembershipFactory(organization=facility, role=Role.PRODUCTION_OFFICER).user)


def test_the_problems_of_a_sellers_products_per_channel(client, headers, shop, producer, category):
    # given a ready seller, and a product without a photo
    ready_product(producer, category, name="Tas Pandan", slug="tas-pandan", variants=[("", 85_000)], photos=0)

    # when
    response = client.get("/api/v1/feeds/rutan-sumenep/problems", HTTP_ACCEPT_LANGUAGE="en", **headers)

    # then
    assert response.status_code == 200
    body = response.json()
    assert (body["seller"], body["checked"], body["ready"]) == ("rutan-sumenep", 3, 2)
    assert [c["channel"] for c in body["channels"]] == ["meta", "google", "tiktok", "shopee"]
    assert body["channels"][3] == {
        "channel": "shopee",
        "label": "Shopee",
        "title_max": 100,
        "image_min_px": 500,
        "needs_weight": True,
        "needs_package_size": False,
        "needs_days_to_ship": True,
    }
    products = {p["product"]: p for p in body["products"]}
    assert products["pecut-sapi"]["problems"] == [] and products["pecut-sapi"]["in_feeds"]
    bag = products["tas-pandan"]
    assert not bag["in_feeds"]
    assert bag["problems"][0] == {
        "channel": "meta",
        "field": "image_link",
        "code": "missing",
        "sku": "",
        "language": "",
        "message": "No photo: Meta needs one.",
    }
    assert [p["channel"] for p in bag["problems"]] == ["meta", "google", "tiktok", "shopee"]


@pytest.mark.parametrize("path", ["problems", "tiktok.csv", "shopee.xlsx", "shopee-stock.xlsx", "tiktok.csv?lang=en"])
def test_another_sellers_feeds_are_a_404(client, headers, shop, path):
    OrganizationFactory(slug="lapas-lain")

    assert client.get(f"/api/v1/feeds/lapas-lain/{path}", **headers).status_code == 404
    assert client.get(f"/api/v1/feeds/tidak-ada/{path}", **headers).status_code == 404


def test_an_outlet_partner_or_an_overseer_is_refused(client, facility, shop):
    viewer = MembershipFactory(organization=OrganizationFactory(), role=Role.NATIONAL_VIEWER).user

    response = client.get("/api/v1/feeds/rutan-sumenep/problems", **bearer(viewer))

    assert response.status_code == 404


def test_without_a_token_the_answer_is_a_401(client, shop):
    assert client.get("/api/v1/feeds/rutan-sumenep/problems").status_code == 401


def test_the_marketplace_files(client, headers, shop, maker):
    tiktok = client.get("/api/v1/feeds/rutan-sumenep/tiktok.csv?lang=en", **headers)
    stock = client.get("/api/v1/feeds/rutan-sumenep/shopee-stock.xlsx", **headers)
    shopee = client.get("/api/v1/feeds/rutan-sumenep/shopee.xlsx", **headers)

    assert tiktok.status_code == 200
    assert tiktok["Content-Disposition"] == 'attachment; filename="rutan-sumenep-en-tiktok.csv"'
    rows = list(csv.DictReader(io.StringIO(tiktok.content.decode())))
    assert rows[0]["title"] == "Sumenep Hand-drawn Batik Cloth"
    sheet = load_workbook(io.BytesIO(stock.content), read_only=True).worksheets[0]
    header, *body = list(sheet.iter_rows(values_only=True))
    assert header == SHOPEE_STOCK_COLUMNS and len(body) == 4
    assert shopee.status_code == 200 and shopee.content.startswith(b"PK")
    for secret in (maker.full_name, maker.registration_number):
        assert secret not in tiktok.content.decode()


def test_an_unknown_language_is_refused_with_a_message(client, headers, shop):
    response = client.get("/api/v1/feeds/rutan-sumenep/tiktok.csv?lang=fr", HTTP_ACCEPT_LANGUAGE="en", **headers)

    assert response.status_code in (400, 422)
    assert "lang" in response.json()["errors"]
