"""Shared set-up of the order desk tests: a seller (tests/orders/conftest.py's make_seller), its staff, orders."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from binakarya.orders.services import Address, Buyer, CartLine, orders_place, payment_proof_submit
from binakarya.organizations.models import Role
from tests.factories import MembershipFactory, UserFactory
from tests.orders.conftest import make_seller

__all__ = ["make_seller"]


def staff_of(org, *, username: str, role: str = Role.FACILITY_ADMIN, **extra):
    user = UserFactory(username=username, **extra)
    MembershipFactory(user=user, organization=org, role=role)
    return user


def png_upload(name: str = "bukti.png") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (40, 40), (200, 120, 40)).save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def web_order(
    seller, *, quantity: int = 1, fulfillment: str = "PICKUP", address: Address | None = None, name="Sari Pembeli"
):
    (order,) = orders_place(
        lines=[CartLine(sku=seller["variant"].sku, quantity=quantity)],
        buyer=Buyer(name=name, phone="0812 3456 7890"),
        fulfillment=fulfillment,
        address=address,
    )
    return order


def web_order_with_proof(seller, **kwargs):
    order = web_order(seller, **kwargs)
    payment = payment_proof_submit(order=order, method="TRANSFER", amount_idr=order.due_now_idr, proof=png_upload())
    return order, payment
