"""The API at the outlet's shelf: returns and recalls with their PDF, damage, counts, the review, the history."""

import subprocess

import pytest

from binakarya.consignment.models import Agreement, ConsignmentReturn, DamageRecord, OutletCount
from binakarya.consignment.services import PlacementLineInput, placement_receive, placement_send
from tests.consignment.test_api import auth, no_maker_in, post
from tests.consignment.world import MAKER_NAMES


@pytest.fixture
def shelf(world, agreement):
    placement = placement_send(
        actor=world["admin"],
        agreement=agreement,
        from_location=world["store"],
        lines=[PlacementLineInput(world["whip"], 6), PlacementLineInput(world["bag"], 4)],
    )
    placement_receive(actor=world["partner"], placement=placement)
    return agreement


def pdf_text(content: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True).stdout.decode()


def assert_no_maker(text: str) -> None:
    for name in MAKER_NAMES:
        for part in name.split():
            assert part not in text, part


def test_a_recall_through_the_api_with_its_pdf(client, world, shelf):
    url = f"/api/v1/consignments/{shelf.pk}/returns"
    response = post(
        client,
        url,
        {"kind": "RECALL", "lines": [{"sku": "SMP-PCT-001", "quantity": 2}], "reason": "Lambat laku"},
        auth(world["admin"]),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["kind"], body["status"], body["value_idr"]) == ("RECALL", "RECEIVED", 150_000)
    assert [(line["sku"], line["quantity"], line["unit_price_idr"]) for line in body["lines"]] == [
        ("SMP-PCT-001", 2, 75_000)
    ]
    no_maker_in(response)
    pdf = client.get(body["pdf_url"].removeprefix("http://testserver"), **auth(world["partner"]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content)
    assert body["verify_code"] in text and "Rp150.000" in text and "Penarikan" in text
    assert_no_maker(text)
    listed = client.get(url, **auth(world["partner"])).json()
    assert [item["id"] for item in listed["items"]] == [body["id"]]
    assert client.get(body["pdf_url"], **auth(world["other_partner"])).status_code == 404


def test_the_partner_returns_and_staff_confirm(client, world, shelf):
    url = f"/api/v1/consignments/{shelf.pk}/returns"
    recall = post(
        client, url, {"kind": "RECALL", "lines": [{"sku": "SMP-PCT-001", "quantity": 1}]}, auth(world["partner"])
    )
    assert recall.status_code == 403
    response = post(
        client, url, {"kind": "RETURN", "lines": [{"sku": "SMP-PCT-001", "quantity": 1}]}, auth(world["partner"])
    )
    assert response.status_code == 201 and response.json()["status"] == "IN_TRANSIT"
    receive = f"{url}/{response.json()['id']}/receive"
    assert post(client, receive, {}, auth(world["partner"])).status_code == 403
    done = post(client, receive, {}, auth(world["admin"]))
    assert done.status_code == 200 and done.json()["status"] == "RECEIVED"


def test_more_than_held_is_409_naming_the_sku_and_others_get_404(client, world, shelf):
    url = f"/api/v1/consignments/{shelf.pk}/returns"
    response = post(
        client, url, {"kind": "RECALL", "lines": [{"sku": "SMP-RJT-001", "quantity": 9}]}, auth(world["admin"])
    )
    assert response.status_code == 409 and "SMP-RJT-001" in response.json()["detail"]
    assert not ConsignmentReturn.objects.exists()
    for who in ("stranger", "other_partner"):
        headers = auth(world[who])
        assert (
            post(client, url, {"kind": "RETURN", "lines": [{"sku": "SMP-PCT-001", "quantity": 1}]}, headers).status_code
            == 404
        )
        assert client.get(url, **headers).status_code == 404
        assert client.get(f"/api/v1/consignments/{shelf.pk}/review", **headers).status_code == 404
        assert client.get(f"/api/v1/consignments/{shelf.pk}/history/pdf", **headers).status_code == 404
        assert post(client, f"/api/v1/consignments/{shelf.pk}/damage", {"lines": []}, headers).status_code == 404
        assert post(client, f"/api/v1/consignments/{shelf.pk}/counts", {"lines": []}, headers).status_code == 404


def test_damage_and_a_count_through_the_api(client, world, shelf):
    Agreement.objects.filter(pk=shelf.pk).update(damage_borne_by="OUTLET", shortage_borne_by="SELLER")
    damage = post(
        client,
        f"/api/v1/consignments/{shelf.pk}/damage",
        {"lines": [{"sku": "SMP-RJT-001", "quantity": 1}], "note": "Sobek"},
        auth(world["admin"]),
    )
    assert damage.status_code == 201, damage.content
    (item,) = damage.json()["items"]
    assert item["borne_by"] == "OUTLET" and item["sale"] and not item["written_off"]
    assert (
        post(
            client,
            f"/api/v1/consignments/{shelf.pk}/damage",
            {"lines": [{"sku": "SMP-RJT-001", "quantity": 1}]},
            auth(world["partner"]),
        ).status_code
        == 403
    )

    count = post(
        client,
        f"/api/v1/consignments/{shelf.pk}/counts",
        {"lines": [{"sku": "SMP-PCT-001", "lot": world["whip_lot"].code, "counted": 5}]},
        auth(world["admin"]),
    )
    assert count.status_code == 201, count.content
    assert (count.json()["shortage_units"], count.json()["lines"][0]["outcome"]) == (1, "WRITTEN_OFF")
    bad = post(
        client,
        f"/api/v1/consignments/{shelf.pk}/counts",
        {"lines": [{"sku": "SMP-PCT-001", "lot": "NOPE", "counted": 5}]},
        auth(world["admin"]),
    )
    assert bad.status_code == 400 and OutletCount.objects.count() == 1 and DamageRecord.objects.count() == 1


def test_review_and_history(client, world, shelf):
    review = client.get(f"/api/v1/consignments/{shelf.pk}/review?slow_days=1", **auth(world["admin"]))
    assert review.status_code == 200
    rows = {row["sku"]: row for row in review.json()["items"]}
    assert rows["SMP-PCT-001"]["on_hand"] == 6 and rows["SMP-PCT-001"]["placed"] == 6
    history = client.get(f"/api/v1/consignments/{shelf.pk}/history/pdf", **auth(world["admin"]))
    assert history.status_code == 200
    text = pdf_text(history.content)
    assert "Riwayat" in text and "Hotel Bintang Sumenep" in text
    assert_no_maker(text)
