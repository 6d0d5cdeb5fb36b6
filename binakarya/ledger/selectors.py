"""Reads of the ledger: trial balances, makers' statements, funds, PNBP and the invariant checks."""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import F, OuterRef, QuerySet, Subquery, Sum
from django.utils import timezone

from binakarya.ledger.models import (
    Account,
    CapitalMovement,
    JournalEntry,
    JournalLine,
    Payout,
    PnbpDeposit,
    PnbpTarget,
    SplitRule,
)
from binakarya.ledger.services import rule_of
from binakarya.ledger.split import LotSale, Rule, split_lot_sale
from binakarya.makers.models import Maker
from binakarya.organizations.models import Organization, Role
from binakarya.organizations.scoping import MAKER_ROLES, STAFF_ROLES, scope


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
    from binakarya.makers.models import Group
    from binakarya.production.models import Lot

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


def public_impact(*, organization: Organization, year: int) -> dict[str, int]:
    """Aggregates only: premi earned and paid, makers who earned, items sold, PNBP deposited."""
    from binakarya.sales.models import SaleLine

    premi_lines = JournalLine.objects.filter(
        organization=organization,
        account__kind=Account.Kind.PREMI_PAYABLE,
        entry__occurred_at__year=year,
        entry__kind__in=[JournalEntry.Kind.SALE, JournalEntry.Kind.REVERSAL],
    )
    earned = -(premi_lines.aggregate(t=Sum("amount_idr"))["t"] or 0)
    earners = premi_lines.values("account__maker_id").annotate(t=Sum("amount_idr")).filter(t__lt=0).count()
    paid = Payout.objects.filter(organization=organization, paid_at__year=year).aggregate(t=Sum("amount_idr"))["t"] or 0
    sold = (
        SaleLine.objects.filter(organization=organization, sale__occurred_at__year=year).aggregate(
            t=Sum(F("quantity") - F("returned_quantity"))
        )["t"]
        or 0
    )
    deposited = (
        PnbpDeposit.objects.filter(organization=organization, deposited_date__year=year).aggregate(t=Sum("amount_idr"))[
            "t"
        ]
        or 0
    )
    return {
        "year": year,
        "premi_earned_idr": earned,
        "premi_paid_idr": paid,
        "makers_earning": earners,
        "items_sold": sold,
        "pnbp_deposited_idr": deposited,
    }


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


PREMI_CHECK_CHUNK = 1000


@dataclass(frozen=True, slots=True)
class _PremiCheckLine:
    """One sale line as premi_mismatches reads it (a values_list row, with its lot's unit cost)."""

    pk: int
    sale_id: int
    lot_id: int
    quantity: int
    unit_price_idr: int
    commission_idr: int
    split_rule_id: int
    unit_cost_idr: int


def premi_mismatches(*, organization: Organization | None = None, chunk_size: int = PREMI_CHECK_CHUNK) -> list[str]:
    """Numbers of the sales whose premi lines differ from what their split rules give (recomputed from scratch).

    For every line of a sale, the split of its quantity, price, commission and lot's unit cost under
    the rule version it was posted with gives each contributor of the lot (in contribution order) a
    net premi; the non-zero ones must equal, per sale line and maker, the premi credited in the
    sale's own entry. Returns and cancellations post entries of their own, which are not read here.

    Sales are read by primary key in chunks of ``chunk_size``: one query for the premi accounts, then
    four a chunk (the sales, their lines with their lots' unit costs, the contributions of those lots,
    and the lines of their entries, looked up by a list of entry ids) and one for each batch of split
    rules not seen before; ordered by sale.
    """
    from binakarya.production.models import Contribution
    from binakarya.sales.models import Sale, SaleLine

    if chunk_size < 1:
        raise ValueError("chunk_size must be at least 1")
    sales = Sale.objects.all() if organization is None else Sale.objects.filter(organization=organization)
    rules: dict[int, Rule] = {}
    premi_accounts = Account.objects.filter(kind=Account.Kind.PREMI_PAYABLE)
    if organization is not None:
        premi_accounts = premi_accounts.filter(organization=organization)
    premi_makers: dict[int, int | None] = dict(premi_accounts.order_by().values_list("pk", "maker_id"))
    problems: list[str] = []
    after: int | None = None
    while True:
        page = sales.order_by("pk") if after is None else sales.filter(pk__gt=after).order_by("pk")
        chunk: list[tuple[int, str, int]] = list(page.values_list("pk", "number", "entry_id")[:chunk_size])
        if not chunk:
            break
        first, after = chunk[0][0], chunk[-1][0]
        # The chunk's sale lines by their sales' pk range. A sale committed into the range since the
        # chunk was read is left out again below.
        line_rows = SaleLine.objects.filter(sale_id__gte=first, sale_id__lte=after)
        if organization is not None:
            line_rows = line_rows.filter(sale__organization=organization)

        lines_by_sale: dict[int, list[_PremiCheckLine]] = defaultdict(list)
        for row in line_rows.order_by("pk").values_list(
            "pk",
            "sale_id",
            "lot_id",
            "quantity",
            "unit_price_idr",
            "commission_idr",
            "split_rule_id",
            "lot__unit_cost_idr",
        ):
            line = _PremiCheckLine(*row)
            lines_by_sale[line.sale_id].append(line)

        contributors: dict[int, list[tuple[int, int]]] = defaultdict(list)  # lot -> [(maker, share)] by pk
        for lot_id, maker_id, share in (
            Contribution.objects.filter(lot_id__in=line_rows.values("lot_id"))
            .order_by("lot_id", "pk")
            .values_list("lot_id", "maker_id", "share")
        ):
            contributors[lot_id].append((maker_id, share))

        sale_of_entry = {entry_id: pk for pk, _number, entry_id in chunk}
        posted: dict[int, dict[tuple[int | None, int], int]] = defaultdict(lambda: defaultdict(int))
        # Every line of the chunk's entries, by a list of entry ids, so the planner probes the entry index
        # whatever its statistics say (right after a bulk import they can be far off); the premi lines
        # are picked out here by their accounts, which are few.
        for entry_id, sale_line_id, account_id, amount in (
            JournalLine.objects.filter(entry_id__in=sorted(e for _pk, _number, e in chunk if e is not None))
            .order_by()
            .values_list("entry_id", "sale_line_id", "account_id", "amount_idr")
        ):
            if account_id not in premi_makers:
                continue
            maker_id = premi_makers[account_id]
            sale_pk = sale_of_entry.get(entry_id)
            if sale_pk is not None:
                posted[sale_pk][(sale_line_id, maker_id)] -= amount

        missing = {line.split_rule_id for lines in lines_by_sale.values() for line in lines} - rules.keys()
        if missing:
            rules.update((pk, rule_of(split_rule)) for pk, split_rule in SplitRule.objects.in_bulk(missing).items())

        for pk, number, _entry_id in chunk:
            expected: dict[tuple[int | None, int], int] = defaultdict(int)
            for line in lines_by_sale.get(pk, ()):
                makers = contributors.get(line.lot_id, [])
                split = split_lot_sale(
                    rules[line.split_rule_id],
                    LotSale(
                        line.quantity,
                        line.unit_price_idr,
                        line.unit_cost_idr,
                        line.commission_idr,
                        [share for _maker, share in makers],
                    ),
                )
                for (maker_id, _share), net in zip(makers, split.net_premi_by_contributor, strict=True):
                    if net:
                        expected[(line.pk, maker_id)] += net
            if dict(posted.get(pk, {})) != dict(expected):
                problems.append(number)
        if len(chunk) < chunk_size:
            break
    return problems
