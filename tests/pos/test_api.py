"""The point of sale's API: open a session, ring up sales by lot or SKU, close with the cash counted."""

import pytest

from binakarya.accounts.services import api_token_create
from binakarya.pos.models import PosSale, PosSession
from binakarya.sales.models import Sale


def auth(user) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(user=user, name='test')[1]}"}


@pytest.fixture
def as_cashier(bazaar):
    return auth(bazaar["cashier"])


def post(client, url, body, headers):
    return client.post(url, body, content_type="application/json", **headers)


def open_session(client, bazaar, headers, cash=100_000):
    response = post(
        client, "/api/v1/pos/sessions", {"location": bazaar["event"].code, "opening_cash_idr": cash}, headers
    )
    assert response.status_code == 201, response.json()
    return response.json()


def test_a_day_at_the_bazaar(client, bazaar, as_cashier):
    session = open_session(client, bazaar, as_cashier)
    assert session["status"] == "OPEN" and session["number"].startswith("KAS-SMP-")
    assert session["location"] == bazaar["event"].code
    sale = post(
        client,
        "/api/v1/pos/sales",
        {
            "session": session["id"],
            "lines": [{"lot": bazaar["new_lot"].code, "quantity": 1}, {"sku": "SMP-PCT-001", "quantity": 2}],
            "payment_method": "CASH",
            "cash_received_idr": 700_000,
        },
        as_cashier,
    )
    assert sale.status_code == 201, sale.json()
    body = sale.json()
    assert body["total_idr"] == 600_000 and body["change_idr"] == 100_000
    assert body["receipt_verify_url"].endswith(f"/verifikasi/{body['receipt_verify_code']}/")
    assert {(line["lot"], line["quantity"]) for line in body["lines"]} == {
        (bazaar["new_lot"].code, 1),
        (bazaar["whip_lot"].code, 2),
    }
    qris = post(
        client,
        "/api/v1/pos/sales",
        {"session": session["id"], "lines": [{"lot": bazaar["old_lot"].code, "quantity": 1}], "payment_method": "QRIS"},
        as_cashier,
    )
    assert qris.status_code == 201 and qris.json()["cash_received_idr"] is None
    closed = post(client, f"/api/v1/pos/sessions/{session['id']}/close", {"counted_cash_idr": 700_000}, as_cashier)
    assert closed.status_code == 200, closed.json()
    report = closed.json()
    assert (report["expected_cash_idr"], report["difference_idr"]) == (700_000, 0)
    assert report["sales_count"] == 2 and report["qris_sales_idr"] == 450_000
    assert report["status"] == "CLOSED" and report["closing_verify_code"]
    listed = client.get("/api/v1/pos/sessions?status=CLOSED", **as_cashier).json()
    assert [item["number"] for item in listed["items"]] == [session["number"]]
    assert client.get(f"/api/v1/pos/sessions/{session['id']}", **as_cashier).json()["difference_idr"] == 0


def test_errors(client, bazaar, as_cashier):
    session = open_session(client, bazaar, as_cashier)

    def sell(lines, method="CASH", cash=10_000_000):
        body = {"session": session["id"], "lines": lines, "payment_method": method}
        if cash is not None:
            body["cash_received_idr"] = cash
        return post(client, "/api/v1/pos/sales", body, as_cashier)

    short = sell([{"lot": bazaar["new_lot"].code, "quantity": 9}])
    assert short.status_code == 409 and "SMP-BTK-001" in short.json()["detail"]
    assert sell([{"lot": "NOPE99", "quantity": 1}]).status_code == 400
    assert sell([{"sku": "SMP-BTK-001", "lot": bazaar["new_lot"].code, "quantity": 1}]).status_code == 400
    assert sell([{"sku": "SMP-BTK-001", "quantity": 1}], cash=1000).status_code == 400
    assert sell([{"sku": "SMP-BTK-001", "quantity": "1"}]).status_code == 422
    assert sell([{"sku": "SMP-BTK-001", "quantity": 1}], method="CARD").status_code == 400
    assert not Sale.objects.exists()
    # A second open session for the same cashier, an unknown location, negative cash.
    again = post(client, "/api/v1/pos/sessions", {"location": bazaar["store"].code, "opening_cash_idr": 0}, as_cashier)
    assert again.status_code == 400
    unknown = post(client, "/api/v1/pos/sessions", {"location": "nope", "opening_cash_idr": 0}, as_cashier)
    assert unknown.status_code == 400 and "location" in unknown.json()["errors"]
    negative = post(
        client, "/api/v1/pos/sessions", {"location": bazaar["event"].code, "opening_cash_idr": -5}, as_cashier
    )
    assert negative.status_code == 422
    assert client.post("/api/v1/pos/sessions", {}, content_type="application/json").status_code == 401


def test_another_organization_cannot_see_or_sell(client, bazaar, as_cashier, stranger):
    session = open_session(client, bazaar, as_cashier)
    theirs = auth(stranger)
    assert client.get(f"/api/v1/pos/sessions/{session['id']}", **theirs).status_code == 404
    assert client.get("/api/v1/pos/sessions", **theirs).json()["count"] == 0
    body = {"session": session["id"], "lines": [{"sku": "SMP-PCT-001", "quantity": 1}], "payment_method": "QRIS"}
    assert post(client, "/api/v1/pos/sales", body, theirs).status_code == 404
    assert (
        post(client, f"/api/v1/pos/sessions/{session['id']}/close", {"counted_cash_idr": 0}, theirs).status_code == 404
    )
    opened = post(client, "/api/v1/pos/sessions", {"location": bazaar["event"].code, "opening_cash_idr": 0}, theirs)
    assert opened.status_code == 400
    assert not PosSale.objects.exists() and PosSession.objects.count() == 1
