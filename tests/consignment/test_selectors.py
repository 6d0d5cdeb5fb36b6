import datetime

import pytest

from binakarya.consignment.models import Agreement
from binakarya.consignment.selectors import (
    agreement_for,
    agreements_ending_within,
    agreements_for,
    outlet_stock_for,
)
from binakarya.consignment.services import agreement_create


def test_each_side_sees_the_agreement_and_no_one_else_does(world, agreement):
    # given an agreement of the other facility with the gerai
    theirs = agreement_create(
        actor=world["stranger"],
        organization=world["other_facility"],
        outlet=world["gerai"],
        commission_percent_bp=1500,
        settlement_period="WEEKLY",
        payment_days=7,
        start_date=agreement.start_date,
    )

    # then
    assert list(agreements_for(user=world["admin"])) == [agreement]
    assert list(agreements_for(user=world["finance"])) == [agreement]
    assert list(agreements_for(user=world["partner"])) == [agreement]
    assert list(agreements_for(user=world["other_partner"])) == [theirs]
    assert list(agreements_for(user=world["stranger"])) == [theirs]
    assert agreement_for(user=world["partner"], pk=agreement.pk) == agreement
    for user in (world["other_partner"], world["stranger"], None):
        with pytest.raises(Agreement.DoesNotExist):
            agreement_for(user=user, pk=agreement.pk)
        with pytest.raises(Agreement.DoesNotExist):
            outlet_stock_for(user=user, agreement=agreement)


def test_agreements_ending_within_30_days(world, agreement, today):
    # given the hotel's ends in 20 days, the gerai's in 45
    agreement.end_date = today + datetime.timedelta(days=20)
    agreement.save()
    agreement_create(
        actor=world["admin"],
        organization=world["facility"],
        outlet=world["gerai"],
        commission_percent_bp=1500,
        settlement_period="WEEKLY",
        payment_days=7,
        start_date=today,
        end_date=today + datetime.timedelta(days=45),
    )

    # then
    assert agreements_ending_within(user=world["admin"]) == [agreement]
    assert len(agreements_ending_within(user=world["admin"], days=60)) == 2
    assert agreements_ending_within(user=world["stranger"], days=60) == []
