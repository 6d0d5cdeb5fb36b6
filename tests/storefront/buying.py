"""Shared helpers of the buying tests (cart, checkout, tracking): sellers, a filled cart, a checkout."""

import io
import re

from django.urls import reverse
from PIL import Image

from tests.orders.conftest import make_seller

DELIVERY = {
    "name": "Budi Santoso",
    "phone": "0812 3456 7890",
    "email": "budi@example.com",
    "fulfillment": "DELIVERY",
    "province": "Jawa Timur",
    "regency": "Kabupaten Sumenep",
    "district": "Kota Sumenep",
    "address": "Jl. Trunojoyo 12",
    "postal_code": "69411",
    "note": "",
}


def two_sellers(**kwargs):
    """Two facility groups selling one product each (150.000 and 85.000), with makers whose names must not leak."""
    return make_seller(name="Rutan Sumenep", **kwargs), make_seller(name="Rutan Purbalingga", price=85_000)


def add(client, sku: str, quantity: int = 1, **headers):
    return client.post(reverse("storefront:cart_add"), {"sku": sku, "quantity": quantity}, headers=headers)


def checkout_key(client) -> str:
    """The idempotency key the checkout form carries."""
    html = client.get(reverse("storefront:checkout")).content.decode()
    return re.search(r'name="idempotency_key" value="([^"]+)"', html).group(1)


def checkout(client, key: str | None = None, **fields):
    data = DELIVERY | fields | {"idempotency_key": key or checkout_key(client)}
    return client.post(reverse("storefront:checkout"), data)


def image_bytes(kind: str = "JPEG") -> bytes:
    out = io.BytesIO()
    Image.linear_gradient("L").resize((300, 200)).convert("RGB").save(out, format=kind)
    return out.getvalue()


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def makers_private(*sellers) -> list[str]:
    """Every maker's name and registration number of the sellers' groups."""
    return [
        text
        for seller in sellers
        for maker in seller["members"]
        for text in (maker.full_name, maker.registration_number)
        if text
    ]
