import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import given
from hypothesis import strategies as st

from binakarya.inventory.models import StockBalance, StockMovement
from binakarya.organizations.models import Role
from binakarya.production.models import Contribution, Lot
from binakarya.production.services import ContributionInput, lot_record, unit_cost
from tests.factories import (
    GroupMembershipFactory,
    LocationFactory,
    MakerFactory,
    MembershipFactory,
    ProducerFactory,
    VariantFactory,
)

pytestmark = pytest.mark.django_db

JUNE = datetime.date(2025, 6, 1)


def record(workshop, **overrides):
    args = {
        "actor": None,
        "variant": workshop["variant"],
        "group": workshop["group"],
        "location": workshop["store"],
        "quantity_produced": 10,
        "quantity_passed": 9,
        "material_cost_idr": 1_000_000,
        "contributions": [
            ContributionInput(maker_id=m.pk, share=s) for m, s in zip(workshop["members"], [3, 2, 1], strict=True)
        ],
        "started_date": JUNE - datetime.timedelta(days=10),
        "finished_date": JUNE,
    }
    return lot_record(**(args | overrides))


def nothing_saved():
    return (Lot.objects.count(), Contribution.objects.count(), StockMovement.objects.count()) == (0, 0, 0)


def test_an_instructor_records_a_lot_with_contributions_and_stock(workshop):
    # given
    instructor = MembershipFactory(organization=workshop["org"], role=Role.INSTRUCTOR).user

    # when
    lot = record(workshop, actor=instructor)

    # then
    assert (lot.quantity_produced, lot.quantity_passed, lot.unit_cost_idr) == (10, 9, 111_111)
    assert lot.instructor == instructor
    assert len(lot.code) == 7 and lot.code.isalnum() and lot.code.isupper()
    assert sorted(lot.contributions.values_list("share", flat=True)) == [1, 2, 3]
    balance = StockBalance.objects.get(lot=lot)
    assert (balance.location, balance.quantity) == (workshop["store"], 9)
    assert list(StockMovement.objects.values_list("kind", "quantity")) == [("PRODUCED", 9)]
    workshop["variant"].refresh_from_db()
    assert workshop["variant"].stock_quantity == 9


@given(cost=st.integers(min_value=0, max_value=10**12), passed=st.integers(min_value=1, max_value=10**6))
def test_unit_cost_rounds_half_up_to_whole_rupiah(cost, passed):
    # given what plain division gives, where floating point can tell (not on an exact half)
    expected = int((cost / passed) + 0.5) if cost < 10**9 else None

    # when
    result = unit_cost(cost, passed)

    # then
    assert abs(result * passed - cost) <= passed / 2
    if expected is not None and abs(cost / passed - int(cost / passed) - 0.5) > 1e-6:
        assert result == expected


def test_a_maker_who_was_not_in_the_group_on_the_production_date_is_refused(workshop):
    # given a maker who joined the day after production finished
    late = GroupMembershipFactory(group=workshop["group"], joined_date=JUNE + datetime.timedelta(days=1)).maker

    # when
    with pytest.raises(ValidationError) as excinfo:
        record(workshop, contributions=[ContributionInput(maker_id=late.pk, share=1)])

    # then
    assert (
        f"{late.full_name} was not a member of Kelompok Batik Tulis on the production dates."
        in (excinfo.value.message_dict["contributions"])
    )
    assert nothing_saved()


def test_a_maker_who_left_before_production_started_is_refused(workshop):
    # given
    gone = GroupMembershipFactory(group=workshop["group"], left_date=datetime.date(2025, 3, 1)).maker

    # when
    with pytest.raises(ValidationError):
        record(workshop, contributions=[ContributionInput(maker_id=gone.pk, share=1)])

    # then
    assert nothing_saved()


def test_a_maker_from_another_facility_is_refused(workshop):
    # given
    stranger = MakerFactory()

    # when
    with pytest.raises(ValidationError) as excinfo:
        record(workshop, contributions=[ContributionInput(maker_id=stranger.pk, share=1)])

    # then
    assert excinfo.value.message_dict["contributions"] == [f"Maker #{stranger.pk} is not one of your makers."]
    assert nothing_saved()


@pytest.mark.parametrize("share", [0, -2])
def test_a_share_of_zero_or_less_is_refused(workshop, share):
    # given
    maker = workshop["members"][0]

    # when
    with pytest.raises(ValidationError) as excinfo:
        record(workshop, contributions=[ContributionInput(maker_id=maker.pk, share=share)])

    # then
    assert "Every share must be more than zero." in excinfo.value.message_dict["contributions"]
    assert nothing_saved()


def test_a_variant_of_another_producer_is_refused(workshop):
    # given a variant of another group of the same facility, and one of another facility
    other_group_variant = VariantFactory(
        product__producer=ProducerFactory(group__organization=workshop["org"], group__name="Kelompok Pecut")
    )
    foreign_variant = VariantFactory()

    # when
    with pytest.raises(ValidationError) as same_facility:
        record(workshop, variant=other_group_variant)
    with pytest.raises(ValidationError) as other_facility:
        record(workshop, variant=foreign_variant)

    # then
    assert "not by Kelompok Batik Tulis" in same_facility.value.message_dict["sku"][0]
    assert "belongs to another producer" in other_facility.value.message_dict["sku"][0]
    assert nothing_saved()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"quantity_passed": 11}, "quantity_passed"),
        ({"quantity_passed": 0}, "quantity_passed"),
        ({"quantity_produced": 0, "quantity_passed": 0}, "quantity"),
        ({"material_cost_idr": -1}, "material_cost_idr"),
        ({"finished_date": datetime.date(2025, 5, 1)}, "finished_date"),
        ({"contributions": []}, "contributions"),
    ],
)
def test_bad_quantities_and_dates_are_refused(workshop, overrides, field):
    # when
    with pytest.raises(ValidationError) as excinfo:
        record(workshop, **overrides)

    # then
    assert field in excinfo.value.message_dict
    assert nothing_saved()


def test_stock_cannot_go_into_another_organizations_location_or_transit(workshop):
    # when
    with pytest.raises(ValidationError):
        record(workshop, location=LocationFactory())
    with pytest.raises(ValidationError):
        record(workshop, location=LocationFactory(organization=workshop["org"], kind="TRANSIT"))

    # then
    assert nothing_saved()


def test_staff_without_a_production_role_cannot_record(workshop):
    # given a finance officer of the facility, and an instructor of another
    finance = MembershipFactory(organization=workshop["org"], role=Role.FINANCE_OFFICER).user
    outsider = MembershipFactory(role=Role.INSTRUCTOR).user

    # when
    for actor in (finance, outsider):
        with pytest.raises(PermissionDenied):
            record(workshop, actor=actor)

    # then
    assert nothing_saved()


def test_recording_a_lot_takes_the_same_queries_for_two_or_six_contributors(workshop, django_assert_num_queries):
    # given six members, and a first lot already recorded, so that the product is in stock
    makers = workshop["members"] + [GroupMembershipFactory(group=workshop["group"]).maker for _ in range(3)]
    record(workshop)

    def by(some):
        return [ContributionInput(maker_id=m.pk, share=1) for m in some]

    # when / then: 16 queries, the same on SQLite and PostgreSQL. The service's atomic block (a savepoint
    # inside the test's transaction, with its release: 2); the makers, in one query; their memberships on
    # the production dates, in one query; in a savepoint of their own (4), the check that a random lot code
    # is free and the lot; the contributions in one statement; the PRODUCED movement in a savepoint (3);
    # the variant locked, its stock figure, its product's in-stock flag set where it is wrong (3); the
    # audit row.
    with django_assert_num_queries(16) as two:
        record(workshop, contributions=by(makers[:2]))
    with django_assert_num_queries(16) as six:
        record(workshop, contributions=by(makers))

    # then the count does not grow with the contributors
    assert len(two.captured_queries) == len(six.captured_queries)
    assert Contribution.objects.count() == 3 + 2 + 6
