"""The dashboards benchmark's generator (benchmarks/dash_data.py) at a tiny size: its data is what the
services would have written, and the monthly summaries agree with the journal. Nothing here is timed."""

import datetime
import io
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from binakarya.ledger.models import JournalLine, LedgerMonth, Payout, PnbpDeposit, PnbpTarget
from binakarya.ledger.selectors import negative_payables, summary_mismatches, unbalanced_entries
from binakarya.organizations.models import Organization, Role
from binakarya.sales.models import Sale

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

import dash_data  # noqa: E402

pytestmark = pytest.mark.django_db


def test_tiny_dataset_balances_and_its_summaries_equal_the_journal():
    # given a tiny national dataset: 3 facilities, 2 years, about 4,000 journal lines
    sizes = dash_data.Sizes(lines=4_000, facilities=3, years=2, seed=3)

    # when it is generated
    generated = dash_data.generate(sizes)

    # then it holds sales, payouts, PNBP deposits and targets for every facility, near the size asked
    facilities = Organization.objects.filter(kind=Organization.Kind.FACILITY, slug__startswith=dash_data.PREFIX)
    assert facilities.count() == 3
    assert {s.organization_id for s in Sale.objects.all()} == set(facilities.values_list("pk", flat=True))
    assert Payout.objects.exists() and PnbpDeposit.objects.exists() and PnbpTarget.objects.exists()
    lines = JournalLine.objects.count()
    assert 3_000 <= lines <= 5_000
    assert generated.counts["journal_lines"] == lines
    assert set(generated.users) == {Role.FACILITY_ADMIN, Role.NATIONAL_VIEWER, Role.REGIONAL_VIEWER}
    # and the ledger's invariants hold, the summaries included, as ledger_check reports
    assert unbalanced_entries() == [] and negative_payables() == []
    assert summary_mismatches() == []
    assert LedgerMonth.objects.filter(entry_kind="PAYOUT").exists()
    out = io.StringIO()
    call_command("ledger_check", stdout=out)  # exits 1 on any failure
    assert "ok   the monthly summaries equal the journal" in out.getvalue()
    assert "FAIL" not in out.getvalue()


@pytest.mark.postgres_only
def test_the_benchmarks_raw_sql_over_the_journal_and_over_the_summaries_give_the_panels_figures():
    # given a tiny national dataset and its national viewer
    import bench_dashboards

    from binakarya.dashboards.selectors import dashboard_panels, dashboard_scope

    generated = dash_data.generate(dash_data.Sizes(lines=4_000, facilities=3, years=2, seed=5))
    viewer = get_user_model().objects.get(username=generated.users[Role.NATIONAL_VIEWER])
    year = timezone.localdate().year - 1
    scope = dashboard_scope(user=viewer, scope="nation")
    start, end = bench_dashboards.year_bounds(year)
    params = {
        "orgs": list(scope.organization_ids),
        "start": start,
        "end": end,
        "start_month": datetime.date(year, 1, 1),
        "end_month": datetime.date(year + 1, 1, 1),
    }

    # when the benchmark's (c) and (d) statements run, and the selectors draw the panels
    journal = bench_dashboards.figures(bench_dashboards.RAW_JOURNAL, params)
    summary = bench_dashboards.figures(bench_dashboards.RAW_SUMMARY, params)
    panels = dashboard_panels(user=viewer, scope=scope, year=year)

    # then both give the same figures, and the panels' totals are theirs
    assert journal == summary
    assert journal["sales_by_month"] and journal["makers_earning"]
    totals = bench_dashboards.totals_of(journal)
    assert totals["net_sales"] > 0
    assert bench_dashboards.panel_totals(panels, single=False) == totals
