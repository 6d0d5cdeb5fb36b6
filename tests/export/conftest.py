"""Two facilities, each with staff, a group with a maker, and a public product (issue 13, export)."""

import datetime

import pytest
from django.conf import settings
from django.utils import translation

from binakarya.accounts.services import api_token_create
from binakarya.organizations.models import Role
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
)


@pytest.fixture(autouse=True)
def _default_language():
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture
def facility_a(db):
    return OrganizationFactory(name="Rutan Kelas IIB Sumenep", slug="rutan-sumenep", regency="Sumenep")


@pytest.fixture
def facility_b(db):
    return OrganizationFactory(name="Lapas Kelas IIA Bondowoso", slug="lapas-bondowoso", regency="Bondowoso")


@pytest.fixture
def staff_a(facility_a):
    return MembershipFactory(
        user=UserFactory(username="ani", first_name="Ani"), organization=facility_a, role=Role.FACILITY_ADMIN
    ).user


@pytest.fixture
def staff_b(facility_b):
    return MembershipFactory(user=UserFactory(username="budi"), organization=facility_b, role=Role.FACILITY_ADMIN).user


@pytest.fixture
def token_a(staff_a):
    return api_token_create(user=staff_a, name="test")[1]


@pytest.fixture
def maker_a(facility_a):
    return MakerFactory(organization=facility_a, full_name="Ahmad Rahasia", registration_number="BI-100/2025")


@pytest.fixture
def product_a(facility_a, maker_a):
    group = GroupFactory(organization=facility_a, name="Kelompok Batik Sumenep", slug="kelompok-batik-sumenep")
    GroupMembershipFactory(group=group, maker=maker_a, joined_date=datetime.date(2025, 2, 1))
    producer = ProducerFactory(group=group, slug="kelompok-batik-sumenep", story="Kisah kelompok batik.")
    category = CategoryFactory(name="Batik Tulis", name_en="Hand-drawn batik", slug="batik-tulis")
    return ProductFactory(
        producer=producer,
        category=category,
        name="Kain Batik Sekar Jagad",
        slug="sekar-jagad",
        description="Kain batik tulis pewarna alam.",
        story="Dibuat oleh kelompok batik.",
        variants=[250_000, 500_000],
        photos=1,
    )


@pytest.fixture
def product_b(facility_b):
    group = GroupFactory(organization=facility_b, name="Kelompok Pecut", slug="kelompok-pecut")
    producer = ProducerFactory(group=group, slug="kelompok-pecut")
    category = CategoryFactory(name="Pecut", name_en="Whip", slug="pecut")
    return ProductFactory(
        producer=producer, category=category, name="Pecut Bondowoso", slug="pecut-bondowoso", photos=1
    )
