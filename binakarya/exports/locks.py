"""Row locks of exports, taken in primary-key order. An export order's writes lock its inquiry first, then the
order (``inquiry_lock`` then ``order_lock``), as closing the inquiry locks the inquiry: one order of locks."""

from binakarya.exports.models import ExportInquiry, ExportOrder


def inquiry_lock(*, pk: int) -> ExportInquiry:
    """Lock one inquiry (FOR UPDATE) while a pro-forma is issued for it, it is confirmed or closed."""
    return (
        ExportInquiry.objects.select_for_update(of=("self",))
        .select_related("organization")
        .filter(pk=pk)
        .order_by("pk")
        .get()
    )


def order_lock(*, pk: int) -> ExportOrder:
    """Lock one export order (FOR UPDATE) and return it fresh: its payments and its shipment happen one at a
    time, so what is paid and whether it shipped are read under the lock."""
    return (
        ExportOrder.objects.select_for_update(of=("self",))
        .select_related("organization", "proforma", "inquiry")
        .get(pk=pk)
    )
