"""The order desk: what needs action first, one order's page, proofs, payments, refunds, shipping fees,
transitions, cancelling, printing, and one seller's staff never reaching another's orders."""

from urllib.parse import parse_qs, urlparse

import pytest
from django.urls import reverse

from binakarya.orders.models import Order, OrderEvent, Payment
from binakarya.orders.services import Address, order_expire
from binakarya.organizations.models import Role
from tests.backoffice.helpers import text
from tests.backoffice.order_helpers import make_seller, staff_of, web_order, web_order_with_proof

pytestmark = pytest.mark.django_db

JAKARTA = Address(
    province="Papua Pegunungan",
    regency="Jayawijaya",
    district="Wamena",
    address="Jl. Yos Sudarso 1",
    postal_code="99511",
)


@pytest.fixture
def seller():
    return make_seller(name="Rutan Sumenep")


@pytest.fixture
def other():
    return make_seller(name="Rutan Purbalingga", price=85_000)


@pytest.fixture
def staff(seller):
    return staff_of(seller["org"], username="ani")


@pytest.fixture
def desk(client, staff):
    client.force_login(staff)
    return client


def detail_url(order):
    return reverse("backoffice:order_detail", args=[order.number])


# The desk ---------------------------------------------------------------------------------------------


def test_the_desk_counts_what_needs_action_and_filters_by_it(desk, seller):
    proof_order, _payment = web_order_with_proof(seller)
    quiet = web_order(seller, name="Budi Diam")

    response = desk.get(reverse("backoffice:orders"))
    page = response.content.decode()
    assert response.status_code == 200
    assert proof_order.number in page and quiet.number in page
    assert 'data-testid="needs-proof"' in page

    response = desk.get(reverse("backoffice:orders"), {"perlu": "proof"})
    page = response.content.decode()
    assert proof_order.number in page
    assert quiet.number not in page


def test_the_desk_searches_by_buyer_phone_and_number(desk, seller):
    one = web_order(seller, name="Sari Pembeli")
    assert one.number in desk.get(reverse("backoffice:orders"), {"q": "Sari"}).content.decode()
    assert one.number not in desk.get(reverse("backoffice:orders"), {"q": "Nobody"}).content.decode()
    assert one.number in desk.get(reverse("backoffice:orders"), {"q": "0812 3456"}).content.decode()
    assert one.number in desk.get(reverse("backoffice:orders"), {"q": one.number.lower()}).content.decode()


def test_a_user_who_does_not_handle_orders_gets_a_403(client, seller):
    instructor = staff_of(seller["org"], username="guru", role=Role.INSTRUCTOR)
    order = web_order(seller)
    client.force_login(instructor)
    assert client.get(reverse("backoffice:orders")).status_code == 403
    assert client.get(reverse("backoffice:order_entry")).status_code == 403
    assert client.get(reverse("backoffice:shop_settings")).status_code == 403
    response = client.post(reverse("backoffice:order_payment_record", args=[order.number]), {"pay-amount_idr": "x"})
    assert response.status_code == 403
    assert not Payment.objects.exists()


# One order --------------------------------------------------------------------------------------------


def test_the_order_page_shows_the_buyer_lines_and_a_whatsapp_link_in_a_new_tab(desk, seller):
    order = web_order(seller)
    page = desk.get(detail_url(order)).content.decode()
    assert "Sari Pembeli" in page
    assert seller["variant"].sku in page
    assert 'href="https://wa.me/6281234567890?text=' in page
    assert 'target="_blank"' in page


def test_the_whatsapp_link_carries_the_status_message(desk, seller):
    order = web_order(seller)
    response = desk.get(detail_url(order))
    link = next(a for a in response.content.decode().split('href="')[1:] if a.startswith("https://wa.me/"))
    message = parse_qs(urlparse(link.split('"')[0].replace("&amp;", "&")).query)["text"][0]
    assert order.number in message


def test_staff_confirm_a_proof_and_the_order_is_paid(desk, seller):
    order, payment = web_order_with_proof(seller)
    response = desk.post(reverse("backoffice:order_payment_confirm", args=[order.number, payment.pk]), {})
    assert response.status_code == 302
    order.refresh_from_db()
    payment.refresh_from_db()
    assert payment.status == Payment.Status.CONFIRMED
    assert order.status == Order.Status.PAID and order.sale_id is not None


def test_staff_confirm_the_amount_that_actually_arrived(desk, seller):
    order, payment = web_order_with_proof(seller)
    desk.post(
        reverse("backoffice:order_payment_confirm", args=[order.number, payment.pk]), {"confirm-amount_idr": "Rp50.000"}
    )
    order.refresh_from_db()
    assert order.paid_idr == 50_000
    assert order.status == Order.Status.AWAITING_PAYMENT


def test_rejecting_a_proof_needs_a_reason_which_the_buyer_then_reads(desk, seller):
    order, payment = web_order_with_proof(seller)
    url = reverse("backoffice:order_payment_reject", args=[order.number, payment.pk])

    response = desk.post(url, {"reject-reason": "  "})
    assert response.status_code == 400
    assert text("Tell the buyer why.") in response.content.decode()
    payment.refresh_from_db()
    assert payment.status == Payment.Status.SUBMITTED

    desk.post(url, {"reject-reason": "Nominal tidak sesuai"})
    payment.refresh_from_db()
    assert payment.status == Payment.Status.REJECTED
    event = OrderEvent.objects.filter(order=order, kind=OrderEvent.Kind.PAYMENT_REJECTED).get()
    assert not event.internal and event.params["reason"] == "Nominal tidak sesuai"


def test_partial_payments_add_up_to_paid(desk, seller):
    order = web_order(seller)
    url = reverse("backoffice:order_payment_record", args=[order.number])
    half = order.total_idr // 2
    desk.post(url, {"pay-amount_idr": str(half), "pay-method": "TRANSFER"})
    order.refresh_from_db()
    assert order.status == Order.Status.AWAITING_PAYMENT
    desk.post(url, {"pay-amount_idr": str(order.total_idr - half), "pay-method": "CASH"})
    order.refresh_from_db()
    assert order.paid_idr == order.total_idr
    assert order.status == Order.Status.PAID


def test_a_bad_amount_is_a_message_next_to_its_field(desk, seller):
    order = web_order(seller)
    response = desk.post(
        reverse("backoffice:order_payment_record", args=[order.number]),
        {"pay-amount_idr": "12,5", "pay-method": "TRANSFER"},
    )
    assert response.status_code == 400
    assert 'data-testid="error-summary"' in response.content.decode()
    assert not Payment.objects.exists()


def test_a_refund_is_capped_at_what_may_be_refunded(desk, seller):
    order = web_order(seller)
    desk.post(
        reverse("backoffice:order_payment_record", args=[order.number]),
        {"pay-amount_idr": "10.000", "pay-method": "TRANSFER"},
    )
    desk.post(reverse("backoffice:order_cancel", args=[order.number]), {"cancel-reason": "Pembeli batal"})
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED and order.needs_refund

    too_much = desk.post(
        reverse("backoffice:order_refund", args=[order.number]),
        {"refund-amount_idr": "20.000", "refund-method": "TRANSFER"},
    )
    assert too_much.status_code == 400
    desk.post(
        reverse("backoffice:order_refund", args=[order.number]),
        {"refund-amount_idr": "10.000", "refund-method": "TRANSFER"},
    )
    order.refresh_from_db()
    assert order.refunded_idr == 10_000 and not order.needs_refund
    assert order.payment_state == Order.PaymentState.REFUNDED


def test_a_late_payment_is_flagged_on_the_desk(desk, seller):
    order = web_order(seller)
    order_expire(order=order, now=order.expires_at)
    desk.post(
        reverse("backoffice:order_payment_record", args=[order.number]),
        {"pay-amount_idr": str(order.total_idr), "pay-method": "TRANSFER"},
    )
    order.refresh_from_db()
    assert order.payment_state == Order.PaymentState.LATE_PAID
    # Stock was still there: reserved again and paid.
    assert order.status == Order.Status.PAID
    page = desk.get(detail_url(order)).content.decode()
    assert text("Paid after expiry") in page


def test_a_late_payment_without_stock_is_listed_under_late_payments(desk, seller):
    order = web_order(seller, quantity=10)
    order_expire(order=order, now=order.expires_at)
    web_order(seller, quantity=10, name="Orang Lain")  # takes the ten units meanwhile
    desk.post(
        reverse("backoffice:order_payment_record", args=[order.number]),
        {"pay-amount_idr": str(order.total_idr), "pay-method": "TRANSFER"},
    )
    order.refresh_from_db()
    assert order.needs_refund
    page = desk.get(reverse("backoffice:orders"), {"perlu": "late"}).content.decode()
    assert order.number in page


def test_staff_set_the_fee_of_a_delivery_no_rate_covers(desk, seller):
    order = web_order(seller, fulfillment="DELIVERY", address=JAKARTA)
    assert order.shipping_pending
    assert order.number in desk.get(reverse("backoffice:orders"), {"perlu": "shipping"}).content.decode()
    desk.post(
        reverse("backoffice:order_shipping_fee", args=[order.number]),
        {"ship-fee_idr": "Rp75.000", "ship-courier": "JNE"},
    )
    order.refresh_from_db()
    assert order.shipping_idr == 75_000 and order.courier == "JNE"


def test_shipping_needs_a_courier_and_a_resi(desk, seller):
    staff = desk
    # a delivery with its fee set, paid
    order2 = web_order(seller, fulfillment="DELIVERY", address=JAKARTA, name="Kirim Saja")
    url_fee = reverse("backoffice:order_shipping_fee", args=[order2.number])
    staff.post(url_fee, {"ship-fee_idr": "20.000"})
    order2.refresh_from_db()
    staff.post(
        reverse("backoffice:order_payment_record", args=[order2.number]),
        {"pay-amount_idr": str(order2.total_idr), "pay-method": "TRANSFER"},
    )
    transition = reverse("backoffice:order_transition", args=[order2.number])
    staff.post(transition, {"to": "PACKED"})
    refused = staff.post(transition, {"to": "SHIPPED", "courier": "JNE", "resi": ""})
    assert refused.status_code == 400
    assert text("Enter the tracking number (resi).") in refused.content.decode()
    staff.post(transition, {"to": "SHIPPED", "courier": "JNE", "resi": "JNE123"})
    order2.refresh_from_db()
    assert order2.status == Order.Status.SHIPPED and order2.resi == "JNE123"


def test_a_pickup_goes_ready_then_completed(desk, seller):
    order = web_order(seller)
    desk.post(
        reverse("backoffice:order_payment_record", args=[order.number]),
        {"pay-amount_idr": str(order.total_idr), "pay-method": "CASH"},
    )
    transition = reverse("backoffice:order_transition", args=[order.number])
    desk.post(transition, {"to": "READY_FOR_PICKUP"})
    desk.post(transition, {"to": "COMPLETED"})
    order.refresh_from_db()
    assert order.status == Order.Status.COMPLETED
    statuses = list(
        OrderEvent.objects.filter(order=order, kind=OrderEvent.Kind.STATUS).values_list("status", flat=True)
    )
    assert statuses == ["PAID", "READY_FOR_PICKUP", "COMPLETED"]


def test_a_move_that_is_not_allowed_is_refused_with_a_message(desk, seller):
    order = web_order(seller)
    response = desk.post(reverse("backoffice:order_transition", args=[order.number]), {"to": "SHIPPED"})
    assert response.status_code == 400
    order.refresh_from_db()
    assert order.status == Order.Status.AWAITING_PAYMENT


def test_the_proof_is_served_to_the_sellers_staff_only(client, desk, seller, other):
    order, payment = web_order_with_proof(seller)
    url = reverse("backoffice:order_payment_proof", args=[order.number, payment.pk])
    response = desk.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content)[:4] == b"RIFF"  # re-encoded as WebP

    page = desk.get(detail_url(order)).content.decode()
    assert url in page
    assert payment.proof.name not in page  # never a file address: proofs have none (core/storage.py)


# Tenant isolation ---------------------------------------------------------------------------------------


def test_another_sellers_staff_get_404_and_cannot_act(client, seller, other):
    order, payment = web_order_with_proof(seller)
    outsider = staff_of(other["org"], username="budi")
    client.force_login(outsider)
    assert client.get(detail_url(order)).status_code == 404
    assert client.get(reverse("backoffice:order_payment_proof", args=[order.number, payment.pk])).status_code == 404
    assert client.post(reverse("backoffice:order_payment_confirm", args=[order.number, payment.pk])).status_code == 404
    assert client.post(reverse("backoffice:order_transition", args=[order.number]), {"to": "PACKED"}).status_code == 404
    assert client.post(reverse("backoffice:order_document", args=[order.number, "faktur"])).status_code == 404
    listed = client.get(reverse("backoffice:orders"), {"q": order.number}).content.decode()
    assert 'data-testid="orders"' not in listed
    payment.refresh_from_db()
    assert payment.status == Payment.Status.SUBMITTED


def test_a_proof_of_another_order_is_a_404_even_for_the_seller(desk, seller):
    order, payment = web_order_with_proof(seller)
    second = web_order(seller, name="Kedua")
    assert desk.get(reverse("backoffice:order_payment_proof", args=[second.number, payment.pk])).status_code == 404
    assert order.pk


# Printing -----------------------------------------------------------------------------------------------


def test_the_invoice_prints_once_and_again_with_the_same_number(desk, seller):
    order = web_order(seller)
    url = reverse("backoffice:order_document", args=[order.number, "faktur"])
    first = desk.post(url)
    assert first.status_code == 200 and first["Content-Type"] == "application/pdf"
    order.refresh_from_db()
    number = order.invoice_document.number
    assert number.startswith("INV-")
    desk.post(url)
    order.refresh_from_db()
    assert order.invoice_document.number == number


def test_a_kuitansi_waits_for_full_payment(desk, seller):
    order = web_order(seller)
    url = reverse("backoffice:order_document", args=[order.number, "kuitansi"])
    response = desk.post(url)
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.receipt_document is None
    desk.post(
        reverse("backoffice:order_payment_record", args=[order.number]),
        {"pay-amount_idr": str(order.total_idr), "pay-method": "CASH"},
    )
    response = desk.post(url)
    assert response["Content-Type"] == "application/pdf"
    order.refresh_from_db()
    assert order.receipt_document.number.startswith("KWT-")
