"""Staff accounts, managed by the facility admin of their organization (docs/accounts.md).

Only a facility admin may call these, and only for the organizations they are facility admin of: a
membership of any other organization, and any operator account, answers 404 like one that does not exist.
The ids in the paths are membership ids (a person's role in one organization).
"""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Status

from binakarya.accounts import selectors, services
from binakarya.api.auth import STAFF_AUTH, AuthenticatedRequest
from binakarya.api.schemas.common import WRITE_ERRORS, ErrorOut, FieldErrorsOut, OrganizationQuery
from binakarya.api.schemas.staff import PasswordIn, RoleIn, StaffIn, StaffListOut, StaffOut
from binakarya.organizations.models import Membership, Organization

router = Router(tags=["staff accounts"], auth=STAFF_AUTH)


def _require_staff_admin(request: AuthenticatedRequest) -> None:
    if not selectors.staff_organizations_for(user=request.auth).exists():
        raise PermissionDenied(_("Only a facility admin manages the staff accounts."))


def _organization(request: AuthenticatedRequest, slug: str) -> Organization | None:
    """The organization ``slug`` among those the caller manages; None for unknown and foreign alike."""
    return selectors.staff_organization_for(user=request.auth, slug=slug)


def staff_out(membership: Membership) -> dict[str, Any]:
    """The membership as the API shows it. A list's rows carry ``password_pending`` (staff_memberships_for);
    a single row asks."""
    user = membership.user
    pending = getattr(membership, "password_pending", None)
    if pending is None:
        pending = selectors.password_change_pending(user=user)
    return {
        "id": membership.pk,
        "user": user.pk,
        "username": user.username,
        "name": user.get_full_name(),
        "email": user.email,
        "organization": membership.organization.slug,
        "role": membership.role,
        "is_active": membership.is_active and user.is_active,
        "last_login": user.last_login,
        "password_change_required": pending,
    }


def _membership(request: AuthenticatedRequest, membership_id: int) -> Membership:
    _require_staff_admin(request)
    return selectors.staff_membership_for(user=request.auth, pk=membership_id)  # DoesNotExist -> 404


@router.get(
    "/staff",
    response={200: StaffListOut, 401: ErrorOut, 403: ErrorOut, 422: FieldErrorsOut},
    summary="Staff accounts of the organizations the caller is facility admin of",
)
def staff_list(request: AuthenticatedRequest, filters: Query[OrganizationQuery]) -> dict[str, Any]:
    _require_staff_admin(request)
    organization = None
    if filters.organization:
        organization = _organization(request, filters.organization)
        if organization is None:
            raise PermissionDenied(
                _("You do not manage the staff of organization “%(slug)s”, or it does not exist.")
                % {"slug": filters.organization}
            )
    memberships = selectors.staff_memberships_for(user=request.auth, organization=organization)
    items = [staff_out(m) for m in memberships]
    return {"count": len(items), "items": items}


@router.post(
    "/staff",
    response={201: StaffOut} | WRITE_ERRORS,
    summary="Create a staff account with a role and a temporary password",
)
def staff_create(request: AuthenticatedRequest, payload: StaffIn) -> Status[dict[str, Any]]:
    """Calls accounts.services.staff_create. The person must change the password when they first sign in."""
    _require_staff_admin(request)
    organization = _organization(request, payload.organization)
    if organization is None:
        raise ValidationError(
            {"organization": [_("Unknown organization “%(slug)s”.") % {"slug": payload.organization}]}
        )
    membership = services.staff_create(
        actor=request.auth,
        organization=organization,
        username=payload.username,
        full_name=payload.name,
        email=payload.email,
        role=payload.role.strip().upper(),
        password=payload.password,
    )
    return Status(201, staff_out(membership))


@router.get(
    "/staff/{membership_id}",
    response={200: StaffOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="One staff account's role in one organization",
)
def staff_detail(request: AuthenticatedRequest, membership_id: Path[int]) -> dict[str, Any]:
    return staff_out(_membership(request, membership_id))


@router.post(
    "/staff/{membership_id}/role",
    response={200: StaffOut, 404: ErrorOut} | WRITE_ERRORS,
    summary="Change a staff member's role",
)
def staff_role(request: AuthenticatedRequest, membership_id: Path[int], payload: RoleIn) -> dict[str, Any]:
    membership = _membership(request, membership_id)
    services.staff_role_change(actor=request.auth, membership=membership, role=payload.role.strip().upper())
    return staff_out(membership)


@router.post(
    "/staff/{membership_id}/password",
    response={200: StaffOut, 404: ErrorOut} | WRITE_ERRORS,
    summary="Set a temporary password; the person's sessions and API tokens end",
)
def staff_password(request: AuthenticatedRequest, membership_id: Path[int], payload: PasswordIn) -> dict[str, Any]:
    membership = _membership(request, membership_id)
    services.staff_password_set(actor=request.auth, membership=membership, password=payload.password)
    return staff_out(membership)


@router.post(
    "/staff/{membership_id}/deactivate",
    response={200: StaffOut, 404: ErrorOut} | WRITE_ERRORS,
    summary="End a staff member's role; an account left without a role can no longer sign in",
)
def staff_deactivate(request: AuthenticatedRequest, membership_id: Path[int]) -> dict[str, Any]:
    membership = _membership(request, membership_id)
    services.staff_deactivate(actor=request.auth, membership=membership)
    return staff_out(membership)


@router.post(
    "/staff/{membership_id}/reactivate",
    response={200: StaffOut, 404: ErrorOut} | WRITE_ERRORS,
    summary="Give a deactivated staff member their role back",
)
def staff_reactivate(request: AuthenticatedRequest, membership_id: Path[int]) -> dict[str, Any]:
    membership = _membership(request, membership_id)
    services.staff_reactivate(actor=request.auth, membership=membership)
    return staff_out(membership)
