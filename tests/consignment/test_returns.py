"""Returns and recalls, damage and counts at the outlet (binakarya/consignment/returns.py)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum

from binakarya.consignment.models import (
    Agreement,
    ConsignmentReturn,
    ConsignmentSale,
    DamageRecord,
    OutletCount,
    OutletCountLine,
)
from binakarya.consignment.returns import (
    CountLineInput,
    ShelfLine,
    consignment_return_create,
    consignment_return_receive,
    outlet_count_post,
    outlet_damage_record,
)
from binakarya.consignment.services import PlacementLineInput, placement_receive, placement_send
from binakarya.core.models import AuditEvent
from binakarya.inventory.fifo import InsufficientStock
from binakarya.inventory.models import MovementKind, StockBalance, StockMovement, Transfer
from binakarya.inventory.services import stock_reconcile_differences, transfer_send
from binakarya.ledger.models import JournalLine
from binakarya.ledger.selectors import outlet_owed


def units_at(location, sku=None):
    qs = StockBalance.objects.filter(location=location)
    if sku:
        qs = qs.filter(variant__sku=sku)
    return qs.aggregate(t=Sum("quantity"))["t"] or 0


def assert_books_sound():
    assert JournalLine.objects.aggregate(t=Sum("amount_idr"))["t"] in (0, None)
    assert stock_reconcile_differences() == []


@pytest.fixture
def shelf(world, agreement):
    """6 whips and 4 bags on the hotel's shelf, received by its partner."""
    placement = placement_send(
        actor=world["admin"],
        agreement=agreement,
        from_location=world["store"],
        lines=[PlacementLineInput(world["whip"], 6), PlacementLineInput(world["bag"], 4)],
    )
    placement_receive(actor=world["partner"], placement=placement)
    return agreement


def set_borne_by(agreement, party):
    Agreement.objects.filter(pk=agreement.pk).update(damage_borne_by=party, shortage_borne_by=party)
    agreement.refresh_from_db()
    return agreement


# Returns and recalls


def test_staff_recall_brings_units_back_to_the_store_with_a_document(world, shelf):
    # when
    returned = consignment_return_create(
        actor=world["admin"],
        agreement=shelf,
        kind="RECALL",
        lines=[ShelfLine("smp-pct-001", 2), ShelfLine("SMP-RJT-001", 1, lot_code=world["bag_lot"].code)],
        reason="Lambat laku",
    )

    # then the units are back at the store, received at once, under a surat jalan with prices
    assert units_at(shelf.location) == 7 and units_at(world["store"]) == 16 - 10 + 3
    assert returned.transfer.status == Transfer.Status.RECEIVED and returned.received_by == world["admin"]
    document = returned.transfer.document
    assert len(document.verify_code) == 12
    assert document.public_figures["consignment_return"] == "RECALL"
    assert document.public_figures["prices"] == {"SMP-PCT-001": 75_000, "SMP-RJT-001": 120_000}
    assert document.public_figures["value_idr"] == 2 * 75_000 + 120_000
    assert [(line.variant.sku, line.quantity, line.unit_price_idr) for line in returned.lines.all()] == [
        ("SMP-PCT-001", 2, 75_000),
        ("SMP-RJT-001", 1, 120_000),
    ]
    assert AuditEvent.objects.filter(action="consignment.return", actor=world["admin"]).count() == 1
    assert_books_sound()


def test_the_partner_returns_goods_and_staff_confirm_receipt(world, shelf):
    # when the partner hands 3 whips back
    returned = consignment_return_create(
        actor=world["partner"], agreement=shelf, kind="RETURN", lines=[ShelfLine("SMP-PCT-001", 3)]
    )

    # then they are in transit until the seller's staff confirm
    assert returned.transfer.status == Transfer.Status.IN_TRANSIT and units_at(shelf.location, "SMP-PCT-001") == 3
    with pytest.raises(PermissionDenied):
        consignment_return_receive(actor=world["partner"], consignment_return=returned)
    consignment_return_receive(actor=world["admin"], consignment_return=returned)
    returned.transfer.refresh_from_db()
    assert returned.transfer.status == Transfer.Status.RECEIVED and units_at(world["store"], "SMP-PCT-001") == 7
    assert_books_sound()


def test_the_partner_may_not_recall_and_strangers_may_do_nothing(world, shelf):
    with pytest.raises(PermissionDenied):
        consignment_return_create(
            actor=world["partner"], agreement=shelf, kind="RECALL", lines=[ShelfLine("SMP-PCT-001", 1)]
        )
    for actor in (world["other_partner"], world["stranger"]):
        with pytest.raises(PermissionDenied):
            consignment_return_create(actor=actor, agreement=shelf, kind="RETURN", lines=[ShelfLine("SMP-PCT-001", 1)])
    assert not ConsignmentReturn.objects.exists()


def test_returning_more_than_the_outlet_holds_names_the_sku_and_saves_nothing(world, shelf):
    transfers = Transfer.objects.count()
    with pytest.raises(InsufficientStock) as error:
        consignment_return_create(
            actor=world["admin"],
            agreement=shelf,
            kind="RECALL",
            lines=[ShelfLine("SMP-PCT-001", 2), ShelfLine("SMP-RJT-001", 5)],
        )
    assert "SMP-RJT-001" in " ".join(error.value.messages) and "4" in " ".join(error.value.messages)
    assert not ConsignmentReturn.objects.exists() and Transfer.objects.count() == transfers
    assert units_at(shelf.location) == 10


def test_an_unknown_sku_is_refused(world, shelf):
    with pytest.raises(ValidationError) as error:
        consignment_return_create(actor=world["admin"], agreement=shelf, kind="RECALL", lines=[ShelfLine("NOPE", 1)])
    assert "NOPE" in " ".join(error.value.messages)


# Damage


def test_damage_borne_by_the_outlet_is_charged_as_a_sale(world, shelf):
    # given damage borne by the outlet
    set_borne_by(shelf, "OUTLET")

    # when one bag is found damaged
    (record,) = outlet_damage_record(
        actor=world["admin"], agreement=shelf, lines=[ShelfLine("SMP-RJT-001", 1)], note="Sobek"
    )

    # then the outlet owes its net (120.000 less 20 %), and the sale is linked
    assert record.sale is not None and record.movement is None and record.borne_by == "OUTLET"
    assert outlet_owed(organization=world["facility"], outlet=world["hotel"]) == 96_000
    assert units_at(shelf.location, "SMP-RJT-001") == 3
    event = AuditEvent.objects.get(action="consignment.sale")
    assert "charged to the outlet under the agreement" in str(event.data)
    assert_books_sound()


def test_damage_borne_by_the_seller_is_written_off_without_money(world, shelf):
    set_borne_by(shelf, "SELLER")
    (record,) = outlet_damage_record(actor=world["admin"], agreement=shelf, lines=[ShelfLine("SMP-PCT-001", 2)])
    assert record.sale is None and record.movement.kind == MovementKind.DAMAGED
    assert record.movement.location == shelf.location and record.movement.quantity == -2
    assert outlet_owed(organization=world["facility"], outlet=world["hotel"]) == 0
    assert not ConsignmentSale.objects.exists()
    assert_books_sound()


def test_damage_beyond_the_shelf_and_from_the_partner_is_refused(world, shelf):
    with pytest.raises(InsufficientStock):
        outlet_damage_record(actor=world["admin"], agreement=shelf, lines=[ShelfLine("SMP-PCT-001", 7)])
    with pytest.raises(PermissionDenied):
        outlet_damage_record(actor=world["partner"], agreement=shelf, lines=[ShelfLine("SMP-PCT-001", 1)])
    assert not DamageRecord.objects.exists() and not ConsignmentSale.objects.exists()


# Counts


def test_a_count_charges_a_shortage_to_the_outlet_and_adjusts_a_surplus_in(world, shelf):
    set_borne_by(shelf, "OUTLET")
    whip, bag = world["whip_lot"].code, world["bag_lot"].code

    count = outlet_count_post(
        actor=world["admin"],
        agreement=shelf,
        lines=[CountLineInput("SMP-PCT-001", whip, 4), CountLineInput("SMP-RJT-001", bag, 5)],
        note="Opname Desember",
    )

    assert (count.shortage_units, count.surplus_units) == (2, 1)
    assert count.sale is not None and count.charged_idr == 2 * 60_000
    assert outlet_owed(organization=world["facility"], outlet=world["hotel"]) == 120_000
    outcomes = {line.variant.sku: line.outcome for line in count.lines.all()}
    assert outcomes == {"SMP-PCT-001": OutletCountLine.Outcome.CHARGED, "SMP-RJT-001": "ADJUSTED_IN"}
    assert units_at(shelf.location, "SMP-PCT-001") == 4 and units_at(shelf.location, "SMP-RJT-001") == 5
    assert StockMovement.objects.filter(kind=MovementKind.COUNTED, location=shelf.location).count() == 1
    assert_books_sound()


def test_a_shortage_borne_by_the_seller_is_written_off(world, shelf):
    set_borne_by(shelf, "SELLER")
    count = outlet_count_post(
        actor=world["admin"], agreement=shelf, lines=[CountLineInput("SMP-PCT-001", world["whip_lot"].code, 5)]
    )
    assert count.sale is None and count.stock_count is not None and count.charged_idr == 0
    assert count.lines.get().outcome == OutletCountLine.Outcome.WRITTEN_OFF
    assert units_at(shelf.location, "SMP-PCT-001") == 5
    assert outlet_owed(organization=world["facility"], outlet=world["hotel"]) == 0
    assert_books_sound()


def test_a_bad_count_line_saves_nothing(world, shelf):
    with pytest.raises(ValidationError) as error:
        outlet_count_post(
            actor=world["admin"],
            agreement=shelf,
            lines=[CountLineInput("SMP-PCT-001", world["whip_lot"].code, 1), CountLineInput("SMP-RJT-001", "X", 1)],
        )
    assert "SMP-RJT-001" in " ".join(error.value.messages)
    assert not OutletCount.objects.exists() and not ConsignmentSale.objects.exists()
    assert units_at(shelf.location) == 10
    with pytest.raises(PermissionDenied):
        outlet_count_post(
            actor=world["stranger"], agreement=shelf, lines=[CountLineInput("SMP-PCT-001", world["whip_lot"].code, 1)]
        )


def test_transfer_send_with_lots_refuses_more_than_the_lot_holds(world, shelf):
    with pytest.raises(InsufficientStock) as error:
        transfer_send(
            actor=world["admin"],
            from_location=shelf.location,
            to_location=world["store"],
            lines=[],
            lots=[(world["whip_lot"], 7)],
        )
    assert world["whip_lot"].code in " ".join(error.value.messages)
    assert units_at(shelf.location) == 10
