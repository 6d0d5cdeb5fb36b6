"""Real concurrent writers against PostgreSQL on one deal (deals/locks.py locks the deal's row first): two
deliveries of the last ordered units, and two payments of what is left, never go past the order or the total."""

import threading

import pytest
from django.db import connection
from django.utils import timezone, translation

from binakarya.deals.models import Deal, DealPayment, Delivery
from binakarya.deals.services import (
    DealConflict,
    DealLineInput,
    QuotationLineInput,
    contract_rules_ensure,
    deal_payment_record,
    delivery_record,
    quotation_accept,
    quotation_issue,
)
from tests.deals.world import deals_world

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
def deal():
    today = timezone.localdate()
    contract_rules_ensure()  # an earlier test of real transactions emptied the database of the migration's rules
    world = deals_world(today)
    quotation = quotation_issue(
        actor=world["admin"],
        organization=world["facility"],
        buyer="DLH PKP Kabupaten Purbalingga",
        lines=[QuotationLineInput("PBG-TSB-001", 6, 150_000)],
        today=today,
    )
    return quotation_accept(actor=world["admin"], quotation=quotation, po_number="P-1", po_date=today), world


def test_deliveries_racing_for_the_last_ordered_units_deliver_them_once(deal):
    deal, world = deal
    results = race(lambda i: delivery_record(actor=world["admin"], deal=deal, lines=[DealLineInput("PBG-TSB-001", 4)]))
    delivered = [r for r in results if isinstance(r, Delivery)]
    refused = [r for r in results if isinstance(r, DealConflict)]
    assert (len(delivered), len(refused)) == (1, WORKERS - 1), results
    assert all(r.code == "over_ordered" for r in refused)
    assert deal.lines.get().delivered == 4


def test_payments_racing_never_pay_more_than_the_deal_is_worth(deal):
    deal, world = deal
    results = race(lambda i: deal_payment_record(actor=world["admin"], deal=deal, amount_idr=600_000))
    paid = [r for r in results if isinstance(r, DealPayment)]
    refused = [r for r in results if isinstance(r, DealConflict)]
    assert (len(paid), len(refused)) == (1, WORKERS - 1), results
    assert Deal.objects.get().paid_idr == 600_000 and DealPayment.objects.count() == 1
