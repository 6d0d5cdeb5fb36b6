"""Staff pages for the catalog: products, their variants and photos, and producers' public profiles.

Thin views over ``catalog.selectors`` and ``catalog.services``. Every lookup goes through a selector scoped to
the user's organizations, so another organization's row is a 404, never a leak. Every write goes through a
service, which checks the rules (``catalog.manage``) and raises PermissionDenied, which Django answers with a
403.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from binakarya.backoffice.access import has_any_role
from binakarya.backoffice.catalog import forms
from binakarya.backoffice.common import add_service_errors, get_or_404, paginate, safe_next
from binakarya.catalog import selectors as catalog_selectors
from binakarya.catalog import services as catalog_services
from binakarya.catalog.models import Product
from binakarya.core.types import HtmxHttpRequest
from binakarya.organizations import selectors as organization_selectors
from binakarya.organizations.models import Organization
from binakarya.organizations.scoping import CATALOG_ROLES


def _catalog_organizations(request: HttpRequest, *, kinds: tuple[str, ...] | None = None) -> QuerySet[Organization]:
    """The organizations whose catalog the user manages (of ``kinds``), by name."""
    return organization_selectors.organizations_for(
        user=request.user, roles=CATALOG_ROLES, oversight=False, kinds=kinds
    )


# Products ---------------------------------------------------------------------------------------


@login_required
@require_GET
def product_list(request: HttpRequest) -> HttpResponse:
    if not has_any_role(request.user, CATALOG_ROLES):
        raise PermissionDenied(_("You do not manage a catalog."))
    q = request.GET.get("q", "").strip()[:100]
    page = paginate(request, catalog_selectors.products_for_staff(user=request.user, q=q))
    # One read gives both: whether to name each product's organization, and the e-Katalog XLSX link of each
    # seller (backoffice/catalog/listing.py).
    sellers = list(_catalog_organizations(request)[:20])
    return render(
        request,
        "backoffice/product_list.html",
        {
            "section": "products",
            "page": page,
            "q": q,
            "many_orgs": len(sellers) > 1,
            "listing_sellers": sellers,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def product_create(request: HtmxHttpRequest) -> HttpResponse:
    """A product with its first variant and photos. photo-upload.js posts it with ``HX-Request`` (to show the
    upload's progress) and follows the ``HX-Redirect`` answer; without JavaScript it is a plain form."""
    if not has_any_role(request.user, CATALOG_ROLES):
        raise PermissionDenied(_("You do not manage a catalog."))
    producers = catalog_selectors.producers_for_staff(user=request.user)
    data, files = (request.POST, request.FILES) if request.method == "POST" else (None, None)
    form = forms.ProductCreateForm(data, files, producers=producers, initial=_producer_initial(request))
    if request.method == "POST" and form.is_valid():
        try:
            product = catalog_services.product_create(actor=request.user, **form.service_kwargs())
        except ValidationError as exc:
            add_service_errors(form, exc, field_map={"variants": "sku"})
        else:
            sku = ", ".join(catalog_selectors.product_skus(product=product))
            if product.cover_thumbnail:
                messages.success(request, _("Product saved with SKU %(sku)s.") % {"sku": sku})
            else:
                messages.success(
                    request, _("Product saved with SKU %(sku)s. Add a photo so buyers can see it.") % {"sku": sku}
                )
            url = reverse("backoffice:product_edit", args=[product.pk])
            return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
    if form.errors and files is not None and files.getlist("photos"):
        # A browser never keeps a chosen file across pages: whatever was refused, say so where the photos were.
        form.add_error("photos", _("Nothing was saved. Choose the photos again."))
    return render(
        request,
        "backoffice/product_create.html",
        {"section": "products", "form": form, "has_producers": producers.exists()},
    )


def _producer_initial(request: HttpRequest) -> dict[str, Any]:
    producer = request.GET.get("pembuat", "")
    return {"producer": producer} if producer.isdigit() else {}


def _product_form(product: Product, data: Any = None) -> forms.ProductForm:
    initial = {name: getattr(product, name) for name in forms.ProductForm.base_fields}
    return forms.ProductForm(data, initial=initial)


def _render_product(request: HttpRequest, product: Product, **overrides: Any) -> HttpResponse:
    context = {
        "section": "products",
        "product": product,
        "variants": list(product.variants.all()),
        "photos": list(product.photos.all()),
        "form": overrides.pop("form", None) or _product_form(product),
        "variant_form": overrides.pop("variant_form", None) or forms.VariantForm(prefix="variant"),
        "photo_form": overrides.pop("photo_form", None) or forms.PhotoForm(),
        "readiness": catalog_selectors.product_readiness(product=product),
        **overrides,
    }
    return render(request, "backoffice/product_edit.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def product_edit(request: HttpRequest, pk: int) -> HttpResponse:
    product = get_or_404(catalog_selectors.product_for_staff, user=request.user, pk=pk)
    if request.method == "GET":
        return _render_product(request, product)
    form = _product_form(product, request.POST)
    if form.is_valid():
        changed = form.changed_fields()
        if not changed:
            messages.info(request, _("Nothing changed."))
            return redirect("backoffice:product_edit", pk=product.pk)
        try:
            catalog_services.product_update(actor=request.user, product=product, **changed)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Product saved."))
            return redirect("backoffice:product_edit", pk=product.pk)
    product = catalog_selectors.product_for_staff(user=request.user, pk=pk)
    return _render_product(request, product, form=form)


@login_required
@require_POST
def product_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Toggle whether the product shows in the public catalog."""
    product = get_or_404(catalog_selectors.product_for_staff, user=request.user, pk=pk)
    publish = not product.is_published
    catalog_services.product_update(actor=request.user, product=product, is_published=publish)
    if publish:
        messages.success(request, _("%(name)s is now in the public catalog.") % {"name": product.name})
    else:
        messages.success(request, _("%(name)s is hidden from the public catalog.") % {"name": product.name})
    return redirect(safe_next(request, reverse("backoffice:product_edit", args=[product.pk])))


@login_required
@require_POST
def variant_add(request: HttpRequest, pk: int) -> HttpResponse:
    product = get_or_404(catalog_selectors.product_for_staff, user=request.user, pk=pk)
    form = forms.VariantForm(request.POST, prefix="variant")
    if form.is_valid():
        try:
            variant = catalog_services.variant_create(actor=request.user, product=product, data=form.to_input())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Variant %(sku)s added.") % {"sku": variant.sku})
            return redirect(reverse("backoffice:product_edit", args=[product.pk]) + "#variants")
    return _render_product(request, product, variant_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def variant_edit(request: HttpRequest, pk: int, variant_pk: int) -> HttpResponse:
    product = get_or_404(catalog_selectors.product_for_staff, user=request.user, pk=pk)
    variant = get_or_404(catalog_selectors.product_variant, product=product, pk=variant_pk)
    initial = {name: getattr(variant, name) for name in forms.VariantForm.base_fields}
    form = forms.VariantForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            catalog_services.variant_update(actor=request.user, variant=variant, data=form.to_input())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Variant %(sku)s saved.") % {"sku": variant.sku})
            return redirect(reverse("backoffice:product_edit", args=[product.pk]) + "#variants")
    return render(
        request,
        "backoffice/variant_edit.html",
        {"section": "products", "product": product, "variant": variant, "form": form},
    )


# Photos -----------------------------------------------------------------------------------------


def _photos_response(request: HttpRequest, pk: int, *, photo_form: Any = None, notice: str = "") -> HttpResponse:
    """The photo section alone (htmx swaps it in place), and the readiness checklist out of band."""
    product = catalog_selectors.product_for_staff(user=request.user, pk=pk)
    context = {
        "product": product,
        "photos": list(product.photos.all()),
        "photo_form": photo_form or forms.PhotoForm(),
        "notice": notice,
        # The checklist above the photos changes with them: it comes along as an out-of-band swap.
        "readiness": catalog_selectors.product_readiness(product=product),
        "oob": True,
    }
    return render(request, "backoffice/includes/photos.html", context)


@login_required
@require_POST
def photo_upload(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    product = get_or_404(catalog_selectors.product_for_staff, user=request.user, pk=pk)
    form = forms.PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            catalog_services.photo_add(
                actor=request.user,
                product=product,
                upload=form.cleaned_data["photo"],
                alt_text=form.cleaned_data["alt_text"],
            )
        except ValidationError as exc:
            # catalog.images raises a plain message (too large, not an image…): it belongs next to the file input.
            add_service_errors(form, exc, default_field="photo")
        else:
            if request.htmx:
                return _photos_response(request, pk, notice=_("Photo added."))
            messages.success(request, _("Photo added."))
            return redirect(reverse("backoffice:product_edit", args=[product.pk]) + "#photos")
    if request.htmx:
        return _photos_response(request, pk, photo_form=form)
    return _render_product(request, product, photo_form=form)


@login_required
@require_POST
def photo_delete(request: HtmxHttpRequest, pk: int, photo_pk: int) -> HttpResponse:
    product = get_or_404(catalog_selectors.product_for_staff, user=request.user, pk=pk)
    photo = get_or_404(catalog_selectors.product_photo, product=product, pk=photo_pk)
    catalog_services.photo_delete(actor=request.user, photo=photo)
    if request.htmx:
        return _photos_response(request, pk, notice=_("Photo deleted."))
    messages.success(request, _("Photo deleted."))
    return redirect(reverse("backoffice:product_edit", args=[product.pk]) + "#photos")


@login_required
@require_POST
def photo_make_cover(request: HtmxHttpRequest, pk: int, photo_pk: int) -> HttpResponse:
    product = get_or_404(catalog_selectors.product_for_staff, user=request.user, pk=pk)
    photo = get_or_404(catalog_selectors.product_photo, product=product, pk=photo_pk)
    catalog_services.photo_make_cover(actor=request.user, photo=photo)
    if request.htmx:
        return _photos_response(request, pk, notice=_("Cover photo changed."))
    messages.success(request, _("Cover photo changed."))
    return redirect(reverse("backoffice:product_edit", args=[product.pk]) + "#photos")


# Producers --------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def producer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    producer = get_or_404(catalog_selectors.producer_for_staff, user=request.user, pk=pk)
    initial = {name: getattr(producer, name) for name in forms.ProducerForm.base_fields}
    form = forms.ProducerForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        changed = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            catalog_services.producer_update(actor=request.user, producer=producer, **changed)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Profile saved."))
            return redirect("backoffice:producer_edit", pk=producer.pk)
    products = catalog_selectors.products_for_staff(user=request.user, producer=producer)
    return render(
        request,
        "backoffice/producer_edit.html",
        {"section": "products", "producer": producer, "form": form, "product_count": products.count()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def producer_create(request: HttpRequest) -> HttpResponse:
    """The public profile of an UMKM producer organization (a facility's profiles belong to its groups)."""
    organizations = _catalog_organizations(request, kinds=(Organization.Kind.PRODUCER,))
    if not organizations.exists():
        raise PermissionDenied(_("Only an UMKM producer's operator creates a profile here."))
    form = forms.ProducerCreateForm(request.POST or None, organizations=organizations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            producer = catalog_services.producer_create(
                actor=request.user,
                organization=data["organization"],
                name=data["name"],
                description=data["description"],
                phone=data["phone"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc, default_field="phone")
        else:
            messages.success(request, _("Profile created."))
            return redirect("backoffice:producer_edit", pk=producer.pk)
    return render(request, "backoffice/producer_create.html", {"section": "products", "form": form})
