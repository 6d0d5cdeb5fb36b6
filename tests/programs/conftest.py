import datetime

import pytest
from django.utils import timezone, translation

from binakarya.organizations.models import Organization, Role
from binakarya.programs.services import agreement_create
from tests.factories import MembershipFactory, OrganizationFactory, ProducerOrgFactory, UserFactory

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def world(db):
    """Rutan Sumenep (admin, instructor), another facility in Central Java (admin), a producer (operator),
    two agencies, a regional viewer of Jawa Timur, a national viewer and an outlet partner."""
    facility = OrganizationFactory(name="Rutan Kelas IIB Sumenep", slug="rutan-sumenep", province="Jawa Timur")
    other = OrganizationFactory(name="Rutan Kelas IIB Purbalingga", slug="rutan-purbalingga", province="Jawa Tengah")
    producer = ProducerOrgFactory(slug="batik-tamanan", province="Jawa Timur")
    polres = OrganizationFactory(kind=Organization.Kind.AGENCY, name="Polres Sumenep", slug="polres-sumenep")
    disperindag = OrganizationFactory(
        kind=Organization.Kind.AGENCY, name="Disperindag Kabupaten Sumenep", slug="disperindag-sumenep"
    )
    outlet = OrganizationFactory(kind=Organization.Kind.OUTLET, name="Hotel Bintang", slug="hotel-bintang")

    def member(org, role, username):
        user = UserFactory(username=username)
        MembershipFactory(user=user, organization=org, role=role)
        return user

    return {
        "facility": facility,
        "other": other,
        "producer": producer,
        "polres": polres,
        "disperindag": disperindag,
        "outlet": outlet,
        "admin": member(facility, Role.FACILITY_ADMIN, "admin.smp"),
        "instructor": member(facility, Role.INSTRUCTOR, "instruktur.smp"),
        "other_admin": member(other, Role.FACILITY_ADMIN, "admin.pbg"),
        "operator": member(producer, Role.PRODUCER_OPERATOR, "operator.batik"),
        "regional": member(polres, Role.REGIONAL_VIEWER, "kanwil.jatim"),
        "regional_central": member(other, Role.REGIONAL_VIEWER, "kanwil.jateng"),
        "national": member(polres, Role.NATIONAL_VIEWER, "pusat"),
        "partner": member(outlet, Role.OUTLET_PARTNER, "mitra.hotel"),
    }


@pytest.fixture
def make(world, today):
    def make(**overrides):
        arguments = {
            "actor": world["admin"],
            "organization": world["facility"],
            "kind": "MOU",
            "number": "DEMO/001/2026",
            "title": "Pembinaan warga binaan",
            "partners": [world["polres"], world["disperindag"]],
            "signed_date": today,
            "start_date": today,
            "end_date": today + datetime.timedelta(days=365),
        }
        arguments.update(overrides)
        return agreement_create(**arguments)

    return make


@pytest.fixture(autouse=True)
def _english_messages():
    """These tests check the services' own words, written in English; the UI translates them."""
    with translation.override("en"):
        yield


from tests.programs.skills import siti  # noqa: E402, F401  (the skills, certificate and release fixture)
