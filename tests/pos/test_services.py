"""The point of sale's services: sessions, till sales by lot code or SKU, payment, receipts, closing."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from binakarya.core.models import AuditEvent
from binakarya.documents.models import Document
from binakarya.inventory.fifo import InsufficientStock
from binakarya.inventory.models import Location, StockBalance
from binakarya.inventory.services import location_create
from binakarya.ledger.selectors import maker_premi_owed
from binakarya.organizations.models import Role
from binakarya.pos.models import PosSale, PosSession
from binakarya.pos.services import PosLineInput, pos_sale_record, pos_session_close, pos_session_open
from binakarya.sales.models import Channel, Sale
from tests.factories import MembershipFactory, UserFactory


def units(lot, location) -> int:
    return StockBalance.objects.get(lot=lot, location=location).quantity


def test_a_session_opens_at_the_bazaar_with_its_number(bazaar):
    session = pos_session_open(actor=bazaar["cashier"], location=bazaar["event"], opening_cash_idr=200_000)
    assert session.status == PosSession.Status.OPEN
    assert session.number.startswith("KAS-SMP-")
    assert session.cashier == bazaar["cashier"]
    assert AuditEvent.objects.filter(action="pos.session_open", object_id=str(session.pk)).count() == 1


def test_a_cashier_has_one_open_session(bazaar):
    pos_session_open(actor=bazaar["cashier"], location=bazaar["event"], opening_cash_idr=0)
    with pytest.raises(ValidationError) as exc:
        pos_session_open(actor=bazaar["cashier"], location=bazaar["store"], opening_cash_idr=0)
    assert exc.value.error_dict["__all__"][0].code == "session_open"
    # The database refuses a second open session too.
    first = PosSession.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        PosSession.objects.create(
            organization=first.organization,
            number="KAS-X",
            location=first.location,
            cashier=first.cashier,
            opened_at=first.opened_at,
            opening_cash_idr=0,
        )


def test_a_till_needs_a_selling_location_of_ours(bazaar):
    outlet_org = MembershipFactory(role=Role.OUTLET_PARTNER).organization
    outlet_org.kind = "OUTLET"
    outlet_org.save()
    outlet = location_create(
        actor=None, organization=bazaar["facility"], name="Toko Mitra", kind=Location.Kind.OUTLET, outlet=outlet_org
    )
    with pytest.raises(ValidationError) as exc:
        pos_session_open(actor=bazaar["cashier"], location=outlet, opening_cash_idr=0)
    assert "location" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        pos_session_open(actor=bazaar["cashier"], location=bazaar["event"], opening_cash_idr=-1)
    assert "opening_cash_idr" in exc.value.error_dict
    assert not PosSession.objects.exists()


def test_selling_by_lot_code_takes_that_lot_and_pays_its_makers(bazaar):
    ahmad, slamet, _joko = bazaar["makers"]
    session = pos_session_open(actor=bazaar["cashier"], location=bazaar["event"], opening_cash_idr=100_000)
    pos_sale = pos_sale_record(
        actor=bazaar["cashier"],
        session=session,
        lines=[PosLineInput(bazaar["new_lot"].code.lower(), 2)],
        payment_method="CASH",
        cash_received_idr=1_000_000,
    )
    sale = pos_sale.sale
    assert sale.channel == Channel.POS and sale.location == bazaar["event"]
    assert [(line.lot_id, line.quantity, line.unit_price_idr) for line in sale.lines.all()] == [
        (bazaar["new_lot"].pk, 2, 450_000)
    ]
    assert units(bazaar["new_lot"], bazaar["event"]) == 1
    assert units(bazaar["old_lot"], bazaar["event"]) == 3  # first in, first out would have taken these
    assert maker_premi_owed(maker=slamet) > 0
    assert maker_premi_owed(maker=ahmad) == 0
    assert pos_sale.total_idr == 900_000 and pos_sale.change_idr == 100_000
    receipt = pos_sale.receipt
    assert receipt.kind == Document.Kind.POS_RECEIPT and receipt.number == sale.number
    assert receipt.public_figures["total_idr"] == 900_000
    assert AuditEvent.objects.filter(action="pos.sale", object_id=str(pos_sale.pk)).count() == 1


def test_selling_by_sku_takes_first_in_first_out(bazaar):
    session = pos_session_open(actor=bazaar["cashier"], location=bazaar["event"], opening_cash_idr=0)
    pos_sale = pos_sale_record(
        actor=bazaar["cashier"], session=session, lines=[PosLineInput("smp-btk-001", 1)], payment_method="QRIS"
    )
    assert pos_sale.sale.lines.get().lot == bazaar["old_lot"]
    assert pos_sale.cash_received_idr is None and pos_sale.change_idr == 0


def test_bad_sales_are_refused_and_save_nothing(bazaar, stranger):
    session = pos_session_open(actor=bazaar["cashier"], location=bazaar["event"], opening_cash_idr=0)
    lot = bazaar["new_lot"]

    def sell(lines, method="CASH", cash=10_000_000):
        return pos_sale_record(
            actor=bazaar["cashier"], session=session, lines=lines, payment_method=method, cash_received_idr=cash
        )

    with pytest.raises(ValidationError) as exc:
        sell([PosLineInput("NOSUCHCODE", 1)])
    assert exc.value.error_dict["lines"][0].code == "unknown_code"
    with pytest.raises(InsufficientStock) as short:
        sell([PosLineInput(lot.code, 4)])
    assert "SMP-BTK-001" in short.value.messages[0] and lot.code in short.value.messages[0]
    with pytest.raises(ValidationError) as exc:
        sell([PosLineInput(lot.code, 1)], cash=400_000)
    assert exc.value.error_dict["cash_received_idr"][0].code == "cash_short"
    with pytest.raises(ValidationError) as exc:
        sell([PosLineInput(lot.code, 1)], cash=None)
    assert "cash_received_idr" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        sell([PosLineInput(lot.code, 0)])
    assert exc.value.error_dict["lines"][0].code == "quantity"
    with pytest.raises(ValidationError):
        sell([PosLineInput(lot.code, 1)], method="CARD")
    with pytest.raises(ValidationError):
        sell([])
    assert not Sale.objects.exists() and not PosSale.objects.exists()
    assert units(lot, bazaar["event"]) == 3


def test_a_lot_of_another_organization_cannot_be_sold(bazaar, stranger):
    from tests.factories import GroupFactory, GroupMembershipFactory, ProducerFactory, VariantFactory, make_lot

    other_org = stranger.memberships.get().organization
    group = GroupFactory(organization=other_org)
    GroupMembershipFactory(group=group)
    producer = ProducerFactory(group=group)
    variant = VariantFactory(product__producer=producer, product__organization=other_org)
    other_store = location_create(actor=None, organization=other_org, name="Gudang", kind=Location.Kind.STORE)
    other_lot = make_lot(variant=variant, group=group, location=other_store, quantity=2)
    session = pos_session_open(actor=bazaar["cashier"], location=bazaar["event"], opening_cash_idr=0)
    with pytest.raises(ValidationError) as exc:
        pos_sale_record(
            actor=bazaar["cashier"], session=session, lines=[PosLineInput(other_lot.code, 1)], payment_method="QRIS"
        )
    assert exc.value.error_dict["lines"][0].code == "lot_elsewhere"


def test_only_the_cashier_or_an_admin_sells_into_a_session(bazaar, stranger):
    session = pos_session_open(actor=bazaar["cashier"], location=bazaar["event"], opening_cash_idr=0)
    colleague = UserFactory(username="kasir-dua")
    MembershipFactory(user=colleague, organization=bazaar["facility"], role=Role.FINANCE_OFFICER)
    line = [PosLineInput(bazaar["whip_lot"].code, 1)]
    for user in (colleague, stranger):
        with pytest.raises(PermissionDenied):
            pos_sale_record(actor=user, session=session, lines=line, payment_method="QRIS")
        with pytest.raises(PermissionDenied):
            pos_session_close(actor=user, session=session, counted_cash_idr=0)
    pos_sale_record(actor=bazaar["admin"], session=session, lines=line, payment_method="QRIS")
    assert PosSale.objects.count() == 1


def test_closing_counts_the_cash_and_issues_the_report(bazaar):
    session = pos_session_open(actor=bazaar["cashier"], location=bazaar["event"], opening_cash_idr=200_000)
    cashier = bazaar["cashier"]
    pos_sale_record(
        actor=cashier,
        session=session,
        lines=[PosLineInput(bazaar["new_lot"].code, 1), PosLineInput(bazaar["whip_lot"].code, 2)],
        payment_method="CASH",
        cash_received_idr=700_000,
    )
    pos_sale_record(
        actor=cashier, session=session, lines=[PosLineInput(bazaar["old_lot"].code, 1)], payment_method="QRIS"
    )
    closed = pos_session_close(actor=cashier, session=session, counted_cash_idr=790_000, note="kurang 10 ribu")
    # Expected: Rp200.000 opening + Rp600.000 cash sale (QRIS is not in the drawer).
    assert closed.expected_cash_idr == 800_000
    assert closed.difference_idr == -10_000
    assert closed.status == PosSession.Status.CLOSED and closed.closed_at is not None
    report = closed.closing_document
    assert report.kind == Document.Kind.POS_CLOSING and report.number == closed.number
    assert report.public_figures["cash_idr"] == 600_000 and report.public_figures["qris_idr"] == 450_000
    with pytest.raises(ValidationError) as exc:
        pos_sale_record(
            actor=cashier, session=closed, lines=[PosLineInput(bazaar["whip_lot"].code, 1)], payment_method="QRIS"
        )
    assert exc.value.code == "session_closed"
    with pytest.raises(ValidationError):
        pos_session_close(actor=cashier, session=closed, counted_cash_idr=0)
    # A new session may open once the last is closed.
    assert pos_session_open(actor=cashier, location=bazaar["event"], opening_cash_idr=0).number != closed.number


def test_documents_show_no_maker(bazaar):
    session = pos_session_open(actor=bazaar["cashier"], location=bazaar["event"], opening_cash_idr=0)
    pos_sale = pos_sale_record(
        actor=bazaar["cashier"], session=session, lines=[PosLineInput(bazaar["new_lot"].code, 1)], payment_method="QRIS"
    )
    closed = pos_session_close(actor=bazaar["cashier"], session=session, counted_cash_idr=0)
    for document in (pos_sale.receipt, closed.closing_document):
        text = str(document.public_figures) + document.title
        for maker in bazaar["makers"]:
            assert maker.full_name not in text


def test_a_qris_sale_puts_its_money_in_the_bank_and_a_cash_sale_in_the_drawer(bazaar):
    from django.db.models import Sum

    from binakarya.ledger.models import JournalLine

    session = pos_session_open(actor=bazaar["cashier"], location=bazaar["event"], opening_cash_idr=0)
    qris = pos_sale_record(
        actor=bazaar["cashier"], session=session, lines=[PosLineInput("SMP-BTK-001", 1)], payment_method="QRIS"
    )
    cash = pos_sale_record(
        actor=bazaar["cashier"],
        session=session,
        lines=[PosLineInput("SMP-BTK-001", 1)],
        payment_method="CASH",
        cash_received_idr=10_000_000,
    )

    def balance(kind: str) -> int:
        lines = JournalLine.objects.filter(organization=bazaar["facility"], account__kind=kind)
        return lines.aggregate(total=Sum("amount_idr"))["total"] or 0

    assert balance("BANK") == qris.total_idr
    assert balance("CASH") == cash.total_idr
