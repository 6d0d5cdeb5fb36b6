#!/usr/bin/env python3
"""Consignment benchmark (issue 12), one command: `.venv/bin/python benchmarks/bench_consignment.py`.

1. Creates the PostgreSQL database `binakarya_bench_consignment` if missing (``--fresh-db`` drops it first),
   migrates it and loads the demo data once (``manage.py load_demo --no-photos``). Rutan Sumenep consigns.
2. ``--suite import``: an agreement between Rutan Sumenep and an outlet of the benchmark's own (made if
   missing), lots recorded at the outlet's location (``lot_record`` with contributions, via bench_ledger's
   ``stock_top_up``) so every row has stock, then an outlet till CSV of ``--lines`` rows (100,000;
   ``tanggal;sku;jumlah;harga``, semicolons, prices written ``Rp75.000`` on some rows) over the last
   ``--days`` days (180), imported in-process through ``consignment.importing.outlet_sales_import`` (the
   path the page and the API use: every row checked, stock locked, then ``BulkPoster``: lot attribution
   FIFO at the outlet, the commission, premi, ledger posting, ConsignmentSale rows, audit). Checks what it
   posted, then loads the rows it wrote again with binary COPY into copies of the same tables with their
   indexes (bench_ledger's ``derived_rows_ceiling``, with ``consignment_consignmentsale`` added): the
   fastest any posting engine could write them. Target: the import at least 50 % of that ceiling in lines/s.
3. ``--suite statement``: ``--outlets`` outlets (50) with an agreement each and a year of daily sales
   (two rows a day, imported the same way; made once and kept for later runs), then
   ``consignment.selectors.statement_of`` for each outlet's last whole month and for the whole year,
   ``--rounds`` times (3). Target: p95 under 1 s (both).
4. Prints a markdown table (also --json). Exit status 1 on a missed target only with --strict.

Default args run in 2 to 5 minutes on 2 cores (most of it load_demo on a fresh database and making the
statement suite's year of sales the first time). Data accumulates from run to run; --fresh-db starts again.
"""

import argparse
import datetime
import os
import platform
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_ledger  # noqa: E402
from bench_ledger import (  # noqa: E402
    TABLE_IDS,
    demo_loaded,
    derived_rows_ceiling,
    max_ids,
    percentile,
    posted_since,
    setup_django,
    stock_top_up,
    sumenep_catalog,
)
from bench_report import finish, fmt, stop_on_signals, verdict  # noqa: E402
from bench_setup import (  # noqa: E402
    database_url,
    ensure_database,
    machine_description,
    manage,
    postgres_version,
    remove_tree,
    server_env,
)

CEILING_TARGET_PCT = 50.0
STATEMENT_P95_TARGET_S = 1.0
IMPORT_OUTLET = ("bench-hotel-impor", "Hotel Uji Impor", "BHI")
COMMISSION_BP = 1500
# The consignment import also writes one ConsignmentSale per sale: the ceiling loads those rows too.
bench_ledger.TABLE_IDS = {**TABLE_IDS, "consignment_sales": "consignment_consignmentsale"}
STARTED = time.monotonic()


def log(message: str) -> None:
    print(f"[bench-consignment +{time.monotonic() - STARTED:6.1f} s] {message}", file=sys.stderr, flush=True)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--suite", default="all", choices=["import", "statement", "all"], help="what to run (all)")
    p.add_argument("--lines", type=int, default=100_000, help="rows of the outlet CSV (100000; at most 100000)")
    p.add_argument("--days", type=int, default=180, help="days the CSV's sales are spread over (180)")
    p.add_argument("--outlets", type=int, default=50, help="outlets of the statement suite (50)")
    p.add_argument("--rounds", type=int, default=3, help="times each statement is read (3)")
    p.add_argument("--database", default="binakarya_bench_consignment", help="database name")
    p.add_argument(
        "--pg-url",
        default=os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432"),
        help="PostgreSQL server URL without database name (env BENCH_PG_URL)",
    )
    p.add_argument("--fresh-db", action="store_true", help="drop and recreate the benchmark database first")
    p.add_argument("--seed", type=int, default=12, help="random seed (12)")
    p.add_argument("--json", type=Path, help="also write the results as JSON to this file")
    p.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = p.parse_args(argv)
    if not 1 <= args.lines <= 100_000:
        p.error("--lines must be between 1 and 100000 (the import's limit)")
    if not 1 <= args.days <= 190:
        p.error("--days must be between 1 and 190 (the bench lots finished 200 days ago)")
    if not 1 <= args.outlets <= 500 or not 1 <= args.rounds <= 20:
        p.error("--outlets 1..500, --rounds 1..20")
    return args


# Agreements ------------------------------------------------------------------------------------------


def agreement_with(org: Any, outlet: Any, start: datetime.date) -> Any:
    """The seller's agreement with ``outlet`` in force since ``start`` at the latest, made if missing."""
    from binakarya.consignment.models import Agreement
    from binakarya.consignment.services import agreement_create

    found = (
        Agreement.objects.filter(organization=org, outlet=outlet, status=Agreement.Status.ACTIVE, start_date__lte=start)
        .select_related("location__organization", "outlet", "organization")
        .order_by("pk")
        .first()
    )
    if found is not None:
        return found
    return agreement_create(
        actor=None,
        organization=org,
        outlet=outlet,
        commission_percent_bp=COMMISSION_BP,
        settlement_period="MONTHLY",
        payment_days=14,
        start_date=start,
    )


def outlet_csv(rows: list[tuple[datetime.date, str, int, int | None]]) -> bytes:
    out = ["tanggal;sku;jumlah;harga"]
    for day, sku, quantity, price in rows:
        shown = "" if price is None else "Rp" + f"{price:,}".replace(",", ".")
        out.append(f"{day.isoformat()};{sku};{quantity};{shown}")
    return ("\n".join(out) + "\n").encode()


# (a) the import ---------------------------------------------------------------------------------------


def run_import_suite(args: argparse.Namespace, db_url: str, results: dict[str, Any], scratch: Path) -> None:
    from django.db import connections
    from django.utils import timezone

    from binakarya.consignment.importing import ImportRefused, outlet_sales_import

    rng = random.Random(args.seed)
    org, _locations, variants = sumenep_catalog()
    today = timezone.localdate()
    # An outlet of the benchmark's own: the demo's outlets have agreements of their own (ending soon).
    outlet = bench_outlet(IMPORT_OUTLET)
    agreement = agreement_with(org, outlet, today - datetime.timedelta(days=args.days + 5))
    first_day = max(agreement.start_date, today - datetime.timedelta(days=args.days - 1))
    span = (today - first_day).days + 1
    variants = variants[:40]
    rows = []
    demand: dict[Any, int] = {}
    for _ in range(args.lines):
        variant = rng.choice(variants)
        quantity = rng.randint(1, 3)
        day = first_day + datetime.timedelta(days=rng.randrange(span))
        rows.append((day, variant.sku, quantity, variant.price_idr if rng.random() < 0.3 else None))
        demand[variant] = demand.get(variant, 0) + quantity
    rows.sort(key=lambda r: r[0])
    data = outlet_csv(rows)
    row: dict[str, Any] = {"lines": args.lines, "bytes": len(data), "days": span}
    results["import"] = row
    log(f"CSV: {args.lines:,} rows over {span} days, {len(data) / 1e6:.1f} MB")
    log("recording lots at the outlet so every row has stock")
    row["stock"] = stock_top_up({(agreement.location, v): units for v, units in demand.items()}, 1_000, rng)
    log(f"  {row['stock']['lots']} lots, {row['stock']['units']:,} units in {row['stock']['seconds']:.1f} s")
    connections.close_all()
    time.sleep(1)

    # A later run on the same database generates the same file (same seed, same day), which the import
    # refuses as already imported: forget the benchmark's earlier imports of it (its own database only).
    from binakarya.consignment.models import ConsignmentImport

    ConsignmentImport.objects.filter(agreement=agreement).delete()
    before = max_ids(db_url)
    log("outlet_sales_import (one transaction)")
    started = time.perf_counter()
    try:
        result = outlet_sales_import(actor=None, agreement=agreement, data=data, file_name="bench.csv")
    except ImportRefused as refused:
        raise RuntimeError(f"the import was refused: {refused.errors[:5]}") from None
    seconds = time.perf_counter() - started
    connections.close_all()
    row["import"] = {
        "seconds": seconds,
        "lines_per_s": args.lines / seconds,
        "sales": result.sales,
        "units": result.units,
        "gross_idr": result.gross_idr,
    }
    log(f"  {seconds:.1f} s, {args.lines / seconds:,.0f} lines/s, {result.sales} sales")
    posted = row["posted"] = posted_since(db_url, before)
    units = sum(r[2] for r in rows)
    row["posted_ok"] = (
        posted["sales"] == result.sales
        and posted["consignment_sales"] == result.sales
        and posted["sale_lines"] >= args.lines
        and posted["units_sold"] == units
        and posted["units_moved"] == units
        and posted["unbalanced_entries"] == 0
        and posted["sales_without_entry"] == 0
    )
    log("binary COPY of the rows it wrote into plain tables, then into tables with the same indexes")
    ceiling = row["ceiling"] = derived_rows_ceiling(db_url, before, scratch)
    for variant in ("plain", "indexed"):
        ceiling[variant]["lines_per_s"] = args.lines / ceiling[variant]["seconds"]
        log(f"  {variant}: {ceiling['total_rows']:,} rows in {ceiling[variant]['seconds']:.2f} s")
    row["ceiling_pct"] = 100 * row["import"]["lines_per_s"] / ceiling["indexed"]["lines_per_s"]
    log(f"  the import: {row['ceiling_pct']:.1f} % of the indexed ceiling (target >= {CEILING_TARGET_PCT:g} %)")
    row["ok"] = row["posted_ok"] and row["ceiling_pct"] >= CEILING_TARGET_PCT


# (b) statements ---------------------------------------------------------------------------------------


def bench_outlet(key: tuple[str, str, str]) -> Any:
    """The benchmark's outlet organization (slug, name, code), made if missing."""
    from binakarya.organizations.models import Organization

    slug, name, code = key
    outlet, _created = Organization.objects.get_or_create(
        slug=slug, defaults={"kind": Organization.Kind.OUTLET, "name": name, "code": code}
    )
    return outlet


def bench_outlets(org: Any, count: int) -> list[Any]:
    return [bench_outlet((f"bench-gerai-{n:03d}", f"Gerai Uji {n:03d}", f"BG{n:03d}")) for n in range(1, count + 1)]


def run_statement_suite(args: argparse.Namespace, results: dict[str, Any]) -> None:
    from django.db import connection, connections
    from django.utils import timezone

    from binakarya.consignment.importing import outlet_sales_import
    from binakarya.consignment.models import ConsignmentSale
    from binakarya.consignment.periods import previous_period
    from binakarya.consignment.selectors import statement_of

    rng = random.Random(args.seed + 1)
    org, _locations, variants = sumenep_catalog()
    today = timezone.localdate()
    year_start = today - datetime.timedelta(days=364)
    bench_ledger.LOT_AGE_DAYS = 400  # the lots finish before the year's first sale
    row: dict[str, Any] = {"outlets": args.outlets}
    results["statement"] = row
    agreements = []
    made = 0
    started = time.perf_counter()
    for outlet in bench_outlets(org, args.outlets):
        agreement = agreement_with(org, outlet, year_start)
        agreements.append(agreement)
        if ConsignmentSale.objects.filter(
            agreement=agreement, sold_date__lte=year_start + datetime.timedelta(7)
        ).exists():
            continue  # a year of sales from an earlier run
        pair = rng.sample(variants[:40], 2)
        rows = [
            (year_start + datetime.timedelta(days=d), v.sku, rng.randint(1, 2), None) for d in range(365) for v in pair
        ]
        wanted: dict[Any, int] = {}
        for _day, sku, quantity, _price in rows:
            variant = next(v for v in pair if v.sku == sku)
            wanted[(agreement.location, variant)] = wanted.get((agreement.location, variant), 0) + quantity
        stock_top_up(wanted, 1_000, rng)
        outlet_sales_import(actor=None, agreement=agreement, data=outlet_csv(rows), file_name="year.csv")
        made += 1
        if made % 10 == 0:
            log(f"  a year of sales at {made} outlets")
    row["made_outlets"] = made
    row["setup_seconds"] = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute(
            "ANALYZE consignment_consignmentsale, sales_sale, sales_saleline, consignment_consignmentpayment"
        )
    connections.close_all()
    month = previous_period(agreements[0], today)
    timings: dict[str, list[float]] = {"month": [], "year": []}
    lines = 0
    for _round in range(args.rounds):
        for agreement in agreements:
            for label, (date_from, date_to) in (("month", month), ("year", (year_start, today))):
                t = time.perf_counter()
                statement = statement_of(agreement, date_from, date_to)
                timings[label].append(time.perf_counter() - t)
                lines = max(lines, len(statement.lines))
    for label, values in timings.items():
        row[label] = {
            "reads": len(values),
            "p50_s": percentile(values, 50),
            "p95_s": percentile(values, 95),
            "max_s": max(values),
        }
        log(f"  statement of a {label}: p95 {row[label]['p95_s'] * 1000:.0f} ms over {len(values)} reads")
    row["most_lines"] = lines
    row["sales"] = ConsignmentSale.objects.filter(agreement__in=agreements).count()
    row["ok"] = all(row[label]["p95_s"] < STATEMENT_P95_TARGET_S for label in timings)


# Report ------------------------------------------------------------------------------------------------


def render(results: dict[str, Any]) -> tuple[str, bool]:
    out = [
        f"Consignment benchmark, {results['date']}, {results['machine']}, Python {results['python']}, "
        f"PostgreSQL {results.get('postgres', '?')}",
        "",
    ]
    ok = True
    imp = results.get("import")
    if imp and "import" in imp:
        c = imp["ceiling"]
        out += [
            "| (a) outlet CSV import | rows written | seconds | lines/s | target | verdict |",
            "| --- | ---: | ---: | ---: | --- | --- |",
            f"| `outlet_sales_import`, {imp['lines']:,} lines ({imp['import']['sales']} sales, "
            f"{imp['bytes'] / 1e6:.1f} MB) | {c['total_rows']:,} | {fmt(imp['import']['seconds'], 2)} | "
            f"{fmt(imp['import']['lines_per_s'], 0)} | | |",
            f"| the same rows, binary `COPY` into plain tables | {c['total_rows']:,} | {fmt(c['plain']['seconds'], 2)} | "
            f"{fmt(c['plain']['lines_per_s'], 0)} | | |",
            f"| the same rows, binary `COPY` into tables with their indexes | {c['total_rows']:,} | "
            f"{fmt(c['indexed']['seconds'], 2)} | {fmt(c['indexed']['lines_per_s'], 0)} | | |",
            f"| **import ÷ indexed ceiling** | | | {fmt(imp['ceiling_pct'], 1)} % | ≥ {CEILING_TARGET_PCT:g} % | "
            f"{verdict(imp['ok'])} |",
            "",
            f"Rows written: {', '.join(f'{n:,} {k}' for k, n in c['rows'].items())}. Posted as the file said: "
            f"{'yes' if imp['posted_ok'] else 'NO'}.",
            "",
        ]
        ok = ok and imp["ok"]
    st = results.get("statement")
    if st and "month" in st:
        out += [
            f"| (b) `statement_of`, {st['outlets']} outlets, a year of daily sales ({st['sales']:,} sales) "
            "| reads | p50 ms | p95 ms | max ms | target | verdict |",
            "| --- | ---: | ---: | ---: | ---: | --- | --- |",
        ]
        for label in ("month", "year"):
            r = st[label]
            good = r["p95_s"] < STATEMENT_P95_TARGET_S
            out.append(
                f"| the last whole {label} | {r['reads']} | {fmt(r['p50_s'] * 1000, 1)} | {fmt(r['p95_s'] * 1000, 1)} "
                f"| {fmt(r['max_s'] * 1000, 1)} | p95 < {STATEMENT_P95_TARGET_S * 1000:.0f} | {verdict(good)} |"
            )
        out.append("")
        ok = ok and st["ok"]
    return "\n".join(out), ok


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    stop_on_signals()
    try:
        import psycopg
    except ImportError:
        print("psycopg is missing: run this with the project's venv.")
        return 2
    db_url = database_url(args.pg_url, args.database)
    scratch = Path(tempfile.mkdtemp(prefix="binakarya-bench-consignment-"))
    env = server_env(db_url, scratch / "static", scratch / "media")
    results: dict[str, Any] = {
        "date": datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "machine": machine_description(),
        "python": platform.python_version(),
        "database": args.database,
    }
    try:
        if ensure_database(args.pg_url, args.database, fresh=args.fresh_db):
            log(f"created database {args.database}")
        log("migrate")
        manage(env, "migrate", "--noinput", quiet=True)
        if not demo_loaded(db_url):
            log("load_demo --no-photos")
            manage(env, "load_demo", "--no-photos", quiet=True)
        results["postgres"] = postgres_version(db_url)
        setup_django(env)
        if args.suite in ("import", "all"):
            run_import_suite(args, db_url, results, scratch)
        if args.suite in ("statement", "all"):
            log(f"statements: {args.outlets} outlets with a year of daily sales")
            run_statement_suite(args, results)
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
