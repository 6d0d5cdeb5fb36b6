"""Template helpers for the staff pages."""

from decimal import Decimal
from typing import Any

from django import template
from django.forms.boundfield import BoundField
from django.urls import reverse
from django.utils.translation import gettext as _

from binakarya.backoffice.access import (
    handles_orders,
    has_any_role,
    is_outlet_partner,
    manages_staff,
    money_sections,
    partner_only,
    records_production,
    records_sales,
    sees_agreements,
    sees_dashboards,
    sees_reports,
    sees_sales,
    sees_stock,
)
from binakarya.catalog.models import Product
from binakarya.catalog.selectors import product_is_public
from binakarya.core import form_errors
from binakarya.core.templatetags.binakarya import percent
from binakarya.organizations.scoping import CATALOG_ROLES, MAKER_ROLES

register = template.Library()

# How many shortcuts the phone's bottom bar holds besides the staff home: it must fit 360 px.
SHORTCUTS = 3


@register.filter
def buyers_see(product: Product) -> bool:
    """Whether ``product`` (with its producer and organization loaded) is in the public catalog."""
    return product_is_public(product=product)


@register.simple_tag(takes_context=True)
def staff_sections(context: template.Context) -> dict[str, Any]:
    """Which staff sections the current user may open, and the shortcuts of the phone's bottom bar.

    Uses the memberships cached on the user, so the menu costs no query after the first. The shortcuts
    put the role's main action first: an instructor's "Record a lot", a finance officer's "Record a sale".
    """
    request = context.get("request")
    user = getattr(request, "user", None)
    sections: dict[str, Any] = {
        "catalog": has_any_role(user, CATALOG_ROLES),
        "makers": has_any_role(user, MAKER_ROLES),
        "stock": sees_stock(user),
        "sales": sees_sales(user),
        "orders": handles_orders(user),
        "money": any(money_sections(user).values()),
        "staff": manages_staff(user),
        "reports": sees_reports(user),
        "records_production": records_production(user),
        "records_sales": records_sales(user),
    }
    # Consignment (titip jual): the seller's staff who record sales; outlet partners have a menu of their own.
    sections["consignment"] = sections["records_sales"]
    sections["deals"] = sections["records_sales"]
    sections["exports"] = sections["records_sales"]
    # Programs: agreements with partner agencies, read by every staff role but outlet partners.
    sections["programs"] = sees_agreements(user)
    candidates = [
        (sections["records_production"], "lot_create", _("Record a lot"), "lots", True),
        (sections["records_sales"], "sale_create", _("Record a sale"), "sales", True),
        (sections["stock"], "stock", _("Stock"), "stock", False),
        (sections["sales"], "sales", _("Sales"), "sales", False),
        (sections["money"], "money", _("Money"), "money", False),
    ]
    sections["shortcuts"] = [
        {"url": reverse(f"backoffice:{name}"), "label": label, "section": section, "main": main}
        for allowed, name, label, section, main in candidates
        if allowed
    ][:SHORTCUTS]
    # Consignment: partner. An outlet partner's menu is their portal; one with no other role sees only it.
    sections["partner"] = is_outlet_partner(user)
    sections["partner_only"] = sections["partner"] and partner_only(user)
    # Dashboards: who reads the books or records sales, and the viewers (dashboards.selectors decides).
    sections["dashboards"] = sees_dashboards(user) and not sections["partner_only"]
    if sections["partner_only"]:
        sections["sales"] = False
        sections["shortcuts"] = [
            {"url": reverse(f"backoffice:{name}"), "label": label, "section": section, "main": main}
            for name, label, section, main in (
                ("partner_sales", _("Record sales"), "partner_sale", True),
                ("partner_shelf", _("Shelf"), "partner_shelf", False),
                ("partner_statements", _("Statements"), "partner_statements", False),
            )
        ]
    return sections


@register.filter
def first_error_field(form: Any) -> str:
    """The name of ``form``'s first visible field with an error ("" when none): the one that gets focus."""
    return form_errors.first_error_field(form) or ""


@register.filter
def invalid_fields(form: Any) -> list[BoundField]:
    """The visible fields of ``form`` that have errors, in order: the summary at the top of a refused form."""
    if not getattr(form, "is_bound", False):
        return []
    return [field for field in form.visible_fields() if field.errors]


# Consignment: staff pages ---------------------------------------------------------------------------


@register.filter
def bp_percent(basis_points: Any) -> str:
    """Basis points as a percentage the reader's way: ``1250|bp_percent`` → ``12,5%`` (id)."""
    if basis_points is None or basis_points == "":
        return ""
    try:
        return percent(Decimal(int(basis_points)) / 100)
    except (TypeError, ValueError):
        return ""
