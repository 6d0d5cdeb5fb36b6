"""Reads of the programs app: agreements and obligations, and a maker's skill record (section at the end),
scoped through ``organizations.scoping.scope``.

Agreements name organizations, never a maker, so the viewers (regional, national, agency) read them for the
organizations they see; outlet partners do not.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeAlias, TypedDict

from django.core.exceptions import PermissionDenied
from django.db.models import (
    BigIntegerField,
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.utils import timezone
from django.utils.translation import gettext as _
from django_stubs_ext import WithAnnotations

from binakarya.catalog.models import Product
from binakarya.core.types import Actor
from binakarya.deals.models import Deal
from binakarya.ledger.models import CapitalMovement, Payout
from binakarya.ledger.selectors import maker_premi_owed, payout_policy_for
from binakarya.makers.models import Group, Maker
from binakarya.makers.selectors import group_members_on
from binakarya.organizations.models import Organization, Role
from binakarya.organizations.scoping import MAKER_ROLES, STAFF_ROLES, has_role, scope, visible_organizations
from binakarya.organizations.selectors import holds_role, organizations_by_kind, organizations_for
from binakarya.pos.models import PosSale, PosSession
from binakarya.production.models import Contribution, Lot
from binakarya.programs.models import (
    Activity,
    ActivityPosSession,
    ActivityProduct,
    Agreement,
    AgreementDeal,
    AgreementGrant,
    Attendance,
    Certificate,
    Livelihood,
    Obligation,
    OutcomeCheck,
    Release,
)
from binakarya.programs.services import (
    ACTIVITY_MANAGE_ROLES,
    MANAGE_ROLES,
    OUTCOME_MONTHS,
    RELEASE_PAYOUT_METHODS,
    SIGNER_KINDS,
    add_months,
    may_complete_release,
    may_issue_certificates,
)
from binakarya.sales.models import Sale, SaleLine

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
# A maker's skill record, certificates and release (issue 15).
#
# Only the maker's own organization's staff read these (MAKER_ROLES, no oversight): they name the person.
# Units made in a lot: a UNITS-basis lot's share is the units the maker made; in an HOURS-basis lot the share is
# hours worked, and the units credited are quantity_produced * share / (sum of the lot's shares), rounded down.
# Quality rate: units passed over units produced, summed over the lots the maker contributed to (None: no lots).
# ---------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrainingRow:
    date: datetime.date
    end_date: datetime.date
    title: str
    kind: str
    kind_label: str
    partner: str
    hours: int


@dataclass(frozen=True)
class LotRow:
    code: str
    finished_date: datetime.date
    product: str
    craft: str
    share_basis: str
    share: int
    units: int
    quantity_produced: int
    quantity_passed: int


@dataclass(frozen=True)
class SkillRecord:
    maker: Maker
    trainings: list[TrainingRow]
    training_hours: int
    lots: list[LotRow]
    units_made: int
    production_hours: int
    units_produced: int
    units_passed: int
    quality_rate: float | None
    products: list[str]
    crafts: list[str]
    period_start: datetime.date | None
    period_end: datetime.date | None
    certificates: list[Certificate]
    release: Release | None

    @property
    def training_count(self) -> int:
        return len(self.trainings)

    @property
    def lot_count(self) -> int:
        return len(self.lots)

    @property
    def hours_of_practice(self) -> int:
        """What a certificate may claim at most (programs.services.recorded_hours)."""
        return self.training_hours + self.production_hours

    @property
    def quality_percent(self) -> float | None:
        return round(self.units_passed * 100 / self.units_produced, 1) if self.units_produced else None

    def proposal(self) -> dict[str, Any]:
        """Defaults the certificate form offers: the crafts practised, all recorded hours, the whole period."""
        return {
            "crafts": ", ".join(self.crafts),
            "hours": self.hours_of_practice or None,
            "period_start": self.period_start,
            "period_end": self.period_end,
        }


def _maker_in_scope(user: Actor, maker_pk: int) -> Maker:
    return (
        scope(Maker.objects.all(), user, roles=MAKER_ROLES, oversight=False)
        .select_related("organization")
        .get(pk=maker_pk)
    )


def maker_skills(*, user: Actor, maker_pk: int) -> SkillRecord:
    """The skill record of one maker. Raises Maker.DoesNotExist when missing or outside the user's own
    organizations (oversight roles never see it). Five queries whatever the record's size."""
    maker = _maker_in_scope(user, maker_pk)
    attended = list(
        scope(Attendance.objects.filter(maker=maker, present=True), user, roles=MAKER_ROLES, oversight=False)
        .select_related("activity__partner")
        .order_by("activity__start_date", "activity_id")
    )
    lot_shares = (
        Contribution.objects.filter(lot_id=OuterRef("lot_id"))
        .order_by()
        .values("lot_id")
        .annotate(total=Sum("share"))
        .values("total")
    )
    contributions = list(
        scope(Contribution.objects.filter(maker=maker), user, roles=MAKER_ROLES, oversight=False)
        .select_related("lot__variant__product__category")
        .annotate(lot_shares=Subquery(lot_shares))
        .order_by("lot__finished_date", "lot_id")
    )
    trainings = [
        TrainingRow(
            date=a.activity.start_date,
            end_date=a.activity.end_date,
            title=a.activity.title,
            kind=a.activity.kind,
            kind_label=a.activity.get_kind_display(),
            partner=a.activity.partner.name if a.activity.partner else "",
            hours=a.hours,
        )
        for a in attended
    ]
    lots = []
    for c in contributions:
        lot = c.lot
        if lot.share_basis == Lot.ShareBasis.HOURS:
            units = lot.quantity_produced * c.share // max(c.lot_shares or c.share, 1)
        else:
            units = c.share
        product = lot.variant.product
        lots.append(
            LotRow(
                code=lot.code,
                finished_date=lot.finished_date,
                product=product.name,
                craft=product.category.name,
                share_basis=lot.share_basis,
                share=c.share,
                units=units,
                quantity_produced=lot.quantity_produced,
                quantity_passed=lot.quantity_passed,
            )
        )
    produced = sum(row.quantity_produced for row in lots)
    passed = sum(row.quantity_passed for row in lots)
    starts = [a.activity.start_date for a in attended] + [c.lot.started_date for c in contributions]
    ends = [a.activity.end_date for a in attended] + [c.lot.finished_date for c in contributions]
    return SkillRecord(
        maker=maker,
        trainings=trainings,
        training_hours=sum(row.hours for row in trainings),
        lots=lots,
        units_made=sum(row.units for row in lots),
        production_hours=sum(row.share for row in lots if row.share_basis == Lot.ShareBasis.HOURS),
        units_produced=produced,
        units_passed=passed,
        quality_rate=round(passed / produced, 4) if produced else None,
        products=sorted({row.product for row in lots}),
        crafts=sorted({row.craft for row in lots}),
        period_start=min(starts) if starts else None,
        period_end=max(ends) if ends else None,
        certificates=list(certificates_of(maker=maker)),
        release=release_of(maker=maker),
    )


def certificates_of(*, maker: Maker) -> QuerySet[Certificate]:
    """The certificates issued to ``maker`` (already read through scope), newest first."""
    return Certificate.objects.filter(maker=maker).select_related("document", "partner")


def certificate_get(*, user: Actor, pk: int) -> Certificate:
    """One certificate, for the maker's own organization's staff only; Certificate.DoesNotExist otherwise."""
    return (
        scope(Certificate.objects.all(), user, roles=MAKER_ROLES, oversight=False)
        .select_related("document", "partner", "maker", "organization")
        .get(pk=pk)
    )


def release_of(*, maker: Maker) -> Release | None:
    return Release.objects.filter(maker=maker).select_related("payout", "certificate__document").first()


def may_issue_certificate_for(*, user: Actor, maker: Maker) -> bool:
    return may_issue_certificates(user, maker.organization_id)


def may_release(*, user: Actor, maker: Maker) -> bool:
    return may_complete_release(user, maker.organization_id)


def release_payout_methods(*, maker: Maker) -> list[tuple[str, str]]:
    """The ways the facility's payout policy lets the release checklist pay premi out: (value, label)."""
    policy = payout_policy_for(organization=maker.organization)
    allowed = {
        Payout.Method.RELEASE: policy.allow_on_release,
        Payout.Method.SAVINGS: policy.allow_savings,
        Payout.Method.FAMILY: policy.allow_family,
    }
    return [(str(m.value), str(m.label)) for m in RELEASE_PAYOUT_METHODS if allowed[m]]


def premi_owed(*, maker: Maker) -> int:
    return maker_premi_owed(maker=maker)


# ---------------------------------------------------------------------------------------------------------------
# Activities and attendance; what came from an agreement (grants, deals, event sales) — issue 15
#
# Activities name organizations, never a maker: everyone who reads agreements reads them, with counts and hours.
# Who attended (names) is read only by the organization's own staff (MAKER_ROLES, no oversight).
# ---------------------------------------------------------------------------------------------------------------


class _ActivityTotals(TypedDict):
    participant_count: int
    participant_hours: int | None
    event_sale_count: int | None
    event_sales_idr: int | None


# An activity from activities_for: ``participant_count`` makers attended, ``participant_hours`` in all;
# ``event_sale_count`` sales (not wholly returned) at its cashier sessions, ``event_sales_idr`` their net total.
ActivityWithTotals: TypeAlias = "WithAnnotations[Activity, _ActivityTotals]"

# Event sales are net of returns, as every sales figure of Binakarya (dashboards.reports, the public impact
# page): what a sale line kept (quantity less returned_quantity) at its unit price. A sale wholly returned
# (Sale.Status.REVERSED) is not counted as a sale; a partly returned one counts, with what it kept.
_KEPT_IDR = ExpressionWrapper(
    (F("quantity") - F("returned_quantity")) * F("unit_price_idr"), output_field=BigIntegerField()
)


def _event_sales_idr_of(**session: Any) -> Subquery:
    """The net total of the till sales of the cashier session(s) ``session`` names (one lookup on PosSale's
    ``session_id``, against the outer query), as one subquery column."""
    lines = (
        SaleLine.objects.filter(**{f"sale__pos__{lookup}": value for lookup, value in session.items()})
        .annotate(kept=_KEPT_IDR)
        .values("organization_id")
        .annotate(total=Sum("kept"))
        .values("total")
        .order_by()
    )
    return Subquery(lines, output_field=BigIntegerField())


def _event_sale_count_of(**session: Any) -> Subquery:
    """How many till sales of the session(s) ``session`` names were not wholly returned, as one subquery column."""
    sales = (
        PosSale.objects.filter(**session)
        .exclude(sale__status=Sale.Status.REVERSED)
        .values("organization_id")
        .annotate(n=Count("pk"))
        .values("n")
        .order_by()
    )
    return Subquery(sales, output_field=IntegerField())


@dataclass(frozen=True)
class RosterRow:
    """A maker on the attendance roster, with what is recorded for them (``recorded`` False: nothing yet,
    shown as present with the activity's hours). ``editable`` False: the maker is no longer active (released,
    transferred); their recorded row stays as it is, shown but not posted."""

    maker: Maker
    present: bool
    hours: int
    recorded: bool
    editable: bool = True


def sees_activities(*, user: Actor) -> bool:
    return holds_role(user=user, roles=VIEW_ROLES)


def manages_activities(*, user: Actor) -> bool:
    return holds_role(user=user, roles=ACTIVITY_MANAGE_ROLES, oversight=False)


def sees_participants(*, user: Actor, activity: Activity) -> bool:
    """Whether ``user`` may see who attended ``activity`` (its organization's own staff only)."""
    return has_role(user, activity.organization_id, MAKER_ROLES)


def activities_for(
    *, user: Actor, organization: Organization | None = None, agreement: Agreement | None = None
) -> QuerySet[ActivityWithTotals]:
    """The activities ``user`` may read, latest first, with how many attended and their hours in all."""
    qs = scope(Activity.objects.all(), user, roles=VIEW_ROLES)
    if organization is not None:
        qs = qs.filter(organization=organization)
    if agreement is not None:
        qs = qs.filter(agreement=agreement)
    # The sessions linked to the activity, one level below the sales subqueries: OuterRef of OuterRef.
    sessions = ActivityPosSession.objects.filter(activity_id=OuterRef(OuterRef("pk"))).values("session_id")
    return (
        qs.select_related("organization", "agreement", "partner", "group")
        .annotate(
            participant_count=Count("attendance", filter=Q(attendance__present=True)),
            participant_hours=Sum("attendance__hours"),
            event_sale_count=_event_sale_count_of(session_id__in=sessions),
            event_sales_idr=_event_sales_idr_of(session_id__in=sessions),
        )
        .order_by("-start_date", "-pk")
    )


def activities_with_details(*, user: Actor, activities: QuerySet[ActivityWithTotals]) -> QuerySet[ActivityWithTotals]:
    """``activities`` (from activities_for) with their attendance and product rows read in one query each,
    whatever their number: ``visible_attendance`` (by name, only for the organization's own staff, as
    attendance_of; empty for everyone else) and ``product_list`` (ActivityProduct rows with their product)."""
    return activities.prefetch_related(
        Prefetch(
            "attendance",
            queryset=scope(Attendance.objects.all(), user, roles=MAKER_ROLES, oversight=False)
            .select_related("maker")
            .order_by("-present", "maker__full_name", "pk"),
            to_attr="visible_attendance",
        ),
        Prefetch(
            "product_rows",
            queryset=ActivityProduct.objects.select_related("product").order_by("product__name"),
            to_attr="product_list",
        ),
    )


def activity_get(*, user: Actor, pk: int, details: bool = False) -> ActivityWithTotals:
    """One activity; Activity.DoesNotExist when it is missing or outside the user's scope alike. ``details``:
    with its attendance and products prefetched (activities_with_details)."""
    activities = activities_for(user=user)
    if details:
        activities = activities_with_details(user=user, activities=activities)
    return activities.get(pk=pk)


def activity_organizations_for(*, user: Actor) -> QuerySet[Organization]:
    """The organizations ``user`` records activities for."""
    return organizations_for(
        user=user, roles=ACTIVITY_MANAGE_ROLES, oversight=False, kinds=SIGNER_KINDS, active_only=True
    )


def activity_organization_for(*, user: Actor, slug: str) -> Organization:
    """Raises Organization.DoesNotExist when ``slug`` is not one the user records activities for."""
    return activity_organizations_for(user=user).get(slug=slug)


def activity_agreements(*, user: Actor, organization: Organization | None = None) -> QuerySet[Agreement]:
    """The agreements an activity may be recorded under (of the organizations the user records activities for)."""
    qs = Agreement.objects.filter(organization__in=activity_organizations_for(user=user).values("pk"))
    if organization is not None:
        qs = qs.filter(organization=organization)
    return scope(qs, user, roles=ACTIVITY_MANAGE_ROLES, oversight=False).select_related("organization")


def activity_agreement_for(*, user: Actor, pk: int) -> Agreement | None:
    """Agreement ``pk`` if an activity may be recorded under it by ``user``, else None."""
    return activity_agreements(user=user).filter(pk=pk).first()


def activity_groups(*, user: Actor, organization: Organization | None = None) -> QuerySet[Group]:
    """The active groups an activity may invite."""
    qs = scope(Group.objects.filter(is_active=True), user, roles=ACTIVITY_MANAGE_ROLES, oversight=False)
    if organization is not None:
        qs = qs.filter(organization=organization)
    return qs.select_related("organization").order_by("organization__name", "name")


def attendance_of(*, user: Actor, activity: Activity) -> QuerySet[Attendance]:
    """Who attended ``activity``, by name: only for its organization's own staff (empty for viewers)."""
    return (
        scope(Attendance.objects.filter(activity=activity), user, roles=MAKER_ROLES, oversight=False)
        .select_related("maker")
        .order_by("-present", "maker__full_name", "pk")
    )


def activity_roster(*, user: Actor, activity: Activity) -> list[RosterRow]:
    """The attendance roster: the group's members on the activity's start date (every active maker of the
    organization when no group is invited), who are still active, plus anyone already recorded, by name (a
    recorded maker no longer active is listed read-only: ``editable`` False). Empty for anyone but the
    organization's own staff."""
    makers = scope(Maker.objects.all(), user, roles=MAKER_ROLES, oversight=False).filter(
        organization_id=activity.organization_id
    )
    if activity.group_id is not None and activity.group is not None:
        invited = makers.filter(pk__in=group_members_on(group=activity.group, on_date=activity.start_date).values("pk"))
    else:
        invited = makers
    recorded = {a.maker_id: a for a in attendance_of(user=user, activity=activity)}
    rows = (
        makers.filter(Q(pk__in=invited.filter(status=Maker.Status.ACTIVE).values("pk")) | Q(pk__in=list(recorded)))
        .order_by("full_name", "pk")
        .distinct()
    )
    roster = []
    for maker in rows:
        attendance = recorded.get(maker.pk)
        if attendance is None:
            roster.append(RosterRow(maker=maker, present=True, hours=activity.hours, recorded=False))
        else:
            roster.append(
                RosterRow(
                    maker=maker,
                    present=attendance.present,
                    hours=attendance.hours,
                    recorded=True,
                    editable=maker.status == Maker.Status.ACTIVE,
                )
            )
    return roster


def activity_products(*, activity: Activity) -> QuerySet[ActivityProduct]:
    """The products designed at ``activity`` (itself from a scoped selector)."""
    return ActivityProduct.objects.filter(activity=activity).select_related("product").order_by("product__name")


def activity_product_candidates(*, user: Actor, activity: Activity) -> QuerySet[Product]:
    """Products of the activity's organization not yet recorded as its outcome."""
    return (
        scope(Product.objects.filter(organization_id=activity.organization_id), user, roles=ACTIVITY_MANAGE_ROLES)
        .exclude(pk__in=ActivityProduct.objects.filter(activity=activity).values("product_id"))
        .order_by("name", "pk")
    )


def activity_pos_sessions(*, activity: Activity) -> list[dict[str, Any]]:
    """The cashier sessions run at ``activity``, each with its number of sales (not wholly returned) and their
    total net of returns (one query)."""
    sessions = PosSession.objects.filter(
        pk__in=ActivityPosSession.objects.filter(activity=activity).values("session_id")
    ).annotate(
        sale_count=_event_sale_count_of(session_id=OuterRef("pk")),
        total_idr=_event_sales_idr_of(session_id=OuterRef("pk")),
    )
    return [
        {"session": s, "sale_count": s.sale_count or 0, "total_idr": s.total_idr or 0}
        for s in sessions.order_by("opened_at", "pk")
    ]


def pos_session_candidates(*, user: Actor, activity: Activity) -> QuerySet[PosSession]:
    """Cashier sessions of the activity's organization not linked to any activity, latest first."""
    return (
        scope(PosSession.objects.filter(organization_id=activity.organization_id), user, roles=ACTIVITY_MANAGE_ROLES)
        .exclude(pk__in=ActivityPosSession.objects.values("session_id"))
        .select_related("location")
        .order_by("-opened_at", "-pk")
    )


def linked_pos_session(*, activity: Activity, pk: int) -> PosSession:
    """A cashier session linked to ``activity``; PosSession.DoesNotExist otherwise."""
    return PosSession.objects.get(
        pk=pk, pk__in=ActivityPosSession.objects.filter(activity=activity).values("session_id")
    )


def agreement_grants(*, agreement: Agreement) -> QuerySet[CapitalMovement]:
    """The capital grants given under ``agreement`` (itself from a scoped selector), latest first."""
    return CapitalMovement.objects.filter(
        pk__in=AgreementGrant.objects.filter(agreement=agreement).values("movement_id")
    ).select_related("group", "agency")


def agreement_deals(*, agreement: Agreement) -> QuerySet[Deal]:
    """The agency purchases made under ``agreement`` (itself from a scoped selector), latest first."""
    return Deal.objects.filter(pk__in=AgreementDeal.objects.filter(agreement=agreement).values("deal_id")).order_by(
        "-po_date", "-pk"
    )


def agreement_outcomes(*, user: Actor, agreement: Agreement) -> dict[str, Any]:
    """What came from ``agreement``: its activities (count, participant-hours), the grants given under it
    (rows and total) and its sales: the event sales through the POS at its activities and the linked deals."""
    activities = activities_for(user=user, agreement=agreement)
    activity_rows = list(activities.order_by("-start_date", "-pk"))
    grants = list(agreement_grants(agreement=agreement))
    deals = [d for d in agreement_deals(agreement=agreement)]
    event_sale_count = sum(a.event_sale_count or 0 for a in activity_rows)
    event_sales_idr = sum(a.event_sales_idr or 0 for a in activity_rows)
    deals_total = sum(d.total_idr for d in deals if d.status != Deal.Status.CANCELLED)
    return {
        "activities": activity_rows,
        "activity_count": len(activity_rows),
        "participant_hours": sum(a.participant_hours or 0 for a in activity_rows),
        "participant_count": sum(a.participant_count for a in activity_rows),
        "grants": grants,
        "grant_count": len(grants),
        "grants_total_idr": sum(g.amount_idr for g in grants),
        "event_sale_count": event_sale_count,
        "event_sales_total_idr": event_sales_idr,
        "deals": deals,
        "deal_count": len(deals),
        "deals_total_idr": deals_total,
        "sales_total_idr": event_sales_idr + deals_total,
    }


def grant_candidates(*, user: Actor, agreement: Agreement) -> QuerySet[CapitalMovement]:
    """Capital grants of the agreement's organization not linked to any agreement, latest first."""
    return (
        scope(
            CapitalMovement.objects.filter(organization_id=agreement.organization_id, kind=CapitalMovement.Kind.GRANT),
            user,
            roles=MANAGE_ROLES,
            oversight=False,
        )
        .exclude(pk__in=AgreementGrant.objects.values("movement_id"))
        .select_related("group", "agency")
    )


def grant_get(*, user: Actor, agreement: Agreement, pk: int) -> CapitalMovement:
    """A grant of the agreement's organization (linked or not); CapitalMovement.DoesNotExist otherwise."""
    return scope(
        CapitalMovement.objects.filter(organization_id=agreement.organization_id, kind=CapitalMovement.Kind.GRANT),
        user,
        roles=VIEW_ROLES,
    ).get(pk=pk)


def deal_candidates(*, user: Actor, agreement: Agreement) -> QuerySet[Deal]:
    """Deals sold by the agreement's organization, not cancelled, not linked to any agreement, latest first."""
    return (
        scope(Deal.objects.filter(organization_id=agreement.organization_id), user, roles=MANAGE_ROLES, oversight=False)
        .exclude(status=Deal.Status.CANCELLED)
        .exclude(pk__in=AgreementDeal.objects.values("deal_id"))
        .order_by("-po_date", "-pk")
    )


def deal_lookup(*, user: Actor, agreement: Agreement, pk: int | None = None, number: str = "") -> Deal:
    """A deal of the agreement's organization by id or number; Deal.DoesNotExist otherwise."""
    qs = scope(Deal.objects.filter(organization_id=agreement.organization_id), user, roles=VIEW_ROLES)
    return qs.get(pk=pk) if pk is not None else qs.get(number=number.strip())


def activity_product_get(*, user: Actor, activity: Activity, pk: int) -> Product:
    """A product of the activity's organization; Product.DoesNotExist otherwise."""
    return scope(Product.objects.filter(organization_id=activity.organization_id), user, roles=VIEW_ROLES).get(pk=pk)


def activity_pos_session_get(*, user: Actor, activity: Activity, pk: int) -> PosSession:
    """A cashier session of the activity's organization; PosSession.DoesNotExist otherwise."""
    return scope(PosSession.objects.filter(organization_id=activity.organization_id), user, roles=VIEW_ROLES).get(pk=pk)


def activity_makers(*, user: Actor, pks: list[int]) -> dict[int, Maker]:
    """The makers ``pks`` whose personal data ``user`` may see ({id: maker}); others are left out."""
    return {m.pk: m for m in scope(Maker.objects.filter(pk__in=pks), user, roles=MAKER_ROLES, oversight=False)}


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
    """The starting capital (the premi savings) of ``producer``, only for the operator account created for the
    released person (Livelihood.operator), while they still operate it; None for everyone else, other
    operators of the same producer included, and for producers that did not start from a release."""
    user_id = getattr(user, "pk", None)
    if user_id is None:
        return None
    rows = scope(
        Livelihood.objects.filter(producer=producer, operator_id=user_id),
        user,
        roles=[Role.PRODUCER_OPERATOR],
        oversight=False,
        field="producer",
    ).values_list("starting_capital_idr", flat=True)
    return next(iter(rows), None)


def my_starting_capital(*, user: Actor) -> int | None:
    """The starting capital shown on ``user``'s back office overview: only to the operator account created for
    the released person, while they operate the producer; no query for a user who operates no producer."""
    if not holds_role(user=user, roles=[Role.PRODUCER_OPERATOR], oversight=False):
        return None
    rows = scope(
        Livelihood.objects.filter(operator_id=getattr(user, "pk", None)),
        user,
        roles=[Role.PRODUCER_OPERATOR],
        oversight=False,
        field="producer",
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
    # Why figures are not shown ("—"), translated; empty when everything is shown (small cells aside).
    withheld: str = ""


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


def _add_counts(parts: Sequence[OutcomeCounts]) -> OutcomeCounts:
    """The sum of several facilities' counts."""
    milestones = {}
    for months in OUTCOME_MONTHS:
        ms = [p.milestones[months] for p in parts]
        bands: dict[str, int] = defaultdict(int)
        for m in ms:
            for band, n in m.bands.items():
                bands[band] += n
        milestones[months] = MilestoneCounts(
            months=months,
            due=sum(m.due for m in ms),
            answered=sum(m.answered for m in ms),
            producing=sum(m.producing for m in ms),
            selling=sum(m.selling for m in ms),
            bands=dict(bands),
        )
    return OutcomeCounts(
        releases=sum(p.releases for p in parts), consented=sum(p.consented for p in parts), milestones=milestones
    )


def outcome_counts_by_facility(
    *, user: Actor, organization_ids: Sequence[int], today: datetime.date | None = None
) -> dict[int, OutcomeCounts]:
    """The raw counts behind the outcomes, per facility, of the releases of ``organization_ids`` that ``user``
    may see (a facility with no release has no entry)."""
    day = today or timezone.localdate()
    releases = list(
        scope(
            Release.objects.filter(organization_id__in=list(organization_ids)), user, roles=OUTCOME_VIEW_ROLES
        ).values_list("pk", "organization_id", "released_on", "outcomes_consent")
    )
    facility_of = {pk: org for pk, org, _released, _ok in releases}
    consented = {pk: released for pk, _org, released, ok in releases if ok}
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

    result = {}
    for org in sorted(set(facility_of.values())):
        mine = {pk: released for pk, released in consented.items() if facility_of[pk] == org}
        milestones = {}
        for months in OUTCOME_MONTHS:
            answered = [(r, p, b) for r, m, p, b in checks if m == months and r in mine]
            bands: dict[str, int] = defaultdict(int)
            for _r, _p, band in answered:
                bands[band] += 1
            milestones[months] = MilestoneCounts(
                months=months,
                due=sum(1 for released in mine.values() if add_months(released, months) <= day),
                answered=len(answered),
                producing=sum(1 for _r, p, _b in answered if p),
                selling=sum(1 for r, _p, _b in answered if sold_within(r, months)),
                bands=dict(bands),
            )
        result[org] = OutcomeCounts(
            releases=sum(1 for o in facility_of.values() if o == org), consented=len(mine), milestones=milestones
        )
    return result


def outcome_counts(
    *, user: Actor, organization_ids: Sequence[int], today: datetime.date | None = None
) -> OutcomeCounts:
    """The raw counts behind the outcomes of the releases of ``organization_ids`` that ``user`` may see."""
    by_facility = outcome_counts_by_facility(user=user, organization_ids=organization_ids, today=today)
    return _add_counts(list(by_facility.values()))


WITHHELD = "\u2014"


def _outcome_table(
    counts: OutcomeCounts, title: str, *, columns: Sequence[int] = OUTCOME_MONTHS, withheld: str = ""
) -> ProgramOutcomes:
    """The table of ``counts``, small cells suppressed; the milestones not in ``columns`` are withheld ("—")."""
    m6, m12 = counts.milestones[6], counts.milestones[12]

    def row(key: str, label: str, value: Callable[[MilestoneCounts], str]) -> OutcomeRow:
        return OutcomeRow(
            key,
            label,
            value(m6) if 6 in columns else WITHHELD,
            value(m12) if 12 in columns else WITHHELD,
        )

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
        rows.append(
            OutcomeRow(
                f"income-{band.lower()}",
                str(label),
                cells[6][band] if 6 in columns else WITHHELD,
                cells[12][band] if 12 in columns else WITHHELD,
            )
        )
    return ProgramOutcomes(
        title=title,
        releases=suppressed(counts.releases),
        consented=suppressed(counts.consented),
        rows=rows,
        withheld=withheld,
    )


def _withheld_table(title: str, withheld: str) -> ProgramOutcomes:
    """A table with every figure withheld ("—") and the reason."""
    empty = OutcomeCounts(0, 0, {m: MilestoneCounts(months=m) for m in OUTCOME_MONTHS})
    table = _outcome_table(empty, title, columns=(), withheld=withheld)
    return ProgramOutcomes(title=title, releases=WITHHELD, consented=WITHHELD, rows=table.rows, withheld=withheld)


# Complementary suppression between areas (docs/programs.md, "Outcomes"). A province's or the nation's figures are
# shown only when at least MIN_FACILITIES facilities there each contribute SMALL_CELL or more people: the whole
# table when they each have 3+ consenting releases, each milestone's column when they each have 3+ answers at it.
# Per facility, outcomes are shown to the facility's own staff only. The nation is also checked against the
# provinces shown beside it: the facilities of the provinces not shown (and of none) form the remainder that
# "nation minus the shown provinces" would give; a nation's column is shown only when that remainder contributes
# nothing to it or is itself such a group with no cell of one or two people.
MIN_FACILITIES = 2


def _contribution(counts: OutcomeCounts, key: int) -> int:
    """What a facility contributes: its consenting releases (key 0: the whole table) or its answers at ``key``
    months (that milestone's column)."""
    return counts.consented if key == 0 else counts.milestones[key].answered


def _group_ok(parts: Sequence[OutcomeCounts], key: int) -> bool:
    return sum(1 for p in parts if _contribution(p, key) >= SMALL_CELL) >= MIN_FACILITIES


def _shown_keys(parts: Sequence[OutcomeCounts]) -> set[int]:
    """0 when the table is shown at all, and the milestones whose columns are shown."""
    if not _group_ok(parts, 0):
        return set()
    return {0} | {m for m in OUTCOME_MONTHS if _group_ok(parts, m)}


def _cells(counts: OutcomeCounts, key: int) -> list[int]:
    if key == 0:
        return [counts.releases, counts.consented]
    m = counts.milestones[key]
    return [m.due, m.answered, m.producing, m.selling, *(m.bands.get(b, 0) for b in OutcomeCheck.IncomeBand.values)]


def _remainder_ok(remainder: Sequence[OutcomeCounts], key: int) -> bool:
    """Whether the figures "nation minus the provinces shown" would give for ``key`` are safe to leave
    derivable: nothing at all, or a qualifying group with no cell of one or two people."""
    cells = _cells(_add_counts(remainder), key) if remainder else []
    if not any(cells):
        return True
    return _group_ok(remainder, key) and not any(0 < c < SMALL_CELL for c in cells)


def _explain(shown: set[int], area: str) -> str:
    if 0 not in shown:
        return _(
            "Not shown: the outcomes of %(area)s are shown only when at least two facilities there each have three "
            "or more released people who agreed to be asked, so that no facility's or person's figures can be "
            "worked out."
        ) % {"area": area}
    missing = [m for m in OUTCOME_MONTHS if m not in shown]
    if not missing:
        return ""
    return _(
        "The %(months)s-month figures (\u201c\u2014\u201d) are not shown: they are shown only when at least two "
        "facilities there each have three or more answers, and when they would not let a smaller group's figures "
        "be worked out."
    ) % {"months": " & ".join(str(m) for m in missing)}


def _area_outcomes(
    by_facility: dict[int, OutcomeCounts], title: str, shown: set[int], explanation: str
) -> ProgramOutcomes:
    if 0 not in shown:
        return _withheld_table(title, explanation)
    columns = tuple(m for m in OUTCOME_MONTHS if m in shown)
    return _outcome_table(_add_counts(list(by_facility.values())), title, columns=columns, withheld=explanation)


def may_see_facility_outcomes(*, user: Actor, facility: Organization) -> bool:
    """Per facility, outcomes are for the facility's own staff (never an oversight role)."""
    return has_role(user, facility.pk, RELEASE_VIEW_ROLES)


def facility_outcomes(*, user: Actor, facility: Organization, today: datetime.date | None = None) -> ProgramOutcomes:
    """One facility's outcomes, for its own staff only (PermissionDenied for anyone else, viewers included:
    beside the province's table, a facility's would let suppressed figures be worked out by subtraction)."""
    if not may_see_facility_outcomes(user=user, facility=facility):
        raise PermissionDenied(
            _("The outcomes of one facility are shown to its own staff only; see the province or the nation.")
        )
    counts = outcome_counts(user=user, organization_ids=[facility.pk], today=today)
    return _outcome_table(counts, facility.name)


def program_outcomes(*, user: Actor, scope: str, today: datetime.date | None = None) -> ProgramOutcomes:
    """The outcomes of a scope: ``org:<slug>`` (a facility: its own staff only), ``province:<name>`` (a regional
    viewer of that province or a national viewer) or ``nation`` (a national viewer). Raises PermissionDenied
    when the user may not see the scope, Organization.DoesNotExist for an unknown facility. Areas follow the
    complementary suppression rule above (``withheld`` says what is not shown and why)."""
    kind, _sep, value = scope.partition(":")
    value = value.strip()
    facilities = Organization.objects.filter(kind=Organization.Kind.FACILITY)
    if kind == "org" and value:
        return facility_outcomes(user=user, facility=facilities.get(slug=value), today=today)
    if kind == "province" and value:
        ids = list(
            visible_organizations(user, roles=[Role.REGIONAL_VIEWER, Role.NATIONAL_VIEWER])
            .filter(kind=Organization.Kind.FACILITY, province=value)
            .values_list("pk", flat=True)
        )
        if not ids:
            raise PermissionDenied(_("You may not see the outcomes of %(name)s.") % {"name": value})
        by_facility = outcome_counts_by_facility(user=user, organization_ids=ids, today=today)
        shown = _shown_keys(list(by_facility.values()))
        return _area_outcomes(by_facility, value, shown, _explain(shown, value))
    if kind == "nation" and not value:
        if not holds_role(user=user, roles=[Role.NATIONAL_VIEWER]):
            raise PermissionDenied(_("Only a national viewer sees the nation's outcomes."))
        province_of = dict(facilities.values_list("pk", "province"))
        by_facility = outcome_counts_by_facility(user=user, organization_ids=list(province_of), today=today)
        by_province: dict[str, list[int]] = defaultdict(list)
        for org in by_facility:
            by_province[province_of[org]].append(org)
        shown_in = {p: (_shown_keys([by_facility[o] for o in orgs]) if p else set()) for p, orgs in by_province.items()}
        shown = _shown_keys(list(by_facility.values()))
        for key in sorted(shown):
            remainder = [by_facility[o] for p, orgs in by_province.items() if key not in shown_in[p] for o in orgs]
            if not _remainder_ok(remainder, key):
                shown = set() if key == 0 else shown - {key}
        title = _("Indonesia")
        return _area_outcomes(by_facility, title, shown, _explain(shown, title))
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
