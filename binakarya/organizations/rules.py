"""Object permissions as ``rules`` predicates, all built on the scoping helper."""

from collections.abc import Iterable

import rules
from django.db.models import Model

from binakarya.core.types import Actor
from binakarya.organizations.scoping import (
    CATALOG_ROLES,
    INVENTORY_ROLES,
    LEDGER_ROLES,
    MAKER_MANAGE_ROLES,
    MAKER_ROLES,
    PRODUCTION_ROLES,
    SALES_ROLES,
    STAFF_ADMIN_ROLES,
    STAFF_ROLES,
    has_role,
)


def _organization_of(obj: Model | None) -> Model | None:
    """``obj``'s organization, or ``obj`` itself when it has none (an Organization)."""
    if obj is None:
        return None
    organization: Model = getattr(obj, "organization", obj)
    return organization


def _holds(user: Actor, obj: Model | None, roles: Iterable[str]) -> bool:
    """Whether ``user`` holds one of ``roles`` in ``obj``'s organization (has_role compares primary keys)."""
    org = _organization_of(obj)
    return org is not None and org.pk is not None and has_role(user, org.pk, roles)


@rules.predicate
def is_staff_of(user: Actor, obj: Model | None) -> bool:
    return _holds(user, obj, STAFF_ROLES)


@rules.predicate
def manages_catalog_of(user: Actor, obj: Model | None) -> bool:
    return _holds(user, obj, CATALOG_ROLES)


@rules.predicate
def sees_makers_of(user: Actor, obj: Model | None) -> bool:
    return _holds(user, obj, MAKER_ROLES)


@rules.predicate
def manages_makers_of(user: Actor, obj: Model | None) -> bool:
    return _holds(user, obj, MAKER_MANAGE_ROLES)


rules.add_perm("organizations.view_organization", is_staff_of)
rules.add_perm("catalog.manage", manages_catalog_of)
rules.add_perm("makers.view", sees_makers_of)
rules.add_perm("makers.manage", manages_makers_of)


@rules.predicate
def records_production_of(user: Actor, obj: Model | None) -> bool:
    return _holds(user, obj, PRODUCTION_ROLES)


@rules.predicate
def manages_stock_of(user: Actor, obj: Model | None) -> bool:
    return _holds(user, obj, INVENTORY_ROLES)


rules.add_perm("production.record", records_production_of)
rules.add_perm("inventory.manage", manages_stock_of)


@rules.predicate
def records_sales_of(user: Actor, obj: Model | None) -> bool:
    return _holds(user, obj, SALES_ROLES)


@rules.predicate
def keeps_books_of(user: Actor, obj: Model | None) -> bool:
    return _holds(user, obj, LEDGER_ROLES)


rules.add_perm("sales.record", records_sales_of)
rules.add_perm("ledger.manage", keeps_books_of)


@rules.predicate
def manages_staff_of(user: Actor, obj: Model | None) -> bool:
    return _holds(user, obj, STAFF_ADMIN_ROLES)


rules.add_perm("organizations.manage_staff", manages_staff_of)
