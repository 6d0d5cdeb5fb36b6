"""Public storefront: thin views over catalog selectors. Nothing here may reach makers' data."""

from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, translate_url
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from binakarya.catalog import selectors
from binakarya.catalog.models import Producer, Product
from binakarya.core.cache import public_page_cache
from binakarya.core.codes import normalize_code
from binakarya.core.phone import whatsapp_url
from binakarya.core.types import HtmxHttpRequest
from binakarya.documents.models import Document
from binakarya.documents.selectors import document_get_public
from binakarya.organizations import selectors as organization_selectors
from binakarya.organizations.models import Organization
from binakarya.production.models import Lot
from binakarya.production.selectors import lot_get_public
from binakarya.sales import selectors as sales_selectors
from binakarya.storefront.charts import impact_chart
from binakarya.storefront.forms import CatalogFilterForm, OrderForm, variant_label


def _share_context(request: HttpRequest, path: str = "") -> dict[str, Any]:
    """Canonical and alternate-language links for the current page (or for ``path``)."""
    canonical = request.build_absolute_uri(path or request.path)
    return {
        "canonical_url": canonical,
        "alternates": [(code, translate_url(canonical, code)) for code, _name in settings.LANGUAGES],
        "og_locale": "en_US" if get_language() == "en" else "id_ID",
    }


@require_GET
@public_page_cache
def home(request: HttpRequest) -> HttpResponse:
    query = selectors.CatalogQuery()
    page = selectors.product_search(query=query, page=1, page_size=8)
    return render(
        request,
        "storefront/home.html",
        {"categories": selectors.category_list(), "products": page.items, "product_count": page.count}
        | _share_context(request),
    )


@require_GET
@public_page_cache
def catalog(request: HtmxHttpRequest) -> HttpResponse:
    form = CatalogFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        result = None
    else:
        query = form.to_query() if form.is_bound else selectors.CatalogQuery()
        result = selectors.product_search(
            query=query, page=form.page, page_size=settings.CATALOG_PAGE_SIZE, suggest=True
        )
    params = request.GET.copy()
    params.pop("halaman", None)
    suggestion_query = ""
    if result is not None and result.suggestion:
        corrected = params.copy()
        corrected["q"] = result.suggestion
        suggestion_query = corrected.urlencode()
    context = {
        "suggestion_query": suggestion_query,
        "form": form,
        "result": result,
        "categories": selectors.category_list(),
        "regions": selectors.region_list(),
        "base_query": params.urlencode(),
        "searching": bool(request.GET.get("q", "").strip()),
    } | _share_context(request)
    template = "storefront/includes/catalog_results.html" if request.htmx else "storefront/catalog.html"
    return render(request, template, context)


def _product_or_404(slug: str) -> Product:
    try:
        return selectors.product_get_public(slug=slug)
    except Product.DoesNotExist as exc:
        raise Http404(_("This product does not exist or is no longer sold.")) from exc


def order_message(*, product: Product, url: str, variant: str, quantity: int | str) -> str:
    """The WhatsApp message a buyer sends: the product, the chosen variant, the quantity and the page.

    Only what the product page shows: never a maker. ``variant`` and ``quantity`` may be the
    placeholders ``{variant}`` and ``{quantity}``, which static/js/order.js fills in the browser.
    """
    return "\n".join(
        [
            _("Hello, I would like to order %(name)s.") % {"name": product.name},
            _("Choice: %(variant)s") % {"variant": variant},
            _("Quantity: %(quantity)s") % {"quantity": quantity},
            url,
        ]
    )


def _product_page(request: HttpRequest, product: Product, order_form: OrderForm | None = None) -> HttpResponse:
    share = _share_context(request, reverse("storefront:product", args=[product.slug]))
    variants = list(product.variants.all())
    photos = list(product.photos.all())
    phone = selectors.producer_contact_phone(product.producer)
    form = order_form or OrderForm(variants=variants, moq=product.moq)
    return render(
        request,
        "storefront/product.html",
        {
            "product": product,
            "variants": variants,
            "variant_rows": [(variant, variant_label(variant)) for variant in variants],
            "photos": photos,
            "producer": product.producer,
            "phone": phone,
            "order_form": form,
            "order_text": order_message(
                product=product, url=share["canonical_url"], variant="{variant}", quantity="{quantity}"
            ),
            "whatsapp_url": whatsapp_url(phone, ""),
        }
        | share,
        status=400 if order_form is not None else 200,
    )


@require_GET
@public_page_cache
def product_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return _product_page(request, _product_or_404(slug))


@require_GET
def product_order(request: HttpRequest, slug: str) -> HttpResponse:
    """The order form's target without JavaScript: a redirect to WhatsApp naming the variant and quantity.

    A bad choice or quantity shows the product page again with the form's message.
    """
    product = _product_or_404(slug)
    phone = selectors.producer_contact_phone(product.producer)
    if not phone:
        raise Http404(_("This producer takes no orders over WhatsApp."))
    form = OrderForm(request.GET, variants=list(product.variants.all()), moq=product.moq)
    if not form.is_valid():
        return _product_page(request, product, form)
    product_url = _share_context(request, reverse("storefront:product", args=[product.slug]))["canonical_url"]
    message = order_message(
        product=product, url=product_url, variant=variant_label(form.variant), quantity=form.cleaned_data["jumlah"]
    )
    return HttpResponseRedirect(whatsapp_url(phone, message))


@require_GET
@public_page_cache
def producer_list(request: HttpRequest) -> HttpResponse:
    producers = list(selectors.producer_list_public())
    return render(request, "storefront/producers.html", {"producers": producers} | _share_context(request))


@require_GET
@public_page_cache
def producer_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        producer = selectors.producer_get_public(slug=slug)
    except Producer.DoesNotExist as exc:
        raise Http404(_("This producer does not exist.")) from exc
    share = _share_context(request)
    phone = selectors.producer_contact_phone(producer)
    message = _("Hello %(name)s, I saw your products on Binakarya (%(url)s)") % {
        "name": producer.name,
        "url": share["canonical_url"],
    }
    return render(
        request,
        "storefront/producer.html",
        {
            "producer": producer,
            "products": selectors.producer_products_public(producer=producer),
            "phone": phone,
            "whatsapp_url": whatsapp_url(phone, message),
        }
        | share,
    )


@require_GET
@public_page_cache
def trace(request: HttpRequest, code: str) -> HttpResponse:
    """The page a hang tag's QR code opens: the product, the group and facility, never the makers."""
    try:
        lot = lot_get_public(code=code)
    except Lot.DoesNotExist as exc:
        raise Http404(_("No lot has this code. Check the code on the tag.")) from exc
    return render(request, "storefront/trace.html", {"lot": lot} | _share_context(request))


@require_GET
def verify_lookup(request: HttpRequest) -> HttpResponse:
    code = normalize_code(request.GET.get("kode", ""))
    if code:
        return redirect("storefront:verify", code=code)
    return render(request, "storefront/verify.html", {"document": None, "code": ""})


@require_GET
def verify(request: HttpRequest, code: str) -> HttpResponse:
    """Shows what a document is, who issued it, when, and its key figures; a forged code is not found."""
    try:
        document = document_get_public(code=code)
    except Document.DoesNotExist:
        return render(request, "storefront/verify.html", {"document": None, "code": code}, status=404)
    return render(request, "storefront/verify.html", {"document": document, "code": document.verify_code})


@require_GET
@public_page_cache
def impact(request: HttpRequest, slug: str) -> HttpResponse:
    """A facility's or producer's public impact in a year (``?tahun=``, this year by default), with a
    chart and a table per month: aggregates only, never a maker."""
    try:
        organization = organization_selectors.organization_get(slug=slug, kinds=organization_selectors.BOOK_KINDS)
    except Organization.DoesNotExist as exc:
        raise Http404(_("This organization does not exist.")) from exc
    years = sales_selectors.public_impact_years(organization=organization)
    raw_year = request.GET.get("tahun", "")
    year = years[0] if not raw_year else int(raw_year) if raw_year.isdigit() and len(raw_year) == 4 else 0
    if year not in years:
        raise Http404(_("There are no figures for this year."))
    months = sales_selectors.public_impact_months(organization=organization, year=year)
    return render(
        request,
        "storefront/impact.html",
        {
            "organization": organization,
            "impact": sales_selectors.public_impact(organization=organization, year=year),
            "year": year,
            "years": years,
            "chart": impact_chart(year=year, months=months),
        }
        | _share_context(request),
    )
