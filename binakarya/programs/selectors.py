"""Reads of the programs app: agreements and obligations, scoped through ``organizations.scoping.scope``.

Agreements name organizations, never a maker, so the viewers (regional, national, agency) read them for the
organizations they see; outlet partners do not.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from binakarya.core.types import Actor
from binakarya.organizations.models import Organization, Role
from binakarya.organizations.scoping import MAKER_ROLES, STAFF_ROLES, scope, visible_organizations
from binakarya.organizations.selectors import holds_role, organizations_by_kind, organizations_for
from binakarya.programs.models import (
    Agreement,
    Attendance,
    Certificate,
    Livelihood,
    Obligation,
    OutcomeCheck,
    Release,
)
from binakarya.programs.services import (
    MANAGE_ROLES,
    OUTCOME_MONTHS,
    SIGNER_KINDS,
    add_months,
)
from binakarya.sales.models import Sale

VIEW_ROLES = STAFF_ROLES - {Role.OUTLET_PARTNER}
ENDING_WITHIN_DAYS = 60


def sees_agreements(*, user: Actor) -> bool:
    return holds_role(user=user, roles=VIEW_ROLES)


def manages_agreements(*, user: Actor) -> bool:
    return holds_role(user=user, roles=MANAGE_ROLES, oversight=False)


def agreements_for(*, user: Actor, organization: Organization | None = None) -> QuerySet[Agreement]:
    """The agreements ``user`` may read, newest signed first, with their organization and partners."""
    qs = scope(Agreement.objects.all(), user, roles=VIEW_ROLES)
    if organization is not None:
        qs = qs.filter(organization=organization)
    return qs.select_related("organization").prefetch_related(
        Prefetch("partners", queryset=Organization.objects.order_by("name"))
    )


def agreement_get(*, user: Actor, pk: int) -> Agreement:
    """One agreement; Agreement.DoesNotExist when it is missing or outside the user's scope alike."""
    return agreements_for(user=user).get(pk=pk)


def agreements_ending(
    *, user: Actor, within_days: int = ENDING_WITHIN_DAYS, today: datetime.date | None = None
) -> QuerySet[Agreement]:
    """Agreements in force that end within ``within_days`` days (renewal alerts), soonest first."""
    day = today or timezone.localdate()
    return (
        agreements_for(user=user)
        .filter(end_date__gte=day, end_date__lte=day + datetime.timedelta(days=within_days))
        .order_by("end_date", "pk")
    )


def obligations_of(*, user: Actor, agreement: Agreement) -> QuerySet[Obligation]:
    return scope(Obligation.objects.filter(agreement=agreement), user, roles=VIEW_ROLES).select_related(
        "party", "done_by"
    )


def obligation_get(*, user: Actor, agreement: Agreement, pk: int) -> Obligation:
    return obligations_of(user=user, agreement=agreement).get(pk=pk)


def obligations_overdue(*, user: Actor, today: datetime.date | None = None) -> QuerySet[Obligation]:
    """Obligations not done whose due date has passed, oldest first."""
    day = today or timezone.localdate()
    return (
        scope(Obligation.objects.filter(done_at__isnull=True, due_date__lt=day), user, roles=VIEW_ROLES)
        .select_related("agreement", "party", "organization")
        .order_by("due_date", "pk")
    )


def signer_organizations_for(*, user: Actor) -> QuerySet[Organization]:
    """The organizations ``user`` records agreements for."""
    return organizations_for(user=user, roles=MANAGE_ROLES, oversight=False, kinds=SIGNER_KINDS, active_only=True)


def agencies() -> QuerySet[Organization]:
    """Every active agency, by name: the partners an agreement is picked from (reference data)."""
    return organizations_by_kind(kinds=[Organization.Kind.AGENCY])


def today() -> datetime.date:
    """Today in the site's time zone (the day overdue and ending are counted from)."""
    return timezone.localdate()


# ---------------------------------------------------------------------------------------------------------------
# After release: livelihood and outcomes (issue 15).
#
# The Livelihood row (release -> new producer) is read only by the releasing facility's own staff
# (``MAKER_ROLES``, no oversight): not by the producer's agency, not by regional or national viewers, not by
# the producer itself. The producer's operator reads one figure of it: the starting capital. Outcomes leave
# this app only as counts and rates, with cells of one or two people shown as "<3".
# ---------------------------------------------------------------------------------------------------------------

RELEASE_VIEW_ROLES = MAKER_ROLES - {Role.PRODUCER_OPERATOR}
# Who reads the aggregated outcomes: the facility's staff, and the regional and national viewers (counts only).
OUTCOME_VIEW_ROLES = RELEASE_VIEW_ROLES | {Role.REGIONAL_VIEWER, Role.NATIONAL_VIEWER}
SMALL_CELL = 3
SELLING_DAYS = 90
SOLD = (Sale.Status.POSTED, Sale.Status.PARTLY_REVERSED)


def sees_releases(*, user: Actor) -> bool:
    return holds_role(user=user, roles=RELEASE_VIEW_ROLES, oversight=False)


def releases_for(*, user: Actor) -> QuerySet[Release]:
    """The releases of the facilities where ``user`` is staff (never through an oversight role), newest first,
    with the maker, the livelihood and the outcome checks."""
    return (
        scope(Release.objects.all(), user, roles=RELEASE_VIEW_ROLES, oversight=False)
        .select_related("maker", "organization", "livelihood", "livelihood__producer")
        .prefetch_related("outcome_checks")
    )


def release_get(*, user: Actor, pk: int) -> Release:
    """One release; Release.DoesNotExist when missing or outside the user's facilities alike."""
    return releases_for(user=user).get(pk=pk)


def livelihood_of(release: Release) -> Livelihood | None:
    """The release's livelihood, read from the row already loaded by ``releases_for``."""
    try:
        return release.livelihood
    except Livelihood.DoesNotExist:
        return None


@dataclass(frozen=True)
class ReleaseStatus:
    """One release on the worklist: its livelihood, its answers by month and the checks now due."""

    release: Release
    livelihood: Livelihood | None
    checks: dict[int, OutcomeCheck]
    due: tuple[int, ...]
    due_dates: dict[int, datetime.date]

    @property
    def check_6(self) -> OutcomeCheck | None:
        return self.checks.get(6)

    @property
    def check_12(self) -> OutcomeCheck | None:
        return self.checks.get(12)


def release_status(release: Release, *, today: datetime.date | None = None) -> ReleaseStatus:
    """What is recorded and what is due for ``release`` (a check is due once its calendar date has passed,
    consent was given and the answer is not recorded yet)."""
    day = today or timezone.localdate()
    checks = {c.months: c for c in release.outcome_checks.all()}
    dates = {m: add_months(release.released_on, m) for m in OUTCOME_MONTHS}
    due = tuple(m for m in OUTCOME_MONTHS if release.outcomes_consent and m not in checks and dates[m] <= day)
    return ReleaseStatus(release, livelihood_of(release), checks, due, dates)


def release_worklist(*, user: Actor, today: datetime.date | None = None) -> list[ReleaseStatus]:
    """The user's facilities' releases with their status, the ones with a check due first."""
    rows = [release_status(r, today=today) for r in releases_for(user=user)]
    return sorted(rows, key=lambda r: (not r.due, -r.release.released_on.toordinal(), -r.release.pk))


def livelihood_agencies() -> QuerySet[Organization]:
    """The agencies that may support a new UMKM (reference data)."""
    return organizations_by_kind(kinds=[Organization.Kind.AGENCY])


def starting_capital_for(*, user: Actor, producer: Organization) -> int | None:
    """The starting capital (the premi savings) of ``producer``, only for its own producer operators; None
    for everyone else and for producers that did not start from a release. Nothing else of the past."""
    rows = scope(
        Livelihood.objects.filter(producer=producer),
        user,
        roles=[Role.PRODUCER_OPERATOR],
        oversight=False,
        field="producer",
    ).values_list("starting_capital_idr", flat=True)
    return next(iter(rows), None)


def my_starting_capital(*, user: Actor) -> int | None:
    """The starting capital of the producer ``user`` operates (the back office overview's card); no query
    for a user who operates no producer."""
    if not holds_role(user=user, roles=[Role.PRODUCER_OPERATOR], oversight=False):
        return None
    rows = scope(
        Livelihood.objects.all(), user, roles=[Role.PRODUCER_OPERATOR], oversight=False, field="producer"
    ).values_list("starting_capital_idr", flat=True)
    return next(iter(rows[:1]), None)


# Outcomes, aggregated ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MilestoneCounts:
    """Raw counts at one milestone (6 or 12 months). Never leaves the selectors unsuppressed but in tests."""

    months: int
    due: int = 0
    answered: int = 0
    producing: int = 0
    selling: int = 0
    bands: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class OutcomeCounts:
    releases: int
    consented: int
    milestones: dict[int, MilestoneCounts]


@dataclass(frozen=True)
class OutcomeRow:
    """One line of the outcomes table: a label and the value at 6 and at 12 months (already suppressed)."""

    key: str
    label: str
    at_6: str
    at_12: str


@dataclass(frozen=True)
class ProgramOutcomes:
    title: str
    releases: str
    consented: str
    rows: list[OutcomeRow]


def suppressed(count: int, total: int | None = None) -> str:
    """A count as it may be shown: "<3" for one or two people; and, when the rest of ``total`` is one or two
    people (so that they could be worked out by subtraction), "≥N" instead of the exact count."""
    if 0 < count < SMALL_CELL:
        return "<3"
    if total is not None and 0 < total - count < SMALL_CELL:
        return f"\u2265{max(total - SMALL_CELL + 1, SMALL_CELL)}"
    return str(count)


def rate(count: int, total: int) -> str:
    """A percentage, shown only when neither the count nor its complement is a small cell."""
    if total < SMALL_CELL or 0 < count < SMALL_CELL or 0 < total - count < SMALL_CELL:
        return "\u2014"
    return f"{round(100 * count / total)}%"


def _band_cells(bands: dict[str, int], total: int) -> dict[str, str]:
    """Each band's count, with small cells as "<3"; when exactly one band is hidden, the next smallest shown
    band is hidden too ("≥3"), so that the hidden one cannot be worked out from the total."""
    cells = {b: suppressed(bands.get(b, 0)) for b in OutcomeCheck.IncomeBand.values}
    hidden = [b for b, c in cells.items() if c == "<3"]
    if len(hidden) == 1:
        shown = sorted((n, b) for b, n in bands.items() if n >= SMALL_CELL)
        if shown:
            cells[shown[0][1]] = "\u22653"
    return cells


def outcome_counts(
    *, user: Actor, organization_ids: Sequence[int], today: datetime.date | None = None
) -> OutcomeCounts:
    """The raw counts behind the outcomes of the releases of ``organization_ids`` that ``user`` may see."""
    day = today or timezone.localdate()
    releases = list(
        scope(
            Release.objects.filter(organization_id__in=list(organization_ids)), user, roles=OUTCOME_VIEW_ROLES
        ).values_list("pk", "released_on", "outcomes_consent")
    )
    consented = {pk: released for pk, released, ok in releases if ok}
    checks = list(
        OutcomeCheck.objects.filter(release_id__in=list(consented)).values_list(
            "release_id", "months", "producing", "income_band"
        )
    )
    producers = dict(Livelihood.objects.filter(release_id__in=list(consented)).values_list("release_id", "producer_id"))
    sale_days: dict[int, set[datetime.date]] = defaultdict(set)
    if producers:
        earliest = min(consented[r] for r in producers)
        for org_id, sold_on in (
            Sale.objects.filter(
                organization_id__in=list(producers.values()),
                status__in=SOLD,
                occurred_at__date__gt=earliest,
            )
            .values_list("organization_id", "occurred_at__date")
            .distinct()
        ):
            sale_days[org_id].add(sold_on)

    def sold_within(release_id: int, months: int) -> bool:
        producer = producers.get(release_id)
        if producer is None:
            return False
        start = add_months(consented[release_id], months - 6)
        end = add_months(consented[release_id], months)
        return any(start < d <= end for d in sale_days[producer])

    milestones = {}
    for months in OUTCOME_MONTHS:
        answered = [(r, p, b) for r, m, p, b in checks if m == months]
        bands: dict[str, int] = defaultdict(int)
        for _r, _p, band in answered:
            bands[band] += 1
        milestones[months] = MilestoneCounts(
            months=months,
            due=sum(1 for released in consented.values() if add_months(released, months) <= day),
            answered=len(answered),
            producing=sum(1 for _r, p, _b in answered if p),
            selling=sum(1 for r, _p, _b in answered if sold_within(r, months)),
            bands=dict(bands),
        )
    return OutcomeCounts(releases=len(releases), consented=len(consented), milestones=milestones)


def _outcome_table(counts: OutcomeCounts, title: str) -> ProgramOutcomes:
    m6, m12 = counts.milestones[6], counts.milestones[12]

    def row(key: str, label: str, value: Callable[[MilestoneCounts], str]) -> OutcomeRow:
        return OutcomeRow(key, label, value(m6), value(m12))

    rows = [
        row("due", _("Consented, time to ask has come"), lambda m: suppressed(m.due)),
        row("answered", _("Answered"), lambda m: suppressed(m.answered, m.due)),
        row("producing", _("Still producing crafts"), lambda m: suppressed(m.producing, m.answered)),
        row("producing-rate", _("Still producing (rate of answers)"), lambda m: rate(m.producing, m.answered)),
        row("selling", _("Selling through Binakarya"), lambda m: suppressed(m.selling, m.answered)),
        row("selling-rate", _("Selling through Binakarya (rate of answers)"), lambda m: rate(m.selling, m.answered)),
    ]
    cells = {m.months: _band_cells(m.bands, m.answered) for m in (m6, m12)}
    for band, label in OutcomeCheck.IncomeBand.choices:
        rows.append(OutcomeRow(f"income-{band.lower()}", str(label), cells[6][band], cells[12][band]))
    return ProgramOutcomes(
        title=title, releases=suppressed(counts.releases), consented=suppressed(counts.consented), rows=rows
    )


def program_outcomes_of(
    *, user: Actor, organization_ids: Sequence[int], title: str = "", today: datetime.date | None = None
) -> ProgramOutcomes:
    """The outcomes of the releases of ``organization_ids`` (as far as ``user`` sees them), counts and rates
    only, small cells suppressed. The dashboards' panel calls this with its scope's organizations."""
    return _outcome_table(outcome_counts(user=user, organization_ids=organization_ids, today=today), title)


def program_outcomes(*, user: Actor, scope: str, today: datetime.date | None = None) -> ProgramOutcomes:
    """The outcomes of a scope: ``org:<slug>`` (a facility: its staff, or a viewer who oversees it),
    ``province:<name>`` (a regional viewer of that province or a national viewer) or ``nation`` (a national
    viewer). Raises PermissionDenied when the user may not see the scope, Organization.DoesNotExist for an
    unknown facility."""
    kind, _sep, value = scope.partition(":")
    value = value.strip()
    facilities = Organization.objects.filter(kind=Organization.Kind.FACILITY)
    if kind == "org" and value:
        facility = facilities.get(slug=value)
        visible = visible_organizations(user, roles=OUTCOME_VIEW_ROLES).filter(pk=facility.pk)
        if not visible.exists():
            raise PermissionDenied(_("You may not see the outcomes of %(name)s.") % {"name": facility.name})
        return program_outcomes_of(user=user, organization_ids=[facility.pk], title=facility.name, today=today)
    if kind == "province" and value:
        ids = list(
            visible_organizations(user, roles=[Role.REGIONAL_VIEWER, Role.NATIONAL_VIEWER])
            .filter(kind=Organization.Kind.FACILITY, province=value)
            .values_list("pk", flat=True)
        )
        if not ids:
            raise PermissionDenied(_("You may not see the outcomes of %(name)s.") % {"name": value})
        return program_outcomes_of(user=user, organization_ids=ids, title=value, today=today)
    if kind == "nation" and not value:
        if not holds_role(user=user, roles=[Role.NATIONAL_VIEWER]):
            raise PermissionDenied(_("Only a national viewer sees the nation's outcomes."))
        ids = list(facilities.values_list("pk", flat=True))
        return program_outcomes_of(user=user, organization_ids=ids, title=_("Indonesia"), today=today)
    raise PermissionDenied(_("Choose a facility, a province or the nation."))


# The public impact page: the programs' counts ----------------------------------------------------------------


@dataclass(frozen=True)
class ImpactPrograms:
    """A facility's programs for the public impact page. ``released_makers_selling`` is None when it would be
    one or two people (shown as "fewer than 3")."""

    agreements_in_force: int
    training_hours: int
    makers_certified: int
    released_makers_selling: int | None


def impact_programs(*, organization: Organization, year: int, today: datetime.date | None = None) -> ImpactPrograms:
    """Counts only, public: agreements in force (on 31 December of ``year``, or today in the current year),
    hours of practice credited to attendees of activities that started in ``year``, distinct makers given a
    skills certificate in ``year``, and released makers whose producer sold something in the last 90 days."""
    now = today or timezone.localdate()
    day = min(now, datetime.date(year, 12, 31))
    agreements = (
        Agreement.objects.filter(organization=organization, start_date__lte=day)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
        .count()
    )
    hours = (
        Attendance.objects.filter(organization=organization, present=True, activity__start_date__year=year).aggregate(
            total=Sum("hours")
        )["total"]
        or 0
    )
    certified = (
        Certificate.objects.filter(organization=organization, created_at__year=year)
        .values("maker_id")
        .distinct()
        .count()
    )
    selling = (
        Sale.objects.filter(
            organization_id__in=Livelihood.objects.filter(organization=organization).values("producer_id"),
            status__in=SOLD,
            occurred_at__date__gt=now - datetime.timedelta(days=SELLING_DAYS),
        )
        .values("organization_id")
        .distinct()
        .count()
    )
    return ImpactPrograms(
        agreements_in_force=agreements,
        training_hours=int(hours),
        makers_certified=certified,
        released_makers_selling=None if 0 < selling < SMALL_CELL else selling,
    )
