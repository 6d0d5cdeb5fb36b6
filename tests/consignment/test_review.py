"""The review of an outlet's shelf and the agreement's history (binakarya/consignment/review.py)."""

import datetime
from unittest import mock

import pytest
from django.utils import timezone

from binakarya.consignment.models import Agreement
from binakarya.consignment.returns import ShelfLine, consignment_return_create, outlet_damage_record
from binakarya.consignment.review import agreement_history, agreement_review, returns_for
from binakarya.consignment.services import (
    OutletSaleLine,
    PlacementLineInput,
    outlet_sale_record,
    placement_receive,
    placement_send,
)


def place_and_receive(world, agreement, variant, units, days_ago=0):
    """Place ``units`` of ``variant`` and have the partner receive them ``days_ago`` days back (the balance's
    arrival is its movement's time, which only the movement sets)."""
    placement = placement_send(
        actor=world["admin"],
        agreement=agreement,
        from_location=world["store"],
        lines=[PlacementLineInput(variant, units)],
    )
    then = timezone.now() - datetime.timedelta(days=days_ago)
    with mock.patch("binakarya.inventory.services.timezone.now", return_value=then):
        placement_receive(actor=world["partner"], placement=placement)
    return placement


@pytest.fixture
def shelf(world, agreement, today):
    """6 whips and 4 bags placed; the bags arrived 25 days ago; 4 whips sold (2 yesterday, 2 today)."""
    place_and_receive(world, agreement, world["whip"], 6)
    place_and_receive(world, agreement, world["bag"], 4, days_ago=25)
    for day in (today - datetime.timedelta(days=1), today):
        outlet_sale_record(
            actor=world["partner"], agreement=agreement, sold_date=day, lines=[OutletSaleLine("SMP-PCT-001", 2)]
        )
    return agreement


def test_the_review_gives_sell_through_days_on_shelf_slow_and_best_sellers(world, shelf, today):
    # given a damaged whip charged to the outlet: not a sale of the shelf
    Agreement.objects.filter(pk=shelf.pk).update(damage_borne_by="OUTLET")
    shelf.refresh_from_db()
    outlet_damage_record(actor=world["admin"], agreement=shelf, lines=[ShelfLine("SMP-PCT-001", 1)])

    # when
    review = agreement_review(user=world["admin"], agreement=shelf, slow_days=20)

    # then
    rows = {row.sku: row for row in review.rows}
    whip, bag = rows["SMP-PCT-001"], rows["SMP-RJT-001"]
    assert (whip.placed, whip.sold, whip.on_hand, whip.sell_through_pct) == (6, 4, 1, 80)
    assert (bag.placed, bag.sold, bag.on_hand, bag.sell_through_pct) == (4, 0, 4, 0)
    assert (bag.oldest_days, bag.average_days) == (25, 25) and whip.oldest_days == 0
    assert review.slow_sellers == [bag] and review.best_sellers == [whip]
    # 4 sold in 30 days, 150 days to the next review (start 30 days ago + 180): ceil(4/30 × 150) − 1 on hand
    assert review.next_review == today + datetime.timedelta(days=150)
    assert whip.suggested_restock == 19 and bag.suggested_restock == 0


def test_recalling_a_slow_seller_takes_all_its_units(world, shelf):
    review = agreement_review(user=world["admin"], agreement=shelf, slow_days=20)
    (slow,) = review.slow_sellers
    consignment_return_create(
        actor=world["admin"], agreement=shelf, kind="RECALL", lines=[ShelfLine(slow.sku, slow.on_hand)]
    )
    after = agreement_review(user=world["admin"], agreement=shelf, slow_days=20)
    assert after.slow_sellers == [] and {r.sku: r.on_hand for r in after.rows}["SMP-RJT-001"] == 0


def test_the_history_lists_the_agreement_over_time(world, shelf, today):
    consignment_return_create(
        actor=world["partner"], agreement=shelf, kind="RETURN", lines=[ShelfLine("SMP-RJT-001", 1)]
    )
    history = agreement_history(user=world["admin"], agreement=shelf)
    assert history.placed_units == 10 and history.sold_units == 4
    assert sum(p.gross_idr for p in history.periods) == 4 * 75_000
    assert sum(p.net_idr for p in history.periods) == 4 * 60_000
    assert [r.kind for r in history.returns] == ["RETURN"]
    assert len(returns_for(user=world["partner"], agreement=shelf)) == 1


@pytest.mark.parametrize("who", ["stranger", "other_partner"])
def test_others_see_nothing(world, shelf, who):
    for read in (agreement_review, agreement_history, returns_for):
        with pytest.raises(Agreement.DoesNotExist):
            read(user=world[who], agreement=shelf)
