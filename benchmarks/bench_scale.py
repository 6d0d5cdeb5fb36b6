#!/usr/bin/env python3
"""One server against two servers and a read replica, behind nginx (issue 16), one command:
`.venv/bin/python benchmarks/bench_scale.py` (`make bench-scale`).

1. Starts its own PostgreSQL primary and hot standby with ``scripts/pg_replica.sh`` in a temporary
   directory on free ports (stopped and removed at the end, also on errors and Ctrl-C), creates the
   database ``binakarya_bench_scale`` on the primary and migrates it. Builds the data: a catalog of
   ``--products`` (3,000) generated products (``manage.py generate_dataset``) and bench_orders.py's four
   sellers of 50 SKUs each (``bench_orders.bench_data``: their stock topped up, 20 of them scarce).
   With ``--primary-url`` and ``--standby-url`` it uses servers that are already running instead.
2. Writes a self-signed certificate (openssl) and runs Debian's nginx with deploy/nginx/binakarya.conf
   and binakarya_proxy.conf, their ports, certificate and folders swapped for temporary ones (as
   tests/deploy/test_nginx_site.py does), the upstream holding one line per gunicorn instance.
3. Two configurations, one after the other, on the same database, data, load and durations:
   - **A, one instance**: one gunicorn (``--workers`` 2 gthread workers of ``--threads`` 2) with
     DATABASE_URL = the primary and no replica;
   - **B, two instances + replica**: two such gunicorns, both in nginx's upstream, with
     DATABASE_REPLICA_URL = the standby as well.
   Every gunicorn runs with production settings: DEBUG off, a SECRET_KEY, ALLOWED_HOSTS, collected
   static files, SECURE_SSL_REDIRECT and secure cookies on, TRUSTED_PROXY_COUNT=1, REDIS_URL unset (the
   cache is whatever the settings choose then; its backend is printed), the public page cache on
   (PUBLIC_CACHE_SECONDS as the settings have it, 60 s by default; the cache is cleared before each
   configuration), and the public order throttle (API_PUBLIC_ORDER_RATE) raised, since every client is
   127.0.0.1. Before each configuration the stock is topped up again and the standby caught up.
4. Through nginx over HTTPS, ``--clients`` (16) threads, each with its own keep-alive connection:
   - catalog: anonymous GETs for ``--catalog-seconds`` (20) after a 5-second warm-up that is not
     counted: half product pages (``--slugs`` 300 published products), a quarter the catalog list (pages,
     categories), a quarter search; requests/s, p50/p95/p99, errors (anything but 200);
   - orders: POST /api/v1/orders for ``--orders-seconds`` (20), as bench_orders.py places them; orders/s,
     p50/p95/p99, 409s (out of stock), errors (anything but 201 and 409). After each configuration
     bench_orders' oversell check runs against the primary.
   The standby's ``pg_stat_database`` counters (rows returned and fetched in the bench database) are read
   before and after each configuration: A should leave them still, B shows the reads it sent there.
5. Prints a markdown table (a row per workload and configuration, and B/A), ``--json PATH`` writes the
   figures; ``--strict`` exits 1 when a request failed or a check found an oversell.

Everything runs on this machine and talks to 127.0.0.1: the client threads, nginx, the gunicorns and both
PostgreSQL servers share its cores, so B has no more CPU than A. Every loop is bounded in time and count.
"""

import argparse
import datetime
import http.client
import os
import platform
import random
import re
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_orders  # noqa: E402
from bench_report import finish, fmt, stop_on_signals, wait_until_idle  # noqa: E402
from bench_setup import (  # noqa: E402
    REPO,
    Gunicorn,
    cpu_busy_percent,
    ensure_database,
    free_port,
    generated_product_count,
    machine_description,
    manage,
    postgres_version,
    public_product_slugs,
    remove_tree,
    server_env,
)

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
SITE = REPO / "deploy" / "nginx"
PG_REPLICA = REPO / "scripts" / "pg_replica.sh"
HOST = "binakarya.example"
DATABASE = "binakarya_bench_scale"
WARMUP_SECONDS = 5.0
SEARCH_TERMS = ["batik", "pecut", "rajutan", "anyaman", "layang", "miniatur", "tas", "kain", "bambu", "tulis"]
STARTED = time.monotonic()


def log(message: str) -> None:
    print(f"[bench-scale +{time.monotonic() - STARTED:6.1f} s] {message}", file=sys.stderr, flush=True)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--catalog-seconds", type=float, default=20, help="seconds of catalog load per configuration (20)")
    p.add_argument("--orders-seconds", type=float, default=20, help="seconds of order placement per configuration (20)")
    p.add_argument("--clients", type=int, default=16, help="concurrent HTTPS clients, one connection each (16)")
    p.add_argument("--workers", type=int, default=2, help="gunicorn workers of each instance (2)")
    p.add_argument("--threads", type=int, default=2, help="threads per gunicorn worker (2)")
    p.add_argument("--products", type=int, default=3000, help="generated catalog products (3000)")
    p.add_argument("--slugs", type=int, default=300, help="product pages the catalog load rotates over (300)")
    p.add_argument("--scarce-units", type=int, default=6, help="units each scarce SKU can promise at the start (6)")
    p.add_argument(
        "--primary-url",
        help="use this running PostgreSQL server (URL without database) as the primary instead of starting one",
    )
    p.add_argument("--standby-url", help="and this one as its standby (with --primary-url)")
    p.add_argument(
        "--wait-idle",
        type=float,
        default=0,
        metavar="SECONDS",
        help="before each configuration, wait up to this long for other work to leave the CPU (0: do not wait)",
    )
    p.add_argument("--seed", type=int, default=16, help="random seed (16)")
    p.add_argument("--json", type=Path, help="also write the results as JSON to this file")
    p.add_argument("--strict", action="store_true", help="exit 1 on a failed request or an oversell")
    args = p.parse_args(argv)
    for name in ("catalog_seconds", "orders_seconds"):
        if not 1 <= getattr(args, name) <= 600:
            p.error(f"--{name.replace('_', '-')} must be 1-600")
    if not 1 <= args.clients <= 200:
        p.error("--clients must be 1-200")
    if not 1 <= args.workers <= 16 or not 1 <= args.threads <= 16:
        p.error("--workers and --threads must be 1-16")
    if not 0 <= args.products <= 100_000:
        p.error("--products must be 0-100000")
    if not 1 <= args.slugs <= 5000:
        p.error("--slugs must be 1-5000")
    if not 0 <= args.wait_idle <= 3600:
        p.error("--wait-idle must be 0-3600")
    if bool(args.primary_url) != bool(args.standby_url):
        p.error("--primary-url and --standby-url go together")
    return args


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def percentile(values: list[float], pct: float) -> float:
    return bench_orders.percentile(values, pct)


# PostgreSQL: the primary and its standby --------------------------------------------------------------


@dataclass
class Cluster:
    """The primary and the standby: started by scripts/pg_replica.sh in a temporary directory, or given."""

    primary: str = ""  # server URLs, no database
    standby: str = ""
    directory: Path | None = None

    def start(self) -> None:
        if not PG_REPLICA.exists():
            raise RuntimeError(f"{PG_REPLICA} is missing: use --primary-url and --standby-url")
        # Under /tmp; the script creates DIR ("pg" inside it) and hands that to the postgres user when run as root,
        # who must be able to reach it.
        self.directory = Path(tempfile.mkdtemp(prefix="binakarya-bench-scale-pg-"))
        self.directory.chmod(0o755)
        ports = free_port(), free_port()
        while ports[0] == ports[1]:
            ports = ports[0], free_port()
        result = subprocess.run(
            ["bash", str(PG_REPLICA), "start", str(self.directory / "pg"), str(ports[0]), str(ports[1])],
            capture_output=True,
            text=True,
            timeout=180,
        )
        if result.returncode:
            raise RuntimeError(f"pg_replica.sh start failed:\n{result.stdout}\n{result.stderr}")
        found = dict(re.findall(r"^(DATABASE_URL|DATABASE_REPLICA_URL)=(\S+)$", result.stdout, re.M))
        if set(found) != {"DATABASE_URL", "DATABASE_REPLICA_URL"}:
            raise RuntimeError(f"pg_replica.sh start printed no URLs:\n{result.stdout}")
        self.primary = with_database(found["DATABASE_URL"], "").rstrip("/")
        self.standby = with_database(found["DATABASE_REPLICA_URL"], "").rstrip("/")

    def stop(self) -> None:
        if self.directory is None:
            return
        result = subprocess.run(
            ["bash", str(PG_REPLICA), "stop", str(self.directory / "pg")], capture_output=True, text=True, timeout=180
        )
        if result.returncode:
            log(f"pg_replica.sh stop failed: {result.stderr.strip()}")
        remove_tree(self.directory)
        self.directory = None


def standby_catch_up(primary: str, standby: str, timeout: float = 120) -> float:
    """Wait until the standby has replayed everything the primary had written when called; seconds waited.
    Asks through the ``postgres`` database of each (server URLs)."""
    import psycopg

    started = time.monotonic()
    with psycopg.connect(with_database(primary, "postgres"), autocommit=True, connect_timeout=10) as conn:
        target = conn.execute("SELECT pg_current_wal_lsn()").fetchone()[0]
    with psycopg.connect(with_database(standby, "postgres"), autocommit=True, connect_timeout=10) as conn:
        if not conn.execute("SELECT pg_is_in_recovery()").fetchone()[0]:
            return 0.0  # not a standby (the same server given twice): nothing to wait for
        while True:
            behind = conn.execute(
                "SELECT pg_wal_lsn_diff(%s::pg_lsn, pg_last_wal_replay_lsn())", (str(target),)
            ).fetchone()[0]
            if behind is not None and behind <= 0:
                return time.monotonic() - started
            if time.monotonic() - started > timeout:
                raise RuntimeError(f"the standby is still {behind} bytes behind after {timeout:g} s")
            time.sleep(0.1)


def standby_reads(standby: str, name: str) -> dict[str, int]:
    """The standby's counters for database ``name``: rows returned and fetched, transactions committed. Read
    through the ``postgres`` database, so that asking does not count."""
    import psycopg

    with psycopg.connect(with_database(standby, "postgres"), autocommit=True, connect_timeout=10) as conn:
        conn.execute("SELECT pg_stat_clear_snapshot()")
        row = conn.execute(
            "SELECT tup_returned, tup_fetched, xact_commit FROM pg_stat_database WHERE datname = %s", (name,)
        ).fetchone()
    return {"tup_returned": row[0], "tup_fetched": row[1], "xact_commit": row[2]} if row else {}


# nginx ----------------------------------------------------------------------------------------------------


def certificate(directory: Path) -> None:
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", f"/CN={HOST}",
         "-keyout", str(directory / "key.pem"), "-out", str(directory / "cert.pem")],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip


def nginx_site(
    directory: Path, upstreams: list[int], https_port: int, static_root: Path, media_root: Path, tls: Path
) -> str:
    """deploy/nginx/binakarya.conf with its ports, certificate, folders and upstream servers swapped."""
    text = (SITE / "binakarya.conf").read_text()
    servers = "\n    ".join(f"server 127.0.0.1:{port};" for port in upstreams)
    for old, new in (
        ("server 127.0.0.1:8000;", servers),
        ("listen 80;", f"listen 127.0.0.1:{free_port()};"),
        ("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;"),
        ("/etc/letsencrypt/live/binakarya.example/fullchain.pem", str(tls / "cert.pem")),
        ("/etc/letsencrypt/live/binakarya.example/privkey.pem", str(tls / "key.pem")),
        ("/srv/binakarya/var/static/", f"{static_root}/"),
        ("/srv/binakarya/var/media/", f"{media_root}/"),
        ("/etc/nginx/binakarya_proxy.conf", str(directory / "binakarya_proxy.conf")),
        ("root /var/www/html;", f"root {directory}/webroot;"),
    ):
        if old not in text:
            raise RuntimeError(f"deploy/nginx/binakarya.conf no longer has {old!r}: update bench_scale.py")
        text = text.replace(old, new)
    return re.sub(r"\n\s*listen \[::\]:[^\n]*", "", text)  # no IPv6 on every machine


@dataclass
class Nginx:
    """nginx in the foreground with the site in front of ``upstreams``, its files in ``directory``."""

    directory: Path
    upstreams: list[int]
    static_root: Path
    media_root: Path
    tls: Path  # cert.pem and key.pem
    port: int = 0
    process: subprocess.Popen | None = field(default=None, init=False)

    def __enter__(self) -> "Nginx":
        d = self.directory
        d.mkdir(parents=True, exist_ok=True)
        (d / "webroot").mkdir(exist_ok=True)
        shutil.copy(SITE / "binakarya_proxy.conf", d / "binakarya_proxy.conf")
        self.port = free_port()
        (d / "site.conf").write_text(
            nginx_site(d, self.upstreams, self.port, self.static_root, self.media_root, self.tls)
        )
        run_as = "user root;\n" if os.geteuid() == 0 else ""
        (d / "nginx.conf").write_text(
            f"{run_as}daemon off;\nworker_processes auto;\npid {d}/nginx.pid;\nerror_log {d}/error.log;\n"
            "events { worker_connections 1024; }\n"
            # Which upstreams each request went to ("a, b" when nginx passed it on after a failure) and what
            # they answered: the share each gunicorn served, and failures nginx hid by trying the other one.
            "http {\n include /etc/nginx/mime.types;\n log_format bench '$upstream_addr|$upstream_status|$status';\n"
            f" access_log {d}/access.log bench;\n"
            f" client_body_temp_path {d}/body;\n proxy_temp_path {d}/proxy;\n"
            f" fastcgi_temp_path {d}/fastcgi;\n uwsgi_temp_path {d}/uwsgi;\n scgi_temp_path {d}/scgi;\n"
            f" include {d}/site.conf;\n}}\n"
        )
        check = subprocess.run(
            [NGINX, "-t", "-p", str(d), "-c", str(d / "nginx.conf")], capture_output=True, timeout=30
        )
        if check.returncode:
            raise RuntimeError(f"nginx -t failed:\n{check.stderr.decode(errors='replace')}")
        self.process = subprocess.Popen(
            [NGINX, "-p", str(d), "-c", str(d / "nginx.conf")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            self._wait_ready(timeout=15)
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"nginx exited with {self.process.returncode}: see {self.directory}/error.log")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"nginx did not listen on {self.port} within {timeout:g} s")

    def __exit__(self, exc_type, exc, tb) -> None:
        self.stop()

    def stop(self) -> None:
        proc = self.process
        if proc is None:
            return
        if proc.poll() is None:
            proc.terminate()  # SIGTERM: nginx's master stops its workers and exits
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=5)
        self.process = None

    def served(self) -> tuple[Counter, int, list[str]]:
        """From the access log so far: requests per upstream that gave the final answer, how many requests were
        passed on to another upstream after a failure, and up to five of the error log's lines about upstreams."""
        counts: Counter = Counter()
        passed_on = 0
        try:
            with open(self.directory / "access.log", errors="replace") as log_file:
                for line in log_file:
                    upstreams = [u for u in re.split(r"\s*[,:]\s+", line.split("|", 1)[0].strip()) if u]
                    counts[upstreams[-1] if upstreams else "-"] += 1
                    passed_on += len(upstreams) > 1
        except OSError:
            pass
        errors: list[str] = []
        try:
            with open(self.directory / "error.log", errors="replace") as log_file:
                errors = [line.strip()[:300] for line in log_file if "upstream" in line][:5]
        except OSError:
            pass
        return counts, passed_on, errors

    def connect(self) -> http.client.HTTPConnection:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        return http.client.HTTPSConnection("127.0.0.1", self.port, timeout=30, context=context)


# The catalog load -------------------------------------------------------------------------------------------


def catalog_paths(slugs: list[str], categories: list[str], rng: random.Random, count: int = 2000) -> list[str]:
    """A fixed shuffled list of paths: half product pages, a quarter list pages, a quarter searches."""
    paths = []
    for _ in range(count):
        roll = rng.random()
        if roll < 0.5 and slugs:
            paths.append(f"/produk/{rng.choice(slugs)}/")
        elif roll < 0.75:
            kind = rng.random()
            if kind < 0.4:
                paths.append("/katalog/")
            elif kind < 0.7 or not categories:
                paths.append(f"/katalog/?halaman={rng.randint(2, 20)}")
            else:
                paths.append(f"/katalog/?kategori={rng.choice(categories)}")
        else:
            paths.append(f"/katalog/?q={rng.choice(SEARCH_TERMS)}")
    return paths


class Timings:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.statuses: Counter = Counter()
        self.kinds: dict[str, list[float]] = {"product": [], "list": [], "search": []}
        self.samples: dict[int, str] = {}
        self.seconds = 0.0


def path_kind(path: str) -> str:
    if path.startswith("/produk/"):
        return "product"
    return "search" if "q=" in path else "list"


def catalog_client(connect, deadline: float, paths: list[str], offset: int, timings: Timings) -> None:
    conn = connect()
    headers = {"Host": HOST, "Accept-Encoding": "gzip", "Accept-Language": "id"}
    i = offset
    mine: list[tuple[str, float, int]] = []
    while time.monotonic() < deadline:
        path = paths[i % len(paths)]
        i += 1
        started = time.perf_counter()
        try:
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            data = response.read()
            status = response.status
            if response.will_close:
                conn.close()
        except (OSError, http.client.HTTPException):
            conn.close()
            conn = connect()
            status, data = 0, b""
        mine.append((path, (time.perf_counter() - started) * 1000, status))
        if status != 200 and status not in timings.samples and len(timings.samples) < 5:
            with timings.lock:
                timings.samples[status] = f"{path}: {data[:200].decode(errors='replace')}"
    conn.close()
    with timings.lock:
        for path, ms, status in mine:
            timings.latencies.append(ms)
            timings.statuses[status] += 1
            timings.kinds[path_kind(path)].append(ms)


def catalog_load(connect, clients: int, seconds: float, paths: list[str]) -> Timings:
    timings = Timings()
    deadline = time.monotonic() + seconds
    threads = [
        threading.Thread(
            target=catalog_client, args=(connect, deadline, paths, i * len(paths) // clients, timings), daemon=True
        )
        for i in range(clients)
    ]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=seconds + 60)
    timings.seconds = time.monotonic() - started
    return timings


# One configuration -----------------------------------------------------------------------------------------


@dataclass
class Setup:
    args: argparse.Namespace
    tmp: Path
    env: dict[str, str]  # production settings, DATABASE_URL = the primary's bench database
    primary: str  # server URLs, no database
    standby: str
    primary_db: str  # the bench database on each
    standby_db: str
    sellers: list[dict[str, Any]]
    scarce: list[str]
    plenty: list[str]
    paths: list[str]


def run_configuration(setup: Setup, label: str, instances: int, replica: bool) -> dict[str, Any]:
    from django.core.cache import cache

    args = setup.args
    lots = bench_orders.stock_top_up(setup.sellers, set(setup.scarce), args.scarce_units)
    cache.clear()  # a shared cache (database, Redis) would otherwise hand the first configuration's pages on
    waited = standby_catch_up(setup.primary, setup.standby)
    log(f"{label}: stock topped up with {lots} lots, cache cleared, standby caught up in {waited:.1f} s")
    if args.wait_idle:
        wait_until_idle(args.wait_idle, log)
    server = dict(setup.env)
    server.pop("DATABASE_REPLICA_URL", None)
    if replica:
        server["DATABASE_REPLICA_URL"] = setup.standby_db
    result: dict[str, Any] = {
        "label": label,
        "instances": instances,
        "replica": replica,
        "load_average_before": os.getloadavg()[0],  # other work on the machine skews one configuration
    }
    reads0 = standby_reads(setup.standby, DATABASE)
    cpu0 = time.process_time()
    with ExitStack() as stack:
        gunicorns = [
            stack.enter_context(Gunicorn(env=server, workers=args.workers, threads=args.threads))
            for _ in range(instances)
        ]
        nginx = stack.enter_context(
            Nginx(
                setup.tmp / f"nginx-{label[0].lower()}",
                [g.port for g in gunicorns],
                Path(setup.env["STATIC_ROOT"]),
                Path(setup.env["MEDIA_ROOT"]),
                setup.tmp,
            )
        )
        result["server"] = f"{instances} × {gunicorns[0].describe()}"
        log(f"{label}: {result['server']} behind nginx on https://127.0.0.1:{nginx.port}")
        catalog_load(nginx.connect, args.clients, WARMUP_SECONDS, setup.paths)  # every worker has served pages
        log(f"{label}: catalog, {args.clients} clients for {args.catalog_seconds:g} s")
        cpu1 = time.process_time()
        catalog = catalog_load(nginx.connect, args.clients, args.catalog_seconds, setup.paths)
        cpu2 = time.process_time()
        before = bench_orders.stock_state(setup.sellers)
        log(f"{label}: orders, {args.clients} clients for {args.orders_seconds:g} s")
        load_args = argparse.Namespace(duration=args.orders_seconds, clients=args.clients, seed=args.seed)
        tally = bench_orders.run_load(nginx.connect, load_args, setup.plenty, setup.scarce, {"Host": HOST})
        cpu3 = time.process_time()
        time.sleep(0.5)  # nginx writes its log lines as the requests end
        served, passed_on, upstream_errors = nginx.served()
    reads1 = standby_reads(setup.standby, DATABASE)
    ok, problems, info = bench_orders.oversell_check(setup.sellers, before, tally)
    log(f"{label}: oversell check " + ("passed" if ok else f"FAILED: {problems[:5]}"))
    catalog_errors = sum(v for k, v in catalog.statuses.items() if k != 200)
    order_errors = sum(v for k, v in tally.statuses.items() if k not in (201, 409))
    if catalog.samples or tally.samples:
        log(f"{label}: unexpected answers: {catalog.samples or ''} {tally.samples or ''}")
    result["catalog"] = {
        "seconds": catalog.seconds,
        "requests": len(catalog.latencies),
        "rps": len(catalog.latencies) / catalog.seconds,
        "p50_ms": percentile(catalog.latencies, 50),
        "p95_ms": percentile(catalog.latencies, 95),
        "p99_ms": percentile(catalog.latencies, 99),
        "errors": catalog_errors,
        "statuses": dict(catalog.statuses),
        "by_kind": {
            kind: {"requests": len(ms), "p50_ms": percentile(ms, 50), "p95_ms": percentile(ms, 95)}
            for kind, ms in catalog.kinds.items()
        },
        "client_cpu_pct": 100 * (cpu2 - cpu1) / catalog.seconds,
        "unexpected": catalog.samples,
    }
    result["orders"] = {
        "seconds": tally.seconds,
        "requests": len(tally.latencies),
        "orders": len(tally.numbers),
        "created_requests": tally.statuses[201],
        "rps": tally.statuses[201] / tally.seconds,
        "answers_per_s": len(tally.latencies) / tally.seconds,
        "p50_ms": percentile(tally.latencies, 50),
        "p95_ms": percentile(tally.latencies, 95),
        "p99_ms": percentile(tally.latencies, 99),
        "conflicts_409": tally.statuses[409],
        "conflicts_naming_sku": tally.conflict_named_sku,  # a 409 names the SKU that ran out
        "errors": order_errors,
        "statuses": dict(tally.statuses),
        "oversell_ok": ok,
        "oversell_problems": problems[:20],
        "oversell_info": info,
        "client_cpu_pct": 100 * (cpu3 - cpu2) / tally.seconds,
        "unexpected": tally.samples,
    }
    result["served_by"] = {f"gunicorn {i + 1}": served.get(f"127.0.0.1:{g.port}", 0) for i, g in enumerate(gunicorns)}
    result["passed_on_by_nginx"] = passed_on  # an upstream failed and nginx tried the other: hidden from clients
    result["nginx_upstream_errors"] = upstream_errors
    if passed_on or upstream_errors:
        log(f"{label}: nginx passed {passed_on} request(s) on to another upstream; error log: {upstream_errors}")
    result["standby_reads"] = {k: reads1.get(k, 0) - reads0.get(k, 0) for k in reads1}
    result["client_cpu_pct"] = 100 * (cpu3 - cpu0) / max(catalog.seconds + tally.seconds, 1e-9)
    return result


# Main --------------------------------------------------------------------------------------------------------


def build(args: argparse.Namespace, tmp: Path, cluster: Cluster) -> Setup:
    primary_db = with_database(cluster.primary, DATABASE)
    standby_db = with_database(cluster.standby, DATABASE)
    created = ensure_database(cluster.primary, DATABASE)
    log(f"database {DATABASE} {'created' if created else 'reused'} on {cluster.primary}; migrating")
    env = server_env(primary_db, tmp / "static", tmp / "media")
    env.pop("DATABASE_REPLICA_URL", None)
    env.pop("CACHE_BACKEND", None)  # production's choice: the database cache, shared by both instances
    env.update(
        {
            "ALLOWED_HOSTS": f"{HOST},127.0.0.1",
            "SECURE_SSL_REDIRECT": "true",
            "SECURE_COOKIES": "true",
            "TRUSTED_PROXY_COUNT": "1",
            "API_PUBLIC_ORDER_RATE": "1000000/s",  # every bench client is 127.0.0.1
        }
    )
    manage(env, "migrate", "--noinput", quiet=True, timeout=1800)
    if args.products and generated_product_count(primary_db) != args.products:
        log(f"generate_dataset --products {args.products}")
        manage(env, "generate_dataset", "--products", str(args.products), "--reset", quiet=True, timeout=1800)
    else:
        manage(env, "generate_dataset", "--photos-only", quiet=True, timeout=600)
    for name in ("DATABASE_REPLICA_URL", "REDIS_URL"):
        os.environ.pop(name, None)  # this process (the checks) reads and writes the primary only
    bench_orders.setup_django(env)
    rng = random.Random(args.seed)
    sellers, scarce, plenty = bench_orders.bench_data(rng, args.scarce_units)
    manage(env, "collectstatic", "--noinput", quiet=True)
    from binakarya.catalog.models import Category

    slugs = public_product_slugs(primary_db, args.slugs)
    categories = list(Category.objects.values_list("slug", flat=True))
    paths = catalog_paths(slugs, categories, rng)
    log(f"{len(slugs)} product pages, {len(categories)} categories, {len(paths)} paths in rotation")
    certificate(tmp)
    return Setup(
        args, tmp, env, cluster.primary, cluster.standby, primary_db, standby_db, sellers, scarce, plenty, paths
    )


def ratio(b: float, a: float) -> float:
    return b / a if a and a == a and b == b else float("nan")


def report(args: argparse.Namespace, results: dict[str, Any], busy: float) -> tuple[str, bool]:
    a, b = results["configurations"]
    rows = []
    for workload, name in (("catalog", "catalog GETs"), ("orders", "orders POST")):
        for config in (a, b):
            m = config[workload]
            extra = ""
            if workload == "orders":
                extra = (
                    f"{m['conflicts_409']} × 409 ({m['conflicts_naming_sku']} naming the SKU that ran out); "
                    f"oversell check {'passed' if m['oversell_ok'] else 'FAILED'}"
                )
            else:
                extra = f"standby rows read {config['standby_reads'].get('tup_returned', 0):,}"
            rows.append(
                (
                    name,
                    config["label"],
                    fmt(m["rps"]),
                    fmt(m["p50_ms"]),
                    fmt(m["p95_ms"]),
                    fmt(m["p99_ms"]),
                    str(m["errors"]),
                    extra,
                )
            )
        ma, mb = a[workload], b[workload]
        rows.append(
            (
                name,
                "**B / A**",
                fmt(ratio(mb["rps"], ma["rps"]), 2),
                fmt(ratio(mb["p50_ms"], ma["p50_ms"]), 2),
                fmt(ratio(mb["p95_ms"], ma["p95_ms"]), 2),
                fmt(ratio(mb["p99_ms"], ma["p99_ms"]), 2),
                "",
                "",
            )
        )
    ok = all(c[w]["errors"] == 0 for c in (a, b) for w in ("catalog", "orders")) and all(
        c["orders"]["oversell_ok"] for c in (a, b)
    )
    header = (
        f"Scale-out — {results['date']}, {results['machine']}, everything on this one machine; PostgreSQL "
        f"{results['postgres']} primary + streaming hot standby; cache {results['cache']}, public page cache "
        f"{results['public_cache']}; {args.clients} HTTPS clients (keep-alive) through nginx; catalog "
        f"{args.catalog_seconds:g} s, orders {args.orders_seconds:g} s per configuration; "
        f"CPU {fmt(busy, 0)} % busy before"
    )
    lines = [
        header,
        "",
        f"A = {a['server']}, DATABASE_URL only; B = {b['server']}, DATABASE_REPLICA_URL = the standby. "
        "Orders: req/s counts 201s (orders placed). "
        + "Requests each gunicorn answered (nginx's log, warm-up included): "
        + "; ".join(
            f"{c['label'][0]} "
            + ", ".join(f"{name} {count:,}" for name, count in c["served_by"].items())
            + f" ({c['passed_on_by_nginx']:,} passed on by nginx after an upstream failed)"
            for c in (a, b)
        )
        + f". Load average (1 min) before A {a['load_average_before']:.1f}, before B {b['load_average_before']:.1f}.",
        "",
        "| workload | config | req/s | p50 ms | p95 ms | p99 ms | errors | notes |",
        "|---|---|---|---|---|---|---|---|",
    ] + ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines), ok


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    stop_on_signals()
    if not os.path.exists(NGINX):
        log("nginx is not installed (apt-get install nginx)")
        return 2
    tmp = Path(tempfile.mkdtemp(prefix="binakarya-bench-scale-"))
    cluster = Cluster(primary=(args.primary_url or "").rstrip("/"), standby=(args.standby_url or "").rstrip("/"))
    results: dict[str, Any] = {"date": datetime.datetime.now().isoformat(timespec="seconds")}
    try:
        if not cluster.primary:
            log("starting a primary and a hot standby (scripts/pg_replica.sh)")
            cluster.start()
            log(f"primary {cluster.primary}, standby {cluster.standby}")
        setup = build(args, tmp, cluster)
        from django.conf import settings

        results.update(
            {
                "machine": machine_description(),
                "python": platform.python_version(),
                "postgres": postgres_version(setup.primary_db),
                "cache": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1],
                "public_cache": f"on, {settings.PUBLIC_CACHE_SECONDS} s"
                if settings.PUBLIC_CACHE_SECONDS
                else "off (PUBLIC_CACHE_SECONDS=0)",
                "clients": args.clients,
                "workers": args.workers,
                "threads": args.threads,
                "products": args.products,
                "slugs": args.slugs,
            }
        )
        busy = cpu_busy_percent(2)
        results["cpu_busy_before_pct"] = busy
        results["configurations"] = [
            run_configuration(setup, "A, one instance", 1, replica=False),
            run_configuration(setup, "B, two instances + replica", 2, replica=True),
        ]
        text, ok = report(args, results, busy)
        return finish(text, ok, results, json_path=args.json, strict=args.strict, log=log)
    finally:
        cluster.stop()
        remove_tree(tmp)


if __name__ == "__main__":
    sys.exit(main())
