"""Export endpoints (issue 13): GET/PUT /products/{slug}/export, GET/POST /exchange-rates, price_usd.

Bad input is 400 with every field's message (the API's answer to a service's ValidationError)."""

import datetime

import pytest

from binakarya.catalog.export_services import exchange_rate_create
from binakarya.catalog.models import ExchangeRate, ExportProfile

pytestmark = pytest.mark.django_db

BODY = {
    "hs_code": "6602.00",
    "net_weight_grams": 300,
    "gross_weight_grams": 450,
    "package_length_mm": 900,
    "package_width_mm": 60,
    "package_height_mm": 60,
    "moq": 20,
    "lead_time_days": 30,
    "certifications": ["SVLK"],
    "certifications_other": "",
    "name_en": "Sekar Jagad batik",
    "description_en": "",
    "story_en": "",
}


def auth(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_get_and_put_export_data(client, token_a, product_a):
    url = f"/api/v1/products/{product_a.slug}/export"
    before = client.get(url, **auth(token_a)).json()
    assert before["saved"] is False and before["moq"] == 1

    response = client.put(url, BODY, content_type="application/json", **auth(token_a))

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["saved"] is True and body["hs_code"] == "6602.00" and body["certifications"] == ["SVLK"]
    assert body["name_en"] == "Sekar Jagad batik"
    assert client.get(url, **auth(token_a)).json() == body


@pytest.mark.parametrize(("language", "message"), [("id", "Berat kotor"), ("en", "The gross weight")])
def test_put_bad_export_data_is_400_and_saves_nothing(client, token_a, product_a, language, message):
    response = client.put(
        f"/api/v1/products/{product_a.slug}/export",
        BODY | {"hs_code": "66", "gross_weight_grams": 100},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE=language,
        **auth(token_a),
    )

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) >= {"hs_code", "gross_weight_grams"}
    assert errors["gross_weight_grams"][0].startswith(message)
    assert not ExportProfile.objects.exists()
    product_a.refresh_from_db()
    assert product_a.name_en == ""


def test_another_organizations_product_is_404(client, token_a, product_b):
    url = f"/api/v1/products/{product_b.slug}/export"

    assert client.get(url, **auth(token_a)).status_code == 404
    assert client.put(url, BODY, content_type="application/json", **auth(token_a)).status_code == 404
    assert not ExportProfile.objects.exists()


def test_export_endpoints_need_a_token(client, product_a):
    assert client.get(f"/api/v1/products/{product_a.slug}/export").status_code == 401
    assert client.get("/api/v1/exchange-rates").status_code == 401


def test_exchange_rates_post_and_list_scoped(client, token_a, facility_a, facility_b, staff_b):
    exchange_rate_create(actor=staff_b, organization=facility_b, currency="USD", idr_per_unit=15999)

    response = client.post(
        "/api/v1/exchange-rates",
        {"currency": "usd", "idr_per_unit": "16250.50", "effective_date": "2026-12-01"},
        content_type="application/json",
        **auth(token_a),
    )

    assert response.status_code == 201, response.content
    assert response.json()["idr_per_unit"] == "16250.50"
    listed = client.get("/api/v1/exchange-rates", **auth(token_a)).json()
    assert [(r["organization"], r["currency"]) for r in listed["items"]] == [("rutan-sumenep", "USD")]
    assert listed["items"][0]["entered_by"] == "Ani"


def test_exchange_rate_for_another_organization_is_refused(client, token_a, facility_b):
    response = client.post(
        "/api/v1/exchange-rates",
        {"organization": "lapas-bondowoso", "currency": "USD", "idr_per_unit": 16000},
        content_type="application/json",
        **auth(token_a),
    )

    assert response.status_code == 400
    assert not ExchangeRate.objects.exists()


def test_bad_exchange_rate_is_400(client, token_a, facility_a):
    response = client.post(
        "/api/v1/exchange-rates",
        {"currency": "USD", "idr_per_unit": "0"},
        content_type="application/json",
        **auth(token_a),
    )

    assert response.status_code == 400
    assert "idr_per_unit" in response.json()["errors"]
    assert not ExchangeRate.objects.exists()


def test_public_product_shows_price_usd_in_english_or_when_asked(client, staff_a, facility_a, product_a):
    url = f"/api/v1/products/{product_a.slug}"
    assert client.get(url, {"currency": "USD"}).json()["price_usd"] is None  # no rate yet

    exchange_rate_create(
        actor=staff_a,
        organization=facility_a,
        currency="USD",
        idr_per_unit=16250,
        effective_date=datetime.date(2026, 12, 1),
    )

    assert client.get(url).json()["price_usd"] is None  # Indonesian, not asked
    asked = client.get(url, {"currency": "USD"}).json()
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").json()
    assert asked["price_usd"] == english["price_usd"] == "15.38"
    assert english["price_usd_rate_date"] == "2026-12-01"
    assert english["variants"][0]["price_idr"] == 250_000  # rupiah stays the currency of record
