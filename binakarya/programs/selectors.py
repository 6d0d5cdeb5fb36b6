"""Reads of the programs app: agreements and obligations, and a maker's skill record (section at the end),
scoped through ``organizations.scoping.scope``.

Agreements name organizations, never a maker, so the viewers (regional, national, agency) read them for the
organizations they see; outlet partners do not.
"""

import datetime
from dataclasses import dataclass
from typing import Any, TypeAlias, TypedDict

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.utils import timezone
from django_stubs_ext import WithAnnotations

from binakarya.catalog.models import Product
from binakarya.core.types import Actor
from binakarya.deals.models import Deal
from binakarya.ledger.models import CapitalMovement, Payout
from binakarya.ledger.selectors import maker_premi_owed, payout_policy_for
from binakarya.makers.models import Group, Maker
from binakarya.makers.selectors import group_members_on
from binakarya.organizations.models import Organization, Role
from binakarya.organizations.scoping import MAKER_ROLES, STAFF_ROLES, has_role, scope
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
    Obligation,
    Release,
)
from binakarya.programs.services import (
    ACTIVITY_MANAGE_ROLES,
    MANAGE_ROLES,
    RELEASE_PAYOUT_METHODS,
    SIGNER_KINDS,
    may_complete_release,
    may_issue_certificates,
)

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


# An activity from activities_for: ``participant_count`` makers attended, ``participant_hours`` in all.
ActivityWithTotals: TypeAlias = "WithAnnotations[Activity, _ActivityTotals]"


@dataclass(frozen=True)
class RosterRow:
    """A maker on the attendance roster, with what is recorded for them (``recorded`` False: nothing yet,
    shown as present with the activity's hours)."""

    maker: Maker
    present: bool
    hours: int
    recorded: bool


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
    return (
        qs.select_related("organization", "agreement", "partner", "group")
        .annotate(
            participant_count=Count("attendance", filter=Q(attendance__present=True)),
            participant_hours=Sum("attendance__hours"),
        )
        .order_by("-start_date", "-pk")
    )


def activity_get(*, user: Actor, pk: int) -> ActivityWithTotals:
    """One activity; Activity.DoesNotExist when it is missing or outside the user's scope alike."""
    return activities_for(user=user).get(pk=pk)


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
    organization when no group is invited), who are still active, plus anyone already recorded, by name.
    Empty for anyone but the organization's own staff."""
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
            roster.append(RosterRow(maker=maker, present=attendance.present, hours=attendance.hours, recorded=True))
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
    """The cashier sessions run at ``activity``, each with its number of sales and their total."""
    sessions = PosSession.objects.filter(
        pk__in=ActivityPosSession.objects.filter(activity=activity).values("session_id")
    ).annotate(sale_count=Count("sales"), total_idr=Sum("sales__total_idr"))
    return [
        {"session": s, "sale_count": s.sale_count, "total_idr": s.total_idr or 0}
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


def _event_sales(activities: QuerySet[Activity]) -> tuple[int, int]:
    """(number of sales, total) of the cashier sessions linked to ``activities``."""
    totals = PosSale.objects.filter(
        session_id__in=ActivityPosSession.objects.filter(activity__in=activities).values("session_id")
    ).aggregate(count=Count("pk"), total=Sum("total_idr"))
    return totals["count"] or 0, totals["total"] or 0


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
    event_sale_count, event_sales_idr = _event_sales(activities)
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
