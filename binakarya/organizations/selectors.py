"""Reads of organizations: which ones a user may see or pick, and the reference lists everyone may pick from.

Tenant organizations (facilities, UMKM producers, outlets a partner works for) are scoped through
:mod:`binakarya.organizations.scoping`; agencies and outlets named as buyers or grantors are reference
data, the same for every user. Lists are ordered by name (then id, so that equal names keep one order).
"""

from collections.abc import Iterable

from django.db.models import QuerySet

from binakarya.core.types import Actor
from binakarya.organizations.models import Membership, Organization
from binakarya.organizations.scoping import organization_filter, spans_several_organizations, visible_organizations

# Organizations that keep books (sell, pay premi, show public impact figures): facilities and UMKM
# producers. Which of them owe PNBP is the ledger's (ledger.selectors.PNBP_KINDS).
BOOK_KINDS: tuple[str, ...] = (Organization.Kind.FACILITY, Organization.Kind.PRODUCER)


def holds_role(*, user: Actor, roles: Iterable[str] | None = None, oversight: bool = True) -> bool:
    """Whether ``user`` holds one of ``roles`` (any staff role by default) in an active organization.

    With ``oversight`` a regional or national viewer role among ``roles`` counts too. Reads the
    memberships cached on the user, so asking again costs no query.
    """
    return organization_filter(user, roles=roles, oversight=oversight) is not None


def sees_several_organizations(*, user: Actor) -> bool:
    """Whether ``user``'s scope spans more than one organization (a viewer's, or roles in several), so that
    lists must name each row's organization. Costs no query once the user's memberships are cached."""
    return spans_several_organizations(user)


def organizations_for(
    *,
    user: Actor,
    roles: Iterable[str] | None = None,
    oversight: bool = True,
    kinds: Iterable[str] | None = None,
    active_only: bool = False,
) -> QuerySet[Organization]:
    """Organizations ``user`` may see with one of ``roles`` (any staff role by default), by name.

    ``oversight=False`` leaves out what regional and national viewers see through their role; ``kinds``
    keeps only those kinds (``Organization.Kind`` values); ``active_only`` drops deactivated ones. This
    is what a form offers as the organization to act for, and what a list's organization filter shows.
    """
    qs = visible_organizations(user, roles=roles, oversight=oversight)
    if kinds is not None:
        qs = qs.filter(kind__in=list(kinds))
    if active_only:
        qs = qs.filter(is_active=True)
    return qs.order_by("name", "pk")


def organization_for(
    *,
    user: Actor,
    slug: str,
    roles: Iterable[str] | None = None,
    oversight: bool = True,
    kinds: Iterable[str] | None = None,
) -> Organization:
    """The organization ``slug`` among :func:`organizations_for` with the same arguments.

    Raises Organization.DoesNotExist both for an unknown slug and for one outside the user's scope, so
    that a caller cannot learn which slugs exist.
    """
    return organizations_for(user=user, roles=roles, oversight=oversight, kinds=kinds).get(slug=slug)


def memberships_for(*, user: Actor) -> list[Membership]:
    """The user's own active memberships in active organizations, by organization name and role.

    The user's own rows, not tenant data: they show who the user is where. Empty for an anonymous user.
    """
    if user is None or not user.is_authenticated:
        return []
    return list(
        Membership.objects.filter(user=user, is_active=True, organization__is_active=True)
        .select_related("organization")
        .order_by("organization__name", "role")
    )


def organizations_by_kind(*, kinds: Iterable[str], active_only: bool = True) -> QuerySet[Organization]:
    """Every organization of ``kinds``, by name: reference data such as the agencies and outlets a
    sale's buyer or a grant's giver is picked from. Not scoped: never use it for a tenant's own rows."""
    qs = Organization.objects.filter(kind__in=list(kinds))
    if active_only:
        qs = qs.filter(is_active=True)
    return qs.order_by("name", "pk")


def organization_get(*, slug: str, kinds: Iterable[str] | None = None, active_only: bool = True) -> Organization:
    """The organization ``slug`` (of one of ``kinds``, active unless ``active_only=False``), for the
    public pages and reference lookups. Not scoped.

    Raises Organization.DoesNotExist.
    """
    qs = Organization.objects.filter(slug=slug)
    if kinds is not None:
        qs = qs.filter(kind__in=list(kinds))
    if active_only:
        qs = qs.filter(is_active=True)
    return qs.get()


def agency_named(*, name: str) -> Organization | None:
    """The active agency called ``name`` (case and spacing aside), the oldest if there are several; None when there
    is none. A deal books what its buyer owes against this organization."""
    wanted = " ".join(name.split())
    return (
        Organization.objects.filter(kind=Organization.Kind.AGENCY, is_active=True, name__iexact=wanted)
        .order_by("pk")
        .first()
    )
