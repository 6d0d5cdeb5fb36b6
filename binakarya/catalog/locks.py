"""Row locks of the catalog, taken in primary-key order."""

from binakarya.catalog.models import Product


def product_lock(*, product_id: int) -> None:
    """Lock the product's row (FOR UPDATE): two saves of its e-Katalog listing take turns, so the second
    updates the listing the first created instead of failing on the one-per-product rule."""
    Product.objects.select_for_update().filter(pk=product_id).order_by("pk").first()
