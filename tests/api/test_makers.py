"""Staff endpoints GET /api/v1/makers and /api/v1/groups: authentication and tenant scoping."""

import datetime

import pytest
from django.utils import timezone

from binakarya.accounts.models import ApiToken
from binakarya.accounts.services import api_token_create
from binakarya.organizations.models import Organization, Role
from tests.api.helpers import bearer
from tests.factories import (
    GroupFactory,
    GroupMembershipFactory,
    MakerFactory,
    MembershipFactory,
    OrganizationFactory,
    UserFactory,
)

MAKERS = "/api/v1/makers"
GROUPS = "/api/v1/groups"
UNAUTHENTICATED = {"detail": "Authentication required: send 'Authorization: Bearer <token>' or log in."}


def forbidden(slug: str) -> dict:
    return {"detail": f"You may not see the makers and groups of organization “{slug}”, or it does not exist."}


@pytest.fixture
def makers_a(facility_a, batik_producer):
    group = batik_producer.group
    siti = GroupMembershipFactory(
        group=group, maker__full_name="Siti Aminah", maker__registration_number="AI.01/2025"
    ).maker
    budi = MakerFactory(
        organization=facility_a, full_name="Budi Santoso", registration_number="AI.02/2025", expected_release_date=None
    )
    return siti, budi


@pytest.fixture
def makers_b(facility_b):
    group = GroupFactory(organization=facility_b, name="Kelompok Rajut", slug="kelompok-rajut")
    return [
        GroupMembershipFactory(
            group=group, maker__full_name="Joko Rahasia", maker__registration_number="BI.77/2024"
        ).maker
    ]


def names(response) -> list[str]:
    return [item["name"] for item in response.json()["items"]]


# Authentication ---------------------------------------------------------------------------------


def test_anonymous_gets_401(client, makers_a):
    # when
    response = client.get(MAKERS, HTTP_ACCEPT_LANGUAGE="en")

    # then
    assert response.status_code == 401
    assert response.json() == UNAUTHENTICATED
    assert response["WWW-Authenticate"] == 'Bearer realm="binakarya"'


def test_anonymous_gets_401_on_groups(client, makers_a):
    # when
    response = client.get(GROUPS, HTTP_ACCEPT_LANGUAGE="en")

    # then
    assert response.status_code == 401
    assert response.json() == UNAUTHENTICATED


@pytest.mark.parametrize(
    "header",
    ["Bearer bk_not-a-real-token", "Bearer ", "Token bk_whatever", "bk_whatever", "Basic dXNlcjpwYXNz"],
)
def test_bad_authorization_header_gets_401(client, makers_a, header):
    # when
    response = client.get(MAKERS, HTTP_AUTHORIZATION=header, HTTP_ACCEPT_LANGUAGE="en")

    # then
    assert response.status_code == 401
    assert response.json() == UNAUTHENTICATED


def test_bearer_token_authenticates(client, makers_a, token_a, staff_a):
    # when
    response = client.get(MAKERS, **bearer(token_a))

    # then
    assert response.status_code == 200
    assert names(response) == ["Budi Santoso", "Siti Aminah"]
    assert ApiToken.objects.get(user=staff_a).last_used_at is not None


def test_revoked_token_gets_401(client, makers_a, token_a, staff_a):
    # given
    ApiToken.objects.filter(user=staff_a).update(revoked_at=timezone.now())

    # when
    response = client.get(MAKERS, **bearer(token_a))

    # then
    assert response.status_code == 401


def test_token_of_inactive_user_gets_401(client, makers_a, token_a, staff_a):
    # given
    staff_a.is_active = False
    staff_a.save()

    # when
    response = client.get(MAKERS, **bearer(token_a))

    # then
    assert response.status_code == 401


def test_session_authenticates(client, makers_a, staff_a):
    # given
    client.force_login(staff_a)

    # when
    response = client.get(MAKERS)

    # then
    assert response.status_code == 200
    assert names(response) == ["Budi Santoso", "Siti Aminah"]


# Makers -----------------------------------------------------------------------------------------


def test_own_facility_makers_with_personal_fields(client, makers_a, token_a):
    # given
    siti, budi = makers_a

    # when
    response = client.get(MAKERS, {"organization": "rutan-sumenep"}, **bearer(token_a))

    # then
    assert response.status_code == 200
    assert response.json() == {
        "count": 2,
        "items": [
            {
                "id": budi.pk,
                "name": "Budi Santoso",
                "kind": "INMATE",
                "organization": "rutan-sumenep",
                "group": None,
                "groups": [],
                "status": "ACTIVE",
                "registration_number": "AI.02/2025",
                "expected_release_date": None,
            },
            {
                "id": siti.pk,
                "name": "Siti Aminah",
                "kind": "INMATE",
                "organization": "rutan-sumenep",
                "group": "Kelompok Batik Tulis",
                "groups": ["Kelompok Batik Tulis"],
                "status": "ACTIVE",
                "registration_number": "AI.01/2025",
                "expected_release_date": "2027-06-01",
            },
        ],
    }


def test_current_group_is_the_latest_joined_and_past_groups_are_left_out(client, facility_a, makers_a, token_a):
    # given Siti also joined a second group later, and left a third one
    siti, _ = makers_a
    rajut = GroupFactory(organization=facility_a, name="Kelompok Rajutan", slug="kelompok-rajutan")
    GroupMembershipFactory(group=rajut, maker=siti, joined_date=datetime.date(2025, 5, 1))
    old = GroupFactory(organization=facility_a, name="Kelompok Sapu", slug="kelompok-sapu")
    GroupMembershipFactory(
        group=old, maker=siti, joined_date=datetime.date(2025, 1, 15), left_date=datetime.date(2025, 1, 31)
    )

    # when
    items = client.get(MAKERS, **bearer(token_a)).json()["items"]

    # then
    siti_item = next(item for item in items if item["id"] == siti.pk)
    assert siti_item["group"] == "Kelompok Rajutan"
    assert siti_item["groups"] == ["Kelompok Batik Tulis", "Kelompok Rajutan"]


def test_other_facility_slug_is_403(client, makers_a, makers_b, token_a):
    # when
    response = client.get(MAKERS, {"organization": "lapas-banyuwangi"}, HTTP_ACCEPT_LANGUAGE="en", **bearer(token_a))

    # then
    assert response.status_code == 403
    assert response.json() == forbidden("lapas-banyuwangi")


def test_unknown_slug_is_403_like_a_foreign_one(client, makers_a, token_a):
    # when
    response = client.get(MAKERS, {"organization": "tidak-ada"}, HTTP_ACCEPT_LANGUAGE="en", **bearer(token_a))

    # then
    assert response.status_code == 403
    assert response.json() == forbidden("tidak-ada")


def test_facility_staff_never_see_another_facilitys_makers(client, makers_a, makers_b, staff_a, staff_b):
    # given
    token_b = api_token_create(user=staff_b)[1]
    token_a = api_token_create(user=staff_a)[1]

    # when
    a_all = client.get(MAKERS, **bearer(token_a))
    a_own = client.get(MAKERS, {"organization": "rutan-sumenep"}, **bearer(token_a))
    a_other = client.get(MAKERS, {"organization": "lapas-banyuwangi"}, **bearer(token_a))
    b_all = client.get(MAKERS, **bearer(token_b))
    b_other = client.get(MAKERS, {"organization": "rutan-sumenep"}, **bearer(token_b))

    # then
    assert names(a_all) == ["Budi Santoso", "Siti Aminah"]
    assert names(a_own) == ["Budi Santoso", "Siti Aminah"]
    assert a_other.status_code == 403
    assert b"Joko" not in a_all.content + a_own.content + a_other.content
    assert b"BI.77" not in a_all.content + a_own.content + a_other.content
    assert names(b_all) == ["Joko Rahasia"]
    assert b_other.status_code == 403
    assert b"Siti" not in b_all.content + b_other.content


def test_staff_of_two_facilities_see_both_and_can_narrow(client, makers_a, makers_b, staff_a, facility_b):
    # given
    MembershipFactory(user=staff_a, organization=facility_b, role=Role.INSTRUCTOR)
    token = api_token_create(user=staff_a)[1]

    # when
    both = client.get(MAKERS, **bearer(token))
    only_b = client.get(MAKERS, {"organization": "lapas-banyuwangi"}, **bearer(token))

    # then: ordered by organization name, then full name
    assert names(both) == ["Joko Rahasia", "Budi Santoso", "Siti Aminah"]
    assert [item["organization"] for item in both.json()["items"]] == [
        "lapas-banyuwangi",
        "rutan-sumenep",
        "rutan-sumenep",
    ]
    assert names(only_b) == ["Joko Rahasia"]


@pytest.mark.parametrize("role", [Role.REGIONAL_VIEWER, Role.NATIONAL_VIEWER])
def test_oversight_viewers_never_see_personal_data(client, makers_a, makers_b, role):
    # given a viewer at the provincial office (Kanwil) of the facilities' province
    kanwil = OrganizationFactory(kind=Organization.Kind.AGENCY, name="Kanwil Jawa Timur", slug="kanwil-jatim")
    viewer = MembershipFactory(organization=kanwil, role=role).user
    token = api_token_create(user=viewer)[1]

    # when
    everything = client.get(MAKERS, **bearer(token))
    one = client.get(MAKERS, {"organization": "rutan-sumenep"}, **bearer(token))
    groups = client.get(GROUPS, **bearer(token))

    # then
    assert everything.status_code == 200
    assert everything.json() == {"count": 0, "items": []}
    assert one.status_code == 403
    assert groups.json() == {"count": 0, "items": []}


def test_outlet_partner_sees_no_makers(client, makers_a, facility_a):
    # given an outlet partner, a role that never covers makers, even inside the facility
    partner = MembershipFactory(organization=facility_a, role=Role.OUTLET_PARTNER).user
    token = api_token_create(user=partner)[1]

    # when
    everything = client.get(MAKERS, **bearer(token))
    one = client.get(MAKERS, {"organization": "rutan-sumenep"}, **bearer(token))

    # then
    assert everything.json() == {"count": 0, "items": []}
    assert one.status_code == 403


def test_user_without_memberships_sees_nothing(client, makers_a):
    # given
    token = api_token_create(user=UserFactory(username="orang-luar"))[1]

    # when
    response = client.get(MAKERS, **bearer(token))

    # then
    assert response.status_code == 200
    assert response.json() == {"count": 0, "items": []}


def test_makers_query_count_does_not_grow_with_makers(client, django_assert_num_queries, makers_a, staff_a, facility_a):
    # given 10 more makers, each in the batik group, and a session
    group = makers_a[0].group_memberships.get().group
    for _ in range(10):
        GroupMembershipFactory(group=group)
    client.force_login(staff_a)

    # when / then: session, user, memberships, organization, makers, their current memberships
    with django_assert_num_queries(6):
        response = client.get(MAKERS, {"organization": "rutan-sumenep"})
    assert response.json()["count"] == 12


# Groups -----------------------------------------------------------------------------------------


def test_groups_of_own_facility(client, makers_a, makers_b, token_a, facility_a, batik_producer, pecut_category):
    # given a second group with two members, one of whom has left, and two crafts
    sapu = GroupFactory(organization=facility_a, name="Kelompok Sapu Glagah", slug="kelompok-sapu-glagah")
    sapu.crafts.add(pecut_category, batik_producer.group.crafts.get())
    GroupMembershipFactory(group=sapu)
    GroupMembershipFactory(group=sapu, left_date=datetime.date(2025, 3, 1))

    # when
    everything = client.get(GROUPS, **bearer(token_a))
    narrowed = client.get(GROUPS, {"organization": "rutan-sumenep"}, **bearer(token_a))

    # then
    assert everything.status_code == 200
    assert everything.json() == {
        "count": 2,
        "items": [
            {
                "slug": "kelompok-batik-tulis",
                "name": "Kelompok Batik Tulis",
                "organization": "rutan-sumenep",
                "crafts": ["batik-tulis"],
                "member_count": 1,
                "is_active": True,
            },
            {
                "slug": "kelompok-sapu-glagah",
                "name": "Kelompok Sapu Glagah",
                "organization": "rutan-sumenep",
                "crafts": ["batik-tulis", "pecut"],
                "member_count": 1,
                "is_active": True,
            },
        ],
    }
    assert narrowed.json() == everything.json()


def test_groups_of_another_facility_are_403(client, makers_b, token_a):
    # when
    response = client.get(GROUPS, {"organization": "lapas-banyuwangi"}, HTTP_ACCEPT_LANGUAGE="en", **bearer(token_a))

    # then
    assert response.status_code == 403
    assert response.json() == forbidden("lapas-banyuwangi")
