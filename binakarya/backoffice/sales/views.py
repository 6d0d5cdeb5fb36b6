"""Staff pages for sales: record a sale from any channel, the list, a sale's page, and returns.

Sales are read through ``sales.selectors`` (scoped like the API: an organization's staff and the oversight
above it; an outlet partner only the sales made at their outlet) and written through ``sales.services``,
which check ``sales.record`` and raise PermissionDenied (403) for a user who may only look. Another
organization's sale is a 404.
"""

import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from binakarya.backoffice.access import records_sales, sees_sales
from binakarya.backoffice.common import (
    add_service_errors,
    export_filename,
    export_links,
    get_or_404,
    paginate,
    place_shortfalls,
    query_without_page,
)
from binakarya.backoffice.sales import forms
from binakarya.catalog.models import Variant
from binakarya.core.exports import export_format, export_response
from binakarya.core.money import format_rupiah
from binakarya.core.types import Actor, HtmxHttpRequest
from binakarya.inventory import selectors as inventory_selectors
from binakarya.inventory.fifo import InsufficientStock
from binakarya.inventory.models import Location
from binakarya.ledger.models import Account
from binakarya.organizations import selectors as organization_selectors
from binakarya.sales import selectors as sales_selectors
from binakarya.sales.models import Channel, Sale
from binakarya.sales.reports import EXPORT_MAX_ROWS, sales_table
from binakarya.sales.services import require_returns_recorder, sale_record, sale_reverse

# Which field of a line each of sale_record's line errors is about, by the error's code.
LINE_FIELDS = {
    "unknown_sku": "variant",
    "quantity": "quantity",
    "unit_price": "unit_price_idr",
    # A price far from the catalog's: the line then shows "this price is intended" and the reason.
    "unusual_price": "unit_price_idr",
    "unusual_price_reason": "price_reason",
}


def _require_sales_pages(user: Actor) -> None:
    if not sees_sales(user):
        raise PermissionDenied(_("Only the staff of a facility or a producer see sales."))


# Sale list --------------------------------------------------------------------------------------


@login_required
@require_GET
def sale_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    _require_sales_pages(user)
    locations = [
        loc
        for loc in inventory_selectors.locations_for(user=user, active_only=False)
        if loc.kind != Location.Kind.TRANSIT
    ]
    form = forms.SaleFilterForm(request.GET, locations=locations)
    sales: QuerySet[Sale] | list[Sale] = []
    totals = sales_selectors.SalesTotals(count=0, gross=None, premi=None)
    if form.is_valid():
        data = form.cleaned_data
        sales = sales_selectors.sales_for(
            user=user,
            location_code=data["lokasi"],
            channel=data["kanal"],
            date_from=data["dari"],
            date_to=data["sampai"],
        )
        totals = sales_selectors.sales_totals(sales=sales)
        fmt = export_format(request.GET.get("format"))
        if fmt:
            if totals["count"] <= EXPORT_MAX_ROWS:
                table = sales_table(sales=sales, title=_("Sales"))
                return export_response(
                    fmt, export_filename(_("Sales"), data["dari"] or "", data["sampai"] or ""), [table]
                )
            messages.error(
                request,
                _("%(count)s sales are too many for one file (at most %(max)s): choose a shorter period.")
                % {"count": totals["count"], "max": EXPORT_MAX_ROWS},
            )
    return render(
        request,
        "backoffice/sale_list.html",
        {
            "section": "sales",
            "form": form,
            "page": paginate(request, sales),
            "totals": totals,
            "base_query": query_without_page(request),
            "many_orgs": organization_selectors.organizations_for(user=user).count() > 1,
            "can_record": records_sales(user),
            "export_links": export_links(request),
        },
    )


# Record a sale ----------------------------------------------------------------------------------


def _default_location(locations: list[Location]) -> Location | None:
    for kind in (Location.Kind.SHOWROOM, Location.Kind.STORE):
        found = next((loc for loc in locations if loc.kind == kind), None)
        if found is not None:
            return found
    return locations[0] if locations else None


def _chosen_location(locations: list[Location], params: QueryDict | None) -> Location | None:
    key = str(params.get("location", "")) if params is not None else ""
    return next((loc for loc in locations if str(loc.pk) == key), None) or _default_location(locations)


# The product field of a line, as sent: ``baris-0-variant``.
VARIANT_KEY = re.compile(rf"^{forms.LINE_PREFIX}-\d+-variant$")


def _picked_variant_ids(params: QueryDict | None) -> set[int]:
    """The products picked on the lines sent, whatever their location."""
    if params is None:
        return set()
    picked = (str(params.get(key, "")) for key in params if VARIANT_KEY.match(key))
    return {int(value) for value in picked if value.isdigit()}


def _forms(
    request: HttpRequest,
    locations: list[Location],
    *,
    data: QueryDict | None = None,
    values: QueryDict | None = None,
    add_line: bool = False,
) -> tuple[forms.SaleForm, forms.BaseSaleLineFormSet]:
    """The sale form and its lines for the location in ``data`` or ``values`` (the showroom by default).

    ``values`` are what was typed before a refresh (another location, another product, one more line): they
    are shown again without error messages, and a line whose product was just picked gets that product's price.
    """
    user = request.user
    sent = data if data is not None else values
    location = _chosen_location(locations, sent)
    many_orgs = len({loc.organization_id for loc in locations}) > 1
    variants = sales_selectors.sale_variants_for(user=user)
    shown = list(sales_selectors.sale_variants_for(user=user, location=location, in_stock=True)) if location else []
    # Products picked on a line but not held at the location (picked before it changed) are looked up once
    # for all the lines: they stay on their line, so that the service can explain the refusal.
    missing = _picked_variant_ids(sent) - {v.pk for v in shown}
    picked = {v.pk: v for v in sales_selectors.sale_variants_for(user=user, ids=missing)} if missing else {}
    line_kwargs = {"variants": variants, "shown_variants": shown, "picked_variants": picked, "location": location}
    form_kwargs: dict[str, Any] = {
        "locations": sales_selectors.sale_locations_for(user=user),
        "buyers": organization_selectors.organizations_by_kind(kinds=sales_selectors.BUYER_KINDS),
        "many_orgs": many_orgs,
    }
    if data is not None:
        form = forms.SaleForm(data, **form_kwargs)
        formset = forms.SaleLineFormSet(data, prefix=forms.LINE_PREFIX, form_kwargs=line_kwargs)
    else:
        initial: dict[str, Any] = {"location": location.pk if location else None, "channel": Channel.POS}
        if location is not None and location.kind == Location.Kind.OUTLET:
            initial["channel"] = Channel.OUTLET
        rows: list[dict[str, Any]] = []
        if values is not None:
            keep = ["buyer", "buyer_name", "commission_idr", "sold_on"]
            # Choosing another location chooses its usual channel; otherwise the channel stays as picked.
            if request.headers.get("HX-Trigger-Name") != "location":
                keep.append("channel")
            for name in keep:
                if values.get(name):
                    initial[name] = values.get(name)
            rows = _typed_rows(request, values, {v.pk: v for v in shown} | picked)
        form = forms.SaleForm(initial=initial, **form_kwargs)
        formset = forms.SaleLineFormSet(initial=rows, prefix=forms.LINE_PREFIX, form_kwargs=line_kwargs)
        formset.extra = max(len(rows) + (1 if add_line else 0), 1)
    refresh = {
        "hx-post": reverse("backoffice:sale_create"),
        "hx-trigger": "change",
        "hx-vals": '{"_refresh": "1"}',
        "hx-target": "#sale-form",
        "hx-swap": "outerHTML",
    }
    form.fields["location"].widget.attrs.update(refresh)
    for line in formset.forms:
        line.fields["variant"].widget.attrs.update(refresh)
    form.chosen_location = location
    form.has_stock = bool(shown)
    return form, formset


def _typed_rows(request: HttpRequest, values: QueryDict, variants: dict[int, Variant]) -> list[dict[str, Any]]:
    """The lines as typed; a line whose product changed (or has no price yet) gets the product's price.

    ``variants`` are the products that may be picked, by id (at least those picked on a line).
    """
    prefix = forms.LINE_PREFIX
    try:
        count = int(values.get(f"{prefix}-TOTAL_FORMS", "1"))
    except ValueError:
        count = 1
    count = max(0, min(count, forms.MAX_LINES))
    trigger = request.headers.get("HX-Trigger-Name", "")
    # Strings as typed, and a product's price as an int where it is filled in below.
    rows: list[dict[str, Any]] = [
        {name: values.get(f"{prefix}-{i}-{name}", "") for name in ("variant", "quantity", "unit_price_idr")}
        # The confirmation of an unusual price, when it was given, stays with its line.
        | {name: value for name in ("price_intended", "price_reason") if (value := values.get(f"{prefix}-{i}-{name}"))}
        for i in range(count)
    ]
    for i, row in enumerate(rows):
        variant = variants.get(int(row["variant"])) if str(row["variant"]).isdigit() else None
        if variant is not None and (not row["unit_price_idr"] or trigger == f"{prefix}-{i}-variant"):
            row["unit_price_idr"] = variant.price_idr
    # Trailing empty lines are dropped; one empty line is added back by the caller.
    while rows and not any(rows[-1].values()):
        rows.pop()
    return rows


def _place_line_errors(form: forms.SaleForm, formset: forms.BaseSaleLineFormSet, exc: ValidationError) -> None:
    """Put each of sale_record's errors next to the line (and field) it is about, the rest on top.

    A line's error carries its code and the position of the line among those sent (``params["line"]``).
    """
    line_forms = formset.filled()
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for key, errors in exc.error_dict.items():
        if key != "lines":
            name = forms.SALE_ERROR_FIELDS.get(key, key)
            form.add_error(name if name in form.fields else None, errors)
            continue
        for error in errors:
            field = LINE_FIELDS.get(error.code or "")
            line = (error.params or {}).get("line")
            if field is not None and isinstance(line, int) and 0 <= line < len(line_forms):
                line_forms[line].add_error(field, error)
            else:
                form.add_error(None, error)


@login_required
@require_http_methods(["GET", "POST"])
def sale_create(request: HtmxHttpRequest) -> HttpResponse:
    """Record a sale. A POST with ``_refresh`` or ``_add_line`` only redraws the form (never saves)."""
    user = request.user
    if not records_sales(user):
        raise PermissionDenied(_("You do not record sales."))
    locations = list(sales_selectors.sale_locations_for(user=user))
    redraw = request.method == "POST" and ("_refresh" in request.POST or "_add_line" in request.POST)
    if request.method == "GET":
        form, formset = _forms(request, locations, values=request.GET if request.GET.get("location") else None)
    elif redraw:
        form, formset = _forms(request, locations, values=request.POST, add_line="_add_line" in request.POST)
    else:
        form, formset = _forms(request, locations, data=request.POST)
        if form.is_valid() and formset.is_valid():
            try:
                # No line at all is refused by the service too ("Add at least one item sold.").
                sale = sale_record(actor=user, lines=formset.lines(), **form.service_kwargs())
            except InsufficientStock as exc:
                place_shortfalls(form, formset.filled(), exc)
            except ValidationError as exc:
                _place_line_errors(form, formset, exc)
            else:
                messages.success(
                    request,
                    _("Sale %(number)s recorded: %(total)s, of which %(premi)s premi for the makers.")
                    % {
                        "number": sale.number,
                        "total": format_rupiah(sale.gross_idr),
                        "premi": format_rupiah(sale.premi_idr),
                    },
                )
                return redirect("backoffice:sale_detail", number=sale.number)
    context = {"section": "sales", "form": form, "formset": formset, "has_locations": bool(locations)}
    template = "backoffice/includes/sale_form.html" if request.htmx and redraw else "backoffice/sale_create.html"
    return render(request, template, context)


# Sale page and returns --------------------------------------------------------------------------


def _get_sale(request: HttpRequest, number: str) -> Sale:
    return get_or_404(sales_selectors.sale_for, user=request.user, number=number)


def _journal_rows(sale: Sale, sees_makers: bool) -> list[dict[str, Any]]:
    """The sale's accounts as people read them: "Premi payable · Ahmad" (names only for the own staff)."""
    rows = []
    for row in sales_selectors.sale_journal(sale=sale):
        party = row.name.split(" · ", 1)[1] if " · " in row.name else ""
        if row.maker_id and sees_makers:
            party = row.maker_name
        label = Account.Kind(row.kind).label if row.kind in Account.Kind.values else row.name
        rows.append(
            {
                "label": f"{label} · {party}" if party else str(label),
                "maker_id": row.maker_id if sees_makers else None,
                "posted_idr": row.posted_idr,
                "returned_idr": row.returned_idr,
                "net_idr": row.net_idr,
            }
        )
    return rows


def _render_sale(request: HttpRequest, sale: Sale, *, return_form: forms.SaleReturnForm | None = None) -> HttpResponse:
    user = request.user
    lines = list(sale.lines.all())
    can_record = user.has_perm("sales.record", sale.organization)
    open_lines = [line for line in lines if line.quantity > line.returned_quantity]
    if return_form is None and can_record and open_lines:
        return_form = forms.SaleReturnForm(lines=lines)
    # The money summary is for the selling organization's staff and oversight, not for an outlet partner.
    sees_books = sales_selectors.sale_books_visible_to(user=user, sale=sale)
    sees_makers = user.has_perm("makers.view", sale.organization)
    returns = sales_selectors.sale_returns_for(sale=sale)
    return render(
        request,
        "backoffice/sale_detail.html",
        {
            "section": "sales",
            "sale": sale,
            "lines": lines,
            "units": sum(line.quantity for line in lines),
            "units_returned": sum(line.returned_quantity for line in lines),
            "returns": returns,
            "journal": _journal_rows(sale, sees_makers) if sees_books else None,
            "sees_makers": sees_makers,
            "sees_lots": sees_books,
            "return_form": return_form if (can_record and open_lines) else None,
        },
    )


@login_required
@require_GET
def sale_detail(request: HttpRequest, number: str) -> HttpResponse:
    sale = _get_sale(request, number)
    if sale.number != number:
        return redirect("backoffice:sale_detail", number=sale.number)
    return _render_sale(request, sale)


@login_required
@require_POST
def sale_return(request: HttpRequest, number: str) -> HttpResponse:
    """Return or cancel the whole sale (``_all``) or the units typed per line; the units go back into stock."""
    user = request.user
    sale = _get_sale(request, number)
    require_returns_recorder(user, sale.organization)
    form = forms.SaleReturnForm(request.POST, lines=list(sale.lines.all()))
    if form.is_valid():
        try:
            sale_return = sale_reverse(
                actor=user, sale=sale, lines=form.returned(), reason=form.cleaned_data["reason"].strip()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            units = sum(line.quantity for line in sale_return.lines.all())
            if sale_return.sale.status == Sale.Status.REVERSED:
                messages.success(request, _("Sale %(number)s is returned in full.") % {"number": sale.number})
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(units)s unit of sale %(number)s returned.",
                        "%(units)s units of sale %(number)s returned.",
                        units,
                    )
                    % {"units": units, "number": sale.number},
                )
            return redirect(reverse("backoffice:sale_detail", args=[sale.number]) + "#returns")
    return _render_sale(request, _get_sale(request, number), return_form=form)
