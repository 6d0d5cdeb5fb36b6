"""What the catalog tells other apps when a seller's products change, without knowing who listens.

``catalog_changed`` is sent inside the writing transaction by the catalog services (a product, variant,
photo, producer or English text saved) and by the inventory when a variant's public stock figure moves.
The product feeds listen (``binakarya.feeds.receivers``) and schedule a rebuild once the transaction
commits. The catalog and the inventory do not import the feeds: the feeds import them.

Arguments: ``organization_ids`` (the sellers whose products changed) and ``variant_ids`` (variants whose
stock figure changed; their sellers are looked up by the listener after commit, so the stock writers on
the hot path of every order spend no query on it). Either may be empty.
"""

from collections.abc import Iterable

from django.dispatch import Signal

catalog_changed = Signal()
# A product moved to another category (``organization`` the seller, ``product_id``): the ledger's monthly
# summaries file sales by category, so it re-files that seller's (``binakarya.ledger.receivers``).
product_recategorized = Signal()


def catalog_changed_send(*, organization_ids: Iterable[int] = (), variant_ids: Iterable[int] = ()) -> None:
    """Tell the listeners that these sellers' products, or these variants' stock figures, changed."""
    organizations = sorted({int(pk) for pk in organization_ids})
    variants = sorted({int(pk) for pk in variant_ids})
    if organizations or variants:
        catalog_changed.send(sender=catalog_changed, organization_ids=organizations, variant_ids=variants)
