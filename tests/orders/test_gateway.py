"""A payment gateway plugs in behind orders.payments: its webhook's events are recorded once, through the same
path as the money staff confirm. The gateway here is a test double standing in for Midtrans or Xendit."""

import hashlib
import hmac
import json
from collections.abc import Mapping
from typing import ClassVar

import pytest
from django.core.cache import cache

from binakarya.orders import payments
from binakarya.orders.models import Order, Payment
from binakarya.orders.payments import PaymentEvent, PaymentInstructions
from binakarya.orders.services import order_cancel
from tests.orders.helpers import place, staff_of

SECRET = b"test-gateway-secret"


class SignedGateway:
    """Answers webhooks whose body is signed with HMAC-SHA256 in ``X-Signature``, as gateways do."""

    code: ClassVar[str] = "testpay"
    method: ClassVar[str] = "QRIS"

    def instructions(self, *, order, shop, amount_idr) -> PaymentInstructions:
        return PaymentInstructions(method=self.method, label="Test pay", amount_idr=amount_idr)

    def webhook(self, *, body: bytes, headers: Mapping[str, str]) -> PaymentEvent | None:
        expected = hmac.new(SECRET, body, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(headers.get("X-Signature", ""), expected):
            return None
        data = json.loads(body)
        return PaymentEvent(data["order"], data["state"], data["amount"], data["id"], "QRIS")


@pytest.fixture(autouse=True)
def gateway(monkeypatch):
    cache.clear()
    monkeypatch.setattr(payments, "PROVIDERS", (*payments.PROVIDERS, SignedGateway()))


def notify(client, payload: dict, *, sign: bool = True, provider: str = "testpay"):
    body = json.dumps(payload).encode()
    signature = hmac.new(SECRET, body, hashlib.sha256).hexdigest() if sign else "forged"
    return client.post(
        f"/api/v1/payments/webhooks/{provider}", data=body, content_type="application/json", HTTP_X_SIGNATURE=signature
    )


def test_a_paid_notification_pays_the_order_once_however_often_it_is_sent(seller, client):
    (order,) = place((seller["variant"], 1))
    payload = {"order": order.number, "state": "PAID", "amount": order.total_idr, "id": "trx-1"}

    assert notify(client, payload).status_code == 200
    assert notify(client, payload).status_code == 200  # the gateway retries

    order.refresh_from_db()
    assert (order.status, order.paid_idr) == ("PAID", order.total_idr)
    payment = Payment.objects.get(order=order)
    assert (payment.provider, payment.provider_reference, payment.method) == ("testpay", "trx-1", "QRIS")
    assert order.sale_id is not None


def test_a_forged_notification_and_the_manual_providers_get_404(seller, client):
    (order,) = place((seller["variant"], 1))
    payload = {"order": order.number, "state": "PAID", "amount": order.total_idr, "id": "trx-2"}
    assert notify(client, payload, sign=False).status_code == 404
    assert notify(client, payload, provider="manual").status_code == 404
    assert notify(client, payload, provider="nobody").status_code == 404
    assert not Payment.objects.exists()


def test_an_unknown_order_is_a_clear_400(seller, client):
    response = notify(client, {"order": "PSN-XXX-2026-99999", "state": "PAID", "amount": 1000, "id": "trx-3"})
    assert response.status_code == 400


def test_expiry_and_refund_notifications(seller, client):
    (order,) = place((seller["variant"], 1))
    assert notify(client, {"order": order.number, "state": "EXPIRED", "amount": 0, "id": "trx-4"}).status_code == 200
    assert Order.objects.get(pk=order.pk).status == "EXPIRED"

    (second,) = place((seller["variant"], 1))
    notify(client, {"order": second.number, "state": "PAID", "amount": 50_000, "id": "trx-5"})
    order_cancel(actor=staff_of(seller["org"]), order=second)
    refund = {"order": second.number, "state": "REFUNDED", "amount": 50_000, "id": "trx-5"}
    assert notify(client, refund).status_code == 200
    assert notify(client, refund).status_code == 200
    second.refresh_from_db()
    assert (second.refunded_idr, second.payment_state, second.needs_refund) == (50_000, "REFUNDED", False)
