"""Reads of the programs app: agreements and obligations, scoped through ``organizations.scoping.scope``.

Agreements name organizations, never a maker, so the viewers (regional, national, agency) read them for the
organizations they see; outlet partners do not.
"""

import datetime

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from binakarya.core.types import Actor
from binakarya.organizations.models import Organization, Role
from binakarya.organizations.scoping import STAFF_ROLES, scope
from binakarya.organizations.selectors import holds_role, organizations_by_kind, organizations_for
from binakarya.programs.models import Agreement, Obligation
from binakarya.programs.services import MANAGE_ROLES, SIGNER_KINDS

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
