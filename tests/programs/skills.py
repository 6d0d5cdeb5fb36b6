"""A hand-built skill record for the skills, certificate and release tests (issue 15).

Siti Rahayu, an inmate of Rutan Sumenep, in the batik group with Budi:
- attended a Kemendag design workshop (12 h, co-run by Disperindag) and a weaving training (4 of its 6 h); was
  absent from a third activity;
- contributed to lot A (units: Siti 6 + Budi 4 of 10 produced, 9 passed) and lot B (hours: Siti 10 h + Budi
  20 h, 7 produced, 5 passed: Siti's units 7 * 10 // 30 = 2); lot C is Budi's alone;
- is owed Rp150.000 of premi.
"""

import datetime

import pytest
from django.utils import timezone

from binakarya.ledger import accounts
from binakarya.ledger.accounts import accounts_for
from binakarya.ledger.journal import Posting, entry_post
from binakarya.ledger.models import JournalEntry
from binakarya.production.services import ContributionInput, lot_record
from binakarya.programs.models import Activity, Attendance
from tests.factories import (
    CategoryFactory,
    GroupFactory,
    GroupMembershipFactory,
    LocationFactory,
    MakerFactory,
    ProducerFactory,
    ProductFactory,
)

OWED_IDR = 150_000


def credit_premi(maker, amount_idr):
    """Premi credited to ``maker`` as a sale would (kind SALE, so it also counts as earned)."""
    keys = [accounts.premi_key(maker_id=maker.pk), accounts.bank_key()]
    found = accounts_for(organization=maker.organization, keys=keys)
    entry_post(
        actor=None,
        organization=maker.organization,
        kind=JournalEntry.Kind.SALE,
        postings=[Posting(found[keys[0]], -amount_idr), Posting(found[keys[1]], amount_idr)],
    )


def attend(activity, maker, hours, present=True):
    return Attendance.objects.create(
        organization=activity.organization,
        activity=activity,
        maker=maker,
        present=present,
        hours=hours,
        recorded_at=timezone.now(),
    )


@pytest.fixture
def siti(world):
    facility = world["facility"]
    group = GroupFactory(organization=facility, name="Kelompok Batik Sumenep")
    producer = ProducerFactory(group=group)
    batik = ProductFactory(
        producer=producer, name="Kain Batik Tulis Sekar Jagad", category=CategoryFactory(name="Batik Tulis")
    )
    bag = ProductFactory(
        producer=producer, name="Tas Anyaman Pandan", category=CategoryFactory(name="Anyaman", name_en="Weaving")
    )
    location = LocationFactory(organization=facility)
    maker = MakerFactory(
        organization=facility,
        full_name="Siti Rahayu",
        registration_number="B.I-777/2025",
        admission_date=datetime.date(2025, 1, 10),
    )
    budi = MakerFactory(organization=facility, full_name="Budi Santoso")
    for member in (maker, budi):
        GroupMembershipFactory(group=group, maker=member, joined_date=datetime.date(2025, 2, 1))

    def lot(product, produced, passed, shares, finished, basis="UNITS"):
        return lot_record(
            actor=None,
            variant=product.variants.first(),
            group=group,
            location=location,
            quantity_produced=produced,
            quantity_passed=passed,
            material_cost_idr=100_000,
            contributions=[ContributionInput(maker_id=m.pk, share=s) for m, s in shares],
            started_date=finished - datetime.timedelta(days=7),
            finished_date=finished,
            share_basis=basis,
        )

    lots = {
        "A": lot(batik, 10, 9, [(maker, 6), (budi, 4)], datetime.date(2025, 6, 1)),
        "B": lot(bag, 7, 5, [(maker, 10), (budi, 20)], datetime.date(2025, 8, 10), basis="HOURS"),
        "C": lot(batik, 5, 5, [(budi, 5)], datetime.date(2025, 10, 1)),
    }

    def activity(title, kind, start, end, hours, partner=None):
        return Activity.objects.create(
            organization=facility,
            kind=kind,
            title=title,
            partner=partner,
            group=group,
            place="Aula Rutan Sumenep",
            start_date=start,
            end_date=end,
            hours=hours,
        )

    design = activity(
        "Lokakarya desain batik Kemendag",
        "DESIGN",
        datetime.date(2025, 4, 1),
        datetime.date(2025, 4, 3),
        12,
        world["disperindag"],
    )
    weaving = activity("Pelatihan anyaman pandan", "TRAINING", datetime.date(2025, 9, 1), datetime.date(2025, 9, 1), 6)
    expo = activity("Pameran Hari Bakti", "EXHIBITION", datetime.date(2025, 11, 1), datetime.date(2025, 11, 2), 8)
    attend(design, maker, 12)
    attend(weaving, maker, 4)
    attend(expo, maker, 0, present=False)
    attend(design, budi, 12)
    credit_premi(maker, OWED_IDR)
    return {"maker": maker, "budi": budi, "lots": lots, "group": group, "design": design}
