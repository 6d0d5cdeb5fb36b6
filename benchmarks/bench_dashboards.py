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

from bench_ledger import run_manage, setup_django, tail  # noqa: E402
from bench_report import finish, stop_on_signals  # noqa: E402
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
        results["cpu_busy_before_pct"] = cpu_busy_percent()
        import measure_dashboards

        measure_dashboards.run(args, db_url, meta, results, log)
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

    import measure_dashboards

    report, all_ok = measure_dashboards.render(results)
    return finish(report, all_ok, results, json_path=args.json, strict=args.strict, log=log)


if __name__ == "__main__":
    sys.exit(main())
