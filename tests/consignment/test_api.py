"""The consignment API: staff make an agreement and place goods, the hotel's partner confirms and sells."""

import datetime

import pytest

from binakarya.accounts.services import api_token_create
from binakarya.consignment.models import Agreement, ConsignmentSale, Placement
from binakarya.documents.models import Document
from tests.consignment.world import MAKER_NAMES


def auth(user) -> dict[str, str]:
    """A bearer token, and English answers (the services' own words; the default language is Indonesian)."""
    return {
        "HTTP_AUTHORIZATION": f"Bearer {api_token_create(user=user, name='test')[1]}",
        "HTTP_ACCEPT_LANGUAGE": "en",
    }


def post(client, url, body, headers):
    return client.post(url, body, content_type="application/json", **headers)


def no_maker_in(response):
    text = response.content.decode()
    for name in MAKER_NAMES:
        for part in name.split():
            assert part not in text, part


@pytest.fixture
def as_admin(world):
    return auth(world["admin"])


@pytest.fixture
def as_partner(world):
    return auth(world["partner"])


def create(client, headers, today, **overrides):
    body = {
        "outlet": "hotel-bintang-sumenep",
        "commission_percent": 20,
        "settlement_period": "MONTHLY",
        "payment_days": 14,
        "start_date": (today - datetime.timedelta(days=10)).isoformat(),
        "agreed_prices": [{"sku": "smp-rjt-001", "unit_price_idr": 110_000}],
    }
    body.update(overrides)
    return post(client, "/api/v1/consignments", body, headers)


@pytest.fixture
def agreement_id(client, world, as_admin, today):
    response = create(client, as_admin, today)
    assert response.status_code == 201, response.json()
    return response.json()["id"]


def test_staff_make_an_agreement(client, world, as_admin, today):
    # when
    response = create(client, as_admin, today, end_date=(today + datetime.timedelta(days=170)).isoformat())

    # then
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["organization"], body["outlet"], body["commission_mode"], body["commission_percent"]) == (
        "rutan-sumenep",
        "hotel-bintang-sumenep",
        "PERCENT",
        20.0,
    )
    assert body["price_mode"] == "AGREED"
    assert body["terms"] == [
        {"sku": "SMP-RJT-001", "product": "Tas Rajut", "agreed_price_idr": 110_000, "commission_idr": None}
    ]
    assert (body["review_months"], body["shortage_borne_by"], body["status"]) == (6, "OUTLET", "ACTIVE")
    assert Agreement.objects.get().location.code == body["location"]


def test_per_product_commission(client, world, as_admin, today):
    response = create(
        client,
        as_admin,
        today,
        commission_percent=None,
        commission_per_product=[{"sku": "SMP-PCT-001", "commission_idr": 10_000}],
    )
    assert response.status_code == 201, response.json()
    assert {t["sku"]: t["commission_idr"] for t in response.json()["terms"]} == {
        "SMP-PCT-001": 10_000,
        "SMP-RJT-001": None,
    }


@pytest.mark.parametrize(
    "overrides, field, status",
    [
        ({"payment_days": 120}, "payment_days", 400),
        ({"review_months": 12}, "review_months", 400),
        ({"outlet": "no-such-outlet"}, "outlet", 400),
        ({"outlet": "rutan-sumenep"}, "outlet", 400),
        ({"agreed_prices": [{"sku": "NOPE", "unit_price_idr": 1}]}, "agreed_prices", 400),
        ({"commission_percent": 101}, "commission_percent", 422),
        ({"settlement_period": "DAILY"}, "settlement_period", 422),
        ({"start_date": "5 Desember"}, "start_date", 422),
    ],
)
def test_bad_agreements_are_refused(client, world, as_admin, today, overrides, field, status):
    response = create(client, as_admin, today, **overrides)
    assert response.status_code == status, response.json()
    assert field in response.json()["errors"]
    assert not Agreement.objects.exists()


def test_an_overlapping_agreement_is_refused(client, world, as_admin, agreement_id, today):
    response = create(client, as_admin, today)
    assert response.status_code == 400
    assert "already has an agreement in force" in response.json()["errors"]["start_date"][0]


def test_a_partner_cannot_make_an_agreement(client, world, as_partner, today):
    response = create(client, as_partner, today)
    assert response.status_code == 400  # they have no seller organization to make it for
    assert not Agreement.objects.exists()


def test_place_confirm_and_sell(client, world, as_admin, as_partner, agreement_id, today):
    # staff place 4 whips and 2 bags with the tanda terima
    placed = post(
        client,
        f"/api/v1/consignments/{agreement_id}/placements",
        {
            "from_location": world["store"].code,
            "lines": [{"sku": "SMP-PCT-001", "quantity": 4}, {"sku": "SMP-RJT-001", "quantity": 2}],
        },
        as_admin,
    )
    assert placed.status_code == 201, placed.json()
    placement = placed.json()
    assert placement["status"] == "IN_TRANSIT"
    assert placement["verify_code"] == Document.objects.get(kind="SURAT_JALAN").verify_code
    assert placement["verify_url"].endswith(f"/{placement['verify_code']}/")
    assert [(line["sku"], line["quantity"], line["unit_price_idr"]) for line in placement["lines"]] == [
        ("SMP-PCT-001", 4, 75_000),
        ("SMP-RJT-001", 2, 110_000),
    ]
    no_maker_in(placed)

    # the partner sees it and confirms that one whip is missing
    seen = client.get(f"/api/v1/consignments/{agreement_id}/placements/{placement['id']}", **as_partner)
    assert seen.status_code == 200
    whip_line = next(line for line in placement["transfer_lines"] if line["sku"] == "SMP-PCT-001")
    bag_line = next(line for line in placement["transfer_lines"] if line["sku"] == "SMP-RJT-001")
    received = post(
        client,
        f"/api/v1/consignments/{agreement_id}/placements/{placement['id']}/receive",
        {
            "lines": [
                {"line": whip_line["id"], "quantity_received": 3},
                {"line": bag_line["id"], "quantity_received": 2},
            ]
        },
        as_partner,
    )
    assert received.status_code == 200, received.json()
    assert received.json()["status"] == "DISCREPANCY"
    assert Placement.objects.get().received_by == world["partner"]

    # the partner's shelf: 3 whips and 2 bags, with prices, no maker
    stock = client.get(f"/api/v1/consignments/{agreement_id}/stock", **as_partner)
    assert stock.status_code == 200
    assert stock.json()["units"] == 5
    assert [(i["sku"], i["quantity"], i["unit_price_idr"], i["days_on_shelf"]) for i in stock.json()["items"]] == [
        ("SMP-PCT-001", 3, 75_000, 0),
        ("SMP-RJT-001", 2, 110_000, 0),
    ]
    no_maker_in(stock)
    assert "maker" not in stock.content.decode().lower()

    # the partner records two whips and a bag sold today
    sold = post(
        client,
        f"/api/v1/consignments/{agreement_id}/sales",
        {
            "sold_date": today.isoformat(),
            "lines": [{"sku": "SMP-PCT-001", "quantity": 2}, {"sku": "SMP-RJT-001", "quantity": 1}],
        },
        as_partner,
    )
    assert sold.status_code == 201, sold.json()
    gross = 2 * 75_000 + 110_000
    commission = gross * 2000 // 10_000
    assert (sold.json()["gross_idr"], sold.json()["commission_idr"], sold.json()["net_idr"]) == (
        gross,
        commission,
        gross - commission,
    )
    no_maker_in(sold)
    assert ConsignmentSale.objects.get().recorded_by == world["partner"]

    # selling more than is left is 409 naming the SKU, and saves nothing
    oversold = post(
        client,
        f"/api/v1/consignments/{agreement_id}/sales",
        {"sold_date": today.isoformat(), "lines": [{"sku": "SMP-PCT-001", "quantity": 2}]},
        as_partner,
    )
    assert oversold.status_code == 409
    assert "SMP-PCT-001" in oversold.json()["detail"]
    assert ConsignmentSale.objects.count() == 1

    # the partner lists only this agreement, and the answers never name a maker
    listed = client.get("/api/v1/consignments", **as_partner)
    assert [a["id"] for a in listed.json()["items"]] == [agreement_id]
    no_maker_in(listed)
    no_maker_in(client.get(f"/api/v1/consignments/{agreement_id}", **as_partner))


def test_a_partner_cannot_place_goods(client, world, as_partner, agreement_id):
    response = post(
        client,
        f"/api/v1/consignments/{agreement_id}/placements",
        {"from_location": world["store"].code, "lines": [{"sku": "SMP-PCT-001", "quantity": 1}]},
        as_partner,
    )
    assert response.status_code == 403
    assert not Placement.objects.exists()


@pytest.mark.parametrize("who", ["other_partner", "stranger"])
def test_another_outlet_and_another_facility_get_404_everywhere(client, world, as_admin, agreement_id, today, who):
    # given a placement
    placed = post(
        client,
        f"/api/v1/consignments/{agreement_id}/placements",
        {"from_location": world["store"].code, "lines": [{"sku": "SMP-PCT-001", "quantity": 2}]},
        as_admin,
    )
    placement_id = placed.json()["id"]
    headers = auth(world[who])
    base = f"/api/v1/consignments/{agreement_id}"

    # then
    assert client.get("/api/v1/consignments", **headers).json() == {"count": 0, "items": []}
    for url in (base, f"{base}/stock", f"{base}/placements/{placement_id}"):
        assert client.get(url, **headers).status_code == 404, url
    writes = [
        (
            f"{base}/placements",
            {"from_location": world["store"].code, "lines": [{"sku": "SMP-PCT-001", "quantity": 1}]},
        ),
        (f"{base}/placements/{placement_id}/receive", {}),
        (f"{base}/sales", {"sold_date": today.isoformat(), "lines": [{"sku": "SMP-PCT-001", "quantity": 1}]}),
    ]
    for url, body in writes:
        response = post(client, url, body, headers)
        assert response.status_code == 404, (url, response.json())
    assert Placement.objects.count() == 1 and not ConsignmentSale.objects.exists()


def test_anonymous_callers_are_401(client, agreement_id):
    assert client.get("/api/v1/consignments").status_code == 401
    assert client.get(f"/api/v1/consignments/{agreement_id}").status_code == 401


def test_refusals_are_in_the_callers_language(client, world, as_admin, agreement_id, today):
    response = create(client, {**as_admin, "HTTP_ACCEPT_LANGUAGE": "id"}, today)
    assert response.status_code == 400
    assert response.json()["errors"]["start_date"] == [
        f"Hotel Bintang Sumenep sudah memiliki perjanjian yang berlaku sejak "
        f"{(today - datetime.timedelta(days=10)).isoformat()} pada tanggal-tanggal ini."
    ]
