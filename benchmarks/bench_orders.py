#!/usr/bin/env python3
"""Order placement benchmark (issue 11), one command: `.venv/bin/python benchmarks/bench_orders.py` (`make bench-orders`).

1. Creates the PostgreSQL database `binakarya_bench` if missing (``--fresh-db`` drops it first)
   and migrates it. Builds, once, four bench sellers (facilities) of 50 SKUs each, 200 in all, through
   the services: a group with makers, a producer, products with a photo (so they are public), a split
   rule, a showroom, shop settings and a staff user. Before every run it tops the showrooms' stock up
   with ``lot_record``: 20 "scarce" SKUs to exactly ``--scarce-units`` (6) units that can still be
   promised, the others to at least 2,000, so that scarce SKUs run out during the run and an oversell
   would show.
2. Starts gunicorn (2 workers, gthread) with production settings (DEBUG=false, a SECRET_KEY,
   ALLOWED_HOSTS, collected static files) on a free port. The public order throttle
   (``API_PUBLIC_ORDER_RATE``, 30 a minute per address) is raised for the run through a settings
   module written to a temporary directory: all 20 clients come from 127.0.0.1.
3. For ``--duration`` seconds (20), ``--clients`` threads (20), each with its own keep-alive connection,
   POST /api/v1/orders with a new Idempotency-Key: one or two lines, one to three units, SKUs drawn
   uniformly with one line in four from the scarce SKUs. Counts 201s (and the units they ordered, per
   SKU), 409s (out of stock) and anything else (errors); latency p50/p95 of all answers.
4. Checks, against the database: for every bench SKU, the units reserved by the run (active
   reservations now less before) equal the units of its 201 answers; held − reserved ≥ 0 at every
   showroom; no stock balance below zero. Then records payment in full (``payment_record``) for a sample of
   the run's orders (``--pay`` 30), and checks each became PAID with a sale whose lines are its lines,
   and that every journal entry of the bench sellers sums to zero.
5. Runs ``pgbench -i -s 10`` into its own database (``binakarya_pgbench``) and
   ``pgbench -b tpcb-like -c 20 -j 2 -T <--pgbench-seconds>`` against it, on the same server.
6. The checkout page: GET /keranjang/checkout/ with a session holding a two-item cart, 200 sequential
   requests (p50/p95). Should the checkout's address answer 404 (an older branch), the
   product page is measured instead, and the table says so.

Targets: orders/s ≥ 0.10 × pgbench TPS, zero oversell, checkout p95 < 80 ms.
Prints a markdown table; ``--json PATH`` writes the figures; ``--strict`` exits 1 on a missed target.
Everything talks to 127.0.0.1 (or --pg-url); every loop is bounded in time and count.
"""

import argparse
import datetime
import glob
import http.client
import json
import os
import platform
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_report import finish, fmt, stop_on_signals, verdict  # noqa: E402
from bench_setup import (  # noqa: E402
    REPO,
    Gunicorn,
    cpu_busy_percent,
    database_url,
    ensure_database,
    machine_description,
    manage,
    postgres_version,
    remove_tree,
    server_env,
)

RATIO_TARGET = 0.10  # orders/s as a fraction of pgbench tpcb-like TPS, measured in the same run
CHECKOUT_P95_TARGET_MS = 80.0
SELLERS = 4
SKUS_PER_SELLER = 50  # 10 products of 5 variants each
VARIANTS_PER_PRODUCT = 5
SCARCE_COUNT = 20
PLENTY_UNITS = 2_000
SELLER_SLUG = "bench-orders-{n}"
STARTED = time.monotonic()


def log(message: str) -> None:
    print(f"[bench-orders +{time.monotonic() - STARTED:6.1f} s] {message}", file=sys.stderr, flush=True)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--duration", type=float, default=20, help="seconds of order placement (20)")
    p.add_argument("--clients", type=int, default=20, help="concurrent HTTP clients (20)")
    p.add_argument("--workers", type=int, default=2, help="gunicorn workers (2)")
    p.add_argument("--threads", type=int, default=2, help="threads per gunicorn worker (2)")
    p.add_argument("--scarce-units", type=int, default=6, help="units each scarce SKU can promise at the start (6)")
    p.add_argument("--pay", type=int, default=30, help="orders of the run paid in full and checked (30)")
    p.add_argument("--pgbench-seconds", type=float, default=20, help="pgbench -T (20)")
    p.add_argument("--pgbench-scale", type=int, default=10, help="pgbench -i -s (10)")
    p.add_argument("--checkout-requests", type=int, default=200, help="sequential checkout page requests (200)")
    p.add_argument("--checkout-path", default="/keranjang/checkout/", help="the checkout page (/keranjang/checkout/)")
    p.add_argument(
        "--cart-session-key",
        default="cart",
        help="session key of the storefront's cart, a {sku: units} mapping (storefront/cart.py: SESSION_KEY, cart)",
    )
    p.add_argument(
        "--database",
        default="binakarya_bench",
        help="database (binakarya_bench, shared with run.py: its own organizations)",
    )
    p.add_argument("--pgbench-database", default="binakarya_pgbench", help="pgbench's database (binakarya_pgbench)")
    p.add_argument(
        "--pg-url",
        default=os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432"),
        help="PostgreSQL server URL without database name (env BENCH_PG_URL)",
    )
    p.add_argument("--fresh-db", action="store_true", help="drop and recreate the benchmark database first")
    p.add_argument("--seed", type=int, default=11, help="random seed (11)")
    p.add_argument("--json", type=Path, help="also write the results as JSON to this file")
    p.add_argument("--strict", action="store_true", help="exit 1 when a target is missed or a check fails")
    args = p.parse_args(argv)
    if not 1 <= args.duration <= 600:
        p.error("--duration must be 1-600")
    if not 1 <= args.clients <= 200:
        p.error("--clients must be 1-200")
    if not 1 <= args.pgbench_seconds <= 600:
        p.error("--pgbench-seconds must be 1-600")
    if not 1 <= args.checkout_requests <= 5000:
        p.error("--checkout-requests must be 1-5000")
    return args


def percentile(values: list[float], pct: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = (len(ordered) - 1) * pct / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


# Django in this process -------------------------------------------------------------------------------


def setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "binakarya.settings")
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    import django

    django.setup()


def tiny_png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), (180, 120, 60)).save(buffer, format="PNG")
    return buffer.getvalue()


def sellers_ensure() -> list[dict[str, Any]]:
    """The four bench sellers with their 50 SKUs each, built through the services on the first run."""
    from django.contrib.auth.hashers import make_password
    from django.core.files.base import ContentFile
    from django.db import transaction

    from binakarya.catalog.models import Category, Producer, Variant
    from binakarya.catalog.services import VariantInput, producer_create, product_create
    from binakarya.inventory.models import Location
    from binakarya.ledger.services import split_rule_create
    from binakarya.makers.models import Group, Maker
    from binakarya.makers.services import group_create, group_member_add, maker_create
    from binakarya.orders.models import ShopSettings
    from binakarya.orders.services import shop_settings_update
    from binakarya.organizations.models import Organization, Role
    from binakarya.organizations.services import membership_grant, organization_upsert, user_ensure

    category, _ = Category.objects.get_or_create(slug="bench-kriya", defaults={"name": "Kriya (bench)"})
    sellers = []
    password_hash = make_password(uuid.uuid4().hex)
    for n in range(1, SELLERS + 1):
        slug = SELLER_SLUG.format(n=n)
        with transaction.atomic():
            org, _ = organization_upsert(
                actor=None,
                slug=slug,
                name=f"Rutan Bench {n}",
                kind=Organization.Kind.FACILITY,
                facility_type=Organization.FacilityType.RUTAN,
                regency="Sumenep",
                province="Jawa Timur",
                code=f"BNO{n}",
            )
            user, _ = user_ensure(username=f"bench.orders.{n}", password_hash=password_hash, full_name="Bench Staf")
            membership_grant(actor=None, user=user, organization=org, role=Role.FACILITY_ADMIN)
            group = Group.objects.filter(organization=org).first()
            if group is None:
                group = group_create(actor=None, organization=org, name="Kelompok Bench", crafts=[category])
                for m in range(3):
                    maker = maker_create(
                        actor=None,
                        organization=org,
                        kind=Maker.Kind.INMATE,
                        full_name=f"Pembuat Bench {n}-{m}",
                        registration_number=f"BI.{n:02d}{m:02d}/2024/BNC",
                        admission_date=datetime.date(2024, 1, 1),
                    )
                    group_member_add(actor=None, group=group, maker=maker, joined_date=datetime.date(2024, 1, 15))
                split_rule_create(
                    actor=None,
                    organization=org,
                    effective_from=datetime.date(2024, 1, 1),
                    basis="MARGIN",
                    premi_mode="PERCENT",
                    premi_bp=5000,
                    capital_bp=3500,
                    legal_reference="SK bench",
                )
            producer = Producer.objects.filter(group=group).first() or producer_create(
                actor=None, organization=org, group=group, name=f"Kelompok Bench {n}"
            )
            showroom = Location.objects.filter(organization=org, kind=Location.Kind.SHOWROOM).first()
            if showroom is None:
                showroom = Location.objects.create(
                    organization=org, code=f"{slug}-showroom", name="Ruang Pamer", kind=Location.Kind.SHOWROOM
                )
            have = Variant.objects.filter(organization=org).count()
            for p in range(have // VARIANTS_PER_PRODUCT, SKUS_PER_SELLER // VARIANTS_PER_PRODUCT):
                product_create(
                    actor=None,
                    producer=producer,
                    category=category,
                    name=f"Produk Bench {n}-{p:02d}",
                    description="Produk untuk benchmark.",
                    variants=[
                        VariantInput(
                            sku=f"BNO{n}-{p:02d}-{v}",
                            name=f"Varian {v}",
                            price_idr=50_000 + 5_000 * v,
                            weight_grams=300,
                        )
                        for v in range(VARIANTS_PER_PRODUCT)
                    ],
                    photos=[ContentFile(tiny_png(), name=f"bench-{n}-{p}.png")],
                )
            if not ShopSettings.objects.filter(organization=org).exists():
                shop_settings_update(
                    actor=user,
                    organization=org,
                    accepts_orders=True,
                    location=showroom,
                    pickup_address="Jl. Bench 1",
                    bank_name="BRI",
                    bank_account_number="0123-01-000000-30-1",
                    bank_account_holder="DEMO bench",
                )
        variants = list(
            Variant.objects.filter(organization=org).select_related("product__producer__group").order_by("sku")
        )
        sellers.append({"org": org, "user": user, "showroom": showroom, "group": group, "variants": variants})
    return sellers


def stock_state(sellers: list[dict[str, Any]]) -> dict[tuple[int, int], tuple[int, int]]:
    """(location, variant) → (units held, units promised: active reservations not past their time), as the
    placement service counts them (inventory.reservations.available_by_variant)."""
    from django.db.models import Sum
    from django.utils import timezone

    from binakarya.inventory.models import Reservation, StockBalance

    locations = [s["showroom"].pk for s in sellers]
    held = {
        (row["location_id"], row["variant_id"]): row["units"]
        for row in StockBalance.objects.filter(location_id__in=locations)
        .values("location_id", "variant_id")
        .annotate(units=Sum("quantity"))
    }
    reserved = {
        (row["location_id"], row["variant_id"]): row["units"]
        for row in Reservation.objects.filter(location_id__in=locations, status="ACTIVE", expires_at__gt=timezone.now())
        .values("location_id", "variant_id")
        .annotate(units=Sum("quantity"))
    }
    keys = set(held) | set(reserved)
    return {k: (held.get(k, 0) or 0, reserved.get(k, 0) or 0) for k in keys}


def stock_top_up(sellers: list[dict[str, Any]], scarce: set[str], scarce_units: int) -> int:
    """lot_record until each scarce SKU can promise ``scarce_units`` (when it can promise fewer) and each
    other SKU at least PLENTY_UNITS."""
    from binakarya.production.services import ContributionInput, lot_record

    state = stock_state(sellers)
    lots = 0
    for seller in sellers:
        members = list(seller["group"].memberships.select_related("maker").order_by("pk"))
        for variant in seller["variants"]:
            held, reserved = state.get((seller["showroom"].pk, variant.pk), (0, 0))
            free = held - reserved
            want = scarce_units if variant.sku in scarce else PLENTY_UNITS
            if free >= want:
                continue
            lot_record(
                actor=None,
                variant=variant,
                group=seller["group"],
                location=seller["showroom"],
                quantity_produced=want - free,
                quantity_passed=want - free,
                material_cost_idr=0,
                contributions=[ContributionInput(maker_id=m.maker_id, share=1) for m in members],
                started_date=datetime.date(2024, 2, 1),
                finished_date=datetime.date(2024, 2, 10),
            )
            lots += 1
    return lots


def bench_data(rng: random.Random, scarce_units: int) -> tuple[list[dict[str, Any]], list[str], list[str]]:
    """The sellers (built on the first run), the scarce SKUs drawn with ``rng`` and the others, with the stock
    topped up (``stock_top_up``). Django must be set up."""
    from binakarya.orders.services import orders_expire

    log("sellers, SKUs and shop settings")
    sellers = sellers_ensure()
    skus_all = [v.sku for s in sellers for v in s["variants"]]
    scarce = sorted(rng.sample(skus_all, SCARCE_COUNT))
    plenty = [s for s in skus_all if s not in set(scarce)]
    expired = orders_expire(limit=100_000)  # earlier runs' orders past their time: tidy, not needed
    if expired:
        log(f"expired {expired} orders of earlier runs past their time")
    lots = stock_top_up(sellers, set(scarce), scarce_units)
    log(f"stock topped up with {lots} lots; {len(skus_all)} SKUs, {len(scarce)} scarce")
    return sellers, scarce, plenty


# The load -----------------------------------------------------------------------------------------------


class Tally:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.statuses: Counter = Counter()
        self.units: Counter = Counter()  # sku -> units of 201 answers
        self.numbers: list[str] = []
        self.conflict_named_sku = 0
        self.samples: dict[int, str] = {}
        self.seconds = 0.0


Connect = Callable[[], http.client.HTTPConnection]


def plain_connect(port: int) -> Connect:
    """A new keep-alive connection to gunicorn on 127.0.0.1:``port``, over plain HTTP."""
    return lambda: http.client.HTTPConnection("127.0.0.1", port, timeout=30)


def client_loop(
    connect: Connect,
    deadline: float,
    skus: list[str],
    scarce: list[str],
    seed: int,
    tally: Tally,
    extra_headers: dict[str, str] | None = None,
) -> None:
    """Place orders on one keep-alive connection from ``connect`` until ``deadline``."""
    rng = random.Random(seed)
    conn = connect()
    while time.monotonic() < deadline:
        picked: dict[str, int] = {}
        for _line in range(rng.choice((1, 1, 2))):
            sku = rng.choice(scarce) if rng.random() < 0.25 else rng.choice(skus)
            picked[sku] = picked.get(sku, 0) + rng.randint(1, 3)
        body = json.dumps(
            {
                "lines": [{"sku": s, "quantity": q} for s, q in picked.items()],
                "buyer": {"name": "Pembeli Bench", "phone": "0812 3456 7890"},
                "fulfillment": "PICKUP",
            }
        )
        headers = {**(extra_headers or {}), "Content-Type": "application/json", "Idempotency-Key": uuid.uuid4().hex}
        started = time.perf_counter()
        try:
            conn.request("POST", "/api/v1/orders", body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
            status = response.status
            if response.will_close:
                conn.close()
        except (OSError, http.client.HTTPException):
            conn.close()
            conn = connect()
            status, data = 0, b""
        elapsed = (time.perf_counter() - started) * 1000
        with tally.lock:
            tally.latencies.append(elapsed)
            tally.statuses[status] += 1
            if status == 201:
                for sku, quantity in picked.items():
                    tally.units[sku] += quantity
                tally.numbers += [o["number"] for o in json.loads(data)["orders"]]
            elif status == 409:
                detail = json.loads(data).get("detail", "")
                if any(sku in detail for sku in picked):
                    tally.conflict_named_sku += 1
            elif status not in tally.samples and len(tally.samples) < 5:
                tally.samples[status] = data[:300].decode(errors="replace")
    conn.close()


def ping_load(port: int, clients: int, seconds: float) -> float:
    """Requests per second of /ping (the cheapest Django response) from the same clients on the same server:
    the ceiling of the request path itself, measured in the same run as the orders."""
    count = [0]
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def loop() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        done = 0
        while time.monotonic() < deadline:
            try:
                conn.request("GET", "/ping")
                conn.getresponse().read()
                done += 1
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.close()
        with lock:
            count[0] += done

    started = time.monotonic()
    threads = [threading.Thread(target=loop, daemon=True) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=seconds + 60)
    return count[0] / (time.monotonic() - started)


def run_load(
    connect: Connect,
    args: argparse.Namespace,
    skus: list[str],
    scarce: list[str],
    extra_headers: dict[str, str] | None = None,
) -> Tally:
    """``args.clients`` threads placing orders for ``args.duration`` seconds, each on its own connection."""
    tally = Tally()
    deadline = time.monotonic() + args.duration
    threads = [
        threading.Thread(
            target=client_loop,
            args=(connect, deadline, skus, scarce, args.seed * 1000 + i, tally, extra_headers),
            daemon=True,
        )
        for i in range(args.clients)
    ]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=args.duration + 60)
    tally.seconds = time.monotonic() - started
    return tally


# Checks ---------------------------------------------------------------------------------------------------


def oversell_check(sellers: list[dict[str, Any]], before: dict, tally: Tally) -> tuple[bool, list[str], dict[str, int]]:
    """Reserved by the run == ordered by its 201s, per SKU; held − reserved ≥ 0; no negative balance."""
    from binakarya.inventory.models import StockBalance

    after = stock_state(sellers)
    problems = []
    checked = 0
    for seller in sellers:
        loc = seller["showroom"].pk
        for variant in seller["variants"]:
            held0, reserved0 = before.get((loc, variant.pk), (0, 0))
            held1, reserved1 = after.get((loc, variant.pk), (0, 0))
            checked += 1
            if reserved1 - reserved0 != tally.units.get(variant.sku, 0):
                problems.append(
                    f"{variant.sku}: reserved {reserved1 - reserved0} by the run, 201s ordered {tally.units.get(variant.sku, 0)}"
                )
            if held1 - reserved1 < 0:
                problems.append(f"{variant.sku}: held {held1} < reserved {reserved1} (oversold)")
            if held1 != held0:
                problems.append(f"{variant.sku}: held changed {held0} → {held1} during the run")
    negative = StockBalance.objects.filter(quantity__lt=0).count()
    if negative:
        problems.append(f"{negative} stock balance(s) below zero")
    scarce_left = {
        v.sku: after.get((s["showroom"].pk, v.pk), (0, 0))[0] - after.get((s["showroom"].pk, v.pk), (0, 0))[1]
        for s in sellers
        for v in s["variants"]
    }
    return not problems, problems, {"variants_checked": checked, "min_free": min(scarce_left.values())}


def payment_check(sellers: list[dict[str, Any]], numbers: list[str], sample: int, rng: random.Random) -> dict[str, Any]:
    """Pay a sample of the run's orders in full; each must become PAID with a sale of its lines; every
    journal entry of the bench sellers must sum to zero."""
    from django.db.models import Sum

    from binakarya.ledger.models import JournalLine
    from binakarya.orders.models import Order, Payment
    from binakarya.orders.services import payment_record

    users = {s["org"].pk: s["user"] for s in sellers}
    problems = []
    picked = rng.sample(numbers, k=min(sample, len(numbers)))
    started = time.perf_counter()
    for number in picked:
        order = Order.objects.get(number=number)
        payment_record(
            actor=users[order.organization_id], order=order, amount_idr=order.total_idr, method=Payment.Method.TRANSFER
        )
        order.refresh_from_db()
        if order.status != Order.Status.PAID or order.sale is None:
            problems.append(f"{number}: {order.status}, sale {order.sale_id}")
            continue
        ordered = sorted((line.sku, line.quantity) for line in order.lines.all())
        sold = Counter()
        for line in order.sale.lines.select_related("variant"):
            sold[line.variant.sku] += line.quantity
        if sorted(sold.items()) != ordered:
            problems.append(f"{number}: sale lines {sorted(sold.items())} != order lines {ordered}")
    seconds = time.perf_counter() - started
    unbalanced = (
        JournalLine.objects.filter(organization__in=[s["org"] for s in sellers])
        .values("entry_id")
        .annotate(total=Sum("amount_idr"))
        .exclude(total=0)
        .count()
    )
    if unbalanced:
        problems.append(f"{unbalanced} journal entr(y/ies) do not sum to zero")
    entries = (
        JournalLine.objects.filter(organization__in=[s["org"] for s in sellers]).values("entry_id").distinct().count()
    )
    return {
        "paid": len(picked),
        "problems": problems,
        "ok": not problems,
        "entries_checked": entries,
        "ms_per_payment": seconds * 1000 / len(picked) if picked else float("nan"),
    }


# pgbench ----------------------------------------------------------------------------------------------


def find_pgbench() -> str | None:
    found = shutil.which("pgbench")
    if found:
        return found
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pgbench"))
    return candidates[-1] if candidates else None


def run_pgbench(args: argparse.Namespace, binary: str) -> dict[str, Any]:
    from urllib.parse import urlsplit

    ensure_database(args.pg_url, args.pgbench_database)
    url = urlsplit(args.pg_url)
    conn = ["-h", url.hostname or "127.0.0.1", "-p", str(url.port or 5432), "-U", url.username or "postgres"]
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = url.password
    log(f"pgbench -i -s {args.pgbench_scale} into {args.pgbench_database}")
    init = subprocess.run(
        [binary, *conn, "-i", "-q", "-s", str(args.pgbench_scale), args.pgbench_database],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    if init.returncode:
        return {"error": f"pgbench -i failed: {init.stderr[-500:]}"}
    log(f"pgbench -b tpcb-like -c 20 -j 2 -T {args.pgbench_seconds:g}")
    run = subprocess.run(
        [
            binary,
            *conn,
            "-b",
            "tpcb-like",
            "-c",
            "20",
            "-j",
            "2",
            "-T",
            str(int(args.pgbench_seconds)),
            args.pgbench_database,
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=args.pgbench_seconds + 300,
    )
    match = re.search(r"tps = ([0-9.]+) \(without initial connection time\)", run.stdout) or re.search(
        r"tps = ([0-9.]+)", run.stdout
    )
    if run.returncode or not match:
        return {"error": f"pgbench failed: {run.stderr[-500:]}"}
    return {"tps": float(match.group(1)), "output": run.stdout[-600:]}


# The checkout page ---------------------------------------------------------------------------------------


def checkout_measure(port: int, args: argparse.Namespace, skus: list[str], product_slug: str) -> dict[str, Any]:
    """p50/p95 of ``--checkout-requests`` sequential GETs of the checkout page with a two-item cart in the
    session; the product page when the checkout page is not there (this branch before the storefront's)."""
    from django.conf import settings
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[args.cart_session_key] = {skus[0]: 1, skus[1]: 2}
    session.save()
    headers = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={session.session_key}", "Accept-Encoding": "gzip"}
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", args.checkout_path, headers=headers)
    first = conn.getresponse()
    first.read()
    path, label = args.checkout_path, f"checkout page {args.checkout_path} (2-item cart)"
    if first.status == 404:
        path, label = f"/produk/{product_slug}/", "product page (stand-in: no checkout page on this branch)"
    elif first.status != 200:
        label += f" — answered {first.status}: check --cart-session-key"
    times, errors = [], 0
    for _ in range(10):  # warm-up
        conn.request("GET", path, headers=headers)
        conn.getresponse().read()
    for _ in range(args.checkout_requests):
        started = time.perf_counter()
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        response.read()
        times.append((time.perf_counter() - started) * 1000)
        errors += response.status != 200
    conn.close()
    return {
        "label": label,
        "path": path,
        "p50_ms": percentile(times, 50),
        "p95_ms": percentile(times, 95),
        "errors": errors,
        "is_checkout": path == args.checkout_path,
    }


# Main ---------------------------------------------------------------------------------------------------


def write_settings_module(directory: Path) -> None:
    (directory / "bench_orders_settings.py").write_text(
        '"""binakarya.settings with the public order throttle raised: every bench client is 127.0.0.1."""\n'
        "from binakarya.settings import *  # noqa: F403\n\n"
        'API_PUBLIC_ORDER_RATE = "1000000/s"\n'
    )


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    stop_on_signals()
    rng = random.Random(args.seed)
    db_url = database_url(args.pg_url, args.database)
    tmp = Path(tempfile.mkdtemp(prefix="binakarya-bench-orders-"))
    results: dict[str, Any] = {"date": datetime.datetime.now().isoformat(timespec="seconds")}
    try:
        created = ensure_database(args.pg_url, args.database, fresh=args.fresh_db)
        log(f"database {args.database} {'created' if created else 'reused'}; migrating")
        env = server_env(db_url, tmp / "static", tmp / "media")
        env["SECURE_SSL_REDIRECT"] = "false"
        env["SECURE_COOKIES"] = "false"
        manage(env, "migrate", "--noinput", quiet=True, timeout=1800)
        setup_django(env)
        sellers, scarce, plenty = bench_data(rng, args.scarce_units)
        before = stock_state(sellers)
        manage(env, "collectstatic", "--noinput", quiet=True)
        write_settings_module(tmp)
        server = dict(env)
        server["DJANGO_SETTINGS_MODULE"] = "bench_orders_settings"
        server["PYTHONPATH"] = os.pathsep.join(filter(None, [str(tmp), str(REPO), env.get("PYTHONPATH", "")]))
        busy = cpu_busy_percent(2)
        results["cpu_busy_before_pct"] = busy
        with Gunicorn(env=server, workers=args.workers, threads=args.threads) as gunicorn:
            log(f"{gunicorn.describe()} on {gunicorn.base_url}; CPU {busy:.0f} % busy before the load")
            log(f"{args.clients} clients placing orders for {args.duration:g} s")
            tally = run_load(plain_connect(gunicorn.port), args, plenty, scarce)
            product_slug = sellers[0]["variants"][0].product.slug
            checkout = checkout_measure(gunicorn.port, args, plenty, product_slug)
            log(f"{args.clients} clients on /ping for 5 s (the request path's own ceiling)")
            ping_rps = ping_load(gunicorn.port, args.clients, 5)
        seconds = tally.seconds
        created_orders = tally.statuses[201]
        orders_per_s = len(tally.numbers) / seconds
        log(
            f"{sum(tally.statuses.values())} answers: "
            + ", ".join(f"{k}: {v}" for k, v in sorted(tally.statuses.items()))
            + f"; {len(tally.numbers)} orders"
        )
        if tally.samples:
            log(f"unexpected answers: {tally.samples}")
        oversell_ok, oversell_problems, oversell_info = oversell_check(sellers, before, tally)
        log("oversell check " + ("passed" if oversell_ok else f"FAILED: {oversell_problems[:5]}"))
        paid = payment_check(sellers, tally.numbers, args.pay, rng)
        log("payment and ledger check " + ("passed" if paid["ok"] else f"FAILED: {paid['problems'][:5]}"))
        binary = find_pgbench()
        pgbench = run_pgbench(args, binary) if binary else {"error": "pgbench not found"}
        tps = pgbench.get("tps", float("nan"))
        ratio = orders_per_s / tps if tps == tps and tps else float("nan")
        errors = sum(v for k, v in tally.statuses.items() if k not in (201, 409))
        results.update(
            {
                "machine": machine_description(),
                "python": platform.python_version(),
                "postgres": postgres_version(db_url),
                "server": f"gunicorn {args.workers} gthread workers, {args.threads} threads each",
                "clients": args.clients,
                "duration_s": seconds,
                "requests": sum(tally.statuses.values()),
                "statuses": dict(tally.statuses),
                "created_requests": created_orders,
                "orders": len(tally.numbers),
                "orders_per_s": orders_per_s,
                "order_p50_ms": percentile(tally.latencies, 50),
                "order_p95_ms": percentile(tally.latencies, 95),
                "conflicts_naming_sku": tally.conflict_named_sku,
                "errors": errors,
                "oversell_ok": oversell_ok,
                "oversell_problems": oversell_problems[:20],
                "oversell_info": oversell_info,
                "payments": paid,
                "pgbench": pgbench,
                "ratio": ratio,
                "checkout": checkout,
                "ping_rps": ping_rps,
            }
        )
        ratio_ok = ratio == ratio and ratio >= RATIO_TARGET
        checkout_ok = checkout["p95_ms"] < CHECKOUT_P95_TARGET_MS and not checkout["errors"] and checkout["is_checkout"]
        all_ok = ratio_ok and oversell_ok and paid["ok"] and checkout_ok and not errors
        rows = [
            ("orders/s (HTTP, PostgreSQL)", fmt(orders_per_s), "", ""),
            (
                f"pgbench tpcb-like TPS (-c 20 -j 2 -T {int(args.pgbench_seconds)})",
                fmt(tps),
                "",
                pgbench.get("error", ""),
            ),
            ("orders/s ÷ pgbench TPS", fmt(ratio, 3), f"≥ {RATIO_TARGET:.2f}", verdict(ratio_ok)),
            (
                "reference: /ping requests/s (same clients, same server) ÷ pgbench TPS",
                f"{fmt(ping_rps)} ÷ {fmt(tps)} = {fmt(ping_rps / tps if tps == tps and tps else float('nan'), 3)}",
                "",
                "",
            ),
            (
                "order latency p50 / p95 (ms)",
                f"{fmt(percentile(tally.latencies, 50))} / {fmt(percentile(tally.latencies, 95))}",
                "",
                "",
            ),
            (
                "answers 201 / 409 (out of stock) / other",
                f"{created_orders} / {tally.statuses[409]} / {errors}",
                "other = 0",
                verdict(not errors),
            ),
            (
                "oversell (reserved = ordered per SKU, held ≥ reserved, no negative balance)",
                f"{oversell_info['variants_checked']} SKUs, {len(oversell_problems)} problems",
                "0",
                verdict(oversell_ok),
            ),
            (
                f"{paid['paid']} orders paid: PAID with their sale; journal entries sum to 0",
                f"{paid['entries_checked']} entries, {len(paid['problems'])} problems",
                "0",
                verdict(paid["ok"]),
            ),
            (
                f"{checkout['label']} p50 / p95 (ms)",
                f"{fmt(checkout['p50_ms'])} / {fmt(checkout['p95_ms'])}",
                f"p95 < {CHECKOUT_P95_TARGET_MS:g}",
                verdict(checkout_ok) if checkout["is_checkout"] else "not measured (stand-in)",
            ),
        ]
        lines = [
            f"Order placement — {results['date']}, {results['machine']}, PostgreSQL {results['postgres']}, "
            f"{results['server']}, {args.clients} clients for {seconds:.1f} s; CPU {fmt(busy, 0)} % busy before",
            "",
            "| measure | value | target | verdict |",
            "|---|---|---|---|",
        ] + [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
        return finish("\n".join(lines), all_ok, results, json_path=args.json, strict=args.strict, log=log)
    finally:
        remove_tree(tmp)


if __name__ == "__main__":
    sys.exit(main())
