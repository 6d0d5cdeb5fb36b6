"""An export world (tests/exports): Rutan Kelas IIB Sumenep sells whips (pecut, HS 6602.00) made by its Kelompok
Pecut and kites (layang-layang, HS 9503.00) with export data and English names, at a USD rate of Rp16.250 and a
yen rate of Rp108,45. Its makers have names that must never reach a buyer. Another facility (Lapas Bondowoso)
has its own staff and an exportable product, to prove that nobody sees another seller's inquiries."""

import datetime
from decimal import Decimal
from typing import Any

from binakarya.catalog.export_services import ExportInput, exchange_rate_create, product_export_save
from binakarya.catalog.services import product_refresh
from binakarya.inventory.models import Location
from binakarya.inventory.services import location_create
from binakarya.ledger.services import split_rule_create
from binakarya.organizations.models import Role
from binakarya.production.services import ContributionInput, lot_record
from tests.factories import (
    GroupFactory,
    GroupMembershipFactory,
    MakerFactory,
    MembershipFactory,
    OrganizationFactory,
    ProducerFactory,
    ProductFactory,
    UserFactory,
    VariantFactory,
)

MAKER_NAMES = ["Slamet Tersembunyi", "Sumarni Rahasia"]


def _product(producer, *, name, name_en, slug, sku, price, export):
    variant = VariantFactory(
        product=ProductFactory(producer=producer, name=name, slug=slug, variants=[], photos=1),
        sku=sku,
        price_idr=price,
    )
    product_refresh(product=variant.product)
    product_export_save(actor=None, product=variant.product, data=ExportInput(**export), english={"name_en": name_en})
    variant.product.refresh_from_db()
    return variant


def exports_world(today: datetime.date) -> dict[str, Any]:
    facility = OrganizationFactory(
        name="Rutan Kelas IIB Sumenep",
        slug="rutan-sumenep",
        code="SMP",
        regency="Sumenep",
        province="Jawa Timur",
        address="Jl. Urip Sumoharjo No. 7",
    )
    group = GroupFactory(organization=facility, name="Kelompok Pecut")
    producer = ProducerFactory(group=group, name="Kelompok Pecut", slug="kelompok-pecut")
    makers = [
        GroupMembershipFactory(
            group=group,
            maker=MakerFactory(organization=facility, full_name=name),
            joined_date=datetime.date(2025, 2, 1),
        ).maker
        for name in MAKER_NAMES
    ]
    whip = _product(
        producer,
        name="Pecut Sapi Sumenep",
        name_en="Sumenep cattle whip",
        slug="pecut-sapi",
        sku="SMP-PCT-001",
        price=125_000,
        export={
            "hs_code": "6602.00",
            "net_weight_grams": 400,
            "gross_weight_grams": 550,
            "package_length_mm": 1200,
            "package_width_mm": 100,
            "package_height_mm": 80,
            "moq": 50,
            "lead_time_days": 30,
        },
    )
    kite = _product(
        producer,
        name="Layang-layang Naga",
        name_en="Dragon kite",
        slug="layang-naga",
        sku="SMP-LYG-001",
        price=80_000,
        export={
            "hs_code": "9503.00",
            "net_weight_grams": 250,
            "gross_weight_grams": 400,
            "package_length_mm": 800,
            "package_width_mm": 600,
            "package_height_mm": 50,
            "moq": 20,
            "lead_time_days": 21,
        },
    )
    # A product without export data: not offered for export.
    plain = VariantFactory(
        product=ProductFactory(producer=producer, name="Tas Rajut", slug="tas-rajut", variants=[], photos=1),
        sku="SMP-RJT-001",
        price_idr=90_000,
    )
    product_refresh(product=plain.product)
    first = today.replace(day=1)
    usd = exchange_rate_create(
        actor=None, organization=facility, currency="USD", idr_per_unit=Decimal("16250"), effective_date=first
    )
    jpy = exchange_rate_create(
        actor=None, organization=facility, currency="JPY", idr_per_unit=Decimal("108.45"), effective_date=first
    )
    admin = UserFactory(username="admin-smp", first_name="Ani")
    MembershipFactory(user=admin, organization=facility, role=Role.FACILITY_ADMIN)

    other = OrganizationFactory(name="Lapas Kelas IIA Bondowoso", slug="lapas-bondowoso", code="BDW")
    other_group = GroupFactory(organization=other, name="Kelompok Batik")
    other_producer = ProducerFactory(group=other_group, name="Kelompok Batik", slug="kelompok-batik")
    batik = _product(
        other_producer,
        name="Kain Batik Tamanan",
        name_en="Tamanan batik cloth",
        slug="batik-tamanan",
        sku="BDW-BTK-001",
        price=350_000,
        export={
            "hs_code": "5208.52",
            "net_weight_grams": 300,
            "gross_weight_grams": 350,
            "package_length_mm": 300,
            "package_width_mm": 250,
            "package_height_mm": 20,
            "moq": 10,
        },
    )
    other_admin = UserFactory(username="admin-bdw")
    MembershipFactory(user=other_admin, organization=other, role=Role.FACILITY_ADMIN)
    return {
        "facility": facility,
        "group": group,
        "makers": makers,
        "whip": whip,
        "kite": kite,
        "plain": plain,
        "usd": usd,
        "jpy": jpy,
        "admin": admin,
        "other": other,
        "batik": batik,
        "other_admin": other_admin,
    }


def stock_up(world: dict[str, Any], today: datetime.date, *, whips: int = 100, kites: int = 40) -> dict[str, Any]:
    """Give the export world what a sale needs: a store (Gudang Rutan) holding a lot of whips and a lot of kites
    made by both makers of Kelompok Pecut, and a split rule (50% of the margin as premi, 35% to capital)."""
    facility, group, makers = world["facility"], world["group"], world["makers"]
    store = location_create(actor=None, organization=facility, name="Gudang Rutan", kind=Location.Kind.STORE)
    lots = {}
    for key, quantity, cost in (("whip", whips, 40_000), ("kite", kites, 25_000)):
        if quantity:
            lots[key] = lot_record(
                actor=None,
                variant=world[key],
                group=group,
                location=store,
                quantity_produced=quantity,
                quantity_passed=quantity,
                material_cost_idr=cost * quantity,
                contributions=[ContributionInput(maker_id=m.pk, share=1) for m in makers],
                started_date=today - datetime.timedelta(days=30),
                finished_date=today - datetime.timedelta(days=10),
            )
    split_rule_create(
        actor=None,
        organization=facility,
        effective_from=datetime.date(2024, 1, 1),
        basis="MARGIN",
        premi_mode="PERCENT",
        premi_bp=5000,
        capital_bp=3500,
        legal_reference="SK Karutan tentang pembagian hasil usaha kegiatan kerja",
    )
    other_store = location_create(
        actor=None, organization=world["other"], name="Gudang Bondowoso", kind=Location.Kind.STORE
    )
    return {"store": store, "lots": lots, "other_store": other_store}
