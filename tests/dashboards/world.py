"""A demo-like facility month for the reports (tests/dashboards, tests/api, tests/backoffice, tests/browser).

Rutan Kelas IIB Sumenep (Jawa Timur) with two groups of makers (pecut, rajutan), a store, a showroom and a
shelf at the Disperindag gallery; everything recorded through the services, on a clock that moves through
2026 (``Clock``):

- January: the whip lot (20 whips at Rp150.000, finished 5 January) and a sale of 2 whips at the till;
- February: the first knitting lot (12 cats at Rp75.000, finished 20 February), sent to the gallery's shelf;
- March, the month reported: a grant of Rp1.000.000 to the whip group (2nd), a second knitting lot (6 made, 5
  passed, finished 8th), 3 whips at the till (5th), 2 cats sold at the gallery with 20 % commission (10th),
  4 whips bought by DLH (12th), one whip of the till sale returned (15th), premi paid out to a maker (18th),
  the PNBP target for 2026 and a deposit (19th); the report is made on 20 March.

A second facility (Lapas Kelas IIA Dirgantara, Jawa Timur) sells once in March; a third (Rutan Purbalingga,
Jawa Tengah) once too. Their staff, and the viewers of Jawa Timur and of the country, are users here.
"""

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from binakarya.catalog.models import ProcurementListing
from binakarya.catalog.services import product_refresh
from binakarya.inventory.models import Location
from binakarya.inventory.services import location_create, transfer_receive, transfer_send
from binakarya.ledger.selectors import maker_premi_owed
from binakarya.ledger.services import (
    capital_grant,
    pnbp_deposit_record,
    pnbp_target_set,
    premi_payout,
    split_rule_create,
)
from binakarya.organizations.models import Organization, Role
from binakarya.sales.models import Channel
from binakarya.sales.services import SaleLineInput, sale_record, sale_reverse
from tests.factories import (
    CategoryFactory,
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

MAKER_NAMES = ["Slamet Rahasiawan", "Bambang Tersembunyi", "Joko Samaran", "Dewi Anonimawati"]
REGISTRATION = "B.I-777/2025/SMP"
RULE_TEXT = "SK Karutan Sumenep tentang pembagian hasil kegiatan kerja"


class Clock:
    """``django.utils.timezone.now`` held at a moment in Asia/Jakarta, moved by :meth:`at`."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.moment = timezone.now()
        monkeypatch.setattr(timezone, "now", lambda: self.moment)

    def at(self, month: int, day: int, hour: int = 10) -> datetime.datetime:
        self.moment = timezone.make_aware(datetime.datetime(2026, month, day, hour))
        return self.moment


@dataclass
class Month:
    """What the services returned while the world was made, for the tests to compare with."""

    sales: list[Any]  # the March sales: till, gallery, DLH
    january_sale: Any
    sale_return: Any
    payout: Any
    deposit: Any


def staff(organization: Organization, username: str, role: str) -> Any:
    user = UserFactory(username=username)
    MembershipFactory(user=user, organization=organization, role=role)
    return user


def sumenep_month(clock: Clock) -> dict[str, Any]:
    clock.at(1, 2)
    facility = OrganizationFactory(
        name="Rutan Kelas IIB Sumenep", slug="rutan-sumenep", code="SMP", regency="Sumenep", province="Jawa Timur"
    )
    admin = staff(facility, "admin-smp", Role.FACILITY_ADMIN)
    finance = staff(facility, "keuangan-smp", Role.FINANCE_OFFICER)
    auditor = staff(facility, "auditor-smp", Role.AUDITOR)
    kanwil_org = OrganizationFactory(
        name="Kanwil Ditjenpas Jawa Timur", slug="kanwil-jatim", kind=Organization.Kind.AGENCY, province="Jawa Timur"
    )
    kanwil = staff(kanwil_org, "kanwil-jatim", Role.REGIONAL_VIEWER)
    ditjenpas = staff(
        OrganizationFactory(name="Ditjenpas", slug="ditjenpas", kind=Organization.Kind.AGENCY, province=""),
        "ditjenpas",
        Role.NATIONAL_VIEWER,
    )
    gallery = OrganizationFactory(
        name="Gerai Produk Unggulan Disperindag Sumenep", slug="gerai-disperindag", kind=Organization.Kind.OUTLET
    )
    dlh = OrganizationFactory(name="DLH Kabupaten Sumenep", slug="dlh-sumenep", kind=Organization.Kind.AGENCY)

    groups, makers = {}, {}
    for key, name, names in (
        ("pecut", "Kelompok Pecut", MAKER_NAMES[:2]),
        ("rajut", "Kelompok Rajutan", MAKER_NAMES[2:]),
    ):
        groups[key] = GroupFactory(organization=facility, name=name, slug=f"kelompok-{key}")
        makers[key] = [
            GroupMembershipFactory(
                group=groups[key],
                maker=MakerFactory(organization=facility, full_name=full_name),
                joined_date=datetime.date(2025, 2, 1),
            ).maker
            for full_name in names
        ]
    makers["pecut"][0].registration_number = REGISTRATION
    makers["pecut"][0].save(update_fields=["registration_number"])
    whip = VariantFactory(
        product=ProductFactory(
            producer=ProducerFactory(group=groups["pecut"], slug="kelompok-pecut-smp"),
            category=CategoryFactory(name="Pecut", name_en="Whips"),
            name="Pecut Sapi Sumenep",
            slug="pecut-sapi",
            variants=[],
            photos=1,
        ),
        sku="SMP-PCT-001",
        price_idr=150_000,
    )
    cat = VariantFactory(
        product=ProductFactory(
            producer=ProducerFactory(group=groups["rajut"], slug="kelompok-rajut-smp"),
            category=CategoryFactory(name="Rajutan", name_en="Knitting"),
            name="Boneka Rajut Kucing",
            slug="boneka-kucing",
            variants=[],
        ),
        sku="SMP-RJT-001",
        price_idr=75_000,
    )
    # Buyers see the whip (it has a photo), which has its e-Katalog listing data; the cat has no photo yet.
    for variant in (whip, cat):
        product_refresh(product=variant.product)
    ProcurementListing.objects.create(organization=facility, product=whip.product, kbki_code="38990")
    store = location_create(actor=None, organization=facility, name="Gudang", kind=Location.Kind.STORE)
    showroom = location_create(actor=None, organization=facility, name="Ruang Pamer", kind=Location.Kind.SHOWROOM)
    shelf = location_create(
        actor=None, organization=facility, name="Rak Gerai Disperindag", kind=Location.Kind.OUTLET, outlet=gallery
    )
    split_rule_create(
        actor=None,
        organization=facility,
        effective_from=datetime.date(2025, 1, 1),
        basis="MARGIN",
        premi_mode="PERCENT",
        premi_bp=5000,
        capital_bp=3500,
        legal_reference=RULE_TEXT,
    )

    # January
    clock.at(1, 8)
    make_lot(variant=whip, group=groups["pecut"], location=showroom, quantity=20, cost=1_000_000,
             finished=datetime.date(2026, 1, 5))  # fmt: skip
    january_sale = sale_record(
        actor=admin,
        location=showroom,
        channel=Channel.POS,
        lines=[SaleLineInput("SMP-PCT-001", 2, 150_000)],
        occurred_at=clock.at(1, 15),
    )
    # February
    clock.at(2, 21)
    make_lot(variant=cat, group=groups["rajut"], location=store, quantity=12, cost=360_000,
             finished=datetime.date(2026, 2, 20))  # fmt: skip
    transfer_receive(actor=admin, transfer=transfer_send(actor=admin, from_location=store, to_location=shelf,
                                                         lines=[(cat, 12)]))  # fmt: skip
    # March
    clock.at(3, 2)
    capital_grant(actor=admin, organization=facility, group=groups["pecut"], amount_idr=1_000_000, agency=None)
    clock.at(3, 5)
    till = sale_record(
        actor=admin, location=showroom, channel=Channel.POS, lines=[SaleLineInput("SMP-PCT-001", 3, 150_000)]
    )
    clock.at(3, 8)
    make_lot(variant=cat, group=groups["rajut"], location=store, quantity=6, passed=5, cost=180_000,
             finished=datetime.date(2026, 3, 8))  # fmt: skip
    clock.at(3, 10)
    at_gallery = sale_record(
        actor=admin,
        location=shelf,
        channel=Channel.OUTLET,
        lines=[SaleLineInput("SMP-RJT-001", 2, 75_000)],
        commission_idr=30_000,
    )
    clock.at(3, 12)
    agency = sale_record(
        actor=admin,
        location=showroom,
        channel=Channel.INSTITUTIONAL,
        lines=[SaleLineInput("SMP-PCT-001", 4, 150_000)],
        buyer=dlh,
    )
    clock.at(3, 15)
    returned = sale_reverse(actor=admin, sale=till, lines={till.lines.get().pk: 1}, reason="cacat")
    clock.at(3, 18)
    payee = makers["pecut"][0]
    payout = premi_payout(
        actor=finance, maker=payee, amount_idr=maker_premi_owed(maker=payee) // 2, method="SAVINGS", reference="BRI 1"
    )
    clock.at(3, 19)
    pnbp_target_set(actor=finance, organization=facility, year=2026, target_idr=2_000_000)
    deposit = pnbp_deposit_record(
        actor=finance,
        organization=facility,
        amount_idr=100_000,
        billing_code="820260319001",
        ntpn="NTPN0319SMP01",
        deposited_date=datetime.date(2026, 3, 19),
    )

    # The other facilities of the province, and one of another province
    clock.at(3, 11)
    others = {}
    for key, name, code, province in (
        ("dirgantara", "Lapas Kelas IIA Dirgantara", "DGT", "Jawa Timur"),
        ("purbalingga", "Rutan Kelas IIB Purbalingga", "PBG", "Jawa Tengah"),
    ):
        org = OrganizationFactory(name=name, slug=key, code=code, regency=key.title(), province=province)
        group = GroupFactory(organization=org, name=f"Kelompok {key.title()}")
        GroupMembershipFactory(group=group, maker=MakerFactory(organization=org, full_name=f"Rahasia {code}"))
        variant = VariantFactory(
            product=ProductFactory(producer=ProducerFactory(group=group), variants=[], photos=1),
            sku=f"{code}-001",
            price_idr=100_000,
        )
        product_refresh(product=variant.product)
        place = location_create(actor=None, organization=org, name="Ruang Pamer", kind=Location.Kind.SHOWROOM)
        split_rule_create(
            actor=None,
            organization=org,
            effective_from=datetime.date(2025, 1, 1),
            basis="REVENUE",
            premi_mode="PERCENT",
            premi_bp=1500,
            capital_bp=0,
            legal_reference=RULE_TEXT,
        )
        make_lot(variant=variant, group=group, location=place, quantity=5, finished=datetime.date(2026, 3, 1))
        org_admin = staff(org, f"admin-{code.lower()}", Role.FACILITY_ADMIN)
        sale_record(
            actor=org_admin, location=place, channel=Channel.WEB, lines=[SaleLineInput(f"{code}-001", 1, 100_000)]
        )
        others[key] = {"org": org, "admin": org_admin}

    clock.at(3, 20)
    return {
        "facility": facility,
        "admin": admin,
        "finance": finance,
        "auditor": auditor,
        "kanwil": kanwil,
        "ditjenpas": ditjenpas,
        "gallery": gallery,
        "groups": groups,
        "makers": [m for ms in makers.values() for m in ms],
        "others": others,
        "month": Month(
            sales=[till, at_gallery, agency],
            january_sale=january_sale,
            sale_return=returned,
            payout=payout,
            deposit=deposit,
        ),
    }
