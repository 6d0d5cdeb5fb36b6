"""What the ledger does when another app tells it something changed (imported by ``LedgerConfig.ready``)."""

from typing import Any

from django.dispatch import receiver

from binakarya.catalog.signals import product_recategorized
from binakarya.ledger.services import ledger_summary_rebuild
from binakarya.organizations.models import Organization


@receiver(product_recategorized, dispatch_uid="ledger_product_recategorized")
def product_recategorized_refile(sender: Any, *, organization: Organization, **kwargs: Any) -> None:
    """A product moved to another category: file the seller's sales by category again. The monthly summaries
    take a sale's category from its product, as ``ledger_check`` recomputes it, so they re-file that seller's
    months (in the caller's transaction; a category change is rare and one seller's rebuild is quick)."""
    ledger_summary_rebuild(organization=organization)
