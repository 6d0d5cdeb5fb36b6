"""The settlement API: the statement both sides read, issuing it with its PDF, and the outlet's payments."""

import datetime
import subprocess

import pytest

from binakarya.consignment.models import ConsignmentPayment, ConsignmentStatement
from binakarya.ledger.selectors import outlet_owed
from tests.consignment.settle import a_month_of_sales, shelf_agreement
from tests.consignment.test_api import auth, no_maker_in, post
from tests.consignment.world import MAKER_NAMES


@pytest.fixture
def shelf(world, today):
    return shelf_agreement(world, today)


@pytest.fixture
def month(world, shelf, today):
    return a_month_of_sales(world, shelf, today)


def statement_url(agreement, start, end):
    return f"/api/v1/consignments/{agreement.pk}/statement?from={start.isoformat()}&to={end.isoformat()}"


@pytest.mark.parametrize("who", ["admin", "partner"])
def test_both_sides_read_the_same_statement(client, world, shelf, month, who):
    # when
    response = client.get(statement_url(shelf, *month), **auth(world[who]))

    # then
    assert response.status_code == 200, response.content
    body = response.json()
    assert {k: body[k] for k in ("gross_idr", "commission_idr", "net_idr", "paid_idr", "balance_idr")} == {
        "gross_idr": 345_000,
        "commission_idr": 69_000,
        "net_idr": 276_000,
        "paid_idr": 0,
        "balance_idr": 276_000,
    }
    assert body["previous_balance_idr"] == 0
    assert body["due_date"] == (month[1] + datetime.timedelta(days=14)).isoformat()
    assert [(line["sku"], line["units"], line["net_idr"]) for line in body["lines"]] == [
        ("SMP-PCT-001", 3, 180_000),
        ("SMP-RJT-001", 1, 96_000),
    ]
    no_maker_in(response)


def test_a_statement_without_dates_is_the_current_period(client, world, shelf, month):
    response = client.get(f"/api/v1/consignments/{shelf.pk}/statement", **auth(world["admin"]))
    assert response.status_code == 200
    body = response.json()
    assert body["date_from"] > month[1].isoformat()
    assert (body["previous_balance_idr"], body["net_idr"], body["balance_idr"]) == (276_000, 0, 276_000)


@pytest.mark.parametrize("query", ["from=2026-13-01&to=2026-01-31", "from=31-01-2026", "from=2026-02-01&to=2026-01-01"])
def test_a_bad_period_is_a_clear_error(client, world, shelf, query):
    response = client.get(f"/api/v1/consignments/{shelf.pk}/statement?{query}", **auth(world["admin"]))
    assert response.status_code in (400, 422), response.content
    assert response.json()


@pytest.mark.parametrize("who", ["other_partner", "stranger"])
def test_another_outlet_or_facility_gets_404_on_every_settlement_endpoint(client, world, shelf, month, who):
    headers = auth(world[who])
    base = f"/api/v1/consignments/{shelf.pk}"
    assert client.get(statement_url(shelf, *month), **headers).status_code == 404
    assert post(client, f"{base}/statement/issue", {}, headers).status_code == 404
    assert client.get(f"{base}/statements", **headers).status_code == 404
    body = {"amount_idr": 1_000, "paid_date": month[1].isoformat()}
    assert post(client, f"{base}/payments", body, headers).status_code == 404
    assert not ConsignmentPayment.objects.exists()


def test_staff_issue_the_statement_and_both_sides_get_its_pdf(client, world, shelf, month):
    # when
    response = post(
        client,
        f"/api/v1/consignments/{shelf.pk}/statement/issue",
        {"from": month[0].isoformat(), "to": month[1].isoformat()},
        auth(world["admin"]),
    )

    # then
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["number"].startswith("RTJ-SMP-")
    assert len(body["verify_code"]) == 12
    assert body["balance_idr"] == 276_000
    assert body["pdf_url"].endswith(f"/api/v1/consignments/{shelf.pk}/statements/{body['id']}/pdf")
    pdf_path = body["pdf_url"].removeprefix("http://testserver")
    for who in ("admin", "partner"):
        pdf = client.get(pdf_path, **auth(world[who]))
        assert pdf.status_code == 200
        assert pdf["Content-Type"] == "application/pdf"
        text = subprocess.run(["pdftotext", "-", "-"], input=pdf.content, capture_output=True, check=True).stdout
        text = text.decode()
        assert body["verify_code"] in text and "Rp276.000" in text
        for name in MAKER_NAMES:
            for part in name.split():
                assert part not in text
    listed = client.get(f"/api/v1/consignments/{shelf.pk}/statements", **auth(world["partner"])).json()
    assert [item["number"] for item in listed["items"]] == [body["number"]]
    assert client.get(pdf_path, **auth(world["other_partner"])).status_code == 404


def test_without_dates_the_last_whole_period_is_issued(client, world, shelf, month):
    response = post(client, f"/api/v1/consignments/{shelf.pk}/statement/issue", {}, auth(world["admin"]))
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["date_from"], body["date_to"]) == (month[0].isoformat(), month[1].isoformat())


def test_the_partner_may_not_issue_a_statement(client, world, shelf, month):
    response = post(client, f"/api/v1/consignments/{shelf.pk}/statement/issue", {}, auth(world["partner"]))
    assert response.status_code == 403
    assert not ConsignmentStatement.objects.exists()


def test_staff_record_payments_until_nothing_is_owed(client, world, shelf, month, today):
    url = f"/api/v1/consignments/{shelf.pk}/payments"
    headers = auth(world["admin"])

    # when
    first = post(client, url, {"amount_idr": 200_000, "paid_date": today.isoformat(), "reference": "TRF-1"}, headers)
    second = post(client, url, {"amount_idr": 76_000, "paid_date": today.isoformat()}, headers)

    # then
    assert first.status_code == 201, first.content
    assert (first.json()["balance_idr"], first.json()["reference"]) == (76_000, "TRF-1")
    assert second.status_code == 201 and second.json()["balance_idr"] == 0
    assert outlet_owed(organization=world["facility"], outlet=world["hotel"]) == 0
    statement = client.get(statement_url(shelf, month[0], today), **headers).json()
    assert (statement["paid_idr"], statement["balance_idr"]) == (276_000, 0)


def test_overpaying_is_refused_and_nothing_is_saved(client, world, shelf, month, today):
    response = post(
        client,
        f"/api/v1/consignments/{shelf.pk}/payments",
        {"amount_idr": 300_000, "paid_date": today.isoformat()},
        auth(world["admin"]),
    )
    assert response.status_code == 400
    assert "Rp276.000" in str(response.json())
    assert not ConsignmentPayment.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        {"amount_idr": 0, "paid_date": "2026-01-01"},
        {"amount_idr": "1000", "paid_date": "2026-01-01"},
        {"amount_idr": 1_000, "paid_date": "01-01-2026"},
        {"amount_idr": 1_000, "paid_date": "2999-01-01"},
        {"amount_idr": 1_000},
    ],
)
def test_a_bad_payment_is_a_clear_error(client, world, shelf, month, body):
    response = post(client, f"/api/v1/consignments/{shelf.pk}/payments", body, auth(world["admin"]))
    assert response.status_code in (400, 422), response.content
    assert not ConsignmentPayment.objects.exists()


def test_the_outlets_partner_may_not_record_a_payment(client, world, shelf, month, today):
    response = post(
        client,
        f"/api/v1/consignments/{shelf.pk}/payments",
        {"amount_idr": 1_000, "paid_date": today.isoformat()},
        auth(world["partner"]),
    )
    assert response.status_code == 403
    assert not ConsignmentPayment.objects.exists()


def test_the_public_verification_page_shows_the_totals_and_no_maker(client, world, shelf, month):
    # given
    issued = post(client, f"/api/v1/consignments/{shelf.pk}/statement/issue", {}, auth(world["admin"])).json()

    # when
    page = client.get(f"/verifikasi/{issued['verify_code']}/")

    # then
    assert page.status_code == 200
    text = page.content.decode()
    assert issued["number"] in text and "Rp276.000" in text
    for name in MAKER_NAMES:
        for part in name.split():
            assert part not in text
