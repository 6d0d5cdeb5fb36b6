"""Five years of national data for the dashboards benchmark (issue 14): facilities, sales, premi, PNBP.

``generate(...)`` runs inside a configured Django (any database; PostgreSQL for the benchmark) and
writes, for ``facilities`` correctional facilities spread over the provinces (each with its Kanwil):

- per facility: a showroom, a store and a consignment location at its province's gallery; 2 to 4
  creative groups (a producer each, 2 to 4 products each from ``generate_dataset``'s catalog), 6 to 12
  makers per group with their memberships (a few leave and others join every year); a split rule from
  before the first sale, a second version for a third of the facilities half-way, a category rule for
  some; a payout policy; a PNBP target per year;
- per period of a year (365 days, the last one ending yesterday): the period's sales written as a CSV
  and posted by ``manage.py import_sales`` (the production bulk path: ``sale_plan``, ``sales_write``,
  ``entries_post`` with the COPY writer), after lots that hold exactly the period's demand were
  recorded at the start of the period (lot and contribution rows with ``bulk_create``, their PRODUCED
  movements through ``inventory.services.movements_write`` and the bulk writer);
- after the sales: each maker's premi paid out monthly (90 % of what they are owed, on the 5th of the
  next month) and each facility's PNBP deposited monthly (what the month's sales accrued, on the
  10th), written through ``ledger.journal.entries_post`` with the bulk writer (COPY on PostgreSQL),
  with their payout slips, payouts and deposits: the services ``premi_payout`` and
  ``pnbp_deposit_record`` only post at the present time, one at a time.

The number of sale rows is worked out from ``lines`` (journal lines in all): an estimate first, then
corrected after each period from the journal lines actually written, so the total lands within a few
per cent of it. Every organization slug starts with ``dash-``.
"""

from __future__ import annotations

import csv
import datetime
import io
import random
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PREFIX = "dash-"
LOCATION_WEIGHTS = {"showroom": 50, "store": 20, "outlet": 30}
LOCATION_CHANNELS = {
    "showroom": (("POS", 55), ("WEB", 15), ("WHATSAPP", 20), ("MARKETPLACE", 10)),
    "store": (("DIRECT", 100),),
    "outlet": (("OUTLET", 100),),
}
OUTLET_COMMISSION_BP = (1000, 1500, 2000)
MARKETPLACE_COMMISSION_BP = 500
# Sales per month relative to the average: Ramadan/Lebaran, August fairs, year-end bazaars.
MONTH_WEIGHTS = {1: 7, 2: 7, 3: 9, 4: 10, 5: 8, 6: 8, 7: 8, 8: 10, 9: 8, 10: 8, 11: 9, 12: 12}
# Journal lines one CSV row brings, before the first period measured it: its sale's (money, capital,
# remainder, 2-4 contributors' premi, deductions, commission) and its share of the payouts and deposits.
FIRST_LINES_PER_ROW = 8.5
BANK_TRANSFER_SHARE = 0.9  # payouts: savings (the rest to the family)

# Kanwil regions: province -> regencies and cities that have a Rutan, Lapas or LPKA (names reused with
# a number when a province has more facilities than names).
# fmt: off
PROVINCES: dict[str, tuple[int, list[str]]] = {
    "Aceh": (2, ["Banda Aceh", "Lhokseumawe", "Langsa", "Meulaboh", "Takengon", "Sigli", "Bireuen"]),
    "Sumatera Utara": (4, ["Medan", "Pematangsiantar", "Tebing Tinggi", "Binjai", "Sibolga", "Tanjung Balai", "Kabanjahe", "Rantau Prapat"]),
    "Sumatera Barat": (2, ["Padang", "Bukittinggi", "Payakumbuh", "Solok", "Pariaman", "Painan"]),
    "Riau": (2, ["Pekanbaru", "Dumai", "Bengkalis", "Bangkinang", "Rengat", "Tembilahan"]),
    "Kepulauan Riau": (1, ["Batam", "Tanjung Pinang", "Karimun"]),
    "Jambi": (1, ["Jambi", "Muara Bungo", "Kuala Tungkal", "Sarolangun"]),
    "Sumatera Selatan": (2, ["Palembang", "Lubuk Linggau", "Prabumulih", "Lahat", "Muara Enim", "Kayu Agung"]),
    "Bangka Belitung": (1, ["Pangkal Pinang", "Tanjung Pandan", "Sungailiat"]),
    "Bengkulu": (1, ["Bengkulu", "Curup", "Argamakmur"]),
    "Lampung": (2, ["Bandar Lampung", "Metro", "Kalianda", "Kotabumi", "Kota Agung"]),
    "Banten": (3, ["Serang", "Tangerang", "Cilegon", "Pandeglang", "Rangkasbitung"]),
    "DKI Jakarta": (3, ["Jakarta Pusat", "Jakarta Timur", "Jakarta Selatan", "Jakarta Utara", "Salemba", "Cipinang"]),
    "Jawa Barat": (6, ["Bandung", "Bogor", "Bekasi", "Cirebon", "Garut", "Tasikmalaya", "Sukabumi", "Cianjur", "Karawang", "Indramayu", "Subang", "Kuningan", "Sumedang", "Banjar"]),
    "Jawa Tengah": (6, ["Semarang", "Surakarta", "Pekalongan", "Cilacap", "Purbalingga", "Kudus", "Jepara", "Magelang", "Purworejo", "Pati", "Kendal", "Klaten", "Sragen", "Wonosobo", "Batang", "Tegal"]),
    "DI Yogyakarta": (2, ["Yogyakarta", "Bantul", "Sleman", "Wonosari", "Wates"]),
    "Jawa Timur": (6, ["Surabaya", "Sumenep", "Pamekasan", "Bondowoso", "Malang", "Banyuwangi", "Blitar", "Madiun", "Jember", "Ponorogo", "Tulungagung", "Kediri", "Lamongan", "Tuban", "Bojonegoro", "Mojokerto", "Pasuruan", "Probolinggo", "Sidoarjo"]),
    "Bali": (2, ["Denpasar", "Gianyar", "Karangasem", "Singaraja", "Tabanan", "Bangli"]),
    "Nusa Tenggara Barat": (2, ["Mataram", "Selong", "Praya", "Sumbawa Besar", "Bima", "Dompu"]),
    "Nusa Tenggara Timur": (2, ["Kupang", "Atambua", "Ende", "Maumere", "Waingapu", "Ruteng"]),
    "Kalimantan Barat": (2, ["Pontianak", "Singkawang", "Sanggau", "Ketapang", "Sintang"]),
    "Kalimantan Tengah": (1, ["Palangka Raya", "Sampit", "Pangkalan Bun", "Muara Teweh"]),
    "Kalimantan Selatan": (2, ["Banjarmasin", "Martapura", "Banjarbaru", "Kotabaru", "Barabai"]),
    "Kalimantan Timur": (2, ["Samarinda", "Balikpapan", "Tenggarong", "Bontang", "Tanah Grogot"]),
    "Kalimantan Utara": (1, ["Tarakan", "Tanjung Selor", "Nunukan"]),
    "Sulawesi Utara": (1, ["Manado", "Bitung", "Tondano", "Kotamobagu"]),
    "Gorontalo": (1, ["Gorontalo", "Limboto", "Marisa"]),
    "Sulawesi Tengah": (1, ["Palu", "Luwuk", "Poso", "Tolitoli"]),
    "Sulawesi Barat": (1, ["Mamuju", "Polewali", "Majene"]),
    "Sulawesi Selatan": (3, ["Makassar", "Parepare", "Palopo", "Watampone", "Bulukumba", "Sengkang", "Maros", "Sinjai"]),
    "Sulawesi Tenggara": (1, ["Kendari", "Baubau", "Raha", "Kolaka"]),
    "Maluku": (1, ["Ambon", "Tual", "Masohi", "Saumlaki"]),
    "Maluku Utara": (1, ["Ternate", "Tidore", "Tobelo"]),
    "Papua": (1, ["Jayapura", "Merauke", "Biak", "Nabire", "Wamena"]),
    "Papua Barat": (1, ["Manokwari", "Sorong", "Fakfak"]),
}
GIVEN_NAMES = [
    "Ahmad", "Budi", "Dedi", "Eko", "Fajar", "Hendra", "Irfan", "Joko", "Rudi", "Slamet", "Agus", "Bambang",
    "Sri", "Siti", "Dewi", "Rina", "Wati", "Yanti", "Nur", "Tri", "Andi", "Yusuf", "Rahmat", "Hadi", "Imam",
]
FAMILY_NAMES = [
    "Santoso", "Wijaya", "Saputra", "Hidayat", "Pratama", "Nugroho", "Kurniawan", "Setiawan", "Siregar",
    "Lubis", "Nasution", "Sitompul", "Harahap", "Wibowo", "Susanto", "Rahman", "Syahputra", "Gunawan",
]
# fmt: on
FACILITY_TYPES = (("LAPAS", 55), ("RUTAN", 38), ("LPKA", 7))
FACILITY_CLASSES = {"LAPAS": ("I", "IIA", "IIB", "III"), "RUTAN": ("I", "IIA", "IIB"), "LPKA": ("I", "II")}


@dataclass
class Sizes:
    lines: int = 10_000_000
    facilities: int = 500
    years: int = 5
    seed: int = 14
    lot_max: int = 5_000  # most units per lot; a period's demand of one SKU at one place above it makes more lots


@dataclass
class Place:
    location_id: int
    code: str
    key: str  # showroom, store, outlet


@dataclass
class FacilityPlan:
    org_id: int
    slug: str
    weight: float
    places: dict[str, Place]
    groups: list[int]  # group ids
    sellable: list[tuple[int, str, int, int]] = field(default_factory=list)  # (variant id, sku, price, group id)


@dataclass
class Generated:
    facilities: list[FacilityPlan]
    users: dict[str, str]  # role -> username
    phases: dict[str, float] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)


Log = Callable[[str], None]


def _noop(_message: str) -> None:
    pass


def _weighted(rng: random.Random, pairs: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([p[0] for p in pairs], [p[1] for p in pairs])[0]


def period_bounds(years: int, today: datetime.date) -> list[tuple[datetime.date, datetime.date]]:
    """``years`` consecutive periods of 365 days, the last ending yesterday: [start, end) each."""
    end = today
    periods = []
    for _ in range(years):
        start = end - datetime.timedelta(days=365)
        periods.append((start, end))
        end = start
    return list(reversed(periods))


# Organizations, people, catalog ----------------------------------------------------------------------


def _facility_rows(sizes: Sizes, rng: random.Random) -> list[tuple[str, str, str, str]]:
    """(province, regency, facility type, class) for each facility, provinces weighted."""
    provinces = list(PROVINCES)
    weights = [PROVINCES[p][0] for p in provinces]
    used: Counter = Counter()
    rows = []
    for _ in range(sizes.facilities):
        province = rng.choices(provinces, weights)[0]
        regencies = PROVINCES[province][1]
        regency = regencies[used[province] % len(regencies)]
        round_ = used[province] // len(regencies)
        used[province] += 1
        ftype = _weighted(rng, FACILITY_TYPES)
        fclass = rng.choice(FACILITY_CLASSES[ftype])
        rows.append((province, regency if not round_ else f"{regency} {round_ + 1}", ftype, fclass))
    return rows


def setup_organizations(sizes: Sizes, rng: random.Random, first_day: datetime.date, log: Log) -> Generated:
    """Facilities, Kanwil offices, galleries, Ditjenpas, users, groups, makers, products, locations, rules."""
    from django.contrib.auth import get_user_model
    from django.utils.text import slugify

    from binakarya.catalog.management.commands.generate_dataset import (
        CATEGORY_SLUGS,
        CATEGORY_WEIGHTS,
        GROUP_LABELS,
        NAME_WORDS,
        STORIES_FACILITY,
    )
    from binakarya.catalog.management.commands.generate_dataset import Command as DatasetCommand
    from binakarya.catalog.models import Producer, Variant
    from binakarya.inventory.models import Location
    from binakarya.ledger.models import PayoutPolicy, SplitRule
    from binakarya.ledger.services import split_rule_validate
    from binakarya.makers.models import Group, GroupMembership, Maker
    from binakarya.organizations.models import Membership, Organization, Role

    dataset = DatasetCommand()
    dataset.verbosity = 0
    categories = dataset.categories()
    # Photo rows name a placeholder per category; no file is written (the dashboards show no photo).
    photos = {
        slug: (f"photos/large/{PREFIX}{slug}.webp", f"photos/thumb/{PREFIX}{slug}.webp", 800, 800)
        for slug in categories
    }

    ditjenpas = Organization.objects.create(
        kind=Organization.Kind.AGENCY,
        name="Direktorat Jenderal Pemasyarakatan (bench)",
        slug=f"{PREFIX}ditjenpas",
        code="DJPB",
        province="DKI Jakarta",
        regency="Jakarta Selatan",
    )
    kanwil, galleries = {}, {}
    for i, province in enumerate(PROVINCES, start=1):
        kanwil[province] = Organization(
            kind=Organization.Kind.AGENCY,
            name=f"Kanwil Ditjenpas {province}",
            slug=f"{PREFIX}kanwil-{slugify(province)}",
            code=f"KW{i:02d}",
            province=province,
        )
        galleries[province] = Organization(
            kind=Organization.Kind.OUTLET,
            outlet_type=Organization.OutletType.GALLERY,
            name=f"Galeri Dekranasda {province}",
            slug=f"{PREFIX}galeri-{slugify(province)}",
            code=f"GL{i:02d}",
            province=province,
        )
    Organization.objects.bulk_create([*kanwil.values(), *galleries.values()])

    facilities = []
    for i, (province, regency, ftype, fclass) in enumerate(_facility_rows(sizes, rng), start=1):
        name = f"{Organization.FacilityType(ftype).label} Kelas {fclass} {regency}"
        facilities.append(
            Organization(
                kind=Organization.Kind.FACILITY,
                name=name,
                slug=f"{PREFIX}{i:04d}-{slugify(name)}"[:120],
                code=f"D{i:04d}",
                facility_type=ftype,
                facility_class=fclass,
                regency=regency,
                province=province,
                address=f"Jl. Pemasyarakatan No. {rng.randint(1, 120)}, {regency}",
            )
        )
    Organization.objects.bulk_create(facilities)
    log(f"  {len(facilities)} facilities in {len({f.province for f in facilities})} provinces")

    # Groups (a producer each) with their crafts.
    groups, crafts_of = [], []
    for f_index, facility in enumerate(facilities, start=1):
        pool = list(CATEGORY_SLUGS)
        chosen = []
        for _ in range(rng.choice((2, 3, 3, 4))):
            craft = rng.choices(pool, [CATEGORY_WEIGHTS[c] for c in pool])[0]
            pool.remove(craft)
            chosen.append(craft)
        for craft in chosen:
            name = f"{rng.choice(GROUP_LABELS[craft])} {rng.choice(NAME_WORDS)}"
            while any(g.organization is facility and g.name == name for g in groups[-4:]):
                name += " II"
            groups.append(
                Group(
                    organization=facility,
                    name=name,
                    slug=f"{PREFIX}f{f_index:04d}-{slugify(name)}"[:120],
                    public_story=rng.choice(STORIES_FACILITY),
                )
            )
            crafts_of.append(craft)
    Group.objects.bulk_create(groups)
    Through = Group.crafts.through
    Through.objects.bulk_create(
        Through(group_id=g.pk, category_id=categories[c].pk) for g, c in zip(groups, crafts_of, strict=True)
    )
    producers = [
        Producer(
            organization=g.organization,
            group=g,
            kind=Producer.Kind.FACILITY_GROUP,
            name=g.name,
            slug=g.slug,
            description=f"{g.name}, {g.organization.name}.",
            story=g.public_story,
            is_published=True,
        )
        for g in groups
    ]
    Producer.objects.bulk_create(producers)
    chosen_producers = [
        (p, [craft]) for p, craft in zip(producers, crafts_of, strict=True) for _ in range(rng.randint(2, 4))
    ]
    for start in range(0, len(chosen_producers), 2000):
        dataset.product_batch(rng, chosen_producers[start : start + 2000], categories, photos, first_seq=start + 1)
    log(f"  {len(groups)} groups, {len(chosen_producers)} products")

    # Makers: 6-12 per group, members from two months before the first sale.
    makers, memberships = [], []
    joined = first_day - datetime.timedelta(days=60)
    for g in groups:
        for _ in range(rng.randint(6, 12)):
            makers.append(_maker(rng, g.organization, joined))
            memberships.append((g, makers[-1]))
    Maker.objects.bulk_create(makers)
    GroupMembership.objects.bulk_create(
        GroupMembership(organization=g.organization, group=g, maker=m, joined_date=joined) for g, m in memberships
    )
    log(f"  {len(makers)} makers")

    # Locations: showroom, store, and the province gallery's consignment shelf.
    locations = []
    for f in facilities:
        locations += [
            Location(
                organization=f,
                code=f"{f.slug[:45]}-showroom",
                name=f"Showroom {f.name}"[:120],
                kind=Location.Kind.SHOWROOM,
            ),
            Location(
                organization=f, code=f"{f.slug[:45]}-store", name=f"Gudang {f.name}"[:120], kind=Location.Kind.STORE
            ),
            Location(
                organization=f,
                code=f"{f.slug[:45]}-outlet",
                name=f"{galleries[f.province].name}"[:120],
                kind=Location.Kind.OUTLET,
                outlet=galleries[f.province],
            ),
        ]
    Location.objects.bulk_create(locations)

    # Split rules: one from before the first sale; a new version half-way for a third; a category override for some.
    rules = []
    halfway = first_day + datetime.timedelta(days=365 * sizes.years // 2)
    for f in facilities:
        rules.append(_rule(rng, f, first_day - datetime.timedelta(days=30), None))
        if rng.random() < 0.33:
            rules.append(_rule(rng, f, halfway, None))
        if rng.random() < 0.2:
            rules.append(
                _rule(rng, f, first_day - datetime.timedelta(days=30), categories["batik-tulis"], per_unit=True)
            )
    for rule in rules:
        split_rule_validate(
            **{f.attname: getattr(rule, f.attname) for f in SplitRule._meta.concrete_fields if f.attname != "id"}
        )
    SplitRule.objects.bulk_create(rules)
    PayoutPolicy.objects.bulk_create(PayoutPolicy(organization=f) for f in facilities)

    # Users: a facility admin (of the busiest facility, chosen below), a Kanwil viewer, a national viewer.
    User = get_user_model()
    users = {}
    for username, role, org in (
        ("dash.nasional", Role.NATIONAL_VIEWER, ditjenpas),
        ("dash.admin", Role.FACILITY_ADMIN, facilities[0]),
        ("dash.kanwil", Role.REGIONAL_VIEWER, kanwil[facilities[0].province]),
    ):
        user = User.objects.create_user(username=username, password="binakarya-bench")
        Membership.objects.create(user=user, organization=org, role=role)
        users[role] = username

    by_org_locations: dict[int, dict[str, Place]] = defaultdict(dict)
    for loc in locations:
        key = loc.code.rsplit("-", 1)[1]
        by_org_locations[loc.organization_id][key] = Place(loc.pk, loc.code, key)
    groups_of: dict[int, list[int]] = defaultdict(list)
    for g in groups:
        groups_of[g.organization_id].append(g.pk)
    plans = {
        f.pk: FacilityPlan(f.pk, f.slug, rng.paretovariate(2.5), by_org_locations[f.pk], groups_of[f.pk])
        for f in facilities
    }
    plans[facilities[0].pk].weight = max(p.weight for p in plans.values()) * 1.2  # the admin's facility is the busiest
    for variant_id, sku, price, org_id, group_id in (
        Variant.objects.filter(
            organization__in=facilities,
            is_active=True,
            product__made_to_order=False,
            product__producer__group__isnull=False,
        )
        .order_by("pk")
        .values_list("pk", "sku", "price_idr", "organization_id", "product__producer__group_id")
    ):
        plans[org_id].sellable.append((variant_id, sku, price, group_id))
    return Generated(facilities=list(plans.values()), users=users)


def _maker(rng: random.Random, organization: Any, joined: datetime.date) -> Any:
    from binakarya.makers.models import Maker

    return Maker(
        organization=organization,
        kind=Maker.Kind.INMATE,
        full_name=f"{rng.choice(GIVEN_NAMES)} {rng.choice(FAMILY_NAMES)}",
        registration_number=f"B{rng.randint(1, 9)}.{rng.randint(1, 99_999_999):08d}",
        admission_date=joined - datetime.timedelta(days=rng.randint(30, 900)),
    )


def _rule(rng: random.Random, facility: Any, effective: datetime.date, category: Any, per_unit: bool = False) -> Any:
    from binakarya.ledger.models import SplitRule

    deductions = rng.random() < 0.3
    if per_unit:
        return SplitRule(
            organization=facility,
            category=category,
            effective_from=effective,
            basis="MARGIN",
            premi_mode="PER_UNIT",
            premi_per_unit_idr=rng.choice((10_000, 20_000, 25_000)),
            capital_bp=rng.choice((2000, 3000)),
            recover_material_cost=True,
            legal_reference=f"Addendum {facility.name}: premi per lembar (bench).",
        )
    premi = rng.choice((1500, 2500, 3500, 5000))
    return SplitRule(
        organization=facility,
        category=category,
        effective_from=effective,
        basis=rng.choice(("MARGIN", "REVENUE")),
        premi_mode="PERCENT",
        premi_bp=premi,
        capital_bp=rng.choice((1000, 1500, 2000, 3500)) if premi < 5000 else 3500,
        recover_material_cost=rng.random() < 0.6,
        restitution_bp=rng.choice((500, 1000)) if deductions else 0,
        victim_fund_bp=500 if deductions and rng.random() < 0.5 else 0,
        legal_reference=f"Keputusan Kepala {facility.name} tentang pembagian hasil kegiatan kerja (bench).",
    )


# One period: makers coming and going, lots, sales ----------------------------------------------------


def makers_turnover(gen: Generated, rng: random.Random, day: datetime.date) -> None:
    """At the start of a period, one or two members of each group leave and as many new makers join."""
    from binakarya.makers.models import GroupMembership, Maker

    group_ids = [g for f in gen.facilities for g in f.groups]
    open_ = defaultdict(list)
    for m in GroupMembership.objects.filter(group_id__in=group_ids, left_date__isnull=True).order_by("pk"):
        open_[m.group_id].append(m)
    leaving, new_makers, new_groups = [], [], []
    for group_id in group_ids:
        members = open_[group_id]
        for m in rng.sample(members, k=min(len(members) - 4, rng.randint(1, 2))) if len(members) > 5 else []:
            m.left_date = day - datetime.timedelta(days=1)
            leaving.append(m)
            new_makers.append(_maker(rng, _org_ref(m.organization_id), day))
            new_groups.append((group_id, m.organization_id))
    GroupMembership.objects.bulk_update(leaving, ["left_date"])
    Maker.objects.filter(pk__in=[m.maker_id for m in leaving]).update(status=Maker.Status.RELEASED)
    Maker.objects.bulk_create(new_makers)
    GroupMembership.objects.bulk_create(
        GroupMembership(organization_id=org_id, group_id=group_id, maker=maker, joined_date=day)
        for maker, (group_id, org_id) in zip(new_makers, new_groups, strict=True)
    )


def _org_ref(org_id: int) -> Any:
    from binakarya.organizations.models import Organization

    return Organization(pk=org_id)


def sales_rows(
    gen: Generated, rng: random.Random, rows_wanted: int, start: datetime.date, end: datetime.date
) -> tuple[list[list[Any]], Counter]:
    """About ``rows_wanted`` CSV rows of sales between ``start`` and ``end``, and the demand per (location, variant)."""
    import zoneinfo

    tz = zoneinfo.ZoneInfo("Asia/Jakarta")
    days = [start + datetime.timedelta(days=d) for d in range((end - start).days)]
    day_weights = [MONTH_WEIGHTS[d.month] * (1.3 if d.weekday() >= 5 else 1.0) for d in days]
    selling = [f for f in gen.facilities if f.sellable]
    total_weight = sum(f.weight for f in selling)
    rows: list[list[Any]] = []
    demand: Counter = Counter()
    sale_no = 0
    for f in selling:
        share = round(rows_wanted * f.weight / total_weight)
        keys = list(LOCATION_WEIGHTS)
        made = 0
        while made < share:
            key = rng.choices(keys, [LOCATION_WEIGHTS[k] for k in keys])[0]
            channel = _weighted(rng, LOCATION_CHANNELS[key])
            size = min(len(f.sellable), rng.choices((1, 2, 3), (65, 25, 10))[0])
            day = rng.choices(days, day_weights)[0]
            when = datetime.datetime.combine(day, datetime.time(rng.randint(8, 20), rng.randint(0, 59)), tz)
            sale_no += 1
            lines = [(v, rng.choices((1, 2, 3, 5), (70, 20, 7, 3))[0]) for v in rng.sample(f.sellable, size)]
            gross = sum(q * v[2] for v, q in lines)
            commission_bp = (
                rng.choice(OUTLET_COMMISSION_BP)
                if channel == "OUTLET"
                else (MARKETPLACE_COMMISSION_BP if channel == "MARKETPLACE" else 0)
            )
            commission = gross * commission_bp // 10_000
            place = f.places[key]
            for n, ((variant_id, sku, price, _group), quantity) in enumerate(lines):
                # The sale's commission goes on its first row (import_sales adds a sale's rows' commissions).
                rows.append(
                    [
                        place.code,
                        channel,
                        sku,
                        quantity,
                        price,
                        commission if n == 0 else 0,
                        f"S{sale_no}" if size > 1 else "",
                        when.isoformat(),
                    ]
                )
                demand[(place.location_id, variant_id)] += quantity
            made += size
    rows.sort(key=lambda r: r[7])
    return rows, demand


def lots_record(
    gen: Generated, rng: random.Random, demand: Counter, finished: datetime.date, lot_max: int
) -> dict[str, int]:
    """Lots finished on ``finished`` holding exactly ``demand`` at each place, made by the groups' members then.

    The rows lot_record writes (lot, contributions, the PRODUCED movement), written in bulk.
    """
    from binakarya.core.bulk import bulk_writer
    from binakarya.core.codes import random_code
    from binakarya.inventory.models import MovementKind
    from binakarya.inventory.services import MovementRow, movements_write
    from binakarya.makers.models import GroupMembership
    from binakarya.production.models import Contribution, Lot
    from binakarya.production.services import LOT_CODE_LENGTH, unit_cost

    variant_info = {v[0]: (v[2], v[3], f.org_id) for f in gen.facilities for v in f.sellable}
    members = defaultdict(list)
    for group_id, maker_id in (
        GroupMembership.objects.filter(
            group_id__in=sorted({info[1] for info in variant_info.values()}),
            joined_date__lte=finished,
            left_date__isnull=True,
        )
        .order_by("pk")
        .values_list("group_id", "maker_id")
    ):
        members[group_id].append(maker_id)
    codes = set(Lot.objects.values_list("code", flat=True)) if Lot.objects.exists() else set()
    lots, plans = [], []
    for (location_id, variant_id), need in sorted(demand.items()):
        price, group_id, org_id = variant_info[variant_id]
        while need > 0:
            size = min(need, lot_max)
            need -= size
            code = random_code(LOT_CODE_LENGTH)
            while code in codes:
                code = random_code(LOT_CODE_LENGTH)
            codes.add(code)
            material = price * size * rng.randint(20, 40) // 100
            lots.append(
                Lot(
                    organization_id=org_id,
                    code=code,
                    variant_id=variant_id,
                    group_id=group_id,
                    quantity_produced=size,
                    quantity_passed=size,
                    material_cost_idr=material,
                    unit_cost_idr=unit_cost(material, size),
                    started_date=finished - datetime.timedelta(days=rng.randint(7, 30)),
                    finished_date=finished,
                )
            )
            pool = members[group_id]
            plans.append((location_id, rng.sample(pool, k=min(len(pool), rng.randint(2, 4)))))
    Lot.objects.bulk_create(lots, batch_size=5000)
    Contribution.objects.bulk_create(
        (
            Contribution(organization_id=lot.organization_id, lot=lot, maker_id=maker_id, share=rng.randint(1, 5))
            for lot, (_loc, makers) in zip(lots, plans, strict=True)
            for maker_id in makers
        ),
        batch_size=10000,
    )
    movements_write(
        rows=[
            MovementRow(
                organization_id=lot.organization_id,
                variant_id=lot.variant_id,
                lot_id=lot.pk,
                location_id=loc,
                kind=MovementKind.PRODUCED,
                quantity=lot.quantity_passed,
                reason="",
                created_by_id=None,
                transfer_id=None,
                stock_count_id=None,
            )
            for lot, (loc, _makers) in zip(lots, plans, strict=True)
        ],
        writer=bulk_writer(),
        refresh=False,
        returning=False,
    )
    return {"lots": len(lots), "units": sum(lot.quantity_passed for lot in lots)}


def import_csv(rows: list[list[Any]], scratch: Path) -> float:
    """Post the rows through ``manage.py import_sales`` (in this process); the seconds it took."""
    from django.core.management import call_command

    path = scratch / "sales.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(
            ["location", "channel", "sku", "quantity", "unit_price_idr", "commission_idr", "sale_ref", "occurred_at"]
        )
        out.writerows(rows)
    started = time.perf_counter()
    call_command("import_sales", str(path), "--no-progress", "--batch", "20000", verbosity=0, stdout=io.StringIO())
    path.unlink()
    return time.perf_counter() - started


# Payouts, PNBP deposits, targets ----------------------------------------------------------------------


def _month_after(month: datetime.date, day: int) -> datetime.date:
    return (month.replace(day=28) + datetime.timedelta(days=5)).replace(day=day)


class Payer:
    """Monthly premi payouts (90 % of what each maker is owed, on the 5th of the next month) and PNBP
    deposits (what the month's sales accrued, on the 10th), for each month whose sales are all posted."""

    def __init__(self, gen: Generated, rng: random.Random, now: datetime.datetime) -> None:
        import zoneinfo

        from binakarya.documents.models import Document
        from binakarya.ledger.accounts import accounts_for, bank_key
        from binakarya.organizations.models import Organization

        self.gen, self.rng, self.now = gen, rng, now
        self.tz = zoneinfo.ZoneInfo("Asia/Jakarta")
        self.org_ids = [f.org_id for f in gen.facilities]
        self.orgs = {o.pk: o for o in Organization.objects.filter(pk__in=self.org_ids)}
        self.bank = {
            org_id: accounts_for(organization=self.orgs[org_id], keys=[bank_key()])[bank_key()]
            for org_id in self.org_ids
        }
        self.owed: Counter = Counter()  # premi account -> owed after the last payout
        self.codes: set[str] = set(Document.objects.values_list("verify_code", flat=True))
        self.counts: Counter = Counter()
        self.done_until: datetime.date | None = None  # first day of the first month not yet paid

    def pay(self, until: datetime.date) -> None:
        """Pay and deposit for every month that ends before ``until`` (not yet done)."""
        from django.db.models import Sum
        from django.db.models.functions import TruncMonth

        from binakarya.ledger.models import Account, JournalEntry, JournalLine

        last = until.replace(day=1)  # months before this one are complete
        first = self.done_until
        if first is not None and first >= last:
            return
        lines = JournalLine.objects.filter(
            organization_id__in=self.org_ids,
            entry__kind=JournalEntry.Kind.SALE,
            account__kind__in=[Account.Kind.PREMI_PAYABLE, Account.Kind.PNBP_PAYABLE],
            entry__occurred_at__lt=datetime.datetime.combine(last, datetime.time(), self.tz),
        )
        if first is not None:
            lines = lines.filter(entry__occurred_at__gte=datetime.datetime.combine(first, datetime.time(), self.tz))
        credited: dict[datetime.date, list[tuple[int, int, int | None, str, int]]] = defaultdict(list)
        for row in (
            lines.annotate(month=TruncMonth("entry__occurred_at", tzinfo=self.tz))
            .values("month", "organization_id", "account_id", "account__maker_id", "account__kind")
            .annotate(total=Sum("amount_idr"))
            .order_by("month", "account_id")
        ):
            month = row["month"].date() if isinstance(row["month"], datetime.datetime) else row["month"]
            credited[month].append(
                (
                    row["organization_id"],
                    row["account_id"],
                    row["account__maker_id"],
                    row["account__kind"],
                    -row["total"],
                )
            )
        for month in sorted(credited):
            self._month(month, credited[month])
        self.done_until = last

    def _month(self, month: datetime.date, credited: list[tuple[int, int, int | None, str, int]]) -> None:
        from binakarya.core.bulk import bulk_writer
        from binakarya.core.codes import random_code
        from binakarya.documents import numbers
        from binakarya.documents.models import Document
        from binakarya.documents.services import VERIFY_CODE_LENGTH
        from binakarya.ledger.journal import EntryDraft, Posting, entries_post
        from binakarya.ledger.models import Account, JournalEntry, Payout, PnbpDeposit

        writer = bulk_writer()
        payouts, deposits = [], []
        for org_id, account_id, maker_id, kind, amount in credited:
            if kind == Account.Kind.PREMI_PAYABLE:
                self.owed[account_id] += amount
                pay = self.owed[account_id] * 9 // 10 // 1000 * 1000
                if pay > 0:
                    payouts.append((org_id, account_id, maker_id, pay))
            elif amount > 0:
                deposits.append((org_id, account_id, amount))
        pay_day = datetime.datetime.combine(_month_after(month, 5), datetime.time(10, 0), self.tz)
        if pay_day < self.now and payouts:
            methods = ["SAVINGS" if self.rng.random() < BANK_TRANSFER_SHARE else "FAMILY" for _ in payouts]
            drafts = [
                EntryDraft(
                    organization_id=org_id,
                    kind=JournalEntry.Kind.PAYOUT,
                    occurred_at=pay_day,
                    memo=method,
                    postings=[
                        Posting(Account(pk=account_id, organization_id=org_id, kind=Account.Kind.PREMI_PAYABLE), pay),
                        Posting(self.bank[org_id], -pay),
                    ],
                )
                for (org_id, account_id, _maker, pay), method in zip(payouts, methods, strict=True)
            ]
            entry_ids = entries_post(drafts=drafts, writer=writer, now=self.now)
            per_org = Counter(p[0] for p in payouts)
            numbers_of = {
                org_id: iter(
                    numbers.numbers_take(organization_id=org_id, series=numbers.PAYOUT, year=pay_day.year, count=n)
                )
                for org_id, n in sorted(per_org.items())
            }
            documents = []
            for (org_id, _account, _maker, pay), method in zip(payouts, methods, strict=True):
                code = random_code(VERIFY_CODE_LENGTH)
                while code in self.codes:
                    code = random_code(VERIFY_CODE_LENGTH)
                self.codes.add(code)
                number = numbers.number_format(
                    series=numbers.PAYOUT,
                    organization_code=self.orgs[org_id].code,
                    year=pay_day.year,
                    value=next(numbers_of[org_id]),
                )
                title = f"Slip pembayaran premi {number}"
                documents.append(
                    (org_id, "PAYOUT_SLIP", number, code, title, {"total_idr": pay, "method": method}, None, pay_day)
                )
            doc_fields = (
                "organization_id", "kind", "number", "verify_code", "title", "public_figures", "issued_by_id", "issued_at"
            )  # fmt: skip
            doc_ids = writer.insert(Document, doc_fields, documents, ids=True)
            payout_fields = (
                "organization_id", "maker_id", "amount_idr", "method", "recipient_name", "recipient_relationship",
                "reference", "entry_id", "document_id", "paid_at",
            )  # fmt: skip
            writer.insert(
                Payout,
                payout_fields,
                [
                    (
                        org_id,
                        maker_id,
                        pay,
                        method,
                        "Keluarga" if method == "FAMILY" else "",
                        "Orang tua" if method == "FAMILY" else "",
                        "",
                        entry_id,
                        doc_id,
                        pay_day,
                    )  # fmt: skip
                    for (org_id, _a, maker_id, pay), method, entry_id, doc_id in zip(
                        payouts, methods, entry_ids, doc_ids, strict=True
                    )
                ],
            )
            for _org, account_id, _maker, pay in payouts:
                self.owed[account_id] -= pay
            self.counts["payouts"] += len(payouts)
        deposit_day = _month_after(month, 10)
        deposit_at = datetime.datetime.combine(deposit_day, datetime.time(9, 0), self.tz)
        if deposit_at < self.now and deposits:
            drafts = [
                EntryDraft(
                    organization_id=org_id,
                    kind=JournalEntry.Kind.PNBP_DEPOSIT,
                    occurred_at=deposit_at,
                    memo=f"NTPN BENCH{org_id:05d}{month:%Y%m}",
                    postings=[
                        Posting(Account(pk=account_id, organization_id=org_id, kind=Account.Kind.PNBP_PAYABLE), amount),
                        Posting(self.bank[org_id], -amount),
                    ],
                )
                for org_id, account_id, amount in deposits
            ]
            entry_ids = entries_post(drafts=drafts, writer=writer, now=self.now)
            writer.insert(
                PnbpDeposit,
                ("organization_id", "amount_idr", "billing_code", "ntpn", "deposited_date", "entry_id"),
                [
                    (
                        org_id,
                        amount,
                        f"8{org_id:06d}{month:%Y%m}",
                        f"BENCH{org_id:05d}{month:%Y%m}",
                        deposit_day,
                        entry_id,
                    )
                    for (org_id, _account, amount), entry_id in zip(deposits, entry_ids, strict=True)
                ],
            )
            self.counts["pnbp_deposits"] += len(deposits)


def pnbp_targets(gen: Generated, rng: random.Random) -> int:
    """A PNBP target per facility and year: last year's PNBP accrued, give or take 20 %, rounded to Rp1 juta."""
    import zoneinfo

    from django.db.models import Sum
    from django.db.models.functions import ExtractYear

    from binakarya.ledger.models import Account, JournalLine, PnbpTarget

    tz = zoneinfo.ZoneInfo("Asia/Jakarta")
    accrued = {
        (r["organization_id"], r["year"]): -r["total"]
        for r in JournalLine.objects.filter(
            organization_id__in=[f.org_id for f in gen.facilities],
            account__kind=Account.Kind.PNBP_PAYABLE,
            amount_idr__lt=0,
        )
        .annotate(year=ExtractYear("entry__occurred_at", tzinfo=tz))
        .values("organization_id", "year")
        .annotate(total=Sum("amount_idr"))
        .order_by()
    }
    targets = [
        PnbpTarget(
            organization_id=org_id,
            year=year,
            target_idr=max(1, int(total * rng.uniform(0.8, 1.2)) // 1_000_000) * 1_000_000,
        )
        for (org_id, year), total in sorted(accrued.items())
    ]
    PnbpTarget.objects.bulk_create(targets)
    return len(targets)


# The whole dataset --------------------------------------------------------------------------------


def journal_line_count() -> int:
    from binakarya.ledger.models import JournalLine

    return JournalLine.objects.count()


def _lap(gen: Generated, phase: str, since: float) -> None:
    gen.phases[phase] = gen.phases.get(phase, 0.0) + time.perf_counter() - since


def generate(sizes: Sizes, *, log: Log = _noop, today: datetime.date | None = None) -> Generated:
    """Write the dataset (see the module's docstring); phases timed in ``Generated.phases``."""
    from django.db import connection, transaction
    from django.utils import timezone

    rng = random.Random(sizes.seed)
    today = today or timezone.localdate()
    now = timezone.now()
    periods = period_bounds(sizes.years, today)
    t = time.perf_counter()
    with transaction.atomic():
        gen = setup_organizations(sizes, rng, periods[0][0], log)
    gen.phases["organizations, catalog, makers, rules"] = time.perf_counter() - t
    with transaction.atomic():
        payer = Payer(gen, rng, now)
    per_row = FIRST_LINES_PER_ROW
    base = journal_line_count()
    scratch = Path(tempfile.mkdtemp(prefix="binakarya-bench-dash-"))
    try:
        for n, (start, end) in enumerate(periods):
            left = sizes.lines - (journal_line_count() - base)
            rows_wanted = max(1, round(left / (len(periods) - n) / per_row))
            t = time.perf_counter()
            with transaction.atomic():
                if n:
                    makers_turnover(gen, rng, start)
                rows, demand = sales_rows(gen, rng, rows_wanted, start, end)
                lots = lots_record(gen, rng, demand, start, sizes.lot_max)
            _lap(gen, "lots", t)
            before = journal_line_count()
            seconds = import_csv(rows, scratch)
            gen.phases["import_sales"] = gen.phases.get("import_sales", 0.0) + seconds
            t = time.perf_counter()
            last = n == len(periods) - 1
            with transaction.atomic():
                # The months complete by the period's end; after the last period every month paid by now.
                payer.pay(today + datetime.timedelta(days=62) if last else end)
            _lap(gen, "payouts and PNBP deposits", t)
            written = journal_line_count() - before
            per_row = written / len(rows)
            gen.counts["csv_rows"] = gen.counts.get("csv_rows", 0) + len(rows)
            gen.counts["lots"] = gen.counts.get("lots", 0) + lots["lots"]
            log(
                f"  period {start} – {end - datetime.timedelta(days=1)}: {len(rows):,} sale rows, {lots['lots']:,} lots, "
                f"import_sales {seconds:.1f} s; {written:,} journal lines with the payouts ({per_row:.2f} a row)"
            )
    finally:
        for leftover in scratch.iterdir():
            leftover.unlink()
        scratch.rmdir()
    gen.counts.update(payer.counts)
    log(f"  {payer.counts['payouts']:,} payouts, {payer.counts['pnbp_deposits']:,} PNBP deposits")
    t = time.perf_counter()
    with transaction.atomic():
        gen.counts["pnbp_targets"] = pnbp_targets(gen, rng)
    _lap(gen, "PNBP targets", t)
    if connection.vendor == "postgresql":
        t = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        gen.phases["analyze"] = time.perf_counter() - t
    gen.counts["journal_lines"] = journal_line_count()
    return gen
