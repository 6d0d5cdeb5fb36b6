"""Units reserved for orders are shown where stock is shown, and are not offered again."""

from django.urls import reverse

from binakarya.inventory.selectors import stock_totals_by_location
from tests.orders.helpers import place, staff_of


def test_the_stock_page_shows_what_is_reserved_for_orders(seller, client):
    place((seller["variant"], 3))
    staff = staff_of(seller["org"])
    (row,) = stock_totals_by_location(user=staff)
    assert (row["units"], row["reserved"], row["available"]) == (10, 3, 7)

    client.force_login(staff)
    page = client.get(reverse("backoffice:stock"))  # English: the tests run with "en" active
    assert page.status_code == 200
    assert "(3 reserved for orders)" in page.content.decode()


def test_the_public_figure_is_net_of_reservations(seller, client):
    place((seller["variant"], 10))
    seller["variant"].refresh_from_db()
    seller["product"].refresh_from_db()
    assert seller["variant"].stock_quantity == 0
    assert not seller["product"].in_stock
