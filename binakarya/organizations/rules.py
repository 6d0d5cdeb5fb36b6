"""Object permissions as ``rules`` predicates, all built on the scoping helper."""

import rules

from binakarya.organizations.scoping import (
    CATALOG_ROLES,
    INVENTORY_ROLES,
    LEDGER_ROLES,
    MAKER_MANAGE_ROLES,
    MAKER_ROLES,
    PRODUCTION_ROLES,
    SALES_ROLES,
    STAFF_ROLES,
    has_role,
)


def _organization_of(obj):
    if obj is None:
        return None
    return getattr(obj, "organization", obj)


@rules.predicate
def is_staff_of(user, obj) -> bool:
    org = _organization_of(obj)
    return org is not None and has_role(user, org, STAFF_ROLES)


@rules.predicate
def manages_catalog_of(user, obj) -> bool:
    org = _organization_of(obj)
    return org is not None and has_role(user, org, CATALOG_ROLES)


@rules.predicate
def sees_makers_of(user, obj) -> bool:
    org = _organization_of(obj)
    return org is not None and has_role(user, org, MAKER_ROLES)


@rules.predicate
def manages_makers_of(user, obj) -> bool:
    org = _organization_of(obj)
    return org is not None and has_role(user, org, MAKER_MANAGE_ROLES)


rules.add_perm("organizations.view_organization", is_staff_of)
rules.add_perm("catalog.manage", manages_catalog_of)
rules.add_perm("makers.view", sees_makers_of)
rules.add_perm("makers.manage", manages_makers_of)


@rules.predicate
def records_production_of(user, obj) -> bool:
    org = _organization_of(obj)
    return org is not None and has_role(user, org, PRODUCTION_ROLES)


@rules.predicate
def manages_stock_of(user, obj) -> bool:
    org = _organization_of(obj)
    return org is not None and has_role(user, org, INVENTORY_ROLES)


rules.add_perm("production.record", records_production_of)
rules.add_perm("inventory.manage", manages_stock_of)


@rules.predicate
def records_sales_of(user, obj) -> bool:
    org = _organization_of(obj)
    return org is not None and has_role(user, org, SALES_ROLES)


@rules.predicate
def keeps_books_of(user, obj) -> bool:
    org = _organization_of(obj)
    return org is not None and has_role(user, org, LEDGER_ROLES)


rules.add_perm("sales.record", records_sales_of)
rules.add_perm("ledger.manage", keeps_books_of)
