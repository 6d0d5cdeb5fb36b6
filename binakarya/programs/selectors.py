"""Reads of the programs app: agreements and obligations, and a maker's skill record (section at the end),
scoped through ``organizations.scoping.scope``.

Agreements name organizations, never a maker, so the viewers (regional, national, agency) read them for the
organizations they see; outlet partners do not.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery, Sum
from django.utils import timezone

from binakarya.core.types import Actor
from binakarya.ledger.models import Payout
from binakarya.ledger.selectors import maker_premi_owed, payout_policy_for
from binakarya.makers.models import Maker
from binakarya.organizations.models import Organization, Role
from binakarya.organizations.scoping import MAKER_ROLES, STAFF_ROLES, scope
from binakarya.organizations.selectors import holds_role, organizations_by_kind, organizations_for
from binakarya.production.models import Contribution, Lot
from binakarya.programs.models import Agreement, Attendance, Certificate, Obligation, Release
from binakarya.programs.services import (
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
