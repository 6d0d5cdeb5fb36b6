"""The sales staff's deal pages (pengadaan/kontrak/): the pipeline from request to payment (the next step of
each deal; deals needed soon or overdue stand out), accepting a quotation with the buyer's purchase order, one
deal with its documents, and the forms for a delivery (surat jalan), the BAST, the invoice, a payment and
cancelling.

Only staff who record sales open them; another seller's deal is a 404. Writes go through ``deals.services``;
a request that contradicts the deal (more than ordered, paid twice) is shown next to the form, and nothing is
saved. Nothing here shows a maker.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from binakarya.backoffice.common import add_service_errors, get_or_404, paginate, pdf_response, site_base_url
from binakarya.backoffice.deals import deal_forms
from binakarya.backoffice.deals.views import _require_pages
from binakarya.deals import selectors
from binakarya.deals import services as deal_services
from binakarya.deals.models import Deal
from binakarya.deals.printing import deal_document_pdf
from binakarya.inventory.selectors import stock_move_locations_for


def _deal(request: HttpRequest, number: str) -> Deal:
    _require_pages(request.user)
    return get_or_404(selectors.deal_get, user=request.user, number=number)


def _render(request: HttpRequest, template: str, context: dict[str, Any], form: Any = None) -> HttpResponse:
    failed = request.method == "POST" and form is not None and bool(form.errors)
    return render(request, template, {"section": "deals", **context}, status=400 if failed else 200)


@login_required
@require_GET
def pipeline(request: HttpRequest) -> HttpResponse:
    user = request.user
    _require_pages(user)
    status = request.GET.get("status", "")
    if status not in Deal.Status.values:
        status = ""
    page = paginate(request, selectors.deals_for(user=user, status=status))
    counts = selectors.deal_pipeline(user=user)
    stages = [
        ("RFQ", _("Requests"), counts["RFQ"]),
        ("QUOTED", _("Quoted"), counts["QUOTED"]),
        *[(value, str(Deal.Status(value).label), counts[value]) for value in selectors.PIPELINE[2:]],
    ]
    return render(
        request,
        "backoffice/deal_pipeline.html",
        {
            "section": "deals",
            "page": page,
            "rows": selectors.deal_rows(deals=page.object_list),
            "stages": stages,
            "status": status,
            "statuses": Deal.Status.choices,
            "base_query": f"status={status}" if status else "",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def accept(request: HttpRequest, number: str) -> HttpResponse:
    """The buyer's purchase order for a quotation: the deal, and the contract document its value needs."""
    user = request.user
    _require_pages(user)
    quotation = get_or_404(selectors.quotation_get, user=user, number=number)
    if hasattr(quotation, "deal"):
        return redirect("backoffice:deal", number=quotation.deal.number)
    if request.method == "POST":
        form = deal_forms.AcceptForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                deal = deal_services.quotation_accept(
                    actor=user,
                    quotation=quotation,
                    po_number=data["po_number"],
                    po_date=data["po_date"],
                    channel=data["channel"],
                    platform=data["platform"],
                    needed_by=data["needed_by"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Deal %(number)s recorded.") % {"number": deal.number})
                return redirect("backoffice:deal", number=deal.number)
    else:
        form = deal_forms.AcceptForm(initial={"po_date": timezone.localdate()})
    return _render(request, "backoffice/deal_accept.html", {"quotation": quotation, "form": form}, form)


def _context(deal: Deal, **forms: Any) -> dict[str, Any]:
    today = timezone.localdate()
    lines = list(deal.lines.all())
    open_ = deal.status != Deal.Status.CANCELLED
    return {
        "section": "deals",
        "deal": deal,
        "lines": lines,
        "can_deliver": open_ and any(line.delivered < line.quantity for line in lines),
        "can_hand_over": open_ and any(line.handed_over < line.delivered for line in lines),
        "next": selectors.deal_next_step(deal=deal),
        "urgency": selectors.deal_urgency(deal=deal),
        "receivable_idr": selectors.deal_receivable(deal=deal),
        "documents": selectors.deal_documents(deal=deal),
        "invoice_form": deal_forms.InvoiceForm(initial={"issued_on": today}),
        "payment_form": deal_forms.PaymentForm(initial={"paid_on": today}),
        "cancel_form": deal_forms.CancelForm(),
        **forms,
    }


@login_required
@require_GET
def deal_detail(request: HttpRequest, number: str) -> HttpResponse:
    return render(request, "backoffice/deal.html", _context(_deal(request, number)))


@login_required
@require_http_methods(["GET", "POST"])
def delivery(request: HttpRequest, number: str) -> HttpResponse:
    deal = _deal(request, number)
    lines = list(deal.lines.all())
    locations = stock_move_locations_for(user=request.user, organization=deal.organization)
    if request.method == "POST":
        form = deal_forms.DeliveryForm(request.POST, lines=lines, locations=locations)
        if form.is_valid():
            data = form.cleaned_data
            try:
                done = deal_services.delivery_record(
                    actor=request.user,
                    deal=deal,
                    lines=[deal_services.DealLineInput(*q) for q in form.quantities()],
                    from_location=data["from_location"],
                    delivered_on=data["delivered_on"],
                    vehicle=data["vehicle"],
                    driver=data["driver"],
                    note=data["note"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Delivery %(number)s recorded.") % {"number": done.number})
                return redirect("backoffice:deal", number=deal.number)
    else:
        form = deal_forms.DeliveryForm(lines=lines, locations=locations, initial={"delivered_on": timezone.localdate()})
    return _render(request, "backoffice/deal_delivery.html", {"deal": deal, "form": form}, form)


@login_required
@require_http_methods(["GET", "POST"])
def handover(request: HttpRequest, number: str) -> HttpResponse:
    deal = _deal(request, number)
    lines = list(deal.lines.all())
    if request.method == "POST":
        form = deal_forms.HandoverForm(request.POST, lines=lines)
        if form.is_valid():
            data = form.cleaned_data
            try:
                done = deal_services.handover_record(
                    actor=request.user,
                    deal=deal,
                    signatories=[deal_services.Signatory(*person) for person in form.signatories()],
                    handed_over_on=data["handed_over_on"],
                    lines=[deal_services.DealLineInput(*q) for q in form.quantities()],
                    place=data["place"],
                    note=data["note"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("BAST %(number)s recorded.") % {"number": done.number})
                return redirect("backoffice:deal", number=deal.number)
    else:
        form = deal_forms.HandoverForm(
            lines=lines,
            initial={"handed_over_on": timezone.localdate(), "place": deal.delivery_place[:200]},
        )
    return _render(request, "backoffice/deal_handover.html", {"deal": deal, "form": form}, form)


def _detail_with(request: HttpRequest, deal: Deal, **forms: Any) -> HttpResponse:
    """The deal's page again, with the form that failed (status 400)."""
    return render(request, "backoffice/deal.html", _context(deal, **forms), status=400)


@login_required
@require_POST
def invoice(request: HttpRequest, number: str) -> HttpResponse:
    deal = _deal(request, number)
    form = deal_forms.InvoiceForm(request.POST)
    if form.is_valid():
        try:
            done = deal_services.deal_invoice_issue(
                actor=request.user,
                deal=deal,
                issued_on=form.cleaned_data["issued_on"],
                due_days=form.cleaned_data["due_days"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(title)s issued.") % {"title": done.document.title})
            return redirect("backoffice:deal", number=deal.number)
    return _detail_with(request, deal, invoice_form=form)


@login_required
@require_POST
def payment(request: HttpRequest, number: str) -> HttpResponse:
    deal = _deal(request, number)
    form = deal_forms.PaymentForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            deal_services.deal_payment_record(
                actor=request.user,
                deal=deal,
                amount_idr=data["amount"],
                paid_on=data["paid_on"],
                method=data["method"],
                reference=data["reference"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc, field_map={"amount_idr": "amount"})
        else:
            messages.success(request, _("Payment recorded."))
            return redirect("backoffice:deal", number=deal.number)
    return _detail_with(request, deal, payment_form=form)


@login_required
@require_POST
def cancel(request: HttpRequest, number: str) -> HttpResponse:
    deal = _deal(request, number)
    form = deal_forms.CancelForm(request.POST)
    if form.is_valid():
        try:
            deal_services.deal_cancel(actor=request.user, deal=deal, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Deal %(number)s cancelled.") % {"number": deal.number})
            return redirect("backoffice:deal", number=deal.number)
    return _detail_with(request, deal, cancel_form=form)


@login_required
@require_GET
def document_pdf(request: HttpRequest, number: str, document: str) -> HttpResponse:
    deal = _deal(request, number)
    found = get_or_404(selectors.deal_document, deal=deal, number=document)
    return pdf_response(deal_document_pdf(found=found, base_url=site_base_url(request)), f"{found.document.number}.pdf")
