"""The ``admin`` user of /admin/ edits reference data only: it is no superuser, and it can reach neither
makers nor staff accounts, passwords or memberships (README: "Django admin, reference data only")."""

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.urls import reverse

from binakarya.accounts.services import REFERENCE_DATA_MODELS, reference_editor_ensure
from binakarya.demo import data as demo
from binakarya.demo.management.commands.load_demo import Command as LoadDemo
from binakarya.organizations.models import Role
from tests.factories import CategoryFactory, MakerFactory, MembershipFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

REFERENCE = {f"{app}.{model}" for app, model in REFERENCE_DATA_MODELS}


@pytest.fixture
def world():
    """A facility with a maker and a finance officer, a category, and the reference data editor."""
    facility = OrganizationFactory(name="Rutan Kelas IIB Sumenep", slug="rutan-sumenep")
    maker = MakerFactory(organization=facility, full_name="Ahmad Rahasia", registration_number="BI-100/2025")
    clerk = MembershipFactory(
        user=UserFactory(username="keuangan.sumenep"), organization=facility, role=Role.FINANCE_OFFICER
    )
    CategoryFactory()
    editor = reference_editor_ensure(username="admin", password_hash=make_password("binakarya-demo"))
    return {"facility": facility, "maker": maker, "clerk": clerk, "editor": editor}


@pytest.fixture
def editor_client(client, world):
    client.force_login(world["editor"])
    return client


def admin_pages():
    """(model label, name, url) of every changelist, add page and first object's change page in /admin/."""
    pages = []
    for model in admin.site._registry:
        opts = model._meta
        label = opts.label_lower
        pages.append((label, "changelist", reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")))
        pages.append((label, "add", reverse(f"admin:{opts.app_label}_{opts.model_name}_add")))
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            pages.append(
                (label, "change", reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[first.pk]))
            )
    return pages


def test_the_reference_editor_is_staff_but_not_a_superuser(world):
    editor = world["editor"]
    assert editor.is_staff and not editor.is_superuser
    assert not editor.memberships.exists()
    assert [g.name for g in editor.groups.all()] == ["Reference data"]


def test_every_admin_page_answers_200_for_reference_data_and_403_for_the_rest(editor_client, world):
    # given every page /admin/ registers, for every model
    pages = admin_pages()
    assert {label for label, _, _ in pages} >= {"auth.user", "auth.group"} | REFERENCE

    # when the reference data editor opens each
    answers = {(label, name): editor_client.get(url).status_code for label, name, url in pages}

    # then reference data opens and nothing else does
    for (label, name), status in answers.items():
        expected = 200 if label in REFERENCE else 403
        assert status == expected, f"{label} {name}: {status}"


def test_the_organization_page_shows_no_memberships(editor_client, world):
    # when
    response = editor_client.get(reverse("admin:organizations_organization_change", args=[world["facility"].pk]))

    # then the facility opens without its staff (the memberships inline needs permissions it lacks)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Rutan Kelas IIB Sumenep" in content
    assert "keuangan.sumenep" not in content


def test_the_reference_editor_cannot_set_a_staff_password(editor_client, world):
    # given
    clerk = world["clerk"].user
    url = reverse("admin:auth_user_password_change", args=[clerk.pk])

    # when
    page = editor_client.get(url)
    post = editor_client.post(url, {"password1": "diambil-alih-2026", "password2": "diambil-alih-2026"})

    # then
    assert (page.status_code, post.status_code) == (403, 403)
    clerk.refresh_from_db()
    assert clerk.check_password("pass-word-123")
    assert not clerk.check_password("diambil-alih-2026")


def test_the_reference_editor_cannot_pick_users_through_an_autocomplete(editor_client, world):
    # when the memberships inline's user picker is asked directly
    response = editor_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "organizations", "model_name": "membership", "field_name": "user", "term": "keu"},
    )

    # then
    assert response.status_code == 403
    assert b"keuangan.sumenep" not in response.content


def test_the_reference_editor_sees_no_makers_on_the_staff_pages_or_the_api(editor_client, world):
    # when
    page = editor_client.get(reverse("backoffice:makers"))
    api = editor_client.get("/api/v1/makers")
    staff = editor_client.get("/api/v1/staff")

    # then
    assert page.status_code == 403
    assert api.status_code == 200 and api.json() == {"count": 0, "items": []}
    assert staff.status_code == 403
    for response in (page, api, staff):
        assert b"Ahmad Rahasia" not in response.content and b"BI-100" not in response.content


def test_the_reference_editor_cannot_set_a_password_through_the_staff_api(editor_client, world):
    # when
    response = editor_client.post(
        f"/api/v1/staff/{world['clerk'].pk}/password",
        {"password": "diambil-alih-2026"},
        content_type="application/json",
    )

    # then
    assert response.status_code == 403
    world["clerk"].user.refresh_from_db()
    assert world["clerk"].user.check_password("pass-word-123")


def test_an_existing_superuser_admin_is_demoted(db):
    # given the admin of an older demo database
    old = get_user_model().objects.create_superuser("admin", "admin@example.test", "binakarya-demo")

    # when
    editor = reference_editor_ensure(username="admin")

    # then
    editor.refresh_from_db()
    assert editor.pk == old.pk
    assert (editor.is_staff, editor.is_superuser) == (True, False)
    assert editor.check_password("binakarya-demo")


def test_the_demo_admin_is_a_reference_editor_and_every_facility_has_an_admin(db):
    # given the organizations the demo users belong to
    orgs = {slug: OrganizationFactory(slug=slug) for slug in sorted({slug for _, slug, _, _ in demo.USERS})}

    # when the demo users are loaded
    LoadDemo()._users(orgs)

    # then
    editor = get_user_model().objects.get(username="admin")
    assert editor.is_staff and not editor.is_superuser
    facilities = {org["slug"] for org in demo.ORGANIZATIONS if org["kind"] == "FACILITY"}
    with_admin = {slug for _, slug, role, _ in demo.USERS if role == Role.FACILITY_ADMIN}
    assert facilities <= with_admin
