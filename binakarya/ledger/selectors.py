"""Reads of the ledger: trial balances, makers' statements, funds, PNBP and the invariant checks."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import F, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from binakarya.ledger.models import (
    Account,
    CapitalMovement,
    JournalEntry,
    JournalLine,
    PayoutPolicy,
    PnbpDeposit,
    PnbpTarget,
    SplitRule,
)
from binakarya.ledger.split import Rule
from binakarya.makers.models import Group, Maker
from binakarya.organizations.models import Organization, Role
from binakarya.organizations.scoping import MAKER_ROLES, STAFF_ROLES, scope
from binakarya.production.models import Lot


@dataclass(frozen=True)
class TrialBalanceRow:
    account_id: int
    kind: str
    name: str
    debit_idr: int
    credit_idr: int


@dataclass(frozen=True)
class TrialBalance:
    organization: Organization
    rows: list[TrialBalanceRow]

    @property
    def debit_idr(self) -> int:
        return sum(r.debit_idr for r in self.rows)

    @property
    def credit_idr(self) -> int:
        return sum(r.credit_idr for r in self.rows)

    @property
    def balanced(self) -> bool:
        return self.debit_idr == self.credit_idr


def trial_balance(*, organization: Organization) -> TrialBalance:
    """Each account's balance as a debit or a credit (one grouped query)."""
    sums = (
        JournalLine.objects.filter(organization=organization)
        .values("account_id", "account__kind", "account__name")
        .annotate(total=Sum("amount_idr"))
        .order_by("account__kind", "account__name")
    )
    rows = [
        TrialBalanceRow(
            account_id=s["account_id"],
            kind=s["account__kind"],
            name=s["account__name"],
            debit_idr=max(s["total"], 0),
            credit_idr=max(-s["total"], 0),
        )
        for s in sums
        if s["total"]
    ]
    return TrialBalance(organization=organization, rows=rows)


# Balances -----------------------------------------------------------------------------------------


def account_balance(*, account: Account) -> int:
    """Signed balance (debits positive)."""
    return JournalLine.objects.filter(account=account).aggregate(t=Sum("amount_idr"))["t"] or 0


def maker_premi_owed(*, maker: Maker) -> int:
    """Premi held for ``maker`` (credits to their premi payable account, less payouts)."""
    total = JournalLine.objects.filter(account__kind=Account.Kind.PREMI_PAYABLE, account__maker=maker).aggregate(
        t=Sum("amount_idr")
    )["t"]
    return -(total or 0)


def maker_premi_earned(*, maker: Maker) -> int:
    """All premi credited to ``maker`` net of reversals (payouts not subtracted)."""
    total = JournalLine.objects.filter(
        account__kind=Account.Kind.PREMI_PAYABLE, account__maker=maker, entry__kind__in=["SALE", "REVERSAL"]
    ).aggregate(t=Sum("amount_idr"))["t"]
    return -(total or 0)


# Split rules and payout policy ---------------------------------------------------------------------


def rule_of(split_rule: SplitRule) -> Rule:
    return Rule(
        basis=split_rule.basis,
        premi_mode=split_rule.premi_mode,
        premi_per_unit_idr=split_rule.premi_per_unit_idr,
        premi_bp=split_rule.premi_bp,
        recover_material_cost=split_rule.recover_material_cost,
        capital_bp=split_rule.capital_bp,
        deductions_bp={"RESTITUTION": split_rule.restitution_bp, "VICTIM_FUND": split_rule.victim_fund_bp},
    )


def split_rule_for(*, organization: Organization, category_id: int | None, on_date: datetime.date) -> SplitRule:
    """The rule in force: the category's own if any, else the organization's general one.

    Raises ValidationError when the organization has no rule in force on that date.
    """
    in_force = SplitRule.objects.filter(organization=organization, effective_from__lte=on_date)
    matching = Q(category__isnull=True) | Q(category_id=category_id) if category_id else Q(category__isnull=True)
    # One query: the category's own rules sort before the general ones, the latest first within each.
    rule = in_force.filter(matching).order_by(F("category_id").asc(nulls_last=True), "-effective_from", "-id").first()
    if rule is None:
        raise ValidationError(
            _("%(org)s has no split rule in force on %(date)s. Enter one before recording sales.")
            % {"org": organization.name, "date": on_date.isoformat()}
        )
    return rule


def payout_policy_for(*, organization: Organization) -> PayoutPolicy:
    return PayoutPolicy.objects.filter(organization=organization).first() or PayoutPolicy(organization=organization)


def capital_fund_balance(*, organization: Organization, group: Group | None) -> int:
    account = Account.objects.filter(
        organization=organization, kind=Account.Kind.CAPITAL_FUND, group=group, maker=None, counterparty=None
    ).first()
    return -account_balance(account=account) if account else 0


def organizations_with_books(*, user: Any) -> QuerySet[Organization]:
    return scope(Organization.objects.all(), user, field="pk").filter(
        kind__in=[Organization.Kind.FACILITY, Organization.Kind.PRODUCER]
    )


@dataclass(frozen=True)
class StatementLine:
    occurred_at: datetime.datetime
    kind: str
    sale: str
    product: str
    lot: str
    share: int | None
    amount_idr: int
    balance_idr: int


def maker_statement(*, user: Any, maker_id: int) -> tuple[Maker, list[StatementLine], int]:
    """Every sale (and return and payout) that moved a maker's premi, oldest first, with a running balance.

    Raises Maker.DoesNotExist outside the user's own organization.
    """
    maker = scope(Maker.objects.all(), user, roles=MAKER_ROLES, oversight=False).get(pk=maker_id)
    lines = (
        JournalLine.objects.filter(account__kind=Account.Kind.PREMI_PAYABLE, account__maker=maker)
        .select_related("entry", "lot", "sale_line__sale", "sale_line__variant__product")
        .order_by("entry__occurred_at", "id")
    )
    result, balance = [], 0
    for line in lines:
        owed = -line.amount_idr
        balance += owed
        sale_line = line.sale_line
        result.append(
            StatementLine(
                occurred_at=line.entry.occurred_at,
                kind=line.entry.kind,
                sale=sale_line.sale.number if sale_line else "",
                product=sale_line.variant.product.name if sale_line else line.entry.memo,
                lot=line.lot.code if line.lot else "",
                share=line.share,
                amount_idr=owed,
                balance_idr=balance,
            )
        )
    return maker, result, balance


def capital_fund_capacity(*, balance_idr: int, material_per_piece_idr: int) -> int:
    """How many more pieces the fund pays materials for (Rp3.000.000 at Rp150.000 a piece: 20)."""
    if material_per_piece_idr <= 0:
        return 0
    return max(balance_idr, 0) // material_per_piece_idr


def capital_funds(*, organization: Organization) -> list[dict]:
    """Each capital fund's balance, with the material cost per piece of the group's latest lot.

    A fund without a group (an UMKM's, whose lots have no group) goes with the organization's latest
    lot made by no group. At most three queries whatever the number of funds: the balances, each
    group's latest lot, and the latest lot without a group when such a fund exists.
    """
    funds = list(
        JournalLine.objects.filter(organization=organization, account__kind=Account.Kind.CAPITAL_FUND)
        .values("account__group_id", "account__group__name", "account__name")
        .annotate(total=Sum("amount_idr"))
        .order_by("account__name")
    )
    group_ids = {f["account__group_id"] for f in funds if f["account__group_id"] is not None}
    latest_lot = (
        Lot.objects.filter(organization=organization, group_id=OuterRef("pk"))
        .order_by("-finished_date", "-id")
        .values("pk")[:1]
    )
    latest = {
        lot.group_id: lot
        for lot in Lot.objects.filter(
            pk__in=Group.objects.filter(pk__in=group_ids).annotate(lot_id=Subquery(latest_lot)).values("lot_id")
        ).select_related("variant__product")
    }
    if any(f["account__group_id"] is None for f in funds):
        latest[None] = (
            Lot.objects.filter(organization=organization, group__isnull=True)
            .order_by("-finished_date", "-id")
            .select_related("variant__product")
            .first()
        )
    result = []
    for f in funds:
        lot = latest.get(f["account__group_id"])
        per_piece = lot.unit_cost_idr if lot else 0
        balance = -f["total"]
        result.append(
            {
                "group_id": f["account__group_id"],
                "name": f["account__group__name"] or f["account__name"],
                "balance_idr": balance,
                "material_per_piece_idr": per_piece,
                "product": lot.variant.product.name if lot else "",
                "pieces": capital_fund_capacity(balance_idr=balance, material_per_piece_idr=per_piece),
            }
        )
    return result


def pnbp_year(*, organization: Organization, year: int) -> dict[str, int]:
    deposited = (
        PnbpDeposit.objects.filter(organization=organization, deposited_date__year=year).aggregate(t=Sum("amount_idr"))[
            "t"
        ]
        or 0
    )
    target = (
        PnbpTarget.objects.filter(organization=organization, year=year).values_list("target_idr", flat=True).first()
    )
    accrued = -(
        JournalLine.objects.filter(
            organization=organization, account__kind=Account.Kind.PNBP_PAYABLE, entry__occurred_at__year=year
        )
        .exclude(entry__kind=JournalEntry.Kind.PNBP_DEPOSIT)
        .aggregate(t=Sum("amount_idr"))["t"]
        or 0
    )
    return {"year": year, "target_idr": target or 0, "deposited_idr": deposited, "accrued_idr": accrued}


def release_worklist(
    *, user: Any, within_days: int = 30, today: datetime.date | None = None
) -> list[tuple[Maker, int]]:
    """Makers expected to leave within ``within_days``, with the premi each is owed."""
    today = today or timezone.localdate()
    makers = list(
        scope(Maker.objects.all(), user, roles=MAKER_ROLES, oversight=False)
        .filter(status=Maker.Status.ACTIVE, expected_release_date__gte=today)
        .filter(expected_release_date__lte=today + datetime.timedelta(days=within_days))
        .select_related("organization")
        .order_by("expected_release_date", "full_name")
    )
    owed = dict(
        JournalLine.objects.filter(account__kind=Account.Kind.PREMI_PAYABLE, account__maker__in=makers)
        .values_list("account__maker_id")
        .annotate(total=Sum("amount_idr"))
    )
    return [(m, -(owed.get(m.pk) or 0)) for m in makers]


def split_rules_for(*, user: Any, organization: Organization | None = None) -> QuerySet[SplitRule]:
    """Every version of the split rules ``user`` may read (all staff but outlet partners, and oversight).

    By organization, then category (the general rule first), newest version first.
    """
    qs = scope(SplitRule.objects.all(), user, roles=STAFF_ROLES - {Role.OUTLET_PARTNER})
    if organization is not None:
        qs = qs.filter(organization=organization)
    return qs.select_related("organization", "category").order_by(
        "organization__name", "organization_id", F("category__name").asc(nulls_first=True), "-effective_from", "-id"
    )


def split_rules_in_force(rules: list[SplitRule], *, today: datetime.date | None = None) -> set[int]:
    """Ids of the rules split_rule_for picks today, per organization and category (latest date, then id)."""
    today = today or timezone.localdate()
    best: dict[tuple[int, int | None], SplitRule] = {}
    for rule in rules:
        if rule.effective_from > today:
            continue
        key = (rule.organization_id, rule.category_id)
        current = best.get(key)
        if current is None or (rule.effective_from, rule.pk) > (current.effective_from, current.pk):
            best[key] = rule
    return {rule.pk for rule in best.values()}


def capital_movements_for(*, organization: Organization, limit: int = 20) -> list[CapitalMovement]:
    """The latest grants and material purchases of an organization's capital funds, newest first."""
    return list(
        CapitalMovement.objects.filter(organization=organization)
        .select_related("group", "agency")
        .order_by("-occurred_at", "-id")[:limit]
    )


def pnbp_deposits_for(*, organization: Organization, year: int) -> list[PnbpDeposit]:
    return list(
        PnbpDeposit.objects.filter(organization=organization, deposited_date__year=year).order_by(
            "-deposited_date", "-id"
        )
    )


# Invariants ---------------------------------------------------------------------------------------


def unbalanced_entries(*, organization: Organization | None = None) -> list[tuple[int, int]]:
    qs = JournalLine.objects.all()
    if organization is not None:
        qs = qs.filter(organization=organization)
    return list(
        qs.values("entry_id").annotate(total=Sum("amount_idr")).exclude(total=0).values_list("entry_id", "total")
    )


def negative_payables(*, organization: Organization | None = None) -> list[tuple[int, str, int]]:
    """Accounts holding money for someone (premi, deductions, capital) whose balance went the wrong way."""
    qs = JournalLine.objects.filter(
        account__kind__in=[
            Account.Kind.PREMI_PAYABLE,
            Account.Kind.DEDUCTIONS_PAYABLE,
            Account.Kind.CAPITAL_FUND,
            Account.Kind.PNBP_PAYABLE,
        ]
    )
    if organization is not None:
        qs = qs.filter(organization=organization)
    return list(
        qs.values("account_id")
        .annotate(total=Sum("amount_idr"))
        .filter(total__gt=0)
        .values_list("account_id", "account__name", "total")
    )
