"""PostgreSQL checks the references of the bulk tables per statement (core/references.py): the same
guarantees as foreign keys, proven here against the real database, concurrent writers included."""

import datetime
import threading
import time

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from binakarya.core.references import checked_references, foreign_keys
from binakarya.inventory.models import StockMovement
from binakarya.production.models import Lot
from binakarya.sales.models import Sale
from tests.factories import (
    GroupMembershipFactory,
    LocationFactory,
    ProducerFactory,
    UserFactory,
    VariantFactory,
    make_lot,
)

pytestmark = pytest.mark.postgres_only

BULK_MODELS = [
    ("ledger", "JournalEntry"),
    ("ledger", "JournalLine"),
    ("sales", "Sale"),
    ("sales", "SaleLine"),
    ("inventory", "StockMovement"),
    ("core", "AuditEvent"),
]


def reference_columns(model) -> set[str]:
    return {f.column for f in model._meta.local_concrete_fields if f.remote_field is not None and f.db_constraint}


@pytest.mark.django_db
@pytest.mark.parametrize(("app", "name"), BULK_MODELS)
def test_every_reference_of_a_bulk_table_is_checked_by_the_statement_trigger_and_by_nothing_else(app, name):
    # given the model's foreign keys
    model = apps.get_model(app, name)
    table = model._meta.db_table

    # when the database is asked what it enforces
    with connection.cursor() as cursor:
        checked = checked_references(cursor, table)
        constrained = foreign_keys(cursor, table)

    # then the trigger checks every one, and no row-level foreign key is left to check it again
    assert checked == reference_columns(model)
    assert constrained == set()


@pytest.fixture
def stocked(db):
    producer = ProducerFactory()
    GroupMembershipFactory.create_batch(2, group=producer.group)
    variant = VariantFactory(product__producer=producer)
    store = LocationFactory(organization=producer.organization, name="Gudang")
    lot = make_lot(variant=variant, group=producer.group, location=store, quantity=5)
    return {"org": producer.organization, "variant": variant, "store": store, "lot": lot}


def insert_movement(stocked, **overrides) -> None:
    values = {
        "organization_id": stocked["org"].pk,
        "variant_id": stocked["variant"].pk,
        "lot_id": stocked["lot"].pk,
        "location_id": stocked["store"].pk,
        "created_by_id": None,
    } | overrides
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO inventory_stockmovement (organization_id, variant_id, lot_id, location_id, created_by_id,"
            " kind, quantity, reason, created_at) VALUES (%s, %s, %s, %s, %s, 'ADJUSTED', 1, 'test', now())",
            [
                values["organization_id"],
                values["variant_id"],
                values["lot_id"],
                values["location_id"],
                values["created_by_id"],
            ],
        )


@pytest.mark.parametrize("column", ["organization_id", "variant_id", "lot_id", "location_id", "created_by_id"])
def test_a_row_naming_a_parent_that_does_not_exist_is_refused(stocked, column):
    # given
    before = StockMovement.objects.count()

    # when / then
    with pytest.raises(IntegrityError, match=f'violates reference "{column}"'), transaction.atomic():
        insert_movement(stocked, **{column: 987_654_321})
    assert StockMovement.objects.count() == before


def test_a_row_naming_existing_parents_is_accepted(stocked):
    # given
    before = StockMovement.objects.count()

    # when
    insert_movement(stocked)

    # then
    assert StockMovement.objects.count() == before + 1


def test_a_parent_still_referenced_cannot_be_deleted(stocked):
    # given a lot with movements (and journal lines would be the same)
    lot = stocked["lot"]

    # when / then
    with pytest.raises(IntegrityError, match='delete on table "production_lot" violates reference'):
        with transaction.atomic(), connection.cursor() as cursor:
            # Django's collector would refuse first (PROTECT); the database refuses on its own too.
            cursor.execute("DELETE FROM production_lot WHERE id = %s", [lot.pk])
    assert Lot.objects.filter(pk=lot.pk).exists()


def test_a_parent_key_never_changes(stocked):
    # when / then
    with pytest.raises(IntegrityError, match="never changes"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE production_lot SET id = id + 1000000 WHERE id = %s", [stocked["lot"].pk])


def test_a_changed_reference_of_an_updatable_row_is_checked(stocked):
    # given a sale (sales are updated: their status, their lines' returned quantity)
    from binakarya.ledger.services import split_rule_create
    from binakarya.sales.services import SaleLineInput, sale_record

    split_rule_create(
        actor=None,
        organization=stocked["org"],
        effective_from=datetime.date(2024, 1, 1),
        basis="REVENUE",
        premi_mode="PERCENT",
        premi_bp=1000,
        capital_bp=0,
        legal_reference="SK",
    )
    sale = sale_record(
        actor=None,
        location=stocked["store"],
        channel="POS",
        lines=[SaleLineInput(stocked["variant"].sku, 1, 100_000)],
    )
    other = LocationFactory(organization=stocked["org"], name="Ruang Pamer", kind="SHOWROOM")

    # when the location changes to one that exists, then to one that does not
    Sale.objects.filter(pk=sale.pk).update(location=other)
    with pytest.raises(IntegrityError, match='violates reference "location_id"'), transaction.atomic():
        Sale.objects.filter(pk=sale.pk).update(location_id=987_654_321)

    # then
    assert Sale.objects.get(pk=sale.pk).location == other
    # and a sale is never deleted, whatever asks
    with pytest.raises(IntegrityError, match="never deleted"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM sales_sale WHERE id = %s", [sale.pk])


@pytest.mark.django_db(transaction=True)
def test_a_parent_deleted_while_another_transaction_inserts_a_child_waits_and_is_refused():
    """Two sessions: one inserts a movement recorded by a user (and holds the user row's key-share lock
    until it commits); the other deletes that user meanwhile. The delete waits for the insert, then
    fails on the movement it could not see when it started. Nothing else refers to the user, so only
    the set-based reference check stands between the delete and an orphan."""
    # given a lot in stock and two users nobody refers to
    producer = ProducerFactory()
    GroupMembershipFactory.create_batch(2, group=producer.group)
    variant = VariantFactory(product__producer=producer)
    store = LocationFactory(organization=producer.organization, name="Gudang")
    lot = make_lot(variant=variant, group=producer.group, location=store, quantity=5)
    stocked = {"org": producer.organization, "variant": variant, "store": store, "lot": lot}
    recorder, idle = UserFactory(), UserFactory()
    inserted, outcome = threading.Event(), {}

    def delete_user(user_id: int) -> None:
        started = time.monotonic()
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '20s'")
                cursor.execute("DELETE FROM auth_user WHERE id = %s", [user_id])
            outcome["result"] = "deleted"
        except IntegrityError as exc:
            outcome["result"] = str(exc).splitlines()[0]
        finally:
            outcome["seconds"] = time.monotonic() - started
            connection.close()

    # when the insert holds the recorder's row while the delete runs
    deleter = threading.Thread(target=lambda: (inserted.wait(10), delete_user(recorder.pk)))
    deleter.start()
    with transaction.atomic():
        insert_movement(stocked, created_by_id=recorder.pk)
        inserted.set()
        time.sleep(1.0)  # the delete is now waiting for this transaction
    deleter.join(30)

    # then the delete waited for the insert to commit, and failed on the movement
    assert outcome["result"].startswith('delete on table "auth_user" violates reference')
    assert outcome["seconds"] >= 0.5
    assert StockMovement.objects.filter(lot=lot, created_by=recorder).count() == 1
    # and a user nothing refers to is deleted without fuss (the refusal above was the reference's)
    delete_user(idle.pk)
    assert outcome["result"] == "deleted"


@pytest.mark.django_db(transaction=True)
def test_migrating_back_restores_the_foreign_keys_and_forward_replaces_them_again():
    # given the triggers in place
    table = "core_auditevent"
    with connection.cursor() as cursor:
        assert (foreign_keys(cursor, table), checked_references(cursor, table)) == (
            set(),
            {"organization_id", "actor_id"},
        )

    try:
        # when
        call_command("migrate", "core", "0002", verbosity=0)

        # then
        with connection.cursor() as cursor:
            assert (foreign_keys(cursor, table), checked_references(cursor, table)) == (
                {"organization_id", "actor_id"},
                set(),
            )
    finally:
        call_command("migrate", "core", verbosity=0)
    with connection.cursor() as cursor:
        assert (foreign_keys(cursor, table), checked_references(cursor, table)) == (
            set(),
            {"organization_id", "actor_id"},
        )
