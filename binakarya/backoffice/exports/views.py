"""The sales staff's export pages (ekspor/): inquiries from buyers abroad by status, one inquiry with its
pro-formas and the SKA / e-SKA checklist, issuing a pro-forma invoice with its packing list, their PDFs, the
export order on the pro-forma's page (the buyer's confirmation, T/T payments, the shipment that records the sale,
the commercial invoice) and the seller's exporter settings (NIB, NPWP, bank).

Only staff who record sales open them (``access.records_sales``); an inquiry or pro-forma of another seller is a
404. Writes go through ``exports.services``. Nothing here shows a maker.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from binakarya.backoffice.access import records_sales
from binakarya.backoffice.common import add_service_errors, get_or_404, paginate, pdf_response, site_base_url
from binakarya.backoffice.exports import forms
from binakarya.core.types import Actor
from binakarya.exports import amounts, orders, renderers, selectors
from binakarya.exports import services as export_services
from binakarya.exports.countries import country_name
from binakarya.exports.models import Currency, ExportInquiry, ExportOrder, Proforma


def _require_pages(user: Actor) -> None:
    if not records_sales(user):
        raise PermissionDenied(_("Only the seller's staff who record sales open the export pages."))


@login_required
@require_GET
def inquiry_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    _require_pages(user)
    status = request.GET.get("status", "")
    if status not in ExportInquiry.Status.values:
        status = ""
    page = paginate(request, selectors.inquiries_for(user=user, status=status))
    return render(
        request,
        "backoffice/export_inquiries.html",
        {
            "section": "exports",
            "page": page,
            "rows": [(inquiry, country_name(inquiry.country, "en")) for inquiry in page.object_list],
            "status": status,
            "statuses": ExportInquiry.Status.choices,
            "base_query": f"status={status}" if status else "",
        },
    )


def _inquiry_page(request: HttpRequest, inquiry: ExportInquiry, status: int = 200, **extra: Any) -> HttpResponse:
    lines = [{"line": line, "profile": selectors.export_profile_of(line.variant)} for line in inquiry.lines.all()]
    return render(
        request,
        "backoffice/export_inquiry.html",
        {
            "section": "exports",
            "inquiry": inquiry,
            "country": country_name(inquiry.country, "en"),
            "lines": lines,
            "proformas": list(inquiry.proformas.all()),
            "checklist": selectors.ska_checklist(inquiry=inquiry),
            "mark_form": forms.ChecklistMarkForm(),
        }
        | extra,
        status=status,
    )


@login_required
@require_GET
def inquiry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_pages(request.user)
    return _inquiry_page(request, get_or_404(selectors.inquiry_get, user=request.user, pk=pk))


@login_required
@require_POST
def inquiry_close(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    _require_pages(user)
    inquiry = get_or_404(selectors.inquiry_get, user=user, pk=pk)
    try:
        export_services.inquiry_close(actor=user, inquiry=inquiry)
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
    else:
        messages.success(request, _("Inquiry %(number)s closed.") % {"number": inquiry.number})
    return redirect("backoffice:export_inquiry", pk=inquiry.pk)


@login_required
@require_POST
def checklist_mark(request: HttpRequest, pk: int, item: str) -> HttpResponse:
    """Mark a manual item of the SKA checklist done with its reference, or (``done`` off) not done."""
    user = request.user
    _require_pages(user)
    inquiry = get_or_404(selectors.inquiry_get, user=user, pk=pk)
    form = forms.ChecklistMarkForm(request.POST)
    form.is_valid()
    try:
        export_services.checklist_mark(
            actor=user,
            inquiry=inquiry,
            item=item,
            reference=form.cleaned_data.get("reference") or "",
            done=bool(form.cleaned_data.get("done")),
        )
    except ValidationError as exc:
        return _inquiry_page(request, inquiry, status=400, mark_errors={item.upper(): exc.messages})
    messages.success(request, _("Checklist updated."))
    return redirect(reverse("backoffice:export_inquiry", args=[inquiry.pk]) + "#ska")


def _row_count(request: HttpRequest, default: int) -> int:
    try:
        rows = int(request.POST.get("rows", default))
    except ValueError:
        rows = default
    return rows + 1 if "_add_line" in request.POST else rows


@login_required
@require_http_methods(["GET", "POST"])
def proforma_create(request: HttpRequest, pk: int) -> HttpResponse:
    """A pro-forma invoice from the inquiry: its lines come filled with their SKU, quantity and list price, the
    currency is USD, the Incoterm and place the buyer's; the rates in force are shown with their dates."""
    user = request.user
    _require_pages(user)
    inquiry = get_or_404(selectors.inquiry_get, user=user, pk=pk)
    lines = list(inquiry.lines.all())
    if request.method == "GET":
        initial: dict[str, object] = {
            "currency": Currency.USD,
            "incoterm": inquiry.incoterm,
            "place": inquiry.place,
            "payment_terms": export_services.DEFAULT_PAYMENT_TERMS,
            "valid_days": export_services.DEFAULT_VALID_DAYS,
        }
        for i, line in enumerate(lines):
            initial |= {
                f"sku_{i}": line.variant.sku,
                f"quantity_{i}": line.quantity,
                f"price_{i}": line.variant.price_idr,
            }
        form = forms.ProformaForm(initial=initial, rows=len(lines))
    else:
        form = forms.ProformaForm(request.POST, rows=_row_count(request, len(lines)))
        if "_add_line" not in request.POST and form.is_valid():
            data = form.cleaned_data
            try:
                proforma = export_services.proforma_issue(
                    actor=user,
                    inquiry=inquiry,
                    data=export_services.ProformaInput(
                        currency=data["currency"],
                        incoterm=data["incoterm"],
                        place=data["place"],
                        payment_terms=data["payment_terms"],
                        valid_days=data["valid_days"] if data["valid_days"] is not None else 0,
                        freight_idr=data["freight_idr"] or 0,
                        insurance_idr=data["insurance_idr"] or 0,
                        lines=[export_services.ProformaLineInput(*line) for line in form.lines()],
                        note=data["note"],
                    ),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Pro-forma invoice %(number)s and packing list %(packing)s issued.")
                    % {"number": proforma.number, "packing": proforma.packing_list.number},
                )
                return redirect("backoffice:export_proforma", number=proforma.number)
    rates = selectors.rates_in_force(organization=inquiry.organization, on=timezone.localdate())
    return render(
        request,
        "backoffice/export_proforma_form.html",
        {
            "section": "exports",
            "inquiry": inquiry,
            "lines": [(line, selectors.export_profile_of(line.variant)) for line in lines],
            "form": form,
            "rates": [rates[code] for code in Currency.values if code in rates],
        },
        status=400 if request.method == "POST" and form.errors else 200,
    )


def _proforma_page(request: HttpRequest, proforma: Proforma, status: int = 200, **forms_: Any) -> HttpResponse:
    """The pro-forma with its export order: confirming it, its payments and the payment form, the shipment form
    (once paid) or the shipment with its sale and commercial invoice. ``forms_`` are forms that failed."""
    today = timezone.localdate()
    order = selectors.order_of(proforma=proforma)
    shipment = selectors.shipment_of(order=order)
    money = {
        name: amounts.money_format(getattr(proforma, f"{name}_foreign"), proforma.currency)
        for name in ("subtotal", "freight", "insurance", "total")
    }
    payments = selectors.order_payments(order=order) if order is not None else []
    context: dict[str, Any] = {
        "section": "exports",
        "proforma": proforma,
        "lines": [
            (line, amounts.money_format(line.amount_foreign, proforma.currency)) for line in proforma.lines.all()
        ],
        "money": money,
        "net_kg": amounts.kilograms(proforma.net_weight_grams),
        "gross_kg": amounts.kilograms(proforma.gross_weight_grams),
        "volume_m3": amounts.cubic_metres(proforma.volume_mm3),
        "country": country_name(proforma.inquiry.country, "en"),
        "order": order,
        "shipment": shipment,
        "payments": [
            (payment, amounts.money_format(payment.amount_foreign, proforma.currency) if payment.amount_foreign else "")
            for payment in payments
        ],
        "can_confirm": order is None
        and proforma.inquiry.status in (ExportInquiry.Status.NEW, ExportInquiry.Status.QUOTED),
        "payment_room": selectors.order_payment_room(order=order) if order is not None else 0,
        "foreign": proforma.currency != Currency.IDR,
        "confirm_form": forms.OrderConfirmForm(initial={"po_date": today}),
        "payment_form": forms.OrderPaymentForm(initial={"received_on": today}),
    }
    if order is not None and shipment is None and order.status == ExportOrder.Status.PAID:
        context["shipment_form"] = forms.ShipmentForm(
            initial={"shipped_on": today},
            locations=selectors.shipment_locations_for(user=request.user, organization=proforma.organization),
        )
    return render(request, "backoffice/export_proforma.html", context | forms_, status=status)


def _proforma(request: HttpRequest, number: str) -> Proforma:
    _require_pages(request.user)
    return get_or_404(selectors.proforma_get, user=request.user, number=number)


@login_required
@require_GET
def proforma_detail(request: HttpRequest, number: str) -> HttpResponse:
    return _proforma_page(request, _proforma(request, number))


@login_required
@require_POST
def order_confirm(request: HttpRequest, number: str) -> HttpResponse:
    """The buyer accepted the pro-forma: their order number and date make it an export order."""
    proforma = _proforma(request, number)
    form = forms.OrderConfirmForm(request.POST)
    if form.is_valid():
        try:
            orders.order_confirm(
                actor=request.user,
                proforma=proforma,
                po_number=form.cleaned_data["po_number"],
                po_date=form.cleaned_data["po_date"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The buyer's order is recorded: wait for the T/T payments."))
            return redirect("backoffice:export_proforma", number=proforma.number)
    return _proforma_page(request, proforma, status=400, confirm_form=form)


def _order_or_404(proforma: Proforma) -> ExportOrder:
    order = selectors.order_of(proforma=proforma)
    if order is None:
        raise Http404(_("The buyer has not confirmed this pro-forma invoice."))
    return order


@login_required
@require_POST
def order_payment(request: HttpRequest, number: str) -> HttpResponse:
    """A T/T payment as the bank credited it, held for the buyer until the shipment."""
    proforma = _proforma(request, number)
    order = _order_or_404(proforma)
    form = forms.OrderPaymentForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            orders.order_payment_record(
                actor=request.user,
                order=order,
                amount_idr=data["amount"],
                received_on=data["received_on"],
                amount_foreign=data["amount_foreign"],
                reference=data["reference"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc, field_map={"amount_idr": "amount"})
        else:
            messages.success(request, _("Payment recorded."))
            return redirect(reverse("backoffice:export_proforma", args=[proforma.number]) + "#order")
    return _proforma_page(request, proforma, status=400, payment_form=form)


@login_required
@require_POST
def order_shipment(request: HttpRequest, number: str) -> HttpResponse:
    """The whole order ships: the sale is recorded and the commercial invoice issued, or nothing happens."""
    proforma = _proforma(request, number)
    order = _order_or_404(proforma)
    locations = selectors.shipment_locations_for(user=request.user, organization=proforma.organization)
    form = forms.ShipmentForm(request.POST, locations=locations)
    if form.is_valid():
        data = form.cleaned_data
        try:
            shipment = orders.shipment_record(
                actor=request.user,
                order=order,
                data=orders.ShipmentInput(
                    shipped_on=data["shipped_on"],
                    peb_number=data["peb_number"],
                    transport_number=data["transport_number"],
                    vessel=data["vessel"],
                    location=data["location"],
                ),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Shipped: sale %(sale)s recorded, commercial invoice %(invoice)s issued.")
                % {"sale": shipment.sale.number, "invoice": shipment.invoice_number},
            )
            return redirect(reverse("backoffice:export_proforma", args=[proforma.number]) + "#order")
    return _proforma_page(request, proforma, status=400, shipment_form=form)


@login_required
@require_GET
def proforma_pdf(request: HttpRequest, number: str, kind: str) -> HttpResponse:
    """The pro-forma invoice (``kind`` proforma), its packing list (``packing-list``) or, once the order shipped,
    its commercial invoice (``commercial-invoice``) as a PDF in English."""
    _require_pages(request.user)
    proforma = get_or_404(selectors.proforma_get, user=request.user, number=number)
    if kind == "proforma":
        pdf = renderers.proforma_pdf(proforma=proforma, base_url=site_base_url(request))
        return pdf_response(pdf, f"{proforma.number}.pdf")
    if kind == "packing-list":
        pdf = renderers.packing_list_pdf(proforma=proforma, base_url=site_base_url(request))
        return pdf_response(pdf, f"{proforma.packing_list.number}.pdf")
    shipment = selectors.shipment_of(order=selectors.order_of(proforma=proforma))
    if kind == "commercial-invoice" and shipment is not None:
        pdf = renderers.commercial_invoice_pdf(shipment=shipment, base_url=site_base_url(request))
        return pdf_response(pdf, f"{shipment.invoice_number}.pdf")
    raise Http404(_("Not found."))


@login_required
@require_http_methods(["GET", "POST"])
def exporter_settings(request: HttpRequest) -> HttpResponse:
    """Each seller's NIB and NPWP (the SKA checklist reads them) and the bank a buyer pays by T/T."""
    user = request.user
    _require_pages(user)
    organizations = selectors.export_organizations_for(user=user)
    if request.method == "POST":
        form = forms.ExporterSettingsForm(request.POST, organizations=organizations)
        if form.is_valid():
            data = form.cleaned_data
            try:
                export_services.exporter_settings_update(
                    actor=user,
                    organization=data["organization"],
                    data=export_services.ExporterInput(
                        **{name: data[name] for name in vars(export_services.ExporterInput())}
                    ),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Export settings saved."))
                return redirect("backoffice:export_inquiries")
    else:
        first = organizations.first()
        current = selectors.exporter_settings_for(organization=first) if first else None
        initial = {name: getattr(current, name) for name in vars(export_services.ExporterInput())} if current else {}
        form = forms.ExporterSettingsForm(organizations=organizations, initial=initial)
    return render(
        request,
        "backoffice/export_settings.html",
        {"section": "exports", "form": form},
        status=400 if request.method == "POST" else 200,
    )
