"""Staff endpoints over makers and groups. Authenticated (token or session) and scoped.

Makers' personal data is only for their own organization's staff (scoping.MAKER_ROLES, no oversight):
regional and national viewers get empty lists, and 403 when they name an organization.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from ninja import Query, Router

from binakarya.api.auth import STAFF_AUTH, AuthenticatedRequest
from binakarya.api.schemas.common import ErrorOut, FieldErrorsOut, OrganizationQuery
from binakarya.api.schemas.makers import GroupListOut, MakerListOut
from binakarya.makers.selectors import groups_with_member_counts, maker_organization_for, makers_for
from binakarya.organizations.models import Organization

router = Router(tags=["staff"], auth=STAFF_AUTH)


def _organization_or_403(request: AuthenticatedRequest, slug: str) -> Organization | None:
    if not slug:
        return None
    organization = maker_organization_for(user=request.auth, slug=slug)
    if organization is None:
        # Same answer for an unknown slug and for someone else's organization.
        raise PermissionDenied(
            _("You may not see the makers and groups of organization “%(slug)s”, or it does not exist.")
            % {"slug": slug}
        )
    return organization


@router.get(
    "/makers",
    response={200: MakerListOut, 401: ErrorOut, 403: ErrorOut, 422: FieldErrorsOut},
    summary="Makers (personal data) of the caller's own organizations",
)
def maker_list(request: AuthenticatedRequest, filters: Query[OrganizationQuery]) -> dict[str, Any]:
    organization = _organization_or_403(request, filters.organization)
    items = []
    for maker in makers_for(user=request.auth, organization=organization):
        groups = [m.group.name for m in maker.current_memberships]
        items.append(
            {
                "id": maker.pk,
                "name": maker.full_name,
                "kind": maker.kind,
                "organization": maker.organization.slug,
                "group": groups[-1] if groups else None,
                "groups": groups,
                "status": maker.status,
                "registration_number": maker.registration_number,
                "expected_release_date": maker.expected_release_date,
            }
        )
    return {"count": len(items), "items": items}


@router.get(
    "/groups",
    response={200: GroupListOut, 401: ErrorOut, 403: ErrorOut, 422: FieldErrorsOut},
    summary="Creative groups of the caller's own organizations",
)
def group_list(request: AuthenticatedRequest, filters: Query[OrganizationQuery]) -> dict[str, Any]:
    organization = _organization_or_403(request, filters.organization)
    items = [
        {
            "slug": group.slug,
            "name": group.name,
            "organization": group.organization.slug,
            "crafts": [category.slug for category in group.crafts.all()],
            "member_count": group.member_count,
            "is_active": group.is_active,
        }
        for group in groups_with_member_counts(user=request.auth, organization=organization)
    ]
    return {"count": len(items), "items": items}
