"""Signing in with a temporary password leads to the password change page and nowhere else until the user
chooses their own; a deactivated account cannot sign in at all."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from binakarya.accounts import selectors, services
from binakarya.organizations.models import Role
from tests.factories import MakerFactory, MembershipFactory, OrganizationFactory, UserFactory

TEMPORARY = "kopi-tubruk-2026"
OWN = "Batik-Tulis-Sendiri-7"

pytestmark = pytest.mark.django_db


@pytest.fixture
def facility():
    return OrganizationFactory(name="Rutan Kelas IIB Sumenep", slug="rutan-sumenep")


@pytest.fixture
def admin(facility):
    return MembershipFactory(
        user=UserFactory(username="admin.sumenep"), organization=facility, role=Role.FACILITY_ADMIN
    ).user


@pytest.fixture
def new_staff(admin, facility):
    return services.staff_create(
        actor=admin,
        organization=facility,
        username="produksi.sumenep",
        full_name="Siti Aminah",
        role=Role.PRODUCTION_OFFICER,
        password=TEMPORARY,
    )


def sign_in(client, username, password):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_a_new_account_must_choose_its_own_password_before_anything_else(client, facility, new_staff):
    # given
    MakerFactory(organization=facility, full_name="Ahmad Rahasia")

    # when the new officer signs in with the temporary password
    response = sign_in(client, "produksi.sumenep", TEMPORARY)

    # then every page leads to the password change page, and the API refuses
    assert response.status_code == 302
    for url in (reverse("backoffice:dashboard"), reverse("backoffice:makers"), reverse("backoffice:products")):
        page = client.get(url)
        assert (page.status_code, page["Location"]) == (302, reverse("accounts:password_change")), url
    api = client.get("/api/v1/makers")
    assert api.status_code == 403 and b"Ahmad" not in api.content
    page = client.get(reverse("accounts:password_change"))
    assert page.status_code == 200
    with translation.override("id"):
        note = gettext("Your facility admin gave you a temporary password. Choose your own password to continue.")
    assert note in page.content.decode()

    # when they choose their own
    saved = client.post(
        reverse("accounts:password_change"),
        {"old_password": TEMPORARY, "new_password1": OWN, "new_password2": OWN},
    )

    # then the staff pages open
    assert saved.status_code == 302
    assert not selectors.password_change_pending(user=new_staff.user)
    assert client.get(reverse("backoffice:makers")).status_code == 200
    assert b"Ahmad Rahasia" in client.get(reverse("backoffice:makers")).content


def test_a_reset_ends_the_sessions_of_the_account(client, admin, new_staff):
    # given the officer chose a password and is signed in
    services.password_change_completed(user=new_staff.user)
    client.force_login(new_staff.user)
    assert client.get(reverse("backoffice:dashboard")).status_code == 200

    # when their facility admin gives them a temporary password
    services.staff_password_set(actor=admin, membership=new_staff, password="teh-poci-2026")

    # then the open session has ended
    response = client.get(reverse("backoffice:dashboard"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_a_deactivated_account_cannot_sign_in(client, admin, new_staff):
    # given
    services.password_change_completed(user=new_staff.user)
    services.staff_deactivate(actor=admin, membership=new_staff)

    # when
    response = sign_in(client, "produksi.sumenep", TEMPORARY)

    # then the form answers as for a wrong password, and nobody is signed in
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("backoffice:dashboard")).status_code == 302


def test_a_password_chosen_through_the_emailed_link_replaces_the_temporary_one(client, facility, admin):
    # given an officer with an email address and a temporary password
    membership = services.staff_create(
        actor=admin,
        organization=facility,
        username="keuangan.sumenep",
        full_name="Sari Dewi",
        email="sari@rutan.test",
        role=Role.FINANCE_OFFICER,
        password=TEMPORARY,
    )

    # when they use the forgotten-password email instead
    client.post(reverse("accounts:password_reset"), {"email": "sari@rutan.test"})
    link = re.findall(r"http://testserver(/\S+)", mail.outbox[0].body)[0]
    form_url = client.get(link)["Location"]
    saved = client.post(form_url, {"new_password1": OWN, "new_password2": OWN})

    # then the password is theirs and they are not held on the password page
    assert saved.status_code == 302
    assert not selectors.password_change_pending(user=membership.user)
    sign_in(client, "keuangan.sumenep", OWN)
    assert client.get(reverse("backoffice:dashboard")).status_code == 200
