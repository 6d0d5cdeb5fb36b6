"""A bazaar for the point of sale tests (tests/pos and tests/browser/test_pos.py).

Rutan Sumenep's Kelompok Batik Tulis: two batik lots by different makers and a lot of whips, made at the
store and sent to the event location "Bazar Hari Bakti Pemasyarakatan" with a surat jalan; the 50/35/15
margin rule; a finance officer (the cashier) and a facility admin.
"""

import datetime
from typing import Any

from binakarya.inventory.models import Location
from binakarya.inventory.services import location_create, transfer_receive, transfer_send
from binakarya.ledger.services import split_rule_create
from binakarya.organizations.models import Role
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

PASSWORD = "pass-word-123"  # tests.factories.UserFactory's password
MAKER_NAMES = ["Ahmad Rahasiawan", "Slamet Tersembunyi", "Joko Samaran"]


def bazaar_world() -> dict[str, Any]:
    facility = OrganizationFactory(name="Rutan Kelas IIB Sumenep", slug="rutan-sumenep", code="SMP")
    group = GroupFactory(organization=facility, name="Kelompok Batik Tulis")
    producer = ProducerFactory(group=group, name="Kelompok Batik Tulis", slug="kelompok-batik-tulis-sumenep")
    makers = [
        GroupMembershipFactory(
            group=group,
            maker=MakerFactory(organization=facility, full_name=name),
            joined_date=datetime.date(2025, 2, 1),
        ).maker
        for name in MAKER_NAMES
    ]
    batik = VariantFactory(
        product=ProductFactory(producer=producer, name="Kain Batik Sekar Jagad", slug="kain-batik", variants=[]),
        sku="SMP-BTK-001",
        price_idr=450_000,
    )
    whip = VariantFactory(
        product=ProductFactory(producer=producer, name="Pecut Sapi", slug="pecut-sapi", variants=[]),
        sku="SMP-PCT-001",
        price_idr=75_000,
    )
    store = location_create(actor=None, organization=facility, name="Gudang", kind=Location.Kind.STORE)
    event = location_create(
        actor=None, organization=facility, name="Bazar Hari Bakti Pemasyarakatan", kind=Location.Kind.EVENT
    )
    # The older batik lot by Ahmad alone, the newer by Slamet alone: first in, first out would take Ahmad's.
    old_lot = make_lot(
        variant=batik,
        group=group,
        location=store,
        quantity=3,
        cost=450_000,
        makers=[makers[0]],
        finished=datetime.date(2025, 3, 1),
    )
    new_lot = make_lot(
        variant=batik,
        group=group,
        location=store,
        quantity=3,
        cost=450_000,
        makers=[makers[1]],
        finished=datetime.date(2025, 6, 1),
    )
    whip_lot = make_lot(
        variant=whip,
        group=group,
        location=store,
        quantity=5,
        cost=150_000,
        makers=[makers[2]],
        finished=datetime.date(2025, 6, 1),
    )
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
    cashier = UserFactory(username="kasir", first_name="Fitri")
    MembershipFactory(user=cashier, organization=facility, role=Role.FINANCE_OFFICER)
    admin = UserFactory(username="admin-smp", first_name="Ani")
    MembershipFactory(user=admin, organization=facility, role=Role.FACILITY_ADMIN)
    transfer = transfer_send(
        actor=admin, from_location=store, to_location=event, lines=[(batik, 6), (whip, 5)], note="Bazar"
    )
    transfer_receive(actor=admin, transfer=transfer)
    return {
        "facility": facility,
        "group": group,
        "makers": makers,
        "batik": batik,
        "whip": whip,
        "store": store,
        "event": event,
        "old_lot": old_lot,
        "new_lot": new_lot,
        "whip_lot": whip_lot,
        "cashier": cashier,
        "admin": admin,
        "transfer": transfer,
    }
