"""Row locks of consignment, taken in primary-key order."""

from binakarya.consignment.models import Agreement
from binakarya.organizations.models import Organization


def outlet_agreements_lock(*, organization_id: int, outlet_id: int) -> list[Agreement]:
    """Lock the outlet's row, then its agreements with the seller (FOR UPDATE, by primary key).

    The outlet's row is the point where two agreements made at once for the same outlet wait for each
    other, also when it has none yet: the second sees the first once it may go on.
    """
    Organization.objects.select_for_update().filter(pk=outlet_id).order_by("pk").first()
    return list(
        Agreement.objects.select_for_update(of=("self",))
        .filter(organization_id=organization_id, outlet_id=outlet_id)
        .order_by("pk")
    )
