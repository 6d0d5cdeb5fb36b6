"""Outcomes after release cannot be worked out by subtraction (review fix, issue 15): a facility's table is
for its own staff only (viewers get 403 / no figures on a facility's dashboard), and a province's or the nation's
figures are shown only when at least two facilities there each have 3+ people (consenting releases for the
table, answers for a milestone's column); the nation is also checked against the provinces shown beside it."""

import pytest
from django.core.exceptions import PermissionDenied

from binakarya.dashboards.selectors import dashboard_panels, dashboard_scope
from binakarya.organizations.models import Organization, Role
from binakarya.programs import selectors
from binakarya.programs.services import add_months, outcome_record
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory
from tests.programs.factories_livelihood import ReleaseFactory
from tests.programs.test_api import headers

DASH = "\u2014"


def people(facility, today, consented, answers6=(), answers12=(), refused=0):
    """``consented`` releases of ``facility`` 13 months ago (and ``refused`` without consent), the first of
    them answering at 6 months as ``answers6`` and at 12 months as ``answers12`` ((producing, band) pairs)."""
    released_on = add_months(today, -13)
    releases = [ReleaseFactory(organization=facility, released_on=released_on) for _ in range(consented)]
    for _ in range(refused):
        ReleaseFactory(organization=facility, released_on=released_on, outcomes_consent=False)
    for months, answers in ((6, answers6), (12, answers12)):
        for release, (producing, band) in zip(releases, answers, strict=False):
            outcome_record(
                actor=None, release=release, months=months, checked_on=today, producing=producing, income_band=band
            )
    return releases


@pytest.fixture
def areas(world, today):
    """Jawa Timur: Rutan Sumenep (5 consenting; 4 answered at 6 months, FROM_1M, producing; 3 at 12, FROM_3M)
    and Lapas Bondowoso (3 consenting + 1 not; 3 answered at 6 months, UNDER_1M, producing; none at 12).
    Jawa Tengah: Rutan Purbalingga (2 consenting; 1 answered at 6 months, not producing, NONE)."""
    bondowoso = OrganizationFactory(name="Lapas Kelas IIB Bondowoso", slug="lapas-bondowoso", province="Jawa Timur")
    people(world["facility"], today, 5, [(True, "FROM_1M")] * 4, [(True, "FROM_3M")] * 3)
    people(bondowoso, today, 3, [(True, "UNDER_1M")] * 3, refused=1)
    people(world["other"], today, 2, [(False, "NONE")])
    return {"bondowoso": bondowoso}


def rows_of(table):
    return {r.key: (r.at_6, r.at_12) for r in table.rows}


def test_a_province_with_two_qualifying_facilities_shows_its_figures_and_withholds_a_thin_milestone(world, areas):
    table = selectors.program_outcomes(user=world["regional"], scope="province:Jawa Timur")
    rows = rows_of(table)
    assert (table.releases, table.consented) == ("9", "8")
    assert rows["due"] == ("8", DASH)
    assert rows["answered"] == ("\u22656", DASH)  # 7 of 8: the one who did not answer is not given away
    assert rows["producing"] == ("7", DASH)
    assert rows["producing-rate"] == ("100%", DASH)
    assert rows["income-from_1m"] == ("4", DASH)
    assert rows["income-under_1m"] == ("3", DASH)
    # at 12 months only Rutan Sumenep answered: its figures would be the province's, so they are withheld
    assert table.withheld.startswith("The 12-month figures (\u201c\u2014\u201d) are not shown")


def test_a_province_with_one_qualifying_facility_shows_nothing(world, areas):
    table = selectors.program_outcomes(user=world["regional_central"], scope="province:Jawa Tengah")
    assert (table.releases, table.consented) == (DASH, DASH)
    assert all(cell == DASH for r in table.rows for cell in (r.at_6, r.at_12))
    assert table.withheld.startswith("Not shown: the outcomes of Jawa Tengah are shown only when at least two")


def test_the_nation_is_withheld_when_it_minus_the_provinces_shown_gives_one_facility(world, areas):
    # nation minus Jawa Timur would be Rutan Purbalingga alone (2 people)
    nation = selectors.program_outcomes(user=world["national"], scope="nation")
    assert (nation.releases, nation.consented) == (DASH, DASH)
    assert all(cell == DASH for r in nation.rows for cell in (r.at_6, r.at_12))
    assert nation.withheld.startswith("Not shown: the outcomes of Indonesia")


def test_the_nation_checks_the_remainder_cell_by_cell(world, areas, today):
    # given Purbalingga has 4 consenting (2 more, answering NONE: 3 answers) and Lapas Bangli in Bali 3, so that "nation
    # minus Jawa Timur" is two facilities of 3+ people each
    people(world["other"], today, 2, [(False, "NONE")] * 2)
    bangli = OrganizationFactory(name="Lapas Bangli", slug="lapas-bangli", province="Bali")
    # one producing and two not: the remainder's "producing" would be 1
    people(bangli, today, 3, [(True, "FROM_1M"), (False, "NONE"), (False, "NONE")])

    nation = selectors.program_outcomes(user=world["national"], scope="nation")

    assert (nation.releases, nation.consented) == ("16", "15")
    assert rows_of(nation)["producing"] == (DASH, DASH)
    assert all(cell == DASH for r in nation.rows for cell in (r.at_6, r.at_12))


def test_the_nation_shows_a_column_whose_remainder_has_no_small_cell(world, areas, today):
    people(world["other"], today, 2, [(False, "NONE")] * 2)
    bangli = OrganizationFactory(name="Lapas Bangli", slug="lapas-bangli", province="Bali")
    people(bangli, today, 3, [(True, "FROM_1M")] * 3)

    nation = selectors.program_outcomes(user=world["national"], scope="nation")
    rows = rows_of(nation)

    assert (nation.releases, nation.consented) == ("16", "15")
    assert rows["due"] == ("15", DASH)
    assert rows["answered"] == ("\u226513", DASH)  # 13 of 15
    assert rows["producing"] == ("10", DASH)
    assert rows["income-from_1m"] == ("7", DASH)
    assert rows["income-under_1m"] == ("3", DASH)
    assert rows["income-none"] == ("3", DASH)
    assert nation.withheld.startswith("The 12-month figures")


def test_a_facilitys_outcomes_are_for_its_own_staff_only(client, world, areas):
    own = selectors.program_outcomes(user=world["admin"], scope="org:rutan-sumenep")
    assert (own.consented, rows_of(own)["answered"], own.withheld) == ("5", ("\u22653", "\u22653"), "")
    for who in ("regional", "national", "other_admin", "instructor_elsewhere"):
        user = world.get(who)
        if user is None:
            user = UserFactory(username="instruktur.pbg")
            MembershipFactory(user=user, organization=world["other"], role=Role.INSTRUCTOR)
        with pytest.raises(PermissionDenied):
            selectors.program_outcomes(user=user, scope="org:rutan-sumenep")
    for who in ("regional", "national"):
        response = client.get("/api/v1/programs/outcomes?scope=org:rutan-sumenep", **headers(world[who]))
        assert response.status_code == 403
        assert "Rutan" not in str(response.json().get("rows", ""))


def test_a_viewers_facility_dashboard_shows_no_outcomes(world, areas, today):
    scope = dashboard_scope(user=world["regional"], scope="org:rutan-sumenep")
    panels = {p.key: p for p in dashboard_panels(user=world["regional"], scope=scope, year=today.year)}
    panel = panels["outcomes"]
    assert panel.table.rows == []
    assert panel.note == (
        "The outcomes of one facility are shown to its own staff only; see the province or the nation."
    )
    # while the facility's own admin sees them
    own = dashboard_scope(user=world["admin"], scope="org:rutan-sumenep")
    rows = {
        r[0]: r[1:]
        for r in {p.key: p for p in dashboard_panels(user=world["admin"], scope=own, year=today.year)}[
            "outcomes"
        ].table.rows
    }
    assert rows["Answered"] == ["\u22653", "\u22653"]


def test_the_api_gives_the_reason_for_withheld_figures(client, world, areas):
    response = client.get("/api/v1/programs/outcomes?scope=province:Jawa Tengah", **headers(world["regional_central"]))
    assert response.status_code == 200
    body = response.json()
    assert (body["consented"], body["withheld"][:9]) == (DASH, "Not shown")
    assert Organization.objects.filter(slug="lapas-bondowoso").exists()
