"""Reads of the ledger: trial balances, makers' statements, funds, PNBP and the invariant checks."""

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import F, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from binakarya.core.types import Actor
from binakarya.ledger import summary
from binakarya.ledger.accounts import account_label, deduction_label, maker_code
from binakarya.ledger.models import (
    Account,
    CapitalMovement,
    JournalEntry,
    JournalLine,
    LedgerMonth,
    MakerMonth,
    Payout,
    PayoutPolicy,
    PnbpDeposit,
    PnbpTarget,
    SplitRule,
)
from binakarya.ledger.split import Rule
from binakarya.makers.models import Group, Maker
from binakarya.makers.selectors import groups_for
from binakarya.organizations.models import Organization, Role
from binakarya.organizations.scoping import (
    LEDGER_ROLES,
    MAKER_ROLES,
    OVERSIGHT_ROLES,
    STAFF_ROLES,
    scope,
)
from binakarya.organizations.selectors import BOOK_KINDS, organizations_for
from binakarya.production.models import Lot

# Of the organizations that keep books (organizations.selectors.BOOK_KINDS), only facilities owe PNBP (an
# UMKM's remainder is its own income).
PNBP_KINDS: tuple[str, ...] = (Organization.Kind.FACILITY,)
# Who reads trial balances and PNBP: the book keepers, the auditors, and oversight (aggregates only).
BOOKS_VIEW_ROLES: frozenset[str] = LEDGER_ROLES | {Role.AUDITOR} | OVERSIGHT_ROLES
# Who reads split rules and capital funds: every staff role but outlet partners (and oversight).
RULES_VIEW_ROLES: frozenset[str] = STAFF_ROLES - {Role.OUTLET_PARTNER}


def natural_key(text: str) -> tuple[tuple[int, int | str], ...]:
    """Sorts "#2" before "#10" and "Ani" before "budi": numbers by value, the rest without case."""
    return tuple((0, int(part)) if part.isdigit() else (1, part.casefold()) for part in re.split(r"(\d+)", text))


@dataclass(frozen=True)
class TrialBalanceRow:
    """An account's balance. ``name`` is the stored name; :meth:`label` is the one to show."""

    account_id: int
    kind: str
    name: str
    debit_idr: int
    credit_idr: int
    maker_id: int | None = None
    maker_name: str = ""  # personal data: only for the organization's own staff (makers.view)
    party: str = ""  # the group, counterparty or deduction the account is for (never a maker)

    def party_label(self, *, maker_names: bool) -> str:
        """Whom the account is for: the maker's name (``maker_names``) or code, a group, an organization…"""
        if self.maker_id is not None:
            return self.maker_name if maker_names and self.maker_name else maker_code(self.maker_id)
        if self.kind == Account.Kind.DEDUCTIONS_PAYABLE:
            return deduction_label(self.party)
        return self.party

    def label(self, *, maker_names: bool = False) -> str:
        """The account's name in the active language; a maker by name only with ``maker_names``."""
        return account_label(self.kind, self.party_label(maker_names=maker_names))


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

    def labelled(self, *, maker_names: bool = False) -> list[tuple[str, TrialBalanceRow]]:
        """Each row with its label, by kind and then by label in natural order ("#2" before "#10", by name)."""
        labelled = [(row.label(maker_names=maker_names), row) for row in self.rows]
        return sorted(
            labelled,
            key=lambda item: (
                item[1].kind,
                natural_key(item[1].party_label(maker_names=maker_names)),
                item[1].account_id,
            ),
        )


def trial_balance(*, organization: Organization) -> TrialBalance:
    """Each account's balance as a debit or a credit (one grouped query), with whom each account is for."""
    sums = (
        JournalLine.objects.filter(organization=organization)
        .values(
            "account_id",
            "account__kind",
            "account__name",
            "account__maker_id",
            "account__maker__full_name",
            "account__group__name",
            "account__counterparty__name",
            "account__deduction",
        )
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
            maker_id=s["account__maker_id"],
            maker_name=s["account__maker__full_name"] or "",
            party=s["account__group__name"] or s["account__counterparty__name"] or s["account__deduction"] or "",
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
    return split_rules_for_categories(organization=organization, category_ids=[category_id], on_date=on_date)[
        category_id
    ]


def split_rules_for_categories(
    *, organization: Organization, category_ids: Iterable[int | None], on_date: datetime.date
) -> dict[int | None, SplitRule]:
    """The rule in force on ``on_date`` for each category: its own latest, else the general latest. One query.

    Raises ValidationError when a category has neither.
    """
    wanted = set(category_ids)
    specific = sorted(c for c in wanted if c is not None)
    matching = Q(category__isnull=True) | Q(category_id__in=specific) if specific else Q(category__isnull=True)
    latest: dict[int | None, SplitRule] = {}
    for rule in (
        SplitRule.objects.filter(organization=organization, effective_from__lte=on_date)
        .filter(matching)
        .order_by(F("category_id").asc(nulls_last=True), "-effective_from", "-id")
    ):
        latest.setdefault(rule.category_id, rule)  # the first of each category is its latest
    found: dict[int | None, SplitRule] = {}
    for category_id in wanted:
        in_force = latest.get(category_id) or latest.get(None)
        if in_force is None:
            raise ValidationError(
                _("%(org)s has no split rule in force on %(date)s. Enter one before recording sales.")
                % {"org": organization.name, "date": on_date.isoformat()}
            )
        found[category_id] = in_force
    return found


def payout_policy_for(*, organization: Organization) -> PayoutPolicy:
    return PayoutPolicy.objects.filter(organization=organization).first() or PayoutPolicy(organization=organization)


def capital_fund_balance(*, organization: Organization, group: Group | None) -> int:
    account = Account.objects.filter(
        organization=organization, kind=Account.Kind.CAPITAL_FUND, group=group, maker=None, counterparty=None
    ).first()
    return -account_balance(account=account) if account else 0


# Whose books --------------------------------------------------------------------------------------
# Which organizations a user may see is organizations.selectors'; these name the ones that keep books.


def book_organizations_for(
    *,
    user: Actor,
    roles: Iterable[str] | None = None,
    kinds: Iterable[str] = BOOK_KINDS,
    oversight: bool = True,
    active_only: bool = True,
) -> QuerySet[Organization]:
    """The organizations that keep books (facilities and producers, or ``kinds``) ``user`` sees with ``roles``:
    organizations.selectors.organizations_for with those kinds.

    By name. The back office offers active ones only; the API (``active_only=False``) answers for
    deactivated ones too.
    """
    return organizations_for(user=user, roles=roles, kinds=kinds, oversight=oversight, active_only=active_only)


def book_organization_for(
    *,
    user: Actor,
    slug: str,
    roles: Iterable[str] | None = None,
    kinds: Iterable[str] = BOOK_KINDS,
    oversight: bool = True,
    active_only: bool = True,
) -> Organization:
    """The organization ``slug`` among :func:`book_organizations_for`.

    Raises Organization.DoesNotExist for an unknown slug and for one outside the user's scope alike.
    """
    return book_organizations_for(
        user=user, roles=roles, kinds=kinds, oversight=oversight, active_only=active_only
    ).get(slug=slug)


def fund_groups_for(
    *, user: Actor, organization: Organization | None = None, active_only: bool = False
) -> QuerySet[Group]:
    """The groups whose capital fund ``user`` may name (as makers.selectors.groups_for, without their crafts)."""
    return groups_for(user=user, organization=organization, active_only=active_only).prefetch_related(None)


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


def maker_statement(*, user: Actor, maker_id: int) -> tuple[Maker, list[StatementLine], int]:
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


def capital_funds(*, organization: Organization) -> list[dict[str, Any]]:
    """Each capital fund's balance, with the material cost per piece of the group's latest lot.

    Each fund is a dict: ``group_id`` and ``group_slug`` (None for a fund without a group), ``name``,
    ``balance_idr``, ``material_per_piece_idr``, ``product`` (of that lot) and ``pieces`` it still pays for.

    A fund without a group (an UMKM's, whose lots have no group) goes with the organization's latest
    lot made by no group. At most three queries whatever the number of funds: the balances, each
    group's latest lot, and the latest lot without a group when such a fund exists.
    """
    funds = list(
        JournalLine.objects.filter(organization=organization, account__kind=Account.Kind.CAPITAL_FUND)
        .values("account__group_id", "account__group__slug", "account__group__name", "account__name")
        .annotate(total=Sum("amount_idr"))
        .order_by("account__name")
    )
    group_ids = {f["account__group_id"] for f in funds if f["account__group_id"] is not None}
    latest_lot = (
        Lot.objects.filter(organization=organization, group_id=OuterRef("pk"))
        .order_by("-finished_date", "-id")
        .values("pk")[:1]
    )
    latest: dict[int | None, Lot | None] = {
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
                "group_slug": f["account__group__slug"],
                "name": f["account__group__name"] or f["account__name"],
                "balance_idr": balance,
                "material_per_piece_idr": per_piece,
                "product": lot.variant.product.name if lot else "",
                "pieces": capital_fund_capacity(balance_idr=balance, material_per_piece_idr=per_piece),
            }
        )
    return result


def pnbp_deposited(*, organization: Organization, year: int) -> int:
    """The PNBP ``organization`` deposited to the state treasury in ``year`` (0 when none; one query)."""
    total: int | None = PnbpDeposit.objects.filter(organization=organization, deposited_date__year=year).aggregate(
        t=Sum("amount_idr")
    )["t"]
    return total or 0


def pnbp_year(*, organization: Organization, year: int) -> dict[str, int]:
    deposited = pnbp_deposited(organization=organization, year=year)
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
    *, user: Actor, within_days: int = 30, today: datetime.date | None = None
) -> list[tuple[Maker, int]]:
    """Active makers expected to leave within ``within_days``, with the premi each is owed.

    Makers whose expected release date has already passed but who are still active and still owed premi come
    first (the earliest date first): their release was missed, or their record was not updated. Those owed
    nothing are left out, as there is nothing to pay them before they go. Two queries.
    """
    today = today or timezone.localdate()
    candidates = (
        scope(Maker.objects.all(), user, roles=MAKER_ROLES, oversight=False)
        .filter(status=Maker.Status.ACTIVE, expected_release_date__isnull=False)
        .filter(expected_release_date__lte=today + datetime.timedelta(days=within_days))
    )
    makers = list(candidates.select_related("organization").order_by("expected_release_date", "full_name", "id"))
    owed = dict(
        JournalLine.objects.filter(
            account__kind=Account.Kind.PREMI_PAYABLE, account__maker__in=candidates.order_by().values("pk")
        )
        .values_list("account__maker_id")
        .annotate(total=Sum("amount_idr"))
    )
    rows = [(m, -(owed.get(m.pk) or 0)) for m in makers]
    # Ordered by date, the overdue ones (a date before today) are already first.
    return [(m, amount) for m, amount in rows if amount > 0 or (m.expected_release_date or today) >= today]


def split_rules_for(*, user: Actor, organization_slug: str = "") -> QuerySet[SplitRule]:
    """Every version of the split rules ``user`` may read (all staff but outlet partners, and oversight).

    Only those of the organization ``organization_slug`` when given. By organization, then category (the
    general rule first), newest version first.
    """
    qs = scope(SplitRule.objects.all(), user, roles=RULES_VIEW_ROLES)
    if organization_slug:
        qs = qs.filter(organization__slug=organization_slug)
    return qs.select_related("organization", "category").order_by(
        "organization__name", "organization_id", F("category__name").asc(nulls_first=True), "-effective_from", "-id"
    )


def split_rules_in_force(rules: Iterable[SplitRule], *, today: datetime.date | None = None) -> set[int]:
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


def _percent(basis_points: int) -> Decimal:
    # Decimal(1250) / 100 is 12.5 and Decimal(5000) / 100 is 50: shown as 12,5 and 50 in Indonesian.
    return Decimal(basis_points) / 100


@dataclass(frozen=True)
class SplitRuleRow:
    """A version of a split rule as the lists show it: whether it is in force today, its shares in percent."""

    rule: SplitRule
    in_force: bool
    premi_percent: Decimal
    capital_percent: Decimal
    restitution_percent: Decimal
    victim_fund_percent: Decimal

    # What the lists are grouped and ordered by.
    @property
    def organization(self) -> Organization:
        return self.rule.organization

    @property
    def effective_from(self) -> datetime.date:
        return self.rule.effective_from


def split_rule_rows_for(
    *, user: Actor, organization_slug: str = "", today: datetime.date | None = None
) -> list[SplitRuleRow]:
    """:func:`split_rules_for` as rows, each saying whether split_rule_for picks it ``today`` (one query)."""
    rules = list(split_rules_for(user=user, organization_slug=organization_slug))
    in_force = split_rules_in_force(rules, today=today)
    return [
        SplitRuleRow(
            rule=rule,
            in_force=rule.pk in in_force,
            premi_percent=_percent(rule.premi_bp),
            capital_percent=_percent(rule.capital_bp),
            restitution_percent=_percent(rule.restitution_bp),
            victim_fund_percent=_percent(rule.victim_fund_bp),
        )
        for rule in rules
    ]


def split_rule_is_in_force(*, rule: SplitRule, today: datetime.date | None = None) -> bool:
    """Whether split_rule_for picks ``rule`` today: in force, and no later version of it is (one query)."""
    today = today or timezone.localdate()
    if rule.effective_from > today:
        return False
    later = Q(effective_from__gt=rule.effective_from) | Q(effective_from=rule.effective_from, pk__gt=rule.pk)
    same = Q(category__isnull=True) if rule.category_id is None else Q(category_id=rule.category_id)
    return not SplitRule.objects.filter(
        later, same, organization_id=rule.organization_id, effective_from__lte=today
    ).exists()


def capital_movements_for(*, organization: Organization, limit: int = 20) -> list[CapitalMovement]:
    """The latest grants and material purchases of an organization's capital funds, newest first."""
    return list(
        CapitalMovement.objects.filter(organization=organization)
        .select_related("group", "agency")
        .order_by("-occurred_at", "-id")[:limit]
    )


def payouts_for(*, maker: Maker) -> list[Payout]:
    """The payouts to ``maker`` (who comes from a scoped selector), newest first, with their slips."""
    return list(Payout.objects.filter(maker=maker).select_related("document").order_by("-paid_at", "-id"))


def payout_for(*, maker: Maker, pk: int) -> Payout:
    """The payout ``pk`` to ``maker`` (who comes from a scoped selector), with its slip and organization.

    Raises Payout.DoesNotExist when it is missing or was paid to someone else.
    """
    payout = Payout.objects.select_related("document", "organization").get(maker=maker, pk=pk)
    payout.maker = maker  # the caller's copy: no second query for it
    return payout


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


@dataclass(frozen=True)
class SummaryMismatch:
    """A summary row that differs from the journal: which table, its key, and both sets of sums
    (``None`` where one side has no row)."""

    table: str
    key: tuple[Any, ...]
    summary: tuple[int, ...] | None
    journal: tuple[int, ...] | None

    def __str__(self) -> str:
        return f"{self.table}{self.key}: summary {self.summary}, journal {self.journal}"


def summary_mismatches(*, organization: Organization | None = None) -> list[SummaryMismatch]:
    """Where ``LedgerMonth`` and ``MakerMonth`` differ from the journal's lines grouped the same way
    (``ledger.summary``), for one organization or all. Empty when they agree."""
    lines = JournalLine.objects.all()
    tables: list[
        tuple[str, QuerySet[Any, dict[str, Any]], QuerySet[Any, dict[str, Any]], tuple[str, ...], tuple[str, ...]]
    ] = [
        (
            "LedgerMonth",
            LedgerMonth.objects.values(*summary.LEDGER_MONTH_KEY, *summary.LEDGER_MONTH_SUMS).order_by(),
            summary.ledger_month_rows(lines),
            summary.LEDGER_MONTH_KEY,
            summary.LEDGER_MONTH_SUMS,
        ),
        (
            "MakerMonth",
            MakerMonth.objects.values(*summary.MAKER_MONTH_KEY, *summary.MAKER_MONTH_SUMS).order_by(),
            summary.maker_month_rows(lines),
            summary.MAKER_MONTH_KEY,
            summary.MAKER_MONTH_SUMS,
        ),
    ]
    found: list[SummaryMismatch] = []
    for name, stored, computed, key, sums in tables:
        if organization is not None:
            stored = stored.filter(organization_id=organization.pk)
            computed = computed.filter(organization_id=organization.pk)
        kept = {tuple(r[k] for k in key): tuple(r[s] for s in sums) for r in stored.iterator(chunk_size=10_000)}
        for row in computed.iterator(chunk_size=10_000):
            row_key = tuple(row[k] for k in key)
            expected = tuple(row[s] for s in sums)
            actual = kept.pop(row_key, None)
            if actual != expected:
                found.append(SummaryMismatch(name, row_key, actual, expected))
        found.extend(SummaryMismatch(name, k, v, None) for k, v in sorted(kept.items()))
    return found


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


def premi_paid_by_organization(*, user: Actor, year: int) -> dict[int, int]:
    """Premi paid out in ``year`` per organization whose books ``user`` reads (aggregates only, as the
    public impact page shows them): {organization id: rupiah}. One query."""
    rows = (
        scope(Payout.objects.all(), user, roles=BOOKS_VIEW_ROLES)
        .filter(paid_at__year=year)
        .values("organization_id")
        .annotate(total=Sum("amount_idr"))
        .order_by()
    )
    return {row["organization_id"]: row["total"] or 0 for row in rows}


def outlet_owed(*, organization: Organization, outlet: Organization) -> int:
    """What ``outlet`` owes ``organization`` for the goods it sold on consignment: its receivable less the
    commission it keeps (both booked by each sale; ``services.outlet_payment_post`` clears them)."""
    total = JournalLine.objects.filter(
        organization=organization,
        account__counterparty=outlet,
        account__kind__in=[Account.Kind.RECEIVABLE, Account.Kind.COMMISSION],
    ).aggregate(t=Sum("amount_idr"))["t"]
    return total or 0
