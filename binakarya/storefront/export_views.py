"""Public pages for export buyers (issue 13): the export inquiry form, its acknowledgement, and the buyer's own
page (a secret link) with the pro-forma invoice and packing list once issued. Thin views over exports'
selectors and services; nothing here reaches makers' data. See docs/export.md."""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from binakarya.accounts.throttle import client_ip
from binakarya.catalog.models import Variant
from binakarya.exports import renderers
from binakarya.exports import selectors as export_selectors
from binakarya.exports import services as export_services
from binakarya.exports.countries import country_choices, country_name
from binakarya.exports.models import ExportInquiry
from binakarya.exports.throttle import inquiry_attempt
from binakarya.storefront import cart
from binakarya.storefront.export_forms import ExportInquiryForm


def _language() -> str:
    return "en" if (get_language() or "").startswith("en") else "id"


def _product_choices(variants: list[Variant], language: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """The exportable variants grouped by seller: "Dragon kite (min. 20) · SMP-LYG-001"."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for variant in variants:
        label = _("%(product)s (min. %(moq)s) · %(sku)s") % {
            "product": export_selectors.variant_label(variant, language),
            "moq": f"{export_selectors.export_minimum(variant):,}",
            "sku": variant.sku,
        }
        groups.setdefault(variant.organization.name, []).append((variant.sku, label))
    return list(groups.items())


def _rows(request: HttpRequest) -> int:
    try:
        rows = int(request.POST.get("rows", 2))
    except ValueError:
        rows = 2
    return rows + 1 if "_add_line" in request.POST else rows


def _attach(form: ExportInquiryForm, exc: ValidationError) -> list[str]:
    """The service's messages next to their fields; those about the lines above the form."""
    top: list[str] = []
    if not hasattr(exc, "error_dict"):
        return [str(message) for message in exc.messages]
    for field, errors in exc.error_dict.items():
        texts = [message for error in errors for message in error.messages]
        if field in form.fields:
            for text in texts:
                form.add_error(field, text)
        else:
            top.extend(texts)
    return top


@require_http_methods(["GET", "POST"])
@cart.private_page
def inquiry_form(request: HttpRequest) -> HttpResponse:
    """The export inquiry, in the page's language, without JavaScript: "Add a product" posts the form back with
    one more row; ``?sku=`` fills the first row with the product and its export minimum. Each address may send
    EXPORTS_PUBLIC_INQUIRY_RATE of them (shared with POST /api/v1/export-inquiries)."""
    language = _language()
    variants = export_selectors.exportable_variants()
    products = _product_choices(variants, language)
    countries = country_choices(language)
    status = 200
    top: list[str] = []
    if request.method == "GET":
        sku = request.GET.get("sku", "")[:40]
        chosen = next((v for v in variants if v.sku == sku), None)
        initial: dict[str, Any] = {}
        if chosen is not None:
            initial = {"sku_0": chosen.sku, "quantity_0": export_selectors.export_minimum(chosen)}
        form = ExportInquiryForm(initial=initial, products=products, countries=countries)
    else:
        form = ExportInquiryForm(request.POST, products=products, countries=countries, rows=_rows(request))
        if "_add_line" in request.POST:
            pass
        elif inquiry_attempt(address=client_ip(request) or "") is not None:
            top.append(_("Too many requests from your address. Wait a moment and try again."))
            status = 429
        elif form.is_valid():
            data = form.cleaned_data
            try:
                inquiry = export_services.inquiry_submit(
                    actor=request.user if request.user.is_authenticated else None,
                    buyer=export_services.Buyer(data["company"], data["name"], data["email"], data["phone"]),
                    country=data["country"],
                    incoterm=data["incoterm"],
                    place=data["place"],
                    lines=[export_services.InquiryLineInput(sku, quantity) for sku, quantity in form.lines()],
                    note=data["note"],
                    language=language,
                )
            except ValidationError as exc:
                top = _attach(form, exc)
                status = 400
            else:
                request.session["export_inquiry_sent"] = {
                    "number": inquiry.number,
                    "seller": inquiry.organization.name,
                    "token": inquiry.token,
                    "email": inquiry.contact_email,
                }
                return redirect("storefront:export_inquiry_sent")
        else:
            status = 400
    return render(
        request,
        "storefront/export_inquiry.html",
        {"form": form, "top_errors": top, "has_products": bool(products)},
        status=status,
    )


@require_GET
@cart.private_page
def inquiry_sent(request: HttpRequest) -> HttpResponse:
    """The number and the buyer's link, read from the session (never from the URL)."""
    sent = request.session.get("export_inquiry_sent")
    if not isinstance(sent, dict):
        return redirect("storefront:export_inquiry")
    return render(request, "storefront/export_inquiry_sent.html", {"sent": sent})


def _inquiry_or_404(token: str) -> ExportInquiry:
    try:
        return export_selectors.inquiry_by_token(token=token)
    except ExportInquiry.DoesNotExist as exc:
        raise Http404(_("No inquiry has this link. Check the address.")) from exc


@require_GET
@cart.private_page
def buyer_documents(request: HttpRequest, token: str) -> HttpResponse:
    """The buyer's secret page: the inquiry as sent, its status, and each issued pro-forma with its packing list."""
    inquiry = _inquiry_or_404(token)
    language = _language()
    return render(
        request,
        "storefront/export_documents.html",
        {
            "inquiry": inquiry,
            "country": country_name(inquiry.country, language),
            "lines": [(line, export_selectors.variant_label(line.variant, language)) for line in inquiry.lines.all()],
            "proformas": list(inquiry.proformas.all()),
        },
    )


@require_GET
@cart.private_page
def buyer_document_pdf(request: HttpRequest, token: str, number: str) -> HttpResponse:
    """One of the buyer's documents as a PDF: a pro-forma invoice (PI-…) or its packing list (PL-…)."""
    inquiry = _inquiry_or_404(token)
    base_url = request.build_absolute_uri("/").rstrip("/")
    for proforma in inquiry.proformas.all():
        if number == proforma.number:
            pdf = renderers.proforma_pdf(proforma=proforma, base_url=base_url)
        elif number == proforma.packing_list.number:
            pdf = renderers.packing_list_pdf(proforma=proforma, base_url=base_url)
        else:
            continue
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{number}.pdf"'
        return response
    raise Http404(_("This document does not belong to this inquiry."))
