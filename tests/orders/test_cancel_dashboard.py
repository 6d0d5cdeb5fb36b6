"""A paid web order that is cancelled is no sale on the dashboards (issue 14): its sale is reversed, and so is
its settlement, whose reversal traces to no sale line."""

from django.utils import timezone

from binakarya.dashboards.selectors import dashboard_panels, dashboard_scope
from binakarya.orders.services import order_cancel, payment_record
from tests.orders.helpers import place, staff_of


def _sales(staff, seller) -> dict[str, list]:
    scope = dashboard_scope(user=staff, scope=f"org:{seller['org'].slug}")
    panels = {p.key: p for p in dashboard_panels(user=staff, scope=scope, year=timezone.localdate().year)}
    return {"channel": list(panels["sales-channel"].table.rows), "month": list(panels["sales-month"].table.rows)}


def test_a_cancelled_paid_order_leaves_no_sales_on_the_dashboard(seller):
    # given an order for two items, paid, so recorded as a sale
    staff = staff_of(seller["org"])
    (order,) = place((seller["variant"], 2))
    payment_record(actor=staff, order=order, amount_idr=order.total_idr, method="TRANSFER")
    order.refresh_from_db()
    paid = _sales(staff, seller)
    assert sum(row[1] for row in paid["channel"]) == order.goods_idr

    # when the order is cancelled (the sale reversed, the payment refunded)
    order_cancel(actor=staff, order=order, reason="Pembeli membatalkan")

    # then no channel, not even a blank one, shows sales any more
    after = _sales(staff, seller)
    assert all(row[1] == 0 for row in after["channel"]), after["channel"]
    assert sum(row[-1] for row in after["month"]) == 0
