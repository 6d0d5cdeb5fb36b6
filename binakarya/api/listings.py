"""Staff endpoints of the e-Katalog / Bela Pengadaan listing pack: a product's listing (read and replace), its
spec sheet (PDF) and the XLSX rows of a seller's products. Products come from selectors scoped to the
organizations whose catalog the caller manages: another organization's product is a 404. Never a maker."""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router

from binakarya.api.auth import STAFF_AUTH, AuthenticatedRequest
from binakarya.api.schemas.common import WRITE_ERRORS, ErrorOut, FieldErrorsOut, OrganizationQuery
from binakarya.api.schemas.listings import ListingIn, ListingOut
from binakarya.catalog import listing_pack
from binakarya.catalog.models import Product
from binakarya.catalog.selectors import listing_product_for_staff, listing_products_for_staff, product_listing
from binakarya.catalog.services import ListingInput, listing_save, specification_rows
from binakarya.core.exports import export_response
from binakarya.organizations.scoping import CATALOG_ROLES
from binakarya.organizations.selectors import organization_for, organizations_for

router = Router(tags=["staff"], auth=STAFF_AUTH)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def listing_out(product: Product) -> dict[str, Any]:
    listing = product_listing(product)
    return {
        "product": product.slug,
        "organization": product.organization.slug,
        "exists": listing is not None,
        "kbki_code": listing.kbki_code if listing else "",
        "pdn_status": listing.pdn_status if listing else "",
        "tkdn_bp": listing.tkdn_bp if listing else None,
        "tkdn_certificate_number": listing.tkdn_certificate_number if listing else "",
        "tkdn_certificate_date": listing.tkdn_certificate_date if listing else None,
        "sni_number": listing.sni_number if listing else "",
        "trademark": listing.trademark if listing else "",
        "unit": listing.unit if listing else "",
        "specifications": [list(row) for row in specification_rows(listing.specifications)] if listing else [],
        "photo_ids": list(listing.photo_ids) if listing else [],
        "variants": [{"sku": v.sku, "name": v.name, "price_idr": v.price_idr} for v in product.variants.all()],
    }


@router.get(
    "/products/{slug}/listing",
    response={200: ListingOut, 401: ErrorOut, 404: ErrorOut},
    summary="A product's e-Katalog listing (blank fields when none was filled)",
)
def listing_read(request: AuthenticatedRequest, slug: str) -> dict[str, Any]:
    return listing_out(listing_product_for_staff(user=request.auth, slug=slug))


@router.put(
    "/products/{slug}/listing",
    response={200: ListingOut, 404: ErrorOut} | WRITE_ERRORS,
    summary="Fill or replace a product's e-Katalog listing",
)
def listing_replace(request: AuthenticatedRequest, slug: str, payload: ListingIn) -> dict[str, Any]:
    product = listing_product_for_staff(user=request.auth, slug=slug)
    listing_save(actor=request.auth, product=product, data=ListingInput(**payload.dict()))
    return listing_out(listing_product_for_staff(user=request.auth, slug=slug))


@router.get(
    "/products/{slug}/spec-sheet.pdf",
    response={200: None, 401: ErrorOut, 404: ErrorOut},
    summary="A product's spec sheet for government buyers (PDF, Indonesian)",
    openapi_extra={"responses": {200: {"description": "The PDF", "content": {"application/pdf": {}}}}},
)
def spec_sheet(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    product = listing_product_for_staff(user=request.auth, slug=slug)
    response = HttpResponse(listing_pack.spec_sheet_pdf(product), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="spesifikasi-{product.slug}.pdf"'
    return response


@router.get(
    "/listings.xlsx",
    response={200: None, 400: FieldErrorsOut, 401: ErrorOut, 404: ErrorOut},
    summary="The e-Katalog rows of a seller's products (XLSX, one row per variant)",
    openapi_extra={"responses": {200: {"description": "The workbook", "content": {XLSX: {}}}}},
)
def listings_xlsx(request: AuthenticatedRequest, filters: Query[OrganizationQuery]) -> HttpResponse:
    user = request.auth
    slug = filters.organization.strip()
    if slug:
        organization = organization_for(user=user, slug=slug, roles=CATALOG_ROLES, oversight=False)
    else:
        first_two = list(organizations_for(user=user, roles=CATALOG_ROLES, oversight=False)[:2])
        if len(first_two) != 1:
            raise ValidationError({"organization": [_("Say which organization: give its slug in “organization”.")]})
        organization = first_two[0]
    products = listing_products_for_staff(user=user, organization=organization)
    table = listing_pack.listing_table(products, base_url=_base_url(request))
    return export_response("xlsx", f"ekatalog-{organization.slug}", [table])
