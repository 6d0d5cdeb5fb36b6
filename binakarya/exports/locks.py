"""Row locks of exports, taken in primary-key order."""

from binakarya.exports.models import ExportInquiry


def inquiry_lock(*, pk: int) -> ExportInquiry:
    """Lock one inquiry (FOR UPDATE) while a pro-forma is issued for it or it is closed."""
    return ExportInquiry.objects.select_for_update().select_related("organization").filter(pk=pk).order_by("pk").get()
