"""The back office home: who the user is where, and what their roles let them open.

Counts of the catalog and the makers, links to production, stock, sales and money as far as the user's roles
allow (``backoffice.access`` decides), and this month's sales. A user who sees several organizations (a
regional or national viewer) gets a row of key figures for each of them first. Every count goes through a
scoped selector.
"""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from binakarya.backoffice.access import (
    handles_orders,
    has_any_role,
    keeps_pnbp,
    manages_stock,
    money_sections,
    partner_only,
    records_production,
    records_sales,
    sees_agreements,
    sees_sales,
    sees_stock,
)
from binakarya.catalog import selectors as catalog_selectors
from binakarya.consignment import selectors as consignment_selectors
from binakarya.core.types import Actor
from binakarya.makers import selectors as maker_selectors
from binakarya.makers.models import Maker
from binakarya.orders import selectors as order_selectors
from binakarya.organizations import selectors as organization_selectors
from binakarya.organizations.models import Organization
from binakarya.organizations.scoping import CATALOG_ROLES, MAKER_ROLES
from binakarya.programs import selectors as program_selectors
from binakarya.sales import selectors as sales_selectors


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    if partner_only(user):  # Consignment: partner. An outlet partner's home is their portal.
        return redirect("backoffice:partner_home")
    # The user's own membership rows (not tenant data), to show who they are where.
    roles_by_org: dict[int, dict[str, Any]] = {}
    for membership in organization_selectors.memberships_for(user=user):
        entry = roles_by_org.setdefault(
            membership.organization_id, {"organization": membership.organization, "roles": []}
        )
        entry["roles"].append(membership.get_role_display())
    can_catalog = has_any_role(user, CATALOG_ROLES)
    can_makers = has_any_role(user, MAKER_ROLES)
    context: dict[str, Any] = {
        "section": "dashboard",
        "organizations": list(roles_by_org.values()),
        "can_catalog": can_catalog,
        "can_makers": can_makers,
    }
    if can_catalog:
        products = catalog_selectors.products_for_staff(user=user)
        context["product_count"] = products.count()
        context["unpublished_count"] = catalog_selectors.products_for_staff(user=user, published=False).count()
        context["producers"] = list(catalog_selectors.producers_for_staff(user=user))
        context["can_create_producer"] = organization_selectors.organizations_for(
            user=user, roles=CATALOG_ROLES, kinds=[Organization.Kind.PRODUCER], oversight=False
        ).exists()
    if can_makers:
        context["maker_count"] = maker_selectors.makers_for(user=user, status=Maker.Status.ACTIVE).count()
        context["group_count"] = maker_selectors.groups_for(user=user, active_only=True).count()
    context.update(_dashboard_work(user))
    # A scope of several organizations (regional and national viewers above all) starts with their figures.
    several = organization_selectors.sees_several_organizations(user=user)
    context["scope_summary"] = sales_selectors.scope_summary(user=user, at_least=2) if several else []
    context["scope_shows_makers"] = any(row.makers is not None for row in context["scope_summary"])
    return render(request, "backoffice/dashboard.html", context)


def _dashboard_work(user: Actor) -> dict[str, Any]:
    """Links to production, stock, sales and money, as far as the user's roles allow; this month's sales."""
    context: dict[str, Any] = {
        "sees_stock": sees_stock(user),
        "records_production": records_production(user),
        "manages_stock": manages_stock(user),
        "sees_sales": sees_sales(user),
        "records_sales": records_sales(user),
        "money": money_sections(user),
    }
    context["has_pnbp"] = context["money"]["books"] and keeps_pnbp(user)
    context["handles_orders"] = handles_orders(user)
    if context["handles_orders"]:
        context["orders_needing_action"] = order_selectors.orders_needing_action(user=user)
    if context["records_sales"]:
        # Consignment: agreements ending within 30 days and overdue settlements (two queries).
        context["consignment"] = consignment_selectors.consignment_attention(user=user)
    if sees_agreements(user):
        context["programs"] = {
            "ending": program_selectors.agreements_ending(user=user).count(),
            "overdue": program_selectors.obligations_overdue(user=user).count(),
            "within_days": program_selectors.ENDING_WITHIN_DAYS,
        }
    # After release: the facility's staff open their releases; a producer that began from a release shows its
    # operator the starting capital (no query for anyone who operates no producer).
    context["sees_releases"] = program_selectors.sees_releases(user=user)
    context["starting_capital"] = program_selectors.my_starting_capital(user=user)
    if context["sees_sales"]:
        month_start = timezone.localdate().replace(day=1)
        context["sales_month"] = sales_selectors.sales_totals(
            sales=sales_selectors.sales_for(user=user, date_from=month_start)
        )
    return context
