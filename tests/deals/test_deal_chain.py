"""The deal chain in the services: accepting a quotation, delivering in parts, the BAST and the sale it
records, invoices and payments, and the ledger behind them."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import given
from hypothesis import strategies as st

from binakarya.deals.models import ContractChannel, ContractForm, Deal, Recognition, SellerTaxSettings
from binakarya.deals.services import (
    DealConflict,
    DealLineInput,
    QuotationLineInput,
    Signatory,
    deal_cancel,
    deal_invoice_issue,
    deal_payment_record,
    delivery_record,
    handover_record,
    part_of,
    quotation_accept,
    quotation_issue,
    spread,
    tax_settings_update,
)
from binakarya.documents.models import Document
from binakarya.inventory.models import Location, StockBalance
from binakarya.inventory.services import stock_adjust, transfer_send
from binakarya.ledger.models import Account, JournalLine
from binakarya.sales.models import Channel, Sale
from binakarya.sales.services import SaleLineInput, sale_record

SIGNERS = [
    Signatory("SELLER", "Sri Pengelola", "Kepala Seksi Kegiatan Kerja"),
    Signatory("BUYER", "Budi Penerima", "Pejabat Pembuat Komitmen", "19700101 199001 1 001"),
]


def _units(location, variant):
    return sum(StockBalance.objects.filter(location=location, variant=variant).values_list("quantity", flat=True))


def _balance(organization, kind, **party):
    return sum(
        JournalLine.objects.filter(account__organization=organization, account__kind=kind, **party).values_list(
            "amount_idr", flat=True
        )
    )


@pytest.fixture
def quotation(world, today):
    # 12 bins at Rp150.000 and 7 dustpans at Rp35.000 = Rp2.045.000, 3 % off = Rp1.983.650 (a proof of purchase).
    return quotation_issue(
        actor=world["admin"],
        organization=world["facility"],
        buyer="DLH PKP Kabupaten Purbalingga",
        lines=[QuotationLineInput("PBG-TSB-001", 12, 150_000), QuotationLineInput("PBG-PKI-001", 7, 35_000)],
        discount_bp=300,
        today=today,
    )


@pytest.fixture
def deal(world, quotation, today):
    return quotation_accept(actor=world["admin"], quotation=quotation, po_number="027/123/DLH/2026", po_date=today)


def test_accepting_spreads_the_discount_over_the_lines_to_the_rupiah(deal, quotation):
    lines = list(deal.lines.order_by("pk"))
    assert sum(line.dpp_idr for line in lines) == deal.dpp_idr == quotation.subtotal_idr - quotation.discount_idr
    assert [line.dpp_idr for line in lines] == [1_746_000, 237_650]
    assert deal.total_idr == 1_983_650
    assert deal.contract_form == ContractForm.PROOF_OF_PURCHASE
    assert deal.contract_document is None  # the bill itself is the proof: a kuitansi, issued with the invoice
    assert deal.status == Deal.Status.ORDERED
    assert deal.location.kind == Location.Kind.BUYER
    assert deal.buyer_organization.name == "DLH PKP Kabupaten Purbalingga"


def test_a_quotation_is_accepted_once(world, deal, quotation, today):
    with pytest.raises(DealConflict):
        quotation_accept(actor=world["admin"], quotation=quotation, po_number="another", po_date=today)
    assert Deal.objects.count() == 1


def test_the_purchase_order_is_checked(world, quotation, today, english):
    with pytest.raises(ValidationError) as error:
        quotation_accept(
            actor=world["admin"],
            quotation=quotation,
            po_number=" ",
            po_date=today + datetime.timedelta(days=1),
            channel=ContractChannel.EPURCHASING,
        )
    assert set(error.value.message_dict) == {"po_number", "po_date", "platform"}
    assert "e-Katalog" in error.value.message_dict["platform"][0]
    with pytest.raises(ValidationError) as error:
        quotation_accept(
            actor=world["admin"],
            quotation=quotation,
            po_number="X",
            po_date=quotation.valid_until + datetime.timedelta(days=1),
        )
    assert Deal.objects.count() == 0 and Location.objects.filter(kind=Location.Kind.BUYER).count() == 0


def test_an_e_katalog_order_needs_a_surat_pesanan(world, quotation, today):
    deal = quotation_accept(
        actor=world["admin"],
        quotation=quotation,
        po_number="EPURCH-2026-0001",
        po_date=today,
        channel=ContractChannel.EPURCHASING,
        platform="E_KATALOG",
    )
    assert deal.contract_form == ContractForm.SURAT_PESANAN
    assert deal.contract_document is None


def test_a_large_order_gets_its_spk(world, today):
    big = quotation_issue(
        actor=world["admin"],
        organization=world["facility"],
        buyer="DLH PKP Kabupaten Purbalingga",
        lines=[QuotationLineInput("PBG-TSB-001", 400, 150_000)],
        today=today,
    )
    deal = quotation_accept(actor=world["admin"], quotation=big, po_number="SPK-1", po_date=today)
    assert deal.contract_form == ContractForm.SPK
    document = deal.contract_document
    assert document.kind == Document.Kind.CONTRACT and document.number.startswith("SPK-PBG-")
    assert document.public_figures["total_idr"] == 60_000_000


def test_another_sellers_staff_may_not_accept(world, quotation, today):
    with pytest.raises(PermissionDenied):
        quotation_accept(actor=world["other_admin"], quotation=quotation, po_number="X", po_date=today)


def test_deliveries_move_stock_and_refuse_more_than_ordered(world, deal):
    delivery = delivery_record(actor=world["admin"], deal=deal, lines=[DealLineInput("PBG-TSB-001", 5)])
    assert delivery.transfer.document.kind == Document.Kind.SURAT_JALAN
    assert delivery.number == delivery.transfer.number
    assert _units(world["store"], world["bin"]) == 15
    assert _units(deal.location, world["bin"]) == 5
    deal.refresh_from_db()
    assert deal.status == Deal.Status.PARTLY_DELIVERED
    with pytest.raises(DealConflict) as error:
        delivery_record(
            actor=world["admin"],
            deal=deal,
            lines=[DealLineInput("PBG-TSB-001", 8), DealLineInput("PBG-PKI-001", 1)],
        )
    assert error.value.code == "over_ordered"
    assert _units(world["store"], world["bin"]) == 15  # nothing moved
    assert deal.deliveries.count() == 1


def test_a_delivery_names_only_the_deals_goods(world, deal, english):
    with pytest.raises(ValidationError) as error:
        delivery_record(
            actor=world["admin"], deal=deal, lines=[DealLineInput("NOPE", 1), DealLineInput("PBG-TSB-001", 0)]
        )
    assert "NOPE is not in deal" in str(error.value.message_dict["lines"])
    assert deal.deliveries.count() == 0


def _deliver_all(world, deal):
    delivery_record(actor=world["admin"], deal=deal, lines=[DealLineInput("PBG-TSB-001", 12)])
    return delivery_record(actor=world["admin"], deal=deal, lines=[DealLineInput("PBG-PKI-001", 7)])


def test_the_bast_records_the_sale_and_the_makers_premi(world, deal):
    _deliver_all(world, deal)
    handover = handover_record(actor=world["admin"], deal=deal, signatories=SIGNERS, note="Baik, sesuai pesanan.")
    deal.refresh_from_db()
    assert handover.value_idr == deal.total_idr == 1_983_650
    sale = handover.sale
    assert sale.channel == Channel.INSTITUTIONAL and sale.gross_idr == deal.dpp_idr
    assert sale.buyer == deal.buyer_organization
    assert sale.premi_idr > 0
    for maker in world["makers"]:
        assert _balance(world["facility"], Account.Kind.PREMI_PAYABLE, account__maker=maker) < 0
    assert _balance(world["facility"], Account.Kind.RECEIVABLE, account__counterparty=deal.buyer_organization) == (
        deal.total_idr
    )
    assert _units(deal.location, world["bin"]) == 0
    deal.location.refresh_from_db()
    assert not deal.location.is_active  # everything sold: the deal's location is closed
    assert deal.status == Deal.Status.DELIVERED


def test_invoice_then_payment_clears_the_receivable(world, deal):
    _deliver_all(world, deal)
    handover_record(actor=world["admin"], deal=deal, signatories=SIGNERS)
    invoice = deal_invoice_issue(actor=world["admin"], deal=deal)
    assert invoice.document.kind == Document.Kind.RECEIPT  # the value needs only a kuitansi
    assert invoice.amount_idr == 1_983_650
    deal.refresh_from_db()
    assert deal.status == Deal.Status.INVOICED
    with pytest.raises(DealConflict):
        deal_invoice_issue(actor=world["admin"], deal=deal)
    payment = deal_payment_record(actor=world["admin"], deal=deal, amount_idr=1_983_650, reference="SP2D 0042")
    assert payment.to_receivable_idr == 1_983_650 and payment.held_idr == 0
    assert payment.receipt is None  # the bill's kuitansi is the receipt for the money that settles it
    deal.refresh_from_db()
    assert deal.status == Deal.Status.PAID
    assert _balance(world["facility"], Account.Kind.RECEIVABLE, account__counterparty=deal.buyer_organization) == 0
    with pytest.raises(DealConflict) as error:
        deal_payment_record(actor=world["admin"], deal=deal, amount_idr=1)
    assert error.value.code == "overpayment"


def test_ppn_is_owed_on_to_the_tax_office(world, today):
    SellerTaxSettings.objects.update_or_create(organization=world["facility"], defaults={"ppn_enabled": True})
    quotation = quotation_issue(
        actor=world["admin"],
        organization=world["facility"],
        buyer="DLH",
        lines=[QuotationLineInput("PBG-TSB-001", 3, 150_000)],
        today=today,
    )
    deal = quotation_accept(actor=world["admin"], quotation=quotation, po_number="P", po_date=today)
    assert (deal.dpp_idr, deal.ppn_idr, deal.total_idr) == (450_000, 49_500, 499_500)
    delivery_record(actor=world["admin"], deal=deal, lines=[DealLineInput("PBG-TSB-001", 3)])
    handover_record(actor=world["admin"], deal=deal, signatories=SIGNERS)
    assert _balance(world["facility"], Account.Kind.TAX_PAYABLE) == -49_500
    assert (
        _balance(world["facility"], Account.Kind.RECEIVABLE, account__counterparty=deal.buyer_organization) == 499_500
    )


def test_recognised_on_payment_waits_for_the_money(world, deal):
    deal.recognition = Recognition.PAYMENT
    deal.save()
    down = deal_payment_record(actor=world["admin"], deal=deal, amount_idr=500_000, reference="DP")
    assert down.held_idr == 500_000  # nothing sold yet: held for the buyer
    assert _balance(world["facility"], Account.Kind.BUYER_DEPOSITS) == -500_000
    _deliver_all(world, deal)
    handover = handover_record(actor=world["admin"], deal=deal, signatories=SIGNERS)
    assert handover.sale is None and Sale.objects.count() == 0
    deal_payment_record(actor=world["admin"], deal=deal, amount_idr=1_483_650)
    handover.refresh_from_db()
    assert handover.sale is not None
    deal.refresh_from_db()
    assert deal.held_idr == 0 and deal.recognized_idr == deal.total_idr
    assert _balance(world["facility"], Account.Kind.BUYER_DEPOSITS) == 0
    assert _balance(world["facility"], Account.Kind.RECEIVABLE, account__counterparty=deal.buyer_organization) == 0


def test_a_down_payment_is_applied_when_the_bast_records_the_sale(world, deal):
    down = deal_payment_record(actor=world["admin"], deal=deal, amount_idr=300_000)
    assert down.receipt.kind == Document.Kind.RECEIPT  # money ahead of the bill gets its own kuitansi
    _deliver_all(world, deal)
    handover_record(actor=world["admin"], deal=deal, signatories=SIGNERS)
    deal.refresh_from_db()
    assert deal.held_idr == 0
    assert _balance(world["facility"], Account.Kind.BUYER_DEPOSITS) == 0
    owed = _balance(world["facility"], Account.Kind.RECEIVABLE, account__counterparty=deal.buyer_organization)
    assert owed == deal.total_idr - 300_000
    # the bill takes the down payment off what is due
    invoice = deal_invoice_issue(actor=world["admin"], deal=deal)
    assert (invoice.amount_idr, invoice.credit_idr) == (deal.total_idr, 300_000)
    assert invoice.document.public_figures["due_idr"] == deal.total_idr - 300_000


def test_partial_handovers_add_up_to_the_total(world, deal):
    _deliver_all(world, deal)
    values = [
        handover_record(
            actor=world["admin"], deal=deal, signatories=SIGNERS, lines=[DealLineInput("PBG-TSB-001", n)]
        ).value_idr
        for n in (5, 4, 3)
    ]
    values.append(handover_record(actor=world["admin"], deal=deal, signatories=SIGNERS).value_idr)
    deal.refresh_from_db()
    assert sum(values) == deal.total_idr == deal.recognized_idr
    assert sum(Sale.objects.values_list("gross_idr", flat=True)) == deal.dpp_idr


def test_a_bast_needs_both_sides_and_delivered_goods(world, deal, english):
    with pytest.raises(ValidationError) as error:
        handover_record(actor=world["admin"], deal=deal, signatories=[Signatory("SELLER", "A", "")])
    messages = " ".join(error.value.message_dict["signatories"])
    assert "name and the position" in messages and "for the buyer" in messages
    with pytest.raises(DealConflict):
        handover_record(actor=world["admin"], deal=deal, signatories=SIGNERS)
    delivery_record(actor=world["admin"], deal=deal, lines=[DealLineInput("PBG-TSB-001", 2)])
    with pytest.raises(DealConflict):
        handover_record(actor=world["admin"], deal=deal, signatories=SIGNERS, lines=[DealLineInput("PBG-TSB-001", 3)])
    assert deal.handovers.count() == 0


def test_cancel_only_before_anything_happened(world, deal):
    delivery_record(actor=world["admin"], deal=deal, lines=[DealLineInput("PBG-PKI-001", 1)])
    with pytest.raises(DealConflict):
        deal_cancel(actor=world["admin"], deal=deal, reason="Anggaran dibatalkan")


def test_cancel(world, deal):
    deal_cancel(actor=world["admin"], deal=deal, reason="Anggaran dibatalkan")
    deal.refresh_from_db()
    assert deal.status == Deal.Status.CANCELLED
    with pytest.raises(DealConflict):
        delivery_record(actor=world["admin"], deal=deal, lines=[DealLineInput("PBG-PKI-001", 1)])


@given(st.integers(0, 10**12), st.lists(st.integers(0, 10**9), min_size=1, max_size=20))
def test_spread_adds_up_exactly(total, weights):
    shares = spread(total, weights)
    assert len(shares) == len(weights)
    if sum(weights):
        assert sum(shares) == total
        assert all(share >= 0 for share in shares)


@given(st.integers(0, 10**12), st.integers(1, 10_000), st.data())
def test_successive_parts_add_up(amount, of, data):
    cuts = sorted(data.draw(st.lists(st.integers(0, of), max_size=10)))
    points = [0, *cuts, of]
    parts = [
        part_of(amount, units=b, of=of) - part_of(amount, units=a, of=of)
        for a, b in zip(points, points[1:], strict=False)
    ]
    assert sum(parts) == amount and all(p >= 0 for p in parts)


def test_goods_at_the_buyer_move_only_through_the_deal(world, deal, english):
    delivery_record(actor=world["admin"], deal=deal, lines=[DealLineInput("PBG-TSB-001", 2)])
    deal.location.refresh_from_db()
    lot = StockBalance.objects.filter(location=deal.location).first().lot
    with pytest.raises(ValidationError) as error:
        transfer_send(
            actor=world["admin"], from_location=deal.location, to_location=world["store"], lines=[(world["bin"], 2)]
        )
    assert "move only through the deal" in str(error.value)
    with pytest.raises(ValidationError):
        stock_adjust(actor=world["admin"], lot=lot, location=deal.location, quantity=-1, reason="hilang")
    with pytest.raises(ValidationError) as error:
        sale_record(
            actor=world["admin"],
            location=deal.location,
            channel=Channel.INSTITUTIONAL,
            lines=[SaleLineInput("PBG-TSB-001", 1, 150_000)],
            buyer=deal.buyer_organization,
        )
    assert "location" in error.value.message_dict
    assert _units(deal.location, world["bin"]) == 2


def test_dates_and_sizes_are_checked(world, deal, today, english):
    with pytest.raises(ValidationError) as error:
        deal_payment_record(actor=world["admin"], deal=deal, amount_idr=1, paid_on=today - datetime.timedelta(days=1))
    assert "before the purchase order" in error.value.message_dict["paid_on"][0]
    with pytest.raises(ValidationError) as error:
        delivery_record(actor=world["admin"], deal=deal, lines=[DealLineInput("PBG-TSB-001", 1)] * 51)
    assert "at most 50 items" in str(error.value)
    assert deal.deliveries.count() == 0 and deal.payments.count() == 0


def test_a_cancelled_deals_contract_says_so_when_verified(client, world, today):
    big = quotation_issue(
        actor=world["admin"],
        organization=world["facility"],
        buyer="DLH",
        lines=[QuotationLineInput("PBG-TSB-001", 400, 150_000)],
        today=today,
    )
    deal = quotation_accept(actor=world["admin"], quotation=big, po_number="SPK-9", po_date=today)
    deal_cancel(actor=world["admin"], deal=deal, reason="Anggaran dialihkan")
    page = client.get(f"/en/verifikasi/{deal.contract_document.verify_code}/")
    assert 'data-testid="cancelled"' in page.content.decode()


def test_when_the_sale_is_recorded_is_a_setting_new_deals_follow(world, quotation, today):
    tax_settings_update(
        actor=world["admin"],
        organization=world["facility"],
        ppn_enabled=False,
        ppn_rate_bp=1100,
        valid_days=14,
        recognition=Recognition.PAYMENT,
        payment_days=14,
    )
    deal = quotation_accept(actor=world["admin"], quotation=quotation, po_number="P-2", po_date=today)
    assert deal.recognition == Recognition.PAYMENT
    _deliver_all(world, deal)
    handover_record(actor=world["admin"], deal=deal, signatories=SIGNERS)
    invoice = deal_invoice_issue(actor=world["admin"], deal=deal)
    assert invoice.due_on == today + datetime.timedelta(days=14)
    assert Sale.objects.count() == 0
