"""A WhatsApp order entered by staff: the buyer's phone, the items by SKU, pickup or delivery."""

import pytest
from django.urls import reverse

from binakarya.orders.models import Order
from binakarya.organizations.models import Role
from tests.backoffice.helpers import text
from tests.backoffice.order_helpers import make_seller, staff_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def seller():
    return make_seller(name="Rutan Sumenep", units=5)


@pytest.fixture
def staff_client(client, seller):
    client.force_login(staff_of(seller["org"], username="ani"))
    return client


def entry(seller, **overrides):
    data = {
        "organization": seller["org"].pk,
        "buyer_name": "Bu Rina",
        "buyer_phone": "0813-1111-2222",
        "fulfillment": "PICKUP",
        "baris-TOTAL_FORMS": "3",
        "baris-INITIAL_FORMS": "0",
        "baris-MIN_NUM_FORMS": "0",
        "baris-MAX_NUM_FORMS": "50",
        "baris-0-sku": seller["variant"].sku.lower(),
        "baris-0-quantity": "2",
        "baris-1-sku": "",
        "baris-1-quantity": "",
        "baris-2-sku": "",
        "baris-2-quantity": "",
    }
    data.update(overrides)
    return data


def test_the_entry_page_offers_the_sellers_skus(staff_client, seller):
    page = staff_client.get(reverse("backoffice:order_entry")).content.decode()
    assert 'list="order-skus"' in page
    assert f'<option value="{seller["variant"].sku}"' in page
    assert "novalidate" in page


def test_a_whatsapp_order_becomes_a_normal_order_with_its_link_to_send(staff_client, seller):
    response = staff_client.post(reverse("backoffice:order_entry"), entry(seller))
    order = Order.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("backoffice:order_detail", args=[order.number]) + "?baru=1"
    assert order.channel == Order.Channel.WHATSAPP
    assert order.buyer_phone == "+6281311112222"
    assert order.lines.get().quantity == 2
    page = staff_client.get(response["Location"]).content.decode()
    assert text("Send the buyer the link by WhatsApp") in page
    assert 'href="https://wa.me/6281311112222?text=' in page


def test_short_stock_is_shown_next_to_the_line_and_nothing_is_saved(staff_client, seller):
    response = staff_client.post(reverse("backoffice:order_entry"), entry(seller, **{"baris-0-quantity": "9"}))
    assert response.status_code == 400
    page = response.content.decode()
    assert 'data-testid="line-0"' in page
    assert "has-error" in page.split('data-testid="line-0"')[1].split('data-testid="line-1"')[0]
    assert not Order.objects.exists()


def test_an_unknown_sku_and_a_bad_phone_are_refused_with_messages(staff_client, seller):
    response = staff_client.post(
        reverse("backoffice:order_entry"), entry(seller, **{"baris-0-sku": "NOPE-1", "buyer_phone": "12ab"})
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "NOPE-1" in page
    assert not Order.objects.exists()


def test_no_items_is_refused(staff_client, seller):
    response = staff_client.post(
        reverse("backoffice:order_entry"), entry(seller, **{"baris-0-sku": "", "baris-0-quantity": ""})
    )
    assert response.status_code == 400
    assert text("The cart is empty.") in response.content.decode()


def test_a_delivery_needs_its_address(staff_client, seller):
    response = staff_client.post(reverse("backoffice:order_entry"), entry(seller, fulfillment="DELIVERY"))
    assert response.status_code == 400
    assert text("Enter the province.") in response.content.decode()
    assert not Order.objects.exists()


def test_more_rows_keeps_what_was_typed_without_javascript(staff_client, seller):
    response = staff_client.post(reverse("backoffice:order_entry"), entry(seller, _more="1"))
    assert response.status_code == 200
    page = response.content.decode()
    assert f'value="{seller["variant"].sku.lower()}"' in page
    assert 'name="baris-5-sku"' in page
    assert not Order.objects.exists()


def test_another_sellers_organization_cannot_be_chosen(client, seller):
    other = make_seller(name="Rutan Purbalingga")
    client.force_login(staff_of(other["org"], username="budi"))
    response = client.post(reverse("backoffice:order_entry"), entry(seller))
    assert response.status_code == 400
    assert not Order.objects.exists()


def test_a_user_without_an_order_role_gets_a_403(client, seller):
    client.force_login(staff_of(seller["org"], username="guru", role=Role.INSTRUCTOR))
    assert client.post(reverse("backoffice:order_entry"), entry(seller)).status_code == 403
    assert not Order.objects.exists()
