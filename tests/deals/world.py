"""A deals world (tests/deals): Lapas Purbalingga sells bamboo trash bins and dustpans made by its Kelompok
Bambu (two recent lots: 20 bins over 10 days, 10 dustpans), with Rp1.000.000 in the group's capital fund.
Another facility (Rutan Sumenep) with its own staff proves that nobody sees another seller's deals."""

import datetime
from typing import Any

from binakarya.catalog.services import product_refresh
from binakarya.inventory.models import Location
from binakarya.inventory.services import location_create
from binakarya.ledger.services import capital_grant, split_rule_create
from binakarya.organizations.models import Organization, Role
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

MAKER_NAMES = ["Bambang Rahasiawan", "Joko Tersembunyi"]


def deals_world(today: datetime.date) -> dict[str, Any]:
    facility = OrganizationFactory(
        name="Lapas Kelas IIB Purbalingga", slug="lapas-purbalingga", code="PBG", regency="Purbalingga"
    )
    group = GroupFactory(organization=facility, name="Kelompok Bambu")
    producer = ProducerFactory(group=group, name="Kelompok Bambu", slug="kelompok-bambu")
    makers = [
        GroupMembershipFactory(
            group=group,
            maker=MakerFactory(organization=facility, full_name=name),
            joined_date=datetime.date(2025, 2, 1),
        ).maker
        for name in MAKER_NAMES
    ]
    bin_ = VariantFactory(
        product=ProductFactory(
            producer=producer, name="Tempat Sampah Bambu", slug="tempat-sampah", variants=[], photos=1
        ),
        sku="PBG-TSB-001",
        price_idr=150_000,
    )
    dustpan = VariantFactory(
        product=ProductFactory(producer=producer, name="Pengki Bambu", slug="pengki", variants=[], photos=1),
        sku="PBG-PKI-001",
        price_idr=35_000,
    )
    for variant in (bin_, dustpan):
        product_refresh(product=variant.product)
    store = location_create(actor=None, organization=facility, name="Gudang", kind=Location.Kind.STORE)

    def lot(variant, quantity, cost, start, finish):
        return lot_record(
            actor=None,
            variant=variant,
            group=group,
            location=store,
            quantity_produced=quantity,
            quantity_passed=quantity,
            material_cost_idr=cost,
            contributions=[ContributionInput(maker_id=m.pk, share=1) for m in makers],
            started_date=start,
            finished_date=finish,
        )

    # 30 units over 20 days (from 30 to 11 days ago): 1.5 a day. Bins cost Rp60.000 of material each.
    lot(bin_, 20, 1_200_000, today - datetime.timedelta(days=30), today - datetime.timedelta(days=21))
    lot(dustpan, 10, 150_000, today - datetime.timedelta(days=20), today - datetime.timedelta(days=11))
    split_rule_create(
        actor=None,
        organization=facility,
        effective_from=datetime.date(2024, 1, 1),
        basis="MARGIN",
        premi_mode="PERCENT",
        premi_bp=5000,
        capital_bp=3500,
        legal_reference="SK Kalapas tentang pembagian hasil usaha kegiatan kerja",
    )
    admin = UserFactory(username="admin-pbg", first_name="Ani")
    MembershipFactory(user=admin, organization=facility, role=Role.FACILITY_ADMIN)
    capital_grant(actor=admin, organization=facility, group=group, amount_idr=1_000_000, agency=None)

    other = OrganizationFactory(name="Rutan Kelas IIB Sumenep", slug="rutan-sumenep", code="SMP")
    other_admin = UserFactory(username="admin-smp")
    MembershipFactory(user=other_admin, organization=other, role=Role.FACILITY_ADMIN)
    buyer = UserFactory(username="pembeli-dlh")
    return {
        "facility": facility,
        "group": group,
        "makers": makers,
        "bin": bin_,
        "dustpan": dustpan,
        "store": store,
        "admin": admin,
        "other": other,
        "other_admin": other_admin,
        "buyer": buyer,
        "outlet_kind": Organization.Kind.OUTLET,
    }
