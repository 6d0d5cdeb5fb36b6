"""Settlement of a consignment agreement: the statement per period, the outlet's payments and the ledger."""

import datetime
import subprocess

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.loader import render_to_string

from binakarya.consignment.models import Agreement, ConsignmentPayment, ConsignmentStatement
from binakarya.consignment.periods import current_period, due_date, period_of, previous_period
from binakarya.consignment.selectors import (
    StatementLine,
    agreements_overdue,
    consignment_statement,
    statement_of,
)
from binakarya.consignment.services import consignment_payment_record, consignment_statement_issue
from binakarya.core.models import AuditEvent
from binakarya.documents.models import Document
from binakarya.documents.renderers import consignment_statement_context, consignment_statement_pdf
from binakarya.ledger.accounts import commission_key, money_key
from binakarya.ledger.models import Account, JournalEntry
from binakarya.ledger.selectors import account_balance, outlet_owed
from tests.consignment.settle import a_month_of_sales, previous_period_of_month, sell, shelf_agreement
from tests.consignment.world import MAKER_NAMES


@pytest.fixture
def shelf(world, today):
    return shelf_agreement(world, today)


def outlet_accounts(world):
    hotel = world["hotel"].pk
    accounts = {
        a.kind: a
        for a in Account.objects.filter(organization=world["facility"], counterparty_id=hotel)
        if (a.kind, a.party_key)
        in {(k.kind, k.party_key) for k in (money_key(owed_by_id=hotel), commission_key(outlet_id=hotel))}
    }
    return accounts[Account.Kind.RECEIVABLE], accounts[Account.Kind.COMMISSION]


# Periods ----------------------------------------------------------------------------------------------


def test_periods_are_calendar_weeks_and_months_and_the_due_date_adds_the_payment_days():
    wednesday = datetime.date(2026, 3, 11)
    assert period_of("WEEKLY", wednesday) == (datetime.date(2026, 3, 9), datetime.date(2026, 3, 15))
    assert period_of("MONTHLY", wednesday) == (datetime.date(2026, 3, 1), datetime.date(2026, 3, 31))
    assert period_of("MONTHLY", datetime.date(2028, 2, 10)) == (datetime.date(2028, 2, 1), datetime.date(2028, 2, 29))
    weekly = Agreement(settlement_period="WEEKLY", payment_days=7)
    monthly = Agreement(settlement_period="MONTHLY", payment_days=14)
    assert previous_period(weekly, wednesday) == (datetime.date(2026, 3, 2), datetime.date(2026, 3, 8))
    assert previous_period(monthly, datetime.date(2026, 1, 5)) == (
        datetime.date(2025, 12, 1),
        datetime.date(2025, 12, 31),
    )
    assert current_period(monthly, wednesday)[1] == datetime.date(2026, 3, 31)
    assert due_date(monthly, datetime.date(2026, 3, 31)) == datetime.date(2026, 4, 14)


# The statement ----------------------------------------------------------------------------------------


def test_a_month_of_sales_gives_the_exact_commission_and_net_per_product_and_lot(world, shelf, today):
    # given
    start, end = a_month_of_sales(world, shelf, today)
    sell(world, shelf, today, whips=1)  # this month: not in the statement

    # when
    statement = consignment_statement(user=world["partner"], agreement=shelf, date_from=start, date_to=end)

    # then
    assert statement.lines == [
        StatementLine("SMP-PCT-001", "Pecut Sapi", world["whip_lot"].code, 3, 225_000, 45_000, 180_000),
        StatementLine("SMP-RJT-001", "Tas Rajut", world["bag_lot"].code, 1, 120_000, 24_000, 96_000),
    ]
    assert (statement.gross_idr, statement.commission_idr, statement.net_idr) == (345_000, 69_000, 276_000)
    assert (statement.previous_balance_idr, statement.paid_idr, statement.balance_idr) == (0, 0, 276_000)
    assert statement.due_date == end + datetime.timedelta(days=14)
    # the same statement for the seller's staff
    assert consignment_statement(user=world["admin"], agreement=shelf, date_from=start, date_to=end) == statement
    # and the ledger agrees: the outlet owes the net of everything it sold
    assert outlet_owed(organization=world["facility"], outlet=world["hotel"]) == 276_000 + 60_000


def test_the_previous_balance_carries_earlier_sales_less_earlier_payments(world, shelf, today):
    # given a whip sold and Rp20.000 paid in the month before last
    earlier_start, _earlier_end = previous_period_of_month(today, back=2)
    sell(world, shelf, earlier_start + datetime.timedelta(days=3), whips=1)  # net 60.000
    consignment_payment_record(
        actor=world["finance"], agreement=shelf, amount_idr=20_000, paid_date=earlier_start + datetime.timedelta(days=5)
    )
    # and last month's sales with Rp100.000 paid on its 25th
    start, end = a_month_of_sales(world, shelf, today)
    consignment_payment_record(
        actor=world["admin"],
        agreement=shelf,
        amount_idr=100_000,
        paid_date=start + datetime.timedelta(days=24),
        reference="TRF-0425",
    )

    # when
    statement = statement_of(shelf, start, end)

    # then
    assert statement.previous_balance_idr == 40_000
    assert statement.net_idr == 276_000
    assert statement.paid_idr == 100_000
    assert [(p.amount_idr, p.reference) for p in statement.payments] == [(100_000, "TRF-0425")]
    assert statement.balance_idr == 40_000 + 276_000 - 100_000
    assert outlet_owed(organization=world["facility"], outlet=world["hotel"]) == 216_000


# Payments ---------------------------------------------------------------------------------------------


def test_paying_the_full_net_zeroes_the_outlets_receivable_and_commission_accounts(world, shelf, today):
    # given
    start, end = a_month_of_sales(world, shelf, today)
    receivable, commission = outlet_accounts(world)
    assert (account_balance(account=receivable), account_balance(account=commission)) == (345_000, -69_000)

    # when the outlet pays in two parts
    consignment_payment_record(actor=world["admin"], agreement=shelf, amount_idr=76_000, paid_date=end)
    payment = consignment_payment_record(actor=world["admin"], agreement=shelf, amount_idr=200_000, paid_date=today)

    # then
    assert account_balance(account=receivable) == 0
    assert account_balance(account=commission) == 0
    assert outlet_owed(organization=world["facility"], outlet=world["hotel"]) == 0
    assert statement_of(shelf, start, end).balance_idr == 276_000 - 76_000
    assert statement_of(shelf, start, today).balance_idr == 0
    entry = JournalEntry.objects.get(pk=payment.entry_id)
    assert entry.kind == JournalEntry.Kind.OUTLET_PAYMENT
    assert sorted(entry.lines.values_list("account__kind", "amount_idr")) == [
        ("BANK", 200_000),
        ("RECEIVABLE", -200_000),
    ]
    bank = Account.objects.get(organization=world["facility"], kind=Account.Kind.BANK)
    assert account_balance(account=bank) == 276_000
    event = AuditEvent.objects.get(action="consignment.payment", object_id=str(payment.pk))
    assert event.actor == world["admin"]


def test_paying_more_than_the_outlet_owes_is_refused_with_the_amount_in_rupiah(world, shelf, today):
    # given
    a_month_of_sales(world, shelf, today)

    # when
    with pytest.raises(ValidationError) as refused:
        consignment_payment_record(actor=world["admin"], agreement=shelf, amount_idr=276_001, paid_date=today)

    # then
    assert refused.value.message_dict["amount_idr"] == [
        "Hotel Bintang Sumenep owes Rp276.000; a payment of Rp276.001 is more than that."
    ]
    assert not ConsignmentPayment.objects.exists()
    assert not JournalEntry.objects.filter(kind=JournalEntry.Kind.OUTLET_PAYMENT).exists()


@pytest.mark.parametrize(
    ("amount", "days_ahead", "field"),
    [(0, 0, "amount_idr"), (-5, 0, "amount_idr"), (1_000, 1, "paid_date")],
)
def test_a_payment_of_nothing_or_in_the_future_is_refused(world, shelf, today, amount, days_ahead, field):
    a_month_of_sales(world, shelf, today)
    with pytest.raises(ValidationError) as refused:
        consignment_payment_record(
            actor=world["admin"],
            agreement=shelf,
            amount_idr=amount,
            paid_date=today + datetime.timedelta(days=days_ahead),
        )
    assert field in refused.value.message_dict
    assert not ConsignmentPayment.objects.exists()


@pytest.mark.parametrize("who", ["partner", "other_partner", "stranger"])
def test_only_the_sellers_staff_record_a_payment(world, shelf, today, who):
    a_month_of_sales(world, shelf, today)
    with pytest.raises(PermissionDenied):
        consignment_payment_record(actor=world[who], agreement=shelf, amount_idr=1_000, paid_date=today)
    assert not ConsignmentPayment.objects.exists()


@pytest.mark.parametrize("who", ["other_partner", "stranger"])
def test_another_outlet_or_facility_cannot_read_the_statement(world, shelf, today, who):
    start, end = a_month_of_sales(world, shelf, today)
    with pytest.raises(Agreement.DoesNotExist):
        consignment_statement(user=world[who], agreement=shelf, date_from=start, date_to=end)


# Issued statements ------------------------------------------------------------------------------------


def test_issuing_a_statement_makes_a_document_with_totals_only_and_a_due_date(world, shelf, today):
    # given
    start, end = a_month_of_sales(world, shelf, today)

    # when
    issued = consignment_statement_issue(actor=world["admin"], agreement=shelf, date_from=start, date_to=end)

    # then
    document = Document.objects.get(pk=issued.document_id)
    assert document.kind == Document.Kind.CONSIGNMENT_STATEMENT
    assert document.number.startswith(f"RTJ-SMP-{today.year}-")
    assert len(document.verify_code) == 12
    assert document.public_figures == {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "gross_idr": 345_000,
        "commission_idr": 69_000,
        "net_idr": 276_000,
        "total_idr": 276_000,
    }
    assert (issued.due_date, issued.balance_idr) == (end + datetime.timedelta(days=14), 276_000)
    assert AuditEvent.objects.filter(action="consignment.statement_issue", actor=world["admin"]).count() == 1


def test_the_outlets_partner_may_not_issue_a_statement(world, shelf, today):
    start, end = a_month_of_sales(world, shelf, today)
    with pytest.raises(PermissionDenied):
        consignment_statement_issue(actor=world["partner"], agreement=shelf, date_from=start, date_to=end)
    assert not ConsignmentStatement.objects.exists()


def test_a_statement_past_its_due_date_with_a_balance_is_overdue_until_paid(world, shelf, today):
    # given
    start, end = a_month_of_sales(world, shelf, today)
    issued = consignment_statement_issue(actor=world["admin"], agreement=shelf, date_from=start, date_to=end)
    after_due = issued.due_date + datetime.timedelta(days=1)

    # then: not before its due date, and never for another facility's staff
    assert agreements_overdue(user=world["admin"], today=issued.due_date) == []
    (row,) = agreements_overdue(user=world["admin"], today=after_due)
    assert (row.statement, row.balance_idr) == (issued, 276_000)
    assert agreements_overdue(user=world["stranger"], today=after_due) == []

    # when the outlet pays part, then the rest
    consignment_payment_record(actor=world["admin"], agreement=shelf, amount_idr=200_000, paid_date=today)
    assert [r.balance_idr for r in agreements_overdue(user=world["admin"], today=max(after_due, today))] == [76_000]
    consignment_payment_record(actor=world["admin"], agreement=shelf, amount_idr=76_000, paid_date=today)
    assert agreements_overdue(user=world["admin"], today=max(after_due, today)) == []


def test_the_statement_pdf_and_html_carry_the_code_and_no_maker(world, shelf, today):
    # given
    start, end = a_month_of_sales(world, shelf, today)
    issued = consignment_statement_issue(actor=world["admin"], agreement=shelf, date_from=start, date_to=end)
    document = Document.objects.get(pk=issued.document_id)
    statement = statement_of(shelf, start, end)

    # when
    html = render_to_string(
        "documents/consignment_statement.html",
        consignment_statement_context(document=document, statement=statement, issued=issued, base_url="https://x.id"),
    )
    pdf = consignment_statement_pdf(document=document, statement=statement, issued=issued, base_url="https://x.id")
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()

    # then
    for content in (html, text):
        assert document.verify_code in content
        assert "Hotel Bintang Sumenep" in content
        assert "Pecut Sapi" in content and world["whip_lot"].code in content
        assert "Rp276.000" in content
        for name in MAKER_NAMES:
            for part in name.split():
                assert part not in content, part
    assert f"https://x.id/verifikasi/{document.verify_code}/" in html
