"""Staff pages where a facility admin manages the accounts of their facility's staff: the list with roles
and last sign-in, a new account, a role, a temporary password, deactivating and reactivating.

Thin views over ``accounts.selectors`` and ``accounts.services``. Memberships are looked up through a
selector scoped to the organizations the user is facility admin of, so another facility's staff (and any
operator account) is a 404; the services check the rules again and answer PermissionDenied (403).
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from binakarya.accounts import selectors, services
from binakarya.backoffice.access import manages_staff
from binakarya.backoffice.accounts import forms
from binakarya.backoffice.common import add_service_errors, get_or_404, paginate, query_without_page
from binakarya.core.types import Actor
from binakarya.organizations.models import Membership, Organization
from binakarya.organizations.scoping import ASSIGNABLE_ROLES


def _require_staff_pages(user: Actor) -> None:
    if not manages_staff(user):
        raise PermissionDenied(_("Only a facility admin manages the staff accounts."))


def _all_roles() -> tuple[str, ...]:
    """Every role a facility admin may give somewhere (the new account form's choices when the admin
    manages several organizations; the service checks the role against the chosen one)."""
    return tuple(dict.fromkeys(role for roles in ASSIGNABLE_ROLES.values() for role in roles))


@login_required
@require_GET
def staff_list(request: HttpRequest) -> HttpResponse:
    _require_staff_pages(request.user)
    organizations = selectors.staff_organizations_for(user=request.user)
    form = forms.StaffFilterForm(request.GET, organizations=organizations)
    if form.is_valid():
        page = paginate(
            request,
            selectors.staff_memberships_for(user=request.user, organization=form.cleaned_data["organisasi"]),
        )
    else:
        page = paginate(request, [])  # an invalid filter shows nothing
    return render(
        request,
        "backoffice/staff_list.html",
        {
            "section": "staff",
            "form": form,
            "page": page,
            "base_query": query_without_page(request),
            "many_orgs": organizations.count() > 1,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def staff_create(request: HttpRequest) -> HttpResponse:
    _require_staff_pages(request.user)
    organizations = selectors.staff_organizations_for(user=request.user)
    only = list(organizations[:2])
    roles = services.staff_roles_assignable(organization=only[0]) if len(only) == 1 else _all_roles()
    form = forms.StaffCreateForm(request.POST or None, organizations=organizations, roles=roles)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.staff_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Account %(username)s created. Tell the person their temporary password.")
                % {"username": membership.user.username},
            )
            return redirect("backoffice:staff_detail", pk=membership.pk)
    return render(request, "backoffice/staff_create.html", {"section": "staff", "form": form})


def _render_detail(request: HttpRequest, membership: Membership, **forms_: Any) -> HttpResponse:
    roles = services.staff_roles_assignable(organization=membership.organization)
    user = membership.user
    return render(
        request,
        "backoffice/staff_detail.html",
        {
            "section": "staff",
            "membership": membership,
            "person": user,
            "is_self": user.pk == request.user.pk,
            "role_form": forms_.get("role_form") or forms.StaffRoleForm(initial={"role": membership.role}, roles=roles),
            "password_form": forms_.get("password_form") or forms.StaffPasswordForm(),
            "pending": selectors.password_change_pending(user=user),
            "error": forms_.get("error"),
        },
    )


def _membership(request: HttpRequest, pk: int) -> Membership:
    _require_staff_pages(request.user)
    return get_or_404(selectors.staff_membership_for, user=request.user, pk=pk)


@login_required
@require_GET
def staff_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, _membership(request, pk))


@login_required
@require_POST
def staff_role(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _membership(request, pk)
    organization: Organization = membership.organization
    form = forms.StaffRoleForm(request.POST, roles=services.staff_roles_assignable(organization=organization))
    if form.is_valid():
        try:
            services.staff_role_change(actor=request.user, membership=membership, role=form.cleaned_data["role"])
        except ValidationError as exc:
            add_service_errors(form, exc, default_field="role")
        else:
            messages.success(request, _("Role saved."))
            return redirect("backoffice:staff_detail", pk=membership.pk)
    return _render_detail(request, membership, role_form=form)


@login_required
@require_POST
def staff_password(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _membership(request, pk)
    form = forms.StaffPasswordForm(request.POST)
    if form.is_valid():
        try:
            services.staff_password_set(
                actor=request.user, membership=membership, password=form.cleaned_data["password"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc, default_field="password")
        else:
            messages.success(
                request,
                _("Temporary password set for %(username)s. They choose their own when they next sign in.")
                % {"username": membership.user.username},
            )
            return redirect("backoffice:staff_detail", pk=membership.pk)
    return _render_detail(request, membership, password_form=form)


@login_required
@require_POST
def staff_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _membership(request, pk)
    try:
        services.staff_deactivate(actor=request.user, membership=membership)
    except ValidationError as exc:
        return _render_detail(request, membership, error=" ".join(exc.messages))
    messages.success(request, _("%(username)s deactivated.") % {"username": membership.user.username})
    return redirect("backoffice:staff_detail", pk=membership.pk)


@login_required
@require_POST
def staff_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _membership(request, pk)
    services.staff_reactivate(actor=request.user, membership=membership)
    messages.success(request, _("%(username)s may sign in again.") % {"username": membership.user.username})
    return redirect("backoffice:staff_detail", pk=membership.pk)
