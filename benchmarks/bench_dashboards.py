#!/usr/bin/env python3
"""Dashboards benchmark (issue 14), one command: `.venv/bin/python benchmarks/bench_dashboards.py`
(or `make bench-dashboards`).

1. Creates the PostgreSQL database `binakarya_bench_dash` if missing (``--fresh-db`` drops it
   first), migrates it and, unless the dataset asked for is already there, generates five years of
   national data (``benchmarks/dash_data.py``): ``--facilities`` facilities (500) across the Kanwil
   regions, their groups, makers, products, lots, split rules, sales posted by ``import_sales`` (the
   production bulk path that keeps the summary tables), monthly payouts and PNBP deposits, PNBP targets:
   ``--lines`` journal lines in all (10,000,000). A dataset of another size, or ``--regenerate``,
   starts from a new database (the journal is append-only). Generation time is printed, per phase.
2. Measures, in the same run, ``--repeat`` times each (20) after ``--warmup`` runs (3), for the
   busiest facility (``org:<slug>``, its facility admin) and the nation (``nation``, a national
   viewer), for ``--year`` (the last full calendar year):
   (a) the dashboard page through Django's test Client, logged in;
   (b) the dashboard selectors alone (``dashboards.selectors.dashboard_panels``);
   (c) raw SQL over the journal (journal lines joined to entries, accounts, sale lines, lots and
       products) that computes the same figures without summary tables;
   (d) raw SQL over the summary tables.
   The figures of (b), (c) and (d) are compared: they must agree.
3. Runs ``manage.py ledger_check`` (it compares the summary with the journal too) and prints its time.

Targets: page p95 < 1 s; page p95 within 2x of (c)'s p95. The ratio to (d) is shown too.
Exit status 1 on a missed target only with --strict.

At full size on 2 cores: generating takes about 17 minutes (once; 4.9 GB), measuring 15 to 20 (the
nation's raw SQL over the journal takes about 30 s a run), ledger_check 4 to 5. A smoke run
(``--lines 200000 --facilities 20``) takes a minute or two.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_ledger import percentile, run_manage, setup_django, tail  # noqa: E402
from bench_report import finish, fmt, stop_on_signals, verdict, wait_until_idle  # noqa: E402
from bench_setup import (  # noqa: E402
    cpu_busy_percent,
    database_url,
    ensure_database,
    machine_description,
    manage,
    postgres_version,
    remove_tree,
    server_env,
)

PAGE_P95_TARGET_S = 1.0
RAW_RATIO_TARGET = 2.0
META_TABLE = "bench_dashboards_dataset"
# The dashboards page's URL name (the first that resolves); /staf/ itself is "backoffice:dashboard".
PAGE_URL_NAMES = ("backoffice:dashboards", "dashboards:dashboards", "dashboards:index")

STARTED = time.monotonic()


def log(message: str) -> None:
    print(f"[bench-dash +{time.monotonic() - STARTED:7.1f} s] {message}", file=sys.stderr, flush=True)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--lines", type=int, default=10_000_000, help="journal lines to generate (10000000)")
    p.add_argument("--facilities", type=int, default=500, help="correctional facilities (500)")
    p.add_argument("--years", type=int, default=5, help="years of data, ending yesterday (5)")
    p.add_argument("--seed", type=int, default=14, help="random seed of the dataset (14)")
    p.add_argument("--year", type=int, default=0, help="the dashboards' year (default: the last full calendar year)")
    p.add_argument("--repeat", type=int, default=20, help="measured runs of each measure (20)")
    p.add_argument("--warmup", type=int, default=3, help="runs before measuring, not counted (3)")
    p.add_argument("--database", default="binakarya_bench_dash", help="database name (default binakarya_bench_dash)")
    p.add_argument(
        "--pg-url",
        default=os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432"),
        help="PostgreSQL server URL without database name (env BENCH_PG_URL; default postgres://postgres@127.0.0.1:5432)",
    )
    p.add_argument("--regenerate", action="store_true", help="generate again, in a new database")
    p.add_argument("--fresh-db", action="store_true", help="drop and recreate the benchmark database first")
    p.add_argument("--generate-only", action="store_true", help="generate (if needed) and stop")
    p.add_argument("--skip-check", action="store_true", help="do not run manage.py ledger_check")
    p.add_argument("--check-timeout", type=float, default=3600, help="seconds allowed for ledger_check (3600)")
    p.add_argument(
        "--wait-idle",
        type=float,
        default=0,
        metavar="SECONDS",
        help="before measuring, wait up to SECONDS for other work to leave the CPU (< 15 %% busy)",
    )
    p.add_argument("--json", type=Path, help="also write the results as JSON to this file")
    p.add_argument("--strict", action="store_true", help="exit 1 when a target is missed or a check fails")
    args = p.parse_args(argv)
    if not 1_000 <= args.lines <= 50_000_000:
        p.error("--lines must be between 1000 and 50000000")
    if not 1 <= args.facilities <= 2_000:
        p.error("--facilities must be between 1 and 2000")
    if not 1 <= args.years <= 10:
        p.error("--years must be between 1 and 10")
    if not 1 <= args.repeat <= 1_000 or not 0 <= args.warmup <= 100:
        p.error("--repeat must be 1-1000 and --warmup 0-100")
    return args


# The dataset: what is in the database, generating it ------------------------------------------------


def dataset_meta(db_url: str) -> dict[str, Any] | None:
    """What an earlier run generated into this database (None when nothing was)."""
    import psycopg

    with psycopg.connect(db_url, connect_timeout=10) as conn:
        exists = conn.execute("SELECT to_regclass(%s)", (META_TABLE,)).fetchone()[0]
        if not exists:
            return None
        row = conn.execute(f"SELECT data FROM {META_TABLE} ORDER BY id DESC LIMIT 1").fetchone()  # noqa: S608
        return row[0] if row else None


def dataset_meta_save(db_url: str, meta: dict[str, Any]) -> None:
    import psycopg
    from psycopg.types.json import Jsonb

    with psycopg.connect(db_url, connect_timeout=10) as conn:
        conn.execute(f"CREATE TABLE IF NOT EXISTS {META_TABLE} (id serial PRIMARY KEY, data jsonb NOT NULL)")
        conn.execute(f"INSERT INTO {META_TABLE} (data) VALUES (%s)", (Jsonb(meta),))  # noqa: S608


def wanted_meta(args: argparse.Namespace) -> dict[str, Any]:
    return {"lines": args.lines, "facilities": args.facilities, "years": args.years, "seed": args.seed}


def generate(args: argparse.Namespace, db_url: str) -> dict[str, Any]:
    import dash_data

    sizes = dash_data.Sizes(lines=args.lines, facilities=args.facilities, years=args.years, seed=args.seed)
    started = time.perf_counter()
    gen = dash_data.generate(sizes, log=log)
    seconds = time.perf_counter() - started
    meta = {
        **wanted_meta(args),
        "generated_at": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "seconds": seconds,
        "phases": gen.phases,
        "counts": gen.counts,
        "users": gen.users,
        "facility": gen.facilities[0].slug,
        "machine": machine_description(),
    }
    dataset_meta_save(db_url, meta)
    log(f"generated {gen.counts['journal_lines']:,} journal lines in {seconds:.0f} s")
    return meta


def database_totals(db_url: str) -> dict[str, Any]:
    import psycopg

    queries = {
        "journal_lines": "SELECT count(*) FROM ledger_journalline",
        "journal_entries": "SELECT count(*) FROM ledger_journalentry",
        "sales": "SELECT count(*) FROM sales_sale",
        "sale_lines": "SELECT count(*) FROM sales_saleline",
        "payouts": "SELECT count(*) FROM ledger_payout",
        "pnbp_deposits": "SELECT count(*) FROM ledger_pnbpdeposit",
        "makers": "SELECT count(*) FROM makers_maker",
        "facilities": "SELECT count(*) FROM organizations_organization WHERE kind = 'FACILITY'",
        "provinces": "SELECT count(DISTINCT province) FROM organizations_organization WHERE kind = 'FACILITY'",
        "database_bytes": "SELECT pg_database_size(current_database())",
        "first_sale": "SELECT min(occurred_at)::date::text FROM sales_sale",
        "last_sale": "SELECT max(occurred_at)::date::text FROM sales_sale",
    }
    with psycopg.connect(db_url, connect_timeout=10) as conn:
        return {k: conn.execute(q).fetchone()[0] for k, q in queries.items()}


# Measuring -------------------------------------------------------------------------------------------

TZ = "Asia/Jakarta"

# The ledger's figures a dashboard draws (dashboards/selectors.py ``_figures`` and ``_makers_earning``),
# computed two ways in raw SQL: (c) from the journal lines (with their entries, accounts, sale lines,
# sales, products and lots), as if there were no summary tables, and (d) from the summary tables.
# Each is six statements for the scope's organizations: net sales by month and channel; net sales by
# category and group; premi and PNBP by month and kind of entry; receivables and capital funds since the
# beginning (the outlets' less the commission they keep), with the year's grants; makers earning premi, by
# month and over the year; and the PNBP deposited in the year (the deposits' own table, the same on both
# sides). The page reads stock, orders and PNBP targets besides; they are not ledger figures, and are in
# neither (c) nor (d).
JOURNAL_FROM = """
FROM ledger_journalline l
JOIN ledger_journalentry e ON e.id = l.entry_id
JOIN ledger_account a ON a.id = l.account_id
LEFT JOIN sales_saleline sl ON sl.id = l.sale_line_id
"""
LOCAL_MONTH = f"extract(month FROM e.occurred_at AT TIME ZONE '{TZ}')::int"
IN_YEAR = "e.occurred_at >= %(start)s AND e.occurred_at < %(end)s"
# A sale's money lines trace to its sale lines; a reversal without one (a cancelled order's settlement) is no sale.
SALES = "a.kind IN ('CASH', 'BANK', 'RECEIVABLE') AND e.kind IN ('SALE', 'REVERSAL') AND l.sale_line_id IS NOT NULL"
GROUP_KEY = "coalesce(sl_lot.group_id, l_lot.group_id, a.group_id, 0)"
LOTS = "LEFT JOIN production_lot sl_lot ON sl_lot.id = sl.lot_id LEFT JOIN production_lot l_lot ON l_lot.id = l.lot_id"
RAW_JOURNAL = {
    "sales_by_month": f"""
SELECT l.organization_id, {LOCAL_MONTH}, coalesce(s.channel, ''), sum(l.amount_idr) {JOURNAL_FROM}
LEFT JOIN sales_sale s ON s.id = sl.sale_id
WHERE l.organization_id = ANY(%(orgs)s) AND {IN_YEAR} AND {SALES} GROUP BY 1, 2, 3""",
    "sales_by_dims": f"""
SELECT l.organization_id, coalesce(p.category_id, 0), {GROUP_KEY}, sum(l.amount_idr) {JOURNAL_FROM}
LEFT JOIN catalog_variant v ON v.id = sl.variant_id LEFT JOIN catalog_product p ON p.id = v.product_id {LOTS}
WHERE l.organization_id = ANY(%(orgs)s) AND {IN_YEAR} AND {SALES} GROUP BY 1, 2, 3""",
    "payables": f"""
SELECT l.organization_id, {LOCAL_MONTH}, e.kind, a.kind, sum(l.amount_idr) {JOURNAL_FROM}
WHERE l.organization_id = ANY(%(orgs)s) AND {IN_YEAR} AND a.kind IN ('PREMI_PAYABLE', 'PNBP_PAYABLE')
GROUP BY 1, 2, 3, 4""",
    "balances": f"""
SELECT l.organization_id, a.kind, e.kind, coalesce(s.channel, ''), {GROUP_KEY}, sum(l.amount_idr),
       coalesce(sum(l.amount_idr) FILTER (WHERE {IN_YEAR} AND e.kind = 'GRANT'), 0) {JOURNAL_FROM}
LEFT JOIN sales_sale s ON s.id = sl.sale_id {LOTS}
WHERE l.organization_id = ANY(%(orgs)s) AND a.kind IN ('RECEIVABLE', 'COMMISSION', 'CAPITAL_FUND')
GROUP BY 1, 2, 3, 4, 5""",
    "makers_earning": f"""
WITH earned AS (
    SELECT l.organization_id, {LOCAL_MONTH} AS month, a.maker_id, -sum(l.amount_idr) AS earned {JOURNAL_FROM}
    WHERE l.organization_id = ANY(%(orgs)s) AND {IN_YEAR} AND a.kind = 'PREMI_PAYABLE' AND e.kind <> 'PAYOUT'
    GROUP BY 1, 2, 3
)
SELECT organization_id, month, count(*) FROM earned WHERE earned > 0 GROUP BY 1, 2
UNION ALL
SELECT organization_id, 0, count(*) FROM (
    SELECT organization_id, maker_id FROM earned GROUP BY 1, 2 HAVING sum(earned) > 0
) y GROUP BY 1""",
}
# PNBP deposits count in the year of their deposit date (the PnbpDeposit row), as the selectors count them.
DEPOSITS = """
SELECT d.organization_id, sum(d.amount_idr) FROM ledger_pnbpdeposit d
WHERE d.organization_id = ANY(%(orgs)s) AND d.deposited_date >= %(start_month)s AND d.deposited_date < %(end_month)s
GROUP BY 1"""
RAW_JOURNAL["deposits"] = DEPOSITS
IN_YEAR_M = "m.month >= %(start_month)s AND m.month < %(end_month)s"
RAW_SUMMARY = {
    "sales_by_month": f"""
SELECT m.organization_id, extract(month FROM m.month)::int, m.channel, sum(m.debit_idr + m.credit_idr)
FROM ledger_ledgermonth m
WHERE m.organization_id = ANY(%(orgs)s) AND {IN_YEAR_M} AND m.account_kind IN ('CASH', 'BANK', 'RECEIVABLE')
  AND m.entry_kind IN ('SALE', 'REVERSAL') AND m.channel <> '' GROUP BY 1, 2, 3""",
    "sales_by_dims": f"""
SELECT m.organization_id, m.category_key, m.group_key, sum(m.debit_idr + m.credit_idr) FROM ledger_ledgermonth m
WHERE m.organization_id = ANY(%(orgs)s) AND {IN_YEAR_M} AND m.account_kind IN ('CASH', 'BANK', 'RECEIVABLE')
  AND m.entry_kind IN ('SALE', 'REVERSAL') AND m.channel <> '' GROUP BY 1, 2, 3""",
    "payables": f"""
SELECT m.organization_id, extract(month FROM m.month)::int, m.entry_kind, m.account_kind, sum(m.debit_idr + m.credit_idr)
FROM ledger_ledgermonth m
WHERE m.organization_id = ANY(%(orgs)s) AND {IN_YEAR_M} AND m.account_kind IN ('PREMI_PAYABLE', 'PNBP_PAYABLE')
GROUP BY 1, 2, 3, 4""",
    # Balances now from LedgerBalance (one row a key, no month), the year's grants from LedgerMonth, as the
    # selectors read them.
    "balances": f"""
WITH grants AS (
    SELECT m.organization_id, m.account_kind, m.entry_kind, m.channel, m.group_key,
           sum(m.debit_idr + m.credit_idr) AS in_year
    FROM ledger_ledgermonth m
    WHERE m.organization_id = ANY(%(orgs)s) AND {IN_YEAR_M} AND m.entry_kind = 'GRANT'
      AND m.account_kind IN ('RECEIVABLE', 'COMMISSION', 'CAPITAL_FUND')
    GROUP BY 1, 2, 3, 4, 5
)
SELECT b.organization_id, b.account_kind, b.entry_kind, b.channel, b.group_key, b.debit_idr + b.credit_idr,
       coalesce(g.in_year, 0)
FROM ledger_ledgerbalance b
LEFT JOIN grants g USING (organization_id, account_kind, entry_kind, channel, group_key)
WHERE b.organization_id = ANY(%(orgs)s) AND b.account_kind IN ('RECEIVABLE', 'COMMISSION', 'CAPITAL_FUND')""",
    "makers_earning": f"""
SELECT m.organization_id, extract(month FROM m.month)::int, count(*) FROM ledger_makermonth m
WHERE m.organization_id = ANY(%(orgs)s) AND {IN_YEAR_M} AND m.earned_idr > 0 GROUP BY 1, 2
UNION ALL
SELECT organization_id, 0, count(*) FROM (
    SELECT m.organization_id, m.maker_id FROM ledger_makermonth m
    WHERE m.organization_id = ANY(%(orgs)s) AND {IN_YEAR_M} GROUP BY 1, 2 HAVING sum(m.earned_idr) > 0
) y GROUP BY 1""",
    "deposits": DEPOSITS,
}


def figures(
    statements: dict[str, str], params: dict[str, Any], *, by_month: bool = True
) -> dict[str, dict[tuple, tuple]]:
    """Run the five statements; each one's rows as {key columns: (sums)} without the rows that are all zero.

    Without ``by_month`` the makers are counted over the year only, as the selectors do for many organizations.
    """
    from django.db import connection

    out: dict[str, dict[tuple, tuple]] = {}
    with connection.cursor() as cursor:
        for name, sql in statements.items():
            if name == "makers_earning" and not by_month:
                monthly, yearly = sql.split("UNION ALL\n")
                cte = monthly[: monthly.index(")\nSELECT") + 2] if monthly.lstrip().startswith("WITH") else ""
                sql = cte + yearly
            cursor.execute(sql, params)
            width = 2 if name == "balances" else 1
            out[name] = {
                tuple(r[:-width]): tuple(int(v) for v in r[-width:]) for r in cursor.fetchall() if any(r[-width:])
            }
    return out


def totals_of(f: dict[str, dict[tuple, tuple]]) -> dict[str, int]:
    """The year's totals a reader checks on the panels: net sales, premi earned and paid, PNBP accrued and deposited."""
    payables = f["payables"]
    return {
        "net_sales": sum(v[0] for v in f["sales_by_month"].values()),
        "premi_earned": -sum(v[0] for k, v in payables.items() if k[3] == "PREMI_PAYABLE" and k[2] != "PAYOUT"),
        "premi_paid": sum(v[0] for k, v in payables.items() if k[3] == "PREMI_PAYABLE" and k[2] == "PAYOUT"),
        "pnbp_accrued": -sum(v[0] for k, v in payables.items() if k[3] == "PNBP_PAYABLE" and k[2] != "PNBP_DEPOSIT"),
        "pnbp_deposited": sum(v[0] for v in f["deposits"].values()),
        "makers_earning": sum(v[0] for k, v in f["makers_earning"].items() if k[1] == 0),
    }


def panel_totals(panels: list[Any], *, single: bool) -> dict[str, int]:
    """The same totals read off the selectors' panels: sales by channel, premi, PNBP (columns by position)."""
    by_key = {p.key: p for p in panels}
    premi_rows = list(by_key["premi"].table.rows)
    makers = premi_rows[-1][3] if single else sum(r[3] for r in premi_rows)  # the year's count
    if single:
        premi_rows = premi_rows[:-1]  # the year's total row under the months
    out = {
        "makers_earning": makers,
        "net_sales": sum(v for r in by_key["sales-channel"].table.rows for v in r[1:] if isinstance(v, int)),
        "premi_earned": sum(r[1] for r in premi_rows),
        "premi_paid": sum(r[2] for r in premi_rows),
    }
    if "pnbp" in by_key:
        out["pnbp_accrued"] = sum(r[1] for r in by_key["pnbp"].table.rows)
        out["pnbp_deposited"] = sum(r[2] for r in by_key["pnbp"].table.rows)
    return out


def year_bounds(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    import zoneinfo

    tz = zoneinfo.ZoneInfo(TZ)
    return datetime.datetime(year, 1, 1, tzinfo=tz), datetime.datetime(year + 1, 1, 1, tzinfo=tz)


def sql_rows(sql: str, params: dict[str, Any]) -> list[tuple]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def timed(fn, *, repeat: int, warmup: int, before=None) -> dict[str, Any]:
    """Run ``fn`` ``warmup`` times unmeasured, then ``repeat`` times: p50, p95, max in ms, and its last result."""
    result = None
    for _ in range(warmup):
        if before:
            before()
        result = fn()
    seconds = []
    for _ in range(repeat):
        if before:
            before()
        t = time.perf_counter()
        result = fn()
        seconds.append(time.perf_counter() - t)
    return {
        "p50_ms": 1000 * percentile(seconds, 50),
        "p95_ms": 1000 * percentile(seconds, 95),
        "max_ms": 1000 * max(seconds),
        "runs": len(seconds),
        "result": result,
    }


def last_full_year(meta: dict[str, Any]) -> int:
    return datetime.date.today().year - 1


def measure(args: argparse.Namespace, meta: dict[str, Any], results: dict[str, Any]) -> None:
    """(a) pages, (b) selectors, (c) raw SQL over the journal, (d) raw SQL over the summaries, per scope."""
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.utils import translation

    from binakarya.dashboards.selectors import dashboard_panels, dashboard_scope
    from binakarya.organizations.models import Organization, Role

    year = args.year or last_full_year(meta)
    start, end = year_bounds(year)
    facility = Organization.objects.get(slug=meta["facility"])
    User = get_user_model()
    scopes = [
        ("facility", f"org:{facility.slug}", User.objects.get(username=meta["users"][Role.FACILITY_ADMIN])),
        ("nation", "nation", User.objects.get(username=meta["users"][Role.NATIONAL_VIEWER])),
    ]
    results["year"] = year
    results["facility"] = {"slug": facility.slug, "name": facility.name}
    results["scopes"] = {}
    with connection.cursor() as cursor:
        count = (
            "SELECT count(*) FROM ledger_journalline l JOIN ledger_journalentry e ON e.id = l.entry_id "
            "WHERE e.occurred_at >= %s AND e.occurred_at < %s"
        )
        cursor.execute(count + " AND e.organization_id = %s", [start, end, facility.pk])
        results["facility"]["lines_in_year"] = cursor.fetchone()[0]
        cursor.execute(count, [start, end])
        results["lines_in_year"] = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM ledger_ledgermonth")
        results["ledger_month_rows"] = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM ledger_makermonth")
        results["maker_month_rows"] = cursor.fetchone()[0]
    for label, scope, user in scopes:
        row: dict[str, Any] = {"scope": scope, "user": user.username}
        results["scopes"][label] = row
        with translation.override("en"):
            ids = dashboard_scope(user=user, scope=scope).organization_ids
        params = {
            "orgs": list(ids),
            "start": start,
            "end": end,
            "start_month": datetime.date(year, 1, 1),
            "end_month": datetime.date(year + 1, 1, 1),
        }
        row["organizations"] = len(ids)
        log(f"{label}: (c) raw SQL over the journal, {len(ids)} organizations")
        by_month = label == "facility"  # the selectors count makers by month for one organization only
        row["raw_journal"] = timed(
            lambda p=params, m=by_month: figures(RAW_JOURNAL, p, by_month=m), repeat=args.repeat, warmup=args.warmup
        )
        log(f"  p95 {row['raw_journal']['p95_ms']:.0f} ms")
        log(f"{label}: (d) raw SQL over the summary tables")
        row["raw_summary"] = timed(
            lambda p=params, m=by_month: figures(RAW_SUMMARY, p, by_month=m), repeat=args.repeat, warmup=args.warmup
        )
        log(f"  p95 {row['raw_summary']['p95_ms']:.0f} ms")
        journal_figures, summary_figures = row["raw_journal"].pop("result"), row["raw_summary"].pop("result")
        row["raw_agree"] = journal_figures == summary_figures
        row["figure_rows"] = {k: len(v) for k, v in journal_figures.items()}
        row["totals"] = totals_of(journal_figures)

        def panels(user=user, scope=scope) -> list[Any]:
            with translation.override("en"):
                return dashboard_panels(user=user, scope=dashboard_scope(user=user, scope=scope), year=year)

        log(f"{label}: (b) dashboard_scope and dashboard_panels")
        row["selectors"] = timed(panels, repeat=args.repeat, warmup=args.warmup, before=cache.clear)
        log(f"  p95 {row['selectors']['p95_ms']:.0f} ms")
        row["panel_totals"] = panel_totals(row["selectors"].pop("result"), single=label == "facility")
        row["panels_agree"] = all(row["panel_totals"][k] == row["totals"][k] for k in row["panel_totals"])
        path = page_path(scope, year)
        if path:
            client = Client()
            client.force_login(user)
            log(f"{label}: (a) the page {path}")

            def get(path: str = path, client: Client = client) -> int:
                response = client.get(path)
                if response.status_code != 200:
                    raise RuntimeError(f"{path} answered {response.status_code}")
                return len(response.content)

            row["page"] = timed(get, repeat=args.repeat, warmup=args.warmup, before=cache.clear)
            row["page"]["path"] = path
            row["page"]["bytes"] = row["page"].pop("result")
            log(f"  p95 {row['page']['p95_ms']:.0f} ms, {row['page']['bytes']:,} bytes")


def page_path(scope: str, year: int) -> str | None:
    """The dashboard page's address for ``scope`` and ``year``, when the page exists."""
    from django.urls import NoReverseMatch, reverse

    for name in PAGE_URL_NAMES:
        try:
            return f"{reverse(name)}?scope={scope}&year={year}"
        except NoReverseMatch:
            continue
    return None


PHASES = ("organizations, catalog, makers, rules", "lots", "import_sales", "payouts and PNBP deposits")


def phase_order(name: str) -> int:
    return PHASES.index(name) if name in PHASES else len(PHASES)


def render(results: dict[str, Any]) -> tuple[str, bool]:
    """The markdown report and whether every target was met."""
    from binakarya.core.money import format_rupiah as rp

    all_ok = True
    totals = results["totals"]
    ds = results["dataset"]
    lines = [
        f"Measured {results['date']} on {results['machine']}; PostgreSQL {results['postgres']}; Python "
        f"{results['python']}; database `{results['database']}` ({totals['database_bytes'] / 1e9:.1f} GB): "
        f"{totals['journal_lines']:,} journal lines in {totals['journal_entries']:,} entries, {totals['sales']:,} sales "
        f"({totals['sale_lines']:,} sale lines), {totals['payouts']:,} payouts, {totals['pnbp_deposits']:,} PNBP "
        f"deposits, {totals['facilities']} facilities in {totals['provinces']} provinces, {totals['makers']:,} makers, "
        f"sales from {totals['first_sale']} to {totals['last_sale']}.",
        "",
        f"Generated {ds['generated_at']} in {ds['seconds']:,.0f} s: "
        + ", ".join(f"{k} {ds['phases'][k]:,.0f} s" for k in sorted(ds["phases"], key=phase_order))
        + ".",
    ]
    busy = results.get("cpu_busy_before_pct", 0.0)
    if busy > 10:
        lines += [
            "",
            f"**Warning:** the machine was not idle before the measurements (CPU {busy:.0f} % busy with other work); "
            "the figures are pessimistic.",
        ]
    year = results.get("year")
    if results.get("scopes"):
        fac = results["facility"]
        runs = next(iter(results["scopes"].values()))["raw_journal"]["runs"]
        lines += [
            "",
            f"Year {year} (the last full calendar year): {results['lines_in_year']:,} journal lines in the nation, "
            f"{fac['lines_in_year']:,} in {fac['name']} (the busiest facility); the summary tables hold "
            f"{results['ledger_month_rows']:,} LedgerMonth and {results['maker_month_rows']:,} MakerMonth rows in all. "
            f"Each measure run {runs} times after warm-up runs, in one process; (a) and (b) with the cache "
            "cleared before each run; (a) through Django's test Client (no network).",
            "",
            "| Scope | Measure | p50 ms | p95 ms | max ms | Target | Result |",
            "|---|---|---:|---:|---:|---|:---:|",
        ]
        for row in results["scopes"].values():
            name = f"`{row['scope']}` ({row['organizations']} org.)"
            page, raw, summary, sel = row.get("page"), row["raw_journal"], row["raw_summary"], row["selectors"]
            if page:
                ok = page["p95_ms"] < 1000 * PAGE_P95_TARGET_S
                all_ok &= ok
                lines.append(
                    f"| {name} | (a) page `{page['path']}` as `{row['user']}` ({page['bytes'] / 1024:,.0f} KB) | "
                    f"{fmt(page['p50_ms'])} | {fmt(page['p95_ms'])} | {fmt(page['max_ms'])} | "
                    f"p95 < {PAGE_P95_TARGET_S * 1000:,.0f} ms | {verdict(ok)} |"
                )
            else:
                all_ok = False
                lines.append(f"| {name} | (a) page | – | – | – | p95 < 1,000 ms | **not found** |")
            lines += [
                f"| {name} | (b) selectors: `dashboard_scope` + `dashboard_panels` | {fmt(sel['p50_ms'])} | "
                f"{fmt(sel['p95_ms'])} | {fmt(sel['max_ms'])} | | |",
                f"| {name} | (c) raw SQL over the journal (6 statements) | {fmt(raw['p50_ms'])} | "
                f"{fmt(raw['p95_ms'])} | {fmt(raw['max_ms'])} | | |",
                f"| {name} | (d) raw SQL over the summary tables (6 statements) | {fmt(summary['p50_ms'])} | "
                f"{fmt(summary['p95_ms'])} | {fmt(summary['max_ms'])} | | |",
            ]
            if page:
                ratio = page["p95_ms"] / raw["p95_ms"]
                ok = ratio <= RAW_RATIO_TARGET
                all_ok &= ok
                lines += [
                    f"| {name} | page p95 ÷ (c) p95 | | {fmt(ratio, 2)} | | ≤ {RAW_RATIO_TARGET:g} | {verdict(ok)} |",
                    f"| {name} | page p95 ÷ (d) p95 | | {fmt(page['p95_ms'] / summary['p95_ms'], 1)} | | (shown) | |",
                ]
            all_ok &= row["raw_agree"] and row["panels_agree"]
            lines += [
                f"| {name} | (c) and (d) give the same figures | | | | equal | {verdict(row['raw_agree'])} |",
                f"| {name} | the panels' totals equal (c)'s | | | | equal | {verdict(row['panels_agree'])} |",
            ]
        lines.append("")
        for row in results["scopes"].values():
            t = row["totals"]
            lines.append(
                f"`{row['scope']}`, {year}: net sales {rp(t['net_sales'])}, premi earned {rp(t['premi_earned'])} "
                f"and paid {rp(t['premi_paid'])}, PNBP accrued {rp(t['pnbp_accrued'])} and deposited "
                f"{rp(t['pnbp_deposited'])}, {t['makers_earning']:,} makers earning premi (from (c); rows per statement: "
                + ", ".join(f"{k} {v:,}" for k, v in row["figure_rows"].items())
                + ")."
            )
    check = results.get("ledger_check")
    if check:
        all_ok &= check["ok"]
        lines += [
            "",
            "| Check | Seconds | Exit | Result |",
            "|---|---:|---:|:---:|",
            f"| `manage.py ledger_check` (whole database) | {fmt(check['seconds'])} | {check['returncode']} | {verdict(check['ok'])} |",
        ]
    return "\n".join(lines), all_ok


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    stop_on_signals()
    try:
        import psycopg
    except ImportError:
        print(
            "psycopg is missing: run this with the project's venv, `.venv/bin/python benchmarks/bench_dashboards.py`."
        )
        return 2

    db_url = database_url(args.pg_url, args.database)
    scratch = Path(__import__("tempfile").mkdtemp(prefix="binakarya-bench-dash-"))
    env = server_env(db_url, scratch / "static", scratch / "media")
    env["ALLOWED_HOSTS"] = "testserver,127.0.0.1"
    results: dict[str, Any] = {
        "date": datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "machine": machine_description(),
        "python": platform.python_version(),
        "database": args.database,
    }
    try:
        fresh = args.fresh_db
        if not fresh and args.regenerate:
            fresh = True
        if not fresh:
            try:
                ensure_database(args.pg_url, args.database)
                meta = dataset_meta(db_url)
            except psycopg.Error:
                meta = None
            if meta is not None and {k: meta.get(k) for k in wanted_meta(args)} != wanted_meta(args):
                log(
                    f"the database holds another dataset ({ {k: meta.get(k) for k in wanted_meta(args)} }): starting again"
                )
                fresh = True
        if ensure_database(args.pg_url, args.database, fresh=fresh):
            log(f"created database {args.database}")
        log("migrate")
        try:
            manage(env, "migrate", "--noinput", quiet=True, timeout=3600)
        except RuntimeError as exc:
            raise RuntimeError(
                f"{exc}\nmigrate failed on {args.database}; if migrations were rewritten since it was built, "
                "run again with --fresh-db."
            ) from None
        setup_django(env)
        meta = dataset_meta(db_url)
        if meta is None:
            log(
                f"generating {args.lines:,} journal lines over {args.facilities} facilities and {args.years} years "
                "(reused by the next runs)"
            )
            meta = generate(args, db_url)
            results["generated_now"] = True
        else:
            log(
                f"dataset present (generated {meta['generated_at']} in {meta['seconds']:.0f} s); --regenerate makes it again"
            )
            results["generated_now"] = False
        results["dataset"] = meta
        results["postgres"] = postgres_version(db_url)
        results["totals"] = database_totals(db_url)
        if args.generate_only:
            log(json.dumps(results["totals"]))
            return 0
        log("collectstatic into a temporary STATIC_ROOT (the page is rendered with DEBUG off)")
        manage(env, "collectstatic", "--noinput", quiet=True)
        if args.wait_idle > 0:
            wait_until_idle(args.wait_idle, log)
        results["cpu_busy_before_pct"] = cpu_busy_percent()
        measure(args, meta, results)
        if not args.skip_check:
            log("manage.py ledger_check")
            run = run_manage(env, ["ledger_check"], timeout=args.check_timeout)
            results["ledger_check"] = {
                "returncode": run["returncode"],
                "timed_out": run["timed_out"],
                "seconds": run["seconds"],
                "ok": run["returncode"] == 0,
                "output": tail(run["stdout"] + "\n" + run["stderr"], 8),
            }
            log(f"  exit {run['returncode']} in {run['seconds']:.1f} s")
    except KeyboardInterrupt:
        log("interrupted")
        return 130
    except (RuntimeError, psycopg.Error) as exc:
        log(f"failed: {exc}")
        return 2
    finally:
        remove_tree(scratch)

    report, all_ok = render(results)
    return finish(report, all_ok, results, json_path=args.json, strict=args.strict, log=log)


if __name__ == "__main__":
    sys.exit(main())
