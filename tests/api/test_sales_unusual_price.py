"""POST /api/v1/sales: a line priced below half or above twice its catalog price (Rp450.000 here) is refused
with the service's message unless it says ``price_intended`` and gives a ``price_reason``."""

import pytest

from binakarya.core.models import AuditEvent
from binakarya.sales.models import SaleLine
from tests.api.test_sales import SALES, SKU, body, counts, post
from tests.api.test_sales import shop as shop  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

MESSAGE = (
    "Rp2.147.483.648 for SMP-BTK-001 is far from its catalog price of Rp450.000 (below half or above twice). "
    "If this price is intended, confirm it and give the reason."
)


def line(**changes) -> dict:
    return {"sku": SKU, "quantity": 1, "unit_price_idr": 2_147_483_648} | changes


def test_an_unusual_price_is_400_with_the_message_and_saves_nothing(client, token_a, shop):  # noqa: F811
    # given
    before = counts()

    # when
    response = post(client, token_a, SALES, body(lines=[line()]))

    # then
    assert response.status_code == 400
    assert response.json() == {"detail": "The data is not valid.", "errors": {"lines": [MESSAGE]}}
    assert counts() == before


def test_intended_without_a_reason_is_400(client, token_a, shop):  # noqa: F811
    # when
    response = post(client, token_a, SALES, body(lines=[line(price_intended=True, price_reason=" ")]))

    # then
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "lines": ["Give the reason for selling SMP-BTK-001 at Rp2.147.483.648 (its catalog price is Rp450.000)."]
    }


def test_a_reason_longer_than_200_characters_is_422(client, token_a, shop):  # noqa: F811
    # when
    response = post(client, token_a, SALES, body(lines=[line(price_intended=True, price_reason="x" * 201)]))

    # then
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["lines.0.price_reason"]


def test_intended_with_a_reason_is_recorded_and_answered_with_it(client, token_a, shop):  # noqa: F811
    # when
    response = post(
        client,
        token_a,
        SALES,
        body(lines=[line(unit_price_idr=150_000, quantity=2, price_intended=True, price_reason="Diskon kain bernoda")]),
    )

    # then
    assert response.status_code == 201
    assert response.json()["total_idr"] == 300_000
    assert [(x["unit_price_idr"], x["price_reason"]) for x in response.json()["lines"]] == [
        (150_000, "Diskon kain bernoda")
    ]
    assert SaleLine.objects.get().price_reason == "Diskon kain bernoda"
    assert AuditEvent.objects.get(action="sale.record").data["unusual_prices"] == [
        {"sku": SKU, "unit_price_idr": 150_000, "catalog_price_idr": 450_000, "reason": "Diskon kain bernoda"}
    ]
