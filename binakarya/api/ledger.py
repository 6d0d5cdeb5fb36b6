"""Staff endpoints over the ledger: makers' premi statements and payouts, trial balances, split rules,
capital funds and PNBP. The public impact figures are in impact.py.

Every write calls ledger.services and needs the "ledger.manage" permission (facility admin, finance
officer, producer operator) in the organization concerned. Reads:

- a maker's statement and payouts: only the maker's own organization's staff (scoping.MAKER_ROLES,
  no oversight); anyone else gets 404, as for a maker that does not exist;
- trial balances and PNBP: the book keepers, auditors, and the regional and national viewers above
  the organization (aggregates per account, no names);
- split rules and capital funds: every staff role but outlet partners, and oversight.

An organization named in a query that is outside those answers 404; named in a body, 400.
"""

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Status

from binakarya.api.auth import STAFF_AUTH, AuthenticatedRequest
from binakarya.api.common import group_or_error, this_year, verify_url
from binakarya.api.schemas.common import WRITE_ERRORS, AnyYearParam, ErrorOut, FieldErrorsOut, IdParam
from binakarya.api.schemas.ledger import (
    BooksExportQuery,
    BooksQuery,
    CapitalMovementOut,
    FundsOut,
    GrantIn,
    PayoutIn,
    PayoutOut,
    PnbpDepositIn,
    PnbpDepositOut,
    PnbpTargetIn,
    PnbpTargetOut,
    PnbpYearOut,
    PreviewIn,
    PreviewOut,
    PurchaseIn,
    RuleFieldsIn,
    SplitRuleIn,
    SplitRuleListOut,
    SplitRuleOut,
    StatementOut,
    TrialBalanceOut,
    YearExportQuery,
)
from binakarya.catalog.models import Category
from binakarya.catalog.selectors import category_get
from binakarya.core.exports import export_response
from binakarya.ledger import reports
from binakarya.ledger.models import CapitalMovement, SplitRule
from binakarya.ledger.selectors import (
    BOOKS_VIEW_ROLES,
    PNBP_KINDS,
    RULES_VIEW_ROLES,
    book_organization_for,
    book_organizations_for,
    capital_fund_balance,
    capital_funds,
    maker_premi_owed,
    maker_statement,
    pnbp_year,
    rule_of,
    split_rule_is_in_force,
    split_rule_rows_for,
    trial_balance,
)
from binakarya.ledger.services import (
    capital_grant,
    capital_material_purchase,
    pnbp_deposit_record,
    pnbp_target_set,
    premi_payout,
    require_books_keeper,
    split_rule_create,
    split_rule_validate,
)
from binakarya.ledger.split import LotSale, split_lot_sale
from binakarya.makers.models import Group
from binakarya.makers.selectors import maker_for
from binakarya.organizations.models import Organization
from binakarya.organizations.scoping import LEDGER_ROLES
from binakarya.organizations.selectors import BOOK_KINDS, organization_get

router = Router(tags=["ledger"], auth=STAFF_AUTH)

READ_ERRORS = {400: FieldErrorsOut, 401: ErrorOut, 404: ErrorOut, 422: FieldErrorsOut}


# Which organization -------------------------------------------------------------------------------


def _name_it() -> ValidationError:
    return ValidationError({"organization": [_("Say which organization: give its slug in “organization”.")]})


def _only_one(organizations: QuerySet[Organization]) -> Organization:
    """The caller's only organization among ``organizations``, or 400 asking them to name it."""
    first_two = list(organizations[:2])
    if len(first_two) != 1:
        raise _name_it()
    return first_two[0]


def organization_to_read(
    *, user: User, slug: str, roles: Iterable[str], kinds: Iterable[str] = BOOK_KINDS
) -> Organization:
    """The organization named by ``?organization=`` if ``user`` may read it with ``roles``.

    Raises Organization.DoesNotExist (404) for an unknown slug and for one outside the scope alike.
    Without a slug, the caller's only such organization (400 when they see none or several).
    """
    if slug.strip():
        return book_organization_for(user=user, slug=slug.strip(), roles=roles, kinds=kinds, active_only=False)
    return _only_one(book_organizations_for(user=user, roles=roles, kinds=kinds, active_only=False))


def organization_to_write(*, user: User, slug: str, kinds: Iterable[str] = BOOK_KINDS) -> Organization:
    """The organization named in a body, checked for "ledger.manage".

    An unknown slug, or one outside the caller's scope, is 400; one the caller only views is 403.
    Without a slug, the only organization whose books the caller keeps.
    """
    if slug.strip():
        try:
            organization = book_organization_for(user=user, slug=slug.strip(), kinds=kinds, active_only=False)
        except Organization.DoesNotExist:
            raise ValidationError({"organization": [_("Unknown organization “%(slug)s”.") % {"slug": slug}]}) from None
    else:
        organization = _only_one(
            book_organizations_for(user=user, roles=LEDGER_ROLES, kinds=kinds, oversight=False, active_only=False)
        )
    require_books_keeper(user, organization)
    return organization


# Makers' premi ----------------------------------------------------------------------------------


@router.get(
    "/makers/{maker_id}/statement",
    response={200: StatementOut, 401: ErrorOut, 404: ErrorOut, 422: FieldErrorsOut},
    summary="A maker's premi: every sale, return and payout, oldest first, with a running balance",
)
def statement(request: AuthenticatedRequest, maker_id: Path[IdParam]) -> dict[str, Any]:
    """For the maker's own organization's staff only; anyone else gets 404. Two queries after authentication."""
    maker, lines, balance = maker_statement(user=request.auth, maker_id=maker_id)
    return {
        "maker": maker.pk,
        "name": maker.full_name,
        "balance_idr": balance,
        "entries": [
            {
                "date": timezone.localdate(line.occurred_at),
                "occurred_at": line.occurred_at,
                "kind": line.kind,
                "sale": line.sale or None,
                "product": line.product,
                "lot": line.lot or None,
                "share": line.share,
                "amount_idr": line.amount_idr,
                "balance_idr": line.balance_idr,
            }
            for line in lines
        ],
    }


@router.post(
    "/makers/{maker_id}/payouts",
    response={201: PayoutOut, 404: ErrorOut} | WRITE_ERRORS,
    summary="Pay premi out to a maker under the facility's policy, with a verifiable slip",
)
def payout_create(request: AuthenticatedRequest, maker_id: Path[IdParam], payload: PayoutIn) -> Status[dict[str, Any]]:
    """Calls ledger.services.premi_payout. More than the maker is owed (or may spend inside) is 409."""
    user = request.auth
    maker = maker_for(user=user, pk=maker_id)  # Maker.DoesNotExist -> 404, also for another organization's
    payout = premi_payout(
        actor=user,
        maker=maker,
        amount_idr=payload.amount_idr,
        method=payload.method.strip().upper(),
        recipient_name=payload.recipient,
        recipient_relationship=payload.relationship,
        reference=payload.reference,
        expected_owed_idr=payload.expected_owed_idr,
    )
    document = payout.document
    return Status(
        201,
        {
            "maker": maker.pk,
            "amount_idr": payout.amount_idr,
            "method": payout.method,
            "paid_at": payout.paid_at,
            "balance_idr": maker_premi_owed(maker=maker),
            "slip": {
                "number": document.number,
                "verify_code": document.verify_code,
                "verify_url": verify_url(request, document),
            },
        },
    )


# Trial balance ----------------------------------------------------------------------------------


@router.get(
    "/ledger/trial-balance",
    response={200: TrialBalanceOut} | READ_ERRORS,
    summary="Every account's balance as a debit or a credit; debits equal credits",
)
def trial_balance_view(
    request: AuthenticatedRequest, filters: Query[BooksExportQuery]
) -> dict[str, Any] | HttpResponse:
    """Book keepers, auditors and oversight viewers. One grouped query for the accounts.

    ``format=csv`` or ``xlsx``: the same table as the back office's download."""
    organization = organization_to_read(user=request.auth, slug=filters.organization, roles=BOOKS_VIEW_ROLES)
    if filters.format != "json":
        tables = reports.trial_balance_tables(organization=organization)
        return export_response(filters.format, f"trial-balance-{organization.slug}", tables)
    balance = trial_balance(organization=organization)
    return {
        "organization": organization.slug,
        "debit_idr": balance.debit_idr,
        "credit_idr": balance.credit_idr,
        "balanced": balance.balanced,
        "accounts": [
            {
                "name": row.name,
                "label": label,
                "kind": row.kind,
                "maker_id": row.maker_id,
                "debit_idr": row.debit_idr,
                "credit_idr": row.credit_idr,
            }
            for label, row in balance.labelled()
        ],
    }


# Split rules ------------------------------------------------------------------------------------


def _bp(percent: Decimal) -> int:
    """50 -> 5000, 12.5 -> 1250 (the schema allows at most two decimals, so this is exact)."""
    return int(percent * 100)


def _percent(bp: int) -> float:
    return bp / 100


def _rule_fields(payload: RuleFieldsIn) -> dict[str, Any]:
    return {
        "basis": payload.basis.strip().upper(),
        "premi_mode": payload.premi_mode.strip().upper(),
        "premi_bp": _bp(payload.premi_percent),
        "premi_per_unit_idr": payload.premi_per_unit_idr,
        "capital_bp": _bp(payload.capital_percent),
        "recover_material_cost": payload.recover_material_cost,
        "restitution_bp": _bp(payload.restitution_percent),
        "victim_fund_bp": _bp(payload.victim_fund_percent),
        "legal_reference": payload.legal_reference.strip(),
    }


def split_rule_out(rule: SplitRule, in_force: bool) -> dict[str, Any]:
    return {
        "id": rule.pk,
        "organization": rule.organization.slug,
        "category": rule.category.slug if rule.category else None,
        "effective_from": rule.effective_from,
        "basis": rule.basis,
        "premi_mode": rule.premi_mode,
        "premi_percent": _percent(rule.premi_bp),
        "premi_per_unit_idr": rule.premi_per_unit_idr,
        "capital_percent": _percent(rule.capital_bp),
        "recover_material_cost": rule.recover_material_cost,
        "restitution_percent": _percent(rule.restitution_bp),
        "victim_fund_percent": _percent(rule.victim_fund_bp),
        "legal_reference": rule.legal_reference,
        "in_force": in_force,
    }


@router.get(
    "/split-rules",
    response={200: SplitRuleListOut, 401: ErrorOut, 422: FieldErrorsOut},
    summary="Split rules of the caller's organizations, every version, newest first",
)
def split_rule_list(request: AuthenticatedRequest, filters: Query[BooksQuery]) -> dict[str, Any]:
    """By organization, then category (the general rule first), newest version first."""
    rows = split_rule_rows_for(user=request.auth, organization_slug=filters.organization.strip())
    return {"count": len(rows), "items": [split_rule_out(row.rule, row.in_force) for row in rows]}


@router.post(
    "/split-rules",
    response={201: SplitRuleOut} | WRITE_ERRORS,
    summary="Enter a split rule (a new version from its effective date)",
)
def split_rule_create_view(request: AuthenticatedRequest, payload: SplitRuleIn) -> Status[dict[str, Any]]:
    """Calls ledger.services.split_rule_create. Percentages are percent numbers (12.5), stored as basis points."""
    user = request.auth
    organization = organization_to_write(user=user, slug=payload.organization)
    category: Category | None = None
    if payload.category:
        try:
            category = category_get(slug=payload.category.strip())
        except Category.DoesNotExist:
            raise ValidationError(
                {"category": [_("Unknown category “%(slug)s”.") % {"slug": payload.category}]}
            ) from None
    rule = split_rule_create(
        actor=user,
        organization=organization,
        category=category,
        effective_from=payload.effective_from,
        **_rule_fields(payload),
    )
    rule.organization, rule.category = organization, category
    return Status(201, split_rule_out(rule, split_rule_is_in_force(rule=rule)))


@router.post(
    "/split-rules/preview",
    response={200: PreviewOut, 400: FieldErrorsOut, 401: ErrorOut, 422: FieldErrorsOut},
    summary="What a rule would do to an example sale of one lot; nothing is saved",
)
def split_rule_preview(request: AuthenticatedRequest, payload: PreviewIn) -> dict[str, Any]:
    """The rule is validated exactly as POST /split-rules validates it (legal reference included)."""
    rule = split_rule_validate(**_rule_fields(payload))
    example = payload.example
    if example.commission_idr > example.quantity * example.unit_price_idr:
        raise ValidationError(
            {"example.commission_idr": [_("The commission must be between Rp0 and the sale's total.")]}
        )
    split = split_lot_sale(
        rule_of(rule),
        LotSale(
            quantity=example.quantity,
            unit_price_idr=example.unit_price_idr,
            unit_cost_idr=example.unit_cost_idr,
            commission_idr=example.commission_idr,
            contributor_shares=list(example.shares),
        ),
    )
    return {
        "gross_idr": split.gross_idr,
        "commission_idr": split.commission_idr,
        "material_idr": split.material_idr,
        "premi_idr": split.premi_idr,
        "capital_idr": split.capital_idr,
        "remainder_idr": split.remainder_idr,
        "contributors": [
            {"share": share, "premi_idr": premi, "deductions": deductions, "net_premi_idr": net}
            for share, premi, deductions, net in zip(
                example.shares,
                split.premi_by_contributor,
                split.deductions_by_contributor,
                split.net_premi_by_contributor,
                strict=True,
            )
        ],
    }


# Capital funds ----------------------------------------------------------------------------------


def capital_out(movement: CapitalMovement, organization: Organization, group: Group | None) -> dict[str, Any]:
    return {
        "kind": movement.kind,
        "organization": organization.slug,
        "group": group.slug if group else None,
        "agency": movement.agency.slug if movement.agency else None,
        "amount_idr": movement.amount_idr,
        "memo": movement.memo,
        "occurred_at": movement.occurred_at,
        "balance_idr": capital_fund_balance(organization=organization, group=group),
    }


@router.post(
    "/capital/grants",
    response={201: CapitalMovementOut} | WRITE_ERRORS,
    summary="Record a grant into a group's capital fund (e.g. from a district agency)",
)
def grant_create(request: AuthenticatedRequest, payload: GrantIn) -> Status[dict[str, Any]]:
    user = request.auth
    organization = organization_to_write(user=user, slug=payload.organization)
    errors: dict[str, list[str]] = {}
    group = group_or_error(user=user, slug=payload.group, errors=errors)
    agency: Organization | None = None
    if payload.agency:
        try:
            # A deactivated agency too: capital_grant says why it may not give.
            agency = organization_get(slug=payload.agency.strip(), kinds=[Organization.Kind.AGENCY], active_only=False)
        except Organization.DoesNotExist:
            errors["agency"] = [_("Unknown agency “%(slug)s”.") % {"slug": payload.agency}]
    if errors:
        raise ValidationError(errors)
    movement = capital_grant(
        actor=user,
        organization=organization,
        group=group,
        amount_idr=payload.amount_idr,
        agency=agency,
        memo=payload.memo.strip(),
    )
    return Status(201, capital_out(movement, organization, group))


@router.post(
    "/capital/purchases",
    response={201: CapitalMovementOut} | WRITE_ERRORS,
    summary="Record materials bought out of a group's capital fund",
)
def purchase_create(request: AuthenticatedRequest, payload: PurchaseIn) -> Status[dict[str, Any]]:
    """More than the fund holds is 409."""
    user = request.auth
    organization = organization_to_write(user=user, slug=payload.organization)
    errors: dict[str, list[str]] = {}
    group = group_or_error(user=user, slug=payload.group, errors=errors)
    if errors:
        raise ValidationError(errors)
    movement = capital_material_purchase(
        actor=user, organization=organization, group=group, amount_idr=payload.amount_idr, memo=payload.memo.strip()
    )
    return Status(201, capital_out(movement, organization, group))


@router.get(
    "/capital/funds",
    response={200: FundsOut} | READ_ERRORS,
    summary="Each capital fund's balance and how many pieces its materials can still pay for",
)
def funds(request: AuthenticatedRequest, filters: Query[BooksExportQuery]) -> dict[str, Any] | HttpResponse:
    organization = organization_to_read(user=request.auth, slug=filters.organization, roles=RULES_VIEW_ROLES)
    if filters.format != "json":
        tables = reports.capital_tables(organization=organization)
        return export_response(filters.format, f"capital-funds-{organization.slug}", tables)
    rows = capital_funds(organization=organization)
    return {
        "organization": organization.slug,
        "funds": [
            {
                "group": row["group_slug"],
                "name": row["name"],
                "balance_idr": row["balance_idr"],
                "material_per_piece_idr": row["material_per_piece_idr"],
                "product": row["product"],
                "pieces": row["pieces"],
            }
            for row in rows
        ],
    }


# PNBP -------------------------------------------------------------------------------------------


@router.post(
    "/pnbp/deposits",
    response={201: PnbpDepositOut} | WRITE_ERRORS,
    summary="Record a PNBP deposit to the state treasury with its billing code and NTPN",
)
def pnbp_deposit_create(request: AuthenticatedRequest, payload: PnbpDepositIn) -> Status[dict[str, Any]]:
    """Facilities only: an UMKM producer's remainder is its own income, not PNBP."""
    user = request.auth
    organization = organization_to_write(user=user, slug=payload.organization, kinds=PNBP_KINDS)
    deposit = pnbp_deposit_record(
        actor=user,
        organization=organization,
        amount_idr=payload.amount_idr,
        billing_code=payload.billing_code,
        ntpn=payload.ntpn,
        deposited_date=payload.deposited_date,
    )
    return Status(
        201,
        {
            "organization": organization.slug,
            "amount_idr": deposit.amount_idr,
            "billing_code": deposit.billing_code,
            "ntpn": deposit.ntpn,
            "deposited_date": deposit.deposited_date,
        },
    )


@router.put(
    "/pnbp/targets/{year}",
    response={200: PnbpTargetOut} | WRITE_ERRORS,
    summary="Set a facility's PNBP target for a calendar year",
)
def pnbp_target_put(request: AuthenticatedRequest, year: Path[AnyYearParam], payload: PnbpTargetIn) -> dict[str, Any]:
    """Setting it again replaces the year's target; GET /pnbp compares it with the actual."""
    user = request.auth
    organization = organization_to_write(user=user, slug=payload.organization, kinds=PNBP_KINDS)
    target = pnbp_target_set(actor=user, organization=organization, year=year, target_idr=payload.target_idr)
    return {"organization": organization.slug, "year": target.year, "target_idr": target.target_idr}


@router.get(
    "/pnbp",
    response={200: PnbpYearOut} | READ_ERRORS,
    summary="A facility's PNBP for a year: target, accrued from sales, deposited",
)
def pnbp(request: AuthenticatedRequest, filters: Query[YearExportQuery]) -> dict[str, Any] | HttpResponse:
    organization = organization_to_read(
        user=request.auth, slug=filters.organization, roles=BOOKS_VIEW_ROLES, kinds=PNBP_KINDS
    )
    year = filters.year or this_year()
    if filters.format != "json":
        tables = reports.pnbp_tables(organization=organization, year=year)
        return export_response(filters.format, f"pnbp-{organization.slug}-{year}", tables)
    return {"organization": organization.slug} | pnbp_year(organization=organization, year=year)
