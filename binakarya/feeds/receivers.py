"""The feeds listen to the catalog: a change to a seller's products or stock schedules a feed rebuild."""

from typing import Any

from django.dispatch import receiver

from binakarya.catalog.signals import catalog_changed
from binakarya.feeds.services import feeds_mark_stale


@receiver(catalog_changed, dispatch_uid="feeds_catalog_changed")
def catalog_changed_mark_stale(
    sender: Any, *, organization_ids: list[int], variant_ids: list[int], **kwargs: Any
) -> None:
    feeds_mark_stale(organization_ids=organization_ids, variant_ids=variant_ids)
