"""An order's timeline as people read it, in the active language."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from binakarya.core.money import format_rupiah
from binakarya.orders.models import Order, OrderEvent


@dataclass(frozen=True)
class TimelineStep:
    at: object
    title: str
    detail: str
    status: str
    internal: bool


def _detail(event: OrderEvent) -> str:
    p = event.params
    amount = format_rupiah(int(p["amount_idr"])) if "amount_idr" in p else ""
    kind = event.kind
    if kind == OrderEvent.Kind.PROOF:
        return _("%(amount)s by %(method)s, waiting for the seller to check it.") % {
            "amount": amount,
            "method": p.get("method_label", ""),
        }
    if kind == OrderEvent.Kind.PAYMENT:
        return _("%(amount)s received.") % {"amount": amount}
    if kind == OrderEvent.Kind.PAYMENT_REJECTED:
        return _("Reason: %(reason)s") % {"reason": p.get("reason", "")}
    if kind == OrderEvent.Kind.SHIPPING_SET:
        return _("Shipping fee %(amount)s.") % {"amount": amount}
    if kind == OrderEvent.Kind.STATUS and event.status == Order.Status.SHIPPED:
        return _("Courier %(courier)s, tracking number (resi) %(resi)s.") % {
            "courier": p.get("courier", ""),
            "resi": p.get("resi", ""),
        }
    if kind == OrderEvent.Kind.LATE_PAYMENT:
        if p.get("restocked"):
            return _("The payment arrived after the order expired; the goods were reserved again.")
        return _(
            "The payment arrived after the order expired and the goods are no longer available: it will be refunded."
        )
    if kind == OrderEvent.Kind.REFUND:
        return _("%(amount)s refunded.") % {"amount": amount}
    if kind == OrderEvent.Kind.CANCELLED and p.get("reason"):
        return _("Reason: %(reason)s") % {"reason": p["reason"]}
    if kind == OrderEvent.Kind.NOTE:
        return str(p.get("text", ""))
    return ""


def timeline(events: list[OrderEvent], *, staff: bool = False) -> list[TimelineStep]:
    """The steps of an order, oldest first; a buyer does not see internal ones."""
    steps = []
    for event in events:
        if event.internal and not staff:
            continue
        title = (
            str(Order.Status(event.status).label)
            if event.kind == OrderEvent.Kind.STATUS
            else str(event.get_kind_display())
        )
        steps.append(TimelineStep(event.created_at, title, _detail(event), event.status, event.internal))
    return steps
