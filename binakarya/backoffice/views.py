"""Staff back office: thin views over the catalog and makers services and selectors.

Every lookup goes through a selector scoped to the user's organizations, so another organization's row
is a 404, never a leak. Every write goes through a service, which checks the rules (``catalog.manage``,
``makers.manage``) and raises PermissionDenied, which Django answers with a 403.
"""

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from binakarya.backoffice import forms
from binakarya.backoffice.access import (
    has_any_role,
    keeps_pnbp,
    manages_stock,
    money_sections,
    records_production,
    records_sales,
    sees_sales,
    sees_stock,
)
from binakarya.backoffice.common import add_service_errors, get_or_404, paginate, safe_next
from binakarya.catalog import selectors as catalog_selectors
from binakarya.catalog import services as catalog_services
from binakarya.catalog.models import Product
from binakarya.makers import selectors as maker_selectors
from binakarya.makers import services as maker_services
from binakarya.makers.models import Maker
from binakarya.organizations.models import Organization
from binakarya.organizations.scoping import (
    CATALOG_ROLES,
    MAKER_MANAGE_ROLES,
    MAKER_ROLES,
    visible_organizations,
)
from binakarya.sales import selectors as sales_selectors


def _require_maker_pages(user: Any) -> None:
    if not has_any_role(user, MAKER_ROLES):
        raise PermissionDenied(_("Only the staff of a facility or a producer see makers."))


def _maker_organizations(user: Any) -> Any:
    """Organizations where ``user`` may register makers (facilities and UMKM producers)."""
    return visible_organizations(user, roles=MAKER_MANAGE_ROLES, oversight=False).filter(
        kind__in=[Organization.Kind.FACILITY, Organization.Kind.PRODUCER]
    )


# Dashboard --------------------------------------------------------------------------------------


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    # The user's own membership rows (not tenant data), to show who they are where.
    memberships = user.memberships.filter(is_active=True, organization__is_active=True).select_related("organization")
    roles_by_org: dict[int, dict[str, Any]] = {}
    for membership in memberships.order_by("organization__name", "role"):
        entry = roles_by_org.setdefault(
            membership.organization_id, {"organization": membership.organization, "roles": []}
        )
        entry["roles"].append(membership.get_role_display())
    can_catalog = has_any_role(user, CATALOG_ROLES)
    can_makers = has_any_role(user, MAKER_ROLES)
    context: dict[str, Any] = {
        "section": "dashboard",
        "organizations": list(roles_by_org.values()),
        "can_catalog": can_catalog,
        "can_makers": can_makers,
    }
    if can_catalog:
        products = catalog_selectors.products_for_staff(user=user)
        context["product_count"] = products.count()
        context["unpublished_count"] = products.filter(is_published=False).count()
        context["producers"] = list(catalog_selectors.producers_for_staff(user=user).order_by("name"))
        context["can_create_producer"] = (
            visible_organizations(user, roles=CATALOG_ROLES, oversight=False)
            .filter(kind=Organization.Kind.PRODUCER)
            .exists()
        )
    if can_makers:
        context["maker_count"] = maker_selectors.makers_for(user=user).filter(status=Maker.Status.ACTIVE).count()
        context["group_count"] = maker_selectors.groups_for(user=user).filter(is_active=True).count()
    context.update(_dashboard_work(user))
    return render(request, "backoffice/dashboard.html", context)


def _dashboard_work(user: Any) -> dict[str, Any]:
    """Links to production, stock, sales and money, as far as the user's roles allow; this month's sales."""
    context: dict[str, Any] = {
        "sees_stock": sees_stock(user),
        "records_production": records_production(user),
        "manages_stock": manages_stock(user),
        "sees_sales": sees_sales(user),
        "records_sales": records_sales(user),
        "money": money_sections(user),
    }
    context["has_pnbp"] = context["money"]["books"] and keeps_pnbp(user)
    if context["sees_sales"]:
        month_start = timezone.localdate().replace(day=1)
        since = timezone.make_aware(datetime.datetime.combine(month_start, datetime.time.min))
        context["sales_month"] = (
            sales_selectors.sales_for(user=user)
            .filter(occurred_at__gte=since)
            .aggregate(count=Count("id"), gross=Sum("gross_idr"), premi=Sum("premi_idr"))
        )
    return context


# Products ---------------------------------------------------------------------------------------


@login_required
@require_GET
def product_list(request: HttpRequest) -> HttpResponse:
    if not has_any_role(request.user, CATALOG_ROLES):
        raise PermissionDenied(_("You do not manage a catalog."))
    qs = catalog_selectors.products_for_staff(user=request.user)
    q = request.GET.get("q", "").strip()[:100]
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(variants__sku__icontains=q)).distinct()
    page = paginate(request, qs)
    return render(
        request,
        "backoffice/product_list.html",
        {
            "section": "products",
            "page": page,
            "q": q,
            "many_orgs": visible_organizations(request.user, roles=CATALOG_ROLES, oversight=False).count() > 1,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def product_create(request: HttpRequest) -> HttpResponse:
    if not has_any_role(request.user, CATALOG_ROLES):
        raise PermissionDenied(_("You do not manage a catalog."))
    producers = catalog_selectors.producers_for_staff(user=request.user).order_by("name")
    form = forms.ProductCreateForm(request.POST or None, producers=producers, initial=_producer_initial(request))
    if request.method == "POST" and form.is_valid():
        try:
            product = catalog_services.product_create(actor=request.user, **form.service_kwargs())
        except ValidationError as exc:
            add_service_errors(form, exc, field_map={"variants": "sku"})
        else:
            messages.success(request, _("Product saved. Now add photos."))
            return redirect("backoffice:product_edit", pk=product.pk)
    return render(
        request,
        "backoffice/product_create.html",
        {"section": "products", "form": form, "has_producers": producers.exists()},
    )


def _producer_initial(request: HttpRequest) -> dict[str, Any]:
    producer = request.GET.get("pembuat", "")
    return {"producer": producer} if producer.isdigit() else {}


def _product_form(product: Product, data: Any = None) -> forms.ProductForm:
    initial = {name: getattr(product, name) for name in forms.ProductForm.base_fields}
    return forms.ProductForm(data, initial=initial)


def _render_product(request: HttpRequest, product: Product, **overrides: Any) -> HttpResponse:
    context = {
        "section": "products",
        "product": product,
        "variants": list(product.variants.order_by("price_idr", "id")),
        "photos": list(product.photos.order_by("position", "id")),
        "form": overrides.pop("form", None) or _product_form(product),
        "variant_form": overrides.pop("variant_form", None) or forms.VariantForm(prefix="variant"),
        "photo_form": overrides.pop("photo_form", None) or forms.PhotoForm(),
        **overrides,
    }
    return render(request, "backoffice/product_edit.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def product_edit(request: HttpRequest, pk: int) -> HttpResponse:
    product = get_or_404(catalog_selectors.product_for_staff, user=request.user, pk=pk)
    if request.method == "GET":
        return _render_product(request, product)
    form = _product_form(product, request.POST)
    if form.is_valid():
        changed = form.changed_fields()
        if not changed:
            messages.info(request, _("Nothing changed."))
            return redirect("backoffice:product_edit", pk=product.pk)
        try:
            catalog_services.product_update(actor=request.user, product=product, **changed)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Product saved."))
            return redirect("backoffice:product_edit", pk=product.pk)
    product = catalog_selectors.product_for_staff(user=request.user, pk=pk)
    return _render_product(request, product, form=form)


@login_required
@require_POST
def product_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Toggle whether the product shows in the public catalog."""
    product = get_or_404(catalog_selectors.product_for_staff, user=request.user, pk=pk)
    publish = not product.is_published
    catalog_services.product_update(actor=request.user, product=product, is_published=publish)
    if publish:
        messages.success(request, _("%(name)s is now in the public catalog.") % {"name": product.name})
    else:
        messages.success(request, _("%(name)s is hidden from the public catalog.") % {"name": product.name})
    return redirect(safe_next(request, reverse("backoffice:product_edit", args=[product.pk])))


@login_required
@require_POST
def variant_add(request: HttpRequest, pk: int) -> HttpResponse:
    product = get_or_404(catalog_selectors.product_for_staff, user=request.user, pk=pk)
    form = forms.VariantForm(request.POST, prefix="variant")
    if form.is_valid():
        try:
            variant = catalog_services.variant_create(actor=request.user, product=product, data=form.to_input())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Variant %(sku)s added.") % {"sku": variant.sku})
            return redirect(reverse("backoffice:product_edit", args=[product.pk]) + "#variants")
    return _render_product(request, product, variant_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def variant_edit(request: HttpRequest, pk: int, variant_pk: int) -> HttpResponse:
    product = get_or_404(catalog_selectors.product_for_staff, user=request.user, pk=pk)
    variant = get_or_404(product.variants.get, pk=variant_pk)
    initial = {name: getattr(variant, name) for name in forms.VariantForm.base_fields}
    form = forms.VariantForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            catalog_services.variant_update(actor=request.user, variant=variant, data=form.to_input())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Variant %(sku)s saved.") % {"sku": variant.sku})
            return redirect(reverse("backoffice:product_edit", args=[product.pk]) + "#variants")
    return render(
        request,
        "backoffice/variant_edit.html",
        {"section": "products", "product": product, "variant": variant, "form": form},
    )


# Photos -----------------------------------------------------------------------------------------


def _photos_response(request: HttpRequest, pk: int, *, photo_form: Any = None, notice: str = "") -> HttpResponse:
    """The photo section alone (htmx swaps it in place)."""
    product = catalog_selectors.product_for_staff(user=request.user, pk=pk)
    context = {
        "product": product,
        "photos": list(product.photos.order_by("position", "id")),
        "photo_form": photo_form or forms.PhotoForm(),
        "notice": notice,
    }
    return render(request, "backoffice/includes/photos.html", context)


@login_required
@require_POST
def photo_upload(request: HttpRequest, pk: int) -> HttpResponse:
    product = get_or_404(catalog_selectors.product_for_staff, user=request.user, pk=pk)
    form = forms.PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            catalog_services.photo_add(
                actor=request.user,
                product=product,
                upload=form.cleaned_data["photo"],
                alt_text=form.cleaned_data["alt_text"],
            )
        except ValidationError as exc:
            # catalog.images raises a plain message (too large, not an image…): it belongs next to the file input.
            add_service_errors(form, exc, default_field="photo")
        else:
            if request.htmx:
                return _photos_response(request, pk, notice=_("Photo added."))
            messages.success(request, _("Photo added."))
            return redirect(reverse("backoffice:product_edit", args=[product.pk]) + "#photos")
    if request.htmx:
        return _photos_response(request, pk, photo_form=form)
    return _render_product(request, product, photo_form=form)


@login_required
@require_POST
def photo_delete(request: HttpRequest, pk: int, photo_pk: int) -> HttpResponse:
    product = get_or_404(catalog_selectors.product_for_staff, user=request.user, pk=pk)
    photo = get_or_404(product.photos.get, pk=photo_pk)
    catalog_services.photo_delete(actor=request.user, photo=photo)
    if request.htmx:
        return _photos_response(request, pk, notice=_("Photo deleted."))
    messages.success(request, _("Photo deleted."))
    return redirect(reverse("backoffice:product_edit", args=[product.pk]) + "#photos")


@login_required
@require_POST
def photo_make_cover(request: HttpRequest, pk: int, photo_pk: int) -> HttpResponse:
    product = get_or_404(catalog_selectors.product_for_staff, user=request.user, pk=pk)
    photo = get_or_404(product.photos.get, pk=photo_pk)
    catalog_services.photo_make_cover(actor=request.user, photo=photo)
    if request.htmx:
        return _photos_response(request, pk, notice=_("Cover photo changed."))
    messages.success(request, _("Cover photo changed."))
    return redirect(reverse("backoffice:product_edit", args=[product.pk]) + "#photos")


# Producers --------------------------------------------------------------------------------------


def _get_producer(request: HttpRequest, pk: int) -> Any:
    return get_or_404(catalog_selectors.producers_for_staff(user=request.user).get, pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def producer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    producer = _get_producer(request, pk)
    initial = {name: getattr(producer, name) for name in forms.ProducerForm.base_fields}
    form = forms.ProducerForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        changed = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            catalog_services.producer_update(actor=request.user, producer=producer, **changed)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Profile saved."))
            return redirect("backoffice:producer_edit", pk=producer.pk)
    products = catalog_selectors.products_for_staff(user=request.user).filter(producer=producer)
    return render(
        request,
        "backoffice/producer_edit.html",
        {"section": "products", "producer": producer, "form": form, "product_count": products.count()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def producer_create(request: HttpRequest) -> HttpResponse:
    """The public profile of an UMKM producer organization (a facility's profiles belong to its groups)."""
    organizations = visible_organizations(request.user, roles=CATALOG_ROLES, oversight=False).filter(
        kind=Organization.Kind.PRODUCER
    )
    if not organizations.exists():
        raise PermissionDenied(_("Only an UMKM producer's operator creates a profile here."))
    form = forms.ProducerCreateForm(request.POST or None, organizations=organizations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            producer = catalog_services.producer_create(
                actor=request.user,
                organization=data["organization"],
                name=data["name"],
                description=data["description"],
                phone=data["phone"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc, default_field="phone")
        else:
            messages.success(request, _("Profile created."))
            return redirect("backoffice:producer_edit", pk=producer.pk)
    return render(request, "backoffice/producer_create.html", {"section": "products", "form": form})


# Makers -----------------------------------------------------------------------------------------


@login_required
@require_GET
def maker_list(request: HttpRequest) -> HttpResponse:
    _require_maker_pages(request.user)
    organizations = visible_organizations(request.user, roles=MAKER_ROLES, oversight=False)
    form = forms.MakerFilterForm(request.GET, organizations=organizations)
    qs = maker_selectors.makers_for(user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        if data["organisasi"]:
            qs = qs.filter(organization=data["organisasi"])
        if data["status"]:
            qs = qs.filter(status=data["status"])
        if data["q"].strip():
            q = data["q"].strip()
            qs = qs.filter(Q(full_name__icontains=q) | Q(registration_number__icontains=q) | Q(pseudonym__icontains=q))
    else:
        qs = qs.none()
    params = request.GET.copy()
    params.pop("halaman", None)
    return render(
        request,
        "backoffice/maker_list.html",
        {
            "section": "makers",
            "form": form,
            "page": paginate(request, qs),
            "base_query": params.urlencode(),
            "many_orgs": organizations.count() > 1,
            "can_create": _maker_organizations(request.user).exists(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def maker_create(request: HttpRequest) -> HttpResponse:
    organizations = _maker_organizations(request.user)
    if not organizations.exists():
        raise PermissionDenied(_("You may not register makers."))
    initial = {"organization": request.GET.get("organisasi")} if request.GET.get("organisasi", "").isdigit() else {}
    form = forms.MakerCreateForm(request.POST or None, organizations=organizations, initial=initial)
    if request.method == "POST" and form.is_valid():
        organization = form.cleaned_data["organization"]
        kind = Maker.Kind.INMATE if organization.kind == Organization.Kind.FACILITY else Maker.Kind.ARTISAN
        fields = form.service_fields()
        full_name = fields.pop("full_name")
        try:
            maker = maker_services.maker_create(
                actor=request.user, organization=organization, kind=kind, full_name=full_name, **fields
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(name)s registered.") % {"name": maker.full_name})
            return redirect("backoffice:maker_edit", pk=maker.pk)
    return render(
        request,
        "backoffice/maker_form.html",
        {"section": "makers", "form": form, "maker": None, "can_manage": True},
    )


@login_required
@require_http_methods(["GET", "POST"])
def maker_edit(request: HttpRequest, pk: int) -> HttpResponse:
    maker = get_or_404(maker_selectors.maker_for, user=request.user, pk=pk)
    initial = {name: getattr(maker, name) for name in forms.MakerForm.base_fields}
    form = forms.MakerForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        changed = form.service_fields(only_changed=True)
        if not changed:
            messages.info(request, _("Nothing changed."))
            return redirect("backoffice:maker_edit", pk=maker.pk)
        try:
            maker_services.maker_update(actor=request.user, maker=maker, **changed)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("backoffice:maker_edit", pk=maker.pk)
    history = maker.group_memberships.select_related("group").order_by("-joined_date", "-id")
    return render(
        request,
        "backoffice/maker_form.html",
        {
            "section": "makers",
            "form": form,
            "maker": maker,
            "history": list(history),
            "can_manage": request.user.has_perm("makers.manage", maker.organization),
        },
    )


# Groups -----------------------------------------------------------------------------------------


def _group_organizations(user: Any) -> Any:
    return visible_organizations(user, roles=MAKER_MANAGE_ROLES, oversight=False).filter(
        kind=Organization.Kind.FACILITY
    )


@login_required
@require_GET
def group_list(request: HttpRequest) -> HttpResponse:
    _require_maker_pages(request.user)
    groups = maker_selectors.groups_for(user=request.user).annotate(
        member_count=Count("memberships", filter=Q(memberships__left_date__isnull=True))
    )
    return render(
        request,
        "backoffice/group_list.html",
        {
            "section": "groups",
            "groups": list(groups),
            "can_create": _group_organizations(request.user).exists(),
            "many_orgs": visible_organizations(request.user, roles=MAKER_ROLES, oversight=False).count() > 1,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def group_create(request: HttpRequest) -> HttpResponse:
    organizations = _group_organizations(request.user)
    if not organizations.exists():
        raise PermissionDenied(_("Only a facility's staff create groups."))
    form = forms.GroupCreateForm(request.POST or None, organizations=organizations)
    if request.method == "POST" and form.is_valid():
        try:
            group = maker_services.group_create(actor=request.user, **form.service_kwargs())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Group %(name)s created.") % {"name": group.name})
            return redirect("backoffice:group_detail", pk=group.pk)
    return render(request, "backoffice/group_create.html", {"section": "groups", "form": form})


def _render_group(request: HttpRequest, group: Any, **overrides: Any) -> HttpResponse:
    makers = maker_selectors.makers_for(user=request.user, organization=group.organization).filter(
        status=Maker.Status.ACTIVE
    )
    memberships = list(maker_selectors.group_memberships_for(group=group))
    add_form = overrides.pop("add_form", None) or forms.GroupMemberAddForm(makers=makers)
    add_form.fields["maker"].queryset = makers
    context = {
        "section": "groups",
        "group": group,
        "current": [m for m in memberships if m.left_date is None],
        "past": [m for m in memberships if m.left_date is not None],
        "add_form": add_form,
        "leave_form": overrides.pop("leave_form", None),
        "leave_pk": overrides.pop("leave_pk", None),
        "can_manage": request.user.has_perm("makers.manage", group.organization),
        "producer": catalog_selectors.producers_for_staff(user=request.user).filter(group=group).first(),
        "can_catalog": request.user.has_perm("catalog.manage", group.organization),
        **overrides,
    }
    return render(request, "backoffice/group_detail.html", context)


@login_required
@require_GET
def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_or_404(maker_selectors.groups_for(user=request.user).get, pk=pk)
    return _render_group(request, group)


@login_required
@require_POST
def group_member_add(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_or_404(maker_selectors.groups_for(user=request.user).get, pk=pk)
    # Any maker the user may see is offered to the form; the service refuses one of another organization.
    form = forms.GroupMemberAddForm(request.POST, makers=maker_selectors.makers_for(user=request.user))
    if form.is_valid():
        try:
            membership = maker_services.group_member_add(
                actor=request.user,
                group=group,
                maker=form.cleaned_data["maker"],
                joined_date=form.cleaned_data["joined_date"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(name)s joined the group.") % {"name": membership.maker.full_name})
            return redirect("backoffice:group_detail", pk=group.pk)
    return _render_group(request, group, add_form=form)


@login_required
@require_POST
def group_member_leave(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    group = get_or_404(maker_selectors.groups_for(user=request.user).get, pk=pk)
    membership = get_or_404(maker_selectors.group_memberships_for(group=group).get, pk=membership_pk)
    form = forms.GroupMemberLeaveForm(request.POST)
    if form.is_valid():
        try:
            maker_services.group_member_leave(
                actor=request.user, membership=membership, left_date=form.cleaned_data["left_date"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(name)s left the group.") % {"name": membership.maker.full_name})
            return redirect("backoffice:group_detail", pk=group.pk)
    return _render_group(request, group, leave_form=form, leave_pk=membership.pk)


@login_required
@require_POST
def group_profile_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Create the group's public producer profile, so that products can be listed under it."""
    group = get_or_404(maker_selectors.groups_for(user=request.user).get, pk=pk)
    try:
        producer = catalog_services.producer_create(
            actor=request.user, organization=group.organization, name=group.name, group=group
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("backoffice:group_detail", pk=group.pk)
    messages.success(request, _("Public profile created."))
    return redirect("backoffice:producer_edit", pk=producer.pk)
