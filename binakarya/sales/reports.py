"""The sales list as a downloadable table (see binakarya/core/exports.py): one row a sale, then the totals.

Sales carry no maker: the premi column is the sum a sale credited to its makers, never who they are.
"""

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from binakarya.core.exports import Column, Table
from binakarya.sales.models import Sale
from binakarya.sales.selectors import sales_totals

# A download lists at most this many sales: more asks for a shorter period.
EXPORT_MAX_ROWS = 100_000


def sales_table(*, sales: QuerySet[Sale], title: str) -> Table:
    """``sales`` (from the scoped sales_for) as a table, newest first, read in chunks, with a total row."""
    columns = [
        Column(_("Number")),
        Column(_("Date")),
        Column(_("Location")),
        Column(_("Organization")),
        Column(_("Channel")),
        Column(_("Buyer")),
        Column(_("Gross (Rp)"), rupiah=True),
        Column(_("Commission (Rp)"), rupiah=True),
        Column(_("Premi (Rp)"), rupiah=True),
        Column(_("Status")),
    ]

    def rows() -> Iterator[list[Any]]:
        for sale in sales.iterator(chunk_size=2000):
            yield [
                sale.number,
                timezone.localtime(sale.occurred_at),
                sale.location.name,
                sale.organization.name,
                sale.get_channel_display(),
                sale.buyer.name if sale.buyer else sale.buyer_name,
                sale.gross_idr,
                sale.commission_idr,
                sale.premi_idr,
                sale.get_status_display(),
            ]
        totals = sales_totals(sales=sales)
        yield [_("Total"), None, "", "", "", "", totals["gross"] or 0, None, totals["premi"] or 0, ""]

    return Table(title, columns, rows())
