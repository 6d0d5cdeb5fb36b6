"""Quotations: totals with discount and PPN, the contract document, lead time, capacity and capital needed."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from binakarya.deals.models import Quotation, Rfq
from binakarya.deals.selectors import quotation_plan
from binakarya.deals.services import (
    Contact,
    QuotationLineInput,
    RfqLineInput,
    quotation_issue,
    quotation_totals,
    rfq_submit,
    tax_settings_update,
)
from binakarya.documents.models import Document

ORDER = [QuotationLineInput("PBG-TSB-001", 36, 150_000), QuotationLineInput("PBG-PKI-001", 60, 35_000)]


def test_totals_take_the_discount_off_then_charge_ppn_on_the_rest():
    totals = quotation_totals(subtotal_idr=7_500_000, discount_bp=500, ppn_enabled=True, ppn_rate_bp=1100)
    assert (totals.discount_idr, totals.ppn_idr, totals.total_idr) == (375_000, 783_750, 7_908_750)
    plain = quotation_totals(subtotal_idr=7_500_000, discount_bp=0, ppn_enabled=False, ppn_rate_bp=1100)
    assert plain.total_idr == 7_500_000


def test_totals_round_half_up_to_a_whole_rupiah():
    totals = quotation_totals(subtotal_idr=1_005, discount_bp=1000, ppn_enabled=True, ppn_rate_bp=1100)
    # 100.5 -> 101 off; 904 * 11 % = 99.44 -> 99
    assert (totals.discount_idr, totals.ppn_idr, totals.total_idr) == (101, 99, 1_003)


def test_the_plan_uses_stock_first_then_the_groups_rate_and_its_capital_fund(world, today):
    # given 20 bins and 10 dustpans on hand, 30 units made over 20 days, Rp1.000.000 in the fund
    plan = quotation_plan(
        organization=world["facility"], lines=[(world["bin"], 36), (world["dustpan"], 60)], today=today
    )

    # then 16 bins and 50 dustpans must be made: 66 units at 1.5 a day
    assert [(line.from_stock, line.to_make) for line in plan.lines] == [(20, 16), (10, 50)]
    assert plan.lead_time_days == 44
    assert plan.capacity_per_month == 45
    # material: 16 x Rp60.000 + 50 x Rp15.000
    assert plan.capital_needed_idr == 1_710_000
    assert plan.capital_fund_idr == 1_000_000
    assert plan.down_payment_idr == 710_000


def test_an_order_from_stock_needs_no_time_nor_capital(world, today):
    plan = quotation_plan(organization=world["facility"], lines=[(world["bin"], 5)], today=today)
    assert (plan.lead_time_days, plan.capital_needed_idr, plan.down_payment_idr) == (0, 0, 0)


def test_a_quotation_from_an_rfq_carries_totals_plan_kind_and_a_document(world, today):
    # given PPN 11 % for the seller and an RFQ
    tax_settings_update(
        actor=world["admin"], organization=world["facility"], ppn_enabled=True, ppn_rate_bp=1100, valid_days=14
    )
    rfq = rfq_submit(
        actor=None,
        agency="DLH PKP Purbalingga",
        contact=Contact("Ibu Sri", "081234567890"),
        lines=[RfqLineInput("PBG-TSB-001", "", 36)],
        delivery_place="Purbalingga",
        today=today,
    )

    # when
    quotation = quotation_issue(
        actor=world["admin"],
        organization=world["facility"],
        buyer="",
        lines=ORDER,
        discount_bp=1000,
        rfq=rfq,
        today=today,
    )

    # then: 5.400.000 + 2.100.000 = 7.500.000, less 750.000, plus PPN 742.500
    assert quotation.buyer == "DLH PKP Purbalingga"
    assert (quotation.subtotal_idr, quotation.discount_idr, quotation.ppn_idr, quotation.total_idr) == (
        7_500_000,
        750_000,
        742_500,
        7_492_500,
    )
    assert quotation.contract_form == "PROOF_OF_PURCHASE"
    assert quotation.number.startswith("PNW-PBG-")
    assert quotation.document.kind == Document.Kind.QUOTATION
    assert len(quotation.document.verify_code) == 12
    assert quotation.lead_time_days == 44
    assert quotation.capital_needed_idr == 1_710_000
    assert quotation.down_payment_idr == 710_000
    assert (quotation.valid_until - quotation.issued_on).days == 14
    rfq.refresh_from_db()
    assert rfq.status == Rfq.Status.QUOTED
    assert set(quotation.document.public_figures) == {"total_idr", "items", "units", "date", "valid_until"}


def test_the_value_picks_the_kind(world, today):
    # Rp200.200.000: above the SPK limit
    big = quotation_issue(
        actor=world["admin"],
        organization=world["facility"],
        buyer="Pemkab Bondowoso",
        lines=[QuotationLineInput("PBG-TSB-001", 1001, 200_000)],
        today=today,
    )
    assert big.contract_form == "SURAT_PERJANJIAN"


def test_bad_lines_save_nothing(world, today, english):
    with pytest.raises(ValidationError) as caught:
        quotation_issue(
            actor=world["admin"],
            organization=world["facility"],
            buyer="DLH",
            lines=[QuotationLineInput("PBG-TSB-001", 0, 150_000), QuotationLineInput("NOPE", 1, 0)],
            valid_days=0,
            discount_bp=20_000,
            today=today,
        )
    assert set(caught.value.error_dict) == {"lines", "valid_days", "discount"}
    assert Quotation.objects.count() == 0
    assert Document.objects.filter(kind=Document.Kind.QUOTATION).count() == 0


def test_another_sellers_staff_may_not_quote(world, today):
    with pytest.raises(PermissionDenied):
        quotation_issue(actor=world["other_admin"], organization=world["facility"], buyer="X", lines=ORDER, today=today)
