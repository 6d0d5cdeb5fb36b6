"""Public endpoint: the impact figures of a facility or producer for a year. No authentication.

Aggregates only: premi earned and paid, items sold, PNBP deposited, and a facility's programs (agreements in
force, training hours, makers certified, released makers now selling). No maker is ever named, counted
individually or linked.
"""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from binakarya.api.common import this_year
from binakarya.api.schemas.common import ErrorOut, FieldErrorsOut
from binakarya.api.schemas.impact import ImpactOut, ImpactQuery
from binakarya.organizations.models import Organization
from binakarya.organizations.selectors import BOOK_KINDS, organization_get
from binakarya.programs.selectors import impact_programs
from binakarya.sales.selectors import public_impact

router = Router(tags=["impact"])


@router.get(
    "/impact/{organization_slug}",
    response={200: ImpactOut, 404: ErrorOut, 422: FieldErrorsOut},
    summary="Public figures of a facility or producer for a year: premi earned and paid, items sold, PNBP",
    # ninja derives operation ids from the module; this one keeps the id it had in ledger.py, so the
    # OpenAPI document, and any client generated from it, stay the same.
    operation_id="binakarya_api_ledger_impact",
)
def impact(request: HttpRequest, organization_slug: str, filters: Query[ImpactQuery]) -> dict[str, Any]:
    """No authentication. Aggregates only: no maker is ever named, counted individually or linked."""
    organization = organization_get(slug=organization_slug, kinds=BOOK_KINDS)
    year = filters.year or this_year()
    figures = public_impact(organization=organization, year=year)
    programs = (
        vars(impact_programs(organization=organization, year=year))
        if organization.kind == Organization.Kind.FACILITY
        else None
    )
    return {
        "organization": organization.slug,
        "name": organization.name,
        "year": figures["year"],
        "premi_earned_idr": figures["premi_earned_idr"],
        "premi_paid_idr": figures["premi_paid_idr"],
        "makers_earning": figures["makers_earning"],
        "items_sold": figures["items_sold"],
        "pnbp_deposited_idr": figures["pnbp_deposited_idr"],
        "programs": programs,
    }
