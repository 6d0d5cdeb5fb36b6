"""The buyer's order page /pesanan/<token>/: status, timeline, how to pay, the proof, the resi; never a maker."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from binakarya.orders.models import Order, Payment
from binakarya.orders.services import (
    Address,
    Buyer,
    CartLine,
    order_transition,
    orders_place,
    payment_confirm,
    payment_reject,
    shipping_fee_set,
)
from binakarya.organizations.models import Role
from tests.factories import MembershipFactory
from tests.orders.conftest import make_seller
from tests.storefront.buying import PDF, image_bytes, makers_private

pytestmark = pytest.mark.django_db


@pytest.fixture
def seller():
    return make_seller(name="Rutan Sumenep")


@pytest.fixture
def staff(seller):
    return MembershipFactory(organization=seller["org"], role=Role.FACILITY_ADMIN).user


def place(seller, fulfillment="PICKUP", quantity=2) -> Order:
    (order,) = orders_place(
        lines=[CartLine(seller["variant"].sku, quantity)],
        buyer=Buyer("Budi Santoso", "0812 3456 7890"),
        fulfillment=fulfillment,
        address=Address("Jawa Timur", "Kabupaten Sumenep", "Kota", "Jl. Trunojoyo 12", "69411"),
    )
    return order


def track(client, order, prefix=""):
    return client.get(prefix + reverse("storefront:order_track", args=[order.token]))


def proof(client, order, name="bukti.jpg", content=None, content_type="image/jpeg", amount=None, method="TRANSFER"):
    upload = SimpleUploadedFile(name, image_bytes() if content is None else content, content_type=content_type)
    amount = amount if amount is not None else f"Rp{order.total_idr:,}".replace(",", ".")
    return client.post(
        reverse("storefront:order_proof", args=[order.token]),
        {"method": method, "amount_idr": amount, "proof": upload},
    )


def test_the_page_shows_status_timeline_instructions_and_the_proof_form(client, seller):
    order = place(seller)

    response = track(client, order)

    html = response.content.decode()
    assert response.status_code == 200
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert {"private", "no-store"} <= {d.strip() for d in response["Cache-Control"].split(",")}
    assert 'data-testid="status">Menunggu pembayaran<' in html
    assert "Pesanan dibuat" in html
    assert "0123456789" in html and "BLU Rutan Sumenep" in html
    due = f"Rp{order.total_idr:,}".replace(",", ".")
    assert f'data-testid="amount-due">{due}<' in html
    assert "Jl. Raya 1" in html  # the pickup address
    form = re.search(r'<form[^>]*data-testid="proof-form"[^>]*>', html).group(0)
    assert "novalidate" in form and 'enctype="multipart/form-data"' in form
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'data-testid="cancel"' in html


@pytest.mark.parametrize("token", ["tidak-ada", "x" * 80])
def test_an_unknown_token_is_a_404_page(client, token):
    response = client.get(f"/pesanan/{token}/")

    assert response.status_code == 404
    assert "404.html" in [t.name for t in response.templates]


def test_the_english_page_keeps_the_token(client, seller):
    order = place(seller)

    indonesian = track(client, order).content.decode()
    english = track(client, order, prefix="/en").content.decode()

    assert response_ok(english) and "Awaiting payment" in english
    assert f'href="/en/pesanan/{order.token}/"' in indonesian
    assert f'href="/pesanan/{order.token}/"' in english


def response_ok(html: str) -> bool:
    return "<html" in html


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("bukti.jpg", None, "image/jpeg"),
        ("bukti.png", image_bytes("PNG"), "image/png"),
        ("bukti.pdf", PDF, "application/pdf"),
    ],
)
def test_a_photo_or_a_pdf_is_accepted_as_proof(client, seller, name, content, content_type):
    order = place(seller)

    response = proof(client, order, name=name, content=content, content_type=content_type)

    assert response.status_code == 302 and response["Location"] == reverse("storefront:order_track", args=[order.token])
    payment = Payment.objects.get(order=order)
    assert (payment.status, payment.amount_idr, payment.method) == ("SUBMITTED", order.total_idr, "TRANSFER")
    html = client.get(response["Location"]).content.decode()
    assert "bukti pembayaran Anda sudah terkirim" in html
    assert 'data-testid="proof-waiting"' in html


def test_a_fake_file_is_refused_with_a_clear_message_and_nothing_is_saved(client, seller):
    order = place(seller)

    response = proof(client, order, name="bukti.jpg", content=b"MZ\x90\x00 not a photo", content_type="image/jpeg")

    assert response.status_code == 400
    assert "Unggah foto (JPEG, PNG, WebP) atau PDF bukti transfer." in response.content.decode()
    assert not Payment.objects.exists()


def test_a_damaged_pdf_and_a_bad_amount_are_refused(client, seller):
    order = place(seller)

    damaged = proof(client, order, name="bukti.pdf", content=b"%PDF-1.4 cut", content_type="application/pdf")
    commas = proof(client, order, amount="1,250,000")
    missing = client.post(reverse("storefront:order_proof", args=[order.token]), {"method": "QRIS"})

    assert damaged.status_code == commas.status_code == missing.status_code == 400
    assert "PDF ini rusak atau tidak lengkap." in damaged.content.decode()
    assert "1,250,000" in commas.content.decode() and 'id="id_amount_idr_error"' in commas.content.decode()
    assert "Pilih foto atau PDF bukti bayar Anda." in missing.content.decode()
    assert not Payment.objects.exists()


def test_a_rejected_proof_shows_its_reason(client, seller, staff):
    order = place(seller)
    proof(client, order)

    payment_reject(actor=staff, payment=Payment.objects.get(), reason="Nominal tidak sesuai")
    html = track(client, order).content.decode()

    assert 'data-testid="proof-rejected"' in html
    assert "Alasan: Nominal tidak sesuai" in html
    assert 'data-testid="proof-form"' in html  # a new proof may be sent


def test_a_shipped_order_shows_the_courier_and_resi_and_no_more_payment(client, seller, staff):
    order = place(seller, fulfillment="DELIVERY")
    shipping_fee_set(actor=staff, order=order, fee_idr=20_000, courier="JNE")
    order.refresh_from_db()
    proof(client, order)
    payment_confirm(actor=staff, payment=Payment.objects.get())
    order_transition(actor=staff, order=order, to=Order.Status.PACKED)
    order_transition(actor=staff, order=order, to=Order.Status.SHIPPED, courier="JNE", resi="JN0012345")

    html = track(client, order).content.decode()

    assert 'data-testid="status">Dikirim<' in html
    assert "Dikirim dengan JNE, nomor resi JN0012345." in html
    assert "Pembayaran dikonfirmasi" in html and "Ongkir Rp20.000." in html
    assert 'data-testid="proof-form"' not in html and 'data-testid="pay"' not in html
    assert 'data-testid="cancel"' not in html


def test_a_fee_to_confirm_takes_no_proof_until_staff_set_it(client, seller, staff):
    order = place(seller, fulfillment="DELIVERY")

    before = track(client, order).content.decode()
    refused = proof(client, order)
    shipping_fee_set(actor=staff, order=order, fee_idr=25_000)
    after = track(client, order).content.decode()

    assert "Ongkir dikonfirmasi penjual" in before and 'data-testid="proof-form"' not in before
    assert refused.status_code == 302 and not Payment.objects.exists()
    order.refresh_from_db()
    due = f"Rp{order.total_idr:,}".replace(",", ".")
    assert f'data-testid="amount-due">{due}<' in after and 'data-testid="proof-form"' in after


def test_the_buyer_may_cancel_while_awaiting_payment(client, seller):
    order = place(seller)

    response = client.post(reverse("storefront:order_cancel", args=[order.token]), follow=True)
    again = client.post(reverse("storefront:order_cancel", args=[order.token]), follow=True)

    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED
    assert "Pesanan Anda sudah dibatalkan." in response.content.decode()
    assert again.status_code == 200 and "tidak bisa dibatalkan lagi" in again.content.decode()
    assert 'data-testid="proof-form"' not in again.content.decode()


def test_the_tracking_page_never_names_a_maker(client, seller):
    order = place(seller, fulfillment="DELIVERY")
    proof_page = proof(client, order, content=b"bad", name="x.jpg").content.decode()

    html = track(client, order).content.decode()

    for private in makers_private(seller):
        assert private not in html
        assert private not in proof_page
