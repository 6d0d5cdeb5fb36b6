"""The order desk: web and WhatsApp orders for the seller's staff.

Orders are read through ``orders.selectors`` (the seller's staff who handle orders only; another
organization's order or payment proof is a 404) and changed through ``orders.services``, whose own check
(``require_order_staff``) runs before a form is parsed, so a user who may not act gets a 403, not field
errors. Paperwork (packing slip, invoice, kuitansi) comes from ``orders.paperwork``.
"""

import mimetypes
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from binakarya.backoffice.access import handles_orders
from binakarya.backoffice.common import (
    add_service_errors,
    get_or_404,
    paginate,
    pdf_response,
    query_without_page,
    site_base_url,
)
from binakarya.backoffice.orders import forms
from binakarya.core.money import format_rupiah
from binakarya.core.types import Actor
from binakarya.inventory import selectors as inventory_selectors
from binakarya.inventory.models import Location
from binakarya.orders import paperwork
from binakarya.orders import selectors as orders_selectors
from binakarya.orders import services as orders_services
from binakarya.orders.models import Order, Payment
from binakarya.organizations.models import Organization

SHOP_KINDS = (Location.Kind.STORE, Location.Kind.SHOWROOM)
DOCUMENT_SLUGS: dict[str, str] = {
    "slip": paperwork.PACKING_SLIP,
    "faktur": paperwork.INVOICE,
    "kuitansi": paperwork.RECEIPT,
}
DOCUMENT_FILES: dict[str, str] = {
    paperwork.PACKING_SLIP: "slip",
    paperwork.INVOICE: "faktur",
    paperwork.RECEIPT: "kuitansi",
}


def _require_desk(user: Actor) -> None:
    if not handles_orders(user):
        raise PermissionDenied(_("Only the staff who handle a seller's orders see them."))


def _order(request: HttpRequest, number: str) -> Order:
    return get_or_404(orders_selectors.order_for, user=request.user, number=number)


def _order_to_act_on(request: HttpRequest, number: str) -> Order:
    """The order (404 outside the user's sellers), once the user is known to may act on it (else 403)."""
    _require_desk(request.user)
    order = _order(request, number)
    orders_services.require_order_staff(request.user, order.organization)
    return order


def _payment(request: HttpRequest, order: Order, pk: int) -> Payment:
    payment = get_or_404(orders_selectors.payment_for, user=request.user, pk=pk)
    if payment.order_id != order.pk:
        raise Http404(_("Not found."))
    return payment


def _back(order: Order, anchor: str = "") -> HttpResponse:
    url = reverse("backoffice:order_detail", args=[order.number])
    return redirect(f"{url}#{anchor}" if anchor else url)


# The desk ---------------------------------------------------------------------------------------------


@login_required
@require_GET
def desk(request: HttpRequest) -> HttpResponse:
    user = request.user
    _require_desk(user)
    form = forms.DeskFilterForm(request.GET)
    data: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    orders = orders_selectors.orders_for(
        user=user,
        status=data.get("status", ""),
        channel=data.get("kanal", ""),
        needs=data.get("perlu", ""),
        search=data.get("q", ""),
    )
    counts = orders_selectors.order_desk_counts(user=user)
    chips = [
        {"key": key, "label": label, "count": getattr(counts, key), "active": data.get("perlu") == key}
        for key, label in forms.NEEDS
        if key
    ]
    return render(
        request,
        "backoffice/order_desk.html",
        {
            "section": "orders",
            "form": form,
            "chips": chips,
            "counts": counts,
            "page": paginate(request, orders),
            "base_query": query_without_page(request),
            "many_orgs": orders_selectors.order_organizations_for(user=user).count() > 1,
        },
    )


# One order --------------------------------------------------------------------------------------------


def _render_detail(request: HttpRequest, order: Order, status: int = 200, **overrides: Any) -> HttpResponse:
    user = request.user
    may_act = orders_selectors.may_handle_orders(user=user, organization=order.organization)
    payments = list(order.payments.all())
    next_statuses = orders_services.next_statuses(order)
    refundable = orders_services.refundable_idr(order)
    context: dict[str, Any] = {
        "section": "orders",
        "order": order,
        "lines": list(order.lines.all()),
        "timeline": orders_selectors.order_timeline(order=order, staff=True),
        "payments": payments,
        "to_check": [p for p in payments if p.status == Payment.Status.SUBMITTED],
        "may_act": may_act,
        "next_statuses": [(s, Order.Status(s).label) for s in next_statuses],
        "ship_next": Order.Status.SHIPPED in next_statuses,
        "refundable_idr": refundable,
        "whatsapp_link": orders_selectors.order_whatsapp_link(order=order),
        "tracking_url": orders_selectors.order_tracking_url(order=order),
        "printable": [
            (DOCUMENT_FILES[k], label) for k, label in _document_labels() if k in paperwork.printable_kinds(order)
        ],
        "is_new": request.GET.get("baru") == "1",
        "confirm_form": forms.ConfirmForm(),
        "reject_form": forms.RejectForm(),
        "blank_confirm_form": forms.ConfirmForm(),
        "blank_reject_form": forms.RejectForm(),
        "reject_payment": None,
        "record_form": forms.PaymentRecordForm(initial={"amount_idr": order.balance_idr or None}),
        "refund_form": forms.RefundForm(initial={"amount_idr": refundable or None}),
        "shipping_form": forms.ShippingFeeForm(initial={"courier": order.courier}),
        "transition_form": forms.TransitionForm(),
        "cancel_form": forms.CancelForm(),
        "cancellable": order.status in (Order.Status.AWAITING_PAYMENT, Order.Status.PAID, Order.Status.PACKED),
        "takes_payments": order.status not in (Order.Status.COMPLETED, Order.Status.CANCELLED)
        and order.payment_state != Order.PaymentState.REFUNDED,
        "shipping_editable": order.fulfillment == "DELIVERY"
        and order.status in (Order.Status.AWAITING_PAYMENT, Order.Status.PAID)
        and not order.sale_id,
    }
    context.update(overrides)
    return render(request, "backoffice/order_detail.html", context, status=status)


def _document_labels() -> list[tuple[str, str]]:
    return [
        (paperwork.PACKING_SLIP, _("Packing slip")),
        (paperwork.INVOICE, _("Invoice")),
        (paperwork.RECEIPT, _("Kuitansi")),
    ]


@login_required
@require_GET
def detail(request: HttpRequest, number: str) -> HttpResponse:
    _require_desk(request.user)
    return _render_detail(request, _order(request, number))


@login_required
@require_GET
def payment_proof(request: HttpRequest, number: str, pk: int) -> FileResponse:
    """The buyer's proof of payment, for the seller's staff only (it is never a public media address)."""
    _require_desk(request.user)
    order = _order(request, number)
    payment = _payment(request, order, pk)
    if not payment.proof:
        raise Http404(_("Not found."))
    name = (payment.proof.name or "proof").rsplit("/", 1)[-1]
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(payment.proof.open("rb"), content_type=content_type, filename=name)
    response["Content-Disposition"] = f'inline; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    # A buyer's upload, opened in a tab: it may show itself, never run anything.
    response["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    return response


@login_required
@require_POST
def payment_confirm(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    order = _order_to_act_on(request, number)
    payment = _payment(request, order, pk)
    form = forms.ConfirmForm(request.POST)
    if form.is_valid():
        try:
            payment = orders_services.payment_confirm(
                actor=request.user, payment=payment, amount_idr=form.cleaned_data["amount_idr"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Payment of %(amount)s confirmed.") % {"amount": format_rupiah(payment.amount_idr)}
            )
            return _back(order, "payments")
    return _render_detail(request, _order(request, number), status=400, confirm_form=form, reject_payment=payment.pk)


@login_required
@require_POST
def payment_reject(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    order = _order_to_act_on(request, number)
    payment = _payment(request, order, pk)
    form = forms.RejectForm(request.POST)
    if form.is_valid():
        try:
            orders_services.payment_reject(actor=request.user, payment=payment, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Proof rejected; the buyer sees the reason on the order's page."))
            return _back(order, "payments")
    return _render_detail(request, _order(request, number), status=400, reject_form=form, reject_payment=payment.pk)


@login_required
@require_POST
def payment_record(request: HttpRequest, number: str) -> HttpResponse:
    order = _order_to_act_on(request, number)
    form = forms.PaymentRecordForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            orders_services.payment_record(
                actor=request.user,
                order=order,
                amount_idr=data["amount_idr"],
                method=data["method"],
                reference=data["reference"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Payment of %(amount)s recorded.") % {"amount": format_rupiah(data["amount_idr"])}
            )
            return _back(order, "payments")
    return _render_detail(request, _order(request, number), status=400, record_form=form, open_record=True)


@login_required
@require_POST
def refund(request: HttpRequest, number: str) -> HttpResponse:
    order = _order_to_act_on(request, number)
    form = forms.RefundForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            orders_services.order_refund(
                actor=request.user,
                order=order,
                amount_idr=data["amount_idr"],
                method=data["method"],
                reason=data["reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Refund of %(amount)s recorded.") % {"amount": format_rupiah(data["amount_idr"])}
            )
            return _back(order, "payments")
    return _render_detail(request, _order(request, number), status=400, refund_form=form, open_refund=True)


@login_required
@require_POST
def shipping_fee(request: HttpRequest, number: str) -> HttpResponse:
    order = _order_to_act_on(request, number)
    form = forms.ShippingFeeForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            orders_services.shipping_fee_set(
                actor=request.user, order=order, fee_idr=data["fee_idr"], courier=data["courier"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Shipping fee set; the buyer can pay now."))
            return _back(order)
    return _render_detail(request, _order(request, number), status=400, shipping_form=form)


@login_required
@require_POST
def transition(request: HttpRequest, number: str) -> HttpResponse:
    order = _order_to_act_on(request, number)
    form = forms.TransitionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            order = orders_services.order_transition(
                actor=request.user,
                order=order,
                to=data["to"],
                courier=data["courier"],
                resi=data["resi"],
                lot_code=data["lot"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Order %(number)s is now: %(status)s.")
                % {"number": order.number, "status": order.get_status_display()},
            )
            return _back(order)
    return _render_detail(request, _order(request, number), status=400, transition_form=form)


@login_required
@require_POST
def cancel(request: HttpRequest, number: str) -> HttpResponse:
    order = _order_to_act_on(request, number)
    form = forms.CancelForm(request.POST)
    if form.is_valid():
        try:
            order = orders_services.order_cancel(actor=request.user, order=order, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Order %(number)s cancelled.") % {"number": order.number})
            if order.needs_refund:
                messages.warning(request, _("Money was received for it: record the refund."))
            return _back(order)
    return _render_detail(request, _order(request, number), status=400, cancel_form=form)


@login_required
@require_POST
def document_pdf(request: HttpRequest, number: str, kind: str) -> HttpResponse:
    """Issue (once) and hand over the order's packing slip, invoice or kuitansi, with its verification code."""
    order = _order_to_act_on(request, number)
    document_kind = DOCUMENT_SLUGS.get(kind)
    if document_kind is None:
        raise Http404(_("Not found."))
    try:
        document = paperwork.order_document_issue(actor=request.user, order=order, kind=document_kind)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _back(order)
    order = _order(request, number)
    pdf = paperwork.order_document_pdf(document=document, order=order, base_url=site_base_url(request))
    return pdf_response(pdf, f"{kind}-{document.number}.pdf")


# A WhatsApp order ---------------------------------------------------------------------------------------


def _entry_variants(user: Actor, organizations: list[Organization]) -> list[Any]:
    ids = {org.pk for org in organizations}
    return [v for v in inventory_selectors.stock_variants_for(user=user) if v.organization_id in ids and v.is_active]


def _more_rows(data: QueryDict) -> list[dict[str, str]]:
    """The lines typed so far, to show again with more empty rows (adding rows needs no JavaScript)."""
    prefix = "baris"
    try:
        total = min(int(data.get(f"{prefix}-TOTAL_FORMS", "0")), 45)
    except ValueError:
        total = 0
    rows = [
        {"sku": data.get(f"{prefix}-{i}-sku", ""), "quantity": data.get(f"{prefix}-{i}-quantity", "")}
        for i in range(total)
    ]
    return [row for row in rows if row["sku"] or row["quantity"]]


@login_required
@require_http_methods(["GET", "POST"])
def order_entry(request: HttpRequest) -> HttpResponse:
    user = request.user
    _require_desk(user)
    organizations = orders_selectors.order_organizations_for(user=user)
    posted = request.method == "POST"
    if posted and "_more" in request.POST:
        form = forms.OrderEntryForm(initial=request.POST.dict(), organizations=organizations)
        formset = forms.EntryLineFormSet(initial=_more_rows(request.POST), prefix="baris")
    else:
        form = forms.OrderEntryForm(request.POST if posted else None, organizations=organizations)
        formset = forms.EntryLineFormSet(request.POST if posted else None, prefix="baris")
    if posted and "_more" not in request.POST:
        form_ok = form.is_valid()
        lines_ok = formset.is_valid()
        if form_ok:
            orders_services.require_order_staff(user, form.cleaned_data["organization"])
        if form_ok and lines_ok:
            lines = [
                orders_services.CartLine(sku=f.cleaned_data["sku"], quantity=f.cleaned_data["quantity"])
                for f in formset.forms
                if f.cleaned_data.get("sku")
            ]
            try:
                placed = orders_services.orders_place(actor=user, **form.service_kwargs(lines))
            except ValidationError as exc:
                _place_entry_errors(form, formset, exc)
            else:
                numbers = ", ".join(o.number for o in placed)
                messages.success(
                    request, _("Order %(numbers)s entered. Send the buyer its link.") % {"numbers": numbers}
                )
                return redirect(reverse("backoffice:order_detail", args=[placed[0].number]) + "?baru=1")
    return render(
        request,
        "backoffice/order_entry.html",
        {
            "section": "orders",
            "form": form,
            "formset": formset,
            "variants": _entry_variants(user, list(organizations)),
        },
        status=400 if posted and "_more" not in request.POST else 200,
    )


BUYER_FIELDS = {"name": "buyer_name", "phone": "buyer_phone"}


def _place_entry_errors(form: forms.OrderEntryForm, formset: Any, exc: ValidationError) -> None:
    """The service's errors next to their fields; a line's error next to the line of its SKU."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.error_list)
        return
    by_sku = {f.cleaned_data.get("sku"): f for f in formset.forms if f.cleaned_data.get("sku")}
    for key, errors in exc.error_dict.items():
        if key == "lines":
            for error in errors:
                sku = (error.params or {}).get("sku") if error.params else None
                line_form = by_sku.get(sku)
                if line_form is not None:
                    line_form.add_error(
                        "quantity" if error.code in {"insufficient_stock", "quantity", "moq"} else "sku", error
                    )
                else:
                    form.add_error(None, error)
            continue
        name = BUYER_FIELDS.get(key, key)
        form.add_error(name if name in form.fields else None, errors)


# The seller's settings and rate table -----------------------------------------------------------------


def _chosen_organization(request: HttpRequest) -> Organization:
    user = request.user
    _require_desk(user)
    organizations = orders_selectors.order_organizations_for(user=user)
    picker = forms.ShopOrganizationForm(
        {"organization": request.GET.get("organization") or request.POST.get("organization") or ""},
        organizations=organizations,
    )
    chosen = picker.cleaned_data["organization"] if picker.is_valid() else organizations.first()
    if chosen is None:
        raise PermissionDenied(_("Only the staff who handle a seller's orders see them."))
    orders_services.require_order_staff(user, chosen)
    return chosen


def _shop_initial(organization: Organization) -> dict[str, Any]:
    shop = orders_selectors.shop_settings_for(organization=organization)
    return {
        "accepts_orders": shop.accepts_orders if shop.pk else False,
        "location": shop.location_id or "",
        "order_expiry_hours": shop.order_expiry_hours,
        "unique_code": shop.unique_code,
        "bank_name": shop.bank_name,
        "bank_account_number": shop.bank_account_number,
        "bank_account_holder": shop.bank_account_holder,
        "qris_merchant_name": shop.qris_merchant_name,
        "pickup_address": shop.pickup_address,
        "pickup_hours": shop.pickup_hours,
    }


@login_required
@require_http_methods(["GET", "POST"])
def shop_settings(request: HttpRequest) -> HttpResponse:
    user = request.user
    organization = _chosen_organization(request)
    locations = [
        loc
        for loc in inventory_selectors.locations_for(user=user, organization=organization, include_transit=False)
        if loc.kind in SHOP_KINDS
    ]
    initial = _shop_initial(organization)
    posted = request.method == "POST"
    form = forms.ShopSettingsForm(
        request.POST if posted else None, request.FILES if posted else None, locations=locations, initial=initial
    )
    if posted and form.is_valid():
        try:
            orders_services.shop_settings_update(actor=user, organization=organization, **form.service_kwargs())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Shop settings of %(org)s saved.") % {"org": organization.name})
            return redirect(f"{reverse('backoffice:shop_settings')}?organization={organization.pk}")
    picker = forms.ShopOrganizationForm(
        initial={"organization": organization.pk}, organizations=orders_selectors.order_organizations_for(user=user)
    )
    return render(
        request,
        "backoffice/order_shop.html",
        {
            "section": "orders",
            "organization": organization,
            "picker": picker,
            "form": form,
            "shop": orders_selectors.shop_settings_for(organization=organization),
        },
        status=400 if posted else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def shipping_rates(request: HttpRequest) -> HttpResponse:
    user = request.user
    organization = _chosen_organization(request)
    rates = orders_selectors.shipping_rates_for(user=user, organization=organization)
    initial = [
        {
            "province": r.province,
            "regency": r.regency,
            "max_weight_grams": r.max_weight_grams,
            "fee_idr": r.fee_idr,
            "courier": r.courier,
            "etd_days": r.etd_days,
        }
        for r in rates
    ]
    posted = request.method == "POST"
    upload_form = forms.RateUploadForm()
    formset = forms.RateFormSet(initial=initial, prefix="tarif")
    service_errors: list[str] = []
    if posted and "_upload" in request.POST:
        upload_form = forms.RateUploadForm(request.POST, request.FILES)
        if upload_form.is_valid():
            try:
                kept = orders_services.shipping_rates_replace(
                    actor=user, organization=organization, rates=upload_form.cleaned_data["file"]
                )
            except ValidationError as exc:
                service_errors = exc.messages
            else:
                messages.success(request, _("%(rows)s rates imported; the table was replaced.") % {"rows": kept})
                return redirect(f"{reverse('backoffice:shipping_rates')}?organization={organization.pk}")
    elif posted:
        formset = forms.RateFormSet(request.POST, initial=initial, prefix="tarif")
        if formset.is_valid():
            found = [f.rate() for f in formset.forms]
            try:
                kept = orders_services.shipping_rates_replace(
                    actor=user, organization=organization, rates=[r for r in found if r is not None]
                )
            except ValidationError as exc:
                service_errors = exc.messages
            else:
                messages.success(request, _("Rate table saved: %(rows)s rows.") % {"rows": kept})
                return redirect(f"{reverse('backoffice:shipping_rates')}?organization={organization.pk}")
    return render(
        request,
        "backoffice/order_rates.html",
        {
            "section": "orders",
            "organization": organization,
            "picker": forms.ShopOrganizationForm(
                initial={"organization": organization.pk},
                organizations=orders_selectors.order_organizations_for(user=user),
            ),
            "formset": formset,
            "upload_form": upload_form,
            "service_errors": service_errors,
        },
        status=400 if posted else 200,
    )
