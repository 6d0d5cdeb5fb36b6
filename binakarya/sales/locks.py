"""Row locks for sales."""

from binakarya.sales.models import Sale


def sale_lock(*, sale_id: int) -> Sale:
    """Lock a sale (FOR UPDATE) while its returns are recorded, so two returns cannot give back the same units.

    Raises Sale.DoesNotExist.
    """
    return Sale.objects.select_for_update(of=("self",)).get(pk=sale_id)
