"""The staff accounts pages: a facility admin manages their own facility's staff, and nobody else's."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import pgettext

from binakarya.accounts import selectors
from binakarya.accounts.models import PendingPasswordChange
from binakarya.core.audit import AuditAction
from binakarya.core.models import AuditEvent
from binakarya.organizations.models import Membership, Role
from tests.backoffice.helpers import html
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

TEMPORARY = "kopi-tubruk-2026"


def account_text(message: str) -> str:
    """A word of the staff accounts pages (translated in the "staff account" context) in Indonesian."""
    with translation.override("id"):
        return pgettext("staff account", message)


@pytest.fixture
def clerk_a(facility_a):
    return MembershipFactory(
        user=UserFactory(username="keuangan.sumenep", first_name="Sari", last_name="Dewi"),
        organization=facility_a,
        role=Role.FINANCE_OFFICER,
    )


@pytest.fixture
def clerk_b(facility_b):
    return MembershipFactory(
        user=UserFactory(username="keuangan.bondowoso"), organization=facility_b, role=Role.FINANCE_OFFICER
    )


def test_the_menu_offers_staff_accounts_to_the_facility_admin_only(client, client_a, clerk_a):
    # when
    admin_page = client_a.get(reverse("backoffice:dashboard")).content.decode()
    client.force_login(clerk_a.user)
    clerk_page = client.get(reverse("backoffice:dashboard")).content.decode()

    # then
    link = f'href="{reverse("backoffice:staff")}"'
    assert link in admin_page
    assert link not in clerk_page
    assert client.get(reverse("backoffice:staff")).status_code == 403
    assert client.get(reverse("backoffice:staff_detail", args=[clerk_a.pk])).status_code == 403


def test_the_list_shows_own_staff_with_role_and_last_sign_in_and_nobody_elses(client_a, clerk_a, clerk_b, facility_a):
    # given an operator who was given a role in the facility
    MembershipFactory(
        user=UserFactory(username="operator", is_superuser=True), organization=facility_a, role=Role.AUDITOR
    )

    # when
    response = client_a.get(reverse("backoffice:staff"))

    # then
    body = response.content.decode()
    assert response.status_code == 200
    assert "keuangan.sumenep" in body and "Sari Dewi" in body
    assert html("Finance officer") in body
    assert account_text("never") in body
    assert "keuangan.bondowoso" not in body and "budi" not in body
    assert "operator" not in body


def test_a_facility_admin_creates_an_account_from_the_page(client_a, staff_a, facility_a):
    # when
    response = client_a.post(
        reverse("backoffice:staff_create"),
        {
            "organization": facility_a.pk,
            "full_name": "Siti Aminah",
            "username": "produksi.sumenep",
            "email": "",
            "role": Role.PRODUCTION_OFFICER,
            "password": TEMPORARY,
        },
    )

    # then
    membership = Membership.objects.get(user__username="produksi.sumenep")
    assert response.status_code == 302
    assert response["Location"] == reverse("backoffice:staff_detail", args=[membership.pk])
    assert (membership.organization, membership.role) == (facility_a, Role.PRODUCTION_OFFICER)
    assert selectors.password_change_pending(user=membership.user)
    assert AuditEvent.objects.get(action=AuditAction.STAFF_CREATE).actor == staff_a


def test_a_refused_account_shows_the_reason_and_saves_nothing(client_a, facility_a, clerk_a):
    # when the username is taken and the password too common
    response = client_a.post(
        reverse("backoffice:staff_create"),
        {
            "organization": facility_a.pk,
            "full_name": "Orang Lain",
            "username": "Keuangan.Sumenep",
            "role": Role.INSTRUCTOR,
            "password": "password",
        },
    )

    # then
    body = response.content.decode()
    assert response.status_code == 200
    assert html("This username is taken.") in body
    assert 'class="form-row has-error"' in body
    assert get_user_model().objects.filter(username__iexact="keuangan.sumenep").count() == 1
    assert not AuditEvent.objects.exists()


def test_the_role_choices_are_the_facility_roles_only(client_a):
    # when
    body = client_a.get(reverse("backoffice:staff_create")).content.decode()

    # then
    offered = set(re.findall(r'<option value="([A-Z_]+)"', body))
    assert offered == {"FACILITY_ADMIN", "PRODUCTION_OFFICER", "FINANCE_OFFICER", "INSTRUCTOR", "AUDITOR"}


def test_role_password_deactivate_and_reactivate_from_the_page(client_a, clerk_a):
    detail = reverse("backoffice:staff_detail", args=[clerk_a.pk])

    # when the role changes
    response = client_a.post(reverse("backoffice:staff_role", args=[clerk_a.pk]), {"role": Role.AUDITOR})

    # then
    assert response.status_code == 302 and response["Location"] == detail
    clerk_a.refresh_from_db()
    assert clerk_a.role == Role.AUDITOR
    assert AuditEvent.objects.get(action=AuditAction.STAFF_ROLE_CHANGE).data["role_to"] == "AUDITOR"

    # when a temporary password is set
    response = client_a.post(reverse("backoffice:staff_password", args=[clerk_a.pk]), {"password": TEMPORARY})

    # then
    assert response.status_code == 302
    clerk_a.user.refresh_from_db()
    assert clerk_a.user.check_password(TEMPORARY)
    assert selectors.password_change_pending(user=clerk_a.user)

    # when deactivated, then reactivated
    assert client_a.post(reverse("backoffice:staff_deactivate", args=[clerk_a.pk])).status_code == 302
    clerk_a.user.refresh_from_db()
    assert not clerk_a.user.is_active
    assert account_text("Deactivated") in client_a.get(detail).content.decode()
    assert client_a.post(reverse("backoffice:staff_reactivate", args=[clerk_a.pk])).status_code == 302
    clerk_a.user.refresh_from_db()
    assert clerk_a.user.is_active
    assert [e.action for e in AuditEvent.objects.order_by("pk")] == [
        AuditAction.STAFF_ROLE_CHANGE,
        AuditAction.STAFF_PASSWORD_SET,
        AuditAction.STAFF_DEACTIVATE,
        AuditAction.STAFF_REACTIVATE,
    ]


def test_a_weak_temporary_password_is_refused_next_to_the_field(client_a, clerk_a):
    # when
    response = client_a.post(reverse("backoffice:staff_password", args=[clerk_a.pk]), {"password": "12345678"})

    # then
    assert response.status_code == 200
    assert 'class="form-row has-error"' in response.content.decode()
    clerk_a.user.refresh_from_db()
    assert clerk_a.user.check_password("pass-word-123")


def test_another_facilitys_staff_are_not_found_and_nothing_changes(client_a, clerk_b):
    # when every page and write names B's finance officer
    answers = [
        client_a.get(reverse("backoffice:staff_detail", args=[clerk_b.pk])).status_code,
        client_a.post(reverse("backoffice:staff_role", args=[clerk_b.pk]), {"role": Role.AUDITOR}).status_code,
        client_a.post(reverse("backoffice:staff_password", args=[clerk_b.pk]), {"password": TEMPORARY}).status_code,
        client_a.post(reverse("backoffice:staff_deactivate", args=[clerk_b.pk])).status_code,
        client_a.post(reverse("backoffice:staff_reactivate", args=[clerk_b.pk])).status_code,
    ]

    # then
    assert answers == [404] * 5
    clerk_b.refresh_from_db()
    clerk_b.user.refresh_from_db()
    assert (clerk_b.role, clerk_b.is_active, clerk_b.user.is_active) == (Role.FINANCE_OFFICER, True, True)
    assert clerk_b.user.check_password("pass-word-123")
    assert not AuditEvent.objects.exists()


def test_creating_an_account_in_another_facility_is_refused(client_a, facility_b):
    # when the form names B
    response = client_a.post(
        reverse("backoffice:staff_create"),
        {
            "organization": facility_b.pk,
            "full_name": "Penyusup",
            "username": "penyusup",
            "role": Role.FACILITY_ADMIN,
            "password": TEMPORARY,
        },
    )

    # then B is not even a choice
    assert response.status_code == 200
    assert not get_user_model().objects.filter(username="penyusup").exists()


def test_the_own_account_is_shown_without_forms_that_would_lock_the_admin_out(client_a, staff_a):
    # when
    own = Membership.objects.get(user=staff_a)
    body = client_a.get(reverse("backoffice:staff_detail", args=[own.pk])).content.decode()

    # then
    assert reverse("backoffice:staff_deactivate", args=[own.pk]) not in body
    assert reverse("backoffice:staff_role", args=[own.pk]) not in body

    # and a forged post is refused with the reason, changing nothing
    response = client_a.post(reverse("backoffice:staff_deactivate", args=[own.pk]))
    assert response.status_code == 200
    assert html("Another facility admin deactivates your own account.") in response.content.decode()
    staff_a.refresh_from_db()
    assert staff_a.is_active and Membership.objects.get(pk=own.pk).is_active


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_pages_fit_a_360_px_phone(client_a, clerk_a, language):
    # given
    with translation.override(language):
        urls = [
            reverse("backoffice:staff"),
            reverse("backoffice:staff_create"),
            reverse("backoffice:staff_detail", args=[clerk_a.pk]),
        ]

    # when
    bodies = [client_a.get(url).content.decode() for url in urls]

    # then each is the phone-first staff layout: the device-width viewport, the staff stylesheet, the list as
    # a table that stacks into labelled rows on a phone, full-width buttons, no inline style or script
    for url, body in zip(urls, bodies, strict=True):
        assert 'name="viewport" content="width=device-width' in body, url
        assert "css/staff.css" in body, url
        assert f'<html lang="{language}">' in body, url
        assert " style=" not in body and " onclick=" not in body, url
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", body), url
    listing = bodies[0]
    assert '<table class="stack">' in listing
    cells = re.findall(r"<td( data-label=\"[^\"]+\")?>", listing)
    assert cells and all(label for label in cells)
    assert 'class="btn btn-block"' in bodies[1] and 'class="btn btn-block"' in bodies[2]


def test_the_list_costs_the_same_queries_for_two_or_eight_people(client_a, facility_a):
    # given two people, counted
    MembershipFactory(organization=facility_a, role=Role.INSTRUCTOR)
    with CaptureQueriesContext(connection) as few:
        assert client_a.get(reverse("backoffice:staff")).status_code == 200

    # when six more join, one with a temporary password
    for _ in range(6):
        MembershipFactory(organization=facility_a, role=Role.AUDITOR)
    PendingPasswordChange.objects.create(user=Membership.objects.filter(role=Role.AUDITOR).first().user)

    # then the page asks the database as many times
    with CaptureQueriesContext(connection) as many:
        response = client_a.get(reverse("backoffice:staff"))
    assert response.content.decode().count('data-label="') >= 8 * 5
    assert len(many) == len(few)
