"""Row locks of deals, taken in primary-key order."""

from binakarya.deals.models import Deal, Quotation, Rfq, SizeList


def rfq_lock(*, pk: int) -> Rfq:
    """Lock one request for quotation (FOR UPDATE) while a quotation is made from it."""
    return Rfq.objects.select_for_update().filter(pk=pk).order_by("pk").get()


def quotation_lock(*, pk: int) -> Quotation:
    """Lock one quotation while it is accepted: a quotation becomes at most one deal."""
    return Quotation.objects.select_for_update().filter(pk=pk).order_by("pk").get()


def deal_lock(*, pk: int) -> Deal:
    """Lock one deal: its deliveries, handovers, invoices and payments happen one at a time, so its figures
    and its lines' counts stay right."""
    # of=("self",): only the deal's row; the seller, the buyer and the location stay free for everyone else.
    return (
        Deal.objects.select_for_update(of=("self",))
        .select_related("organization", "buyer_organization", "location")
        .get(pk=pk)
    )


def size_list_lock(*, pk: int) -> SizeList:
    """Lock one size list (FOR UPDATE) while its packing list's document is issued."""
    return SizeList.objects.select_for_update().filter(pk=pk).order_by("pk").get()
