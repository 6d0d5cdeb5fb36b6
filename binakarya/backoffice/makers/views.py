"""Staff pages for makers and their groups: registering and editing makers, groups, memberships, and a
group's public producer profile.

Thin views over ``makers.selectors`` and ``makers.services`` (and ``catalog.services`` for the profile).
Every lookup goes through a selector scoped to the user's organizations, so another organization's row is a
404, never a leak. Every write goes through a service, which checks the rules (``makers.manage``,
``catalog.manage``) and raises PermissionDenied, which Django answers with a 403.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from binakarya.backoffice.access import has_any_role
from binakarya.backoffice.common import add_service_errors, get_or_404, paginate, query_without_page
from binakarya.backoffice.makers import forms
from binakarya.catalog import selectors as catalog_selectors
from binakarya.catalog import services as catalog_services
from binakarya.core.types import Actor
from binakarya.makers import selectors as maker_selectors
from binakarya.makers import services as maker_services
from binakarya.makers.models import Group, Maker
from binakarya.organizations import selectors as organization_selectors
from binakarya.organizations.models import Organization
from binakarya.organizations.scoping import MAKER_MANAGE_ROLES, MAKER_ROLES


def _require_maker_pages(user: Actor) -> None:
    if not has_any_role(user, MAKER_ROLES):
        raise PermissionDenied(_("Only the staff of a facility or a producer see makers."))


def _maker_organizations(user: Actor) -> QuerySet[Organization]:
    """Organizations where ``user`` may register makers (facilities and UMKM producers)."""
    return organization_selectors.organizations_for(
        user=user,
        roles=MAKER_MANAGE_ROLES,
        oversight=False,
        kinds=(Organization.Kind.FACILITY, Organization.Kind.PRODUCER),
    )


def _maker_page_organizations(user: Actor) -> QuerySet[Organization]:
    """Organizations whose makers and groups ``user`` sees."""
    return organization_selectors.organizations_for(user=user, roles=MAKER_ROLES, oversight=False)


# Makers -----------------------------------------------------------------------------------------


@login_required
@require_GET
def maker_list(request: HttpRequest) -> HttpResponse:
    _require_maker_pages(request.user)
    organizations = _maker_page_organizations(request.user)
    form = forms.MakerFilterForm(request.GET, organizations=organizations)
    if form.is_valid():
        data = form.cleaned_data
        page = paginate(
            request,
            maker_selectors.makers_for(
                user=request.user, organization=data["organisasi"], status=data["status"], q=data["q"]
            ),
        )
    else:
        page = paginate(request, [])  # an invalid filter shows nothing
    return render(
        request,
        "backoffice/maker_list.html",
        {
            "section": "makers",
            "form": form,
            "page": page,
            "base_query": query_without_page(request),
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
    history = maker_selectors.maker_memberships_for(maker=maker)
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


def _group_organizations(user: Actor) -> QuerySet[Organization]:
    """Organizations where ``user`` may create groups: facilities (an UMKM has no groups)."""
    return organization_selectors.organizations_for(
        user=user, roles=MAKER_MANAGE_ROLES, oversight=False, kinds=(Organization.Kind.FACILITY,)
    )


@login_required
@require_GET
def group_list(request: HttpRequest) -> HttpResponse:
    _require_maker_pages(request.user)
    groups = maker_selectors.groups_with_member_counts(user=request.user)
    return render(
        request,
        "backoffice/group_list.html",
        {
            "section": "groups",
            "groups": list(groups),
            "can_create": _group_organizations(request.user).exists(),
            "many_orgs": _maker_page_organizations(request.user).count() > 1,
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


def _render_group(request: HttpRequest, group: Group, **overrides: Any) -> HttpResponse:
    makers = maker_selectors.makers_for(user=request.user, organization=group.organization, status=Maker.Status.ACTIVE)
    memberships = list(maker_selectors.group_memberships_for(group=group))
    add_form = overrides.pop("add_form", None) or forms.GroupMemberAddForm(makers=makers)
    # A posted form offered every maker the user sees (the service checks the organization); shown again, it
    # offers the group organization's active makers, as a new one does.
    add_form.offer_makers(makers)
    context = {
        "section": "groups",
        "group": group,
        "current": [m for m in memberships if m.left_date is None],
        "past": [m for m in memberships if m.left_date is not None],
        "add_form": add_form,
        "leave_form": overrides.pop("leave_form", None),
        "leave_pk": overrides.pop("leave_pk", None),
        "can_manage": request.user.has_perm("makers.manage", group.organization),
        "producer": catalog_selectors.group_producer_for_staff(user=request.user, group=group),
        "can_catalog": request.user.has_perm("catalog.manage", group.organization),
        **overrides,
    }
    return render(request, "backoffice/group_detail.html", context)


@login_required
@require_GET
def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_or_404(maker_selectors.group_for, user=request.user, pk=pk)
    return _render_group(request, group)


@login_required
@require_POST
def group_member_add(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_or_404(maker_selectors.group_for, user=request.user, pk=pk)
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
    group = get_or_404(maker_selectors.group_for, user=request.user, pk=pk)
    membership = get_or_404(maker_selectors.group_membership_for, group=group, pk=membership_pk)
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
    group = get_or_404(maker_selectors.group_for, user=request.user, pk=pk)
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
