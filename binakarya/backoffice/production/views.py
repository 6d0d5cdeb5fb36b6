"""Staff pages for production lots: record a lot, its page (contributors, stock, history), hang tags.

Lots are read through ``production.selectors`` (scoped: another organization's lot is a 404) and written
through ``production.services`` and ``inventory.services``, which check ``production.record`` and
``inventory.manage`` and raise PermissionDenied (403) for a user who may only look.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from binakarya.backoffice.access import require_stock_pages
from binakarya.backoffice.common import (
    add_service_errors,
    get_or_404,
    paginate,
    pdf_response,
    query_without_page,
    site_base_url,
)
from binakarya.backoffice.production import forms
from binakarya.core.types import Actor, HtmxHttpRequest
from binakarya.documents.renderers import tag_sheet_pdf
from binakarya.inventory import selectors as inventory_selectors
from binakarya.inventory import services as inventory_services
from binakarya.inventory.models import Location
from binakarya.inventory.selectors import STOCK_VIEW_ROLES, StockFilter
from binakarya.makers import selectors as maker_selectors
from binakarya.organizations import selectors as organization_selectors
from binakarya.organizations.models import Organization
from binakarya.organizations.scoping import PRODUCTION_ROLES
from binakarya.production import selectors as production_selectors
from binakarya.production import services as production_services
from binakarya.production.models import Lot

# Lot list ---------------------------------------------------------------------------------------


@login_required
@require_GET
def lot_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    require_stock_pages(user)
    organizations = organization_selectors.organizations_for(user=user, roles=STOCK_VIEW_ROLES)
    form = forms.LotFilterForm(request.GET, groups=maker_selectors.groups_for(user=user), organizations=organizations)
    if form.is_valid():
        data = form.cleaned_data
        qs = production_selectors.lots_with_on_hand_for(
            user=user, q=data["q"], group=data["kelompok"], organization=data["organisasi"]
        )
    else:
        qs = production_selectors.lots_with_on_hand_for(user=user).none()
    return render(
        request,
        "backoffice/lot_list.html",
        {
            "section": "lots",
            "form": form,
            "page": paginate(request, qs),
            "base_query": query_without_page(request),
            "many_orgs": organizations.count() > 1,
            "can_record": bool(_lot_sources(user)),
        },
    )


# Record a lot -----------------------------------------------------------------------------------


def _lot_sources(user: Actor) -> list[forms.LotSource]:
    """The groups (and UMKM producers) the user records lots for, in the order the picker shows them."""
    groups = list(production_selectors.lot_groups_for(user=user))
    # UMKM producers: their lots name no group.
    producers = list(
        organization_selectors.organizations_for(
            user=user, roles=PRODUCTION_ROLES, oversight=False, kinds=[Organization.Kind.PRODUCER], active_only=True
        )
    )
    many = len({g.organization_id for g in groups} | {o.pk for o in producers}) > 1
    sources = [
        forms.LotSource(
            key=f"g{g.pk}",
            label=f"{g.name} · {g.organization.name}" if many else g.name,
            organization=g.organization,
            group=g,
        )
        for g in groups
    ]
    sources += [forms.LotSource(key=f"o{o.pk}", label=o.name, organization=o, group=None) for o in producers]
    return sources


def _lot_form(
    request: HttpRequest,
    sources: list[forms.LotSource],
    *,
    data: QueryDict | None = None,
    values: QueryDict | None = None,
) -> forms.LotRecordForm:
    """The lot form for the group picked in ``data`` or ``values`` (the first group by default).

    ``values`` are the typed-so-far inputs of a refresh (the group changed): they become initial values,
    so the form is shown again for the new group without error messages.
    """
    user = request.user
    params = data if data is not None else values
    key = params.get("group") if params is not None else None
    source = next((s for s in sources if s.key == key), sources[0])
    organization_ids = sorted({s.organization.pk for s in sources})
    shown_variants = list(
        production_selectors.lot_variants_for(user=user, organization=source.organization, group=source.group)
    )
    locations = inventory_selectors.locations_for(user=user, organization_ids=organization_ids)
    shown_locations = [
        loc for loc in locations if loc.organization_id == source.organization.pk and loc.kind != Location.Kind.TRANSIT
    ]
    started, finished = forms.production_dates(params)
    contributors = list(
        production_selectors.lot_contributor_choices(
            user=user,
            organization=source.organization,
            group=source.group,
            started_date=started,
            finished_date=finished,
        )
    )
    store = next((loc for loc in shown_locations if loc.kind == Location.Kind.STORE), None)
    initial: dict[str, Any] = {
        "group": source.key,
        "location": (store or (shown_locations[0] if shown_locations else None)),
        "started_date": started,
        "finished_date": finished,
        "share_basis": Lot.ShareBasis.UNITS,
    }
    if len(shown_variants) == 1:
        initial["variant"] = shown_variants[0].pk
    if values is not None:
        for name in ("quantity", "quantity_passed", "material_cost_idr", "share_basis", "notes"):
            if values.get(name):
                initial[name] = values.get(name)
        if values.get("variant") in {str(v.pk) for v in shown_variants}:
            initial["variant"] = values.get("variant")
        if values.get("location") in {str(loc.pk) for loc in shown_locations}:
            initial["location"] = values.get("location")
    form = forms.LotRecordForm(
        data,
        sources=sources,
        variants=production_selectors.lot_variants_for(user=user),
        shown_variants=shown_variants,
        locations=locations,
        shown_locations=shown_locations,
        contributors=contributors,
        values=values,
        initial=initial,
    )
    # With htmx, changing the group or the dates redraws the form for them (typed values are kept).
    refresh = {
        "hx-post": reverse("backoffice:lot_create"),
        "hx-trigger": "change",
        "hx-vals": '{"_refresh": "1"}',
        "hx-target": "#lot-form",
        "hx-swap": "outerHTML",
    }
    for name in ("group", "started_date", "finished_date"):
        form.fields[name].widget.attrs.update(refresh)
    return form


@login_required
@require_http_methods(["GET", "POST"])
def lot_create(request: HtmxHttpRequest) -> HttpResponse:
    """Record a lot; a POST with ``_refresh`` only redraws the form for another group (the no-JS second step)."""
    sources = _lot_sources(request.user)
    if not sources:
        raise PermissionDenied(_("You do not record production."))
    refresh = request.method == "POST" and "_refresh" in request.POST
    if request.method == "GET":
        form = _lot_form(request, sources, values=request.GET if request.GET.get("group") else None)
    elif refresh:
        form = _lot_form(request, sources, values=request.POST)
    else:
        form = _lot_form(request, sources, data=request.POST)
        if form.is_valid():
            try:
                lot = production_services.lot_record(actor=request.user, **form.service_kwargs())
            except ValidationError as exc:
                add_service_errors(form, exc, field_map=forms.LOT_ERROR_FIELDS)
            else:
                messages.success(
                    request,
                    _("Lot %(code)s recorded: %(units)s units in %(location)s.")
                    % {"code": lot.code, "units": lot.quantity_passed, "location": form.cleaned_data["location"].name},
                )
                return redirect("backoffice:lot_detail", code=lot.code)
    trigger = request.headers.get("HX-Trigger-Name", "")
    context = {
        "section": "lots",
        "form": form,
        "show_more": form.more_has_errors or trigger in forms.LOT_MORE_FIELDS,
    }
    template = "backoffice/includes/lot_form.html" if request.htmx and refresh else "backoffice/lot_create.html"
    return render(request, template, context)


# Lot page ---------------------------------------------------------------------------------------


def _get_lot(request: HttpRequest, code: str) -> Lot:
    return get_or_404(production_selectors.lot_for, user=request.user, code=code)


def _adjust_locations(request: HttpRequest, lot: Lot) -> QuerySet[Location]:
    return inventory_selectors.locations_for(user=request.user, organization=lot.organization, include_transit=False)


def _render_lot(request: HttpRequest, lot: Lot, **overrides: Any) -> HttpResponse:
    user = request.user
    balances = list(inventory_selectors.stock_balances(user=user, filters=StockFilter(lot=lot.code)))
    adjust_form = overrides.pop("adjust_form", None) or forms.StockAdjustForm(
        locations=_adjust_locations(request, lot),
        initial={"location": balances[0].location_id if balances else None},
    )
    context = {
        "section": "lots",
        "lot": lot,
        "product": lot.variant.product,
        "contributions": list(production_selectors.lot_contributions_for(user=user, lot=lot)),
        "sees_makers": user.has_perm("makers.view", lot.organization),
        "balances": balances,
        "on_hand": sum(b.quantity for b in balances if b.location.kind != Location.Kind.TRANSIT),
        "movements": inventory_selectors.lot_movement_rows(user=user, lot=lot),
        "tag_sheets": list(production_selectors.lot_tag_sheets_for(user=user, lot=lot)),
        "can_record": user.has_perm("production.record", lot.organization),
        "can_manage": user.has_perm("inventory.manage", lot.organization),
        "tags_form": overrides.pop("tags_form", None) or forms.LotTagsForm(initial={"count": lot.quantity_passed}),
        "adjust_form": adjust_form,
        "reverse_form": overrides.pop("reverse_form", None),
        "reverse_pk": overrides.pop("reverse_pk", None),
        **overrides,
    }
    return render(request, "backoffice/lot_detail.html", context)


@login_required
@require_GET
def lot_detail(request: HttpRequest, code: str) -> HttpResponse:
    lot = _get_lot(request, code)
    if lot.code != code:
        return redirect("backoffice:lot_detail", code=lot.code)
    return _render_lot(request, lot)


@login_required
@require_POST
def lot_tags(request: HttpRequest, code: str) -> HttpResponse:
    """Issue a sheet of hang tags for the lot and hand over its PDF."""
    lot = _get_lot(request, code)
    form = forms.LotTagsForm(request.POST)
    if form.is_valid():
        try:
            document = production_services.lot_tags_issue(actor=request.user, lot=lot, count=form.cleaned_data["count"])
        except ValidationError as exc:
            add_service_errors(form, exc, default_field="count")
        else:
            pdf = tag_sheet_pdf(document=document, lot=lot, base_url=site_base_url(request))
            return pdf_response(pdf, f"label-{lot.code}-{document.number}.pdf")
    return _render_lot(request, lot, tags_form=form)


@login_required
@require_GET
def lot_tags_pdf(request: HttpRequest, code: str, document_pk: int) -> HttpResponse:
    """A tag sheet issued earlier, printed again (same number and verification code)."""
    lot = _get_lot(request, code)
    document = get_or_404(production_selectors.lot_tag_sheets_for(user=request.user, lot=lot).get, pk=document_pk)
    pdf = tag_sheet_pdf(document=document, lot=lot, base_url=site_base_url(request))
    return pdf_response(pdf, f"label-{lot.code}-{document.number}.pdf")


@login_required
@require_POST
def lot_adjust(request: HttpRequest, code: str) -> HttpResponse:
    lot = _get_lot(request, code)
    form = forms.StockAdjustForm(request.POST, locations=_adjust_locations(request, lot))
    if form.is_valid():
        try:
            movement = inventory_services.stock_adjust(
                actor=request.user,
                lot=lot,
                location=form.cleaned_data["location"],
                quantity=form.signed_quantity(),
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            # Not enough units to remove is a plain message: it belongs next to the number of units.
            add_service_errors(form, exc, default_field="quantity")
        else:
            messages.success(
                request,
                _("Stock of lot %(code)s at %(location)s changed by %(quantity)+d.")
                % {"code": lot.code, "location": movement.location.name, "quantity": movement.quantity},
            )
            return redirect(reverse("backoffice:lot_detail", args=[lot.code]) + "#stock")
    return _render_lot(request, lot, adjust_form=form)


@login_required
@require_POST
def movement_reverse(request: HttpRequest, code: str, movement_pk: int) -> HttpResponse:
    lot = _get_lot(request, code)
    movement = get_or_404(inventory_selectors.movements_for(user=request.user, lot_id=lot.pk).get, pk=movement_pk)
    form = forms.MovementReverseForm(request.POST)
    if form.is_valid():
        try:
            inventory_services.movement_reverse(
                actor=request.user, movement=movement, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc, default_field="reason")
        else:
            messages.success(request, _("Movement reversed."))
            return redirect(reverse("backoffice:lot_detail", args=[lot.code]) + "#history")
    return _render_lot(request, lot, reverse_form=form, reverse_pk=movement.pk)
