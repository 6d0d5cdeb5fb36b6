"""Staff pages for stock: balances, low stock and aging, transfers with their surat jalan, stock opname,
and locations.

Reads go through ``inventory.selectors`` (scoped to the user's organizations; another organization's row
is a 404), writes through ``inventory.services``, which check ``inventory.manage``.
"""

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from binakarya.backoffice.access import manages_stock, require_stock_pages
from binakarya.backoffice.common import (
    add_service_errors,
    get_or_404,
    paginate,
    pdf_response,
    place_shortfalls,
    query_without_page,
    site_base_url,
)
from binakarya.backoffice.stock import forms
from binakarya.core.types import Actor
from binakarya.documents.renderers import surat_jalan_pdf
from binakarya.inventory import selectors as inventory_selectors
from binakarya.inventory import services as inventory_services
from binakarya.inventory.fifo import InsufficientStock
from binakarya.inventory.models import Location, Transfer
from binakarya.inventory.selectors import STOCK_VIEW_ROLES, StockFilter
from binakarya.organizations import selectors as organization_selectors
from binakarya.organizations.models import Organization
from binakarya.organizations.scoping import INVENTORY_ROLES

LOW_STOCK_SHOWN = 20
TRANSFER_PREFIX = "baris"


# Stock ------------------------------------------------------------------------------------------


@login_required
@require_GET
def stock(request: HttpRequest) -> HttpResponse:
    user = request.user
    require_stock_pages(user)
    locations = list(inventory_selectors.locations_for(user=user, active_only=False))
    organizations = list(organization_selectors.organizations_for(user=user, roles=STOCK_VIEW_ROLES))
    form = forms.StockFilterForm(request.GET, locations=locations, organizations=organizations)
    if form.is_valid():
        data = form.cleaned_data
        filters = StockFilter(
            sku=data["sku"],
            location=data["lokasi"],
            product=data["produk"].strip(),
            lot=data["lot"],
            organization=data["organisasi"],
        )
        balances = inventory_selectors.stock_balances(user=user, filters=filters)
        units = inventory_selectors.stock_units(user=user, filters=filters)
    else:
        balances = inventory_selectors.stock_balances(user=user).none()
        units = 0
    low_stock = inventory_selectors.low_stock_variants(user=user)
    return render(
        request,
        "backoffice/stock.html",
        {
            "section": "stock",
            "form": form,
            "page": paginate(request, balances),
            "units": units,
            "base_query": query_without_page(request),
            "totals": list(inventory_selectors.stock_totals_by_location(user=user)),
            "low_stock": list(low_stock[:LOW_STOCK_SHOWN]),
            "low_stock_count": low_stock.count(),
            "many_orgs": len(organizations) > 1,
            "can_manage": manages_stock(user),
        },
    )


@login_required
@require_GET
def stock_aging(request: HttpRequest) -> HttpResponse:
    """Units on hand, oldest first: days since production and days at the current location."""
    require_stock_pages(request.user)
    rows = inventory_selectors.stock_aging(user=request.user)
    return render(
        request,
        "backoffice/stock_aging.html",
        {
            "section": "stock",
            "page": paginate(request, rows),
            "many_orgs": organization_selectors.sees_several_organizations(user=request.user),
        },
    )


# Stock opname -----------------------------------------------------------------------------------


def _countable_location(request: HttpRequest, code: str) -> Location:
    location = get_or_404(inventory_selectors.location_for, user=request.user, code=code)
    if location.kind == Location.Kind.TRANSIT:
        # Units in transit are settled by receiving the transfer, never by counting.
        raise Http404(_("Not found."))
    return location


@login_required
@require_http_methods(["GET", "POST"])
def stock_count(request: HttpRequest, code: str) -> HttpResponse:
    """Count every lot with a balance at one location; the variances are posted as COUNTED movements."""
    location = _countable_location(request, code)
    balances = list(inventory_selectors.stock_balances(user=request.user, filters=StockFilter(location=location.code)))
    form = forms.StockCountForm(request.POST if request.method == "POST" else None, balances=balances)
    if request.method == "POST" and form.is_valid():
        try:
            count = inventory_services.stock_count_post(
                actor=request.user, location=location, counted=form.counted(), note=form.cleaned_data["note"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Stock count saved."))
            return redirect("backoffice:stock_count_detail", pk=count.pk)
    return render(
        request,
        "backoffice/stock_count.html",
        {
            "section": "stock",
            "location": location,
            "form": form,
            "can_manage": request.user.has_perm("inventory.manage", location.organization),
            "counts": list(inventory_selectors.stock_counts_for(user=request.user, location=location)[:10]),
        },
    )


@login_required
@require_GET
def stock_count_detail(request: HttpRequest, pk: int) -> HttpResponse:
    count = get_or_404(inventory_selectors.stock_count_for, user=request.user, pk=pk)
    lines = list(count.lines.all())
    return render(
        request,
        "backoffice/stock_count_detail.html",
        {
            "section": "stock",
            "count": count,
            "lines": lines,
            "variance": sum(line.variance for line in lines),
            "changed": [line for line in lines if line.variance],
        },
    )


# Transfers --------------------------------------------------------------------------------------


@login_required
@require_GET
def transfer_list(request: HttpRequest) -> HttpResponse:
    require_stock_pages(request.user)
    status = request.GET.get("status", "")
    if status not in Transfer.Status.values:
        status = ""
    qs = inventory_selectors.transfers_with_units_for(user=request.user, status=status)
    return render(
        request,
        "backoffice/transfer_list.html",
        {
            "section": "transfers",
            "page": paginate(request, qs),
            "status": status,
            "statuses": Transfer.Status.choices,
            "base_query": f"status={status}" if status else "",
            "can_manage": manages_stock(request.user),
            "many_orgs": organization_selectors.sees_several_organizations(user=request.user),
        },
    )


def _stock_labels(user: Actor, locations: list[Location]) -> dict[int, str]:
    """Per variant, where its units are: ``Gudang 12, Ruang Pamer 3``."""
    names = {loc.pk: loc.name for loc in locations}
    where: dict[int, list[str]] = defaultdict(list)
    for row in inventory_selectors.stock_units_by_variant_location(user=user):
        if row["location_id"] in names:
            where[row["variant_id"]].append(f"{names[row['location_id']]} {row['units']}")
    return {variant_id: ", ".join(parts) for variant_id, parts in where.items()}


@login_required
@require_http_methods(["GET", "POST"])
def transfer_create(request: HttpRequest) -> HttpResponse:
    """Send stock to another location: several lines, oldest lots first, with a surat jalan.

    A POST with ``_add_line`` only shows one more empty line (works without JavaScript).
    """
    user = request.user
    if not manages_stock(user):
        raise PermissionDenied(_("You may not move stock."))
    location_qs = inventory_selectors.stock_move_locations_for(user=user)
    locations = list(location_qs)
    many_orgs = len({loc.organization_id for loc in locations}) > 1
    stock_labels = _stock_labels(user, locations)
    variants = inventory_selectors.stock_variants_for(user=user, ids=list(stock_labels))
    line_kwargs = {"variants": variants, "stock_labels": stock_labels}

    data: QueryDict | None = request.POST if request.method == "POST" else None
    add_line = data is not None and "_add_line" in data
    shown_lines = 0  # with _add_line: the lines typed so far, plus the new one
    if data is not None and add_line:
        data = data.copy()
        total = f"{TRANSFER_PREFIX}-TOTAL_FORMS"
        try:
            lines = int(data.get(total, "1"))
        except ValueError:
            lines = 1
        shown_lines = max(1, min(lines + 1, 30))
        data[total] = str(shown_lines)
    store = next((loc for loc in locations if loc.kind == Location.Kind.STORE), locations[0] if locations else None)
    showroom = next((loc for loc in locations if loc.kind == Location.Kind.SHOWROOM and loc != store), None)
    initial = {"from_location": store, "to_location": showroom}
    form = forms.TransferForm(data, locations=location_qs, many_orgs=many_orgs, initial=initial)
    formset = forms.TransferLineFormSet(data, prefix=TRANSFER_PREFIX, form_kwargs=line_kwargs)
    if data is not None and not add_line:
        if form.is_valid() and formset.is_valid():
            try:
                transfer = inventory_services.transfer_send(
                    actor=user,
                    from_location=form.cleaned_data["from_location"],
                    to_location=form.cleaned_data["to_location"],
                    lines=formset.lines(),
                    note=form.cleaned_data["note"],
                )
            except InsufficientStock as exc:
                place_shortfalls(form, [f for f in formset.forms if f.has_changed() and f.cleaned_data], exc)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Transfer %(number)s sent.") % {"number": transfer.number})
                return redirect("backoffice:transfer_detail", number=transfer.number)
    elif data is not None:  # _add_line
        # Show the lines again as typed, plus an empty one, without error messages.
        form = forms.TransferForm(
            initial={k: data.get(k) for k in ("from_location", "to_location", "note")},
            locations=location_qs,
            many_orgs=many_orgs,
        )
        rows = [
            {name: data.get(f"{TRANSFER_PREFIX}-{i}-{name}") for name in ("variant", "quantity")}
            for i in range(shown_lines - 1)
        ]
        formset = forms.TransferLineFormSet(initial=rows, prefix=TRANSFER_PREFIX, form_kwargs=line_kwargs)
        formset.extra = len(rows) + 1
    return render(
        request,
        "backoffice/transfer_create.html",
        {"section": "transfers", "form": form, "formset": formset, "has_stock": bool(stock_labels)},
    )


def _get_transfer(request: HttpRequest, number: str) -> Transfer:
    return get_or_404(inventory_selectors.transfer_for, user=request.user, number=number)


def _render_transfer(
    request: HttpRequest, transfer: Transfer, *, receive_form: forms.TransferReceiveForm | None = None
) -> HttpResponse:
    lines = list(transfer.lines.all())
    can_manage = request.user.has_perm("inventory.manage", transfer.organization)
    if receive_form is None and can_manage and transfer.status == Transfer.Status.IN_TRANSIT:
        receive_form = forms.TransferReceiveForm(lines=lines)
    return render(
        request,
        "backoffice/transfer_detail.html",
        {
            "section": "transfers",
            "transfer": transfer,
            "lines": lines,
            "units_sent": sum(line.quantity_sent for line in lines),
            "units_received": sum(line.quantity_received or 0 for line in lines),
            "missing": sum(line.discrepancy or 0 for line in lines),
            "receive_form": receive_form if transfer.status == Transfer.Status.IN_TRANSIT else None,
        },
    )


@login_required
@require_GET
def transfer_detail(request: HttpRequest, number: str) -> HttpResponse:
    return _render_transfer(request, _get_transfer(request, number))


@login_required
@require_POST
def transfer_receive(request: HttpRequest, number: str) -> HttpResponse:
    transfer = _get_transfer(request, number)
    form = forms.TransferReceiveForm(request.POST, lines=list(transfer.lines.all()))
    if form.is_valid():
        try:
            transfer = inventory_services.transfer_receive(
                actor=request.user, transfer=transfer, received=form.received(), note=form.cleaned_data["note"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if transfer.status == Transfer.Status.DISCREPANCY:
                messages.warning(request, _("Received with a discrepancy; it is recorded on this page."))
            else:
                messages.success(request, _("Transfer received."))
            return redirect("backoffice:transfer_detail", number=transfer.number)
    transfer = _get_transfer(request, number)
    return _render_transfer(request, transfer, receive_form=form)


@login_required
@require_GET
def transfer_pdf(request: HttpRequest, number: str) -> HttpResponse:
    """The surat jalan of the transfer, with its verification QR code."""
    transfer = _get_transfer(request, number)
    if transfer.document is None:
        raise Http404(_("Not found."))
    pdf = surat_jalan_pdf(transfer=transfer, base_url=site_base_url(request))
    return pdf_response(pdf, f"surat-jalan-{transfer.number}.pdf")


# Locations --------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def location_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    require_stock_pages(user)
    can_manage = manages_stock(user)
    if request.method == "POST" and not can_manage:
        raise PermissionDenied(_("You may not change locations."))
    form = forms.LocationCreateForm(
        request.POST if request.method == "POST" else None,
        organizations=organization_selectors.organizations_for(user=user, roles=INVENTORY_ROLES, oversight=False),
        outlets=organization_selectors.organizations_by_kind(kinds=[Organization.Kind.OUTLET]),
    )
    if request.method == "POST" and form.is_valid():
        try:
            location = inventory_services.location_create(actor=user, **form.service_kwargs())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Location %(name)s added.") % {"name": location.name})
            return redirect("backoffice:locations")
    locations = inventory_selectors.location_rows_for(user=user)
    return render(
        request,
        "backoffice/location_list.html",
        {
            "section": "stock",
            "locations": locations,
            "form": form if can_manage else None,
            "many_orgs": len({loc.organization_id for loc in locations}) > 1,
        },
    )
