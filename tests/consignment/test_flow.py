import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from binakarya.consignment.models import ConsignmentSale, Placement
from binakarya.consignment.selectors import outlet_stock_for
from binakarya.consignment.services import (
    OutletSaleLine,
    PlacementLineInput,
    agreement_create,
    outlet_sale_record,
    placement_receive,
    placement_send,
)
from binakarya.core.models import AuditEvent
from binakarya.documents.models import Document
from binakarya.inventory.fifo import InsufficientStock
from binakarya.inventory.models import StockBalance, Transfer
from binakarya.inventory.services import transfer_receive
from binakarya.ledger.models import Account
from binakarya.ledger.selectors import account_balance, maker_premi_owed
from binakarya.sales.models import Channel


def place(world, agreement, whips=4, bags=2):
    return placement_send(
        actor=world["admin"],
        agreement=agreement,
        from_location=world["store"],
        lines=[PlacementLineInput(world["whip"], whips), PlacementLineInput(world["bag"], bags, 110_000)],
    )


def units_at(location):
    return sum(StockBalance.objects.filter(location=location).values_list("quantity", flat=True))


def test_placing_goods_sends_a_transfer_with_its_tanda_terima(world, agreement):
    # when
    placement = place(world, agreement)

    # then the units are in transit to the hotel's shelf, under a surat jalan with a verification code
    transfer = placement.transfer
    assert (transfer.to_location, transfer.status) == (agreement.location, Transfer.Status.IN_TRANSIT)
    document = Document.objects.get(pk=transfer.document_id)
    assert document.kind == Document.Kind.SURAT_JALAN and len(document.verify_code) == 12
    assert document.public_figures["prices"] == {"SMP-PCT-001": 75_000, "SMP-RJT-001": 110_000}
    assert document.public_figures["consignment"] == "Hotel Bintang Sumenep"
    assert [(line.variant.sku, line.quantity, line.unit_price_idr) for line in placement.lines.all()] == [
        ("SMP-PCT-001", 4, 75_000),
        ("SMP-RJT-001", 2, 110_000),
    ]
    assert units_at(world["store"]) == 10
    assert AuditEvent.objects.filter(action="consignment.placement_send", actor=world["admin"]).count() == 1


def test_placing_more_than_the_store_holds_saves_nothing(world, agreement):
    with pytest.raises(InsufficientStock):
        place(world, agreement, whips=11)
    assert not Placement.objects.exists() and not Transfer.objects.exists()


def test_the_partner_cannot_receive_through_inventory_but_confirms_through_consignment(world, agreement):
    # given
    placement = place(world, agreement)

    # when the partner calls the inventory service, it refuses: they do not manage the seller's stock
    with pytest.raises(PermissionDenied):
        transfer_receive(actor=world["partner"], transfer=placement.transfer)

    # but confirms receipt through consignment, one whip missing
    lines = {line.variant.sku: line for line in placement.transfer.lines.all()}
    placement_receive(
        actor=world["partner"],
        placement=placement,
        received={lines["SMP-PCT-001"].pk: 3, lines["SMP-RJT-001"].pk: 2},
    )

    # then the difference is recorded, the shelf holds what arrived, and who confirmed is kept
    placement.refresh_from_db()
    assert placement.transfer.status == Transfer.Status.DISCREPANCY
    assert placement.received_by == world["partner"]
    assert units_at(agreement.location) == 5
    event = AuditEvent.objects.get(action="consignment.placement_receive")
    assert (event.actor, event.data["missing"]) == (world["partner"], 1)


def test_another_outlets_partner_cannot_confirm(world, agreement):
    placement = place(world, agreement)
    for user in (world["other_partner"], world["stranger"]):
        with pytest.raises(PermissionDenied):
            placement_receive(actor=user, placement=placement)
    placement.transfer.refresh_from_db()
    assert placement.transfer.status == Transfer.Status.IN_TRANSIT


@pytest.fixture
def stocked(world, agreement):
    placement = place(world, agreement)
    placement_receive(actor=world["partner"], placement=placement)
    return placement


def test_the_partner_records_a_sale_that_pays_premi_and_grows_the_outlets_receivable_by_the_net(
    world, agreement, stocked, today
):
    # given
    premi_before = [maker_premi_owed(maker=m) for m in world["makers"]]

    # when the hotel sold 3 whips (catalog Rp75.000) and 1 bag at the placed price Rp110.000 yesterday
    recorded = outlet_sale_record(
        actor=world["partner"],
        agreement=agreement,
        sold_date=today - datetime.timedelta(days=1),
        lines=[OutletSaleLine("smp-pct-001", 3), OutletSaleLine("SMP-RJT-001", 1, 110_000)],
    )

    # then it is an OUTLET sale at the hotel's shelf with the agreement's commission
    sale = recorded.sale
    gross = 3 * 75_000 + 110_000
    commission = 3 * 75_000 * 2000 // 10_000 + 110_000 * 2000 // 10_000
    assert (sale.channel, sale.location, sale.gross_idr, sale.commission_idr) == (
        Channel.OUTLET,
        agreement.location,
        gross,
        commission,
    )
    assert sale.created_by is None and recorded.recorded_by == world["partner"]
    assert recorded.sold_date == today - datetime.timedelta(days=1)
    # premi went to both lots' makers
    premi_after = [maker_premi_owed(maker=m) for m in world["makers"]]
    assert all(after > before for before, after in zip(premi_before, premi_after, strict=True))
    # the hotel owes the gross and keeps the commission: its net position is gross − commission
    receivable = Account.objects.get(organization=world["facility"], kind="RECEIVABLE", counterparty=world["hotel"])
    commission_account = Account.objects.get(
        organization=world["facility"], kind="COMMISSION", counterparty=world["hotel"]
    )
    assert account_balance(account=receivable) == gross
    assert account_balance(account=commission_account) == -commission
    assert account_balance(account=receivable) + account_balance(account=commission_account) == gross - commission
    # who did it is in the audit row
    event = AuditEvent.objects.get(action="consignment.sale")
    assert (event.actor, event.data["by_partner"], event.data["commission_idr"]) == (
        world["partner"],
        True,
        commission,
    )
    # the shelf is down by the units sold
    assert units_at(agreement.location) == 2


def test_seller_staff_record_sales_in_their_own_name(world, agreement, stocked, today):
    recorded = outlet_sale_record(
        actor=world["finance"], agreement=agreement, sold_date=today, lines=[OutletSaleLine("SMP-PCT-001", 1)]
    )
    assert recorded.sale.created_by == world["finance"] and recorded.recorded_by == world["finance"]


def test_per_product_commission_at_agreed_prices(world, today):
    # given
    agreement = agreement_create(
        actor=world["admin"],
        organization=world["facility"],
        outlet=world["hotel"],
        commission_per_product={world["whip"]: 12_500},
        agreed_prices={world["whip"]: 200_000},  # far above the catalog's Rp75.000: kept with its reason
        settlement_period="WEEKLY",
        payment_days=7,
        start_date=today,
    )
    placement = placement_send(
        actor=world["admin"],
        agreement=agreement,
        from_location=world["store"],
        lines=[PlacementLineInput(world["whip"], 5)],
    )
    placement_receive(actor=world["partner"], placement=placement)

    # when
    sale = outlet_sale_record(
        actor=world["partner"], agreement=agreement, sold_date=today, lines=[OutletSaleLine("SMP-PCT-001", 2)]
    ).sale

    # then
    assert (sale.gross_idr, sale.commission_idr) == (400_000, 25_000)
    assert placement.lines.get().unit_price_idr == 200_000
    assert sale.lines.get().price_reason == "Price agreed with Hotel Bintang Sumenep"


def test_selling_more_than_the_outlet_holds_is_refused_naming_the_sku(world, agreement, stocked, today):
    with pytest.raises(InsufficientStock) as error:
        outlet_sale_record(
            actor=world["partner"], agreement=agreement, sold_date=today, lines=[OutletSaleLine("SMP-PCT-001", 5)]
        )
    assert "SMP-PCT-001" in " ".join(error.value.messages)
    assert not ConsignmentSale.objects.exists()


@pytest.mark.parametrize(
    "lines, sold_days_ago",
    [
        ([OutletSaleLine("NOPE-1", 1)], 0),
        ([OutletSaleLine("SMP-PCT-001", 0)], 0),
        ([OutletSaleLine("SMP-PCT-001", 1, 0)], 0),
        ([OutletSaleLine("SMP-PCT-001", 1)], -1),  # tomorrow
        ([OutletSaleLine("SMP-PCT-001", 1)], 31),  # before the agreement
        ([], 0),
    ],
)
def test_bad_sales_are_refused(world, agreement, stocked, today, lines, sold_days_ago):
    with pytest.raises(ValidationError):
        outlet_sale_record(
            actor=world["partner"],
            agreement=agreement,
            sold_date=today - datetime.timedelta(days=sold_days_ago),
            lines=lines,
        )
    assert not ConsignmentSale.objects.exists()


def test_another_outlets_partner_and_another_facilitys_staff_cannot_record(world, agreement, stocked, today):
    for user in (world["other_partner"], world["stranger"]):
        with pytest.raises(PermissionDenied):
            outlet_sale_record(
                actor=user, agreement=agreement, sold_date=today, lines=[OutletSaleLine("SMP-PCT-001", 1)]
            )
    assert not ConsignmentSale.objects.exists()


def test_the_partner_sees_the_shelf_with_prices_and_days_but_no_maker(world, agreement, stocked, today):
    # when
    rows = outlet_stock_for(user=world["partner"], agreement=agreement, today=today + datetime.timedelta(days=9))

    # then
    assert [(r.sku, r.lot, r.quantity, r.unit_price_idr, r.days_on_shelf) for r in rows] == [
        ("SMP-PCT-001", world["whip_lot"].code, 4, 75_000, 9),
        ("SMP-RJT-001", world["bag_lot"].code, 2, 110_000, 9),
    ]
    text = repr(rows)
    assert all(name not in text for name in ("Ahmad", "Slamet", "Rahasiawan", "Tersembunyi"))
    assert not any("maker" in field for field in rows[0].__dataclass_fields__)


def test_a_per_product_agreement_places_only_products_it_sets_a_commission_for(world, today):
    agreement = agreement_create(
        actor=world["admin"],
        organization=world["facility"],
        outlet=world["hotel"],
        commission_per_product={world["whip"]: 10_000},
        settlement_period="WEEKLY",
        payment_days=7,
        start_date=today,
    )
    with pytest.raises(ValidationError) as error:
        placement_send(
            actor=world["admin"],
            agreement=agreement,
            from_location=world["store"],
            lines=[PlacementLineInput(world["bag"], 1)],
        )
    assert error.value.message_dict["lines"] == ["The agreement sets no commission for SMP-RJT-001."]
    assert not Placement.objects.exists() and not Transfer.objects.exists()
