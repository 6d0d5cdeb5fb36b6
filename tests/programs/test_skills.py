"""A maker's skill record (programs.selectors.maker_skills): exact figures, scope, query count."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from binakarya.makers.models import Maker
from binakarya.programs import selectors
from binakarya.programs.models import Activity
from tests.programs.skills import attend


def test_the_skill_record_adds_up_trainings_lots_units_and_quality(world, siti):
    # when
    record = selectors.maker_skills(user=world["admin"], maker_pk=siti["maker"].pk)

    # then the trainings attended: the absent one does not count
    assert record.training_count == 2
    assert record.training_hours == 12 + 4
    assert [(t.date, t.title, t.kind, t.partner, t.hours) for t in record.trainings] == [
        (datetime.date(2025, 4, 1), "Lokakarya desain batik Kemendag", "DESIGN", "Disperindag Kabupaten Sumenep", 12),
        (datetime.date(2025, 9, 1), "Pelatihan anyaman pandan", "TRAINING", "", 4),
    ]
    # lots: A by units (6), B by hours (7 * 10 // 30 = 2); C is Budi's alone
    assert record.lot_count == 2
    assert [(row.code, row.units) for row in record.lots] == [(siti["lots"]["A"].code, 6), (siti["lots"]["B"].code, 2)]
    assert record.units_made == 8
    assert record.production_hours == 10
    assert (record.units_passed, record.units_produced) == (14, 17)
    assert record.quality_rate == round(14 / 17, 4) == 0.8235
    assert record.quality_percent == 82.4
    assert record.products == ["Kain Batik Tulis Sekar Jagad", "Tas Anyaman Pandan"]
    assert record.crafts == ["Anyaman", "Batik Tulis"]
    # the period runs from the first activity to the last
    assert (record.period_start, record.period_end) == (datetime.date(2025, 4, 1), datetime.date(2025, 9, 1))
    assert record.hours_of_practice == 26
    assert record.proposal() == {
        "crafts": "Anyaman, Batik Tulis",
        "hours": 26,
        "period_start": datetime.date(2025, 4, 1),
        "period_end": datetime.date(2025, 9, 1),
    }
    assert record.certificates == [] and record.release is None


def test_a_maker_with_nothing_recorded_has_an_empty_record_and_no_quality_rate(world):
    from tests.factories import MakerFactory

    maker = MakerFactory(organization=world["facility"])
    record = selectors.maker_skills(user=world["admin"], maker_pk=maker.pk)
    assert (record.training_count, record.lot_count, record.units_made) == (0, 0, 0)
    assert record.quality_rate is None and record.period_start is None and record.hours_of_practice == 0


def test_the_record_takes_the_same_number_of_queries_however_long(world, siti):
    # given the record as it is
    user = world["admin"]
    selectors.maker_skills(user=user, maker_pk=siti["maker"].pk)  # warms the membership cache
    with CaptureQueriesContext(connection) as before:
        selectors.maker_skills(user=user, maker_pk=siti["maker"].pk)

    # when five more trainings are attended
    for day in range(5):
        activity = Activity.objects.create(
            organization=world["facility"],
            kind="TRAINING",
            title=f"Latihan {day}",
            place="Aula",
            start_date=datetime.date(2025, 10, 1 + day),
            end_date=datetime.date(2025, 10, 1 + day),
            hours=2,
            partner=world["polres"],
        )
        attend(activity, siti["maker"], 2)
    with CaptureQueriesContext(connection) as after:
        record = selectors.maker_skills(user=user, maker_pk=siti["maker"].pk)

    # then
    assert record.training_count == 7
    assert len(after) == len(before) <= 6


@pytest.mark.parametrize("who", ["other_admin", "regional", "national", "partner", "operator"])
def test_no_one_outside_the_makers_organization_reads_the_record(world, siti, who):
    with pytest.raises(Maker.DoesNotExist):
        selectors.maker_skills(user=world[who], maker_pk=siti["maker"].pk)


def test_the_instructor_of_the_facility_reads_the_record(world, siti):
    record = selectors.maker_skills(user=world["instructor"], maker_pk=siti["maker"].pk)
    assert record.units_made == 8
