"""Two facilities (A and B) and an UMKM producer, each with staff, a group, a producer profile and makers."""

import datetime

import pytest
from django.conf import settings
from django.utils import translation

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
def _media(_test_settings, settings, tmp_path):
    """A MEDIA_ROOT of this test's own, so a test can prove that nothing was written."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()


@pytest.fixture(autouse=True)
def _default_language():
    """Start in the default language: LocaleMiddleware leaves the last request's language active in this thread."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture
def batik(db):
    return CategoryFactory(name="Batik Tulis", name_en="Hand-drawn batik", slug="batik-tulis")


@pytest.fixture
def pecut(db):
    return CategoryFactory(name="Pecut", name_en="Whip", slug="pecut")


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
def group_a(facility_a):
    return GroupFactory(organization=facility_a, name="Kelompok Batik Sumenep", slug="kelompok-batik-sumenep")


@pytest.fixture
def group_b(facility_b):
    return GroupFactory(organization=facility_b, name="Kelompok Pecut Bondowoso", slug="kelompok-pecut-bondowoso")


@pytest.fixture
def producer_a(group_a):
    return ProducerFactory(group=group_a, slug="kelompok-batik-sumenep")


@pytest.fixture
def producer_b(group_b):
    return ProducerFactory(group=group_b, slug="kelompok-pecut-bondowoso")


@pytest.fixture
def product_a(producer_a, batik):
    return ProductFactory(producer=producer_a, category=batik, name="Kain Batik Sekar Jagad", slug="sekar-jagad")


@pytest.fixture
def product_b(producer_b, pecut):
    return ProductFactory(producer=producer_b, category=pecut, name="Pecut Bondowoso", slug="pecut-bondowoso")


@pytest.fixture
def maker_a(facility_a):
    return MakerFactory(organization=facility_a, full_name="Ahmad Rahasia", registration_number="BI-100/2025")


@pytest.fixture
def maker_b(facility_b):
    return MakerFactory(organization=facility_b, full_name="Bambang Rahasia", registration_number="BI-200/2025")


@pytest.fixture
def membership_a(group_a, maker_a):
    return GroupMembershipFactory(group=group_a, maker=maker_a, joined_date=datetime.date(2025, 2, 1))


@pytest.fixture
def membership_b(group_b, maker_b):
    return GroupMembershipFactory(group=group_b, maker=maker_b, joined_date=datetime.date(2025, 2, 1))


@pytest.fixture
def client_a(client, staff_a):
    client.force_login(staff_a)
    return client
