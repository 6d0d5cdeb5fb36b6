"""After release (issue 15): livelihood_start, outcome_record, the starting capital, the aggregated outcomes
with small-number suppression, and the public programs counts of the impact page."""

import datetime
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from binakarya.accounts.models import PendingPasswordChange
from binakarya.catalog.models import Producer
from binakarya.core.models import AuditEvent
from binakarya.dashboards.selectors import dashboard_panels, dashboard_scope
from binakarya.makers.models import Maker
from binakarya.organizations.models import Membership, Organization, Role
from binakarya.programs import selectors
from binakarya.programs.models import Livelihood, OutcomeCheck
from binakarya.programs.services import add_months, livelihood_start, outcome_record
from tests.factories import MakerFactory, MembershipFactory, OrganizationFactory, UserFactory
from tests.programs.factories_livelihood import (
    AttendanceFactory,
    CertificateFactory,
    ReleaseFactory,
    sale_row,
)

PASSWORD = "kain-batik-Tanjung-77"


@pytest.fixture
def release(world):
    return ReleaseFactory(organization=world["facility"], premi_paid_idr=1_250_000)


@pytest.fixture
def start(world, release, today):
    def start(**overrides):
        arguments = {
            "actor": world["admin"],
            "release": release,
            "consent_date": today,
            "business_name": "Batik Canting Sari",
            "regency": "Sumenep",
            "province": "Jawa Timur",
            "phone": "0813 5555 2468",
            "description": "Batik tulis motif pesisir, dikerjakan di rumah.",
            "agency": world["disperindag"],
            "operator_username": "canting.sari",
            "operator_password": PASSWORD,
            "operator_email": "sari@example.test",
        }
        arguments.update(overrides)
        return livelihood_start(**arguments)

    return start


def errors_of(excinfo) -> dict[str, list[str]]:
    return excinfo.value.message_dict


# livelihood_start -------------------------------------------------------------------------------------------


def test_the_facility_admin_starts_a_livelihood_an_ordinary_producer_with_its_operator(world, release, start, today):
    # when
    livelihood = start()

    # then an ordinary UMKM producer exists, supported by the agency
    producer = livelihood.producer
    assert producer.kind == Organization.Kind.PRODUCER
    assert (producer.name, producer.slug, producer.parent) == (
        "Batik Canting Sari",
        "batik-canting-sari",
        world["disperindag"],
    )
    assert (producer.regency, producer.province, producer.phone) == ("Sumenep", "Jawa Timur", "6281355552468")
    profile = Producer.objects.get(organization=producer)
    assert (profile.kind, profile.name, profile.slug) == (
        Producer.Kind.UMKM,
        "Batik Canting Sari",
        "batik-canting-sari",
    )
    # and its operator must change the temporary password first
    operator = get_user_model().objects.get(username="canting.sari")
    assert operator.check_password(PASSWORD)
    assert PendingPasswordChange.objects.filter(user=operator).exists()
    assert list(Membership.objects.filter(user=operator).values_list("organization", "role")) == [
        (producer.pk, Role.PRODUCER_OPERATOR)
    ]
    # and the link belongs to the facility, with the premi paid as starting capital
    assert (livelihood.organization, livelihood.release, livelihood.consent_date) == (world["facility"], release, today)
    assert livelihood.starting_capital_idr == 1_250_000
    # and no maker was copied into the producer
    assert not Maker.objects.filter(organization=producer).exists()
    # and the facility's audit has the start; the producer's own history does not name the facility
    event = AuditEvent.objects.get(action="programs.livelihood_start")
    assert event.organization == world["facility"]
    own = list(AuditEvent.objects.filter(organization=producer))
    assert [(e.action, e.actor) for e in own] == [("producer.create", None)]
    assert "sumenep" not in str([e.data for e in own]).lower()


def test_a_starting_capital_can_be_given(start):
    assert start(starting_capital_idr=2_000_000).starting_capital_idr == 2_000_000


@pytest.mark.parametrize("who", ["instructor", "other_admin", "operator", "regional", "national"])
def test_only_the_releasing_facilitys_admin_starts_a_livelihood(world, start, who):
    with pytest.raises(PermissionDenied):
        start(actor=world[who])
    assert not Livelihood.objects.exists()


def test_one_livelihood_per_release(start):
    start()
    with pytest.raises(ValidationError) as excinfo:
        start(business_name="Tenun Dua", operator_username="tenun.dua")
    assert errors_of(excinfo)["release"] == ["A livelihood was already started for this release."]
    assert Organization.objects.filter(kind=Organization.Kind.PRODUCER, name="Tenun Dua").count() == 0


def test_the_maker_must_be_released(world, release, start):
    Maker.objects.filter(pk=release.maker_id).update(status=Maker.Status.ACTIVE)
    with pytest.raises(ValidationError) as excinfo:
        start()
    assert errors_of(excinfo)["release"] == ["The maker is not marked released yet: complete the release first."]


@pytest.mark.parametrize(
    ("field", "text"),
    [
        ("business_name", "Batik Rutan Sumenep"),
        ("business_name", "Kerajinan Eks Napi"),
        ("description", "Dulu belajar membatik di Lapas, kini usaha sendiri."),
        ("description", "Karya warga binaan yang sudah bebas bersyarat."),
        ("description", "Usaha mantan narapidana."),
        ("description", "Belajar di Rutan Kelas IIB Sumenep."),
        ("business_name", "Batik rutan-sumenep"),
    ],
)
def test_nothing_in_the_producer_may_tell_the_past(start, field, text):
    with pytest.raises(ValidationError) as excinfo:
        start(**{field: text})
    message = errors_of(excinfo)[field][0]
    assert message.startswith("This would tell the public about the person's past")
    assert not Organization.objects.filter(kind=Organization.Kind.PRODUCER).exclude(slug="batik-tamanan").exists()


def test_the_registration_number_is_refused_too(release, start):
    with pytest.raises(ValidationError) as excinfo:
        start(description=f"No. {release.maker.registration_number}")
    assert "description" in errors_of(excinfo)


def test_ordinary_words_are_not_mistaken_for_the_past(start):
    livelihood = start(description="Batik bebas pewarna kimia, UMKM binaan Disperindag.")
    assert livelihood.producer.description.startswith("Batik bebas pewarna")


def test_every_field_is_checked_at_once_and_nothing_is_saved(world, start, today):
    # given a taken username
    UserFactory(username="taken.name")

    # when
    with pytest.raises(ValidationError) as excinfo:
        start(
            business_name="",
            regency="",
            province="",
            phone="call me",
            agency=world["polres"].__class__.objects.get(slug="hotel-bintang"),
            operator_username="taken.name",
            operator_password="123",
            operator_email="not-an-email",
            consent_date=today + datetime.timedelta(days=2),
        )

    # then
    errors = errors_of(excinfo)
    assert set(errors) == {
        "business_name",
        "regency",
        "province",
        "phone",
        "agency",
        "operator_username",
        "operator_password",
        "operator_email",
        "consent_date",
    }
    assert errors["operator_username"] == ["This username is taken."]
    assert errors["agency"] == ["Hotel Bintang is not an active agency."]
    assert not Livelihood.objects.exists()


def test_nothing_half_saved_when_the_account_cannot_be_created(world, start):
    # given the account's save fails after the producer rows were written
    producers_before = Organization.objects.filter(kind=Organization.Kind.PRODUCER).count()
    with mock.patch.object(PendingPasswordChange.objects, "create", side_effect=RuntimeError("disk full")):
        with pytest.raises(RuntimeError):
            start()

    # then nothing of it stays
    assert Organization.objects.filter(kind=Organization.Kind.PRODUCER).count() == producers_before
    assert not Producer.objects.filter(slug="batik-canting-sari").exists()
    assert not get_user_model().objects.filter(username="canting.sari").exists()
    assert not Livelihood.objects.exists()


def test_two_producers_with_the_same_name_get_distinct_slugs_and_codes(world, start):
    first = start()
    second_release = ReleaseFactory(organization=world["facility"])
    second = start(release=second_release, operator_username="kedua")
    assert first.producer.slug != second.producer.slug
    assert first.producer.code != second.producer.code


# Starting capital -----------------------------------------------------------------------------------------------


def test_the_starting_capital_is_shown_to_the_producers_operator_only(world, start):
    livelihood = start()
    producer = livelihood.producer
    operator = get_user_model().objects.get(username="canting.sari")
    agency_viewer = UserFactory(username="viewer.disperindag")
    MembershipFactory(user=agency_viewer, organization=world["disperindag"], role=Role.AGENCY_VIEWER)

    assert selectors.starting_capital_for(user=operator, producer=producer) == 1_250_000
    assert selectors.my_starting_capital(user=operator) == 1_250_000
    for who in (agency_viewer, world["admin"], world["regional"], world["national"], world["operator"]):
        assert selectors.starting_capital_for(user=who, producer=producer) is None
        assert selectors.my_starting_capital(user=who) is None


def test_a_facility_admin_pays_no_query_for_the_capital_card(world, django_assert_num_queries):
    selectors.my_starting_capital(user=world["admin"])  # memberships cached
    with django_assert_num_queries(0):
        assert selectors.my_starting_capital(user=world["admin"]) is None


# Releases worklist ----------------------------------------------------------------------------------------------


def test_the_worklist_shows_the_checks_due_to_the_facilitys_staff_only(world, today):
    # given one release 7 months ago (6-month check due), one last month (none due), one without consent
    due = ReleaseFactory(organization=world["facility"], released_on=add_months(today, -7))
    recent = ReleaseFactory(organization=world["facility"], released_on=add_months(today, -1))
    no_consent = ReleaseFactory(
        organization=world["facility"], released_on=add_months(today, -13), outcomes_consent=False
    )
    ReleaseFactory(organization=world["other"])

    # when
    rows = selectors.release_worklist(user=world["admin"])

    # then
    assert [r.release for r in rows] == [due, recent, no_consent]
    assert [r.due for r in rows] == [(6,), (), ()]
    assert rows[0].due_dates[6] == add_months(due.released_on, 6)
    for who in ("other_admin", "regional", "national", "operator", "partner"):
        assert selectors.release_worklist(user=world[who]) == [] or all(
            r.release.organization != world["facility"] for r in selectors.release_worklist(user=world[who])
        )
    assert selectors.release_worklist(user=world["regional"]) == []


# outcome_record -------------------------------------------------------------------------------------------------


def test_an_outcome_is_recorded_on_or_after_the_calendar_date(world, today):
    release = ReleaseFactory(organization=world["facility"], released_on=add_months(today, -6))
    check = outcome_record(
        actor=world["admin"], release=release, months=6, checked_on=today, producing=True, income_band="FROM_1M"
    )
    assert (check.organization, check.months, check.producing, check.income_band) == (
        world["facility"],
        6,
        True,
        "FROM_1M",
    )
    assert AuditEvent.objects.filter(action="programs.outcome_record").count() == 1


def test_an_outcome_too_early_twice_or_without_consent_is_refused(world, today):
    early = ReleaseFactory(organization=world["facility"], released_on=today - datetime.timedelta(days=170))
    with pytest.raises(ValidationError) as excinfo:
        outcome_record(
            actor=world["admin"], release=early, months=6, checked_on=today, producing=True, income_band="NONE"
        )
    due = add_months(early.released_on, 6).strftime("%d-%m-%Y")
    assert errors_of(excinfo)["checked_on"] == [f"The 6-month check is asked on or after {due}."]

    ready = ReleaseFactory(organization=world["facility"], released_on=add_months(today, -12))
    outcome_record(
        actor=world["admin"], release=ready, months=12, checked_on=today, producing=False, income_band="NONE"
    )
    with pytest.raises(ValidationError) as excinfo:
        outcome_record(
            actor=world["admin"], release=ready, months=12, checked_on=today, producing=True, income_band="NONE"
        )
    assert errors_of(excinfo)["months"] == ["The 12-month answer is already recorded."]

    refused = ReleaseFactory(organization=world["facility"], released_on=add_months(today, -12), outcomes_consent=False)
    with pytest.raises(ValidationError) as excinfo:
        outcome_record(
            actor=world["admin"], release=refused, months=9, checked_on=today, producing=True, income_band="BAD"
        )
    assert set(errors_of(excinfo)) == {"release", "months", "income_band"}
    assert OutcomeCheck.objects.count() == 1


@pytest.mark.parametrize("who", ["instructor", "other_admin", "regional", "national", "operator"])
def test_only_the_facilitys_admin_or_production_officer_records_outcomes(world, today, who):
    release = ReleaseFactory(organization=world["facility"], released_on=add_months(today, -6))
    with pytest.raises(PermissionDenied):
        outcome_record(
            actor=world[who], release=release, months=6, checked_on=today, producing=True, income_band="NONE"
        )


def test_a_production_officer_records_outcomes(world, today):
    officer = UserFactory(username="produksi.smp")
    MembershipFactory(user=officer, organization=world["facility"], role=Role.PRODUCTION_OFFICER)
    release = ReleaseFactory(organization=world["facility"], released_on=add_months(today, -6))
    outcome_record(actor=officer, release=release, months=6, checked_on=today, producing=True, income_band="NONE")
    assert OutcomeCheck.objects.count() == 1


def test_add_months_keeps_to_the_calendar():
    assert add_months(datetime.date(2026, 8, 31), 6) == datetime.date(2027, 2, 28)
    assert add_months(datetime.date(2027, 8, 31), 6) == datetime.date(2028, 2, 29)
    assert add_months(datetime.date(2026, 1, 15), 12) == datetime.date(2027, 1, 15)


# Aggregated outcomes --------------------------------------------------------------------------------------------


def _answer(world, release, months, producing, band, today):
    outcome_record(
        actor=world["admin"], release=release, months=months, checked_on=today, producing=producing, income_band=band
    )


@pytest.fixture
def answered(world, today):
    """Rutan Sumenep: 8 releases 13 months ago with consent, 1 without. At 6 months 7 answered: 5 producing (4 in
    FROM_1M, 1 UNDER_1M), 2 not (NONE). At 12 months 3 answered, all producing, FROM_3M. Three of the answered
    started a livelihood; two of them sold in the first six months, one in the second."""
    released_on = add_months(today, -13)
    releases = [ReleaseFactory(organization=world["facility"], released_on=released_on) for _ in range(8)]
    ReleaseFactory(organization=world["facility"], released_on=released_on, outcomes_consent=False)
    bands = ["FROM_1M"] * 4 + ["UNDER_1M", "NONE", "NONE"]
    for i, band in enumerate(bands):
        _answer(world, releases[i], 6, i < 5, band, today)
    for release in releases[:3]:
        _answer(world, release, 12, True, "FROM_3M", today)
    for i, release in enumerate(releases[:3]):
        producer = OrganizationFactory(kind=Organization.Kind.PRODUCER, facility_type="", facility_class="")
        Livelihood.objects.create(
            organization=world["facility"], release=release, producer=producer, consent_date=released_on
        )
        sold = add_months(released_on, 2) if i < 2 else add_months(released_on, 9)
        sale_row(organization=producer, when=sold)
    # another facility's release never counts for Rutan Sumenep
    other = ReleaseFactory(organization=world["other"], released_on=released_on)
    outcome_record(actor=None, release=other, months=6, checked_on=today, producing=True, income_band="OVER_5M")
    return releases


def test_the_outcome_counts_are_exact(world, answered):
    counts = selectors.outcome_counts(user=world["admin"], organization_ids=[world["facility"].pk, world["other"].pk])
    assert (counts.releases, counts.consented) == (9, 8)
    m6, m12 = counts.milestones[6], counts.milestones[12]
    assert (m6.due, m6.answered, m6.producing, m6.selling) == (8, 7, 5, 2)
    assert m6.bands == {"FROM_1M": 4, "UNDER_1M": 1, "NONE": 2}
    assert (m12.due, m12.answered, m12.producing, m12.selling) == (8, 3, 3, 1)
    assert m12.bands == {"FROM_3M": 3}


def test_the_outcomes_table_hides_one_or_two_people(world, answered):
    table = selectors.program_outcomes(user=world["admin"], scope="org:rutan-sumenep")
    rows = {r.key: (r.at_6, r.at_12) for r in table.rows}
    assert (table.releases, table.consented) == ("9", "8")
    assert rows["due"] == ("8", "8")
    assert rows["answered"] == ("\u22656", "3")  # 1 of 8 did not answer at 6 months
    # 2 of the 7 answers at 6 months were "not producing": they could be worked out from 5, so 5 is "≥5"
    assert rows["producing"] == ("\u22655", "3")
    assert rows["producing-rate"] == ("\u2014", "100%")
    assert rows["selling"] == ("<3", "<3")
    assert rows["selling-rate"] == ("\u2014", "\u2014")
    # the one UNDER_1M is hidden, and so is the next smallest band (NONE, 2, hidden anyway), so FROM_1M too
    assert rows["income-under_1m"][0] == "<3"
    assert rows["income-none"][0] == "<3"
    assert rows["income-from_1m"][0] == "4"
    assert rows["income-from_3m"] == ("0", "3")
    assert selectors.suppressed(0) == "0"
    assert selectors.suppressed(4, 5) == "\u22653"


def test_a_single_hidden_band_hides_another(world, today):
    releases = [ReleaseFactory(organization=world["facility"], released_on=add_months(today, -7)) for _ in range(5)]
    for i, release in enumerate(releases):
        _answer(world, release, 6, True, "FROM_1M" if i < 4 else "OVER_5M", today)
    rows = {r.key: r.at_6 for r in selectors.program_outcomes(user=world["admin"], scope="org:rutan-sumenep").rows}
    assert (rows["income-over_5m"], rows["income-from_1m"]) == ("<3", "\u22653")


def test_who_sees_which_outcomes(world, answered):
    # a regional viewer of Jawa Timur may ask for the province, the national viewer for the nation; with one
    # facility of 3+ people in each, the figures are withheld (test_outcomes_privacy.py has the shown cases)
    province = selectors.program_outcomes(user=world["regional"], scope="province:Jawa Timur")
    assert (province.consented, province.withheld[:9]) == ("\u2014", "Not shown")
    nation = selectors.program_outcomes(user=world["national"], scope="nation")
    assert (nation.consented, nation.withheld[:9]) == ("\u2014", "Not shown")
    for who, scope in [
        ("regional", "org:rutan-sumenep"),
        ("national", "org:rutan-sumenep"),
        ("other_admin", "org:rutan-sumenep"),
        ("admin", "province:Jawa Timur"),
        ("admin", "nation"),
        ("regional_central", "province:Jawa Timur"),
        ("regional", "nation"),
        ("operator", "org:rutan-sumenep"),
        ("partner", "org:rutan-sumenep"),
    ]:
        with pytest.raises(PermissionDenied):
            selectors.program_outcomes(user=world[who], scope=scope)


# Impact counts --------------------------------------------------------------------------------------------------


def test_the_impact_programs_counts(world, make, today):
    facility = world["facility"]
    # agreements: one in force, one ended, one not started
    make(number="A/1")
    make(number="A/2", start_date=today - datetime.timedelta(days=400), end_date=today - datetime.timedelta(days=1))
    make(number="A/3", start_date=today + datetime.timedelta(days=10), end_date=today + datetime.timedelta(days=100))
    # training: two attendees of 8 hours, one absent; another facility's
    a = AttendanceFactory(activity__organization=facility)
    AttendanceFactory(activity=a.activity)
    AttendanceFactory(activity=a.activity, present=False)
    AttendanceFactory(activity__organization=world["other"])
    # certificates: one maker twice, another once
    maker = MakerFactory(organization=facility)
    CertificateFactory(organization=facility, maker=maker)
    CertificateFactory(organization=facility, maker=maker)
    CertificateFactory(organization=facility)
    # released makers selling: three producers sold in the last 90 days, one 200 days ago
    for days in (5, 30, 80, 200):
        release = ReleaseFactory(organization=facility)
        producer = OrganizationFactory(kind=Organization.Kind.PRODUCER, facility_type="", facility_class="")
        Livelihood.objects.create(organization=facility, release=release, producer=producer, consent_date=today)
        sale_row(organization=producer, when=timezone.now() - datetime.timedelta(days=days))

    figures = selectors.impact_programs(organization=facility, year=today.year)

    assert figures == selectors.ImpactPrograms(
        agreements_in_force=1, training_hours=16, makers_certified=2, released_makers_selling=3
    )


def test_one_or_two_released_makers_selling_are_not_shown(world, today):
    release = ReleaseFactory(organization=world["facility"])
    producer = OrganizationFactory(kind=Organization.Kind.PRODUCER, facility_type="", facility_class="")
    Livelihood.objects.create(organization=world["facility"], release=release, producer=producer, consent_date=today)
    sale_row(organization=producer, when=timezone.now())
    assert selectors.impact_programs(organization=world["facility"], year=today.year).released_makers_selling is None


def test_the_dashboards_outcomes_panel_is_the_aggregate_for_the_scope(world, answered, today):
    # a facility's dashboard
    scope = dashboard_scope(user=world["admin"], scope="org:rutan-sumenep")
    panel = {p.key: p for p in dashboard_panels(user=world["admin"], scope=scope, year=today.year)}["outcomes"]
    rows = {row[0]: row[1:] for row in panel.table.rows}
    assert panel.chart == ""
    assert rows["Still producing crafts"] == ["\u22655", "3"]
    assert rows["Selling through Binakarya"] == ["<3", "<3"]
    assert "agreed to be asked: 8" in panel.note
    # the nation's: only one facility has 3+ people, so nothing is shown, with the reason; no person anywhere
    nation = dashboard_scope(user=world["national"], scope="nation")
    panels = {p.key: p for p in dashboard_panels(user=world["national"], scope=nation, year=today.year)}
    assert "agreed to be asked: \u2014" in panels["outcomes"].note
    assert "Not shown: the outcomes of Indonesia" in panels["outcomes"].note
    text = str(panels["outcomes"].table.rows)
    assert all(r.maker.full_name not in text for r in answered)
