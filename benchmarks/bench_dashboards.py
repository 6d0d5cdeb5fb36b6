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
from bench_report import finish, fmt, stop_on_signals, verdict  # noqa: E402
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

# (c) The figures from the journal itself: every journal line of the scope's year, with its entry (kind,
# month in Asia/Jakarta), its account (kind) and its sale line's sale (channel), product (category) and
# lot (group; else the line's lot, else the account's group), summed by those keys: what the summary
# table LedgerMonth holds (ledger/summary.py), computed from nothing. For the nation, by province and
# without the group (1,500 groups are no national figure).
RAW_JOURNAL_SQL = """
SELECT {region} AS region,
       date_trunc('month', e.occurred_at AT TIME ZONE '{tz}')::date AS month,
       e.kind AS entry_kind, a.kind AS account_kind, coalesce(s.channel, '') AS channel,
       coalesce(p.category_id, 0) AS category_key, {group_key}
       sum(CASE WHEN l.amount_idr > 0 THEN l.amount_idr ELSE 0 END) AS debit_idr,
       sum(CASE WHEN l.amount_idr < 0 THEN l.amount_idr ELSE 0 END) AS credit_idr,
       count(*) AS lines
FROM ledger_journalline l
JOIN ledger_journalentry e ON e.id = l.entry_id
JOIN ledger_account a ON a.id = l.account_id
{org_join}
LEFT JOIN sales_saleline sl ON sl.id = l.sale_line_id
LEFT JOIN sales_sale s ON s.id = sl.sale_id
LEFT JOIN catalog_variant v ON v.id = sl.variant_id
LEFT JOIN catalog_product p ON p.id = v.product_id
LEFT JOIN production_lot sl_lot ON sl_lot.id = sl.lot_id
LEFT JOIN production_lot l_lot ON l_lot.id = l.lot_id
WHERE {where} e.occurred_at >= %(start)s AND e.occurred_at < %(end)s
GROUP BY {group_by}
"""
# (d) The same figures from the summary table.
RAW_SUMMARY_SQL = """
SELECT {region} AS region, m.month, m.entry_kind, m.account_kind, m.channel, m.category_key, {group_key}
       sum(m.debit_idr), sum(m.credit_idr), sum(m.lines)
FROM ledger_ledgermonth m
{org_join}
WHERE {where} m.month >= %(start_month)s AND m.month < %(end_month)s
GROUP BY {group_by}
"""


def raw_journal_sql(scope_kind: str) -> str:
    if scope_kind == "facility":
        # entry_org_time finds the facility's entries of the year; their lines by entry.
        return RAW_JOURNAL_SQL.format(
            tz=TZ,
            region="''",
            group_key="coalesce(sl_lot.group_id, l_lot.group_id, a.group_id, 0) AS group_key,",
            org_join="",
            where="e.organization_id = %(org)s AND l.organization_id = %(org)s AND",
            group_by="1, 2, 3, 4, 5, 6, 7",
        )
    return RAW_JOURNAL_SQL.format(
        tz=TZ,
        region="o.province",
        group_key="",
        org_join="JOIN organizations_organization o ON o.id = l.organization_id",
        where="",
        group_by="1, 2, 3, 4, 5, 6",
    )


def raw_summary_sql(scope_kind: str) -> str:
    if scope_kind == "facility":
        return RAW_SUMMARY_SQL.format(
            region="''", group_key="m.group_key,", org_join="", where="m.organization_id = %(org)s AND",
            group_by="1, 2, 3, 4, 5, 6, 7",
        )  # fmt: skip
    return RAW_SUMMARY_SQL.format(
        region="o.province", group_key="", org_join="JOIN organizations_organization o ON o.id = m.organization_id",
        where="", group_by="1, 2, 3, 4, 5, 6",
    )  # fmt: skip


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
    """(a) pages, (b) selectors, (c) raw SQL over the journal, (d) raw SQL over the summary, per scope."""
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client

    from binakarya.organizations.models import Organization, Role

    year = args.year or last_full_year(meta)
    start, end = year_bounds(year)
    facility = Organization.objects.get(slug=meta["facility"])
    User = get_user_model()
    scopes = [
        ("facility", f"org:{facility.slug}", User.objects.get(username=meta["users"][Role.FACILITY_ADMIN]), facility),
        ("nation", "nation", User.objects.get(username=meta["users"][Role.NATIONAL_VIEWER]), None),
    ]
    results["year"] = year
    results["facility"] = {"slug": facility.slug, "name": facility.name}
    results["scopes"] = {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM ledger_journalline l JOIN ledger_journalentry e ON e.id = l.entry_id "
            "WHERE e.organization_id = %s AND e.occurred_at >= %s AND e.occurred_at < %s",
            [facility.pk, start, end],
        )
        results["facility"]["lines_in_year"] = cursor.fetchone()[0]
        cursor.execute(
            "SELECT count(*) FROM ledger_journalline l JOIN ledger_journalentry e ON e.id = l.entry_id "
            "WHERE e.occurred_at >= %s AND e.occurred_at < %s",
            [start, end],
        )
        results["lines_in_year"] = cursor.fetchone()[0]
    for label, scope, user, org in scopes:
        row: dict[str, Any] = {"scope": scope, "user": user.username}
        results["scopes"][label] = row
        params = {
            "org": org.pk if org else None,
            "start": start,
            "end": end,
            "start_month": datetime.date(year, 1, 1),
            "end_month": datetime.date(year + 1, 1, 1),
        }
        sql = raw_journal_sql(label)
        log(f"{label}: (c) raw SQL over the journal")
        row["raw_journal"] = timed(
            lambda sql=sql, params=params: sql_rows(sql, params), repeat=args.repeat, warmup=args.warmup
        )
        log(f"  p95 {row['raw_journal']['p95_ms']:.0f} ms, {len(row['raw_journal']['result'])} rows")
        summary_sql = raw_summary_sql(label)
        log(f"{label}: (d) raw SQL over the summary tables")
        row["raw_summary"] = timed(
            lambda sql=summary_sql, params=params: sql_rows(sql, params), repeat=args.repeat, warmup=args.warmup
        )
        log(f"  p95 {row['raw_summary']['p95_ms']:.0f} ms, {len(row['raw_summary']['result'])} rows")
        row["raw_agree"] = agree(row["raw_journal"]["result"], row["raw_summary"]["result"])
        panels = selectors_call()
        if panels is not None:
            log(f"{label}: (b) dashboard selectors")
            row["selectors"] = timed(
                lambda panels=panels, user=user, scope=scope: panels(user=user, scope=scope, year=year),
                repeat=args.repeat,
                warmup=args.warmup,
                before=cache.clear,
            )
            log(f"  p95 {row['selectors']['p95_ms']:.0f} ms")
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
            log(f"  p95 {row['page']['p95_ms']:.0f} ms, {row['page']['result']:,} bytes")
        for key in ("raw_journal", "raw_summary", "selectors"):
            if key in row:
                row[key]["result_rows"] = len(row[key]["result"]) if isinstance(row[key]["result"], list) else None
                row[key].pop("result")


def agree(journal_rows: list[tuple], summary_rows: list[tuple]) -> bool:
    """Whether the journal's figures and the summary's are the same, row for row (keys as text)."""

    def norm(rows: list[tuple]) -> set[tuple]:
        return {tuple("" if v is None else str(v) for v in r) for r in rows}

    return norm(journal_rows) == norm(summary_rows)


def selectors_call():
    """``dashboards.selectors.dashboard_panels`` when it exists."""
    try:
        from binakarya.dashboards.selectors import dashboard_panels
    except ImportError:
        return None
    return dashboard_panels


def page_path(scope: str, year: int) -> str | None:
    """The dashboard page's address for ``scope`` and ``year``, when the page exists."""
    from django.urls import NoReverseMatch, reverse

    for name in PAGE_URL_NAMES:
        try:
            return f"{reverse(name)}?scope={scope}&year={year}"
        except NoReverseMatch:
            continue
    return None


def render(results: dict[str, Any]) -> tuple[str, bool]:
    """The markdown report and whether every target was met."""
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
        + ", ".join(f"{k} {v:,.0f} s" for k, v in ds["phases"].items())
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
        lines += [
            "",
            f"Year {year}: {results['lines_in_year']:,} journal lines in the nation, {fac['lines_in_year']:,} in "
            f"{fac['name']} (the busiest facility). Each figure over {next(iter(results['scopes'].values()))['raw_journal']['runs']} "
            "runs after warm-up runs, in one process (the test Client renders the page without a network).",
            "",
            "| Scope | Measure | p50 ms | p95 ms | max ms | Target | Result |",
            "|---|---|---:|---:|---:|---|:---:|",
        ]
        for row in results["scopes"].values():
            name = f"`{row['scope']}`"
            page, raw, summary = row.get("page"), row.get("raw_journal"), row.get("raw_summary")
            if page:
                ok = page["p95_ms"] < 1000 * PAGE_P95_TARGET_S
                all_ok &= ok
                lines.append(
                    f"| {name} | (a) page `{page['path']}` as {row['user']} | {fmt(page['p50_ms'])} | "
                    f"{fmt(page['p95_ms'])} | {fmt(page['max_ms'])} | p95 < {PAGE_P95_TARGET_S * 1000:,.0f} ms | {verdict(ok)} |"
                )
            else:
                all_ok = False
                lines.append(f"| {name} | (a) page | – | – | – | p95 < 1,000 ms | not built yet |")
            sel = row.get("selectors")
            if sel:
                lines.append(
                    f"| {name} | (b) selectors `dashboard_panels` | {fmt(sel['p50_ms'])} | {fmt(sel['p95_ms'])} | {fmt(sel['max_ms'])} | | |"
                )
            lines.append(
                f"| {name} | (c) raw SQL over the journal ({raw['result_rows']:,} rows) | {fmt(raw['p50_ms'])} | "
                f"{fmt(raw['p95_ms'])} | {fmt(raw['max_ms'])} | | |"
            )
            if summary:
                lines.append(
                    f"| {name} | (d) raw SQL over the summary tables ({summary['result_rows']:,} rows) | {fmt(summary['p50_ms'])} | "
                    f"{fmt(summary['p95_ms'])} | {fmt(summary['max_ms'])} | | |"
                )
            if page:
                ratio = page["p95_ms"] / raw["p95_ms"]
                ok = ratio <= RAW_RATIO_TARGET
                all_ok &= ok
                lines.append(
                    f"| {name} | page p95 ÷ (c) p95 | | {fmt(ratio, 2)} | | ≤ {RAW_RATIO_TARGET:g} | {verdict(ok)} |"
                )
                if summary:
                    lines.append(
                        f"| {name} | page p95 ÷ (d) p95 | | {fmt(page['p95_ms'] / summary['p95_ms'], 1)} | | (shown) | |"
                    )
            if "raw_agree" in row:
                all_ok &= row["raw_agree"]
                lines.append(
                    f"| {name} | (c) and (d) give the same figures | | | | equal | {verdict(row['raw_agree'])} |"
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
