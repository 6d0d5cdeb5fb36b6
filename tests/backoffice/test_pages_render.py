"""Every staff page renders for its users, in both languages, with the phone-friendly staff stylesheet."""

import pytest
from django.urls import reverse
from django.utils import translation

from binakarya.catalog.services import photo_add
from binakarya.organizations.models import Role
from tests.backoffice.helpers import png_bytes, upload
from tests.factories import MembershipFactory, ProducerOrgFactory, UmkmProducerFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["id", "en"])
def test_facility_staff_pages_render(client_a, product_a, membership_a, language):
    # given a product with a photo and a group with a member
    photo_add(actor=None, product=product_a, upload=upload("a.png", png_bytes(size=(500, 500)), "image/png"))
    variant = product_a.variants.get()
    with translation.override(language):
        urls = [
            reverse("backoffice:dashboard"),
            reverse("backoffice:products"),
            reverse("backoffice:products") + "?q=batik",
            reverse("backoffice:product_create"),
            reverse("backoffice:product_edit", args=[product_a.pk]),
            reverse("backoffice:variant_edit", args=[product_a.pk, variant.pk]),
            reverse("backoffice:producer_edit", args=[product_a.producer_id]),
            reverse("backoffice:makers"),
            reverse("backoffice:makers") + "?status=ACTIVE&q=ahmad",
            reverse("backoffice:maker_create"),
            reverse("backoffice:maker_edit", args=[membership_a.maker_id]),
            reverse("backoffice:groups"),
            reverse("backoffice:group_create"),
            reverse("backoffice:group_detail", args=[membership_a.group_id]),
            reverse("accounts:password_change"),
        ]

    # when
    responses = [client_a.get(url) for url in urls]

    # then
    assert [(url, r.status_code) for url, r in zip(urls, responses, strict=True)] == [(url, 200) for url in urls]
    for response in responses:
        body = response.content.decode()
        assert "css/staff.css" in body
        assert '<meta name="robots" content="noindex">' in body
        assert f'<html lang="{language}">' in body


def test_producer_operator_pages_render(client):
    # given an UMKM operator with a profile
    umkm = ProducerOrgFactory(name="Batik Tamanan")
    producer = UmkmProducerFactory(organization=umkm, slug="batik-tamanan")
    client.force_login(MembershipFactory(organization=umkm, role=Role.PRODUCER_OPERATOR).user)

    # when
    responses = {
        name: client.get(reverse(name, args=args))
        for name, args in [
            ("backoffice:dashboard", []),
            ("backoffice:producer_create", []),
            ("backoffice:producer_edit", [producer.pk]),
            ("backoffice:makers", []),
            ("backoffice:groups", []),
        ]
    }

    # then
    assert {name: r.status_code for name, r in responses.items()} == dict.fromkeys(responses, 200)
    assert responses["backoffice:groups"].context["can_create"] is False
    assert responses["backoffice:dashboard"].context["can_create_producer"] is True


def test_producer_operator_creates_a_profile(client):
    # given
    umkm = ProducerOrgFactory(name="Anyaman Pandan Sari")
    client.force_login(MembershipFactory(organization=umkm, role=Role.PRODUCER_OPERATOR).user)

    # when
    response = client.post(
        reverse("backoffice:producer_create"),
        {
            "organization": umkm.pk,
            "name": "Anyaman Pandan Sari",
            "description": "Tikar pandan.",
            "phone": "0812 1111 2222",
        },
    )

    # then
    producer = umkm.producers.get()
    assert response.status_code == 302
    assert (producer.name, producer.kind, producer.group_id, producer.phone) == (
        "Anyaman Pandan Sari",
        "UMKM",
        None,
        "6281211112222",
    )


def test_producer_create_with_bad_phone_creates_nothing(client):
    # given
    umkm = ProducerOrgFactory()
    client.force_login(MembershipFactory(organization=umkm, role=Role.PRODUCER_OPERATOR).user)

    # when
    response = client.post(
        reverse("backoffice:producer_create"), {"organization": umkm.pk, "name": "Anyaman", "phone": "abc"}
    )

    # then
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["phone"]
    assert umkm.producers.count() == 0


def test_facility_staff_cannot_open_umkm_profile_creation(client_a):
    # when
    response = client_a.get(reverse("backoffice:producer_create"))

    # then
    assert response.status_code == 403


def test_user_without_any_role_sees_an_explanation(client):
    # given
    client.force_login(UserFactory(username="baru"))

    # when
    response = client.get(reverse("backoffice:dashboard"))

    # then
    assert response.status_code == 200
    assert response.context["organizations"] == []
    assert (response.context["can_catalog"], response.context["can_makers"]) == (False, False)
