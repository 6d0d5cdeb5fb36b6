"""Real concurrent writers against PostgreSQL: transfers racing for the same last units, and two
arrivals creating the same balance row at once."""

import threading
import time

import pytest
from django.db import connection, transaction
from django.utils import translation

from binakarya.inventory.models import MovementKind, StockBalance, StockMovement, Transfer
from binakarya.inventory.services import InsufficientStock, transfer_send
from tests.factories import GroupMembershipFactory, LocationFactory, ProducerFactory, VariantFactory, make_lot

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def race(workers: int, target) -> list:
    barrier = threading.Barrier(workers)
    results: list = []

    def run(i: int) -> None:
        barrier.wait()
        try:
            # Each thread has its own active language; the messages checked below are the English source.
            with translation.override("en"):
                results.append(target(i))
        except InsufficientStock as exc:
            results.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


@pytest.mark.parametrize("rounds", range(3))
def test_two_transfers_racing_for_the_last_units_never_oversell(rounds):
    # given 3 units in the store
    producer = ProducerFactory()
    GroupMembershipFactory.create_batch(2, group=producer.group)
    variant = VariantFactory(product__producer=producer)
    store = LocationFactory(organization=producer.organization, name="Gudang")
    showroom = LocationFactory(organization=producer.organization, name="Ruang Pamer", kind="SHOWROOM")
    outlet_shelf = LocationFactory(organization=producer.organization, name="Rak Bazar", kind="SHOWROOM")
    make_lot(variant=variant, group=producer.group, location=store, quantity=3)

    # when two transfers ask for all 3 at once
    results = race(
        2,
        lambda i: transfer_send(
            actor=None, from_location=store, to_location=(showroom, outlet_shelf)[i], lines=[(variant, 3)]
        ),
    )

    # then
    sent = [r for r in results if isinstance(r, Transfer)]
    refused = [r for r in results if isinstance(r, InsufficientStock)]
    assert (len(sent), len(refused)) == (1, 1)
    assert refused[0].messages == [f"Gudang holds only 0 of {variant.sku}; 3 were asked for."]
    assert StockBalance.objects.get(location=store).quantity == 0
    assert not StockBalance.objects.filter(quantity__lt=0).exists()


def test_many_small_transfers_take_exactly_the_units_there_are():
    # given 5 units in the store
    producer = ProducerFactory()
    GroupMembershipFactory.create_batch(2, group=producer.group)
    variant = VariantFactory(product__producer=producer)
    store = LocationFactory(organization=producer.organization, name="Gudang")
    showroom = LocationFactory(organization=producer.organization, name="Ruang Pamer", kind="SHOWROOM")
    make_lot(variant=variant, group=producer.group, location=store, quantity=5)

    # when eight transfers of one unit run at once
    results = race(
        8, lambda i: transfer_send(actor=None, from_location=store, to_location=showroom, lines=[(variant, 1)])
    )

    # then
    assert sum(isinstance(r, Transfer) for r in results) == 5
    assert sum(isinstance(r, InsufficientStock) for r in results) == 3
    assert StockBalance.objects.get(location=store).quantity == 0
    numbers = sorted(Transfer.objects.values_list("number", flat=True))
    assert [n[-5:] for n in numbers] == ["00001", "00002", "00003", "00004", "00005"]


def test_two_arrivals_creating_the_same_balance_at_once_add_up_and_keep_the_later_arrival():
    # given a lot in the store and a showroom that has never held it
    producer = ProducerFactory()
    GroupMembershipFactory.create_batch(2, group=producer.group)
    variant = VariantFactory(product__producer=producer)
    store = LocationFactory(organization=producer.organization, name="Gudang")
    showroom = LocationFactory(organization=producer.organization, name="Ruang Pamer", kind="SHOWROOM")
    lot = make_lot(variant=variant, group=producer.group, location=store, quantity=5)
    first_inserted, second_started = threading.Event(), threading.Event()
    made: dict[str, StockMovement] = {}

    def arrive(kind: str, quantity: int) -> StockMovement:
        return StockMovement.objects.create(
            organization=producer.organization,
            variant=variant,
            lot=lot,
            location=showroom,
            kind=kind,
            quantity=quantity,
        )

    def first() -> None:
        # Creates the balance row and holds its transaction open while the second arrival comes in.
        try:
            with transaction.atomic():
                made["first"] = arrive(MovementKind.RETURNED, 1)
                first_inserted.set()
                second_started.wait(10)
                time.sleep(0.5)  # let the second insert reach the unique index and wait on it
        finally:
            connection.close()

    def second() -> None:
        # Finds no balance to update, so its insert meets the first one's row: the ON CONFLICT branch.
        try:
            first_inserted.wait(10)
            with transaction.atomic():
                second_started.set()
                made["second"] = arrive(MovementKind.TRANSFER_IN, 2)
        finally:
            connection.close()

    # when
    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    # then
    balance = StockBalance.objects.get(lot=lot, location=showroom)
    assert balance.quantity == 3
    assert made["second"].created_at > made["first"].created_at
    assert balance.arrived_at == made["second"].created_at
