"""Reads of makers and groups. Makers' personal data is only for their own organization's staff."""

import datetime
from typing import TypeAlias, TypedDict

from django.db.models import Count, Prefetch, Q, QuerySet
from django_stubs_ext import WithAnnotations

from binakarya.core.types import Actor
from binakarya.makers.models import Group, GroupMembership, Maker
from binakarya.organizations.models import Organization
from binakarya.organizations.scoping import MAKER_ROLES, scope
from binakarya.organizations.selectors import organizations_for


class _CurrentMemberships(TypedDict):
    current_memberships: list[GroupMembership]


class _MemberCount(TypedDict):
    member_count: int


# For mypy only (WithAnnotations takes two arguments in the stubs, one at run time), hence the strings.
# A maker from makers_for: ``current_memberships`` lists its current group memberships, groups loaded.
MakerWithGroups: TypeAlias = "WithAnnotations[Maker, _CurrentMemberships]"
# A group from groups_with_member_counts: ``member_count`` makers are in it now.
GroupWithMemberCount: TypeAlias = "WithAnnotations[Group, _MemberCount]"


def makers_for(
    *, user: Actor, organization: Organization | None = None, status: str = "", q: str = ""
) -> QuerySet[MakerWithGroups]:
    """Makers whose personal data ``user`` may see, by organization and name, each with its current
    group memberships prefetched (``current_memberships``).

    ``organization`` and ``status`` (a ``Maker.Status``) narrow the list; ``q`` keeps the makers whose
    full name, registration number or pseudonym contains it (case-insensitive). Oversight roles
    (regional and national viewers) get nothing here: only the facility's own staff do.
    """
    qs = scope(Maker.objects.all(), user, roles=MAKER_ROLES, oversight=False)
    if organization is not None:
        qs = qs.filter(organization=organization)
    if status:
        qs = qs.filter(status=status)
    q = q.strip()
    if q:
        qs = qs.filter(Q(full_name__icontains=q) | Q(registration_number__icontains=q) | Q(pseudonym__icontains=q))
    current = GroupMembership.objects.filter(left_date__isnull=True).select_related("group")
    return (
        qs.select_related("organization")
        .prefetch_related(Prefetch("group_memberships", queryset=current, to_attr="current_memberships"))
        .order_by("organization__name", "full_name", "id")
    )


def maker_organization_for(*, user: Actor, slug: str) -> Organization | None:
    """The organization ``slug`` if ``user`` may see its makers' personal data, else None.

    None both for an unknown slug and for an organization outside the user's scope, so a caller
    cannot learn which slugs exist. Oversight roles (regional, national) never qualify.
    """
    return organizations_for(user=user, roles=MAKER_ROLES, oversight=False).filter(slug=slug).first()


def maker_for(*, user: Actor, pk: int) -> MakerWithGroups:
    """Raises Maker.DoesNotExist when missing or outside the user's scope."""
    return makers_for(user=user).get(pk=pk)


def maker_memberships_for(*, maker: Maker) -> QuerySet[GroupMembership]:
    """Every group membership of ``maker`` (itself from a scoped selector), the latest joined first."""
    return maker.group_memberships.select_related("group").order_by("-joined_date", "-id")


def groups_for(*, user: Actor, organization: Organization | None = None, active_only: bool = False) -> QuerySet[Group]:
    """Groups whose makers ``user`` may see, by organization and name (only active ones with ``active_only``)."""
    qs = scope(Group.objects.all(), user, roles=MAKER_ROLES, oversight=False)
    if organization is not None:
        qs = qs.filter(organization=organization)
    if active_only:
        qs = qs.filter(is_active=True)
    return qs.select_related("organization").prefetch_related("crafts").order_by("organization__name", "name")


def group_for(*, user: Actor, pk: int) -> Group:
    """Raises Group.DoesNotExist when missing or outside the user's scope."""
    return groups_for(user=user).get(pk=pk)


def group_by_slug(*, user: Actor, slug: str, organization: Organization | None = None) -> Group | None:
    """The group ``slug`` (spaces around it ignored) among :func:`groups_for`, without its crafts, as a
    request body names it; None when it is unknown, outside the user's scope or not of ``organization``."""
    return groups_for(user=user, organization=organization).prefetch_related(None).filter(slug=slug.strip()).first()


def groups_with_member_counts(
    *, user: Actor, organization: Organization | None = None
) -> QuerySet[GroupWithMemberCount]:
    """``groups_for`` with ``member_count``: the makers currently in each group (no left date)."""
    return groups_for(user=user, organization=organization).annotate(
        member_count=Count("memberships", filter=Q(memberships__left_date__isnull=True))
    )


def group_members_on(*, group: Group, on_date: datetime.date) -> QuerySet[Maker]:
    """Makers who belonged to ``group`` on ``on_date`` (joined on or before, not yet left)."""
    return (
        Maker.objects.filter(
            group_memberships__group=group,
            group_memberships__joined_date__lte=on_date,
        )
        .filter(Q(group_memberships__left_date__isnull=True) | Q(group_memberships__left_date__gte=on_date))
        .distinct()
    )


def group_memberships_for(*, group: Group) -> QuerySet[GroupMembership]:
    """Every membership of ``group`` (itself from a scoped selector), with its maker."""
    return group.memberships.select_related("maker").order_by("-left_date", "joined_date", "id")


def group_membership_for(*, group: Group, pk: int) -> GroupMembership:
    """The membership ``pk`` of ``group`` (itself from a scoped selector). Raises GroupMembership.DoesNotExist."""
    return group_memberships_for(group=group).get(pk=pk)


def active_maker_counts_by_organization(*, user: Actor) -> dict[int, int]:
    """How many active makers each organization has, for the organizations whose makers ``user`` may see
    (their own staff only, as :func:`makers_for`): {organization id: count}. One query."""
    rows = (
        scope(Maker.objects.all(), user, roles=MAKER_ROLES, oversight=False)
        .filter(status=Maker.Status.ACTIVE)
        .values("organization_id")
        .annotate(count=Count("id"))
        .order_by()
    )
    return {row["organization_id"]: row["count"] for row in rows}
