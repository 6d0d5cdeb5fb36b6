"""Staff pages for sales: record a sale from any channel, the list, a sale's page, and returns.

Sales are read through ``sales.selectors`` (scoped like the API: an organization's staff and the oversight
above it; an outlet partner only the sales made at their outlet) and written through ``sales.services``,
which check ``sales.record`` and raise PermissionDenied (403) for a user who may only look. Another
organization's sale is a 404.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from binakarya.backoffice.access import records_sales, sees_sales
from binakarya.backoffice.common import add_service_errors, get_or_404, paginate, place_shortfalls
from binakarya.backoffice.sales import forms
from binakarya.core.money import format_rupiah
from binakarya.inventory import selectors as inventory_selectors
from binakarya.inventory.fifo import InsufficientStock
from binakarya.inventory.models import Location
from binakarya.ledger.models import Account
from binakarya.organizations.scoping import visible_organizations
from binakarya.sales import selectors as sales_selectors
from binakarya.sales.models import Channel, Sale
from binakarya.sales.selectors import SALES_VIEW_ROLES
from binakarya.sales.services import sale_record, sale_reverse

# Which field of a line each of sale_record's line errors is about, by the error's code.
LINE_FIELDS = {"unknown_sku": "variant", "quantity": "quantity", "unit_price": "unit_price_idr"}


def _require_sales_pages(user: Any) -> None:
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
    qs = sales_selectors.sales_for(user=user)
    if form.is_valid():
        data = form.cleaned_data
        if data["lokasi"]:
            qs = qs.filter(location__code=data["lokasi"])
        if data["kanal"]:
            qs = qs.filter(channel=data["kanal"])
        if data["dari"]:
            qs = qs.filter(occurred_at__date__gte=data["dari"])
        if data["sampai"]:
            qs = qs.filter(occurred_at__date__lte=data["sampai"])
    else:
        qs = qs.none()
    params = request.GET.copy()
    params.pop("halaman", None)
    totals = qs.aggregate(count=Count("id"), gross=Sum("gross_idr"), premi=Sum("premi_idr"))
    return render(
        request,
        "backoffice/sale_list.html",
        {
            "section": "sales",
            "form": form,
            "page": paginate(request, qs.order_by("-occurred_at", "-id")),
            "totals": totals,
            "base_query": params.urlencode(),
            "many_orgs": visible_organizations(user).count() > 1,
            "can_record": records_sales(user),
        },
    )


# Record a sale ----------------------------------------------------------------------------------


def _default_location(locations: list[Location]) -> Location | None:
    for kind in (Location.Kind.SHOWROOM, Location.Kind.STORE):
        found = next((loc for loc in locations if loc.kind == kind), None)
        if found is not None:
            return found
    return locations[0] if locations else None


def _chosen_location(locations: list[Location], params: Any) -> Location | None:
    key = str(params.get("location", "")) if params is not None else ""
    return next((loc for loc in locations if str(loc.pk) == key), None) or _default_location(locations)


def _forms(
    request: HttpRequest, locations: list[Location], *, data: Any = None, values: Any = None, add_line: bool = False
) -> tuple[forms.SaleForm, forms.BaseSaleLineFormSet]:
    """The sale form and its lines for the location in ``data`` or ``values`` (the showroom by default).

    ``values`` are what was typed before a refresh (another location, another product, one more line): they
    are shown again without error messages, and a line whose product was just picked gets that product's price.
    """
    user = request.user
    location = _chosen_location(locations, data if data is not None else values)
    location_qs = Location.objects.filter(pk__in=[loc.pk for loc in locations]).select_related("organization")
    many_orgs = len({loc.organization_id for loc in locations}) > 1
    variants = sales_selectors.sale_variants_for(user=user)
    shown = (
        list(sales_selectors.sale_variants_for(user=user, location=location).filter(units__gt=0)) if location else []
    )
    line_kwargs = {"variants": variants, "shown_variants": shown, "location": location}
    form_kwargs = {"locations": location_qs, "buyers": forms.buyer_organizations(), "many_orgs": many_orgs}
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
            rows = _typed_rows(request, values, variants)
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


def _typed_rows(request: HttpRequest, values: Any, variants: Any) -> list[dict[str, Any]]:
    """The lines as typed; a line whose product changed (or has no price yet) gets the product's price."""
    prefix = forms.LINE_PREFIX
    try:
        count = int(values.get(f"{prefix}-TOTAL_FORMS", "1"))
    except ValueError:
        count = 1
    count = max(0, min(count, forms.MAX_LINES))
    trigger = request.headers.get("HX-Trigger-Name", "")
    rows = [
        {name: values.get(f"{prefix}-{i}-{name}", "") for name in ("variant", "quantity", "unit_price_idr")}
        for i in range(count)
    ]
    picked = {int(r["variant"]) for r in rows if str(r["variant"]).isdigit()}
    prices = dict(variants.filter(pk__in=picked).values_list("pk", "price_idr"))
    for i, row in enumerate(rows):
        variant_id = int(row["variant"]) if str(row["variant"]).isdigit() else None
        if variant_id in prices and (not row["unit_price_idr"] or trigger == f"{prefix}-{i}-variant"):
            row["unit_price_idr"] = prices[variant_id]
    # Trailing empty lines are dropped; one empty line is added back by the caller.
    while rows and not any(rows[-1].values()):
        rows.pop()
    return rows


def _place_line_errors(form: forms.SaleForm, formset: Any, exc: ValidationError) -> None:
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
def sale_create(request: HttpRequest) -> HttpResponse:
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


def _render_sale(request: HttpRequest, sale: Sale, *, return_form: Any = None) -> HttpResponse:
    user = request.user
    lines = list(sale.lines.all())
    can_record = user.has_perm("sales.record", sale.organization)
    open_lines = [line for line in lines if line.quantity > line.returned_quantity]
    if return_form is None and can_record and open_lines:
        return_form = forms.SaleReturnForm(lines=lines)
    # The money summary is for the selling organization's staff and oversight, not for an outlet partner.
    sees_books = visible_organizations(user, roles=SALES_VIEW_ROLES).filter(pk=sale.organization_id).exists()
    sees_makers = user.has_perm("makers.view", sale.organization)
    returns = list(sale.returns.prefetch_related("lines__sale_line__variant", "lines__sale_line__lot"))
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
    if not user.has_perm("sales.record", sale.organization):
        raise PermissionDenied(_("You may not record returns for %(org)s.") % {"org": sale.organization.name})
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
