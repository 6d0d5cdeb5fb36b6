"""The orders API: placing (idempotent, 409 naming the SKU, throttled), token and staff access, the staff
desk (payments, proofs, refunds, shipping fee, transitions, cancel), shop settings and rates, tenant
isolation, and that no maker's name reaches any answer."""

import json
import uuid

import pytest
from django.core.cache import cache

from binakarya.accounts.services import api_token_create
from binakarya.inventory.models import Reservation, StockBalance
from binakarya.orders.models import IdempotencyRecord, Order, Payment, ShippingRate, ShopSettings
from binakarya.organizations.models import Role
from tests.api.helpers import bearer, png_upload
from tests.factories import LocationFactory, MembershipFactory, UserFactory
from tests.orders.conftest import make_seller

URL = "/api/v1/orders"


@pytest.fixture(autouse=True)
def _fresh_throttle():
    # The public throttle counts in the cache, which outlives a test.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def seller(db):
    return make_seller(name="Rutan Sumenep", units=5)


@pytest.fixture
def other_seller(db):
    return make_seller(name="Rutan Purbalingga", price=85_000)


def _staff_token(org, role=Role.FACILITY_ADMIN, username=None):
    user = MembershipFactory(
        user=UserFactory(username=username or f"u{uuid.uuid4().hex[:8]}"), organization=org, role=role
    ).user
    return user, api_token_create(user=user, name="test")[1]


@pytest.fixture
def staff(seller):
    return _staff_token(seller["org"])


@pytest.fixture
def other_staff(other_seller):
    return _staff_token(other_seller["org"])


def body(sku, quantity=1, **extra):
    data = {
        "lines": [{"sku": sku, "quantity": quantity}],
        "buyer": {"name": "Siti Aminah", "phone": "0812 3456 7890", "email": ""},
        "fulfillment": "PICKUP",
    }
    data.update(extra)
    return data


def place(client, data, key=None, **headers):
    return client.post(
        URL,
        data=json.dumps(data),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY=key or uuid.uuid4().hex,
        **headers,
    )


def placed(client, seller, quantity=1):
    response = place(client, body(seller["variant"].sku, quantity))
    assert response.status_code == 201, response.content
    return response.json()["orders"][0]


def maker_names(seller):
    return [m.full_name for m in seller["members"]]


# Placing -----------------------------------------------------------------------------------------------


def test_place_reserves_stock_and_answers_payment_instructions(client, seller):
    response = place(client, body(seller["variant"].sku, 2))
    assert response.status_code == 201, response.content
    (order,) = response.json()["orders"]
    assert order["status"] == "AWAITING_PAYMENT"
    assert order["goods_idr"] == 300_000
    assert order["total_idr"] == 300_000 + order["payment"]["unique_code_idr"]
    assert order["shipping_idr"] == 0
    assert order["tracking_url"].endswith(f"/pesanan/{order['token']}/")
    transfer = next(m for m in order["payment"]["methods"] if m["method"] == "TRANSFER")
    assert transfer["account_number"] == "0123456789"
    assert transfer["amount_idr"] == order["total_idr"] == order["payment"]["amount_due_idr"]
    reserved = Reservation.objects.filter(variant=seller["variant"], location=seller["showroom"])
    assert sum(r.quantity for r in reserved) == 2
    for name in maker_names(seller):
        assert name not in response.content.decode()


def test_public_placing_needs_no_csrf_token_but_a_signed_in_session_does(seller, staff):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    assert place(browser, body(seller["variant"].sku)).status_code == 201
    browser.force_login(staff[0])
    assert place(browser, body(seller["variant"].sku)).status_code == 403


def test_delivery_without_rate_has_shipping_to_confirm(client, seller):
    address = {
        "province": "Papua",
        "regency": "Jayapura",
        "district": "Abepura",
        "address": "Jl. Baru 1",
        "postal_code": "99351",
    }
    response = place(client, body(seller["variant"].sku, fulfillment="DELIVERY", address=address))
    assert response.status_code == 201, response.content
    order = response.json()["orders"][0]
    assert order["shipping_idr"] is None
    assert all(not m["ready"] for m in order["payment"]["methods"])


def test_insufficient_stock_is_409_naming_the_sku(client, seller):
    sku = seller["variant"].sku
    response = place(client, body(sku, 6))
    assert response.status_code == 409
    data = response.json()
    assert sku in data["detail"]
    assert data["shortfalls"] == [{"sku": sku, "available": 5, "wanted": 6}]
    assert not Order.objects.exists()
    assert not IdempotencyRecord.objects.exists()  # a failed request can be retried with its key


def test_same_key_and_body_replays_the_same_orders(client, seller):
    key = uuid.uuid4().hex
    data = body(seller["variant"].sku, 1)
    first = place(client, data, key)
    again = place(client, data, key)
    assert first.status_code == 201
    assert again.status_code == 200
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert Order.objects.count() == 1


def test_same_key_other_body_is_422(client, seller):
    key = uuid.uuid4().hex
    assert place(client, body(seller["variant"].sku, 1), key).status_code == 201
    response = place(client, body(seller["variant"].sku, 2), key)
    assert response.status_code == 422
    assert "Idempotency-Key" in response.json()["errors"]
    assert Order.objects.count() == 1


@pytest.mark.parametrize("key", ["", "short", "x" * 101, "bad key with spaces"])
def test_missing_or_bad_key_is_400(client, seller, key):
    response = client.post(
        URL, data=json.dumps(body(seller["variant"].sku)), content_type="application/json", HTTP_IDEMPOTENCY_KEY=key
    )
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["detail"]
    assert not Order.objects.exists()


def test_strict_schema_refuses_float_quantity_and_unknown_fulfillment(client, seller):
    data = body(seller["variant"].sku)
    data["lines"][0]["quantity"] = 1.0
    assert place(client, data).status_code == 422
    assert place(client, body(seller["variant"].sku, fulfillment="COURIER")).status_code == 422


def test_service_errors_are_400_with_fields(client, seller):
    data = body("NOPE-1")
    data["buyer"]["phone"] = ""
    response = place(client, data)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert "phone" in errors and "lines" in errors


def test_public_placing_is_throttled(client, seller, settings):
    settings.API_PUBLIC_ORDER_RATE = "2/m"
    sku = seller["variant"].sku
    assert place(client, body(sku)).status_code == 201
    assert place(client, body(sku)).status_code == 201
    response = place(client, body(sku))
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    assert Order.objects.count() == 2


def test_whatsapp_order_by_staff(client, seller, staff):
    _user, token = staff
    data = body(seller["variant"].sku, 1, channel="WHATSAPP", organization=seller["org"].slug)
    response = place(client, data, **bearer(token))
    assert response.status_code == 201, response.content
    assert Order.objects.get().channel == "WHATSAPP"


def test_whatsapp_order_needs_staff_of_that_seller(client, seller, other_staff):
    data = body(seller["variant"].sku, 1, channel="WHATSAPP", organization=seller["org"].slug)
    assert place(client, data).status_code == 401
    assert place(client, data, **bearer(other_staff[1])).status_code == 404
    assert not Order.objects.exists()


# Reading ------------------------------------------------------------------------------------------------


def test_token_holder_reads_the_order_without_internal_steps(client, seller):
    order = placed(client, seller)
    url = f"{URL}/{order['number']}"
    by_query = client.get(url, {"token": order["token"]})
    by_header = client.get(url, HTTP_X_ORDER_TOKEN=order["token"])
    assert by_query.status_code == by_header.status_code == 200
    data = by_query.json()
    assert data["lines"][0]["sku"] == seller["variant"].sku
    assert data["timeline"] and all(not s["internal"] for s in data["timeline"])
    assert data["next_statuses"] == []
    assert data["pickup_address"] == "Jl. Raya 1"


def test_anyone_else_gets_404(client, seller, other_seller, other_staff):
    order = placed(client, seller)
    url = f"{URL}/{order['number']}"
    assert client.get(url).status_code == 404
    assert client.get(url, {"token": "wrong"}).status_code == 404
    assert client.get(f"{URL}/PSN-NOPE", {"token": order["token"]}).status_code == 404
    # Another seller's staff: 404 as for an order that does not exist.
    assert client.get(url, **bearer(other_staff[1])).status_code == 404
    assert client.get(f"{URL}/PSN-NOPE", **bearer(other_staff[1])).status_code == 404


def test_staff_read_and_list(client, seller, other_seller, staff, other_staff):
    mine = placed(client, seller)
    theirs = placed(client, other_seller)
    _user, token = staff
    detail = client.get(f"{URL}/{mine['number']}", **bearer(token))
    assert detail.status_code == 200
    assert detail.json()["buyer"]["phone"] == "+6281234567890"
    listing = client.get(URL, {"status": "AWAITING_PAYMENT", "search": "Siti"}, **bearer(token))
    assert listing.status_code == 200
    numbers = [o["number"] for o in listing.json()["items"]]
    assert numbers == [mine["number"]]
    assert theirs["number"] not in listing.content.decode()
    assert client.get(URL, {"organization": other_seller["org"].slug}, **bearer(token)).status_code == 404
    assert client.get(URL).status_code == 401


def test_no_maker_name_in_any_order_answer(client, seller, staff):
    order = placed(client, seller)
    _user, token = staff
    answers = [
        client.get(f"{URL}/{order['number']}", {"token": order["token"]}),
        client.get(f"{URL}/{order['number']}", **bearer(token)),
        client.get(URL, **bearer(token)),
    ]
    for answer in answers:
        assert answer.status_code == 200
        for name in maker_names(seller):
            assert name not in answer.content.decode()


# Staff: money and fulfilment --------------------------------------------------------------------------


def post(client, url, data, token=None):
    headers = bearer(token) if token else {}
    return client.post(url, data=json.dumps(data), content_type="application/json", **headers)


def test_payment_in_full_makes_it_paid_with_its_sale(client, seller, staff):
    order = placed(client, seller, 2)
    _user, token = staff
    url = f"{URL}/{order['number']}/payments"
    response = post(client, url, {"amount_idr": order["total_idr"], "method": "TRANSFER"}, token)
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == "PAID" and data["payment_state"] == "PAID"
    saved = Order.objects.get(number=order["number"])
    assert saved.sale is not None
    assert sorted((line.variant.sku, line.quantity) for line in saved.sale.lines.all()) == [(seller["variant"].sku, 2)]
    assert StockBalance.objects.get(location=seller["showroom"], variant=seller["variant"]).quantity == 3
    assert not Reservation.objects.filter(variant=seller["variant"], status="ACTIVE").exists()


def test_payment_errors(client, seller, staff, other_staff):
    order = placed(client, seller)
    url = f"{URL}/{order['number']}/payments"
    assert post(client, url, {"amount_idr": 0, "method": "TRANSFER"}, staff[1]).status_code == 400
    assert post(client, url, {"amount_idr": 1000, "method": "GOLD"}, staff[1]).status_code == 422
    assert post(client, url, {"amount_idr": 1000, "method": "CASH"}, other_staff[1]).status_code == 404
    assert post(client, url, {"amount_idr": 1000, "method": "CASH"}).status_code == 401


def test_viewer_role_gets_403_on_a_write(client, seller):
    order = placed(client, seller)
    # An instructor sees nothing of orders: 404, never a 500.
    _user, token = _staff_token(seller["org"], role=Role.INSTRUCTOR)
    url = f"{URL}/{order['number']}/payments"
    assert post(client, url, {"amount_idr": 1000, "method": "CASH"}, token).status_code == 404


def test_proof_upload_then_confirm(client, seller, staff):
    order = placed(client, seller)
    url = f"{URL}/{order['number']}/proofs"
    fields = {"token": order["token"], "method": "TRANSFER", "amount_idr": str(order["total_idr"])}
    response = client.post(url, {**fields, "file": png_upload("bukti.png")})
    assert response.status_code == 201, response.content
    payment = Payment.objects.get()
    assert payment.status == "SUBMITTED"
    assert client.post(url, {**fields, "token": "wrong", "file": png_upload()}).status_code == 404
    bad = client.post(url, {**fields, "file": png_upload("x.png").__class__("x.txt", b"hello", "text/plain")})
    assert bad.status_code == 400
    confirm = post(client, f"{URL}/{order['number']}/payments/{payment.pk}/confirm", {}, staff[1])
    assert confirm.status_code == 200, confirm.content
    assert confirm.json()["status"] == "PAID"


def test_proof_reject_needs_a_reason(client, seller, staff):
    order = placed(client, seller)
    client.post(
        f"{URL}/{order['number']}/proofs",
        {"token": order["token"], "method": "QRIS", "amount_idr": "1000", "file": png_upload()},
    )
    payment = Payment.objects.get()
    url = f"{URL}/{order['number']}/payments/{payment.pk}/reject"
    assert post(client, url, {"reason": "  "}, staff[1]).status_code == 400
    response = post(client, url, {"reason": "Nominal tidak sesuai"}, staff[1])
    assert response.status_code == 200
    assert response.json()["payments"][0]["status"] == "REJECTED"
    # Someone else's payment id under this order: 404.
    assert post(client, f"{URL}/{order['number']}/payments/999999/reject", {"reason": "x"}, staff[1]).status_code == 404


def test_transitions_shipping_and_refund(client, seller, staff):
    ShippingRate.objects.create(
        organization=seller["org"], province="Jawa Timur", regency="", max_weight_grams=5000, fee_idr=20_000
    )
    address = {
        "province": "Jawa Timur",
        "regency": "Surabaya",
        "district": "Gubeng",
        "address": "Jl. Kertajaya 5",
        "postal_code": "60281",
    }
    order = place(client, body(seller["variant"].sku, fulfillment="DELIVERY", address=address)).json()["orders"][0]
    assert order["shipping_idr"] == 20_000
    token = staff[1]
    base = f"{URL}/{order['number']}"
    assert post(client, f"{base}/shipping", {"fee_idr": 25_000, "courier": "JNE"}, token).status_code == 200
    total = Order.objects.get(number=order["number"]).total_idr
    assert (
        post(client, f"{base}/payments", {"amount_idr": total + 5_000, "method": "TRANSFER"}, token).status_code == 201
    )
    assert post(client, f"{base}/transitions", {"to": "SHIPPED"}, token).status_code == 400
    assert post(client, f"{base}/transitions", {"to": "PACKED"}, token).status_code == 200
    missing = post(client, f"{base}/transitions", {"to": "SHIPPED"}, token)
    assert missing.status_code == 400 and "resi" in missing.json()["errors"]
    shipped = post(client, f"{base}/transitions", {"to": "SHIPPED", "courier": "JNE", "resi": "JNE123"}, token)
    assert shipped.status_code == 200
    assert shipped.json()["resi"] == "JNE123"
    # The buyer paid Rp5.000 too much: give it back.
    assert (
        post(
            client, f"{base}/refunds", {"amount_idr": 6_000, "method": "TRANSFER", "reason": "lebih"}, token
        ).status_code
        == 400
    )
    refund = post(
        client, f"{base}/refunds", {"amount_idr": 5_000, "method": "TRANSFER", "reason": "lebih bayar"}, token
    )
    assert refund.status_code == 201
    assert refund.json()["refunded_idr"] == 5_000


def test_buyer_cancels_with_token_and_reservation_is_released(client, seller):
    order = placed(client, seller, 3)
    url = f"{URL}/{order['number']}/cancel"
    assert client.post(url, content_type="application/json").status_code == 404
    response = client.post(
        f"{url}?token={order['token']}", data=json.dumps({"reason": "salah pilih"}), content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "CANCELLED"
    assert not Reservation.objects.filter(variant=seller["variant"], status="ACTIVE").exists()
    # Cancelled already: the buyer cannot cancel again.
    assert client.post(f"{url}?token={order['token']}", content_type="application/json").status_code == 400


def test_staff_cancel_and_other_staff_404(client, seller, staff, other_staff):
    order = placed(client, seller)
    url = f"{URL}/{order['number']}/cancel"
    assert post(client, url, {}, other_staff[1]).status_code == 404
    response = post(client, url, {"reason": "stok rusak"}, staff[1])
    assert response.status_code == 200
    assert response.json()["status"] == "CANCELLED"


# Shop settings and rates --------------------------------------------------------------------------------


def test_shop_settings_read_and_replace(client, seller, staff, other_staff):
    slug = seller["org"].slug
    url = f"/api/v1/shop/{slug}/settings"
    assert client.get(url, **bearer(other_staff[1])).status_code == 404
    got = client.get(url, **bearer(staff[1]))
    assert got.status_code == 200
    assert got.json()["location"] == seller["showroom"].code
    store = LocationFactory(organization=seller["org"], kind="STORE", name="Gudang")
    data = got.json() | {"location": store.code, "bank_account_number": "9876", "order_expiry_hours": 48}
    data.pop("organization")
    data.pop("qris_image_url")
    response = client.put(url, data=json.dumps(data), content_type="application/json", **bearer(staff[1]))
    assert response.status_code == 200, response.content
    shop = ShopSettings.objects.get(organization=seller["org"])
    assert (shop.location_id, shop.bank_account_number, shop.order_expiry_hours) == (store.pk, "9876", 48)
    bad = client.put(
        url, data=json.dumps(data | {"location": "NOPE"}), content_type="application/json", **bearer(staff[1])
    )
    assert bad.status_code == 400 and "location" in bad.json()["errors"]


def test_rates_replace(client, seller, staff):
    url = f"/api/v1/shop/{seller['org'].slug}/shipping-rates"
    rates = [
        {"province": "Jawa Timur", "regency": "Sumenep", "max_weight_grams": 1000, "fee_idr": 10_000},
        {"province": "Jawa Timur", "regency": "", "max_weight_grams": 1000, "fee_idr": 18_000, "courier": "JNE"},
    ]
    response = client.put(url, data=json.dumps({"rates": rates}), content_type="application/json", **bearer(staff[1]))
    assert response.status_code == 200, response.content
    assert len(response.json()["rates"]) == 2
    dup = client.put(
        url, data=json.dumps({"rates": rates + rates[:1]}), content_type="application/json", **bearer(staff[1])
    )
    assert dup.status_code == 400
    assert ShippingRate.objects.filter(organization=seller["org"]).count() == 2
    assert client.get(url, **bearer(staff[1])).json()["rates"][0]["regency"] in ("", "Sumenep")


def test_placing_query_count_does_not_grow_with_lines(client, seller):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import VariantFactory, make_lot

    extra = [VariantFactory(product=seller["product"], price_idr=150_000) for _ in range(3)]
    for variant in extra:
        make_lot(variant=variant, group=seller["group"], location=seller["showroom"], quantity=5, cost=100_000)
    many = body(seller["variant"].sku)
    many["lines"] += [{"sku": v.sku, "quantity": 1} for v in extra]
    assert place(client, body(seller["variant"].sku)).status_code == 201  # warm-up: per-process caches
    with CaptureQueriesContext(connection) as one_line:
        assert place(client, body(seller["variant"].sku)).status_code == 201
    with CaptureQueriesContext(connection) as four_lines:
        assert place(client, many).status_code == 201
    assert len(four_lines.captured_queries) == len(one_line.captured_queries) <= 30


def test_conflict_message_in_indonesian(client, seller):
    sku = seller["variant"].sku
    response = place(client, body(sku, 9), HTTP_ACCEPT_LANGUAGE="id")
    assert response.status_code == 409
    assert response.json()["detail"] == f"Stok {sku} tidak cukup: tersisa 5, diminta 9."
