#!/usr/bin/env python3
"""Stock benchmark (issue 3, production lots and stock), one command:

    .venv/bin/python benchmarks/bench_stock.py [--movements 10000000] [--strict] [--json PATH]

Targets, with 10 million stock movements on PostgreSQL:

* stock for one SKU by location answers in under 20 ms at p95: the selector
  ``inventory.selectors.stock_for_sku`` fully evaluated, in process, over many random SKUs; and the
  endpoint ``GET /api/v1/stock?sku=`` with a bearer token, through Django's test Client in process
  and over HTTP against gunicorn (``--no-http`` skips the latter);
* recording a lot (``production.services.lot_record``) takes under 30 ms (judged on p95; each call
  is its own committed transaction against the big tables);
* ``manage.py stock_reconcile`` gets through 10 million movements in under 60 s (judged on the wall
  time of the whole command, run as a subprocess; its own figure for the query is shown too). It must
  also report no difference: that verifies the bulk load below and the trigger path of lot_record.

What the script does:

1. Creates the database ``binakarya_bench_stock`` if missing (``--database``, ``--pg-url`` or
   ``BENCH_PG_URL``), runs ``manage.py migrate`` and, unless exactly that many generated products are
   there, ``manage.py generate_dataset --products N --reset`` (facilities with groups, UMKM producers,
   products and variants).
2. Adds what generate_dataset does not make: outlet organizations, stock locations (stores, a
   showroom, consignment outlets and the in-transit location of every producing organization), four
   makers per group or UMKM (group members since five years ago), and one production officer per
   organization (the users the measurements act as). These few rows go through the ORM.
3. Bulk-loads the big tables in SQL (``INSERT ... SELECT`` over ``generate_series``, one statement
   per batch of about 500,000 movements): ``ceil(movements / --per-lot)`` lots (250,000 for 10 million
   with the default 40 movements per lot) over the generated variants (skewed: some SKUs have many
   lots), 1-3 contributions per lot, and per lot exactly ``--per-lot`` movements in time order:
   PRODUCED at a store; 1-3 transfers, each TRANSFER_OUT from the store, TRANSFER_IN and TRANSFER_OUT
   of the in-transit location and TRANSFER_IN at a showroom or outlet; then SOLD units, some RETURNED,
   DAMAGED and ADJUSTED (with a reason). Quantities are chosen so that every running balance stays
   non-negative; stores keep 0-9 units, transit 0, showrooms and outlets at least 1.

   **The load bypasses the triggers:** it runs with ``SET session_replication_role = replica`` in its
   own session, which switches off every trigger there (the StockBalance trigger of
   inventory/migrations/0002_stock_triggers and the foreign-key checks) and nothing in other sessions.
   ``inventory_stockbalance`` is then built with one ``INSERT ... SELECT lot_id, location_id,
   SUM(quantity) ... GROUP BY``; the CHECK constraints stay on (a negative balance would fail the load);
   the movement indexes that back no constraint are dropped for the load and rebuilt after it (one
   transaction holds it all, so an interrupted load leaves nothing; ``--keep-indexes`` loads with them);
   the references the movements draw from are checked before loading; variants' ``stock_quantity`` and
   products' ``in_stock`` are recomputed as ``variant_stock_refresh`` would; then ``VACUUM (ANALYZE)``.
   Transfer movements carry a surat-jalan-like reason but no Transfer rows (``transfer_id`` is NULL).
4. Marks the dataset in a table ``bench_stock_marker``; later runs with the same parameters reuse it
   (the rows that lot_record measurements add are kept; they are few). ``--regenerate`` rebuilds the
   stock data, ``--fresh-db`` the whole database.
5. Measures, prints a markdown table (and ``--json PATH``), exits 1 on a missed target with ``--strict``.

Expected duration with the defaults on 2 cores: the first run about 5-8 minutes (catalog about 1.5 min,
stock load about 3-4 min, measurements and stock_reconcile 1-2 min) and about 4 GB in PostgreSQL; later
runs reuse the data and take 1-2 minutes. A run with ``--products 500 --movements 200000`` takes under
a minute. Only 127.0.0.1 is contacted; every loop is bounded in count or time.
"""

import argparse
import datetime
import gzip
import json
import math
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_load import HEADERS, Client, percentile  # noqa: E402
from bench_report import finish, fmt, stop_on_signals, verdict, wait_until_idle  # noqa: E402
from bench_setup import (  # noqa: E402
    GENERATED_PREFIX,
    REPO,
    Gunicorn,
    cpu_busy_percent,
    database_url,
    ensure_database,
    generated_product_count,
    machine_description,
    manage,
    postgres_version,
    project_python,
    remove_tree,
    server_env,
    temp_static_root,
)

SKU_P95_TARGET_MS = 20.0
LOT_RECORD_TARGET_MS = 30.0
RECONCILE_TARGET_S = 60.0
TARGET_MOVEMENTS = 10_000_000

LAYOUT_VERSION = 1  # bump when the generated shape changes, so that old data is rebuilt
MARKER_TABLE = "bench_stock_marker"
BATCH_MOVEMENTS = 500_000
MAKERS_PER_POOL = 4
OUTLET_ORGS = 24
HISTORY_DAYS = 3 * 365
LOT_SKEW = 1.5  # variant index = n * u**LOT_SKEW: the first variants of the (shuffled) list get most lots
BIGINT_MASK = 9223372036854775807
LOT_CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # binakarya.core.codes.ALPHABET
TZ = "Asia/Jakarta"


# Arguments, logging, small helpers -----------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument(
        "--movements", type=int, default=TARGET_MOVEMENTS, help=f"stock movements to load (default {TARGET_MOVEMENTS})"
    )
    p.add_argument("--products", type=int, default=50_000, help="generated catalog size (default 50000)")
    p.add_argument("--per-lot", type=int, default=40, help="movements per lot, 16-200 (default 40)")
    p.add_argument("--seed", type=int, default=2024, help="seed of the generated stock data (default 2024)")
    p.add_argument(
        "--database", default="binakarya_bench_stock", help="PostgreSQL database (default binakarya_bench_stock)"
    )
    p.add_argument(
        "--pg-url",
        default=os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432"),
        help="PostgreSQL server URL without database name (env BENCH_PG_URL; default postgres://postgres@127.0.0.1:5432)",
    )
    p.add_argument("--regenerate", action="store_true", help="rebuild the stock data even if it is there")
    p.add_argument("--fresh-db", action="store_true", help="drop and recreate the whole benchmark database first")
    p.add_argument(
        "--keep-indexes",
        action="store_true",
        help="load movements with every index in place (slower) instead of rebuilding the plain indexes after",
    )
    p.add_argument("--samples", type=int, default=1000, help="SKUs looked up per stock measurement (default 1000)")
    p.add_argument("--lots", type=int, default=200, help="lot_record calls to time (default 200)")
    p.add_argument("--warmup", type=int, default=50, help="untimed calls before each measurement (default 50)")
    p.add_argument("--no-http", action="store_true", help="skip the stock API over HTTP (gunicorn)")
    p.add_argument("--reconcile-runs", type=int, default=1, help="times to run stock_reconcile (default 1)")
    p.add_argument("--json", type=Path, help="also write the results as JSON to this file")
    p.add_argument(
        "--wait-idle",
        type=float,
        default=0,
        metavar="SECONDS",
        help="before measuring, wait up to SECONDS for other work to leave the CPU (< 15 %% busy)",
    )
    p.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = p.parse_args(argv)
    if not 1_000 <= args.movements <= 100_000_000:
        p.error("--movements must be between 1000 and 100000000")
    if not 16 <= args.per_lot <= 200:
        p.error("--per-lot must be between 16 and 200")
    if args.products < 100:
        p.error("--products must be at least 100")
    if not (1 <= args.samples <= 100_000 and 1 <= args.lots <= 10_000 and 0 <= args.warmup <= 10_000):
        p.error("--samples, --lots and --warmup are out of range")
    if not 1 <= args.reconcile_runs <= 10:
        p.error("--reconcile-runs must be between 1 and 10")
    return args


STARTED = time.monotonic()


def log(message: str) -> None:
    # Elapsed time rather than the clock: Django's setup switches the process to TIME_ZONE half-way.
    print(f"[bench-stock +{time.monotonic() - STARTED:6.1f} s] {message}", file=sys.stderr, flush=True)


def hashed(expr: str, salt: int, modulus: int) -> str:
    """SQL for a deterministic pseudo-random integer in [0, modulus) from ``expr`` (a bigint) and ``salt``."""
    return f"((hashint8extended(({expr})::bigint, {salt}) & {BIGINT_MASK}) % {modulus})"


def stats_ms(samples: list[float]) -> dict:
    ordered = sorted(samples)
    return {
        "count": len(ordered),
        "p50_ms": percentile(ordered, 50),
        "p95_ms": percentile(ordered, 95),
        "mean_ms": statistics.fmean(ordered) if ordered else float("nan"),
        "max_ms": ordered[-1] if ordered else float("nan"),
    }


# The movements of one lot --------------------------------------------------------------------


@dataclass(frozen=True)
class Slot:
    """One movement of a lot with ``transfers`` transfers.

    quantity = base + lo * c_lo + e1 * c_e1 + e2 * c_e2 + e3 * c_e3, where lo (0-9, units left in the
    store) and e1-e3 (0-4, units left at each destination beyond the one always kept) vary per lot;
    created_at = the lot's finish + fixed_hours + paced_hours * the lot's pace (0.5-2.5).
    """

    transfers: int
    slot: int
    kind: str
    role: str  # store, transit, dest1, dest2, dest3
    base: int
    c_lo: int
    c_e1: int
    c_e2: int
    c_e3: int
    fixed_hours: float
    paced_hours: float
    transfer_no: int  # 1-3 for transfer movements, else 0
    reason: str


def lot_template(per_lot: int) -> list[Slot]:
    """For 1, 2 and 3 transfers: exactly ``per_lot`` movements whose running balances never go negative."""
    slots: list[Slot] = []
    for transfers in (1, 2, 3):
        remaining = per_lot - 1 - 4 * transfers
        events: list[tuple[str, str, int, str]] = []
        sold, store_out = [0, 0, 0], 0
        for r in range(remaining):
            dest = r % transfers
            if r % 11 == 10:
                events.append(("DAMAGED", "store", -1, ""))
                store_out += 1
            elif r % 13 == 12:
                events.append(("ADJUSTED", "store", -1, "Selisih stok opname"))
                store_out += 1
            elif r % 9 == 8:
                events.append(("RETURNED", f"dest{dest + 1}", 1, ""))
            else:
                events.append(("SOLD", f"dest{dest + 1}", -1, ""))
                sold[dest] += 1
        coeff = [1 if j < transfers else 0 for j in range(3)]
        # Each destination gets what it sells, plus 1, plus e_j; the store gets all of that, plus what it
        # loses itself, plus lo left over.
        sent = [sold[j] + 1 for j in range(transfers)]
        rows = [("PRODUCED", "store", sum(sent) + store_out, 1, *coeff, 0.0, 0.0, 0, "")]
        for j in range(transfers):
            c = [1 if k == j else 0 for k in range(3)]
            neg = [-x for x in c]
            hours = 24.0 * (j + 1)
            rows += [
                ("TRANSFER_OUT", "store", -sent[j], 0, *neg, hours, 0.0, j + 1, ""),
                ("TRANSFER_IN", "transit", sent[j], 0, *c, hours, 0.0, j + 1, ""),
                ("TRANSFER_OUT", "transit", -sent[j], 0, *neg, hours + 20, 0.0, j + 1, ""),
                ("TRANSFER_IN", f"dest{j + 1}", sent[j], 0, *c, hours + 20, 0.0, j + 1, ""),
            ]
        start = 24.0 * (transfers + 1)
        for r, (kind, role, qty, reason) in enumerate(events):
            rows.append((kind, role, qty, 0, 0, 0, 0, start, 24.0 * (r + 1), 0, reason))
        for n, row in enumerate(rows, start=1):
            slots.append(Slot(transfers, n, *row))
    _check_template(slots, per_lot)
    return slots


def _check_template(slots: list[Slot], per_lot: int) -> None:
    """Every prefix of every lot keeps every role non-negative, for the extreme per-lot values."""
    for transfers in (1, 2, 3):
        mine = [s for s in slots if s.transfers == transfers]
        if len(mine) != per_lot:
            raise RuntimeError(f"template for {transfers} transfers has {len(mine)} movements, not {per_lot}")
        for lo in (0, 9):
            for e in (0, 4):
                held: dict[str, int] = {}
                for s in mine:
                    q = s.base + s.c_lo * lo + (s.c_e1 + s.c_e2 + s.c_e3) * e
                    held[s.role] = held.get(s.role, 0) + q
                    if q == 0 or held[s.role] < 0:
                        raise RuntimeError(f"template slot {s} gives {q}, leaving {held}")
                dests = [held[f"dest{j + 1}"] for j in range(transfers)]
                if held["transit"] != 0 or held["store"] != lo or min(dests) < 1:
                    raise RuntimeError(f"template for {transfers} transfers ends with {held}")


# Database state ------------------------------------------------------------------------------


def marker_params(args: argparse.Namespace) -> dict:
    return {
        "layout": LAYOUT_VERSION,
        "movements": args.movements,
        "per_lot": args.per_lot,
        "products": args.products,
        "seed": args.seed,
    }


def read_marker(conn) -> dict | None:
    exists = conn.execute("SELECT to_regclass(%s)", (MARKER_TABLE,)).fetchone()[0]
    if exists is None:
        return None
    row = conn.execute(f"SELECT params, generated_at, seconds FROM {MARKER_TABLE} WHERE id = 1").fetchone()
    if row is None:
        return None
    return {"params": row[0], "generated_at": row[1], "seconds": row[2]}


def guard_benchmark_database(conn) -> None:
    """Refuse to bulk-load or truncate a database that holds anything but generated organizations."""
    foreign = conn.execute(
        "SELECT count(*) FROM organizations_organization WHERE slug NOT LIKE %s", (GENERATED_PREFIX + "%",)
    ).fetchone()[0]
    if foreign:
        raise RuntimeError(
            f"the database holds {foreign} organizations that generate_dataset did not make; "
            "bench_stock.py only writes into a database of its own (see --database)"
        )


STOCK_TABLES = [
    "inventory_stockmovement",
    "inventory_stockbalance",
    "inventory_transferline",
    "inventory_transfer",
    "inventory_stockcountline",
    "inventory_stockcount",
    "production_contribution",
    "production_lot",
    "inventory_location",
    "makers_groupmembership",
    "makers_maker",
    # lot_record's audit rows PROTECT the generated organizations, which generate_dataset --reset deletes.
    "core_auditevent",
]


def reset_stock(db_url: str) -> None:
    """Empty the stock, lot, location and maker tables (and, by CASCADE, whatever refers to them)."""
    import psycopg

    with psycopg.connect(db_url, connect_timeout=10) as conn:
        guard_benchmark_database(conn)
        conn.execute(f"DROP TABLE IF EXISTS {MARKER_TABLE}")
        conn.execute(f"TRUNCATE {', '.join(STOCK_TABLES)} CASCADE")


def dataset_counts(db_url: str) -> dict[str, int]:
    import psycopg

    queries = {
        "movements": "SELECT count(*) FROM inventory_stockmovement",
        "balances": "SELECT count(*) FROM inventory_stockbalance",
        "balances_positive": "SELECT count(*) FROM inventory_stockbalance WHERE quantity > 0",
        "lots": "SELECT count(*) FROM production_lot",
        "contributions": "SELECT count(*) FROM production_contribution",
        "variants": "SELECT count(*) FROM catalog_variant",
        "variants_with_lots": "SELECT count(DISTINCT variant_id) FROM production_lot",
        "locations": "SELECT count(*) FROM inventory_location",
        "organizations": "SELECT count(*) FROM organizations_organization",
    }
    with psycopg.connect(db_url, connect_timeout=10) as conn:
        return {key: int(conn.execute(q).fetchone()[0]) for key, q in queries.items()}


def postgres_settings(db_url: str) -> str:
    import psycopg

    names = ("shared_buffers", "work_mem", "max_parallel_workers_per_gather", "jit")
    with psycopg.connect(db_url, connect_timeout=10) as conn:
        return ", ".join(f"{n} {conn.execute(f'SHOW {n}').fetchone()[0]}" for n in names)


# Fixtures through the ORM (a few thousand rows) -----------------------------------------------


def create_fixtures(seed: int) -> None:
    """Outlet organizations, locations, makers with group memberships, and one production officer each."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from binakarya.inventory.models import Location
    from binakarya.makers.models import Group, GroupMembership, Maker
    from binakarya.organizations.models import Membership, Organization, Role

    rng = random.Random(seed)
    user_model = get_user_model()
    today = datetime.date.today()
    joined = today - datetime.timedelta(days=5 * 365)
    with transaction.atomic():
        producing = list(
            Organization.objects.filter(
                slug__startswith=GENERATED_PREFIX, kind__in=[Organization.Kind.FACILITY, Organization.Kind.PRODUCER]
            ).order_by("pk")
        )
        if not producing:
            raise RuntimeError("no generated organizations: generate_dataset did not run")
        outlet_types = [t for t, _label in Organization.OutletType.choices]
        existing = set(Organization.objects.filter(kind=Organization.Kind.OUTLET).values_list("slug", flat=True))
        Organization.objects.bulk_create(
            Organization(
                kind=Organization.Kind.OUTLET,
                name=f"Gerai Mitra {i:02d} ({org.regency})",
                slug=f"{GENERATED_PREFIX}outlet-{i:02d}",
                code=f"GENO{i:02d}",
                outlet_type=outlet_types[i % len(outlet_types)],
                regency=org.regency,
                province=org.province,
            )
            for i, org in enumerate(producing[:OUTLET_ORGS], start=1)
            if f"{GENERATED_PREFIX}outlet-{i:02d}" not in existing
        )
        outlets = list(Organization.objects.filter(slug__startswith=f"{GENERATED_PREFIX}outlet-").order_by("pk"))

        locations = []
        for org in producing:
            facility = org.kind == Organization.Kind.FACILITY
            stores = ["Gudang Bengkel Kerja", "Gudang Koperasi"] if facility else ["Gudang"]
            for n, name in enumerate(stores, start=1):
                locations.append(Location(organization=org, code=f"gen-{org.pk}-store-{n}", name=name, kind="STORE"))
            locations.append(
                Location(
                    organization=org,
                    code=f"gen-{org.pk}-showroom",
                    name="Galeri Pameran" if facility else "Toko",
                    kind="SHOWROOM",
                )
            )
            for n, outlet in enumerate(rng.sample(outlets, rng.choice((0, 1, 1, 2, 3))), start=1):
                locations.append(
                    Location(
                        organization=org,
                        code=f"gen-{org.pk}-outlet-{n}",
                        name=f"Titip jual {outlet.name}",
                        kind="OUTLET",
                        outlet=outlet,
                    )
                )
            locations.append(
                Location(organization=org, code=f"gen-{org.pk}-transit", name="Dalam perjalanan", kind="TRANSIT")
            )
        Location.objects.bulk_create(locations)

        makers, memberships = [], []
        groups = list(Group.objects.filter(organization__in=producing).order_by("pk"))
        for group in groups:
            for i in range(1, MAKERS_PER_POOL + 1):
                maker = Maker(
                    organization_id=group.organization_id,
                    kind=Maker.Kind.INMATE,
                    full_name=f"Warga Binaan {group.pk}-{i}",
                    registration_number=f"GEN/{group.pk}/{i}",
                    admission_date=joined - datetime.timedelta(days=30),
                )
                makers.append(maker)
                memberships.append((group, maker))
        for org in producing:
            if org.kind == Organization.Kind.PRODUCER:
                makers += [
                    Maker(organization=org, kind=Maker.Kind.ARTISAN, full_name=f"Perajin {org.pk}-{i}")
                    for i in range(1, MAKERS_PER_POOL + 1)
                ]
        Maker.objects.bulk_create(makers)
        GroupMembership.objects.bulk_create(
            GroupMembership(organization_id=g.organization_id, group=g, maker=m, joined_date=joined)
            for g, m in memberships
        )

        usernames = {org.pk: f"gen-stock-{org.pk}" for org in producing}
        have = set(user_model.objects.filter(username__in=usernames.values()).values_list("username", flat=True))
        new_users = []
        for name in usernames.values():
            if name not in have:
                user = user_model(username=name, first_name="Petugas", last_name="Produksi")
                user.set_unusable_password()
                new_users.append(user)
        user_model.objects.bulk_create(new_users)
        users = dict(user_model.objects.filter(username__in=usernames.values()).values_list("username", "pk"))
        Membership.objects.bulk_create(
            [
                Membership(user_id=users[usernames[org.pk]], organization=org, role=Role.PRODUCTION_OFFICER)
                for org in producing
            ],
            ignore_conflicts=True,
        )
    log(
        f"fixtures: {len(outlets)} outlet organizations, {len(locations)} locations, {len(makers)} makers, "
        f"{len(usernames)} production officers"
    )


# The bulk load (SQL) ------------------------------------------------------------------------


def load_stock(db_url: str, args: argparse.Namespace) -> float:
    """Lots, contributions, movements and balances in SQL; returns the seconds it took."""
    import psycopg

    started = time.monotonic()
    per_lot, total = args.per_lot, args.movements
    n_lots = math.ceil(total / per_lot)
    seed = args.seed * 1000
    template = lot_template(per_lot)
    with psycopg.connect(db_url, connect_timeout=10, autocommit=True) as conn:
        guard_benchmark_database(conn)
        # Triggers off for this session only: no StockBalance trigger, no foreign-key checks (see docstring).
        try:
            conn.execute("SET session_replication_role = replica")
        except psycopg.errors.InsufficientPrivilege:
            raise RuntimeError(
                "the bulk load needs a PostgreSQL superuser (SET session_replication_role = replica)"
            ) from None
        conn.execute("SET synchronous_commit = off")
        conn.execute("SET maintenance_work_mem = '256MB'")
        conn.execute("SET work_mem = '64MB'")

        conn.execute(
            "CREATE TEMP TABLE bench_template (transfers int, slot int, kind text, role text, base int, c_lo int, "
            "c_e1 int, c_e2 int, c_e3 int, fixed_hours float8, paced_hours float8, transfer_no int, reason text)"
        )
        with conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO bench_template VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                [tuple(vars(s).values()) for s in template],
            )

        conn.execute(
            f"""
            CREATE TEMP TABLE bench_variants AS
            SELECT row_number() OVER (ORDER BY hashint8extended(v.id, {seed})) AS idx,
                   v.id AS variant_id, v.organization_id AS org_id, pr.group_id
            FROM catalog_variant v
            JOIN catalog_product p ON p.id = v.product_id
            JOIN catalog_producer pr ON pr.id = p.producer_id
            JOIN organizations_organization o ON o.id = v.organization_id
            WHERE o.slug LIKE %s AND o.kind IN ('FACILITY', 'PRODUCER')
            """,
            (GENERATED_PREFIX + "%",),
        )
        n_variants = conn.execute("SELECT count(*) FROM bench_variants").fetchone()[0]
        if not n_variants:
            raise RuntimeError("no generated variants to make lots of")
        conn.execute("CREATE UNIQUE INDEX ON bench_variants (idx)")

        conn.execute(
            """
            CREATE TEMP TABLE bench_orgloc AS
            SELECT l.organization_id AS org_id,
                   array_agg(l.id ORDER BY l.id) FILTER (WHERE l.kind = 'STORE') AS stores,
                   min(l.id) FILTER (WHERE l.kind = 'TRANSIT') AS transit_id,
                   array_agg(l.id ORDER BY l.id) FILTER (WHERE l.kind IN ('SHOWROOM', 'OUTLET')) AS dests,
                   (SELECT u.id FROM auth_user u WHERE u.username = 'gen-stock-' || l.organization_id) AS user_id
            FROM inventory_location l
            GROUP BY l.organization_id
            """
        )
        conn.execute(
            """
            CREATE TEMP TABLE bench_pool AS
            SELECT 'group' AS owner_kind, gm.group_id AS owner_id,
                   row_number() OVER (PARTITION BY gm.group_id ORDER BY gm.maker_id) AS idx, gm.maker_id
            FROM makers_groupmembership gm
            UNION ALL
            SELECT 'org', m.organization_id, row_number() OVER (PARTITION BY m.organization_id ORDER BY m.id), m.id
            FROM makers_maker m WHERE m.kind = 'ARTISAN'
            """
        )

        base_id = conn.execute("SELECT nextval(pg_get_serial_sequence('production_lot', 'id'))").fetchone()[0]
        u = f"({hashed('s', seed + 1, 1_000_000)} / 1000000.0)"
        conn.execute(
            f"""
            CREATE TEMP TABLE bench_plan AS
            SELECT s AS seq, {base_id} + s - 1 AS lot_id, v.variant_id, v.org_id, v.group_id,
                   1 + {hashed("s", seed + 2, 3)} AS transfers,
                   {hashed("s", seed + 3, 10)} AS lo,
                   {hashed("s", seed + 4, 5)} AS e1,
                   {hashed("s", seed + 5, 5)} AS e2,
                   {hashed("s", seed + 6, 5)} AS e3,
                   ol.stores[1 + ({hashed("s", seed + 7, 1000)} % cardinality(ol.stores))::int] AS store_id,
                   ol.transit_id,
                   ol.dests[1 + ({hashed("s", seed + 8, 1000)} % cardinality(ol.dests))::int] AS dest1,
                   ol.dests[1 + ({hashed("s", seed + 9, 1000)} % cardinality(ol.dests))::int] AS dest2,
                   ol.dests[1 + ({hashed("s", seed + 10, 1000)} % cardinality(ol.dests))::int] AS dest3,
                   ol.user_id,
                   (current_date - 120 - ((({n_lots} - s) * {HISTORY_DAYS}::bigint) / {n_lots})::int) AS finished_date,
                   {hashed("s", seed + 11, 30)}::int AS build_days,
                   0.5 + {hashed("s", seed + 12, 200)} / 100.0 AS pace,
                   {hashed("s", seed + 13, 3)}::int AS rejected,
                   50000 + {hashed("s", seed + 14, 2000000)} AS material_cost
            FROM generate_series(1, {n_lots}) s
            JOIN bench_variants v
              ON v.idx = 1 + LEAST({n_variants} - 1, floor({n_variants} * power({u}, {LOT_SKEW})))::bigint
            JOIN bench_orgloc ol ON ol.org_id = v.org_id
            """
        )
        planned = conn.execute("SELECT count(*) FROM bench_plan").fetchone()[0]
        if planned != n_lots:
            raise RuntimeError(f"planned {planned} lots instead of {n_lots}: an organization lacks locations")
        conn.execute("CREATE UNIQUE INDEX ON bench_plan (seq)")
        conn.execute("ANALYZE bench_plan")
        check_plan_references(conn)

        quantity = "(tp.base + tp.c_lo * p.lo + tp.c_e1 * p.e1 + tp.c_e2 * p.e2 + tp.c_e3 * p.e3)"
        code_value = "((p.seq * 2654435761 + 12345) % 34359738368)"  # an odd multiplier: distinct codes
        code = " || ".join(
            f"substr('{LOT_CODE_ALPHABET}', (({code_value} >> {5 * k}) & 31)::int + 1, 1)" for k in range(6, -1, -1)
        )
        finished_at = f"((p.finished_date + time '15:00') AT TIME ZONE '{TZ}')"
        # One transaction from the first lot to the last index: an interrupted load leaves nothing behind
        # (not even dropped indexes), and the next run starts again.
        with conn.transaction():
            log(f"lots: {n_lots:,} over {n_variants:,} variants")
            conn.execute(
                f"""
                INSERT INTO production_lot (id, organization_id, code, variant_id, group_id, instructor_id,
                    quantity_produced, quantity_passed, material_cost_idr, unit_cost_idr, share_basis, started_date,
                    finished_date, notes, recorded_by_id, created_at, updated_at)
                SELECT p.lot_id, p.org_id, {code}, p.variant_id, p.group_id, NULL,
                       {quantity} + p.rejected, {quantity}, p.material_cost,
                       (p.material_cost * 2 + {quantity}) / ({quantity} * 2), 'UNITS',
                       p.finished_date - p.build_days, p.finished_date, '', p.user_id, {finished_at}, {finished_at}
                FROM bench_plan p JOIN bench_template tp ON tp.transfers = p.transfers AND tp.slot = 1
                ORDER BY p.seq
                """
            )
            conn.execute("SELECT setval(pg_get_serial_sequence('production_lot', 'id'), %s)", (base_id + n_lots - 1,))
            k_salt = seed + 20
            conn.execute(
                f"""
                INSERT INTO production_contribution (organization_id, lot_id, maker_id, share)
                SELECT p.org_id, p.lot_id, pool.maker_id, 1 + {hashed("p.seq * 4 + k", k_salt, 10)}
                FROM bench_plan p
                CROSS JOIN LATERAL generate_series(1, 1 + {hashed("p.seq", k_salt + 1, 3)}::int) k
                JOIN bench_pool pool
                  ON pool.owner_kind = CASE WHEN p.group_id IS NULL THEN 'org' ELSE 'group' END
                 AND pool.owner_id = COALESCE(p.group_id, p.org_id)
                 AND pool.idx = 1 + ({hashed("p.seq", k_salt + 2, MAKERS_PER_POOL)} + k) % {MAKERS_PER_POOL}
                ORDER BY p.seq, k
                """
            )
            log(f"lots and contributions in {time.monotonic() - started:.1f} s; movements:")

            batch_lots = max(1, BATCH_MOVEMENTS // per_lot)
            location = (
                "CASE tp.role WHEN 'store' THEN p.store_id WHEN 'transit' THEN p.transit_id "
                "WHEN 'dest1' THEN p.dest1 WHEN 'dest2' THEN p.dest2 ELSE p.dest3 END"
            )
            created_at = (
                f"LEAST({finished_at} + (tp.fixed_hours + tp.paced_hours * p.pace) * interval '1 hour', "
                "now() - interval '1 minute')"
            )
            reason = "CASE WHEN tp.transfer_no > 0 THEN 'SJ/GEN/' || p.seq || '/' || tp.transfer_no ELSE tp.reason END"
            dropped = [] if args.keep_indexes else drop_movement_indexes(conn)
            loaded, load_started = 0, time.monotonic()
            for first in range(1, n_lots + 1, batch_lots):
                last = min(n_lots, first + batch_lots - 1)
                cur = conn.execute(
                    f"""
                    INSERT INTO inventory_stockmovement (organization_id, variant_id, lot_id, location_id, kind,
                        quantity, reason, transfer_id, stock_count_id, reverses_id, created_by_id, created_at)
                    SELECT p.org_id, p.variant_id, p.lot_id, {location}, tp.kind, {quantity}, {reason},
                           NULL, NULL, NULL, p.user_id, {created_at} AS created_at
                    FROM bench_plan p JOIN bench_template tp ON tp.transfers = p.transfers
                    WHERE p.seq BETWEEN %s AND %s AND (p.seq - 1) * {per_lot} + tp.slot <= %s
                    ORDER BY created_at, p.lot_id, tp.slot
                    """,
                    (first, last, total),
                )
                loaded += cur.rowcount
                elapsed = time.monotonic() - load_started
                eta = elapsed / loaded * (total - loaded) if loaded else 0
                log(
                    f"  {loaded:>12,} / {total:,} movements ({100 * loaded / total:.0f} %), {elapsed:.0f} s, ETA {eta:.0f} s"
                )
            if loaded != total:
                raise RuntimeError(f"loaded {loaded} movements instead of {total}")

            step = time.monotonic()
            conn.execute(
                """
                INSERT INTO inventory_stockbalance (organization_id, variant_id, lot_id, location_id, quantity, arrived_at)
                SELECT min(organization_id), min(variant_id), lot_id, location_id, sum(quantity),
                       COALESCE(max(created_at) FILTER (WHERE kind IN ('PRODUCED', 'TRANSFER_IN', 'RETURNED')
                                                       AND quantity > 0), min(created_at))
                FROM inventory_stockmovement
                GROUP BY lot_id, location_id
                ORDER BY lot_id, location_id
                """
            )
            log(f"balances in {time.monotonic() - step:.1f} s")
            if dropped:
                step = time.monotonic()
                for _name, definition in dropped:
                    conn.execute(definition)
                log(f"rebuilt {len(dropped)} movement indexes in {time.monotonic() - step:.1f} s")

        step = time.monotonic()
        conn.execute("SET session_replication_role = DEFAULT")
        # What binakarya.inventory.services.variant_stock_refresh computes, for every generated variant.
        conn.execute(
            """
            UPDATE catalog_variant v SET stock_quantity = x.units
            FROM (SELECT bv.variant_id, COALESCE(s.units, 0) AS units
                  FROM bench_variants bv
                  LEFT JOIN (SELECT b.variant_id, sum(b.quantity) AS units
                             FROM inventory_stockbalance b JOIN inventory_location l ON l.id = b.location_id
                             WHERE l.kind <> 'TRANSIT' GROUP BY b.variant_id) s ON s.variant_id = bv.variant_id) x
            WHERE v.id = x.variant_id AND v.stock_quantity <> x.units
            """
        )
        conn.execute(
            """
            UPDATE catalog_product p SET in_stock = x.in_stock
            FROM (SELECT p2.id, p2.made_to_order OR EXISTS (
                      SELECT 1 FROM catalog_variant v WHERE v.product_id = p2.id AND v.is_active AND v.stock_quantity > 0
                  ) AS in_stock
                  FROM catalog_product p2
                  WHERE p2.id IN (SELECT v.product_id FROM catalog_variant v
                                  JOIN bench_variants bv ON bv.variant_id = v.id)) x
            WHERE p.id = x.id AND p.in_stock <> x.in_stock
            """
        )
        log(f"variant stock and product flags in {time.monotonic() - step:.1f} s; VACUUM (ANALYZE)")
        step = time.monotonic()
        conn.execute(
            "VACUUM (ANALYZE) inventory_stockmovement, inventory_stockbalance, production_lot, "
            "production_contribution, catalog_variant, catalog_product, inventory_location, makers_maker, "
            "makers_groupmembership"
        )
        log(f"vacuumed in {time.monotonic() - step:.1f} s")

        seconds = time.monotonic() - started
        conn.execute(
            f"CREATE TABLE IF NOT EXISTS {MARKER_TABLE} (id int PRIMARY KEY, params jsonb NOT NULL, "
            "generated_at timestamptz NOT NULL, seconds float8 NOT NULL)"
        )
        conn.execute(
            f"INSERT INTO {MARKER_TABLE} VALUES (1, %s, now(), %s) "
            "ON CONFLICT (id) DO UPDATE SET params = EXCLUDED.params, generated_at = now(), seconds = EXCLUDED.seconds",
            (json.dumps(marker_params(args)), seconds),
        )
    return seconds


def drop_movement_indexes(conn) -> list[tuple[str, str]]:
    """Drop the movement table's indexes that back no constraint; returns (name, CREATE INDEX) to rebuild them.

    Building an index once over 10 million sorted rows is much faster than growing it row by row. Run inside
    the load's transaction, so that a failure restores them.
    """
    rows = conn.execute(
        """
        SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
        FROM pg_index i
        WHERE i.indrelid = 'inventory_stockmovement'::regclass
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
        ORDER BY 1
        """
    ).fetchall()
    for name, _definition in rows:
        conn.execute(f"DROP INDEX {name}")
    log(f"  dropped {len(rows)} movement indexes for the load (rebuilt after it)")
    return [(name, definition) for name, definition in rows]


def check_plan_references(conn) -> None:
    """The movements take every id from the plan; with foreign-key checks off, check the plan instead."""
    checks = {
        "variant": "SELECT count(*) FROM bench_plan p LEFT JOIN catalog_variant x ON x.id = p.variant_id WHERE x.id IS NULL",
        "organization": "SELECT count(*) FROM bench_plan p LEFT JOIN organizations_organization x ON x.id = p.org_id "
        "WHERE x.id IS NULL",
        "user": "SELECT count(*) FROM bench_plan p LEFT JOIN auth_user x ON x.id = p.user_id WHERE x.id IS NULL",
        "location": "SELECT count(*) FROM bench_plan p CROSS JOIN LATERAL unnest(ARRAY[p.store_id, p.transit_id, "
        "p.dest1, p.dest2, "
        "p.dest3]) AS loc(id) LEFT JOIN inventory_location x ON x.id = loc.id AND x.organization_id = p.org_id "
        "WHERE x.id IS NULL",
    }
    for label, sql in checks.items():
        missing = conn.execute(sql).fetchone()[0]
        if missing:
            raise RuntimeError(f"{missing} planned lots refer to a missing or foreign {label}")


# Measurements (in process, Django set up) -----------------------------------------------------


def setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "binakarya.settings"
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    import django

    django.setup()


def sample_skus(count: int, seed: int) -> list[tuple[str, int]]:
    """(SKU, organization id) of the variants of ``count`` random lots: SKUs with many lots come up more often."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT min(id), max(id) FROM production_lot")
        low, high = cursor.fetchone()
        if low is None:
            raise RuntimeError("no lots in the database")
        rng = random.Random(seed)
        ids = [rng.randint(low, high) for _ in range(count * 2)]
        cursor.execute(
            "SELECT l.id, v.sku, l.organization_id FROM production_lot l JOIN catalog_variant v ON v.id = l.variant_id "
            "WHERE l.id = ANY(%s)",
            [ids],
        )
        found = {row[0]: (row[1], row[2]) for row in cursor.fetchall()}
    picked = [found[i] for i in ids if i in found][:count]
    if not picked:
        raise RuntimeError("could not sample any SKU")
    return picked


def officer_ids() -> dict[int, int]:
    """Organization id -> the generated production officer's user id."""
    from binakarya.organizations.models import Membership

    return dict(
        Membership.objects.filter(user__username__startswith="gen-stock-", is_active=True).values_list(
            "organization_id", "user_id"
        )
    )


def measure_selector(skus: list[tuple[str, int]], officers: dict[int, int], warmup: int) -> dict:
    from django.contrib.auth import get_user_model

    from binakarya.inventory.selectors import stock_for_sku

    user_model = get_user_model()
    times, rows, empty = [], [], 0
    deadline = time.monotonic() + 300
    for i, (sku, org_id) in enumerate(skus[:warmup] + skus):
        if time.monotonic() > deadline:
            log("selector: stopped at the 300 s limit")
            break
        user = user_model.objects.get(pk=officers[org_id])  # a fresh user, as each request has (not timed)
        start = time.perf_counter()
        result = stock_for_sku(user=user, sku=sku)
        elapsed = (time.perf_counter() - start) * 1000
        if i >= min(warmup, len(skus)):
            times.append(elapsed)
            rows.append(len(result))
            empty += not result
    out = stats_ms(times)
    out.update({"rows_mean": statistics.fmean(rows) if rows else 0, "rows_max": max(rows, default=0), "empty": empty})
    return out


def create_tokens(org_ids: set[int], officers: dict[int, int]) -> tuple[dict[int, str], list[int]]:
    from django.contrib.auth import get_user_model

    from binakarya.accounts.services import api_token_create

    users = get_user_model().objects.in_bulk([officers[o] for o in org_ids])
    raw_by_org, token_ids = {}, []
    for org_id in sorted(org_ids):
        token, raw = api_token_create(user=users[officers[org_id]], name="bench_stock.py")
        raw_by_org[org_id] = raw
        token_ids.append(token.pk)
    return raw_by_org, token_ids


def delete_tokens(token_ids: list[int]) -> None:
    from binakarya.accounts.models import ApiToken

    ApiToken.objects.filter(pk__in=token_ids).delete()


def stock_path(sku: str) -> str:
    from urllib.parse import urlencode

    return "/api/v1/stock?" + urlencode({"sku": sku})


def measure_api_client(skus: list[tuple[str, int]], tokens: dict[int, str], warmup: int) -> dict:
    from django.test import Client as DjangoClient

    client = DjangoClient()
    times, errors, empty = [], 0, 0
    deadline = time.monotonic() + 300
    for i, (sku, org_id) in enumerate(skus[:warmup] + skus):
        if time.monotonic() > deadline:
            log("API (test Client): stopped at the 300 s limit")
            break
        start = time.perf_counter()
        response = client.get(stock_path(sku), HTTP_AUTHORIZATION=f"Bearer {tokens[org_id]}")
        body = response.content
        elapsed = (time.perf_counter() - start) * 1000
        if i >= min(warmup, len(skus)):
            times.append(elapsed)
            if response.status_code != 200:
                errors += 1
            elif not json.loads(body)["items"]:
                empty += 1
    out = stats_ms(times)
    out.update({"errors": errors, "empty": empty})
    return out


def measure_api_http(base_url: str, skus: list[tuple[str, int]], tokens: dict[int, str], warmup: int) -> dict:
    client = Client(base_url)
    times, errors, empty = [], 0, 0
    deadline = time.monotonic() + 300
    try:
        for i, (sku, org_id) in enumerate(skus[:warmup] + skus):
            if time.monotonic() > deadline:
                log("API (HTTP): stopped at the 300 s limit")
                break
            headers = HEADERS | {"Authorization": f"Bearer {tokens[org_id]}"}
            start = time.perf_counter()
            try:
                status, response_headers, body = client.get(stock_path(sku), headers)
            except OSError:
                status, response_headers, body = 0, {}, b""
            elapsed = (time.perf_counter() - start) * 1000
            if i >= min(warmup, len(skus)):
                times.append(elapsed)
                if status != 200:
                    errors += 1
                else:
                    if response_headers.get("content-encoding") == "gzip":
                        body = gzip.decompress(body)
                    if not json.loads(body)["items"]:
                        empty += 1
    finally:
        client.close()
    out = stats_ms(times)
    out.update({"errors": errors, "empty": empty})
    return out


def lot_cases(count: int, seed: int, officers: dict[int, int]) -> list[dict]:
    """Arguments for ``count`` lot_record calls, as the API would resolve them (fetched before timing)."""
    from binakarya.catalog.models import Variant
    from binakarya.inventory.models import Location
    from binakarya.makers.models import GroupMembership, Maker
    from binakarya.production.services import ContributionInput

    rng = random.Random(seed)
    variant_ids = list(
        Variant.objects.filter(organization_id__in=list(officers), is_active=True).values_list("pk", flat=True)
    )
    if not variant_ids:
        raise RuntimeError("no generated variants for lot_record")
    stores: dict[int, list[int]] = {}
    for loc_id, org_id in Location.objects.filter(kind="STORE", is_active=True).values_list("pk", "organization_id"):
        stores.setdefault(org_id, []).append(loc_id)
    cases = []
    for variant_id in rng.choices(variant_ids, k=count):
        variant = Variant.objects.select_related("product__producer", "organization").get(pk=variant_id)
        group = variant.product.producer.group
        if group is not None:
            pool = list(
                GroupMembership.objects.filter(group=group, left_date__isnull=True).values_list("maker_id", flat=True)
            )
        else:
            pool = list(Maker.objects.filter(organization_id=variant.organization_id).values_list("pk", flat=True))
        makers = rng.sample(sorted(pool), min(len(pool), rng.randint(1, 3)))
        produced = rng.randint(10, 80)
        cases.append(
            {
                "user_id": officers[variant.organization_id],
                "variant": variant,
                "group_id": group.pk if group is not None else None,
                "location_id": rng.choice(stores[variant.organization_id]),
                "quantity_produced": produced,
                "quantity_passed": produced - rng.randint(0, 2),
                "material_cost_idr": rng.randint(50_000, 2_000_000),
                "contributions": [ContributionInput(maker_id=m, share=rng.randint(1, 10)) for m in makers],
            }
        )
    return cases


def measure_lot_record(cases: list[dict], warmup: int) -> dict:
    from django.contrib.auth import get_user_model
    from django.db import connection

    from binakarya.inventory.models import Location
    from binakarya.makers.models import Group
    from binakarya.production.services import lot_record

    if not connection.get_autocommit():
        raise RuntimeError("lot_record must be measured outside a transaction")
    user_model = get_user_model()
    times = []
    deadline = time.monotonic() + 300
    for i, case in enumerate(cases[:warmup] + cases):
        if time.monotonic() > deadline:
            log("lot_record: stopped at the 300 s limit")
            break
        # What the API view has resolved before it calls the service (not timed).
        user = user_model.objects.get(pk=case["user_id"])
        group = Group.objects.select_related("organization").get(pk=case["group_id"]) if case["group_id"] else None
        location = Location.objects.select_related("organization", "outlet").get(pk=case["location_id"])
        start = time.perf_counter()
        lot_record(
            actor=user,
            variant=case["variant"],
            group=group,
            location=location,
            quantity_produced=case["quantity_produced"],
            quantity_passed=case["quantity_passed"],
            material_cost_idr=case["material_cost_idr"],
            contributions=case["contributions"],
        )
        elapsed = (time.perf_counter() - start) * 1000
        if i >= min(warmup, len(cases)):
            times.append(elapsed)
    return stats_ms(times)


RECONCILE_LINE = re.compile(r"Checked ([\d,]+) movements against ([\d,]+) balances in ([\d.]+) s")


def run_reconcile(env: dict[str, str]) -> dict:
    cmd = [project_python(), str(REPO / "manage.py"), "stock_reconcile"]
    start = time.perf_counter()
    try:
        result = subprocess.run(cmd, cwd=REPO, env=env, timeout=1800, capture_output=True, text=True)
    except subprocess.TimeoutExpired:
        return {"ok": False, "wall_s": float("nan"), "query_s": float("nan"), "error": "timed out after 1800 s"}
    wall = time.perf_counter() - start
    match = RECONCILE_LINE.search(result.stdout)
    out = {
        "ok": result.returncode == 0 and match is not None,
        "returncode": result.returncode,
        "wall_s": wall,
        "query_s": float(match.group(3)) if match else float("nan"),
        "movements": int(match.group(1).replace(",", "")) if match else None,
        "balances": int(match.group(2).replace(",", "")) if match else None,
        "differences": 0,
    }
    if result.returncode:
        diff = re.search(r"(\d+) difference", result.stdout)
        out["differences"] = int(diff.group(1)) if diff else None
        out["error"] = (result.stdout[-2000:] + result.stderr[-2000:]).strip()
    return out


# Report -------------------------------------------------------------------------------------


def render(results: dict) -> tuple[str, bool]:
    d, gen = results["dataset"], results["generation"]
    all_ok = True
    lines = [
        f"Measured {results['date']} on {results['machine']}; PostgreSQL {results['postgres']} "
        f"({results['postgres_settings']}); Python {results['python']}; database `{results['database']}`.",
    ]
    if d["movements"] < TARGET_MOVEMENTS:
        lines += [
            "",
            f"**Note:** {d['movements']:,} movements, fewer than the {TARGET_MOVEMENTS:,} the targets are "
            "set for; the verdicts below are for this smaller table.",
        ]
    busy = results["cpu_busy_before_pct"]
    if busy > 10:
        lines += [
            "",
            f"**Warning:** the machine was not idle before the measurements (CPU {busy:.0f} % busy with other "
            "work); it shared the CPU with PostgreSQL and this script, so the figures are pessimistic.",
        ]
    how = (
        f"generated in this run in {fmt(gen['seconds'], 0)} s"
        if gen["this_run"]
        else f"reused (generated {gen['generated_at']} in {fmt(gen['seconds'], 0)} s)"
    )
    lines += [
        "",
        "| Dataset | |",
        "|---|---:|",
        f"| stock movements | {d['movements']:,} |",
        f"| stock balances (above zero) | {d['balances']:,} ({d['balances_positive']:,}) |",
        f"| production lots (contributions) | {d['lots']:,} ({d['contributions']:,}) |",
        f"| variants (with lots) | {d['variants']:,} ({d['variants_with_lots']:,}) |",
        f"| locations / organizations | {d['locations']:,} / {d['organizations']:,} |",
        f"| stock data | {how} |",
        "",
        "Stock data bulk-loaded in SQL with triggers off for the loading session "
        "(`session_replication_role = replica`); balances built with one `INSERT … SELECT … SUM … GROUP BY`, "
        "then `VACUUM (ANALYZE)`. The stock_reconcile row below checks the result.",
        "",
        "| Measure | n | p50 | p95 | Target | Verdict |",
        "|---|---:|---:|---:|---|:---:|",
    ]

    def latency_row(label: str, row: dict | None, target: float, extra_ok: bool = True) -> None:
        nonlocal all_ok
        if row is None:
            return
        ok = row["p95_ms"] < target and extra_ok and row["count"] > 0
        all_ok &= ok
        lines.append(
            f"| {label} | {row['count']} | {fmt(row['p50_ms'])} ms | {fmt(row['p95_ms'])} ms | "
            f"p95 < {target:g} ms | {verdict(ok)} |"
        )

    sel = results["selector"]
    no_stock = f"; {sel['empty']} SKUs without stock" if sel["empty"] else ""
    latency_row(
        f"stock for one SKU: `stock_for_sku` selector, in process (rows per SKU: mean {fmt(sel['rows_mean'])}, "
        f"max {sel['rows_max']}{no_stock})",
        sel,
        SKU_P95_TARGET_MS,
    )
    api = results["api_client"]
    latency_row(
        f"`GET /api/v1/stock?sku=`, Django test Client in process (errors {api['errors']})",
        api,
        SKU_P95_TARGET_MS,
        api["errors"] == 0,
    )
    http = results.get("api_http")
    if http is not None:
        latency_row(
            f"`GET /api/v1/stock?sku=` over HTTP, {results['server']}, keep-alive (errors {http['errors']})",
            http,
            SKU_P95_TARGET_MS,
            http["errors"] == 0,
        )
    if results.get("api_http_error"):
        all_ok = False
        lines.append(
            f"| `GET /api/v1/stock?sku=` over HTTP: {results['api_http_error']} | – | – | – | – | **FAILED** |"
        )
    latency_row("`lot_record`, one committed transaction each", results["lot_record"], LOT_RECORD_TARGET_MS)
    for i, rec in enumerate(results["reconcile"], start=1):
        ok = rec["ok"] and rec["wall_s"] < RECONCILE_TARGET_S
        all_ok &= ok
        diffs = rec.get("differences")
        check = "no differences" if rec["ok"] else f"{'?' if diffs is None else diffs} differences / failed"
        label = "`manage.py stock_reconcile`" + (f" run {i}" if len(results["reconcile"]) > 1 else "")
        lines.append(
            f"| {label}: whole command {fmt(rec['wall_s'])} s (its query {fmt(rec['query_s'])} s), {check} | 1 | "
            f"{fmt(rec['wall_s'])} s | – | < {RECONCILE_TARGET_S:g} s, no differences | {verdict(ok)} |"
        )
    lines += [
        "",
        "SKUs are those of random lots (SKUs with many lots come up more often), each looked up by a production "
        "officer of its organization; the selector is timed with a freshly loaded user (its membership query "
        "included), the API with a bearer token. lot_record is judged on p95.",
    ]
    return "\n".join(lines), all_ok


# Main ---------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    stop_on_signals()
    try:
        import psycopg
    except ImportError:
        print("psycopg is missing: run this with the project's venv, `.venv/bin/python benchmarks/bench_stock.py`.")
        return 2

    db_url = database_url(args.pg_url, args.database)
    static_root = temp_static_root()
    media_root = REPO / "var" / "bench" / "stock-media"  # generate_dataset's placeholder photos
    media_root.mkdir(parents=True, exist_ok=True)
    env = server_env(db_url, static_root, media_root)
    token_ids: list[int] = []
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

        with psycopg.connect(db_url, connect_timeout=10) as conn:
            marker = read_marker(conn)
        catalog_ok = generated_product_count(db_url) == args.products
        stock_ok = (
            catalog_ok
            and not args.regenerate
            and marker is not None
            and marker["params"] == marker_params(args)
            and dataset_counts(db_url)["movements"] >= args.movements
        )
        generation = {"this_run": not stock_ok}
        if stock_ok:
            generation.update(seconds=marker["seconds"], generated_at=f"{marker['generated_at']:%Y-%m-%d %H:%M}")
            log(f"stock data present (generated {generation['generated_at']}); reusing it")
        else:
            with psycopg.connect(db_url, connect_timeout=10) as conn:
                guard_benchmark_database(conn)
            log("emptying the stock, lot, location and maker tables")
            reset_stock(db_url)
            if not catalog_ok:
                log(f"generating {args.products} products ...")
                manage(env, "generate_dataset", "--products", str(args.products), "--reset", timeout=3600)

        # A fresh ALLOWED_HOSTS for the in-process test Client.
        setup_django(env | {"ALLOWED_HOSTS": "127.0.0.1,testserver"})
        if not stock_ok:
            started = time.monotonic()
            create_fixtures(args.seed)
            fixtures_s = time.monotonic() - started
            seconds = load_stock(db_url, args) + fixtures_s
            generation.update(seconds=seconds, generated_at="this run")
            log(f"stock data generated in {seconds:.0f} s")

        if args.wait_idle > 0:
            wait_until_idle(args.wait_idle, log)
        results: dict = {
            "date": datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
            "machine": machine_description(),
            "python": platform.python_version(),
            "postgres": postgres_version(db_url),
            "postgres_settings": postgres_settings(db_url),
            "database": args.database,
            "params": marker_params(args),
            "generation": generation,
            "cpu_busy_before_pct": cpu_busy_percent(),
        }
        if results["cpu_busy_before_pct"] > 10:
            log(f"warning: CPU {results['cpu_busy_before_pct']:.0f} % busy with other work before measuring")

        officers = officer_ids()
        skus = sample_skus(args.samples, args.seed)
        log(f"stock_for_sku over {len(skus)} SKUs (+{min(args.warmup, len(skus))} warm-up)")
        results["selector"] = measure_selector(skus, officers, args.warmup)
        log(f"  p50 {results['selector']['p50_ms']:.2f} ms, p95 {results['selector']['p95_ms']:.2f} ms")

        tokens, token_ids = create_tokens({org for _sku, org in skus}, officers)
        log("GET /api/v1/stock through the Django test Client")
        results["api_client"] = measure_api_client(skus, tokens, args.warmup)
        log(f"  p50 {results['api_client']['p50_ms']:.2f} ms, p95 {results['api_client']['p95_ms']:.2f} ms")

        if not args.no_http:
            try:
                with Gunicorn(env) as server:
                    results["server"] = server.describe()
                    log(f"GET /api/v1/stock over HTTP: {server.describe()} on {server.base_url}")
                    results["api_http"] = measure_api_http(server.base_url, skus, tokens, args.warmup)
                log(f"  p50 {results['api_http']['p50_ms']:.2f} ms, p95 {results['api_http']['p95_ms']:.2f} ms")
            except RuntimeError as exc:  # gunicorn did not start: report it, measure the rest
                log(f"GET /api/v1/stock over HTTP: gunicorn failed: {exc}")
                results["api_http_error"] = str(exc).splitlines()[0]
        delete_tokens(token_ids)
        token_ids = []

        lot_warmup = min(10, args.warmup)
        log(f"lot_record x {args.lots} (+{lot_warmup} warm-up)")
        results["lot_record"] = measure_lot_record(lot_cases(args.lots, args.seed + 1, officers), lot_warmup)
        log(f"  p50 {results['lot_record']['p50_ms']:.2f} ms, p95 {results['lot_record']['p95_ms']:.2f} ms")

        from django.db import connections

        connections.close_all()
        results["reconcile"] = []
        for i in range(args.reconcile_runs):
            log(f"manage.py stock_reconcile (run {i + 1} of {args.reconcile_runs})")
            rec = run_reconcile(env)
            results["reconcile"].append(rec)
            log(f"  {rec['wall_s']:.1f} s wall, query {rec['query_s']:.1f} s, ok={rec['ok']}")
            if rec.get("error"):
                log(rec["error"])
        results["dataset"] = dataset_counts(db_url)
    except KeyboardInterrupt:
        log("interrupted")
        return 130
    except (RuntimeError, psycopg.Error) as exc:
        log(f"failed: {exc}")
        return 2
    finally:
        if token_ids:
            try:
                delete_tokens(token_ids)
            except Exception as exc:  # best effort on the way out
                log(f"could not delete the benchmark API tokens: {exc}")
        remove_tree(static_root)

    report, all_ok = render(results)
    return finish(report, all_ok, results, json_path=args.json, strict=args.strict, log=log)


if __name__ == "__main__":
    sys.exit(main())
