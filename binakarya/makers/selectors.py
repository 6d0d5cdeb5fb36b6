"""Reads of makers and groups. Makers' personal data is only for their own organization's staff."""

import datetime

from django.db.models import Prefetch, Q, QuerySet

from binakarya.core.types import Actor
from binakarya.makers.models import Group, GroupMembership, Maker
from binakarya.organizations.models import Organization
from binakarya.organizations.scoping import MAKER_ROLES, scope


def makers_for(*, user: Actor, organization: Organization | None = None) -> QuerySet[Maker]:
    """Makers whose personal data ``user`` may see, each with its current group memberships prefetched.

    Oversight roles (regional and national viewers) get nothing here: only the facility's own staff do.
    """
    qs = scope(Maker.objects.all(), user, roles=MAKER_ROLES, oversight=False)
    if organization is not None:
        qs = qs.filter(organization=organization)
    current = GroupMembership.objects.filter(left_date__isnull=True).select_related("group")
    return (
        qs.select_related("organization")
        .prefetch_related(Prefetch("group_memberships", queryset=current, to_attr="current_memberships"))
        .order_by("organization__name", "full_name", "id")
    )


def maker_for(*, user: Actor, pk: int) -> Maker:
    """Raises Maker.DoesNotExist when missing or outside the user's scope."""
    return makers_for(user=user).get(pk=pk)


def groups_for(*, user: Actor, organization: Organization | None = None) -> QuerySet[Group]:
    qs = scope(Group.objects.all(), user, roles=MAKER_ROLES, oversight=False)
    if organization is not None:
        qs = qs.filter(organization=organization)
    return qs.select_related("organization").prefetch_related("crafts").order_by("organization__name", "name")


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
    return group.memberships.select_related("maker").order_by("-left_date", "joined_date", "id")
