"""The monthly summaries (LedgerMonth, MakerMonth) follow every posting, and ledger_check proves it."""

import io
from collections import defaultdict
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db.models import F, Sum

from binakarya.ledger.models import JournalLine, LedgerMonth, MakerMonth
from binakarya.ledger.selectors import maker_premi_owed, summary_mismatches
from binakarya.ledger.services import ledger_summary_rebuild
from tests.ledger.books import BAG, WHIP, posted_books

pytestmark = pytest.mark.django_db

MONEY = ("CASH", "BANK", "RECEIVABLE")


@pytest.fixture
def books(db):
    return posted_books()


def net_sales_by(dimension: str, organization_id: int) -> dict:
    """Net sales (the money side of SALE and REVERSAL entries) per value of a LedgerMonth dimension."""
    totals: dict = defaultdict(int)
    for value, debit, credit in LedgerMonth.objects.filter(
        organization_id=organization_id, entry_kind__in=["SALE", "REVERSAL"], account_kind__in=MONEY
    ).values_list(dimension, "debit_idr", "credit_idr"):
        totals[value] += debit + credit
    return {k: v for k, v in totals.items() if v}


def ledger_check() -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("ledger_check", stdout=out)
    except SystemExit as exc:
        return int(exc.code or 0), out.getvalue()
    return 0, out.getvalue()


def test_the_summaries_equal_the_journal_after_every_kind_of_posting(books):
    # given sales, a return, a consignment sale and payment, a payout, a grant and a PNBP deposit (books)
    facility = books["facility"]

    # when
    problems = summary_mismatches()

    # then every row agrees, and each kind of entry reached the summary
    assert problems == []
    kinds = set(LedgerMonth.objects.filter(organization=facility).values_list("entry_kind", flat=True))
    assert kinds >= {"SALE", "REVERSAL", "PAYOUT", "GRANT", "PNBP_DEPOSIT", "OUTLET_PAYMENT"}
    assert LedgerMonth.objects.aggregate(n=Sum("lines"))["n"] == JournalLine.objects.count()


def test_net_sales_by_channel_category_and_group_subtract_returns(books):
    # given 2 whips and a bag at the point of sale, a WhatsApp whip returned in full, 3 whips sold at the hotel
    facility, group = books["facility"], books["group"]
    whip_category = books["whip"].product.category_id

    # when / then: the returned sale nets to nothing, the rest is each channel's gross
    assert net_sales_by("channel", facility.pk) == {"POS": 2 * WHIP + BAG, "OUTLET": 3 * WHIP}
    assert net_sales_by("category_key", facility.pk) == {whip_category: 2 * WHIP + BAG + 3 * WHIP}
    assert net_sales_by("group_key", facility.pk) == {group.pk: 2 * WHIP + BAG + 3 * WHIP}
    # and the return carries the sale's dimensions with the opposite sign
    reversal = LedgerMonth.objects.get(organization=facility, entry_kind="REVERSAL", account_kind="CASH")
    assert (reversal.channel, reversal.category_key, reversal.group_key) == ("WHATSAPP", whip_category, group.pk)
    assert (reversal.debit_idr, reversal.credit_idr) == (0, -WHIP)


def test_capital_grants_and_deposits_carry_their_group_or_none(books):
    # given a grant into the group's fund and a PNBP deposit (books)
    facility, group = books["facility"], books["group"]

    # when
    grant = LedgerMonth.objects.get(organization=facility, entry_kind="GRANT", account_kind="CAPITAL_FUND")
    deposit = LedgerMonth.objects.get(organization=facility, entry_kind="PNBP_DEPOSIT", account_kind="PNBP_PAYABLE")

    # then
    assert (grant.group_key, grant.channel, grant.credit_idr, grant.lines) == (group.pk, "", -2_000_000, 1)
    assert (deposit.group_key, deposit.category_key, deposit.debit_idr) == (0, 0, 20_000)


def test_maker_months_hold_premi_earned_and_paid(books):
    # given premi from sales to both makers, a return, and a payout of Rp10.000 to the first
    first, second = books["makers"]

    # when
    rows = {r.maker_id: (r.earned_idr, r.paid_idr) for r in MakerMonth.objects.filter(organization=books["facility"])}

    # then what each earned less what was paid is what they are owed
    assert set(rows) == {first.pk, second.pk}
    assert rows[first.pk][1] == 10_000 and rows[second.pk][1] == 0
    assert rows[first.pk][0] - rows[first.pk][1] == maker_premi_owed(maker=first)
    assert rows[second.pk][0] == maker_premi_owed(maker=second) > 0


def test_ledger_check_fails_on_a_tampered_summary_and_passes_after_a_rebuild(books):
    # given a ledger that passes the check
    assert ledger_check()[0] == 0
    # when a summary row is changed behind the journal's back, and another deleted
    LedgerMonth.objects.filter(entry_kind="GRANT", account_kind="BANK").update(debit_idr=F("debit_idr") + 1)
    MakerMonth.objects.filter(maker=books["makers"][1]).delete()
    code, printed = ledger_check()

    # then the check fails and names both tables
    assert code == 1
    assert "FAIL the monthly summaries equal the journal" in printed
    assert "LedgerMonth" in printed and "MakerMonth" in printed
    mismatches = summary_mismatches(organization=books["facility"])
    grant = next(m for m in mismatches if m.table == "LedgerMonth")
    assert grant.summary is not None and grant.journal is not None
    assert grant.summary[0] == grant.journal[0] + 1

    # when the summaries are rebuilt from the journal
    out = io.StringIO()
    call_command("ledger_summary_rebuild", "--no-progress", stdout=out)

    # then
    assert ledger_check()[0] == 0
    assert "monthly summary rows written" in out.getvalue()


def test_a_stray_summary_row_is_a_mismatch_and_a_rebuild_of_one_organization_leaves_the_others(books):
    # given a row with no journal lines behind it, in another organization
    other = books["other_facility"]
    month = LedgerMonth.objects.filter(organization=books["facility"]).values_list("month", flat=True).first()
    LedgerMonth.objects.create(
        organization=other, month=month, entry_kind="SALE", account_kind="CASH", debit_idr=5, lines=1
    )
    before = list(LedgerMonth.objects.filter(organization=books["facility"]).order_by("pk").values())

    # when / then
    (stray,) = summary_mismatches()
    assert (stray.key[0], stray.summary, stray.journal) == (other.pk, (5, 0, 1), None)

    # when only the other organization is rebuilt
    written = ledger_summary_rebuild(organization=other)

    # then its stray row is gone, and the facility's rows were not touched
    assert written == 0 and summary_mismatches() == []
    assert list(LedgerMonth.objects.filter(organization=books["facility"]).order_by("pk").values()) == before


def test_a_posting_adds_to_its_rows_in_two_statements(books, django_assert_num_queries):
    # given the books, and the sums of the showroom's POS cash row before
    from binakarya.sales.services import SaleLineInput, sale_record

    key = {"organization": books["facility"], "entry_kind": "SALE", "account_kind": "CASH", "channel": "POS"}
    before = LedgerMonth.objects.get(**key)

    # when one more whip is sold
    sale_record(actor=None, location=books["showroom"], channel="POS", lines=[SaleLineInput("SMP-PCT-001", 1, WHIP)])

    # then the row grew by exactly that sale, and the rest still agrees
    after = LedgerMonth.objects.get(**key)
    assert (after.pk, after.debit_idr - before.debit_idr, after.lines - before.lines) == (before.pk, WHIP, 1)
    assert summary_mismatches() == []


def test_imported_sales_reach_the_summaries_in_their_jakarta_month(books, tmp_path: Path):
    # given a file of marketplace sales at the showroom, two of them early on the first of a month in
    # Jakarta (still the previous month in UTC)
    code = books["showroom"].code
    path = tmp_path / "sales.csv"
    path.write_text(
        "location,channel,sku,quantity,unit_price_idr,commission_idr,sale_ref,occurred_at\n"
        f"{code},MARKETPLACE,SMP-PCT-001,1,75000,7500,a,2025-07-01 03:00\n"
        f"{code},MARKETPLACE,SMP-PCT-001,1,75000,0,b,2025-07-31 23:30\n"
        f"{code},MARKETPLACE,SMP-RJT-001,1,120000,0,c,2025-08-01 05:00\n",
        encoding="utf-8",
    )

    # when
    call_command("import_sales", str(path), "--no-progress", stdout=io.StringIO(), stderr=io.StringIO())

    # then they landed in July and August 2025, as marketplace sales, and the check agrees
    rows = LedgerMonth.objects.filter(
        organization=books["facility"], entry_kind="SALE", account_kind="CASH", channel="MARKETPLACE"
    ).order_by("month")
    assert [(r.month.isoformat(), r.debit_idr, r.lines) for r in rows] == [
        ("2025-07-01", 2 * WHIP, 2),
        ("2025-08-01", BAG, 1),
    ]
    assert summary_mismatches() == []
    assert ledger_check()[0] == 0


def test_entries_are_counted_once_whatever_the_order_of_their_ids():
    """The entry filter of the upsert selects exactly the entries written: a range when their ids are
    consecutive, else lists of ids (another transaction may hold the ids in between)."""
    from django.db.models import Q

    from binakarya.ledger.summary import _entry_filters

    # when / then
    assert _entry_filters([]) == []
    assert _entry_filters([7, 5, 6]) == [Q(entry_id__gte=5, entry_id__lte=7)]
    assert _entry_filters([5, 9]) == [Q(entry_id__in=[5, 9])]


def test_the_migrations_backfill_builds_the_summaries_from_existing_lines(books):
    # given books whose summaries are gone (as before the migration)
    import importlib
    from types import SimpleNamespace

    from django.apps import apps
    from django.db import connection

    migration = importlib.import_module("binakarya.ledger.migrations.0011_journal_summaries")
    expected = sorted(LedgerMonth.objects.values_list("organization_id", "month", "entry_kind", "debit_idr", "lines"))
    LedgerMonth.objects.all().delete()
    MakerMonth.objects.all().delete()

    # when the migration's backfill runs
    migration.summaries_fill(apps, SimpleNamespace(connection=connection))

    # then
    assert summary_mismatches() == []
    got = sorted(LedgerMonth.objects.values_list("organization_id", "month", "entry_kind", "debit_idr", "lines"))
    assert got == expected
    assert MakerMonth.objects.count() == 2
