#!/usr/bin/env python3
"""Binakarya HTTP benchmark, one command: `.venv/bin/python benchmarks/run.py` (or `make bench`).

1. Creates the PostgreSQL database `binakarya_bench` if missing, migrates it, and fills it with
   `manage.py generate_dataset --products 50000` unless that dataset is already there.
2. Collects static files into a temporary STATIC_ROOT and starts gunicorn (binakarya.wsgi) on
   127.0.0.1:<free port> with DEBUG=false.
3. Measures /ping, /katalog/, /katalog/?q=batik, /produk/<slug>/ (rotating over many products) and
   /api/v1/products: p50/p95 latency of sequential requests after a warm-up, throughput at
   concurrency 4, and the gzip transfer size of the storefront pages with their CSS and JS.
4. Prints a markdown table and stops gunicorn (also on errors and Ctrl-C).

Targets: p95 < 50 ms; throughput >= 40 % of /ping; storefront page + CSS + JS <= 60 KB gzip.
Exit status is non-zero for a missed target only with --strict. See benchmarks/README.md.
"""

import argparse
import datetime
import functools
import os
import platform
import statistics
import sys
import time
from dataclasses import asdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_load import (  # noqa: E402
    WRK_INSTALL_HINT,
    Client,
    Target,
    measure_latency,
    throughput_python,
    throughput_wrk,
    warm_up,
    wrk_path,
)
from bench_report import finish, stop_on_signals, verdict, wait_until_idle  # noqa: E402
from bench_report import fmt as format_figure  # noqa: E402
from bench_setup import (  # noqa: E402
    REPO,
    Gunicorn,
    cpu_busy_percent,
    database_url,
    dataset_summary,
    ensure_database,
    generated_product_count,
    machine_description,
    manage,
    postgres_version,
    public_product_slugs,
    remove_tree,
    server_env,
    temp_static_root,
)
from bench_size import page_size  # noqa: E402

# This report has always printed plain figures (3945, not 3,945).
fmt = functools.partial(format_figure, grouped=False)

P95_TARGET_MS = 50.0
THROUGHPUT_TARGET_PCT = 40.0
SIZE_TARGET_KB = 60.0


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--products", type=int, default=50_000, help="dataset size (default 50000)")
    p.add_argument("--database", default="binakarya_bench", help="PostgreSQL database name (default binakarya_bench)")
    p.add_argument(
        "--pg-url",
        default=os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432"),
        help="PostgreSQL server URL without database name (env BENCH_PG_URL; default postgres://postgres@127.0.0.1:5432)",
    )
    p.add_argument("--regenerate", action="store_true", help="regenerate the dataset even if it is there")
    p.add_argument(
        "--fresh-db",
        action="store_true",
        help="drop and recreate the benchmark database first (e.g. after migrations changed)",
    )
    p.add_argument("--requests", type=int, default=300, help="sequential requests per endpoint for latency (300)")
    p.add_argument("--warmup", type=int, default=40, help="warm-up requests per endpoint (40)")
    p.add_argument("--duration", type=float, default=10, help="seconds of load per endpoint for throughput (10)")
    p.add_argument(
        "--rounds",
        type=int,
        default=4,
        help="throughput rounds per endpoint, each /ping then the endpoint for duration/rounds seconds (4)",
    )
    p.add_argument("--concurrency", type=int, default=4, help="concurrent connections for throughput (4)")
    p.add_argument("--workers", type=int, default=2, help="gunicorn workers (2)")
    p.add_argument("--worker-class", default="gthread", choices=["gthread", "sync"], help="gunicorn worker class")
    p.add_argument("--threads", type=int, default=2, help="threads per gthread worker (2)")
    p.add_argument(
        "--client", default="auto", choices=["auto", "wrk", "python"], help="throughput client (auto: wrk if installed)"
    )
    p.add_argument(
        "--cache-seconds",
        type=int,
        default=None,
        metavar="N",
        help="PUBLIC_CACHE_SECONDS for the server: 0 renders every request (cold); default: the app's setting (60)",
    )
    p.add_argument(
        "--redis-url",
        default="",
        metavar="URL",
        help="serve with a shared Redis cache (REDIS_URL), as a production deployment would; "
        "default: each worker's own in-memory cache",
    )
    p.add_argument("--slugs", type=int, default=500, help="distinct product pages to rotate over (500)")
    p.add_argument("--only", default="", help="comma-separated endpoint labels to run, e.g. ping,catalog")
    p.add_argument("--json", type=Path, help="also write the results as JSON to this file")
    p.add_argument(
        "--wait-idle",
        type=float,
        default=0,
        metavar="SECONDS",
        help="before measuring, wait up to SECONDS for other work to leave the CPU (< 15 %% busy)",
    )
    p.add_argument("--strict", action="store_true", help="exit 1 when a target is missed or an endpoint fails")
    args = p.parse_args(argv)
    if args.concurrency < 1 or args.requests < 1 or args.duration <= 0 or args.duration > 120:
        p.error("--concurrency and --requests must be >= 1 and --duration in (0, 120]")
    if not 1 <= args.rounds <= 20 or args.duration / args.rounds < 1:
        p.error("--rounds must be 1-20, with at least 1 s of --duration per round")
    return args


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def targets(slugs: list[str]) -> list[Target]:
    return [
        Target("ping", ("/ping",)),
        Target("catalog", ("/katalog/",), storefront=True),
        Target("search", ("/katalog/?q=batik",), storefront=True),
        Target("product", tuple(f"/produk/{s}/" for s in slugs), storefront=True),
        Target("api", ("/api/v1/products",)),
    ]


def display_path(target: Target) -> str:
    return "/produk/<slug>/" if target.label == "product" else target.paths[0]


def check_available(base_url: str, target: Target) -> tuple[bool, str]:
    client = Client(base_url)
    try:
        for path in target.paths[:3]:
            status, headers, _body = client.get(path)
            if status != 200:
                return False, f"HTTP {status} for {path}"
    finally:
        client.close()
    return True, ""


def render(results: dict) -> tuple[str, bool]:
    """The markdown report and whether every target was met."""
    all_ok = True
    lines = [
        f"Measured {results['date']} on {results['machine']}; {results['server']}; "
        f"PostgreSQL {results['postgres']}; Python {results['python']}; "
        f"dataset {results['dataset']['products']:,} products / {results['dataset']['variants']:,} variants; "
        f"throughput client {results['client']}, {results['concurrency']} connections, "
        f"{results['duration']:g} s per endpoint in {results.get('rounds', 1)} rounds beside /ping; latency over {results['requests']} sequential requests; "
        + (
            f"anonymous pages cached for {results['cache_seconds']} s ({results['cache_backend']})."
            if results["cache_seconds"]
            else "page cache off (every request rendered)."
        ),
    ]
    busy = results["cpu_busy_before_pct"]
    if busy > 10:
        lines += [
            "",
            f"**Warning:** the machine was not idle before the run (CPU {busy:.0f} % busy with other work); "
            "those processes shared the CPU with gunicorn, PostgreSQL and the client, so the figures are pessimistic.",
        ]
    lines += [
        "",
        f"| Endpoint | p50 ms | p95 ms | req/s (c={results['concurrency']}) | /ping req/s alongside | % of /ping | errors | "
        f"p95 < {P95_TARGET_MS:g} ms | ≥ {THROUGHPUT_TARGET_PCT:g} % of /ping |",
        "|---|---:|---:|---:|---:|---:|---:|:---:|:---:|",
    ]
    ping_rps = results["endpoints"].get("ping", {}).get("rps")
    for row in results["endpoints"].values():
        if not row.get("available"):
            all_ok = False
            lines.append(f"| `{row['path']}` | – | – | – | – | – | – | {row['reason']} | |")
            continue
        # The median over rounds of the endpoint against /ping measured just before it in the same round.
        if "pct_of_ping_median" in row:
            pct = row["pct_of_ping_median"]
        else:
            pct = 100 * row["rps"] / ping_rps if ping_rps else float("nan")
        row["pct_of_ping"] = pct
        p95_ok = row["latency"]["p95_ms"] < P95_TARGET_MS
        tp_ok = row["label"] == "ping" or pct >= THROUGHPUT_TARGET_PCT
        errors = row["latency"]["errors"] + row["throughput"]["errors"]
        all_ok &= p95_ok and tp_ok and errors == 0
        lines.append(
            f"| `{row['path']}` | {fmt(row['latency']['p50_ms'])} | {fmt(row['latency']['p95_ms'])} | "
            f"{fmt(row['rps'], 0)} | {fmt(row.get('ping_rps_before', float('nan')), 0)} | "
            f"{fmt(pct, 0) if row['label'] != 'ping' else '100'} | {errors} | "
            f"{verdict(p95_ok)} | {verdict(tp_ok) if row['label'] != 'ping' else '(baseline)'} |"
        )
    if results["sizes"]:
        lines += [
            "",
            f"| Page (gzip) | HTML KB | CSS KB | JS KB | Total KB | ≤ {SIZE_TARGET_KB:g} KB |",
            "|---|---:|---:|---:|---:|:---:|",
        ]
        for size in results["sizes"]:
            ok = size["ok"] and size["total_kb"] <= SIZE_TARGET_KB
            all_ok &= ok
            note = "" if size["ok"] else " (a resource failed)"
            if size["external"]:
                note += f" (+{len(size['external'])} external, not counted)"
            lines.append(
                f"| `{size['path']}`{note} | {fmt(size['html_kb'])} | {fmt(size['css_kb'])} | "
                f"{fmt(size['js_kb'])} | {fmt(size['total_kb'])} | {verdict(ok)} |"
            )
    return "\n".join(lines), all_ok


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    stop_on_signals()

    client_kind = args.client
    if client_kind in ("auto", "wrk") and wrk_path() is None:
        if client_kind == "wrk":
            print(WRK_INSTALL_HINT, file=sys.stderr)
            return 2
        log(WRK_INSTALL_HINT + " Falling back to the Python client (higher client overhead).")
        client_kind = "python"
    elif client_kind == "auto":
        client_kind = "wrk"

    try:
        import psycopg
    except ImportError:
        print("psycopg is missing: run this with the project's venv, `.venv/bin/python benchmarks/run.py`.")
        return 2

    db_url = database_url(args.pg_url, args.database)
    static_root = temp_static_root()
    media_root = REPO / "var" / "bench" / "media"
    media_root.mkdir(parents=True, exist_ok=True)
    env = server_env(db_url, static_root, media_root)
    if args.cache_seconds is not None:
        env["PUBLIC_CACHE_SECONDS"] = str(args.cache_seconds)
    if args.redis_url:
        env["REDIS_URL"] = args.redis_url
        env["CACHE_BACKEND"] = "redis"
    try:
        if ensure_database(args.pg_url, args.database, fresh=args.fresh_db):
            log(f"created database {args.database}")
        log("migrate")
        try:
            manage(env, "migrate", "--noinput", quiet=True)
        except RuntimeError as exc:
            raise RuntimeError(
                f"{exc}\nmigrate failed on {args.database}; if migrations were rewritten since it was built, "
                "run again with --fresh-db."
            ) from None
        have = generated_product_count(db_url)
        if args.regenerate or have != args.products:
            log(f"generating {args.products} products (found {have} generated) ...")
            manage(env, "generate_dataset", "--products", str(args.products), "--reset", timeout=1800)
        else:
            log(f"dataset present: {have} generated products; writing its placeholder photos into {media_root}")
            manage(env, "generate_dataset", "--photos-only", quiet=True)
        log("collectstatic into a temporary STATIC_ROOT")
        manage(env, "collectstatic", "--noinput", quiet=True)

        slugs = public_product_slugs(db_url, args.slugs)
        if not slugs:
            raise RuntimeError("no published products in the benchmark database")
        wanted = {s.strip() for s in args.only.split(",") if s.strip()}
        selected = [t for t in targets(slugs) if not wanted or t.label in wanted or t.label == "ping"]

        if args.wait_idle > 0:
            wait_until_idle(args.wait_idle, log)
        results: dict = {
            "date": datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
            "machine": machine_description(),
            "python": platform.python_version(),
            "postgres": postgres_version(db_url),
            "dataset": dataset_summary(db_url),
            "client": client_kind,
            "concurrency": args.concurrency,
            "duration": args.duration,
            "rounds": args.rounds,
            "requests": args.requests,
            "cache_seconds": int(env.get("PUBLIC_CACHE_SECONDS", "60")),
            "cache_backend": "redis" if args.redis_url else "in-memory per worker",
            "cpu_busy_before_pct": cpu_busy_percent(),
            "endpoints": {},
            "sizes": [],
        }
        with Gunicorn(env, workers=args.workers, worker_class=args.worker_class, threads=args.threads) as server:
            results["server"] = server.describe()
            log(f"{server.describe()} on {server.base_url}")
            ping_target = next((t for t in selected if t.label == "ping"), None)
            for target in selected:
                row = {"label": target.label, "path": display_path(target)}
                results["endpoints"][target.label] = row
                available, reason = check_available(server.base_url, target)
                row["available"] = available
                if not available:
                    row["reason"] = reason
                    log(f"{target.label}: unavailable ({reason}), skipped")
                    continue
                warm_up(server.base_url, target, args.warmup)
                latency = measure_latency(server.base_url, target, args.requests)
                row["latency"] = asdict(latency)
                time.sleep(0.5)
                measure = throughput_wrk if client_kind == "wrk" else throughput_python
                # Rounds that alternate /ping and the endpoint: on a shared machine the capacity drifts
                # within seconds, so each round compares the two side by side and the median is kept.
                rounds, ping_rounds, ratios = [], [], []
                seconds = args.duration / args.rounds
                for _round in range(args.rounds):
                    if target.label != "ping" and ping_target is not None:
                        ping_rounds.append(
                            measure(server.base_url, ping_target, concurrency=args.concurrency, seconds=seconds).rps
                        )
                    rounds.append(measure(server.base_url, target, concurrency=args.concurrency, seconds=seconds))
                    if ping_rounds and ping_rounds[-1]:
                        ratios.append(100 * rounds[-1].rps / ping_rounds[-1])
                row["throughput"] = {
                    "errors": sum(r.errors for r in rounds),
                    "rounds": [asdict(r) for r in rounds],
                    "ping_rounds_rps": ping_rounds,
                    "pct_of_ping_rounds": ratios,
                }
                row["rps"] = statistics.median(r.rps for r in rounds)
                if ping_rounds:
                    row["ping_rps_before"] = statistics.median(ping_rounds)
                if ratios:
                    row["pct_of_ping_median"] = statistics.median(ratios)
                log(
                    f"{target.label}: p50 {latency.p50_ms:.1f} ms, p95 {latency.p95_ms:.1f} ms, "
                    f"{row['rps']:.0f} req/s (median of {args.rounds}), errors {latency.errors + row['throughput']['errors']}"
                )
                if target.storefront:
                    size = page_size(server.base_url, target.paths[0])
                    results["sizes"].append(
                        {
                            "path": row["path"] if target.label != "product" else target.paths[0],
                            "ok": size.ok,
                            "html_kb": size.kb("html"),
                            "css_kb": size.kb("css"),
                            "js_kb": size.kb("js"),
                            "total_kb": size.kb(),
                            "external": size.external,
                            "resources": [asdict(r) for r in size.resources],
                        }
                    )
                time.sleep(0.5)
            if server.process and server.process.poll() is not None:
                raise RuntimeError(f"gunicorn died during the run:\n{server.log_tail()}")
    except KeyboardInterrupt:
        log("interrupted; gunicorn stopped")
        return 130
    except (RuntimeError, psycopg.OperationalError) as exc:
        log(f"failed: {exc}")
        return 2
    finally:
        remove_tree(static_root)

    report, all_ok = render(results)
    return finish(report, all_ok, results, json_path=args.json, strict=args.strict, log=log)


if __name__ == "__main__":
    sys.exit(main())
