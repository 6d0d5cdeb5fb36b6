import pytest
from django.utils import translation

from binakarya.organizations.models import Role
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory
from tests.pos.world import bazaar_world


@pytest.fixture
def bazaar(db):
    return bazaar_world()


@pytest.fixture
def stranger(db):
    """Staff of another facility, who records sales there."""
    other = OrganizationFactory(name="Lapas Kelas IIA Bondowoso", slug="lapas-bondowoso", code="BDW")
    user = UserFactory(username="orang-lain")
    MembershipFactory(user=user, organization=other, role=Role.FACILITY_ADMIN)
    return user


@pytest.fixture(autouse=True)
def _english_messages():
    """These tests check the services' own words, written in English; the UI translates them."""
    with translation.override("en"):
        yield
