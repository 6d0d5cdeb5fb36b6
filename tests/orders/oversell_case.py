"""Fifty buyers racing for the last ten units, with real threads on a real database.

Not collected by itself (the name does not start with ``test_``): ``test_oversell.py`` runs it in this
process on PostgreSQL, and in a child pytest on an SQLite *file* (an in-memory test database cannot
show SQLite's locking between connections).
"""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import translation

from binakarya.inventory.models import Reservation, StockBalance
from binakarya.orders.models import Order
from binakarya.orders.services import payment_record
from binakarya.sales.models import Sale
from tests.orders.conftest import make_seller
from tests.orders.helpers import Buyer, place, staff_of

BUYERS = 50
UNITS = 10


def race(workers: int, target) -> list:
    barrier = threading.Barrier(workers)
    results: list = [None] * workers

    def run(i: int) -> None:
        try:
            with translation.override("en"):
                barrier.wait()
                results[i] = target(i)
        except ValidationError as exc:
            results[i] = exc
        except Exception as exc:  # noqa: BLE001 - reported by the assertions below
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


@pytest.mark.django_db(transaction=True)
def test_fifty_buyers_for_the_last_ten_units_buy_exactly_ten():
    seller = make_seller(name="Rutan Sumenep", units=UNITS)
    variant, product = seller["variant"], seller["product"]

    results = race(BUYERS, lambda i: place((variant, 1), buyer=Buyer(f"Pembeli {i}", f"0812000{i:05d}")))

    placed = [r for r in results if isinstance(r, list)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    unexpected = [r for r in results if not isinstance(r, list | ValidationError)]
    assert unexpected == []
    assert (len(placed), len(refused)) == (UNITS, BUYERS - UNITS)
    for error in refused:
        (line_error,) = error.error_dict["lines"]
        assert line_error.code == "insufficient_stock"
        assert f"Not enough stock of {product.name}" in line_error.messages[0]
    assert sum(r.quantity for r in Reservation.objects.filter(status="ACTIVE")) == UNITS
    numbers = sorted(Order.objects.values_list("number", flat=True))
    assert [n[-5:] for n in numbers] == [f"{k:05d}" for k in range(1, UNITS + 1)]

    # when all ten are paid at once, ten sales take exactly the ten units
    staff = staff_of(seller["org"])
    orders = [r[0] for r in placed]
    paid = race(
        UNITS, lambda i: payment_record(actor=staff, order=orders[i], amount_idr=orders[i].total_idr, method="TRANSFER")
    )
    assert not [p for p in paid if isinstance(p, Exception)]
    assert Sale.objects.count() == UNITS
    assert StockBalance.objects.get(location=seller["showroom"]).quantity == 0
    assert not Reservation.objects.filter(status="ACTIVE").exists()
    variant.refresh_from_db()
    assert variant.stock_quantity == 0
