"""The seller staff's consignment (titip jual) pages: the agreements and what needs attention, making an
agreement (with the signed PDF), one agreement with its shelf, placements, sales, statements and payments,
ending it, placing goods (with the tanda terima titipan), recording a sale at the outlet, statements and
payments.

Only the seller's staff who record sales open them (``access.records_sales``); an agreement is read through
``consignment.selectors.agreement_for`` and must be one of the user's own organization as seller: any other,
an outlet partner's included, is a 404 (the partner has pages of their own). Writes go through
``consignment.services``. Nothing here shows a maker: goods are SKU, product, lot code, units and money.
"""

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from binakarya.backoffice.access import records_sales
from binakarya.backoffice.common import add_service_errors, get_or_404, paginate, pdf_response, site_base_url
from binakarya.backoffice.consignment import forms
from binakarya.consignment import selectors
from binakarya.consignment import services as consignment_services
from binakarya.consignment.models import Agreement
from binakarya.consignment.periods import previous_period
from binakarya.core.money import format_rupiah
from binakarya.core.types import Actor
from binakarya.documents import renderers
from binakarya.inventory import selectors as inventory_selectors
from binakarya.inventory.fifo import InsufficientStock
from binakarya.inventory.models import Location
from binakarya.organizations import selectors as organization_selectors
from binakarya.organizations.models import Organization
from binakarya.organizations.scoping import SALES_ROLES

LINES_PREFIX = "baris"
SELLER_KINDS = [Organization.Kind.FACILITY, Organization.Kind.PRODUCER]


def _require_pages(user: Actor) -> None:
    if not records_sales(user):
        raise PermissionDenied(_("Only the seller's staff who record sales open the consignment pages."))


def _agreement(request: HttpRequest, pk: int) -> Agreement:
    """The agreement, when the user is staff of its seller; a 404 for anyone else (an outlet partner too)."""
    _require_pages(request.user)
    agreement = get_or_404(selectors.agreement_for, user=request.user, pk=pk)
    if not consignment_services.is_seller_staff(request.user, agreement):
        raise Http404(_("Not found."))
    return agreement


def _line_data(data: QueryDict | None, add_line: bool) -> QueryDict | None:
    """With ``_add_line``, the same lines plus an empty one (works without JavaScript)."""
    if data is None or not add_line:
        return data
    data = data.copy()
    total = f"{LINES_PREFIX}-TOTAL_FORMS"
    try:
        lines = int(data.get(total, "1"))
    except ValueError:
        lines = 1
    data[total] = str(max(1, min(lines + 1, forms.MAX_LINES)))
    return data


def _place_line_errors(
    form: Any, formset: forms.BaseLineFormSet, exc: ValidationError, variant_skus: dict[int, str]
) -> None:
    """Each short SKU's message next to the quantity of its line; every other message on top of the form."""
    filled = formset.filled()
    if isinstance(exc, InsufficientStock) and exc.shortfalls:
        for short in exc.shortfalls:
            sku = variant_skus.get(short.variant_id, short.sku)
            line = next((f for f in filled if f.cleaned_data["sku"] == sku), None)
            if line is None:
                form.add_error(None, short.error())
            else:
                line.add_error("quantity", short.error())
        return
    add_service_errors(form, exc, field_map={"lines": "__all__"})


# The list and what needs attention -------------------------------------------------------------


@login_required
@require_GET
def consignment_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    _require_pages(user)
    status = request.GET.get("status", "")
    if status not in Agreement.Status.values:
        status = ""
    page = paginate(request, selectors.agreements_for(user=user, status=status))
    agreements = list(page.object_list)
    owed = selectors.outlet_owed_by_agreement(user=user, agreements=agreements)
    return render(
        request,
        "backoffice/consignment_list.html",
        {
            "section": "consignment",
            "page": page,
            "rows": [(agreement, owed.get(agreement.pk, 0)) for agreement in agreements],
            "status": status,
            "statuses": Agreement.Status.choices,
            "base_query": f"status={status}" if status else "",
            "ending": selectors.agreements_ending_within(user=user, days=30),
            "overdue": selectors.agreements_overdue(user=user),
        },
    )


# Making an agreement, its signed PDF ------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def consignment_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    _require_pages(user)
    organizations = organization_selectors.organizations_for(
        user=user, roles=SALES_ROLES, oversight=False, kinds=SELLER_KINDS, active_only=True
    )
    outlets = organization_selectors.organizations_by_kind(kinds=[Organization.Kind.OUTLET])
    posted = request.method == "POST"
    form = forms.AgreementForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        organizations=organizations,
        outlets=outlets,
        initial={"start_date": timezone.localdate()},
    )
    if posted and form.is_valid():
        organization = form.cleaned_data["organization"]
        found = inventory_selectors.variants_by_sku(user=user, skus=[t.sku for t in form.term_lines])
        variants = {sku: v for sku, v in found.items() if v.organization_id == organization.pk}
        for term in form.term_lines:
            if term.sku not in variants:
                form.add_error(
                    "terms",
                    _("%(sku)s is not a product of %(org)s.") % {"sku": term.sku, "org": organization.name},
                )
        if not form.errors:
            try:
                agreement = consignment_services.agreement_create(actor=user, **form.service_kwargs(variants))
            except ValidationError as exc:
                commission_field = (
                    "commission_percent"
                    if form.cleaned_data["commission_mode"] == Agreement.CommissionMode.PERCENT
                    else "terms"
                )
                add_service_errors(form, exc, field_map={"commission": commission_field, "agreed_prices": "terms"})
            else:
                messages.success(
                    request, _("Consignment agreement with %(outlet)s made.") % {"outlet": agreement.outlet.name}
                )
                return redirect("backoffice:consignment_detail", pk=agreement.pk)
    return render(
        request,
        "backoffice/consignment_create.html",
        {"section": "consignment", "form": form, "has_sellers": organizations.exists()},
    )


@login_required
@require_GET
def consignment_document(request: HttpRequest, pk: int) -> FileResponse:
    """The signed agreement, streamed from private storage to the seller's staff (no public address)."""
    agreement = _agreement(request, pk)
    if not agreement.signed_document:
        raise Http404(_("Not found."))
    response = FileResponse(
        agreement.signed_document.open("rb"),
        as_attachment=True,
        filename=f"perjanjian-titip-{agreement.outlet.slug}-{agreement.start_date.isoformat()}.pdf",
        content_type="application/pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response


# One agreement ----------------------------------------------------------------------------------


@login_required
@require_GET
def consignment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _agreement(request, pk)
    user = request.user
    stock = selectors.outlet_stock_for(user=user, agreement=agreement)
    return render(
        request,
        "backoffice/consignment_detail.html",
        {
            "section": "consignment",
            "agreement": agreement,
            "terms": list(agreement.terms.all()),
            "stock": stock,
            "stock_units": sum(row.quantity for row in stock),
            "stock_value": sum(row.quantity * row.unit_price_idr for row in stock),
            "placements": selectors.placements_for(user=user, agreement=agreement),
            "sales": selectors.consignment_sales_recent(user=user, agreement=agreement),
            "statements": selectors.statements_for(user=user, agreement=agreement),
            "payments": selectors.consignment_payments_for(user=user, agreement=agreement),
            "owed": selectors.outlet_owed_by_agreement(user=user, agreements=[agreement]).get(agreement.pk, 0),
            "in_force": consignment_services.in_force(agreement, timezone.localdate()),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def consignment_end(request: HttpRequest, pk: int) -> HttpResponse:
    """End the agreement earlier: its last day (never later than its end date), confirmed."""
    agreement = _agreement(request, pk)
    form = forms.EndForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            agreement = consignment_services.agreement_end(
                actor=request.user, agreement=agreement, end_date=form.cleaned_data["end_date"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("The agreement with %(outlet)s ends on %(day)s.")
                % {"outlet": agreement.outlet.name, "day": agreement.end_date},
            )
            return redirect("backoffice:consignment_detail", pk=agreement.pk)
    return render(
        request, "backoffice/consignment_end.html", {"section": "consignment", "agreement": agreement, "form": form}
    )


# Placing goods and the tanda terima titipan -----------------------------------------------------


def _place_choices(user: Actor, agreement: Agreement, locations: list[Location]) -> tuple[list, dict]:
    """The seller's products with units at ``locations`` (``SKU · product — Gudang 12``) and their variants."""
    names = {loc.pk: loc.name for loc in locations}
    where: dict[int, list[str]] = {}
    for row in inventory_selectors.stock_units_by_variant_location(user=user):
        if row["location_id"] in names:
            where.setdefault(row["variant_id"], []).append(f"{names[row['location_id']]} {row['units']}")
    variants = {v.sku: v for v in selectors.placement_variants_for(user=user, agreement=agreement, ids=list(where))}
    choices = []
    for sku, variant in variants.items():
        name = f"{variant.product.name} ({variant.name})" if variant.name else variant.product.name
        choices.append((sku, f"{sku} · {name} — {', '.join(where[variant.pk])}"))
    return choices, variants


@login_required
@require_http_methods(["GET", "POST"])
def consignment_place(request: HttpRequest, pk: int) -> HttpResponse:
    """Send goods to the outlet: from one of the seller's stock locations, lines of SKU, quantity and an
    optional price. A POST with ``_add_line`` only shows one more empty line."""
    agreement = _agreement(request, pk)
    user = request.user
    location_qs = selectors.placement_locations_for(user=user, agreement=agreement)
    locations = list(location_qs)
    choices, variants = _place_choices(user, agreement, locations)
    add_line = request.method == "POST" and "_add_line" in request.POST
    data = _line_data(request.POST if request.method == "POST" else None, add_line)
    form = forms.PlaceForm(None if add_line else data, locations=location_qs, initial=data if add_line else None)
    formset = forms.LineFormSet(data, prefix=LINES_PREFIX, form_kwargs={"choices": choices})
    if data is not None and not add_line and form.is_valid() and formset.is_valid():
        lines = [
            consignment_services.PlacementLineInput(variants[sku], quantity, price)
            for sku, quantity, price in formset.rows()
        ]
        if not lines:
            form.add_error(None, _("Add at least one product to place."))
        else:
            try:
                placement = consignment_services.placement_send(
                    actor=user,
                    agreement=agreement,
                    from_location=form.cleaned_data["from_location"],
                    lines=lines,
                    note=form.cleaned_data["note"],
                )
            except ValidationError as exc:
                _place_line_errors(form, formset, exc, {v.pk: sku for sku, v in variants.items()})
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request,
                    _("Goods sent to %(outlet)s with tanda terima %(number)s.")
                    % {"outlet": agreement.outlet.name, "number": placement.transfer.number},
                )
                return redirect("backoffice:consignment_placement", pk=agreement.pk, placement_pk=placement.pk)
    return render(
        request,
        "backoffice/consignment_place.html",
        {
            "section": "consignment",
            "agreement": agreement,
            "form": form,
            "formset": formset,
            "has_stock": bool(choices),
            "in_force": consignment_services.in_force(agreement, timezone.localdate()),
        },
    )


@login_required
@require_GET
def consignment_placement(request: HttpRequest, pk: int, placement_pk: int) -> HttpResponse:
    agreement = _agreement(request, pk)
    placement = get_or_404(selectors.placement_for, user=request.user, agreement=agreement, pk=placement_pk)
    lines = list(placement.lines.all())
    lots = list(placement.transfer.lines.all())
    return render(
        request,
        "backoffice/consignment_placement.html",
        {
            "section": "consignment",
            "agreement": agreement,
            "placement": placement,
            "lines": lines,
            "lots": lots,
            "units": sum(line.quantity for line in lines),
            "value": sum(line.quantity * line.unit_price_idr for line in lines),
        },
    )


@login_required
@require_GET
def consignment_placement_pdf(request: HttpRequest, pk: int, placement_pk: int) -> HttpResponse:
    """The tanda terima titipan: the seller, the outlet, each lot with its price, signatures and the QR."""
    agreement = _agreement(request, pk)
    placement = get_or_404(selectors.placement_for, user=request.user, agreement=agreement, pk=placement_pk)
    if placement.transfer.document is None:
        raise Http404(_("Not found."))
    pdf = renderers.consignment_receipt_pdf(placement=placement, base_url=site_base_url(request))
    return pdf_response(pdf, f"tanda-terima-titipan-{placement.transfer.number}.pdf")


# A sale at the outlet, recorded by the seller's staff --------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def consignment_sale(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _agreement(request, pk)
    user = request.user
    shelf: dict[str, dict[str, Any]] = {}
    for row in selectors.outlet_stock_for(user=user, agreement=agreement):
        entry = shelf.setdefault(row.sku, {"product": row.product, "units": 0, "price": row.unit_price_idr})
        entry["units"] += row.quantity
    choices = [
        (sku, f"{sku} · {e['product']} · {format_rupiah(e['price'])} — {e['units']}") for sku, e in shelf.items()
    ]
    add_line = request.method == "POST" and "_add_line" in request.POST
    data = _line_data(request.POST if request.method == "POST" else None, add_line)
    form = forms.SaleForm(None if add_line else data, initial=data if add_line else {"sold_date": timezone.localdate()})
    formset = forms.LineFormSet(data, prefix=LINES_PREFIX, form_kwargs={"choices": choices})
    if data is not None and not add_line and form.is_valid() and formset.is_valid():
        lines = [consignment_services.OutletSaleLine(sku, quantity, price) for sku, quantity, price in formset.rows()]
        try:
            recorded = consignment_services.outlet_sale_record(
                actor=user, agreement=agreement, sold_date=form.cleaned_data["sold_date"], lines=lines
            )
        except ValidationError as exc:
            _place_line_errors(form, formset, exc, {})
        else:
            sale = recorded.sale
            messages.success(
                request,
                _("Sale %(number)s recorded: %(gross)s, commission %(commission)s, owed by the outlet %(net)s.")
                % {
                    "number": sale.number,
                    "gross": format_rupiah(sale.gross_idr),
                    "commission": format_rupiah(sale.commission_idr),
                    "net": format_rupiah(sale.gross_idr - sale.commission_idr),
                },
            )
            return redirect("backoffice:consignment_detail", pk=agreement.pk)
    return render(
        request,
        "backoffice/consignment_sale.html",
        {
            "section": "consignment",
            "agreement": agreement,
            "form": form,
            "formset": formset,
            "has_stock": bool(choices),
        },
    )


# Statements and payments ------------------------------------------------------------------------


def _statement_url(agreement: Agreement, date_from: datetime.date, date_to: datetime.date) -> str:
    query = urlencode({"dari": date_from.isoformat(), "sampai": date_to.isoformat()})
    return f"{reverse('backoffice:consignment_statement', kwargs={'pk': agreement.pk})}?{query}"


@login_required
@require_GET
def consignment_statement(request: HttpRequest, pk: int) -> HttpResponse:
    """A period's statement (the previous whole period unless another is asked for) and whether it was issued."""
    agreement = _agreement(request, pk)
    user = request.user
    period_form = forms.PeriodForm(request.GET or None)
    date_from, date_to = period_form.period(previous_period(agreement, timezone.localdate()))
    if date_to < date_from:
        period_form.add_error("sampai", _("The end of the period cannot be before its start."))
        date_from, date_to = previous_period(agreement, timezone.localdate())
    statement = selectors.consignment_statement(user=user, agreement=agreement, date_from=date_from, date_to=date_to)
    issued_list = selectors.statements_for(user=user, agreement=agreement)
    issued = next((s for s in issued_list if s.date_from == date_from and s.date_to == date_to), None)
    return render(
        request,
        "backoffice/consignment_statement.html",
        {
            "section": "consignment",
            "agreement": agreement,
            "period_form": period_form,
            "statement": statement,
            "units": sum(line.units for line in statement.lines),
            "issued": issued,
            "issued_list": issued_list,
            "issue_form": forms.IssueForm(initial={"date_from": date_from, "date_to": date_to}),
        },
    )


@login_required
@require_POST
def consignment_statement_issue(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _agreement(request, pk)
    form = forms.IssueForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the statement's period again."))
        return redirect("backoffice:consignment_statement", pk=agreement.pk)
    date_from, date_to = form.cleaned_data["date_from"], form.cleaned_data["date_to"]
    try:
        issued = consignment_services.consignment_statement_issue(
            actor=request.user, agreement=agreement, date_from=date_from, date_to=date_to
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Statement %(number)s issued.") % {"number": issued.document.number})
    return redirect(_statement_url(agreement, date_from, date_to))


@login_required
@require_GET
def consignment_statement_pdf(request: HttpRequest, pk: int, statement_pk: int) -> HttpResponse:
    agreement = _agreement(request, pk)
    user = request.user
    issued = get_or_404(selectors.statement_for, user=user, agreement=agreement, pk=statement_pk)
    statement = selectors.issued_statement(user=user, agreement=agreement, issued=issued)
    pdf = renderers.consignment_statement_pdf(
        document=issued.document, statement=statement, issued=issued, base_url=site_base_url(request)
    )
    return pdf_response(pdf, f"{issued.document.number}.pdf")


@login_required
@require_http_methods(["GET", "POST"])
def consignment_payment(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _agreement(request, pk)
    user = request.user
    form = forms.PaymentForm(
        request.POST if request.method == "POST" else None, initial={"paid_date": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            payment = consignment_services.consignment_payment_record(
                actor=user, agreement=agreement, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc, default_field="amount_idr")
        else:
            messages.success(
                request,
                _("Payment of %(amount)s from %(outlet)s recorded.")
                % {"amount": format_rupiah(payment.amount_idr), "outlet": agreement.outlet.name},
            )
            return redirect("backoffice:consignment_detail", pk=agreement.pk)
    return render(
        request,
        "backoffice/consignment_payment.html",
        {
            "section": "consignment",
            "agreement": agreement,
            "form": form,
            "owed": selectors.outlet_owed_by_agreement(user=user, agreements=[agreement]).get(agreement.pk, 0),
        },
    )
