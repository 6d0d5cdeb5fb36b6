"""Paying an order: proofs, confirmation, partial payments, the sale it records, refunds, the ledger."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from binakarya.inventory.models import Reservation
from binakarya.ledger.models import JournalEntry
from binakarya.ledger.selectors import maker_premi_owed
from binakarya.orders.models import Order, OrderEvent, Payment
from binakarya.orders.selectors import order_timeline
from binakarya.orders.services import (
    order_refund,
    payment_confirm,
    payment_proof_submit,
    payment_record,
    payment_reject,
    refundable_idr,
    shipping_fee_set,
)
from binakarya.sales.models import Sale
from tests.factories import small_jpeg
from tests.orders.helpers import balances, place, staff_of


@pytest.fixture
def staff(seller):
    return staff_of(seller["org"], role="FINANCE_OFFICER")


def test_a_confirmed_proof_of_the_whole_total_records_the_sale_and_its_premi(seller, staff):
    (order,) = place((seller["variant"], 2))
    proof = payment_proof_submit(order=order, method="TRANSFER", amount_idr=order.total_idr, proof=small_jpeg())
    assert proof.status == Payment.Status.SUBMITTED and proof.proof.name.endswith(".webp")
    owed_before = [maker_premi_owed(maker=m) for m in seller["members"]]

    payment_confirm(actor=staff, payment=proof)

    order.refresh_from_db()
    assert (order.status, order.payment_state, order.paid_idr) == ("PAID", "PAID", order.total_idr)
    sale = Sale.objects.get(order=order)
    assert (sale.channel, sale.gross_idr, sale.location) == ("WEB", 300_000, seller["showroom"])
    assert [maker_premi_owed(maker=m) for m in seller["members"]] > owed_before
    # the reservation became the sale: the public figure stays at what is left
    assert Reservation.objects.get(variant=seller["variant"]).status == "CONSUMED"
    seller["variant"].refresh_from_db()
    assert seller["variant"].stock_quantity == 8
    # the money is in the bank, nothing is left held for the buyer, the unique code went to PNBP
    books = balances(seller["org"])
    assert books["BANK"] == order.total_idr
    assert books.get("BUYER_DEPOSITS", 0) == 0 and books.get("CASH", 0) == 0
    for entry in JournalEntry.objects.filter(organization=seller["org"]):
        assert sum(entry.lines.values_list("amount_idr", flat=True)) == 0


def test_partial_payments_add_up_before_the_order_counts_as_paid(seller, staff):
    (order,) = place((seller["variant"], 1))
    payment_record(actor=staff, order=order, amount_idr=100_000, method="TRANSFER")
    order.refresh_from_db()
    assert (order.status, order.paid_idr, order.balance_idr) == ("AWAITING_PAYMENT", 100_000, order.total_idr - 100_000)
    assert not Sale.objects.exists()
    assert balances(seller["org"])["BUYER_DEPOSITS"] == -100_000

    payment_record(actor=staff, order=order, amount_idr=order.total_idr - 100_000, method="QRIS")
    order.refresh_from_db()
    assert order.status == "PAID" and order.sale_id


def test_a_rejected_proof_tells_the_buyer_why(seller, staff):
    (order,) = place((seller["variant"], 1))
    proof = payment_proof_submit(order=order, method="QRIS", amount_idr=order.total_idr, proof=small_jpeg())
    with pytest.raises(ValidationError):
        payment_reject(actor=staff, payment=proof, reason="  ")

    payment_reject(actor=staff, payment=proof, reason="Nominal tidak sesuai")

    order.refresh_from_db()
    assert order.status == "AWAITING_PAYMENT" and order.paid_idr == 0
    steps = order_timeline(order=order)
    assert steps[-1].title == "Payment not accepted" and "Nominal tidak sesuai" in steps[-1].detail
    with pytest.raises(ValidationError):
        payment_confirm(actor=staff, payment=proof)


def test_a_pdf_proof_is_kept_and_a_fake_file_is_refused(seller):
    (order,) = place((seller["variant"], 1))
    pdf = SimpleUploadedFile("bukti.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "application/pdf")
    payment = payment_proof_submit(order=order, method="TRANSFER", amount_idr=1000, proof=pdf)
    assert payment.proof.name.endswith(".pdf")

    fake = SimpleUploadedFile("bukti.jpg", b"<?php echo 1; ?>", "image/jpeg")
    with pytest.raises(ValidationError) as caught:
        payment_proof_submit(order=order, method="TRANSFER", amount_idr=1000, proof=fake)
    assert caught.value.error_dict["proof"][0].code == "not_proof"
    assert Payment.objects.filter(order=order).count() == 1


def test_a_fee_to_confirm_blocks_payment_until_staff_set_it(seller, staff):
    (order,) = place((seller["variant"], 1), fulfillment="DELIVERY")
    payment_record(actor=staff, order=order, amount_idr=order.total_idr, method="TRANSFER")
    order.refresh_from_db()
    assert order.status == "AWAITING_PAYMENT"  # the total is not known yet

    shipping_fee_set(actor=staff, order=order, fee_idr=18_000, courier="JNE")
    order.refresh_from_db()
    assert order.shipping_idr == 18_000
    assert order.status == "AWAITING_PAYMENT" and order.balance_idr == 18_000
    assert any(s.title == "Shipping fee set" for s in order_timeline(order=order))

    payment_record(actor=staff, order=order, amount_idr=18_000, method="TRANSFER")
    order.refresh_from_db()
    assert order.status == "PAID"
    assert balances(seller["org"])["SHIPPING_PAYABLE"] == -18_000


def test_an_overpayment_is_flagged_and_refunded_out_of_what_is_held(seller, staff):
    (order,) = place((seller["variant"], 1))
    payment_record(actor=staff, order=order, amount_idr=order.total_idr + 5_000, method="TRANSFER")
    order.refresh_from_db()
    assert order.status == "PAID" and order.needs_refund
    assert refundable_idr(order) == 5_000
    with pytest.raises(ValidationError):
        order_refund(actor=staff, order=order, amount_idr=5_001, method="TRANSFER")

    order_refund(actor=staff, order=order, amount_idr=5_000, method="TRANSFER", reason="Kelebihan bayar")

    order.refresh_from_db()
    assert not order.needs_refund and order.refunded_idr == 5_000
    books = balances(seller["org"])
    assert books["BANK"] == order.total_idr and books.get("BUYER_DEPOSITS", 0) == 0
    assert JournalEntry.objects.filter(kind="ORDER_REFUND").count() == 1


def test_staff_of_another_organization_cannot_touch_the_money(seller, other_seller):
    (order,) = place((seller["variant"], 1))
    proof = payment_proof_submit(order=order, method="TRANSFER", amount_idr=order.total_idr, proof=small_jpeg())
    outsider = staff_of(other_seller["org"])
    with pytest.raises(PermissionDenied):
        payment_confirm(actor=outsider, payment=proof)
    with pytest.raises(PermissionDenied):
        payment_record(actor=outsider, order=order, amount_idr=1000, method="CASH")
    order.refresh_from_db()
    assert order.paid_idr == 0


def test_a_viewer_may_not_confirm(seller):
    viewer = staff_of(seller["org"], role="AUDITOR")
    (order,) = place((seller["variant"], 1))
    with pytest.raises(PermissionDenied):
        payment_record(actor=viewer, order=order, amount_idr=1000, method="CASH")


def test_every_step_is_on_the_timeline(seller, staff):
    (order,) = place((seller["variant"], 1))
    proof = payment_proof_submit(order=order, method="TRANSFER", amount_idr=order.total_idr, proof=small_jpeg())
    payment_confirm(actor=staff, payment=proof)
    kinds = list(OrderEvent.objects.filter(order=order).values_list("kind", flat=True))
    assert kinds == ["PLACED", "PROOF", "PAYMENT", "STATUS"]
    assert Order.objects.get(pk=order.pk).events.last().status == "PAID"


def test_a_proof_is_kept_out_of_the_public_media(seller, settings, client):
    from pathlib import Path

    (order,) = place((seller["variant"], 1))
    payment = payment_proof_submit(order=order, method="TRANSFER", amount_idr=1000, proof=small_jpeg())

    private = Path(settings.PRIVATE_MEDIA_ROOT) / payment.proof.name
    assert private.is_file()
    assert not (Path(settings.MEDIA_ROOT) / payment.proof.name).exists()
    assert client.get(f"/media/{payment.proof.name}").status_code == 404
    with pytest.raises(ValueError):
        payment.proof.url  # noqa: B018 - the property itself refuses
