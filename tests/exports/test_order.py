"""The export order in the services: the buyer confirms a pro-forma, pays by T/T (held for them), the goods ship
and the sale is recorded through sale_record, so the makers earn their premi; the money held pays for it. Every
refusal leaves nothing behind."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from binakarya.core.models import AuditEvent
from binakarya.documents.models import Document
from binakarya.exports.models import ExportInquiry, ExportOrder, ExportPayment, Shipment
from binakarya.exports.orders import (
    ExportConflict,
    ShipmentInput,
    order_confirm,
    order_payment_record,
    shipment_record,
)
from binakarya.exports.selectors import ska_checklist
from binakarya.exports.services import (
    Buyer,
    InquiryLineInput,
    ProformaInput,
    inquiry_close,
    inquiry_submit,
    proforma_issue,
)
from binakarya.inventory.fifo import InsufficientStock
from binakarya.inventory.models import StockBalance
from binakarya.ledger.models import Account, JournalEntry, JournalLine
from binakarya.sales.models import Channel, Sale
from tests.exports.world import stock_up

BUYER = Buyer("Kyoto Crafts K.K.", "Yuki Tanaka", "yuki@kyoto-crafts.example")


def units(location, variant):
    return sum(StockBalance.objects.filter(location=location, variant=variant).values_list("quantity", flat=True))


def balance(organization, kind, **party):
    return sum(
        JournalLine.objects.filter(account__organization=organization, account__kind=kind, **party).values_list(
            "amount_idr", flat=True
        )
    )


def inquiry_for(incoterm="FOB", place="Tanjung Perak, Surabaya", whips=60, kites=25):
    return inquiry_submit(
        actor=None,
        buyer=BUYER,
        country="JP",
        incoterm=incoterm,
        place=place,
        lines=[InquiryLineInput("SMP-PCT-001", whips), InquiryLineInput("SMP-LYG-001", kites)],
        language="en",
    )


@pytest.fixture
def stock(world, today):
    return stock_up(world, today)


@pytest.fixture
def proforma(world, stock, today):
    # 60 whips at Rp125.000 and 25 kites at Rp80.000: Rp9.500.000, US$584.40 at Rp16.250.
    return proforma_issue(actor=world["admin"], inquiry=inquiry_for(), data=ProformaInput(), today=today)


@pytest.fixture
def order(world, proforma, today):
    return order_confirm(actor=world["admin"], proforma=proforma, po_number="KC-PO-2026-118", po_date=today)


def paid(world, order, *amounts):
    for amount in amounts:
        order_payment_record(actor=world["admin"], order=order, amount_idr=amount)
    order.refresh_from_db()
    return order


def shipping(stock, today, **changes):
    data = {
        "shipped_on": today,
        "peb_number": "000123 10-12-2026",
        "transport_number": "MSKU 7781234",
        "vessel": "Meratus Jayakarta V.118",
        "location": stock["store"],
    }
    return ShipmentInput(**(data | changes))


def nothing_shipped(world, stock):
    return (
        not Shipment.objects.exists()
        and not Sale.objects.exists()
        and not Document.objects.filter(kind=Document.Kind.INVOICE).exists()
        and not JournalEntry.objects.filter(kind=JournalEntry.Kind.ORDER_SETTLEMENT).exists()
        and units(stock["store"], world["whip"]) == 100
        and units(stock["store"], world["kite"]) == 40
    )


def test_the_whole_chain_records_the_sale_and_pays_the_makers_premi(world, stock, proforma, today):
    facility = world["facility"]

    order = order_confirm(actor=world["admin"], proforma=proforma, po_number=" KC-PO-2026-118 ", po_date=today)

    assert (order.status, order.po_number, order.total_idr, order.paid_idr) == (
        "CONFIRMED",
        "KC-PO-2026-118",
        9_500_000,
        0,
    )
    assert ExportInquiry.objects.get().status == ExportInquiry.Status.CONFIRMED

    # 50% in advance: the bank credits Rp4.750.000 for US$292.20
    advance = order_payment_record(
        actor=world["admin"],
        order=order,
        amount_idr=4_750_000,
        amount_foreign=Decimal("292.20"),
        reference="SWIFT MT103 KCBKJPJT 0412",
    )
    assert (advance.amount_idr, advance.amount_foreign, advance.reference) == (
        4_750_000,
        Decimal("292.20"),
        "SWIFT MT103 KCBKJPJT 0412",
    )
    assert balance(facility, Account.Kind.BUYER_DEPOSITS) == -4_750_000
    assert balance(facility, Account.Kind.BANK) == 4_750_000
    order.refresh_from_db()
    assert (order.status, order.paid_idr, order.due_idr) == ("CONFIRMED", 4_750_000, 4_750_000)

    # the balance before shipment, credited at a better rate: Rp50.000 above the total
    order_payment_record(actor=world["admin"], order=order, amount_idr=4_800_000, amount_foreign=Decimal("292.20"))
    order.refresh_from_db()
    assert (order.status, order.paid_idr, order.due_idr) == ("PAID", 9_550_000, 0)
    assert Sale.objects.count() == 0  # nothing is sold before the goods ship

    shipment = shipment_record(actor=world["admin"], order=order, data=shipping(stock, today))

    sale = shipment.sale
    assert (sale.channel, sale.gross_idr, sale.buyer_id, sale.buyer_name, sale.location) == (
        Channel.EXPORT,
        9_500_000,
        None,
        "Kyoto Crafts K.K.",
        stock["store"],
    )
    assert [(line.variant.sku, line.quantity, line.unit_price_idr) for line in sale.lines.order_by("pk")] == [
        ("SMP-PCT-001", 60, 125_000),
        ("SMP-LYG-001", 25, 80_000),
    ]
    # the makers' premi follow the sale: both contributed equally to both lots
    premi = [-balance(facility, Account.Kind.PREMI_PAYABLE, account__maker=maker) for maker in world["makers"]]
    assert premi[0] == premi[1] > 0
    assert sum(premi) == sale.premi_idr
    # the money held pays for the goods; the Rp50.000 above the total is the facility's (PNBP)
    assert shipment.extra_idr == 50_000
    assert balance(facility, Account.Kind.BUYER_DEPOSITS) == 0
    assert balance(facility, Account.Kind.CASH) == 0
    assert balance(facility, Account.Kind.BANK) == 9_550_000
    assert balance(facility, Account.Kind.SHIPPING_PAYABLE) == 0
    settlement = shipment.settlement_entry
    assert sorted((line.account.kind, line.amount_idr) for line in settlement.lines.all()) == [
        ("BUYER_DEPOSITS", 9_550_000),
        ("CASH", -9_500_000),
        ("PNBP_PAYABLE", -50_000),
    ]
    assert sum(JournalLine.objects.filter(account__organization=facility).values_list("amount_idr", flat=True)) == 0
    # stock left the store, first in first out
    assert (units(stock["store"], world["whip"]), units(stock["store"], world["kite"])) == (40, 15)
    # the commercial invoice
    year = today.year
    assert shipment.invoice_number == f"CI-SMP-{year}-00001"
    assert (shipment.document.kind, shipment.document.number) == ("INVOICE", shipment.invoice_number)
    assert shipment.document.public_figures == {
        "date": today.isoformat(),
        "proforma": proforma.number,
        "currency": "USD",
        "total": "USD 584.40",
        "total_idr": 9_500_000,
        "incoterm": "FOB Tanjung Perak, Surabaya",
        "items": 2,
        "units": 85,
    }
    order.refresh_from_db()
    assert order.status == ExportOrder.Status.SHIPPED
    assert ExportInquiry.objects.get().status == ExportInquiry.Status.SHIPPED
    # the checklist's PEB, B/L and invoice come from the shipment
    items = {item.key: item for item in ska_checklist(inquiry=proforma.inquiry)}
    assert (items["PEB"].ready, items["PEB"].manual, items["PEB"].reference) == (True, False, "PEB 000123 10-12-2026")
    assert items["TRANSPORT"].ready and not items["TRANSPORT"].manual
    assert items["TRANSPORT"].reference == f"MSKU 7781234, Meratus Jayakarta V.118, {today.isoformat()}"
    assert items["INVOICE"].reference == shipment.invoice_number
    assert list(
        AuditEvent.objects.filter(action__startswith="exports.").order_by("pk").values_list("action", flat=True)
    )[-4:] == ["exports.order_confirm", "exports.payment", "exports.payment", "exports.shipment"]


def test_a_cif_order_owes_its_freight_and_insurance_on(world, stock, today):
    facility = world["facility"]
    proforma = proforma_issue(
        actor=world["admin"],
        inquiry=inquiry_for("CIF", "Osaka"),
        data=ProformaInput(freight_idr=1_500_000, insurance_idr=100_000),
        today=today,
    )
    order = order_confirm(actor=world["admin"], proforma=proforma, po_number="KC-7", po_date=today)
    paid(world, order, 11_100_000)

    shipment = shipment_record(actor=world["admin"], order=order, data=shipping(stock, today))

    assert shipment.sale.gross_idr == 9_500_000 and shipment.extra_idr == 0
    assert balance(facility, Account.Kind.SHIPPING_PAYABLE) == -1_600_000
    assert balance(facility, Account.Kind.BUYER_DEPOSITS) == 0
    assert balance(facility, Account.Kind.BANK) == 11_100_000


def test_a_confirmation_is_checked_in_english(world, proforma, today, english):
    with pytest.raises(ValidationError) as error:
        order_confirm(
            actor=world["admin"], proforma=proforma, po_number=" ", po_date=today + datetime.timedelta(days=1)
        )

    assert error.value.message_dict == {
        "po_number": ["Enter the buyer's order number (their purchase order or order reference)."],
        "po_date": ["The buyer's order cannot be dated in the future."],
    }
    assert not ExportOrder.objects.exists()
    assert ExportInquiry.objects.get().status == ExportInquiry.Status.QUOTED


def test_a_confirmation_is_checked_in_indonesian(world, proforma, today):
    with translation.override("id"), pytest.raises(ValidationError) as error:
        order_confirm(actor=world["admin"], proforma=proforma, po_number="", po_date=None)

    assert error.value.message_dict == {
        "po_number": ["Masukkan nomor pesanan pembeli (purchase order atau referensi pesanannya)."],
        "po_date": ["Masukkan tanggal pesanan pembeli."],
    }
    assert not ExportOrder.objects.exists()


def test_a_pro_forma_past_its_validity_is_not_confirmed(world, stock, today, english):
    issued = today - datetime.timedelta(days=40)
    proforma = proforma_issue(
        actor=world["admin"], inquiry=inquiry_for(), data=ProformaInput(valid_days=30, currency="IDR"), today=issued
    )

    with pytest.raises(ValidationError) as error:
        order_confirm(actor=world["admin"], proforma=proforma, po_number="KC-1", po_date=today)

    message = error.value.message_dict["po_date"][0]
    assert message.startswith(f"Pro-forma invoice {proforma.number} was valid until ")
    assert error.value.error_dict["po_date"][0].code == "expired"
    assert not ExportOrder.objects.exists()


def test_a_pro_forma_is_confirmed_once_and_not_on_a_closed_inquiry(world, order, proforma, today, english):
    with pytest.raises(ExportConflict) as error:
        order_confirm(actor=world["admin"], proforma=proforma, po_number="another", po_date=today)
    assert error.value.code == "confirmed"
    assert error.value.messages == [f"The buyer has already confirmed pro-forma invoice {proforma.number}."]
    assert ExportOrder.objects.count() == 1

    # no revision once confirmed
    with pytest.raises(ValidationError) as refused:
        proforma_issue(actor=world["admin"], inquiry=proforma.inquiry, data=ProformaInput(), today=today)
    assert "status" in refused.value.message_dict

    other = proforma_issue(actor=world["admin"], inquiry=inquiry_for(), data=ProformaInput(), today=today)
    inquiry_close(actor=world["admin"], inquiry=other.inquiry)
    with pytest.raises(ExportConflict) as closed:
        order_confirm(actor=world["admin"], proforma=other, po_number="KC-2", po_date=today)
    assert closed.value.code == "closed"
    assert ExportOrder.objects.count() == 1


def test_another_sellers_staff_may_not_touch_the_order(world, stock, proforma, order, today):
    with pytest.raises(PermissionDenied):
        order_confirm(actor=world["other_admin"], proforma=proforma, po_number="X", po_date=today)
    with pytest.raises(PermissionDenied):
        order_payment_record(actor=world["other_admin"], order=order, amount_idr=1_000)
    with pytest.raises(PermissionDenied):
        shipment_record(actor=world["other_admin"], order=order, data=shipping(stock, today))
    assert not ExportPayment.objects.exists() and nothing_shipped(world, stock)


def test_more_than_the_total_and_the_banks_margin_is_refused(world, order, english):
    facility = world["facility"]
    # a USD order takes its total and 2% more: Rp9.500.000 + Rp190.000
    paid(world, order, 9_000_000)

    with pytest.raises(ExportConflict) as error:
        order_payment_record(actor=world["admin"], order=order, amount_idr=690_001)

    assert error.value.code == "overpayment"
    assert error.value.message_dict == {
        "amount_idr": [
            f"The order of pro-forma invoice {order.proforma.number} totals Rp9.500.000 and Rp9.000.000 is "
            "received: it takes at most Rp690.000 more, not Rp690.001."
        ]
    }
    assert ExportPayment.objects.count() == 1
    assert balance(facility, Account.Kind.BUYER_DEPOSITS) == -9_000_000
    order.refresh_from_db()
    assert order.paid_idr == 9_000_000
    order_payment_record(actor=world["admin"], order=order, amount_idr=690_000)
    order.refresh_from_db()
    assert (order.paid_idr, order.status) == (9_690_000, "PAID")


def test_a_rupiah_order_takes_its_total_to_the_rupiah(world, stock, today):
    proforma = proforma_issue(
        actor=world["admin"], inquiry=inquiry_for(), data=ProformaInput(currency="IDR"), today=today
    )
    order = order_confirm(actor=world["admin"], proforma=proforma, po_number="KC-3", po_date=today)

    with pytest.raises(ExportConflict) as error:
        order_payment_record(actor=world["admin"], order=order, amount_idr=9_500_001)

    assert error.value.code == "overpayment"
    with pytest.raises(ValidationError) as foreign:
        order_payment_record(actor=world["admin"], order=order, amount_idr=1_000, amount_foreign=Decimal("1"))
    assert set(foreign.value.message_dict) == {"amount_foreign"}
    assert not ExportPayment.objects.exists()


def test_a_payment_is_checked_in_english(world, order, today, english):
    with pytest.raises(ValidationError) as error:
        order_payment_record(
            actor=world["admin"],
            order=order,
            amount_idr=0,
            received_on=today + datetime.timedelta(days=2),
            amount_foreign=Decimal("292.205"),
            reference="x" * 121,
        )

    assert error.value.message_dict == {
        "amount_idr": ["Enter the rupiah the bank credited, more than Rp0."],
        "received_on": ["The payment cannot be dated in the future."],
        "amount_foreign": ["Enter USD to the cent: at most two decimals."],
        "reference": ["Use at most 120 characters."],
    }
    assert not ExportPayment.objects.exists() and not JournalEntry.objects.filter(kind="ORDER_PAYMENT").exists()


def test_shipping_before_it_is_paid_is_refused_naming_what_is_due(world, stock, order, today, english):
    paid(world, order, 4_750_000)

    with pytest.raises(ExportConflict) as error:
        shipment_record(actor=world["admin"], order=order, data=shipping(stock, today))

    assert error.value.code == "not_paid"
    assert error.value.messages == [
        f"The order of pro-forma invoice {order.proforma.number} is not paid in full: Rp4.750.000 of Rp9.500.000 "
        "is still due. Its terms ask for payment by T/T before shipment."
    ]
    assert nothing_shipped(world, stock)
    assert balance(world["facility"], Account.Kind.BUYER_DEPOSITS) == -4_750_000


def test_too_little_stock_ships_nothing(world, today):
    stock = stock_up(world, today, whips=59)
    proforma = proforma_issue(actor=world["admin"], inquiry=inquiry_for(), data=ProformaInput(), today=today)
    order = order_confirm(actor=world["admin"], proforma=proforma, po_number="KC-4", po_date=today)
    paid(world, order, 9_500_000)

    with pytest.raises(InsufficientStock) as error:
        shipment_record(actor=world["admin"], order=order, data=shipping(stock, today))

    assert "SMP-PCT-001" in " ".join(error.value.messages)
    assert not Shipment.objects.exists() and not Sale.objects.exists()
    assert not Document.objects.filter(kind=Document.Kind.INVOICE).exists()
    assert not JournalEntry.objects.filter(kind__in=["SALE", "ORDER_SETTLEMENT"]).exists()
    assert units(stock["store"], world["whip"]) == 59
    order.refresh_from_db()
    assert order.status == ExportOrder.Status.PAID
    assert ExportInquiry.objects.get().status == ExportInquiry.Status.CONFIRMED
    assert balance(world["facility"], Account.Kind.BUYER_DEPOSITS) == -9_500_000


def test_a_shipment_is_checked_and_happens_once(world, stock, order, today, english):
    paid(world, order, 9_500_000)

    with pytest.raises(ValidationError) as error:
        shipment_record(
            actor=world["admin"],
            order=order,
            data=shipping(
                stock,
                today,
                shipped_on=today + datetime.timedelta(days=1),
                peb_number=" ",
                transport_number="",
                vessel="",
                location=stock["other_store"],
            ),
        )
    assert error.value.message_dict == {
        "shipped_on": ["The shipment cannot be dated in the future."],
        "peb_number": ["Enter the PEB number (the export declaration lodged with customs)."],
        "transport_number": ["Enter the B/L (sea) or AWB (air) number."],
        "vessel": ["Enter the vessel and voyage, or the flight."],
        "location": ["Choose the store or showroom of Rutan Kelas IIB Sumenep the goods leave from."],
    }
    assert nothing_shipped(world, stock)

    shipment_record(actor=world["admin"], order=order, data=shipping(stock, today))
    with pytest.raises(ExportConflict) as again:
        shipment_record(actor=world["admin"], order=order, data=shipping(stock, today))
    assert again.value.code == "shipped"
    with pytest.raises(ExportConflict) as late:
        order_payment_record(actor=world["admin"], order=order, amount_idr=1_000)
    assert late.value.code == "shipped"
    assert (Shipment.objects.count(), Sale.objects.count(), ExportPayment.objects.count()) == (1, 1, 1)
    with pytest.raises(ValidationError):
        inquiry_close(actor=world["admin"], inquiry=order.inquiry)


def test_an_order_with_money_held_is_not_closed_but_an_unpaid_one_is(world, stock, order, today):
    paid(world, order, 1_000_000)
    with pytest.raises(ValidationError):
        inquiry_close(actor=world["admin"], inquiry=order.inquiry)
    assert ExportInquiry.objects.get(pk=order.inquiry_id).status == ExportInquiry.Status.CONFIRMED

    unpaid = order_confirm(
        actor=world["admin"],
        proforma=proforma_issue(actor=world["admin"], inquiry=inquiry_for(), data=ProformaInput(), today=today),
        po_number="KC-5",
        po_date=today,
    )
    inquiry_close(actor=world["admin"], inquiry=unpaid.inquiry)
    with pytest.raises(ExportConflict) as error:
        order_payment_record(actor=world["admin"], order=unpaid, amount_idr=1_000)
    assert error.value.code == "closed"
