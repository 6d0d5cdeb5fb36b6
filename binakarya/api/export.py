"""Staff endpoints for export buyers (issue 13): a product's export data and English texts, and exchange
rates. Products and rates are read through scoped selectors: another organization's product is a 404."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from binakarya.api.auth import STAFF_AUTH, AuthenticatedRequest
from binakarya.api.schemas.common import WRITE_ERRORS, ErrorOut, FieldErrorsOut, OrganizationQuery
from binakarya.api.schemas.export import (
    ExchangeRateIn,
    ExchangeRateListOut,
    ExchangeRateOut,
    ProductExportIn,
    ProductExportOut,
)
from binakarya.catalog import export_selectors, export_services
from binakarya.catalog.models import ExchangeRate, Product
from binakarya.organizations.scoping import CATALOG_ROLES
from binakarya.organizations.selectors import holds_role

router = Router(tags=["export"], auth=STAFF_AUTH)


def _export_out(product: Product) -> dict[str, Any]:
    profile = export_selectors.export_profile_for(product=product)
    values: dict[str, Any] = {
        "product": product.slug,
        "name_en": product.name_en,
        "description_en": product.description_en,
        "story_en": product.story_en,
        "saved": profile is not None,
    }
    if profile is None:
        defaults = export_services.ExportInput(
            hs_code=product.hs_code, moq=product.moq, lead_time_days=product.lead_time_days
        )
        return values | vars(defaults)
    return values | {name: getattr(profile, name) for name in vars(export_services.ExportInput())}


@router.get(
    "/products/{slug}/export",
    response={200: ProductExportOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="A product's export data and English texts (staff)",
)
def product_export(request: AuthenticatedRequest, slug: str) -> dict[str, Any]:
    return _export_out(export_selectors.product_for_staff_by_slug(user=request.auth, slug=slug))


@router.put(
    "/products/{slug}/export",
    response={200: ProductExportOut, 404: ErrorOut} | WRITE_ERRORS,
    summary="Save a product's export data and English texts (staff)",
)
def product_export_save(request: AuthenticatedRequest, slug: str, payload: ProductExportIn) -> dict[str, Any]:
    """All fields at once: nothing is saved when one is wrong (422 with every field's message)."""
    product = export_selectors.product_for_staff_by_slug(user=request.auth, slug=slug)
    data = payload.dict()
    english = {name: data.pop(name) for name in export_services.ENGLISH_FIELDS}
    export_services.product_export_save(
        actor=request.auth, product=product, data=export_services.ExportInput(**data), english=english
    )
    return _export_out(export_selectors.product_for_staff_by_slug(user=request.auth, slug=slug))


def _rate_out(rate: ExchangeRate) -> dict[str, Any]:
    user = rate.entered_by
    return {
        "id": rate.pk,
        "organization": rate.organization.slug,
        "currency": rate.currency,
        "idr_per_unit": rate.idr_per_unit,
        "effective_date": rate.effective_date,
        "entered_by": (user.get_full_name() or user.username) if user else None,
    }


@router.get(
    "/exchange-rates",
    response={200: ExchangeRateListOut, 401: ErrorOut, 403: ErrorOut, 422: FieldErrorsOut},
    summary="Exchange rates staff entered, newest first (staff)",
)
def exchange_rate_list(request: AuthenticatedRequest, filters: Query[OrganizationQuery]) -> dict[str, Any]:
    rates = export_selectors.exchange_rates_for_staff(user=request.auth, organization_slug=filters.organization)
    items = [_rate_out(rate) for rate in rates[:200]]
    return {"count": len(items), "items": items}


@router.post(
    "/exchange-rates",
    response={201: ExchangeRateOut} | WRITE_ERRORS,
    summary="Record an exchange rate: rupiah per unit from a date on (staff)",
)
def exchange_rate_create(request: AuthenticatedRequest, payload: ExchangeRateIn) -> Status[dict[str, Any]]:
    if not holds_role(user=request.auth, roles=CATALOG_ROLES, oversight=False):
        raise PermissionDenied(_("You do not manage a catalog."))
    organization = export_selectors.rate_organization_for(user=request.auth, slug=payload.organization)
    if organization is None:
        if payload.organization:
            message = _("Unknown organization “%(slug)s”.") % {"slug": payload.organization}
        else:
            message = _("Name the organization: you manage several.")
        raise ValidationError({"organization": [message]})
    rate = export_services.exchange_rate_create(
        actor=request.auth,
        organization=organization,
        currency=payload.currency.strip().upper(),
        idr_per_unit=payload.idr_per_unit,
        effective_date=payload.effective_date,
    )
    return Status(201, _rate_out(rate))
