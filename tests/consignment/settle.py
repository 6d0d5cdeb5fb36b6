"""Helpers for the settlement tests: an agreement started two months back with goods on the hotel's shelf,
and sales on given days of the last whole month and the one before it."""

import datetime

from binakarya.consignment.periods import previous_period
from binakarya.consignment.services import (
    OutletSaleLine,
    PlacementLineInput,
    agreement_create,
    outlet_sale_record,
    placement_receive,
    placement_send,
)


def shelf_agreement(world, today):
    """20 % commission at catalog prices, monthly, 14 days to pay, from the first day two months back;
    all 10 whips and 6 bags placed at the hotel and received by its partner."""
    month_before = previous_period_of_month(today, back=2)
    agreement = agreement_create(
        actor=world["admin"],
        organization=world["facility"],
        outlet=world["hotel"],
        commission_percent_bp=2000,
        settlement_period="MONTHLY",
        payment_days=14,
        start_date=month_before[0],
    )
    placement = placement_send(
        actor=world["admin"],
        agreement=agreement,
        from_location=world["store"],
        lines=[PlacementLineInput(world["whip"], 10), PlacementLineInput(world["bag"], 6)],
    )
    placement_receive(actor=world["partner"], placement=placement)
    return agreement


def previous_period_of_month(today, back=1):
    """The calendar month ``back`` months before the one containing ``today``: its first and last day."""
    start = today.replace(day=1)
    for _ in range(back):
        start = (start - datetime.timedelta(days=1)).replace(day=1)
    end = (start.replace(day=28) + datetime.timedelta(days=4)).replace(day=1) - datetime.timedelta(days=1)
    return start, end


def sell(world, agreement, day, whips=0, bags=0, actor=None):
    lines = []
    if whips:
        lines.append(OutletSaleLine("SMP-PCT-001", whips))
    if bags:
        lines.append(OutletSaleLine("SMP-RJT-001", bags))
    return outlet_sale_record(actor=actor or world["partner"], agreement=agreement, sold_date=day, lines=lines)


def a_month_of_sales(world, agreement, today):
    """In the last whole month: 2 whips on its first day, a bag on the 10th, a whip on the 20th.
    Gross Rp345.000, commission (20 %) Rp69.000, net Rp276.000."""
    start, end = previous_period(agreement, today)
    sell(world, agreement, start, whips=2)
    sell(world, agreement, start + datetime.timedelta(days=9), bags=1)
    sell(world, agreement, start + datetime.timedelta(days=19), whips=1)
    return start, end
