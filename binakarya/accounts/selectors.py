"""Reads of staff accounts for the facility admins who manage them, scoped like every tenant read.

A facility admin sees the memberships (a user's role in one organization) of the organizations they are
facility admin of, and nothing of any other. Superusers and the /admin/ reference data editors are the
operators' accounts and never appear, even if someone gave one of them a role.
"""

from django.contrib.auth.models import User
from django.db.models import Exists, OuterRef, QuerySet

from binakarya.accounts.models import PendingPasswordChange
from binakarya.core.types import Actor
from binakarya.organizations.models import Membership, Organization
from binakarya.organizations.scoping import ASSIGNABLE_ROLES, STAFF_ADMIN_ROLES, scope
from binakarya.organizations.selectors import organizations_for


def staff_organizations_for(*, user: Actor) -> QuerySet[Organization]:
    """Active organizations whose staff ``user`` manages, by name."""
    return organizations_for(
        user=user, roles=STAFF_ADMIN_ROLES, oversight=False, kinds=tuple(ASSIGNABLE_ROLES), active_only=True
    )


def staff_organization_for(*, user: Actor, slug: str) -> Organization | None:
    """The organization ``slug`` if ``user`` manages its staff; None for an unknown slug and for an
    organization outside the user's scope alike."""
    return staff_organizations_for(user=user).filter(slug=slug.strip()).first()


def staff_memberships_for(*, user: Actor, organization: Organization | None = None) -> QuerySet[Membership]:
    """The roles held in the organizations whose staff ``user`` manages (deactivated ones too), by
    organization, username and role, with the user and the organization loaded, and ``password_pending``:
    whether the user still has to replace a temporary password."""
    qs = scope(Membership.objects.all(), user, roles=STAFF_ADMIN_ROLES, oversight=False).filter(
        organization__kind__in=list(ASSIGNABLE_ROLES), user__is_superuser=False, user__is_staff=False
    )
    if organization is not None:
        qs = qs.filter(organization=organization)
    pending = PendingPasswordChange.objects.filter(user=OuterRef("user"))
    return (
        qs.select_related("user", "organization")
        .annotate(password_pending=Exists(pending))
        .order_by("organization__name", "user__username", "role", "pk")
    )


def staff_membership_for(*, user: Actor, pk: int) -> Membership:
    """One membership of :func:`staff_memberships_for`. Raises Membership.DoesNotExist for one that does
    not exist and for one outside the user's organizations alike."""
    return staff_memberships_for(user=user).get(pk=pk)


def password_change_pending(*, user: User) -> bool:
    """Whether ``user`` signs in with a temporary password and must choose their own first."""
    return PendingPasswordChange.objects.filter(user=user).exists()
