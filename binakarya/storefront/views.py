"""Public storefront: thin views over catalog selectors. Nothing here may reach makers' data."""

import datetime
import secrets
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, translate_url
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from binakarya.accounts.throttle import client_ip
from binakarya.catalog import export_selectors, selectors
from binakarya.catalog.models import Producer, Product, Variant
from binakarya.core.cache import public_page_cache
from binakarya.core.codes import normalize_code
from binakarya.core.exports import CONTENT_TYPES
from binakarya.core.phone import whatsapp_url
from binakarya.core.types import HtmxHttpRequest
from binakarya.deals import selectors as deal_selectors
from binakarya.deals import services as deal_services
from binakarya.deals import size_selectors
from binakarya.deals import sizes as size_services
from binakarya.deals.models import Rfq, SizeList
from binakarya.deals.size_sheets import MAX_BYTES, SizeListRefused
from binakarya.deals.throttle import rfq_attempt
from binakarya.documents.models import Document
from binakarya.documents.selectors import document_get_public
from binakarya.orders import selectors as order_selectors
from binakarya.orders import services as order_services
from binakarya.orders.idempotency import IdempotencyConflict, IdempotencyInFlight, idempotent, request_hash
from binakarya.orders.models import Order, Payment
from binakarya.organizations import selectors as organization_selectors
from binakarya.organizations.models import Organization
from binakarya.production.models import Lot
from binakarya.production.selectors import lot_get_public
from binakarya.programs.selectors import impact_programs
from binakarya.sales import selectors as sales_selectors
from binakarya.storefront import cart
from binakarya.storefront.charts import impact_chart
from binakarya.storefront.forms import (
    CartAddForm,
    CartUpdateForm,
    CatalogFilterForm,
    CheckoutForm,
    OrderForm,
    ProofForm,
    RfqForm,
    variant_label,
)


def _share_context(request: HttpRequest, path: str = "") -> dict[str, Any]:
    """Canonical and alternate-language links for the current page (or for ``path``)."""
    canonical = request.build_absolute_uri(path or request.path)
    return {
        "canonical_url": canonical,
        "alternates": [(code, translate_url(canonical, code)) for code, _name in settings.LANGUAGES],
        "og_locale": "en_US" if get_language() == "en" else "id_ID",
    }


@require_GET
@cart.private_with_cart
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
@cart.private_with_cart
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
    # Export (issue 13): indicative foreign prices (one query, only when shown) and the export data.
    currencies = export_selectors.display_currencies(
        language=get_language() or "", chosen=request.GET.get("currency", "")
    )
    export = export_selectors.export_profile_loaded(product=product)
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
            "indicative_prices": export_selectors.indicative_prices(product=product, currencies=currencies)
            if currencies
            else [],
            "export": export,
            "export_certifications": export_selectors.certification_labels(export) if export else [],
        }
        | share,
        status=400 if order_form is not None else 200,
    )


@require_GET
@cart.private_with_cart
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
@cart.private_with_cart
@public_page_cache
def producer_list(request: HttpRequest) -> HttpResponse:
    producers = list(selectors.producer_list_public())
    return render(request, "storefront/producers.html", {"producers": producers} | _share_context(request))


@require_GET
@cart.private_with_cart
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
@cart.private_with_cart
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
    period = [_iso_date(document.public_figures.get(key)) for key in ("period_start", "period_end")]
    return render(
        request,
        "storefront/verify.html",
        {"document": document, "code": document.verify_code, "period": period if all(period) else None},
    )


def _iso_date(value: object) -> datetime.date | None:
    """A date the document stored as YYYY-MM-DD in its public figures, to show in the reader's language."""
    try:
        return datetime.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


@require_GET
@cart.private_with_cart
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
            # A facility's programs (issue 15), counts only; a producer's page has none.
            "programs": impact_programs(organization=organization, year=year)
            if organization.kind == Organization.Kind.FACILITY
            else None,
        }
        | _share_context(request),
    )


# Buying: cart, checkout, confirmation, tracking ------------------------------------------------------------


def _same_origin(request: HttpRequest) -> bool:
    """A browser's word that a POST comes from this site (the add-to-cart form sits on cached pages, without a
    CSRF token: one would set a cookie and keep the page out of the cache)."""
    if request.headers.get("Sec-Fetch-Site", "") in ("cross-site", "same-site"):
        return False
    origin = request.headers.get("Origin", "")
    if origin and origin != "null":
        return urlsplit(origin).netloc == request.get_host()
    return True


def _cart_context(request: HttpRequest, lines: dict[str, int]) -> dict[str, Any]:
    view = order_selectors.cart_view(lines=lines)
    return {"cart": view, "cart_count": view.count}


def _cart_response(request: HtmxHttpRequest) -> HttpResponse:
    lines = cart.cart_lines(request)
    context = _cart_context(request, lines)
    if context["cart"].missing:
        # Products no longer sold leave the cart, with a word to say so.
        cart.cart_remove(request, context["cart"].missing)
        context["removed"] = context["cart"].missing
    template = "storefront/includes/cart_body.html" if request.htmx else "storefront/cart.html"
    return render(request, template, context)


@require_GET
@cart.private_page
def cart_page(request: HtmxHttpRequest) -> HttpResponse:
    return _cart_response(request)


@csrf_exempt
@require_POST
@cart.private_page
def cart_add(request: HtmxHttpRequest) -> HttpResponse:
    """ "Tambah ke keranjang" from a product page: the chosen SKU and quantity join the cart."""
    if not _same_origin(request):
        return render(request, "403.html", status=403)
    form = CartAddForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a variant and a quantity between 1 and 1.000."))
        return redirect("storefront:cart")
    sku = cart.clean_sku(form.cleaned_data["sku"])
    lines = cart.cart_add(request, sku, form.cleaned_data["quantity"])
    found = order_selectors.cart_view(lines={sku: lines.get(sku, 1)})
    if not found.sellers:
        cart.cart_set(request, sku, 0)
        messages.error(request, _("This product is not for sale (any more)."))
        return redirect("storefront:cart")
    item = found.sellers[0].items[0]
    messages.success(request, _("%(product)s is in your cart.") % {"product": item.product_name})
    return redirect("storefront:cart")


@require_POST
@cart.private_page
def cart_update(request: HtmxHttpRequest) -> HttpResponse:
    """Change a line's units (−, +, a number) or remove it; the cart fragment with htmx, else back to the cart."""
    form = CartUpdateForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        quantity = 0 if data["remove"] else data["to"] if data["to"] is not None else data["quantity"]
        if quantity is not None:
            cart.cart_set(request, data["sku"], quantity)
    elif not request.htmx:
        messages.error(request, _("Type a quantity between 0 and 1.000."))
    if request.htmx:
        return _cart_response(request)
    return redirect("storefront:cart")


CHECKOUTS_KEPT = 10


def _remember_checkout(request: HttpRequest, key: str, checkout_token: str) -> None:
    done = request.session.get("checkouts")
    done = dict(done) if isinstance(done, dict) else {}
    done[key] = checkout_token
    request.session["checkouts"] = dict(list(done.items())[-CHECKOUTS_KEPT:])


def _place(form: CheckoutForm, lines: dict[str, int], language: str) -> dict[str, Any]:
    data = form.cleaned_data
    placed = order_services.orders_place(
        lines=[order_services.CartLine(sku=sku, quantity=quantity) for sku, quantity in sorted(lines.items())],
        buyer=order_services.Buyer(name=data["name"], phone=data["phone"], email=data["email"]),
        fulfillment=data["fulfillment"],
        address=order_services.Address(**{name: data[name] for name in CheckoutForm.ADDRESS_FIELDS}),
        channel=Order.Channel.WEB,
        note=data["note"],
        language=language,
    )
    return {"checkout": placed[0].checkout_token, "orders": [order.number for order in placed]}


def _checkout_page(
    request: HttpRequest, form: CheckoutForm, lines: dict[str, int], top_errors: list[str], status: int = 200
) -> HttpResponse:
    context = _cart_context(request, lines) | {"form": form, "top_errors": top_errors}
    return render(request, "storefront/checkout.html", context, status=status)


@require_http_methods(["GET", "POST"])
@cart.private_page
def checkout(request: HttpRequest) -> HttpResponse:
    """The buyer's details and the fulfillment; placing the cart is idempotent (a double click places once)."""
    lines = cart.cart_lines(request)
    if request.method == "GET":
        if not lines:
            return redirect("storefront:cart")
        form = CheckoutForm(initial={"idempotency_key": secrets.token_urlsafe(24), "fulfillment": "DELIVERY"})
        return _checkout_page(request, form, lines, [])
    form = CheckoutForm(request.POST)
    key = request.POST.get("idempotency_key", "")
    done = request.session.get("checkouts")
    if isinstance(done, dict) and key in done:
        # A refresh or a retry after the orders were placed (the cart is empty by now): the same orders.
        return redirect("storefront:checkout_done", checkout_token=done[key])
    if not form.is_valid():
        return _checkout_page(request, form, lines, [], status=400)
    if not lines:
        return _checkout_page(request, form, lines, [_("Your cart is empty.")], status=400)
    digest = request_hash(form.payload(lines))
    try:
        answer, _replayed = idempotent(
            scope="checkout",
            key=form.cleaned_data["idempotency_key"],
            digest=digest,
            run=lambda: _place(form, lines, get_language() or settings.LANGUAGE_CODE),
        )
    except IdempotencyConflict as exc:
        return _checkout_page(request, form, lines, [str(exc.message)], status=409)
    except IdempotencyInFlight:
        return _checkout_page(
            request, form, lines, [_("Your order is being placed. Wait a moment, then refresh this page.")], status=409
        )
    except ValidationError as exc:
        top = _place_errors(form, exc)
        return _checkout_page(request, form, lines, top, status=400)
    cart.cart_clear(request)
    _remember_checkout(request, form.cleaned_data["idempotency_key"], answer["checkout"])
    return redirect("storefront:checkout_done", checkout_token=answer["checkout"])


def _place_errors(form: CheckoutForm | RfqForm, exc: ValidationError) -> list[str]:
    """The service's errors next to their fields; the cart's (stock, a closed seller, a SKU) above the form."""
    top: list[str] = []
    if not hasattr(exc, "error_dict"):
        return [str(message) for message in exc.messages]
    for field, errors in exc.error_dict.items():
        texts = [message for error in errors for message in error.messages]
        if field in form.fields and field != "idempotency_key":
            for text in texts:
                form.add_error(field, text)
        else:
            top.extend(texts)
    return top


def _fee_pending(order: Order) -> bool:
    return order.shipping_pending and order.status == Order.Status.AWAITING_PAYMENT


def _order_rows(orders: list[Order]) -> list[dict[str, Any]]:
    rows = []
    for order in orders:
        instructions = order_selectors.order_instructions(order=order)
        rows.append(
            {
                "order": order,
                "lines": list(order.lines.all()),
                "instructions": instructions if _may_send_proof(order) or _fee_pending(order) else None,
                "methods": [method for method in instructions.methods if method.ready],
            }
        )
    return rows


@require_GET
@cart.private_page
def checkout_done(request: HttpRequest, checkout_token: str) -> HttpResponse:
    """Every order of one checkout (one per seller), each with how to pay it and its tracking link."""
    orders = order_selectors.orders_by_checkout(checkout_token=checkout_token)
    if not orders:
        raise Http404(_("No order has this link. Check the address."))
    return render(request, "storefront/checkout_done.html", {"rows": _order_rows(orders)})


def _order_or_404(token: str) -> Order:
    try:
        return order_selectors.order_by_token(token=token)
    except Order.DoesNotExist as exc:
        raise Http404(_("No order has this link. Check the address.")) from exc


def _may_send_proof(order: Order) -> bool:
    """Money is due: the order awaits payment (with its fee known), it expired unpaid, or a balance is left."""
    if order.status in (Order.Status.CANCELLED, Order.Status.COMPLETED):
        return False
    if order.shipping_pending:
        return False
    if order.status in (Order.Status.AWAITING_PAYMENT, Order.Status.EXPIRED):
        return True
    return order.made_to_order and order.balance_idr > 0


def _track_page(
    request: HttpRequest, order: Order, proof_form: ProofForm | None = None, status: int = 200
) -> HttpResponse:
    due = _may_send_proof(order)
    instructions = order_selectors.order_instructions(order=order)
    payments = list(order.payments.all())
    context = {
        "order": order,
        "lines": list(order.lines.all()),
        "timeline": order_selectors.order_timeline(order=order, staff=False),
        "instructions": instructions if (due and instructions.amount_idr > 0) or _fee_pending(order) else None,
        "ready_methods": [method for method in instructions.methods if method.ready],
        "pickup": instructions if order.fulfillment == "PICKUP" else None,
        "proof_form": (proof_form or ProofForm(initial={"amount_idr": instructions.amount_idr or None}))
        if due
        else None,
        "rejected": [p for p in payments if p.status == Payment.Status.REJECTED and p.kind == Payment.Kind.PAYMENT],
        "waiting": [p for p in payments if p.status == Payment.Status.SUBMITTED and p.kind == Payment.Kind.PAYMENT],
        "may_cancel": order.status == Order.Status.AWAITING_PAYMENT,
    }
    return render(request, "storefront/order_track.html", context, status=status)


@require_GET
@cart.private_page
def order_track(request: HttpRequest, token: str) -> HttpResponse:
    """The buyer's secret link: the status, the timeline, how to pay, the proof form and the resi."""
    return _track_page(request, _order_or_404(token))


@require_POST
@cart.private_page
def order_proof(request: HttpRequest, token: str) -> HttpResponse:
    order = _order_or_404(token)
    if not _may_send_proof(order):
        messages.error(request, _("This order takes no proof of payment now."))
        return redirect("storefront:order_track", token=order.token)
    form = ProofForm(request.POST, request.FILES)
    if not form.is_valid():
        return _track_page(request, order, form, status=400)
    try:
        order_services.payment_proof_submit(
            order=order,
            method=form.cleaned_data["method"],
            amount_idr=form.cleaned_data["amount_idr"],
            proof=form.cleaned_data["proof"],
        )
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                target = field if field in form.fields else None
                for error in errors:
                    for text in error.messages:
                        form.add_error(target, text)
        else:
            for text in exc.messages:
                form.add_error(None, text)
        return _track_page(request, order, form, status=400)
    messages.success(request, _("Thank you: your proof of payment was sent. The seller will check it."))
    return redirect("storefront:order_track", token=order.token)


@require_POST
@cart.private_page
def order_cancel(request: HttpRequest, token: str) -> HttpResponse:
    order = _order_or_404(token)
    try:
        order_services.order_cancel(actor=None, order=order, by_buyer=True)
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
    else:
        messages.success(request, _("Your order was cancelled."))
    return redirect("storefront:order_track", token=order.token)


# Requests for quotation (deals) -----------------------------------------------------------------------


def _rfq_rows(request: HttpRequest) -> int:
    try:
        rows = int(request.POST.get("rows", 3))
    except ValueError:
        rows = 3
    return rows + 1 if "_add_line" in request.POST else rows


def _rfq_garments(form: RfqForm, sellers: list[tuple[int, str]]) -> list[Variant]:
    """The garments whose size list template the form offers: those its SKUs name, then the chosen seller's."""
    found = {v.product_id: v for v in size_selectors.public_garments(skus=form.typed_skus())}
    seller = form.typed_seller()
    if seller is not None and seller in {pk for pk, _name in sellers}:
        for variant in size_selectors.public_garments(organization_id=seller):
            found.setdefault(variant.product_id, variant)
    return list(found.values())


def _rfq_sent_summary(rfq: Rfq, size_list: SizeList | None) -> dict[str, Any]:
    sent: dict[str, Any] = {"number": rfq.number, "seller": rfq.organization.name}
    if size_list is not None:
        sent["size_list"] = {
            "product": size_list.product.name,
            "persons": size_list.persons,
            "pieces": size_list.units,
            "sizes": [[t.label, t.quantity] for t in size_selectors.size_list_totals(size_list=size_list)],
        }
    return sent


@require_http_methods(["GET", "POST"])
@cart.private_page
def rfq_form(request: HttpRequest) -> HttpResponse:
    """The public request for quotation, for agencies and bulk buyers (a signed-in buyer uses it too). Works
    without JavaScript; ``?sku=`` fills the first row. Each address may send DEALS_PUBLIC_RFQ_RATE of them.

    A uniform order sends its size list (XLSX) with it: the request and the list are saved together or not at
    all (``deals.sizes.rfq_submit_with_size_list``), and each of the list's problems is listed by row. The page
    links the size list template of each garment its SKUs name or the chosen seller sells."""
    sellers = [(org.pk, org.name) for org in deal_selectors.rfq_sellers()]
    status = 200
    top: list[str] = []
    refused: SizeListRefused | None = None
    if request.method == "GET":
        form = RfqForm(sellers=sellers, initial={"sku_0": request.GET.get("sku", "")[:40]})
    else:
        form = RfqForm(request.POST, request.FILES, sellers=sellers, rows=_rfq_rows(request))
        if "_add_line" in request.POST or "_templates" in request.POST:
            pass
        elif rfq_attempt(address=client_ip(request) or "") is not None:
            top.append(_("Too many requests from your address. Wait a moment and try again."))
            status = 429
        elif form.is_valid():
            data = form.cleaned_data
            seller = next((org for org in deal_selectors.rfq_sellers() if org.pk == data["seller"]), None)
            request_fields: dict[str, Any] = {
                "actor": request.user if request.user.is_authenticated else None,
                "agency": data["agency"],
                "contact": deal_services.Contact(data["name"], data["phone"], data["email"]),
                "lines": [deal_services.RfqLineInput(*line) for line in form.lines()],
                "delivery_place": data["delivery_place"],
                "needed_by": data["needed_by"],
                "seller": seller,
                "note": data["note"],
                "language": get_language() or "",
            }
            upload = data["size_list"]
            try:
                if upload:
                    sized = size_services.rfq_submit_with_size_list(
                        **request_fields, data=upload.read(MAX_BYTES + 1), file_name=upload.name or ""
                    )
                    rfq, size_list = sized.rfq, sized.size_list
                else:
                    rfq, size_list = deal_services.rfq_submit(**request_fields), None
            except ValidationError as exc:
                top = _place_errors(form, exc)
                status = 400
            except size_services.SizedRfqRefused as exc:
                top = _place_errors(form, exc.fields) if exc.fields is not None else []
                refused = exc.size_list
                status = 400
            else:
                request.session["rfq_sent"] = _rfq_sent_summary(rfq, size_list)
                return redirect("storefront:rfq_sent")
        else:
            status = 400
    context = {"form": form, "top_errors": top, "refused": refused, "garments": _rfq_garments(form, sellers)}
    return render(request, "storefront/rfq.html", context, status=status)


@require_GET
@cart.private_page
def rfq_size_template(request: HttpRequest) -> HttpResponse:
    """The size list template (XLSX) of a published garment, ``?sku=`` any of its SKUs, in the page's language."""
    try:
        product = size_selectors.template_product(user=None, sku=request.GET.get("sku", "")[:40])
    except Product.DoesNotExist:
        raise Http404(_("Not found.")) from None
    response = HttpResponse(size_services.size_template(product=product), content_type=CONTENT_TYPES["xlsx"])
    response["Content-Disposition"] = f'attachment; filename="daftar-ukuran-{product.slug}.xlsx"'
    return response


@require_GET
@cart.private_page
def rfq_sent(request: HttpRequest) -> HttpResponse:
    sent = request.session.get("rfq_sent")
    if not isinstance(sent, dict):
        return redirect("storefront:rfq")
    return render(request, "storefront/rfq_sent.html", {"sent": sent})
