"""Staff pages at the outlet's shelf: returns and recalls (with their PDF), damage, counts, the review with
a one-tap recall per slow seller, and the agreement's history (page and PDF).

These are the seller's staff's pages (``consignment.services.is_seller_staff``: the sales roles): an
agreement the user is not a party to is a 404, and the outlet's partner, who is a party, gets a 403 (their
own pages are under ``mitra/``). Reads go through ``consignment.selectors``/``consignment.review``, writes
through ``consignment.returns``; on any error nothing is saved and the form shows what to fix.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from binakarya.backoffice.common import add_service_errors, get_or_404, pdf_response, site_base_url
from binakarya.backoffice.consignment import shelf_forms as forms
from binakarya.consignment import returns as shelf_services
from binakarya.consignment import review as review_selectors
from binakarya.consignment.models import Agreement
from binakarya.consignment.selectors import agreement_for, outlet_stock_for
from binakarya.consignment.services import is_seller_staff
from binakarya.documents.renderers import consignment_history_pdf, consignment_return_pdf
from binakarya.inventory import selectors as inventory_selectors
from binakarya.inventory.fifo import InsufficientStock
from binakarya.inventory.models import Location


def _agreement(request: HttpRequest, pk: int) -> Agreement:
    """The agreement, for the seller's staff: 404 for anyone not a party, 403 for the outlet's partner."""
    agreement = get_or_404(agreement_for, user=request.user, pk=pk)
    if not is_seller_staff(request.user, agreement):
        raise PermissionDenied(_("Only the seller's staff may open this page."))
    return agreement


def _context(agreement: Agreement, **extra: object) -> dict[str, object]:
    return {"section": "consignment", "agreement": agreement, **extra}


def _put_errors(form: forms.ShelfRowsForm, exc: ValidationError) -> None:
    if isinstance(exc, InsufficientStock):
        form.add_error(None, exc.messages)
    else:
        add_service_errors(form, exc)


# Returns and recalls ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def shelf_return(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _agreement(request, pk)
    rows = outlet_stock_for(user=request.user, agreement=agreement)
    locations = [
        location
        for location in inventory_selectors.locations_for(
            user=request.user, organization=agreement.organization, include_transit=False
        )
        if location.kind != Location.Kind.OUTLET
    ]
    form = forms.ReturnForm(request.POST if request.method == "POST" else None, rows=rows, locations=locations)
    if request.method == "POST" and form.is_valid():
        try:
            returned = shelf_services.consignment_return_create(
                actor=request.user,
                agreement=agreement,
                kind=form.cleaned_data["kind"],
                lines=[shelf_services.ShelfLine(row.sku, units, row.lot) for row, units in form.filled()],
                to_location=form.location(),
                reason=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            _put_errors(form, exc)
        else:
            messages.success(request, _("The goods are recorded as brought back."))
            return redirect("backoffice:consignment_shelf_return_detail", pk=agreement.pk, return_pk=returned.pk)
    returns = list(review_selectors.returns_for(user=request.user, agreement=agreement)[:20])
    return render(request, "backoffice/consignment_shelf_return.html", _context(agreement, form=form, returns=returns))


@login_required
@require_GET
def shelf_return_detail(request: HttpRequest, pk: int, return_pk: int) -> HttpResponse:
    agreement = _agreement(request, pk)
    returned = get_or_404(review_selectors.consignment_return_for, user=request.user, agreement=agreement, pk=return_pk)
    lines = list(returned.lines.all())
    return render(
        request,
        "backoffice/consignment_shelf_return_detail.html",
        _context(
            agreement,
            returned=returned,
            lines=lines,
            units=sum(line.quantity for line in lines),
            value_idr=sum(line.quantity * line.unit_price_idr for line in lines),
            in_transit=returned.received_at is None,
        ),
    )


@login_required
@require_POST
def shelf_return_receive(request: HttpRequest, pk: int, return_pk: int) -> HttpResponse:
    agreement = _agreement(request, pk)
    returned = get_or_404(review_selectors.consignment_return_for, user=request.user, agreement=agreement, pk=return_pk)
    try:
        shelf_services.consignment_return_receive(actor=request.user, consignment_return=returned)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Receipt confirmed."))
    return redirect("backoffice:consignment_shelf_return_detail", pk=agreement.pk, return_pk=returned.pk)


@login_required
@require_GET
def shelf_return_pdf(request: HttpRequest, pk: int, return_pk: int) -> HttpResponse:
    agreement = _agreement(request, pk)
    returned = get_or_404(review_selectors.consignment_return_for, user=request.user, agreement=agreement, pk=return_pk)
    pdf = consignment_return_pdf(consignment_return=returned, base_url=site_base_url(request))
    return pdf_response(pdf, f"{returned.transfer.number}.pdf")


# Damage and counts ------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def shelf_damage(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _agreement(request, pk)
    rows = outlet_stock_for(user=request.user, agreement=agreement)
    form = forms.ShelfRowsForm(request.POST if request.method == "POST" else None, rows=rows)
    if request.method == "POST" and form.is_valid():
        try:
            records = shelf_services.outlet_damage_record(
                actor=request.user,
                agreement=agreement,
                lines=[shelf_services.ShelfLine(row.sku, units, row.lot) for row, units in form.filled()],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            _put_errors(form, exc)
        else:
            units = sum(record.quantity for record in records)
            if agreement.damage_borne_by == Agreement.Party.OUTLET:
                messages.success(request, _("%(units)s damaged units charged to the outlet.") % {"units": units})
            else:
                messages.success(request, _("%(units)s damaged units written off.") % {"units": units})
            return redirect("backoffice:consignment_history", pk=agreement.pk)
    return render(request, "backoffice/consignment_shelf_damage.html", _context(agreement, form=form))


@login_required
@require_http_methods(["GET", "POST"])
def shelf_count(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _agreement(request, pk)
    rows = review_selectors.count_sheet_for(user=request.user, agreement=agreement)
    form = forms.ShelfRowsForm(request.POST if request.method == "POST" else None, rows=rows, counting=True)
    if request.method == "POST" and form.is_valid():
        try:
            count = shelf_services.outlet_count_post(
                actor=request.user,
                agreement=agreement,
                lines=[shelf_services.CountLineInput(row.sku, row.lot, units) for row, units in form.filled()],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            _put_errors(form, exc)
        else:
            messages.success(
                request,
                _("Count saved: %(short)s short, %(surplus)s over.")
                % {"short": count.shortage_units, "surplus": count.surplus_units},
            )
            return redirect("backoffice:consignment_history", pk=agreement.pk)
    return render(request, "backoffice/consignment_shelf_count.html", _context(agreement, form=form))


# Review and history -----------------------------------------------------------------------------------


@login_required
@require_GET
def review(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _agreement(request, pk)
    result = review_selectors.agreement_review(user=request.user, agreement=agreement)
    return render(request, "backoffice/consignment_shelf_review.html", _context(agreement, review=result))


@login_required
@require_POST
def review_recall(request: HttpRequest, pk: int) -> HttpResponse:
    """The one-tap recall of a slow seller: all its units on the shelf come back to the seller's store."""
    agreement = _agreement(request, pk)
    form = forms.RecallForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a product to recall."))
        return redirect("backoffice:consignment_review", pk=agreement.pk)
    try:
        returned = shelf_services.consignment_return_create(
            actor=request.user,
            agreement=agreement,
            kind="RECALL",
            lines=[shelf_services.ShelfLine(form.cleaned_data["sku"], form.cleaned_data["quantity"])],
            reason=_("Slow seller"),
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("backoffice:consignment_review", pk=agreement.pk)
    messages.success(request, _("Recalled."))
    return redirect("backoffice:consignment_shelf_return_detail", pk=agreement.pk, return_pk=returned.pk)


@login_required
@require_GET
def history(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _agreement(request, pk)
    result = review_selectors.agreement_history(user=request.user, agreement=agreement)
    return render(
        request,
        "backoffice/consignment_shelf_history.html",
        _context(
            agreement,
            history=result,
            gross_idr=sum(p.gross_idr for p in result.periods),
            net_idr=sum(p.net_idr for p in result.periods),
        ),
    )


@login_required
@require_GET
def history_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _agreement(request, pk)
    pdf = consignment_history_pdf(history=review_selectors.agreement_history(user=request.user, agreement=agreement))
    return pdf_response(pdf, f"riwayat-titip-jual-{agreement.pk}.pdf")
