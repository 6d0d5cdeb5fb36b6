"""Real concurrent writers against PostgreSQL on one export order (exports/locks.py locks the inquiry, then the
order, before any check): two shipments of the same paid order record one sale, and payments racing for what the
order still takes never pass it."""

import threading

import pytest
from django.db import connection
from django.utils import timezone, translation

from binakarya.exports.models import ExportOrder, ExportPayment, Shipment
from binakarya.exports.orders import (
    ExportConflict,
    ShipmentInput,
    order_confirm,
    order_payment_record,
    shipment_record,
)
from binakarya.exports.services import Buyer, InquiryLineInput, ProformaInput, inquiry_submit, proforma_issue
from binakarya.inventory.models import StockBalance
from binakarya.sales.models import Sale
from tests.exports.world import exports_world, stock_up

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]
WORKERS = 3


def race(target) -> list:
    barrier = threading.Barrier(WORKERS)
    results: list = [None] * WORKERS

    def run(i: int) -> None:
        try:
            with translation.override("en"):
                barrier.wait()
                results[i] = target(i)
        except Exception as exc:  # noqa: BLE001 - reported by the assertions
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(WORKERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


@pytest.fixture
def order():
    today = timezone.localdate()
    world = exports_world(today)
    stock = stock_up(world, today)
    inquiry = inquiry_submit(
        actor=None,
        buyer=Buyer("Kyoto Crafts K.K.", "Yuki Tanaka", "yuki@kyoto-crafts.example"),
        country="JP",
        incoterm="FOB",
        place="Tanjung Perak, Surabaya",
        lines=[InquiryLineInput("SMP-PCT-001", 60), InquiryLineInput("SMP-LYG-001", 25)],
        language="en",
    )
    proforma = proforma_issue(actor=world["admin"], inquiry=inquiry, data=ProformaInput(currency="IDR"), today=today)
    order = order_confirm(actor=world["admin"], proforma=proforma, po_number="KC-1", po_date=today)
    return order, world, stock, today


def test_two_shipments_of_the_same_order_at_once_ship_it_once(order):
    order, world, stock, today = order
    order_payment_record(actor=world["admin"], order=order, amount_idr=order.total_idr)
    data = ShipmentInput(
        shipped_on=today,
        peb_number="000123",
        transport_number="MSKU 7781234",
        vessel="Meratus Jayakarta V.118",
        location=stock["store"],
    )

    results = race(lambda i: shipment_record(actor=world["admin"], order=order, data=data))

    shipped = [r for r in results if isinstance(r, Shipment)]
    refused = [r for r in results if isinstance(r, ExportConflict)]
    assert (len(shipped), len(refused)) == (1, WORKERS - 1), results
    assert all(r.code == "shipped" for r in refused)
    assert (Shipment.objects.count(), Sale.objects.count()) == (1, 1)
    assert ExportOrder.objects.get().status == ExportOrder.Status.SHIPPED
    held = StockBalance.objects.filter(location=stock["store"], variant=world["whip"]).values_list(
        "quantity", flat=True
    )
    assert sum(held) == 40  # 100 made, 60 shipped once


def test_payments_racing_never_pass_what_the_order_takes(order):
    order, world, _stock, _today = order

    results = race(lambda i: order_payment_record(actor=world["admin"], order=order, amount_idr=6_000_000))

    paid = [r for r in results if isinstance(r, ExportPayment)]
    refused = [r for r in results if isinstance(r, ExportConflict)]
    assert (len(paid), len(refused)) == (1, WORKERS - 1), results
    assert all(r.code == "overpayment" for r in refused)
    assert ExportOrder.objects.get().paid_idr == 6_000_000 and ExportPayment.objects.count() == 1
