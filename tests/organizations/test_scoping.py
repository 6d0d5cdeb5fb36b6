import pytest

from binakarya.catalog.selectors import products_for_staff
from binakarya.makers.models import Maker
from binakarya.makers.selectors import groups_for, groups_with_member_counts, maker_organization_for, makers_for
from binakarya.organizations.models import Role
from binakarya.organizations.scoping import MAKER_ROLES, scope, visible_organizations
from tests.factories import (
    GroupFactory,
    GroupMembershipFactory,
    MembershipFactory,
    OrganizationFactory,
    ProductFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_facilities():
    sumenep = OrganizationFactory(name="Rutan Sumenep", province="Jawa Timur")
    purbalingga = OrganizationFactory(name="Rutan Purbalingga", regency="Purbalingga", province="Jawa Tengah")
    GroupMembershipFactory.create_batch(2, group__organization=sumenep)
    GroupMembershipFactory.create_batch(3, group__organization=purbalingga)
    ProductFactory(producer__group__organization=sumenep)
    ProductFactory(producer__group__organization=purbalingga)
    return sumenep, purbalingga


def test_facility_staff_see_only_their_facility(two_facilities):
    # given
    sumenep, purbalingga = two_facilities
    admin = MembershipFactory(organization=sumenep, role=Role.FACILITY_ADMIN).user

    # when
    makers = makers_for(user=admin)

    # then
    assert {m.organization_id for m in makers} == {sumenep.pk}
    assert makers.count() == 2
    assert makers_for(user=admin, organization=purbalingga).count() == 0
    assert set(groups_for(user=admin).values_list("organization_id", flat=True)) == {sumenep.pk}
    assert list(products_for_staff(user=admin).values_list("organization_id", flat=True)) == [sumenep.pk]


def test_regional_viewer_sees_province_organizations_but_no_makers(two_facilities):
    # given a viewer of the regional office of Jawa Timur
    sumenep, purbalingga = two_facilities
    kanwil = OrganizationFactory(kind="AGENCY", name="Kanwil Jatim", province="Jawa Timur")
    viewer = MembershipFactory(organization=kanwil, role=Role.REGIONAL_VIEWER).user

    # when
    visible = set(visible_organizations(viewer).values_list("pk", flat=True))

    # then
    assert visible == {sumenep.pk, kanwil.pk}
    assert makers_for(user=viewer).count() == 0
    assert visible_organizations(viewer, roles=MAKER_ROLES).count() == 0


def test_national_viewer_sees_every_organization_but_no_makers(two_facilities):
    # given
    ditjenpas = OrganizationFactory(kind="AGENCY", name="Ditjenpas", province="DKI Jakarta")
    viewer = MembershipFactory(organization=ditjenpas, role=Role.NATIONAL_VIEWER).user

    # when / then
    assert visible_organizations(viewer).count() == 3
    assert makers_for(user=viewer).count() == 0


def test_agency_viewer_sees_only_the_producers_it_supports_and_no_makers(two_facilities):
    # given Diskoperindag Bondowoso, which supports two UMKM producers; a third producer is someone else's
    sumenep, _ = two_facilities
    agency = OrganizationFactory(kind="AGENCY", name="Diskoperindag Bondowoso", province="Jawa Timur")
    supported = [OrganizationFactory(kind="PRODUCER", parent=agency, province="Jawa Timur") for _ in range(2)]
    OrganizationFactory(kind="PRODUCER", province="Jawa Timur")
    outlet = OrganizationFactory(kind="OUTLET", parent=agency, province="Jawa Timur")
    GroupMembershipFactory(group__organization=supported[0])
    viewer = MembershipFactory(organization=agency, role=Role.AGENCY_VIEWER).user

    # when
    visible = set(visible_organizations(viewer).values_list("pk", flat=True))

    # then the producers it supports, not the facility of its province, not its outlet, not another producer
    assert visible == {p.pk for p in supported}
    assert sumenep.pk not in visible and outlet.pk not in visible
    assert makers_for(user=viewer).count() == 0
    assert visible_organizations(viewer, roles=MAKER_ROLES).count() == 0


def test_anonymous_inactive_and_roleless_users_see_nothing(two_facilities):
    from django.contrib.auth.models import AnonymousUser

    # given
    sumenep, _ = two_facilities
    inactive = MembershipFactory(organization=sumenep, user__is_active=False).user
    roleless = UserFactory()

    # when / then
    for user in (AnonymousUser(), inactive, roleless, None):
        assert scope(Maker.objects.all(), user).count() == 0


def test_revoked_membership_loses_access(two_facilities):
    # given
    sumenep, _ = two_facilities
    membership = MembershipFactory(organization=sumenep, role=Role.PRODUCTION_OFFICER, is_active=False)

    # when / then
    assert makers_for(user=membership.user).count() == 0


def test_maker_organization_and_member_counts_only_for_the_organizations_own_staff(two_facilities):
    import datetime

    # given a facility admin of Sumenep, a regional viewer, and a group of Sumenep that one maker left
    sumenep, purbalingga = two_facilities
    admin = MembershipFactory(organization=sumenep, role=Role.FACILITY_ADMIN).user
    kanwil = OrganizationFactory(kind="AGENCY", name="Kanwil Jatim", province="Jawa Timur")
    viewer = MembershipFactory(organization=kanwil, role=Role.REGIONAL_VIEWER).user
    pecut = GroupFactory(organization=sumenep)
    GroupMembershipFactory.create_batch(2, group=pecut)
    GroupMembershipFactory(group=pecut, left_date=datetime.date(2025, 6, 1))

    # when / then: someone else's organization and an unknown slug look alike; oversight never sees makers
    assert maker_organization_for(user=admin, slug=sumenep.slug) == sumenep
    assert maker_organization_for(user=admin, slug=purbalingga.slug) is None
    assert maker_organization_for(user=admin, slug="no-such-organization") is None
    assert maker_organization_for(user=viewer, slug=sumenep.slug) is None

    # when
    counts = {group.pk: group.member_count for group in groups_with_member_counts(user=admin, organization=sumenep)}

    # then: the fixture's two one-member groups, its product's group (no members) and pecut (one maker left)
    assert counts[pecut.pk] == 2
    assert sorted(counts.values()) == [0, 1, 1, 2]
    assert groups_with_member_counts(user=viewer).count() == 0
