"""Row locks of the point of sale: a cashier session being sold into or closed."""

from binakarya.pos.models import PosSession


def session_lock(*, session_id: int) -> PosSession:
    """Lock a session (FOR UPDATE) so that no sale lands in it while it closes; raises PosSession.DoesNotExist."""
    return (
        PosSession.objects.select_for_update(of=("self",))
        .select_related("organization", "location", "location__organization")
        .get(pk=session_id)
    )
