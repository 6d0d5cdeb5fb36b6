from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from binakarya.catalog import services
from binakarya.catalog.models import Photo, Product, Variant
from binakarya.catalog.services import VariantInput, product_create, product_update, variant_update
from binakarya.core.models import AuditEvent
from binakarya.organizations.models import Role
from tests.api.helpers import png_upload
from tests.factories import CategoryFactory, MembershipFactory, ProducerFactory, ProductFactory

pytestmark = pytest.mark.django_db


def test_product_create_denormalises_prices_stock_and_search():
    # given
    producer = ProducerFactory()
    category = CategoryFactory(name="Batik Tulis", name_en="Hand-drawn batik", slug="batik-tulis")
    staff = MembershipFactory(organization=producer.organization, role=Role.PRODUCTION_OFFICER).user

    # when
    product = product_create(
        actor=staff,
        producer=producer,
        category=category,
        name="Kain Batik Tulis Sekar Jagad",
        description="Dibatik dengan canting",
        variants=[
            VariantInput(sku="smp-btk-9", price_idr=450_000),
            VariantInput(sku="SMP-BTK-10", price_idr=300_000),
        ],
    )

    # then: no lot has been produced yet, so nothing is in stock
    product.refresh_from_db()
    assert (product.price_min_idr, product.price_max_idr, product.in_stock) == (300_000, 450_000, False)
    assert sorted(product.variants.values_list("sku", flat=True)) == ["SMP-BTK-10", "SMP-BTK-9"]
    assert " batik " in product.search_document and " canting " in product.search_document
    assert product.slug == "kain-batik-tulis-sekar-jagad"
    assert AuditEvent.objects.filter(action="product.create", object_id=str(product.pk), actor=staff).count() == 1


@pytest.mark.parametrize(
    ("variants", "field"),
    [
        ([VariantInput(sku="ok-1", price_idr=0)], "price_idr"),
        ([VariantInput(sku="bad sku!", price_idr=1000)], "sku"),
        ([VariantInput(sku="DUP-1", price_idr=1000), VariantInput(sku="dup-1", price_idr=2000)], "sku"),
        ([], "variants"),
    ],
)
def test_product_create_refuses_bad_variants_and_saves_nothing(variants, field):
    # given
    producer = ProducerFactory()
    category = CategoryFactory()

    # when
    with pytest.raises(ValidationError) as excinfo:
        product_create(actor=None, producer=producer, category=category, name="Pecut", variants=variants)

    # then
    assert field in excinfo.value.message_dict
    assert Product.objects.count() == 0
    assert Variant.objects.count() == 0


def test_made_to_order_needs_lead_time():
    # when
    with pytest.raises(ValidationError) as excinfo:
        product_create(
            actor=None,
            producer=ProducerFactory(),
            category=CategoryFactory(),
            name="Miniatur",
            made_to_order=True,
            lead_time_days=0,
            variants=[VariantInput(sku="MIN-1", price_idr=100_000)],
        )

    # then
    assert list(excinfo.value.message_dict) == ["lead_time_days"]


def test_staff_of_another_facility_cannot_change_a_product():
    # given
    product = ProductFactory()
    outsider = MembershipFactory(role=Role.FACILITY_ADMIN).user

    # when
    with pytest.raises(PermissionDenied):
        product_update(actor=outsider, product=product, name="Dirusak")

    # then
    product.refresh_from_db()
    assert product.name != "Dirusak"


def test_instructor_cannot_change_catalog_but_production_officer_can():
    # given
    product = ProductFactory(variants=[100_000])
    instructor = MembershipFactory(organization=product.organization, role=Role.INSTRUCTOR).user
    officer = MembershipFactory(organization=product.organization, role=Role.PRODUCTION_OFFICER).user
    variant = product.variants.get()

    # when / then: the instructor is refused
    with pytest.raises(PermissionDenied):
        variant_update(actor=instructor, variant=variant, data=VariantInput(sku=variant.sku, price_idr=1))

    # when the production officer changes the price
    variant_update(actor=officer, variant=variant, data=VariantInput(sku=variant.sku, price_idr=125_000))

    # then
    product.refresh_from_db()
    assert product.price_min_idr == 125_000


def test_a_photo_whose_rows_fail_to_save_leaves_no_files_behind(monkeypatch, settings):
    # given a product, and a database write that fails after the files were written
    product = ProductFactory()
    files_before = {p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()}

    def fail(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "product_refresh", fail)

    # when
    with pytest.raises(RuntimeError):
        services.photo_add(actor=None, product=product, upload=png_upload())

    # then
    assert not Photo.objects.filter(product=product).exists()
    assert {p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()} == files_before
