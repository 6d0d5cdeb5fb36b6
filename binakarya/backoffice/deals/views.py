"""The sales staff's procurement pages (pengadaan/): requests for quotation (those needed soon or overdue
stand out), one request, making a quotation from it, the quotation with its lead time, capacity, capital
needed and contract document, its PDF, and the seller's PPN settings.

Only staff who record sales open them (``access.records_sales``); a request or quotation of another seller is
a 404. Writes go through ``deals.services``. Nothing here shows a maker.
"""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from binakarya.backoffice.access import records_sales
from binakarya.backoffice.common import add_service_errors, get_or_404, paginate, pdf_response, site_base_url
from binakarya.backoffice.deals import forms, sizes
from binakarya.backoffice.fields import basis_points
from binakarya.core.types import Actor
from binakarya.deals import selectors
from binakarya.deals import services as deal_services
from binakarya.deals.models import Rfq
from binakarya.documents import renderers


def _require_pages(user: Actor) -> None:
    if not records_sales(user):
        raise PermissionDenied(_("Only the seller's staff who record sales open the procurement pages."))


@login_required
@require_GET
def rfq_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    _require_pages(user)
    status = request.GET.get("status", "")
    if status not in Rfq.Status.values:
        status = ""
    page = paginate(request, selectors.rfqs_for(user=user, status=status))
    return render(
        request,
        "backoffice/deal_rfqs.html",
        {
            "section": "deals",
            "page": page,
            "rows": selectors.rfq_rows(rfqs=page.object_list),
            "status": status,
            "statuses": Rfq.Status.choices,
            "base_query": f"status={status}" if status else "",
            "quotations": selectors.quotations_for(user=user)[:10],
            "rules": selectors.contract_rules_in_force(),
        },
    )


@login_required
@require_GET
def rfq_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_pages(request.user)
    rfq = get_or_404(selectors.rfq_get, user=request.user, pk=pk)
    (row,) = selectors.rfq_rows(rfqs=[rfq])
    return render(
        request,
        "backoffice/deal_rfq.html",
        {
            "section": "deals",
            "rfq": rfq,
            "row": row,
            "quotations": list(rfq.quotations.all()),
            "size_lists": sizes.rfq_size_summary(user=request.user, rfq=rfq),
        },
    )


def _row_count(request: HttpRequest, default: int) -> int:
    try:
        rows = int(request.POST.get("rows", default))
    except ValueError:
        rows = default
    return rows + 1 if "_add_line" in request.POST else rows


@login_required
@require_http_methods(["GET", "POST"])
def quotation_create(request: HttpRequest, pk: int) -> HttpResponse:
    """A quotation from the request: its catalog lines come filled with their SKU, quantity and list price;
    free descriptions become empty rows to price with one of the seller's SKUs."""
    user = request.user
    _require_pages(user)
    rfq = get_or_404(selectors.rfq_get, user=user, pk=pk)
    settings = selectors.tax_settings_for(organization=rfq.organization)
    lines = list(rfq.lines.all())
    if request.method == "GET":
        initial: dict[str, object] = {"buyer": rfq.agency, "valid_days": settings.valid_days, "discount": Decimal(0)}
        for i, line in enumerate(lines):
            if line.variant is not None:
                initial |= {f"sku_{i}": line.variant.sku, f"price_{i}": line.variant.price_idr}
            initial[f"quantity_{i}"] = line.quantity
        initial, filled = sizes.quote_initial(user=user, rfq=rfq, initial=initial, rows=len(lines))
        form = forms.QuotationForm(initial=initial, rows=filled + 1)
    else:
        form = forms.QuotationForm(request.POST, rows=_row_count(request, len(lines) + 1))
        if "_add_line" not in request.POST and form.is_valid():
            data = form.cleaned_data
            try:
                quotation = sizes.quotation_issue(  # covers the request's size lists, if any
                    actor=user,
                    buyer=data["buyer"],
                    lines=[deal_services.QuotationLineInput(*line) for line in form.lines()],
                    valid_days=data["valid_days"],
                    discount_bp=basis_points(data["discount"]),
                    rfq=rfq,
                    note=data["note"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc, field_map={"discount": "discount"})
            else:
                messages.success(request, _("Quotation %(number)s issued.") % {"number": quotation.number})
                return redirect("backoffice:deal_quotation", number=quotation.number)
    return render(
        request,
        "backoffice/deal_quote.html",
        {
            "section": "deals",
            "rfq": rfq,
            "lines": lines,
            "form": form,
            "settings": settings,
            "size_lists": sizes.rfq_size_summary(user=user, rfq=rfq),
        },
        status=400 if request.method == "POST" and form.errors else 200,
    )


@login_required
@require_GET
def quotation_detail(request: HttpRequest, number: str) -> HttpResponse:
    _require_pages(request.user)
    quotation = get_or_404(selectors.quotation_get, user=request.user, number=number)
    return render(
        request,
        "backoffice/deal_quotation.html",
        {
            "section": "deals",
            "quotation": quotation,
            "lines": list(quotation.lines.all()),
            "discount_percent": quotation.discount_bp / 100,
            "ppn_percent": quotation.ppn_rate_bp / 100,
            "fund_short_idr": max(quotation.capital_needed_idr - max(quotation.capital_fund_idr, 0), 0),
            "size_lists": sizes.quotation_size_summary(user=request.user, quotation=quotation),
        },
    )


@login_required
@require_GET
def quotation_pdf(request: HttpRequest, number: str) -> HttpResponse:
    _require_pages(request.user)
    quotation = get_or_404(selectors.quotation_get, user=request.user, number=number)
    pdf = renderers.quotation_pdf(quotation=quotation, base_url=site_base_url(request))
    return pdf_response(pdf, f"{quotation.number}.pdf")


@login_required
@require_http_methods(["GET", "POST"])
def tax_settings(request: HttpRequest) -> HttpResponse:
    """Whether each seller charges PPN on its quotations, at which rate, and their usual validity."""
    user = request.user
    _require_pages(user)
    organizations = selectors.deal_organizations_for(user=user)
    if request.method == "POST":
        form = forms.TaxSettingsForm(request.POST, organizations=organizations)
        if form.is_valid():
            data = form.cleaned_data
            try:
                deal_services.tax_settings_update(
                    actor=user,
                    organization=data["organization"],
                    ppn_enabled=data["ppn_enabled"],
                    ppn_rate_bp=basis_points(data["ppn_rate"]),
                    valid_days=data["valid_days"],
                    recognition=data["recognition"],
                    payment_days=data["payment_days"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc, field_map={"ppn_rate": "ppn_rate"})
            else:
                messages.success(request, _("Settings saved."))
                return redirect("backoffice:deal_rfqs")
    else:
        first = organizations.first()
        current = selectors.tax_settings_for(organization=first) if first else None
        form = forms.TaxSettingsForm(
            organizations=organizations,
            initial={
                "ppn_enabled": current.ppn_enabled if current else False,
                "ppn_rate": Decimal(current.ppn_rate_bp if current else 1100) / 100,
                "valid_days": current.valid_days if current else 14,
                "recognition": current.recognition if current else "BAST",
                "payment_days": current.payment_days if current else 30,
            },
        )
    return render(
        request,
        "backoffice/deal_settings.html",
        {"section": "deals", "form": form},
        status=400 if request.method == "POST" else 200,
    )
