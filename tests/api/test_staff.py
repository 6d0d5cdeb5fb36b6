"""/api/v1/staff: the facility admin's staff accounts as JSON, scoped like the staff page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from binakarya.accounts import selectors
from binakarya.accounts.models import PendingPasswordChange
from binakarya.accounts.services import api_token_create
from binakarya.core.audit import AuditAction
from binakarya.core.models import AuditEvent
from binakarya.organizations.models import Membership, Role
from tests.api.helpers import bearer
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

TEMPORARY = "kopi-tubruk-2026"


@pytest.fixture
def clerk_a(facility_a):
    return MembershipFactory(
        user=UserFactory(username="keuangan.sumenep", first_name="Sari", last_name="Dewi"),
        organization=facility_a,
        role=Role.FINANCE_OFFICER,
    )


@pytest.fixture
def admin_b(facility_b):
    user = MembershipFactory(
        user=UserFactory(username="admin.b"), organization=facility_b, role=Role.FACILITY_ADMIN
    ).user
    return api_token_create(user=user)[1]


def test_the_facility_admin_lists_own_staff(client, token_a, clerk_a, staff_b):
    # when
    response = client.get("/api/v1/staff", **bearer(token_a))

    # then
    assert response.status_code == 200
    items = {item["username"]: item for item in response.json()["items"]}
    assert set(items) == {"staf-sumenep", "keuangan.sumenep"}
    assert items["keuangan.sumenep"] | {"last_login": None} == {
        "id": clerk_a.pk,
        "user": clerk_a.user_id,
        "username": "keuangan.sumenep",
        "name": "Sari Dewi",
        "email": clerk_a.user.email,
        "organization": "rutan-sumenep",
        "role": "FINANCE_OFFICER",
        "is_active": True,
        "last_login": None,
        "password_change_required": False,
    }


def test_create_change_reset_and_deactivate(client, token_a, staff_a):
    # when an account is created
    created = client.post(
        "/api/v1/staff",
        {
            "organization": "rutan-sumenep",
            "username": "produksi.sumenep",
            "name": "Siti Aminah",
            "role": "production_officer",
            "password": TEMPORARY,
        },
        content_type="application/json",
        **bearer(token_a),
    )

    # then
    assert created.status_code == 201
    body = created.json()
    assert (body["role"], body["password_change_required"], body["is_active"]) == ("PRODUCTION_OFFICER", True, True)
    pk = body["id"]

    # when its role changes, it gets a new temporary password, and it is deactivated
    role = client.post(
        f"/api/v1/staff/{pk}/role", {"role": "AUDITOR"}, content_type="application/json", **bearer(token_a)
    )
    password = client.post(
        f"/api/v1/staff/{pk}/password",
        {"password": "teh-poci-2026"},
        content_type="application/json",
        **bearer(token_a),
    )
    off = client.post(f"/api/v1/staff/{pk}/deactivate", **bearer(token_a))

    # then
    assert (role.status_code, role.json()["role"]) == (200, "AUDITOR")
    assert password.status_code == 200
    assert (off.status_code, off.json()["is_active"]) == (200, False)
    user = Membership.objects.get(pk=pk).user
    assert user.check_password("teh-poci-2026") and not user.is_active
    assert [e.action for e in AuditEvent.objects.order_by("pk")] == [
        AuditAction.STAFF_CREATE,
        AuditAction.STAFF_ROLE_CHANGE,
        AuditAction.STAFF_PASSWORD_SET,
        AuditAction.STAFF_DEACTIVATE,
    ]
    assert all(e.actor == staff_a for e in AuditEvent.objects.all())


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"role": "NATIONAL_VIEWER"}, "role"),
        ({"organization": "lapas-banyuwangi"}, "organization"),  # another facility: unknown
        ({"password": "123"}, "password"),
        ({"username": "staf-sumenep"}, "username"),
    ],
)
def test_a_refused_account_answers_400_with_the_field(client, token_a, facility_b, body, field):
    # when
    data = {
        "organization": "rutan-sumenep",
        "username": "baru",
        "name": "Orang Baru",
        "role": "INSTRUCTOR",
        "password": TEMPORARY,
    } | body
    response = client.post("/api/v1/staff", data, content_type="application/json", **bearer(token_a))

    # then
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not Membership.objects.filter(user__username="baru").exists()


def test_another_facilitys_staff_are_not_found(client, admin_b, clerk_a):
    # when B's admin names A's finance officer everywhere
    answers = [
        client.get(f"/api/v1/staff/{clerk_a.pk}", **bearer(admin_b)).status_code,
        client.post(
            f"/api/v1/staff/{clerk_a.pk}/role", {"role": "AUDITOR"}, content_type="application/json", **bearer(admin_b)
        ).status_code,
        client.post(
            f"/api/v1/staff/{clerk_a.pk}/password",
            {"password": TEMPORARY},
            content_type="application/json",
            **bearer(admin_b),
        ).status_code,
        client.post(f"/api/v1/staff/{clerk_a.pk}/deactivate", **bearer(admin_b)).status_code,
    ]
    listed = client.get("/api/v1/staff?organization=rutan-sumenep", **bearer(admin_b))

    # then
    assert answers == [404, 404, 404, 404]
    assert listed.status_code == 403
    clerk_a.refresh_from_db()
    clerk_a.user.refresh_from_db()
    assert (clerk_a.role, clerk_a.user.is_active) == (Role.FINANCE_OFFICER, True)
    assert clerk_a.user.check_password("pass-word-123")
    assert not selectors.password_change_pending(user=clerk_a.user)


def test_staff_who_are_not_facility_admins_get_403(client, clerk_a):
    # given
    token = api_token_create(user=clerk_a.user)[1]

    # when
    responses = [
        client.get("/api/v1/staff", **bearer(token)),
        client.get(f"/api/v1/staff/{clerk_a.pk}", **bearer(token)),
        client.post(f"/api/v1/staff/{clerk_a.pk}/deactivate", **bearer(token)),
    ]

    # then
    assert [r.status_code for r in responses] == [403, 403, 403]


def test_anonymous_callers_get_401(client):
    assert client.get("/api/v1/staff").status_code == 401


def test_the_list_costs_the_same_queries_for_two_or_eight_people(client, token_a, facility_a, clerk_a):
    # given two people, counted after a first call (which records when the token was used)
    client.get("/api/v1/staff", **bearer(token_a))
    with CaptureQueriesContext(connection) as few:
        assert client.get("/api/v1/staff", **bearer(token_a)).json()["count"] == 2

    # when six more join, one with a temporary password
    for _ in range(6):
        MembershipFactory(organization=facility_a, role=Role.AUDITOR)
    PendingPasswordChange.objects.create(user=Membership.objects.filter(role=Role.AUDITOR).first().user)
    with CaptureQueriesContext(connection) as many:
        body = client.get("/api/v1/staff", **bearer(token_a)).json()

    # then
    assert body["count"] == 8
    assert [i["password_change_required"] for i in body["items"]].count(True) == 1
    assert len(many) == len(few)
