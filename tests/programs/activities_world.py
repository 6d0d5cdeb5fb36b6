"""A world for the activities tests: Rutan Sumenep's batik group (three active makers, one released, one who
left before the workshop), Kemendag as an agency, an agreement with Polres and Disperindag, and a maker of
another facility."""

import datetime
from typing import Any

from binakarya.makers.models import Maker
from binakarya.organizations.models import Organization
from binakarya.programs.services import activity_create
from tests.factories import GroupFactory, GroupMembershipFactory, MakerFactory, OrganizationFactory

NAMES = ["Siti Rahasiawati", "Budi Tersembunyi", "Joko Samaran"]


def activity_world(world: dict[str, Any], make: Any, today: datetime.date) -> dict[str, Any]:
    facility = world["facility"]
    group = GroupFactory(organization=facility, name="Kelompok Batik Tulis")
    joined = today - datetime.timedelta(days=200)
    makers = [
        GroupMembershipFactory(
            group=group, maker=MakerFactory(organization=facility, full_name=name), joined_date=joined
        ).maker
        for name in NAMES
    ]
    released = GroupMembershipFactory(
        group=group,
        maker=MakerFactory(organization=facility, full_name="Pulang Bebasiana", status=Maker.Status.RELEASED),
        joined_date=joined,
    ).maker
    left = GroupMembershipFactory(
        group=group,
        maker=MakerFactory(organization=facility, full_name="Pindah Kelompokan"),
        joined_date=joined,
        left_date=today - datetime.timedelta(days=30),
    ).maker
    stranger = MakerFactory(organization=world["other"], full_name="Orang Lainsekali")
    kemendag = OrganizationFactory(kind=Organization.Kind.AGENCY, name="Kemendag Ditjen PEN", slug="kemendag-pen")
    agreement = make()
    return {
        **world,
        "group": group,
        "makers": makers,
        "released": released,
        "left": left,
        "stranger": stranger,
        "kemendag": kemendag,
        "agreement": agreement,
    }


def workshop(w: dict[str, Any], today: datetime.date, **overrides: Any):
    arguments: dict[str, Any] = {
        "actor": w["admin"],
        "organization": w["facility"],
        "kind": "DESIGN",
        "title": "Lokakarya desain batik",
        "place": "Aula Rutan Sumenep",
        "start_date": today - datetime.timedelta(days=1),
        "end_date": today,
        "hours": 8,
        "agreement": w["agreement"],
        "partner": w["disperindag"],
        "group": w["group"],
        "instructors": "Tim desain Disperindag",
    }
    arguments.update(overrides)
    return activity_create(**arguments)
