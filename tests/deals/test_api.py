"""The deals API: a public RFQ (throttled), a staff quotation with its figures and PDF, and another
seller's staff seeing nothing."""

import pytest
from django.core.cache import cache

from binakarya.accounts.services import api_token_create
from binakarya.deals.models import Quotation, Rfq
from tests.deals.world import MAKER_NAMES

RFQ = {
    "agency": "DLH PKP Kabupaten Purbalingga",
    "contact": {"name": "Ibu Sri", "phone": "0812 3456 7890", "email": "sri@example.go.id"},
    "lines": [{"sku": "PBG-TSB-001", "quantity": 36}, {"description": "Pengki bambu besar", "quantity": 60}],
    "delivery_place": "Taman Kota, Purbalingga",
}


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()
    yield
    cache.clear()


def auth(user, language="en"):
    return {
        "HTTP_AUTHORIZATION": f"Bearer {api_token_create(user=user, name='test')[1]}",
        "HTTP_ACCEPT_LANGUAGE": language,
    }


def post(client, url, body, **headers):
    return client.post(url, body, content_type="application/json", **headers)


def no_maker_in(response):
    text = response.content.decode()
    for name in MAKER_NAMES:
        for part in name.split():
            assert part not in text, part


def test_anyone_may_ask_for_a_quotation(client, world):
    # when
    response = post(client, "/api/v1/rfqs", RFQ)

    # then
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["seller"] == "lapas-purbalingga"
    assert body["number"].startswith("RFQ-PBG-")
    assert body["lines"][0] == {"sku": "PBG-TSB-001", "description": "Tempat Sampah Bambu", "quantity": 36}
    assert "contact_phone" not in body
    assert Rfq.objects.get().contact_phone == "+6281234567890"
    no_maker_in(response)


def test_a_bad_request_names_each_field_in_the_callers_language_and_saves_nothing(client, world):
    body = RFQ | {"agency": "", "contact": {"name": "Sri", "phone": "abc"}, "lines": []}
    response = post(client, "/api/v1/rfqs", body, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["agency"] == ["Enter the agency or company."]
    assert set(errors) >= {"agency", "phone", "lines"}
    assert Rfq.objects.count() == 0


def test_an_unknown_seller_is_400(client, world):
    response = post(
        client, "/api/v1/rfqs", RFQ | {"lines": [{"description": "Batik", "quantity": 3}], "seller": "nope"}
    )
    assert response.status_code == 400
    assert "seller" in response.json()["errors"]


def test_too_many_requests_from_one_address_are_429(client, world, settings):
    settings.DEALS_PUBLIC_RFQ_RATE = "2/h"
    assert post(client, "/api/v1/rfqs", RFQ).status_code == 201
    assert post(client, "/api/v1/rfqs", RFQ).status_code == 201
    response = post(client, "/api/v1/rfqs", RFQ)
    assert response.status_code == 429
    assert Rfq.objects.count() == 2


def test_staff_quote_a_request_and_get_the_figures_and_pdf(client, world):
    rfq_id = post(client, "/api/v1/rfqs", RFQ).json()["id"]
    headers = auth(world["admin"])

    # when
    response = post(
        client,
        "/api/v1/quotations",
        {
            "rfq": rfq_id,
            "buyer": "DLH PKP Kabupaten Purbalingga",
            "lines": [
                {"sku": "PBG-TSB-001", "quantity": 36, "unit_price_idr": 150_000},
                {"sku": "PBG-PKI-001", "quantity": 60, "unit_price_idr": 35_000},
            ],
            "valid_days": 30,
        },
        **headers,
    )

    # then
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["total_idr"] == 7_500_000
    assert body["document_kind"] == "PROOF_OF_PURCHASE"
    assert body["lead_time_days"] == 44
    assert body["capital_needed_idr"] == 1_710_000
    assert body["down_payment_idr"] == 710_000
    assert len(body["verify_code"]) == 12
    assert body["number"].startswith("PNW-PBG-")
    no_maker_in(response)
    detail = client.get(f"/api/v1/rfqs/{rfq_id}", **headers).json()
    assert detail["status"] == "QUOTED"
    assert detail["quotations"] == [body["number"]]
    assert client.get("/api/v1/quotations", **headers).json()["count"] == 1
    assert client.get(f"/api/v1/quotations/{body['number']}", **headers).json()["total_idr"] == 7_500_000
    pdf = client.get(f"/api/v1/quotations/{body['number']}/pdf", **headers)
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    verify = client.get(f"/verifikasi/{body['verify_code']}/")
    assert verify.status_code == 200
    no_maker_in(verify)


def test_bad_quotation_lines_are_400_and_nothing_is_issued(client, world):
    response = post(
        client,
        "/api/v1/quotations",
        {"buyer": "DLH", "lines": [{"sku": "NOPE", "quantity": 1, "unit_price_idr": 1000}]},
        **auth(world["admin"]),
    )
    assert response.status_code == 400
    assert "NOPE" in response.json()["errors"]["lines"][0]
    assert Quotation.objects.count() == 0


def test_another_sellers_staff_see_nothing_and_cannot_quote_for_it(client, world):
    rfq_id = post(client, "/api/v1/rfqs", RFQ).json()["id"]
    number = post(
        client,
        "/api/v1/quotations",
        {"buyer": "DLH", "lines": [{"sku": "PBG-TSB-001", "quantity": 1, "unit_price_idr": 150_000}]},
        **auth(world["admin"]),
    ).json()["number"]
    other = auth(world["other_admin"])

    assert client.get("/api/v1/rfqs", **other).json()["count"] == 0
    assert client.get(f"/api/v1/rfqs/{rfq_id}", **other).status_code == 404
    assert client.get("/api/v1/quotations", **other).json()["count"] == 0
    assert client.get(f"/api/v1/quotations/{number}", **other).status_code == 404
    assert client.get(f"/api/v1/quotations/{number}/pdf", **other).status_code == 404
    quote = {"rfq": rfq_id, "buyer": "X", "lines": [{"sku": "PBG-TSB-001", "quantity": 1, "unit_price_idr": 1}]}
    assert post(client, "/api/v1/quotations", quote, **other).status_code == 404
    sku_only = {"buyer": "X", "lines": [{"sku": "PBG-TSB-001", "quantity": 1, "unit_price_idr": 1}]}
    assert post(client, "/api/v1/quotations", sku_only, **other).status_code == 400


def test_the_staff_endpoints_need_a_login(client, world):
    assert client.get("/api/v1/rfqs").status_code == 401
    assert post(client, "/api/v1/quotations", {"buyer": "X", "lines": []}).status_code == 401
