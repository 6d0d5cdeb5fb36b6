"""Reads of makers and groups. Makers' personal data is only for their own organization's staff."""

import datetime

from django.db.models import Count, Prefetch, Q, QuerySet

from binakarya.core.types import Actor
from binakarya.makers.models import Group, GroupMembership, Maker
from binakarya.organizations.models import Organization
from binakarya.organizations.scoping import MAKER_ROLES, scope, visible_organizations


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


def maker_organization_for(*, user: Actor, slug: str) -> Organization | None:
    """The organization ``slug`` if ``user`` may see its makers' personal data, else None.

    None both for an unknown slug and for an organization outside the user's scope, so a caller
    cannot learn which slugs exist. Oversight roles (regional, national) never qualify.
    """
    return visible_organizations(user, roles=MAKER_ROLES, oversight=False).filter(slug=slug).first()


def maker_for(*, user: Actor, pk: int) -> Maker:
    """Raises Maker.DoesNotExist when missing or outside the user's scope."""
    return makers_for(user=user).get(pk=pk)


def groups_for(*, user: Actor, organization: Organization | None = None) -> QuerySet[Group]:
    qs = scope(Group.objects.all(), user, roles=MAKER_ROLES, oversight=False)
    if organization is not None:
        qs = qs.filter(organization=organization)
    return qs.select_related("organization").prefetch_related("crafts").order_by("organization__name", "name")


def groups_with_member_counts(*, user: Actor, organization: Organization | None = None) -> QuerySet[Group]:
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
    return group.memberships.select_related("maker").order_by("-left_date", "joined_date", "id")
