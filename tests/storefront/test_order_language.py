"""orders_place keeps the buyer's language (the domain fix of issue 11): their emails are written in it."""

import pytest
from django.core import mail

from binakarya.orders.models import Order
from binakarya.orders.notifications import order_email_send
from binakarya.orders.services import Buyer, CartLine, orders_place
from tests.orders.conftest import make_seller

pytestmark = pytest.mark.django_db


def place(language: str | None = None) -> Order:
    seller = make_seller(name="Rutan Sumenep")
    extra = {} if language is None else {"language": language}
    (order,) = orders_place(
        lines=[CartLine(seller["variant"].sku, 1)],
        buyer=Buyer("Budi", "0812 3456 7890", "budi@example.com"),
        fulfillment="PICKUP",
        **extra,
    )
    return order


def test_an_english_buyer_gets_english_emails(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    order = place("en")
    order_email_send.call(order.pk, "placed")

    assert Order.objects.get(pk=order.pk).language == "en"
    assert "Thank you for your order" in mail.outbox[-1].body
    assert "/en/pesanan/" in mail.outbox[-1].body


@pytest.mark.parametrize("language", [None, "", "fr"])
def test_without_a_known_language_the_order_is_in_indonesian(language):
    assert place(language).language == "id"
