"""Staff pages of the e-Katalog / Bela Pengadaan listing pack: a product's listing form, its spec sheet (PDF),
its row export (XLSX), and the XLSX of all a seller's products.

Every product comes from a selector scoped to the organizations whose catalog the user manages (another
organization's product is a 404); the listing is written by ``catalog.services.listing_save``.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from binakarya.backoffice.access import has_any_role
from binakarya.backoffice.catalog.listing_forms import ListingForm
from binakarya.backoffice.common import add_service_errors, export_filename, get_or_404, pdf_response, site_base_url
from binakarya.catalog import listing_pack
from binakarya.catalog import selectors as catalog_selectors
from binakarya.catalog import services as catalog_services
from binakarya.core.exports import export_response
from binakarya.organizations import selectors as organization_selectors
from binakarya.organizations.models import Organization
from binakarya.organizations.scoping import CATALOG_ROLES


@login_required
@require_http_methods(["GET", "POST"])
def listing_edit(request: HttpRequest, pk: int) -> HttpResponse:
    product = get_or_404(catalog_selectors.listing_product_for_staff, user=request.user, pk=pk)
    listing = catalog_selectors.product_listing(product)
    photos = list(product.photos.all())
    form = ListingForm(request.POST or None, photos=photos, initial=ListingForm.initial_for(listing))
    if request.method == "POST" and form.is_valid():
        try:
            catalog_services.listing_save(actor=request.user, product=product, data=form.to_input())
        except ValidationError as exc:
            add_service_errors(form, exc, field_map={"tkdn_bp": "tkdn"})
        else:
            messages.success(request, _("e-Katalog listing saved."))
            return redirect("backoffice:listing_edit", pk=product.pk)
    return render(
        request,
        "backoffice/listing_edit.html",
        {"section": "products", "product": product, "listing": listing, "photos": photos, "form": form},
    )


@login_required
@require_GET
def listing_spec_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    product = get_or_404(catalog_selectors.listing_product_for_staff, user=request.user, pk=pk)
    return pdf_response(listing_pack.spec_sheet_pdf(product), f"spesifikasi-{product.slug}.pdf")


@login_required
@require_GET
def listing_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    product = get_or_404(catalog_selectors.listing_product_for_staff, user=request.user, pk=pk)
    table = listing_pack.listing_table([product], base_url=site_base_url(request))
    return export_response("xlsx", export_filename("ekatalog", product.slug), [table])


@login_required
@require_GET
def seller_listings_xlsx(request: HttpRequest) -> HttpResponse:
    """Every product of one seller (``?organisasi=<slug>``, or the user's only catalog organization)."""
    if not has_any_role(request.user, CATALOG_ROLES):
        raise PermissionDenied(_("You do not manage a catalog."))
    organizations = organization_selectors.organizations_for(user=request.user, roles=CATALOG_ROLES, oversight=False)
    slug = request.GET.get("organisasi", "").strip()
    try:
        organization = organizations.get(slug=slug) if slug else organizations.get()
    except (Organization.DoesNotExist, Organization.MultipleObjectsReturned):
        raise Http404("no such seller") from None
    products = catalog_selectors.listing_products_for_staff(user=request.user, organization=organization)
    table = listing_pack.listing_table(products, base_url=site_base_url(request))
    return export_response("xlsx", export_filename("ekatalog", organization.slug), [table])
