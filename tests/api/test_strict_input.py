"""Bad input never reaches the database: bounded integers, strict JSON types and no NUL characters (issue 10).

These run on SQLite and PostgreSQL alike: before the fixes, a maker id of 2**63 was a 500 OverflowError on
SQLite, and a NUL character a 500 on PostgreSQL (and stored on SQLite).
"""

import json

import pytest

from binakarya.inventory.services import location_create
from binakarya.ledger.models import SplitRule
from binakarya.production.models import Lot
from binakarya.sales.models import Sale
from tests.api.helpers import bearer
from tests.factories import GroupMembershipFactory

pytestmark = pytest.mark.django_db

LOTS = "/api/v1/lots"


@pytest.fixture
def makers(batik_producer):
    siti = GroupMembershipFactory(group=batik_producer.group, maker__full_name="Siti Aminah").maker
    budi = GroupMembershipFactory(group=batik_producer.group, maker__full_name="Budi Santoso").maker
    return siti, budi


@pytest.fixture
def store_a(facility_a):
    return location_create(actor=None, organization=facility_a, name="Gudang Batik", kind="STORE")


@pytest.fixture
def lot_body(batik_product, makers, store_a) -> dict:
    siti, budi = makers
    return {
        "sku": batik_product.variants.get(price_idr=275_000).sku,
        "quantity": 12,
        "quantity_passed": 10,
        "material_cost_idr": 1_250_005,
        "group": batik_product.producer.group.slug,
        "location": store_a.code,
        "contributions": [{"maker": siti.pk, "share": 7}, {"maker": budi.pk, "share": 5}],
        "started_date": "2025-03-01",
        "finished_date": "2025-03-10",
    }


def post(client, token, url, data, **extra):
    return client.post(url, data, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en", **bearer(token), **extra)


def test_the_valid_lot_body_of_these_tests_is_recorded(client, token_a, lot_body):
    # the baseline: the bodies below differ from this one by one value only
    assert post(client, token_a, LOTS, lot_body).status_code == 201


# Bounded integers ------------------------------------------------------------------------------------


@pytest.mark.parametrize("maker_id", [2**63, 2**63 - 1 + 10, 10**30])
def test_a_maker_id_too_large_for_the_database_is_a_422(client, token_a, lot_body, makers, maker_id):
    # given a lot whose second contributor's id no database column can hold
    lot_body["contributions"][1]["maker"] = maker_id

    # when
    response = post(client, token_a, LOTS, lot_body)

    # then the field is named, with a message, and nothing is saved
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["contributions.1.maker"]
    assert "less than or equal to 9223372036854775807" in response.json()["errors"]["contributions.1.maker"][0]
    assert not Lot.objects.exists()


@pytest.mark.parametrize("field", ["quantity", "quantity_passed", "material_cost_idr"])
def test_a_hugely_negative_number_is_a_422_too(client, token_a, lot_body, field):
    lot_body[field] = -(2**64)

    response = post(client, token_a, LOTS, lot_body)

    assert response.status_code == 422
    assert list(response.json()["errors"]) == [field]


def test_a_maker_id_in_the_path_too_large_for_the_database_is_a_422(client, token_a):
    response = client.get(f"/api/v1/makers/{2**63}/statement", HTTP_ACCEPT_LANGUAGE="en", **bearer(token_a))

    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["maker_id"]


def test_a_year_in_the_path_too_large_for_the_database_is_a_422(client, token_a):
    response = client.put(
        f"/api/v1/pnbp/targets/{2**63}",
        {"target_idr": 1000},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
        **bearer(token_a),
    )

    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["year"]


# Strict types ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("quantity", True),
        ("quantity", 12.0),
        ("quantity", "12"),
        ("material_cost_idr", False),
        ("started_date", 0),
        ("started_date", 1740787200),
        ("finished_date", "1741564800"),
        ("finished_date", "2025-03-10T00:00:00"),
        ("finished_date", True),
    ],
)
def test_a_boolean_or_bare_number_is_not_an_integer_or_a_date(client, token_a, lot_body, field, value):
    # given a body with one value of the wrong JSON type
    lot_body[field] = value

    # when
    response = post(client, token_a, LOTS, lot_body)

    # then it is refused with a 422 naming the field, and nothing is saved
    assert response.status_code == 422
    assert list(response.json()["errors"]) == [field]
    assert not Lot.objects.exists()


def test_a_contributors_share_of_true_is_refused(client, token_a, lot_body):
    lot_body["contributions"][0]["share"] = True

    response = post(client, token_a, LOTS, lot_body)

    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["contributions.0.share"]


def test_effective_from_zero_is_not_1970(client, token_a, facility_a):
    # given a split rule whose start date is the number 0
    body = {
        "basis": "REVENUE",
        "premi_mode": "PERCENT",
        "premi_percent": 50,
        "legal_reference": "SK Kalapas 2025",
        "effective_from": 0,
    }

    # when
    response = post(client, token_a, "/api/v1/split-rules", body)

    # then
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["effective_from"]
    assert response.json()["errors"]["effective_from"] == ["Enter a date as text in the form YYYY-MM-DD."]
    assert not SplitRule.objects.filter(organization=facility_a).exists()


def test_a_flag_must_be_true_or_false(client, token_a):
    body = {
        "basis": "REVENUE",
        "premi_mode": "PERCENT",
        "premi_percent": 50,
        "recover_material_cost": 1,
        "legal_reference": "SK",
        "effective_from": "2025-01-01",
    }

    response = post(client, token_a, "/api/v1/split-rules", body)

    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["recover_material_cost"]


def test_a_sale_time_given_as_a_unix_number_is_refused(client, token_a, store_a, batik_product):
    body = {
        "location": store_a.code,
        "channel": "POS",
        "lines": [{"sku": batik_product.variants.first().sku, "quantity": 1, "unit_price_idr": 275_000}],
        "occurred_at": 1735689600,
    }

    response = post(client, token_a, "/api/v1/sales", body)

    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["occurred_at"]


# NUL characters ------------------------------------------------------------------------------------


def test_a_nul_in_a_json_text_field_is_a_400_naming_it(client, token_a, lot_body):
    lot_body["notes"] = "Pewarna alam\u0000"

    response = post(client, token_a, LOTS, lot_body)

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["notes"]
    assert "null character" in response.json()["detail"]
    assert not Lot.objects.exists()


@pytest.mark.parametrize("field", ["buyer_name", "location"])
def test_a_nul_in_a_sale_is_a_400(client, token_a, store_a, batik_product, field):
    body = {
        "location": store_a.code,
        "channel": "POS",
        "lines": [{"sku": batik_product.variants.first().sku, "quantity": 1, "unit_price_idr": 275_000}],
        "buyer_name": "Ibu Rina",
    }
    body[field] = body[field] + "\x00"

    response = post(client, token_a, "/api/v1/sales", body)

    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]
    assert not Sale.objects.exists()


def test_a_nul_in_a_json_body_sent_as_plain_text_is_a_400_too(client, token_a, lot_body):
    # the API parses the body as JSON whatever its Content-Type
    response = client.post(
        LOTS,
        '{"notes": "x\\u0000"}',
        content_type="text/plain",
        HTTP_ACCEPT_LANGUAGE="en",
        **bearer(token_a),
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["notes"]


def test_a_nul_deep_in_a_list_is_named_by_its_path(client, token_a, lot_body):
    lot_body["contributions"] = [{"maker": 1, "share": 1}, {"maker": 2, "share": 1, "\u0000": "x"}]

    response = post(client, token_a, LOTS, lot_body)

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["contributions.1.\x00"]


def test_a_nul_in_the_legal_reference_of_a_split_rule_is_a_400(client, token_a, facility_a):
    body = {
        "basis": "REVENUE",
        "premi_mode": "PERCENT",
        "premi_percent": 50,
        "legal_reference": "SK\u0000Kalapas",
        "effective_from": "2025-01-01",
    }

    response = post(client, token_a, "/api/v1/split-rules", body)

    assert response.status_code == 400
    assert not SplitRule.objects.filter(organization=facility_a).exists()


@pytest.mark.parametrize("query", ["sku=%00", "sku=BTK%00", "s%00ku=BTK"])
def test_a_nul_in_a_query_parameter_is_a_400(client, token_a, query):
    response = client.get(f"/api/v1/stock?{query}", HTTP_ACCEPT_LANGUAGE="en", **bearer(token_a))

    assert response.status_code == 400
    assert "null character" in response.json()["detail"]


def test_a_nul_in_a_path_is_a_400(client, token_a):
    response = client.get("/api/v1/lots/LOT%00X", HTTP_ACCEPT_LANGUAGE="en", **bearer(token_a))

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["path"]


def test_the_nul_message_is_indonesian_by_default(client, token_a):
    response = client.get("/api/v1/stock?sku=%00", **bearer(token_a))

    assert response.status_code == 400
    assert "karakter nol" in response.json()["detail"]


def test_an_escaped_backslash_u0000_is_ordinary_text(client, token_a, lot_body):
    # "\\u0000" in JSON is a backslash followed by "u0000": odd, but not a NUL
    response = client.post(
        LOTS,
        '{"notes": "a\\\\u0000b"}',
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
        **bearer(token_a),
    )

    assert response.status_code == 422  # the other required fields are missing; no 400


@pytest.mark.parametrize("content_type", ["application/x-www-form-urlencoded", "multipart/form-data; boundary=x"])
def test_a_nul_in_a_json_body_sent_as_a_form_is_a_400_too(client, token_a, lot_body, content_type):
    # given a JSON body labelled as a form (the API reads it as JSON all the same)
    lot_body["notes"] = "Pewarna alam\u0000"

    # when
    response = client.post(
        LOTS, json.dumps(lot_body), content_type=content_type, HTTP_ACCEPT_LANGUAGE="en", **bearer(token_a)
    )

    # then refused, and nothing saved
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["notes"]
    assert not Lot.objects.exists()


def test_a_real_multipart_body_to_the_api_is_answered_not_a_500(client, token_a):
    # when a form (not JSON) is posted to a JSON endpoint
    response = client.post(LOTS, {"notes": "Pewarna alam"}, HTTP_ACCEPT_LANGUAGE="en", **bearer(token_a))

    # then the API says what is wrong with it
    assert 400 <= response.status_code < 500
