"""Row locks of deals, taken in primary-key order."""

from binakarya.deals.models import Rfq, SizeList


def rfq_lock(*, pk: int) -> Rfq:
    """Lock one request for quotation (FOR UPDATE) while a quotation is made from it."""
    return Rfq.objects.select_for_update().filter(pk=pk).order_by("pk").get()


def size_list_lock(*, pk: int) -> SizeList:
    """Lock one size list (FOR UPDATE) while its packing list's document is issued."""
    return SizeList.objects.select_for_update().filter(pk=pk).order_by("pk").get()
