import pytest
from django.urls import reverse

from binakarya.catalog.models import Producer, Product, Variant
from binakarya.core.models import AuditEvent
from tests.backoffice.helpers import html, text

pytestmark = pytest.mark.django_db


def product_post(producer, category, **overrides):
    data = {
        "producer": producer.pk,
        "category": category.pk,
        "name": "Kain Batik Tulis Kembang Kapas",
        "description": "Pewarna alam.",
        "materials": "katun primisima",
        "technique": "tulis",
        "lead_time_days": "",
        "moq": 1,
        "is_published": "on",
        "sku": "smp-btk-001",
        "variant_name": "2 x 1,15 m",
        "price_idr": 450000,
        "weight_grams": 300,
        "length_mm": 2000,
        "width_mm": 1150,
        "height_mm": "",
    }
    data.update(overrides)
    return data


def test_dashboard_shows_organizations_roles_and_counts(client_a, product_a, membership_a):
    # when
    response = client_a.get(reverse("backoffice:dashboard"))

    # then
    assert response.status_code == 200
    organizations = response.context["organizations"]
    assert [(e["organization"].name, e["roles"]) for e in organizations] == [
        ("Rutan Kelas IIB Sumenep", [text("Facility admin")])
    ]
    assert (response.context["product_count"], response.context["maker_count"], response.context["group_count"]) == (
        1,
        1,
        1,
    )
    assert [p.pk for p in response.context["producers"]] == [product_a.producer_id]


def test_create_product_with_its_first_variant(client_a, producer_a, batik, staff_a):
    # when
    response = client_a.post(reverse("backoffice:product_create"), product_post(producer_a, batik))

    # then
    product = Product.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("backoffice:product_edit", args=[product.pk])
    assert (product.name, product.organization_id, product.producer_id, product.category_id) == (
        "Kain Batik Tulis Kembang Kapas",
        producer_a.organization_id,
        producer_a.pk,
        batik.pk,
    )
    assert (product.materials, product.moq, product.lead_time_days, product.is_published) == (
        "katun primisima",
        1,
        0,
        True,
    )
    # Stock only comes from recorded lots, so a new product starts with none.
    assert (product.price_min_idr, product.price_max_idr, product.in_stock) == (450_000, 450_000, False)
    variant = product.variants.get()
    assert (variant.sku, variant.name, variant.price_idr, variant.stock_quantity) == (
        "SMP-BTK-001",
        "2 x 1,15 m",
        450_000,
        0,
    )
    assert (variant.weight_grams, variant.length_mm, variant.width_mm, variant.height_mm) == (300, 2000, 1150, 0)
    assert AuditEvent.objects.filter(action="product.create", actor=staff_a, object_id=str(product.pk)).count() == 1


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"sku": "bad sku!"}, "sku", "A SKU has 2 to 40 capital letters, digits or dashes, e.g. SMP-BTK-001."),
        ({"price_idr": 0}, "price_idr", "The price must be more than Rp0."),
        ({"name": "   "}, "name", "This field is required."),
        (
            {"made_to_order": "on", "lead_time_days": 0},
            "lead_time_days",
            "A made-to-order product needs a lead time of at least one day.",
        ),
    ],
)
def test_create_product_with_invalid_data_shows_the_error_and_saves_nothing(
    client_a, producer_a, batik, overrides, field, message
):
    # given
    audit_count = AuditEvent.objects.count()

    # when
    response = client_a.post(reverse("backoffice:product_create"), product_post(producer_a, batik, **overrides))

    # then
    assert response.status_code == 200
    assert response.context["form"].errors == {field: [text(message)]}
    assert html(message) in response.content.decode()
    assert Product.objects.count() == 0
    assert Variant.objects.count() == 0
    assert AuditEvent.objects.count() == audit_count


def test_create_product_with_a_used_sku_saves_nothing(client_a, producer_a, batik, product_a):
    # given
    taken = product_a.variants.get().sku

    # when
    response = client_a.post(reverse("backoffice:product_create"), product_post(producer_a, batik, sku=taken))

    # then
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["sku"]
    assert Product.objects.count() == 1
    assert Variant.objects.count() == 1


def test_create_product_offers_only_the_users_producers(client_a, producer_a, producer_b, batik):
    # when
    page = client_a.get(reverse("backoffice:product_create"))
    post = client_a.post(reverse("backoffice:product_create"), product_post(producer_b, batik))

    # then
    assert list(page.context["form"].fields["producer"].queryset) == [producer_a]
    assert post.status_code == 200
    assert list(post.context["form"].errors) == ["producer"]
    assert Product.objects.count() == 0


def test_edit_product_details(client_a, product_a, pecut, staff_a):
    # when
    response = client_a.post(
        reverse("backoffice:product_edit", args=[product_a.pk]),
        {
            "name": "Kain Batik Sekar Jagad Sogan",
            "category": pecut.pk,
            "description": "Baru",
            "story": "",
            "materials": "katun",
            "technique": "tulis",
            "certifications": "Batikmark",
            "hs_code": "5208.52",
            "lead_time_days": 0,
            "moq": 2,
            "is_published": "on",
        },
    )

    # then
    assert response.status_code == 302
    product_a.refresh_from_db()
    assert (product_a.name, product_a.category_id, product_a.moq, product_a.certifications, product_a.hs_code) == (
        "Kain Batik Sekar Jagad Sogan",
        pecut.pk,
        2,
        "Batikmark",
        "5208.52",
    )
    event = AuditEvent.objects.get(action="product.update")
    assert event.actor == staff_a
    assert event.data["fields"] == sorted(
        ["name", "category", "description", "materials", "technique", "certifications", "hs_code", "moq"]
    )


def test_edit_product_with_invalid_moq_changes_nothing(client_a, product_a):
    # when
    response = client_a.post(
        reverse("backoffice:product_edit", args=[product_a.pk]),
        {"name": "Lain", "category": product_a.category_id, "moq": 0, "is_published": "on"},
    )

    # then
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["moq"]
    product_a.refresh_from_db()
    assert (product_a.name, product_a.moq) == ("Kain Batik Sekar Jagad", 1)


def test_product_page_renders_photos_variants_and_details(client_a, product_a):
    # when
    response = client_a.get(reverse("backoffice:product_edit", args=[product_a.pk]))

    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert 'accept="image/*"' in html
    assert 'capture="environment"' in html
    assert 'enctype="multipart/form-data"' in html
    assert 'data-photo-upload data-swap="#photos"' in html
    assert '<script src="/static/js/photo-upload.js" defer></script>' in html
    assert f'action="{reverse("backoffice:photo_upload", args=[product_a.pk])}"' in html
    assert product_a.variants.get().sku in html


def test_publish_toggle_hides_and_shows_the_product(client_a, product_a):
    # when
    hidden = client_a.post(reverse("backoffice:product_publish", args=[product_a.pk]))
    product_a.refresh_from_db()
    was_published = product_a.is_published
    shown = client_a.post(reverse("backoffice:product_publish", args=[product_a.pk]))
    product_a.refresh_from_db()

    # then
    assert hidden.status_code == shown.status_code == 302
    assert hidden["Location"] == reverse("backoffice:product_edit", args=[product_a.pk])
    assert (was_published, product_a.is_published) == (False, True)


def test_publish_toggle_ignores_an_offsite_next(client_a, product_a):
    # when
    response = client_a.post(reverse("backoffice:product_publish", args=[product_a.pk]), {"next": "https://evil.test/"})

    # then
    assert response["Location"] == reverse("backoffice:product_edit", args=[product_a.pk])


def test_add_a_variant(client_a, product_a):
    # when
    response = client_a.post(
        reverse("backoffice:variant_add", args=[product_a.pk]),
        {
            "variant-sku": "SMP-BTK-002",
            "variant-name": "Selendang",
            "variant-price_idr": 150000,
            "variant-is_active": "on",
        },
    )

    # then
    assert response.status_code == 302
    product_a.refresh_from_db()
    assert sorted(product_a.variants.values_list("sku", "price_idr")) == [
        (f"SKU-{product_a.pk}-0", 250_000),
        ("SMP-BTK-002", 150_000),
    ]
    assert (product_a.price_min_idr, product_a.price_max_idr) == (150_000, 250_000)


def test_add_a_variant_with_a_duplicate_sku_adds_nothing(client_a, product_a):
    # given
    taken = product_a.variants.get().sku

    # when
    response = client_a.post(
        reverse("backoffice:variant_add", args=[product_a.pk]),
        {"variant-sku": taken.lower(), "variant-price_idr": 150000, "variant-is_active": "on"},
    )

    # then
    assert response.status_code == 200
    assert response.context["variant_form"].errors == {"sku": [text("SKU %(sku)s is already used.", sku=taken)]}
    assert product_a.variants.count() == 1


def test_edit_a_variant(client_a, product_a):
    # given
    variant = product_a.variants.get()

    # when
    response = client_a.post(
        reverse("backoffice:variant_edit", args=[product_a.pk, variant.pk]),
        {"sku": "SMP-BTK-009", "name": "Besar", "price_idr": 475000, "weight_grams": 310},
    )

    # then
    assert response.status_code == 302
    variant.refresh_from_db()
    product_a.refresh_from_db()
    # Editing a variant never touches its stock, which only movements change.
    assert (variant.sku, variant.name, variant.price_idr, variant.stock_quantity, variant.is_active) == (
        "SMP-BTK-009",
        "Besar",
        475_000,
        3,
        False,
    )
    assert (product_a.price_min_idr, product_a.in_stock) == (0, False)


def test_edit_a_variant_with_price_zero_changes_nothing(client_a, product_a):
    # given
    variant = product_a.variants.get()

    # when
    response = client_a.post(
        reverse("backoffice:variant_edit", args=[product_a.pk, variant.pk]),
        {"sku": variant.sku, "price_idr": 0, "is_active": "on"},
    )

    # then
    assert response.status_code == 200
    assert response.context["form"].errors == {"price_idr": [text("The price must be more than Rp0.")]}
    variant.refresh_from_db()
    assert variant.price_idr == 250_000


def test_edit_producer_profile_normalises_the_phone(client_a, producer_a):
    # when
    response = client_a.post(
        reverse("backoffice:producer_edit", args=[producer_a.pk]),
        {"description": "Kelompok batik.", "story": "Sejak 2019.", "phone": "0812-3456-0000", "is_published": "on"},
    )

    # then
    assert response.status_code == 302
    producer_a.refresh_from_db()
    assert (producer_a.description, producer_a.story, producer_a.phone, producer_a.is_published) == (
        "Kelompok batik.",
        "Sejak 2019.",
        "6281234560000",
        True,
    )


def test_edit_producer_profile_with_a_bad_phone_shows_the_error_and_changes_nothing(client_a, producer_a):
    # when
    response = client_a.post(
        reverse("backoffice:producer_edit", args=[producer_a.pk]),
        {"description": "Baru", "phone": "12345", "is_published": "on"},
    )

    # then
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "phone": [text("Enter an Indonesian phone number, e.g. 0812 3456 7890.")]
    }
    producer_a.refresh_from_db()
    assert (producer_a.description, producer_a.phone) == ("", "6281234567890")


def test_group_profile_is_created_from_the_group_page(client_a, group_a):
    # when
    response = client_a.post(reverse("backoffice:group_profile_create", args=[group_a.pk]))

    # then
    producer = group_a.producer
    assert response.status_code == 302
    assert response["Location"] == reverse("backoffice:producer_edit", args=[producer.pk])
    assert (producer.name, producer.kind, producer.organization_id) == (
        group_a.name,
        "FACILITY_GROUP",
        group_a.organization_id,
    )


def test_group_profile_is_not_created_twice(client_a, producer_a):
    # given the group already has its profile
    group = producer_a.group

    # when
    response = client_a.post(reverse("backoffice:group_profile_create", args=[group.pk]), follow=True)

    # then
    assert response.redirect_chain == [(reverse("backoffice:group_detail", args=[group.pk]), 302)]
    assert [str(m) for m in response.context["messages"]] == [text("This group already has a public profile.")]
    assert Producer.objects.filter(group=group).count() == 1
