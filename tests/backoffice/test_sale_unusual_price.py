"""The sale form asks for a confirmation and a reason when a line's price is far from the catalog price.

The shop's batik costs Rp450.000; ``15.000`` is Rp15.000 now, but still a thirtieth of it: the line shows the
service's message, a "this price is intended" checkbox and a reason field; sent again with both, it is sold.
"""

import pytest
from django.urls import reverse

from binakarya.core.models import AuditEvent
from binakarya.organizations.models import Role
from binakarya.sales.models import Sale, SaleLine
from tests.backoffice.helpers import html
from tests.backoffice.test_sales_pages import LINES, make_shop, sale_data, user_with

pytestmark = pytest.mark.django_db

MESSAGE = (
    "%(price)s for %(sku)s is far from its catalog price of %(catalog_price)s (below half or above twice). "
    "If this price is intended, confirm it and give the reason."
)


@pytest.fixture
def shop(facility_a):
    return make_shop(facility_a)


@pytest.fixture
def client_finance(client, facility_a):
    client.force_login(user_with(facility_a, Role.FINANCE_OFFICER, "keuangan"))
    return client


def test_a_usual_price_shows_no_confirmation(client_finance, shop):
    # when
    response = client_finance.get(reverse("backoffice:sale_create"))

    # then
    body = response.content.decode()
    assert 'data-testid="price-confirm"' not in body
    assert f'name="{LINES}-0-price_intended"' not in body


def test_an_unusual_price_is_refused_at_its_line_with_a_checkbox_and_a_reason(client_finance, shop):
    # when
    response = client_finance.post(reverse("backoffice:sale_create"), sale_data(shop, (shop["variant"], 2, "15.000")))

    # then
    assert response.status_code == 200
    assert not Sale.objects.exists()
    line = response.context["formset"].forms[0]
    assert line.has_error("unit_price_idr", "unusual_price")
    body = response.content.decode()
    message = html(MESSAGE, price="Rp15.000", sku="SMP-BTK-001", catalog_price="Rp450.000")
    assert message in body
    confirm = body[body.index('data-testid="price-confirm"') :]
    assert f'name="{LINES}-0-price_intended"' in confirm and f'name="{LINES}-0-price_reason"' in confirm
    assert "Harga ini disengaja" in confirm
    assert 'value="Rp15.000"' in body  # the price typed, shown the Indonesian way


def test_ticking_the_box_without_a_reason_asks_for_the_reason(client_finance, shop):
    # when
    data = sale_data(shop, (shop["variant"], 2, "15.000")) | {f"{LINES}-0-price_intended": "on"}
    response = client_finance.post(reverse("backoffice:sale_create"), data)

    # then
    assert not Sale.objects.exists()
    line = response.context["formset"].forms[0]
    assert line.has_error("price_reason", "unusual_price_reason")
    assert 'data-testid="price-confirm"' in response.content.decode()


def test_sent_again_with_the_box_and_a_reason_the_sale_is_recorded(client_finance, shop):
    # when
    data = sale_data(shop, (shop["variant"], 2, "15.000")) | {
        f"{LINES}-0-price_intended": "on",
        f"{LINES}-0-price_reason": "Kain contoh pameran, bernoda",
    }
    response = client_finance.post(reverse("backoffice:sale_create"), data)

    # then
    sale = Sale.objects.get()
    assert response.status_code == 302
    assert sale.gross_idr == 30_000
    assert list(SaleLine.objects.values_list("unit_price_idr", "price_reason")) == [
        (15_000, "Kain contoh pameran, bernoda")
    ]
    assert AuditEvent.objects.get(action="sale.record").data["unusual_prices"][0]["reason"] == (
        "Kain contoh pameran, bernoda"
    )
    page = client_finance.get(response["Location"]).content.decode()
    assert '<span class="muted" data-testid="price-reason">Harga disengaja: Kain contoh pameran, bernoda</span>' in page


def test_a_redraw_keeps_the_confirmation_typed(client_finance, shop):
    # when another line is added
    data = sale_data(shop, (shop["variant"], 2, "15.000")) | {
        f"{LINES}-0-price_intended": "on",
        f"{LINES}-0-price_reason": "Harga grosir",
        "_add_line": "1",
    }
    response = client_finance.post(reverse("backoffice:sale_create"), data)

    # then
    assert not Sale.objects.exists()
    body = response.content.decode()
    confirm = body[body.index('data-testid="price-confirm"') :]
    assert 'value="Harga grosir"' in confirm
    checkbox = confirm[confirm.index("<input") : confirm.index(">", confirm.index("<input"))]
    assert f'name="{LINES}-0-price_intended"' in checkbox and " checked" in checkbox
