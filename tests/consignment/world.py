"""A consignment world (tests/consignment): Rutan Sumenep, its Kelompok Rajutan and makers, lots of pecut and
rajutan at its store, the 50/35/15 margin rule, and the outlet "Hotel Bintang Sumenep" with its partner.

Another outlet (Gerai Dekranasda Sumenep) with its own partner, and another facility (Lapas Bondowoso) with
its own staff, are there to prove that neither sees anything of the agreement.
"""

import datetime
from typing import Any

from binakarya.inventory.models import Location
from binakarya.inventory.services import location_create
from binakarya.ledger.services import split_rule_create
from binakarya.organizations.models import Organization, Role
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
    make_lot,
)

MAKER_NAMES = ["Ahmad Rahasiawan", "Slamet Tersembunyi"]


def consignment_world() -> dict[str, Any]:
    facility = OrganizationFactory(name="Rutan Kelas IIB Sumenep", slug="rutan-sumenep", code="SMP")
    group = GroupFactory(organization=facility, name="Kelompok Rajutan")
    producer = ProducerFactory(group=group, name="Kelompok Rajutan", slug="kelompok-rajutan-sumenep")
    makers = [
        GroupMembershipFactory(
            group=group,
            maker=MakerFactory(organization=facility, full_name=name),
            joined_date=datetime.date(2025, 2, 1),
        ).maker
        for name in MAKER_NAMES
    ]
    whip = VariantFactory(
        product=ProductFactory(producer=producer, name="Pecut Sapi", slug="pecut-sapi", variants=[]),
        sku="SMP-PCT-001",
        price_idr=75_000,
    )
    bag = VariantFactory(
        product=ProductFactory(producer=producer, name="Tas Rajut", slug="tas-rajut", variants=[]),
        sku="SMP-RJT-001",
        price_idr=120_000,
    )
    store = location_create(actor=None, organization=facility, name="Gudang", kind=Location.Kind.STORE)
    whip_lot = make_lot(variant=whip, group=group, location=store, quantity=10, cost=200_000, makers=[makers[0]])
    bag_lot = make_lot(variant=bag, group=group, location=store, quantity=6, cost=300_000, makers=[makers[1]])
    split_rule_create(
        actor=None,
        organization=facility,
        effective_from=datetime.date(2024, 1, 1),
        basis="MARGIN",
        premi_mode="PERCENT",
        premi_bp=5000,
        capital_bp=3500,
        legal_reference="SK Kepala Rutan tentang pembagian hasil usaha kegiatan kerja",
    )
    admin = UserFactory(username="admin-smp", first_name="Ani")
    MembershipFactory(user=admin, organization=facility, role=Role.FACILITY_ADMIN)
    finance = UserFactory(username="keuangan-smp")
    MembershipFactory(user=finance, organization=facility, role=Role.FINANCE_OFFICER)

    hotel = OrganizationFactory(
        kind=Organization.Kind.OUTLET, name="Hotel Bintang Sumenep", slug="hotel-bintang-sumenep", code="HBS"
    )
    partner = UserFactory(username="mitra-hotel", first_name="Rina")
    MembershipFactory(user=partner, organization=hotel, role=Role.OUTLET_PARTNER)

    gerai = OrganizationFactory(
        kind=Organization.Kind.OUTLET, name="Gerai Dekranasda Sumenep", slug="gerai-dekranasda", code="GDS"
    )
    other_partner = UserFactory(username="mitra-gerai")
    MembershipFactory(user=other_partner, organization=gerai, role=Role.OUTLET_PARTNER)

    other_facility = OrganizationFactory(name="Lapas Kelas IIA Bondowoso", slug="lapas-bondowoso", code="BDW")
    stranger = UserFactory(username="orang-lain")
    MembershipFactory(user=stranger, organization=other_facility, role=Role.FACILITY_ADMIN)
    return {
        "facility": facility,
        "group": group,
        "makers": makers,
        "whip": whip,
        "bag": bag,
        "store": store,
        "whip_lot": whip_lot,
        "bag_lot": bag_lot,
        "admin": admin,
        "finance": finance,
        "hotel": hotel,
        "partner": partner,
        "gerai": gerai,
        "other_partner": other_partner,
        "other_facility": other_facility,
        "stranger": stranger,
    }
