"""Reads the API needs that are pure compositions of the domain selectors and the scoping helper.

Candidates to move into the domain apps (makers.selectors) when another interface needs them.
"""

from typing import Any

from django.db.models import Count, Q, QuerySet

from binakarya.makers.models import Group
from binakarya.makers.selectors import groups_for
from binakarya.organizations.models import Organization
from binakarya.organizations.scoping import MAKER_ROLES, visible_organizations


def maker_organization_for(*, user: Any, slug: str) -> Organization | None:
    """The organization ``slug`` if ``user`` may see its makers' personal data, else None.

    None both for an unknown slug and for an organization outside the user's scope, so a caller
    cannot learn which slugs exist. Oversight roles (regional, national) never qualify.
    """
    return visible_organizations(user, roles=MAKER_ROLES, oversight=False).filter(slug=slug).first()


def groups_with_member_counts(*, user: Any, organization: Organization | None = None) -> QuerySet[Group]:
    """``groups_for`` with ``member_count``: the makers currently in each group (no left date)."""
    return groups_for(user=user, organization=organization).annotate(
        member_count=Count("memberships", filter=Q(memberships__left_date__isnull=True))
    )
