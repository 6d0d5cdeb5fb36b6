import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from binakarya.core.models import AppendOnlyError
from binakarya.documents.models import Document
from binakarya.inventory.models import MovementKind, StockBalance, StockMovement, Transfer
from binakarya.inventory.services import (
    InsufficientStock,
    movement_reverse,
    stock_adjust,
    stock_count_post,
    stock_damage,
    stock_reconcile_differences,
    transfer_receive,
    transfer_send,
)
from tests.factories import LocationFactory, VariantFactory, make_lot

pytestmark = pytest.mark.django_db


@pytest.fixture
def stocked(workshop):
    lot = make_lot(variant=workshop["variant"], group=workshop["group"], location=workshop["store"], quantity=10)
    showroom = LocationFactory(organization=workshop["org"], name="Ruang Pamer", kind="SHOWROOM")
    return workshop | {"lot": lot, "showroom": showroom}


def balances(lot) -> dict[str, int]:
    return dict(StockBalance.objects.filter(lot=lot).values_list("location__name", "quantity"))


def test_a_transfer_moves_stock_through_transit_and_issues_a_surat_jalan(stocked):
    # when
    transfer = transfer_send(
        actor=None, from_location=stocked["store"], to_location=stocked["showroom"], lines=[(stocked["variant"], 4)]
    )

    # then
    assert transfer.number == f"SJ-{stocked['org'].code}-{transfer.created_at.year}-00001"
    assert balances(stocked["lot"]) == {"Gudang": 6, "In transit": 4}
    assert transfer.document.kind == Document.Kind.SURAT_JALAN
    assert transfer.document.public_figures["units"] == 4
    assert len(transfer.document.verify_code) == 12

    # when the showroom receives it
    transfer_receive(actor=None, transfer=transfer)

    # then
    transfer.refresh_from_db()
    assert transfer.status == Transfer.Status.RECEIVED
    assert balances(stocked["lot"]) == {"Gudang": 6, "In transit": 0, "Ruang Pamer": 4}
    stocked["variant"].refresh_from_db()
    assert stocked["variant"].stock_quantity == 10


def test_a_shortfall_on_receipt_is_recorded_as_a_discrepancy(stocked):
    # given a transfer of 4 units
    transfer = transfer_send(
        actor=None, from_location=stocked["store"], to_location=stocked["showroom"], lines=[(stocked["variant"], 4)]
    )
    line = transfer.lines.get()

    # when 3 arrive
    transfer_receive(actor=None, transfer=transfer, received={line.pk: 3})

    # then
    transfer.refresh_from_db()
    line.refresh_from_db()
    assert (transfer.status, line.quantity_received, line.discrepancy) == (Transfer.Status.DISCREPANCY, 3, 1)
    assert balances(stocked["lot"]) == {"Gudang": 6, "In transit": 0, "Ruang Pamer": 3}
    adjustment = StockMovement.objects.get(kind=MovementKind.ADJUSTED)
    assert (adjustment.quantity, adjustment.reason) == (
        -1,
        f"Discrepancy on {transfer.number}: 1 sent but not received",
    )


def test_transferring_more_than_is_available_is_refused_and_saves_nothing(stocked):
    # given
    movements_before = StockMovement.objects.count()

    # when
    with pytest.raises(InsufficientStock) as excinfo:
        transfer_send(
            actor=None,
            from_location=stocked["store"],
            to_location=stocked["showroom"],
            lines=[(stocked["variant"], 11)],
        )

    # then
    assert excinfo.value.messages == ["Gudang holds only 10 of SMP-BTK-001; 11 were asked for."]
    assert (Transfer.objects.count(), Document.objects.count()) == (0, 0)
    assert StockMovement.objects.count() == movements_before
    assert balances(stocked["lot"]) == {"Gudang": 10}


def test_fifo_takes_the_oldest_lot_first(stocked):
    import datetime

    # given a newer lot of 5 next to the 10 of the older one
    newer = make_lot(
        variant=stocked["variant"],
        group=stocked["group"],
        location=stocked["store"],
        quantity=5,
        finished=datetime.date(2025, 9, 1),
    )

    # when
    transfer = transfer_send(
        actor=None, from_location=stocked["store"], to_location=stocked["showroom"], lines=[(stocked["variant"], 12)]
    )

    # then
    assert sorted(transfer.lines.values_list("lot__code", "quantity_sent")) == sorted(
        [(stocked["lot"].code, 10), (newer.code, 2)]
    )


def test_the_database_refuses_a_negative_balance_even_without_the_code(stocked):
    # when
    with pytest.raises(IntegrityError), transaction.atomic():
        StockMovement.objects.create(
            organization=stocked["org"],
            variant=stocked["variant"],
            lot=stocked["lot"],
            location=stocked["store"],
            kind=MovementKind.DAMAGED,
            quantity=-11,
        )

    # then
    assert balances(stocked["lot"]) == {"Gudang": 10}


def test_movements_are_append_only_in_code(stocked):
    # given the lot's PRODUCED movement
    movement = StockMovement.objects.get()

    # when
    with pytest.raises(AppendOnlyError):
        movement.save()
    with pytest.raises(AppendOnlyError):
        movement.delete()
    with pytest.raises(AppendOnlyError):
        StockMovement.objects.filter(pk=movement.pk).update(quantity=1)
    with pytest.raises(AppendOnlyError):
        StockMovement.objects.all().delete()

    # then
    assert StockMovement.objects.get().quantity == 10


@pytest.mark.postgres_only
def test_postgresql_refuses_changing_movements_or_balances_directly(stocked):
    # given the lot's PRODUCED movement
    movement = StockMovement.objects.get()

    # when
    for sql in (
        "UPDATE inventory_stockmovement SET quantity = 1 WHERE id = %s",
        "DELETE FROM inventory_stockmovement WHERE id = %s",
    ):
        with pytest.raises(Exception, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [movement.pk])
    with pytest.raises(Exception, match="only through stock movements"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE inventory_stockbalance SET quantity = 99")

    # then
    assert balances(stocked["lot"]) == {"Gudang": 10}


def test_a_mistake_is_corrected_with_a_reversal(stocked):
    # given 2 units written off as damaged
    damaged = stock_damage(actor=None, lot=stocked["lot"], location=stocked["store"], quantity=2, reason="sobek")

    # when
    reversal = movement_reverse(actor=None, movement=damaged, reason="salah catat")

    # then
    assert (reversal.kind, reversal.quantity, reversal.reverses) == (MovementKind.REVERSAL, 2, damaged)
    assert balances(stocked["lot"]) == {"Gudang": 10}

    # when / then: neither the movement nor its reversal can be reversed again
    with pytest.raises(ValidationError):
        movement_reverse(actor=None, movement=damaged, reason="lagi")
    with pytest.raises(ValidationError):
        movement_reverse(actor=None, movement=reversal, reason="lagi")


def test_an_adjustment_needs_a_reason(stocked):
    # when
    with pytest.raises(ValidationError) as excinfo:
        stock_adjust(actor=None, lot=stocked["lot"], location=stocked["store"], quantity=-1, reason=" ")

    # then
    assert list(excinfo.value.message_dict) == ["reason"]
    assert StockMovement.objects.count() == 1


def test_a_stock_count_posts_the_variance(stocked):
    # when 8 of the 10 are counted
    count = stock_count_post(actor=None, location=stocked["store"], counted={stocked["lot"].pk: 8})

    # then
    line = count.lines.get()
    assert (line.book_quantity, line.counted_quantity, line.variance) == (10, 8, -2)
    counted = StockMovement.objects.get(kind=MovementKind.COUNTED)
    assert (counted.quantity, counted.stock_count) == (-2, count)
    assert balances(stocked["lot"]) == {"Gudang": 8}


def test_reconcile_finds_nothing_then_reports_a_tampered_balance(stocked):
    # given a transfer sent
    transfer_send(
        actor=None, from_location=stocked["store"], to_location=stocked["showroom"], lines=[(stocked["variant"], 3)]
    )

    # when / then
    assert stock_reconcile_differences() == []

    # when a balance is changed behind the movements' back
    balance = StockBalance.objects.get(lot=stocked["lot"], location=stocked["store"])
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")  # switches triggers off
        cursor.execute("UPDATE inventory_stockbalance SET quantity = 5 WHERE id = %s", [balance.pk])

    # then
    assert stock_reconcile_differences() == [(stocked["lot"].pk, stocked["store"].pk, 7, 5)]


# Query counts ---------------------------------------------------------------------------------------
#
# Each count is the same on SQLite and PostgreSQL: the locks are SELECT … FOR UPDATE on PostgreSQL and
# the same SELECT without it on SQLite. The service's atomic block is a savepoint inside the test's
# transaction, so each count includes a SAVEPOINT and a RELEASE that a request would not send.


@pytest.fixture
def three_skus(stocked):
    """stocked, plus two more SKUs with a lot of 5 each at the store, and a first transfer already sent
    (so that the in-transit location and this year's SJ number series exist)."""
    others = [VariantFactory(product__producer=stocked["variant"].product.producer) for _ in range(2)]
    for variant in others:
        make_lot(variant=variant, group=stocked["group"], location=stocked["store"], quantity=5)
    transfer_send(actor=None, from_location=stocked["store"], to_location=stocked["showroom"], lines=[(others[0], 1)])
    return stocked | {"skus": [stocked["variant"], *others]}


def send(stocked, variants):
    return transfer_send(
        actor=None, from_location=stocked["store"], to_location=stocked["showroom"], lines=[(v, 1) for v in variants]
    )


def test_sending_a_transfer_takes_as_many_queries_for_three_skus_as_for_one(three_skus, django_assert_num_queries):
    # given three SKUs at the store
    skus = three_skus["skus"]

    # when / then: one line takes 21 queries. The savepoint and its release (2); the source's balances of
    # the SKUs locked, with their lots, in one query; the units reserved there for orders; the in-transit location; the SJ number; the transfer;
    # its lines in one statement; the movements out and into transit in one statement, in a savepoint (3);
    # the SKUs locked, their stock figures, their products' in-stock flags (3); the surat jalan issued in
    # two nested savepoints (5); the transfer pointed at it; the audit row. (An organization's first
    # transfer of the year also creates the in-transit location and the number series: 7 more.)
    with django_assert_num_queries(21):
        send(three_skus, skus[:1])
    # Three lines of three SKUs: the same 20 (variant_stock_refresh brings every SKU up to date at once).
    with django_assert_num_queries(21):
        transfer = send(three_skus, skus)

    # then
    assert transfer.lines.count() == 3


def test_receiving_a_transfer_takes_as_many_queries_for_three_skus_as_for_one(three_skus, django_assert_num_queries):
    # given a transfer of one SKU and one of three, both in transit
    one = send(three_skus, three_skus["skus"][:1])
    three = send(three_skus, three_skus["skus"])

    # when / then: one line takes 17 queries. The savepoint and its release (2); the transfer locked; its
    # lines with their lots and SKUs; the transfer's organization (the lock read the transfer afresh, so
    # it is loaded on its own); the in-transit location; the in-transit balances locked; the destination
    # (loaded on its own too); the quantities received, in one statement; the movements out of transit
    # and into the destination in one statement, in a savepoint (3); the SKUs locked, their stock
    # figures, their products' in-stock flags (3); the transfer marked received; the audit row.
    with django_assert_num_queries(17):
        transfer_receive(actor=None, transfer=one)
    # Three SKUs: the same 17, as for sending.
    with django_assert_num_queries(17):
        transfer_receive(actor=None, transfer=three)

    # then
    assert set(Transfer.objects.filter(pk__in=[one.pk, three.pk]).values_list("status", flat=True)) == {
        Transfer.Status.RECEIVED
    }


def test_a_stock_count_of_one_lot_takes_thirteen_queries(stocked, django_assert_num_queries):
    # when / then: the savepoint and its release (2); the counted lots' SKUs, read from their movements;
    # the location's balances of those lots locked; the count; its lines in one statement; the COUNTED
    # movements in one statement, in a savepoint (3); the SKU locked, its stock figure, its product's
    # in-stock flag (3); the audit row.
    with django_assert_num_queries(13):
        stock_count_post(actor=None, location=stocked["store"], counted={stocked["lot"].pk: 8})

    # then
    assert balances(stocked["lot"]) == {"Gudang": 8}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    steps=st.lists(st.tuples(st.sampled_from(["send", "damage", "adjust", "receive"]), st.integers(1, 6)), max_size=8)
)
def test_random_operations_keep_balances_equal_to_movements_and_never_negative(stocked, steps):
    pending: list[Transfer] = []
    with transaction.atomic():
        for action, n in steps:
            # when one step runs (a refusal for want of stock is expected)
            try:
                if action == "send":
                    pending.append(
                        transfer_send(
                            actor=None,
                            from_location=stocked["store"],
                            to_location=stocked["showroom"],
                            lines=[(stocked["variant"], n)],
                        )
                    )
                elif action == "damage":
                    stock_damage(actor=None, lot=stocked["lot"], location=stocked["store"], quantity=n)
                elif action == "adjust":
                    stock_adjust(actor=None, lot=stocked["lot"], location=stocked["store"], quantity=n, reason="opname")
                elif pending:
                    transfer_receive(actor=None, transfer=pending.pop(0))
            except InsufficientStock:
                pass

            # then
            assert stock_reconcile_differences() == []
            assert not StockBalance.objects.filter(quantity__lt=0).exists()
        transaction.set_rollback(True)
