"""Login is required everywhere, and one facility's staff never reach another facility's rows."""

import datetime

import pytest
from django.urls import reverse

from binakarya.catalog.models import Photo, Product, Variant
from binakarya.core.models import AuditEvent
from binakarya.makers.models import GroupMembership, Maker
from binakarya.organizations.models import Role
from tests.backoffice.helpers import jpeg_with_gps, upload
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

GET_PAGES = [
    ("backoffice:dashboard", []),
    ("backoffice:products", []),
    ("backoffice:product_create", []),
    ("backoffice:product_edit", [1]),
    ("backoffice:variant_edit", [1, 1]),
    ("backoffice:producer_create", []),
    ("backoffice:producer_edit", [1]),
    ("backoffice:makers", []),
    ("backoffice:maker_create", []),
    ("backoffice:maker_edit", [1]),
    ("backoffice:groups", []),
    ("backoffice:group_create", []),
    ("backoffice:group_detail", [1]),
]
POST_ONLY = [
    ("backoffice:product_publish", [1]),
    ("backoffice:variant_add", [1]),
    ("backoffice:photo_upload", [1]),
    ("backoffice:photo_delete", [1, 1]),
    ("backoffice:photo_make_cover", [1, 1]),
    ("backoffice:group_member_add", [1]),
    ("backoffice:group_member_leave", [1, 1]),
    ("backoffice:group_profile_create", [1]),
]


@pytest.mark.parametrize(("name", "args"), GET_PAGES + POST_ONLY)
def test_anonymous_visitor_is_sent_to_login(client, name, args):
    # given
    url = reverse(name, args=args)

    # when
    response = client.post(url) if (name, args) in POST_ONLY else client.get(url)

    # then
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={url}"


def test_lists_never_contain_another_facilitys_rows(client_a, product_a, product_b, membership_a, membership_b):
    # when
    products = client_a.get(reverse("backoffice:products"))
    makers = client_a.get(reverse("backoffice:makers"))
    groups = client_a.get(reverse("backoffice:groups"))

    # then
    assert [p.pk for p in products.context["page"].object_list] == [product_a.pk]
    assert [m.pk for m in makers.context["page"].object_list] == [membership_a.maker_id]
    assert [g.pk for g in groups.context["groups"]] == [membership_a.group_id]
    body = products.content.decode() + makers.content.decode() + groups.content.decode()
    for secret in ("Pecut Bondowoso", "Bambang Rahasia", "BI-200/2025", "Kelompok Pecut Bondowoso"):
        assert secret not in body


def test_filtering_makers_by_another_organization_shows_nothing(client_a, facility_b, membership_a, membership_b):
    # when
    response = client_a.get(reverse("backoffice:makers"), {"organisasi": facility_b.pk})

    # then
    assert list(response.context["page"].object_list) == []
    assert "Bambang Rahasia" not in response.content.decode()


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("backoffice:product_edit", lambda f: [f["product_b"].pk]),
        ("backoffice:variant_edit", lambda f: [f["product_b"].pk, f["product_b"].variants.get().pk]),
        ("backoffice:variant_edit", lambda f: [f["product_a"].pk, f["product_b"].variants.get().pk]),
        ("backoffice:producer_edit", lambda f: [f["product_b"].producer_id]),
        ("backoffice:maker_edit", lambda f: [f["membership_b"].maker_id]),
        ("backoffice:group_detail", lambda f: [f["membership_b"].group_id]),
    ],
)
def test_another_facilitys_pages_are_not_found(client_a, product_a, product_b, membership_b, name, args):
    # given
    url = reverse(name, args=args({"product_a": product_a, "product_b": product_b, "membership_b": membership_b}))

    # when
    response = client_a.get(url)

    # then
    assert response.status_code == 404


def test_writes_to_another_facilitys_rows_are_not_found_and_change_nothing(
    client_a, product_a, product_b, membership_b, maker_a
):
    # given
    variant_b = product_b.variants.get()
    photo_count, audit_count = Photo.objects.count(), AuditEvent.objects.count()
    b_group = membership_b.group

    # when
    responses = [
        client_a.post(
            reverse("backoffice:product_edit", args=[product_b.pk]),
            {"name": "Dibajak", "category": product_b.category_id, "moq": 1},
        ),
        client_a.post(reverse("backoffice:product_publish", args=[product_b.pk])),
        client_a.post(
            reverse("backoffice:variant_add", args=[product_b.pk]),
            {"variant-sku": "HACK-1", "variant-price_idr": 1000},
        ),
        client_a.post(
            reverse("backoffice:variant_edit", args=[product_b.pk, variant_b.pk]),
            {"sku": variant_b.sku, "price_idr": 1},
        ),
        client_a.post(
            reverse("backoffice:photo_upload", args=[product_b.pk]),
            {"photo": upload("a.jpg", jpeg_with_gps(size=(64, 64)))},
        ),
        client_a.post(reverse("backoffice:producer_edit", args=[product_b.producer_id]), {"description": "Dibajak"}),
        client_a.post(reverse("backoffice:maker_edit", args=[membership_b.maker_id]), {"full_name": "Dibajak"}),
        client_a.post(
            reverse("backoffice:group_member_add", args=[b_group.pk]),
            {"maker": maker_a.pk, "joined_date": "2025-03-01"},
        ),
        client_a.post(
            reverse("backoffice:group_member_leave", args=[b_group.pk, membership_b.pk]),
            {"left_date": "2025-03-01"},
        ),
        client_a.post(reverse("backoffice:group_profile_create", args=[b_group.pk])),
    ]

    # then
    assert [r.status_code for r in responses] == [404] * len(responses)
    product_b.refresh_from_db()
    variant_b.refresh_from_db()
    membership_b.refresh_from_db()
    assert (product_b.name, product_b.is_published) == ("Pecut Bondowoso", True)
    assert list(product_b.variants.values_list("sku", "price_idr")) == [(variant_b.sku, 250_000)]
    assert product_b.producer.description == ""
    assert Maker.objects.get(pk=membership_b.maker_id).full_name == "Bambang Rahasia"
    assert membership_b.left_date is None
    assert GroupMembership.objects.filter(group=b_group).count() == 1
    assert Photo.objects.count() == photo_count
    assert Variant.objects.filter(sku="HACK-1").exists() is False
    assert AuditEvent.objects.count() == audit_count


def test_staff_of_both_facilities_see_both(client, facility_a, facility_b, product_a, product_b):
    # given
    user = UserFactory(username="kanwil-op")
    MembershipFactory(user=user, organization=facility_a, role=Role.PRODUCTION_OFFICER)
    MembershipFactory(user=user, organization=facility_b, role=Role.PRODUCTION_OFFICER)
    client.force_login(user)

    # when
    response = client.get(reverse("backoffice:products"))

    # then
    assert sorted(p.pk for p in response.context["page"].object_list) == sorted([product_a.pk, product_b.pk])


def test_regional_viewer_cannot_open_makers_or_catalog_pages(client, facility_a, membership_a, product_a):
    # given a Kanwil viewer of the facility's province
    viewer = MembershipFactory(organization=facility_a, role=Role.REGIONAL_VIEWER).user
    client.force_login(viewer)

    # when
    makers = client.get(reverse("backoffice:makers"))
    groups = client.get(reverse("backoffice:groups"))
    maker = client.get(reverse("backoffice:maker_edit", args=[membership_a.maker_id]))
    products = client.get(reverse("backoffice:products"))
    product = client.get(reverse("backoffice:product_edit", args=[product_a.pk]))
    dashboard = client.get(reverse("backoffice:dashboard"))

    # then
    assert [makers.status_code, groups.status_code, maker.status_code] == [403, 403, 404]
    assert [products.status_code, product.status_code] == [403, 404]
    assert dashboard.status_code == 200
    assert "Ahmad Rahasia" not in dashboard.content.decode()


def test_auditor_sees_a_maker_but_a_change_is_forbidden(client, facility_a, maker_a):
    # given
    auditor = MembershipFactory(organization=facility_a, role=Role.AUDITOR).user
    client.force_login(auditor)
    audit_count = AuditEvent.objects.count()

    # when
    page = client.get(reverse("backoffice:maker_edit", args=[maker_a.pk]))
    change = client.post(
        reverse("backoffice:maker_edit", args=[maker_a.pk]),
        {"full_name": "Nama Baru", "registration_number": "BI-100/2025", "status": "ACTIVE"},
    )

    # then
    assert page.status_code == 200
    assert page.context["can_manage"] is False
    assert change.status_code == 403
    maker_a.refresh_from_db()
    assert maker_a.full_name == "Ahmad Rahasia"
    assert AuditEvent.objects.count() == audit_count


def test_finance_officer_cannot_create_a_product(client, facility_a, producer_a, batik):
    # given a role that sees makers but does not manage the catalog
    officer = MembershipFactory(organization=facility_a, role=Role.FINANCE_OFFICER).user
    client.force_login(officer)

    # when
    page = client.get(reverse("backoffice:product_create"))
    post = client.post(
        reverse("backoffice:product_create"),
        {"producer": producer_a.pk, "category": batik.pk, "name": "X", "moq": 1, "sku": "X-1", "price_idr": 1000},
    )

    # then
    assert [page.status_code, post.status_code] == [403, 403]
    assert Product.objects.count() == 0


def test_instructor_cannot_add_a_member(client, group_a, maker_a):
    # given a role that sees makers but does not manage them
    instructor = MembershipFactory(organization=group_a.organization, role=Role.INSTRUCTOR).user
    client.force_login(instructor)

    # when
    response = client.post(
        reverse("backoffice:group_member_add", args=[group_a.pk]),
        {"maker": maker_a.pk, "joined_date": datetime.date(2025, 3, 1).isoformat()},
    )

    # then
    assert response.status_code == 403
    assert GroupMembership.objects.count() == 0
