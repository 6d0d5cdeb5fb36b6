import io

import pytest
from django.core.management import CommandError, call_command

from binakarya.catalog.models import Product, Variant
from binakarya.inventory.models import StockMovement
from tests.factories import GroupMembershipFactory, LocationFactory, make_lot


def generate(**options) -> str:
    out = io.StringIO()
    call_command("generate_dataset", products=12, facilities=1, umkm=0, verify=3, stdout=out, **options)
    return out.getvalue()


@pytest.mark.django_db
def test_reset_deletes_a_generated_catalog_but_refuses_once_stock_points_at_it():
    # when
    generate()

    # then
    first = set(Product.objects.filter(organization__slug__startswith="gen-").values_list("slug", flat=True))
    assert len(first) == 12

    # when / then: a reset deletes the catalog and generates the same one again
    assert "Reset: deleted" in generate(reset=True)
    assert set(Product.objects.filter(organization__slug__startswith="gen-").values_list("slug", flat=True)) == first

    # when a lot of a generated variant is recorded, and the catalog reset once more
    variant = Variant.objects.filter(sku__startswith="GEN-").select_related("product__producer__group").first()
    group = variant.product.producer.group
    maker = GroupMembershipFactory(group=group, maker__organization=group.organization).maker
    make_lot(
        variant=variant,
        group=group,
        location=LocationFactory(organization=group.organization),
        quantity=5,
        makers=[maker],
    )
    with pytest.raises(CommandError, match="Nothing was deleted: generated rows are referenced by .*lots"):
        generate(reset=True)

    # then
    assert Product.objects.filter(organization__slug__startswith="gen-").count() == 12
    assert StockMovement.objects.filter(variant=variant).count() == 1
