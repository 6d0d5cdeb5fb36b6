"""Staff endpoints over production lots: record a lot, read it, issue its hang tags.

References in a request body (sku, group, location, maker) resolve only within the caller's scope; one
outside it answers 400 exactly like one that does not exist. A lot code in the path answers 404.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.urls import reverse
from ninja import Body, Router, Status

from binakarya.api.auth import STAFF_AUTH, AuthenticatedRequest
from binakarya.api.common import (
    document_url,
    group_or_error,
    location_or_error,
    unknown_sku,
    verify_url,
)
from binakarya.api.schemas.common import ErrorOut, FieldErrorsOut
from binakarya.api.schemas.production import DocumentOut, LotCreatedOut, LotIn, LotOut, TagsIn
from binakarya.inventory.selectors import stock_for_lot, variants_by_sku
from binakarya.organizations.scoping import MAKER_ROLES, has_role
from binakarya.production.models import Lot
from binakarya.production.selectors import lot_contributions_for, lot_for
from binakarya.production.services import ContributionInput, lot_record, lot_tags_issue, require_producer

router = Router(tags=["production"], auth=STAFF_AUTH)


def trace_url(request: AuthenticatedRequest, lot: Lot) -> str:
    return request.build_absolute_uri(reverse("storefront:trace", kwargs={"code": lot.code}))


def lot_out(request: AuthenticatedRequest, lot: Lot) -> dict[str, Any]:
    """The lot as staff see it. Contributors (makers' names) only for the organization's own staff."""
    user = request.auth
    contributions = None
    if has_role(user, lot.organization_id, MAKER_ROLES):
        contributions = [
            {"maker": c.maker_id, "name": c.maker.full_name, "share": c.share}
            for c in lot_contributions_for(user=user, lot=lot)
        ]
    balances = stock_for_lot(user=user, lot=lot)
    return {
        "code": lot.code,
        "sku": lot.variant.sku,
        "product": lot.variant.product.name,
        "organization": lot.organization.slug,
        "group": lot.group.slug if lot.group else None,
        "quantity": lot.quantity_produced,
        "quantity_passed": lot.quantity_passed,
        "material_cost_idr": lot.material_cost_idr,
        "unit_cost_idr": lot.unit_cost_idr,
        "share_basis": lot.share_basis,
        "started_date": lot.started_date,
        "finished_date": lot.finished_date,
        "notes": lot.notes,
        "trace_url": trace_url(request, lot),
        "stock": [
            {"location": b.location.code, "location_name": b.location.name, "quantity": b.quantity} for b in balances
        ],
        "contributions": contributions,
    }


@router.post(
    "/lots",
    response={201: LotCreatedOut, 400: FieldErrorsOut, 401: ErrorOut, 403: ErrorOut, 422: FieldErrorsOut},
    summary="Record a production lot and put the units that passed QC into stock",
)
def lot_create(request: AuthenticatedRequest, payload: LotIn) -> Status[dict[str, Any]]:
    """Calls production.services.lot_record. Any 400 or 403 leaves nothing saved."""
    user = request.auth
    errors: dict[str, list[str]] = {}
    variant = variants_by_sku(user=user, skus=[payload.sku]).get(payload.sku.strip().upper())
    if variant is None:
        errors["sku"] = [unknown_sku(payload.sku)]
    else:
        # The rule lot_record applies, checked first so that a viewer gets 403, not field errors.
        require_producer(user, variant.organization)
    group = group_or_error(user=user, slug=payload.group, errors=errors)
    location = location_or_error(user=user, code=payload.location, errors=errors)
    if errors or variant is None or location is None:  # either is None only with its error
        raise ValidationError(errors)
    lot = lot_record(
        actor=user,
        variant=variant,
        group=group,
        location=location,
        quantity_produced=payload.quantity,
        quantity_passed=payload.quantity_passed,
        material_cost_idr=payload.material_cost_idr,
        contributions=[ContributionInput(maker_id=c.maker, share=c.share) for c in payload.contributions],
        started_date=payload.started_date,
        finished_date=payload.finished_date,
        share_basis=payload.share_basis,
        notes=payload.notes,
    )
    return Status(201, lot_out(request, lot) | {"location": location.code})


@router.get(
    "/lots/{code}",
    response={200: LotOut, 401: ErrorOut, 404: ErrorOut},
    summary="One production lot, its stock and (for the organization's own staff) its contributors",
)
def lot_detail(request: AuthenticatedRequest, code: str) -> dict[str, Any]:
    """Codes are read forgivingly (lower case, dashes, O for 0). Another organization's lot is 404."""
    return lot_out(request, lot_for(user=request.auth, code=code))


@router.post(
    "/lots/{code}/tags",
    response={201: DocumentOut, 400: FieldErrorsOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: FieldErrorsOut},
    summary="Issue a sheet of hang tags for a lot",
)
def lot_tags(request: AuthenticatedRequest, code: str, payload: Body[TagsIn | None] = None) -> Status[dict[str, Any]]:
    """One tag per unit that passed QC unless ``count`` says otherwise. The PDF is at ``document_url``."""
    lot = lot_for(user=request.auth, code=code)
    document = lot_tags_issue(actor=request.auth, lot=lot, count=payload.count if payload else None)
    return Status(
        201,
        {
            "number": document.number,
            "kind": document.kind,
            "verify_code": document.verify_code,
            "verify_url": verify_url(request, document),
            "document_url": document_url(request, document),
        },
    )
