"""The one place where tenant data is scoped to the organizations a user may see.

Every selector and service that reads tenant rows passes its queryset through :func:`scope`.
Direct membership gives a role in one organization. Oversight roles (regional and national viewers)
see the organizations of their province, or all of them, read-only, and never makers' personal data.
"""

from collections.abc import Iterable
from typing import TypeVar

from django.contrib.auth.models import User
from django.db.models import Model, Q, QuerySet

from binakarya.core.types import Actor
from binakarya.organizations.models import Membership, Organization, Role

M = TypeVar("M", bound=Model)

# Who may change an organization's catalog (products, photos, producer profile).
CATALOG_ROLES = frozenset({Role.FACILITY_ADMIN, Role.PRODUCTION_OFFICER, Role.PRODUCER_OPERATOR})
# Who may see and manage makers' personal data: the organization's own staff, no one above it.
MAKER_ROLES = frozenset(
    {
        Role.FACILITY_ADMIN,
        Role.PRODUCTION_OFFICER,
        Role.FINANCE_OFFICER,
        Role.INSTRUCTOR,
        Role.PRODUCER_OPERATOR,
        Role.AUDITOR,
    }
)
MAKER_MANAGE_ROLES = frozenset({Role.FACILITY_ADMIN, Role.PRODUCTION_OFFICER, Role.PRODUCER_OPERATOR})
# Who records production lots, and who moves stock (instructors take lots to the showroom too).
PRODUCTION_ROLES = frozenset({Role.FACILITY_ADMIN, Role.PRODUCTION_OFFICER, Role.INSTRUCTOR, Role.PRODUCER_OPERATOR})
INVENTORY_ROLES = PRODUCTION_ROLES
# Who records sales and returns, and who keeps the books (rules, payouts, capital, PNBP).
SALES_ROLES = frozenset({Role.FACILITY_ADMIN, Role.PRODUCTION_OFFICER, Role.FINANCE_OFFICER, Role.PRODUCER_OPERATOR})
LEDGER_ROLES = frozenset({Role.FACILITY_ADMIN, Role.FINANCE_OFFICER, Role.PRODUCER_OPERATOR})
STAFF_ROLES = frozenset(Role.values)
# Who manages the staff accounts of their own organization (accounts.services), and which roles they may
# give there: the roles that belong to that kind of organization, never an oversight role (a regional or
# national viewer sees many organizations) and never a role of another kind of organization.
STAFF_ADMIN_ROLES = frozenset({Role.FACILITY_ADMIN})
ASSIGNABLE_ROLES: dict[str, tuple[str, ...]] = {
    Organization.Kind.FACILITY: (
        Role.FACILITY_ADMIN,
        Role.PRODUCTION_OFFICER,
        Role.FINANCE_OFFICER,
        Role.INSTRUCTOR,
        Role.AUDITOR,
    ),
}
# A district agency (Disperindag, Diskoperindag) sees the UMKM producers it supports: the producers whose
# parent organization is the agency. Like the regional and national viewers it reads, and never sees makers.
OVERSIGHT_ROLES = frozenset({Role.REGIONAL_VIEWER, Role.NATIONAL_VIEWER, Role.AGENCY_VIEWER})


def _memberships(user: User) -> list[tuple[int, str, str]]:
    """(organization id, role, province) for the user's active memberships, cached on the user object."""
    cached: list[tuple[int, str, str]] | None = getattr(user, "_binakarya_memberships", None)
    if cached is None:
        cached = list(
            Membership.objects.filter(user=user, is_active=True, organization__is_active=True).values_list(
                "organization_id", "role", "organization__province"
            )
        )
        vars(user)["_binakarya_memberships"] = cached  # a cache of ours, not a field of User
    return cached


def organization_filter(user: Actor, *, roles: Iterable[str] | None = None, oversight: bool = True) -> Q | None:
    """A Q on Organization for what ``user`` may see, or None when they may see nothing."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    allowed = frozenset(roles) if roles is not None else STAFF_ROLES
    memberships = _memberships(user)
    direct = {org_id for org_id, role, _ in memberships if role in allowed and role not in OVERSIGHT_ROLES}
    condition = Q(pk__in=sorted(direct)) if direct else None
    if oversight:
        if any(role == Role.NATIONAL_VIEWER and role in allowed for _, role, _ in memberships):
            return Q()
        provinces = sorted(
            {prov for _, role, prov in memberships if role == Role.REGIONAL_VIEWER and role in allowed and prov}
        )
        if provinces:
            regional = Q(province__in=provinces)
            condition = regional if condition is None else condition | regional
        agencies = sorted({org_id for org_id, role, _ in memberships if role == Role.AGENCY_VIEWER and role in allowed})
        if agencies:
            supported = Q(parent_id__in=agencies, kind=Organization.Kind.PRODUCER)
            condition = supported if condition is None else condition | supported
    return condition


def visible_organizations(
    user: Actor, *, roles: Iterable[str] | None = None, oversight: bool = True
) -> QuerySet[Organization]:
    """Organizations ``user`` may see with one of ``roles`` (any staff role by default)."""
    condition = organization_filter(user, roles=roles, oversight=oversight)
    if condition is None:
        return Organization.objects.none()
    return Organization.objects.filter(condition)


def scope(
    queryset: QuerySet[M],
    user: Actor,
    *,
    roles: Iterable[str] | None = None,
    oversight: bool = True,
    field: str = "organization",
) -> QuerySet[M]:
    """Restrict ``queryset`` to rows whose ``field`` organization the user may see."""
    condition = organization_filter(user, roles=roles, oversight=oversight)
    if condition is None:
        return queryset.none()
    if condition == Q():
        return queryset
    return queryset.filter(**{f"{field}__in": Organization.objects.filter(condition).values("pk")})


def has_role(user: Actor, organization: Organization | int, roles: Iterable[str]) -> bool:
    """Whether the user holds one of ``roles`` directly in ``organization``."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    org_id = organization if isinstance(organization, int) else organization.pk
    allowed = frozenset(roles)
    return any(oid == org_id and role in allowed for oid, role, _ in _memberships(user))


def spans_several_organizations(user: Actor) -> bool:
    """Whether ``user`` sees more than one organization: through a regional or national viewer role, or by
    roles in several organizations. Reads the memberships cached on the user (no query after the first),
    so a page can decide cheaply whether its rows must name their organization."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    memberships = _memberships(user)
    if any(role in OVERSIGHT_ROLES for _, role, _ in memberships):
        return True
    return len({org_id for org_id, _, _ in memberships}) > 1
