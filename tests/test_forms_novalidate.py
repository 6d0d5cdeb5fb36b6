"""Every form of every page leaves checking to the server, so people read the form's own messages in their
language, never the browser's English tooltips ("Please enter a number", "Please match the format")."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from binakarya.organizations.models import Role
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory

ROOT = Path(__file__).resolve().parents[1] / "binakarya"
FORM_TAG = re.compile(r"<form\b[^>]*>", re.DOTALL)


def form_tags() -> list[tuple[str, str]]:
    return [
        (str(path.relative_to(ROOT)), tag)
        for path in sorted(ROOT.glob("**/templates/**/*.html"))
        for tag in FORM_TAG.findall(path.read_text(encoding="utf-8"))
    ]


def test_the_templates_have_forms():
    # when / then: the check below looks at something
    assert len(form_tags()) >= 40


def test_every_form_in_every_template_is_novalidate():
    # when
    missing = [f"{path}: {tag}" for path, tag in form_tags() if "novalidate" not in tag]

    # then
    assert missing == []


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["backoffice:product_create", "backoffice:sale_create", "backoffice:rule_create"])
def test_staff_forms_render_novalidate(client, name):
    # given
    facility = OrganizationFactory()
    user = UserFactory()
    MembershipFactory(user=user, organization=facility, role=Role.FACILITY_ADMIN)
    client.force_login(user)

    # when
    body = client.get(reverse(name)).content.decode()

    # then
    tags = FORM_TAG.findall(body)
    assert tags and all("novalidate" in tag for tag in tags)


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["accounts:login", "storefront:catalog"])
def test_public_forms_render_novalidate(client, name):
    # when
    body = client.get(reverse(name)).content.decode()

    # then
    tags = FORM_TAG.findall(body)
    assert tags and all("novalidate" in tag for tag in tags)
