"""Fixtures for the API tests: two facilities with staff, a batik and a pecut product."""

import pytest

from binakarya.accounts.services import api_token_create
from binakarya.catalog.services import photo_add
from binakarya.organizations.models import Role
from tests.api.helpers import png_upload
from tests.factories import (
    CategoryFactory,
    GroupFactory,
    MembershipFactory,
    OrganizationFactory,
    ProducerFactory,
    ProductFactory,
    UserFactory,
)


@pytest.fixture
def add_photo():
    def _add(product):
        return photo_add(actor=None, product=product, upload=png_upload())

    return _add


@pytest.fixture
def facility_a(db):
    return OrganizationFactory(name="Rutan Kelas IIB Sumenep", slug="rutan-sumenep", regency="Sumenep")


@pytest.fixture
def facility_b(db):
    return OrganizationFactory(name="Lapas Kelas IIA Banyuwangi", slug="lapas-banyuwangi", regency="Banyuwangi")


@pytest.fixture
def staff_a(facility_a):
    return MembershipFactory(
        user=UserFactory(username="staf-sumenep"), organization=facility_a, role=Role.FACILITY_ADMIN
    ).user


@pytest.fixture
def staff_b(facility_b):
    return MembershipFactory(
        user=UserFactory(username="staf-banyuwangi"), organization=facility_b, role=Role.PRODUCTION_OFFICER
    ).user


@pytest.fixture
def token_a(staff_a) -> str:
    return api_token_create(user=staff_a, name="test")[1]


@pytest.fixture
def batik_category(db):
    return CategoryFactory(name="Batik Tulis", slug="batik-tulis")


@pytest.fixture
def pecut_category(db):
    return CategoryFactory(name="Pecut", name_en="Whip", slug="pecut")


@pytest.fixture
def batik_producer(facility_a, batik_category):
    group = GroupFactory(organization=facility_a, name="Kelompok Batik Tulis", slug="kelompok-batik-tulis")
    group.crafts.add(batik_category)
    return ProducerFactory(group=group, name="Kelompok Batik Tulis", slug="batik-sumenep")


@pytest.fixture
def pecut_producer(facility_b):
    group = GroupFactory(organization=facility_b, name="Kelompok Pecut", slug="kelompok-pecut")
    return ProducerFactory(group=group, name="Kelompok Pecut", slug="pecut-banyuwangi", phone="")


@pytest.fixture
def batik_product(batik_producer, batik_category):
    return ProductFactory(
        producer=batik_producer,
        category=batik_category,
        name="Kain Batik Tulis Motif Parang",
        slug="kain-batik-tulis-parang",
        variants=[350_000, 275_000],
        photos=1,
    )


@pytest.fixture
def pecut_product(pecut_producer, pecut_category):
    return ProductFactory(
        producer=pecut_producer,
        category=pecut_category,
        name="Pecut Sapi Anyaman Kulit",
        slug="pecut-sapi-anyaman",
        description="Pecut dari kulit sapi, dianyam tangan.",
        materials="kulit sapi, rotan",
        variants=[120_000],
        photos=1,
    )
