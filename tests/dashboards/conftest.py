import datetime

import pytest
from django.utils import translation

from binakarya.inventory.models import Location
from binakarya.inventory.services import location_create
from binakarya.ledger.services import split_rule_create
from binakarya.makers.models import Maker
from binakarya.organizations.models import Organization, Role
from binakarya.sales.services import SaleLineInput, sale_record
from tests.dashboards.world import Clock, sumenep_month
from tests.factories import (
    GroupMembershipFactory,
    MakerFactory,
    MembershipFactory,
    OrganizationFactory,
    ProducerFactory,
    ProducerOrgFactory,
    UmkmProducerFactory,
    VariantFactory,
    make_lot,
)
from tests.ledger.books import posted_books


def _seller(org: Organization, *, sku: str, price: int, quantity: int, group: bool = True) -> dict:
    """An organization with a lot at its showroom, a margin rule, and ``quantity`` units sold at the till."""
    if group:
        producer = ProducerFactory(group__organization=org, group__name=f"Kelompok {sku}")
        GroupMembershipFactory.create_batch(2, group=producer.group)
        lot_group = producer.group
    else:
        producer = UmkmProducerFactory(organization=org)
        lot_group = None
    variant = VariantFactory(product__producer=producer, sku=sku, price_idr=price)
    showroom = location_create(actor=None, organization=org, name="Ruang Pamer", kind=Location.Kind.SHOWROOM)
    makers = (
        [m.maker for m in lot_group.memberships.all()]
        if lot_group
        else [MakerFactory(organization=org, kind=Maker.Kind.ARTISAN, full_name="Rahasia Pembatik")]
    )
    make_lot(variant=variant, group=lot_group, location=showroom, quantity=10, cost=100_000, makers=makers)
    split_rule_create(
        actor=None,
        organization=org,
        effective_from=datetime.date(2024, 1, 1),
        basis="REVENUE",
        premi_mode="PERCENT",
        premi_bp=2000 if group else 0,
        capital_bp=1000,
        legal_reference="SK pembagian hasil",
    )
    sale_record(actor=None, location=showroom, channel="POS", lines=[SaleLineInput(sku, quantity, price)])
    return {"org": org, "group": lot_group, "makers": makers, "variant": variant}


@pytest.fixture
def land(db):
    """Rutan Sumenep's books (tests/ledger/books.py), Lapas Bondowoso (also Jawa Timur) and Rutan Purbalingga
    (Jawa Tengah) with a sale each, two UMKM producers of Diskoperindag Bondowoso (one with a sale), and a
    viewer of each kind."""
    books = posted_books()
    bondowoso = _seller(books["other_facility"], sku="BDW-PCT-001", price=50_000, quantity=2)
    purbalingga_org = OrganizationFactory(
        name="Rutan Kelas IIB Purbalingga", slug="rutan-purbalingga", code="PBG", province="Jawa Tengah"
    )
    purbalingga = _seller(purbalingga_org, sku="PBG-BMB-001", price=40_000, quantity=3)
    agency = OrganizationFactory(
        kind=Organization.Kind.AGENCY,
        name="Diskoperindag Bondowoso",
        slug="diskoperindag-bondowoso",
        code="DKB",
        facility_type="",
        facility_class="",
    )
    sekar = ProducerOrgFactory(name="Batik Sekar Kopi", slug="batik-sekar-kopi", code="BSK", parent=agency)
    umkm = _seller(sekar, sku="BSK-BTK-001", price=300_000, quantity=1, group=False)
    quiet = ProducerOrgFactory(name="Batik Tamanan Asri", slug="batik-tamanan-asri", code="BTA", parent=agency)
    other_agency = OrganizationFactory(
        kind=Organization.Kind.AGENCY, name="Disperindag Jember", slug="disperindag-jember", code="DPJ"
    )
    kanwil = OrganizationFactory(
        kind=Organization.Kind.AGENCY, name="Kanwil Jawa Timur", slug="kanwil-jatim", code="KJT"
    )
    ditjenpas = OrganizationFactory(kind=Organization.Kind.AGENCY, name="Ditjenpas", slug="ditjenpas", code="DJP")
    return {
        **books,
        "bondowoso": bondowoso,
        "purbalingga": purbalingga,
        "umkm": umkm,
        "sekar": sekar,
        "quiet": quiet,
        "agency": agency,
        "other_agency": other_agency,
        "regional": MembershipFactory(organization=kanwil, role=Role.REGIONAL_VIEWER).user,
        "national": MembershipFactory(organization=ditjenpas, role=Role.NATIONAL_VIEWER).user,
        "agency_viewer": MembershipFactory(organization=agency, role=Role.AGENCY_VIEWER).user,
        "operator": MembershipFactory(organization=sekar, role=Role.PRODUCER_OPERATOR).user,
    }


@pytest.fixture(autouse=True)
def _english_labels(request):
    """The dashboards' labels are checked in English (the source language; one test checks the Indonesian
    months); the reports print in the site's language, Indonesian, as a facility sends them."""
    if request.module.__name__.rsplit(".", 1)[-1] in ("test_reports", "test_report_pdfs"):
        yield
        return
    with translation.override("en"):
        yield


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


@pytest.fixture
def world(db, clock):
    return sumenep_month(clock)
