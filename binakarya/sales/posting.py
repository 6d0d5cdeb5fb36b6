"""The plan of a sale: which lots it takes, which split rule each line follows, and what it posts.

``sale_plan`` is pure: it reads nothing from the database and writes nothing. Given the stock held at
the location (already locked by the caller), the split rule in force for each category, the
contributors of each lot and the sale's accounts, it returns everything the sale will write. Both
``sale_record`` (one sale) and ``import_sales`` (a million) plan every sale with it, so they cannot
disagree on an allocation, a rupiah of premi or an account.

For each line, units are taken first-in first-out by lot (``inventory.fifo``), except from a line pinned to a
lot (the hang tag scanned at the point of sale), which takes from that lot, before the others; a line that spans two
lots becomes two sale lines. The sale's commission is divided over its sale lines in proportion to
their amounts (``split_by_shares``), and each sale line is split by ``ledger.split.split_lot_sale``.
Each sale line posts, in this order:

- the gross amount to the money account (a debit);
- the commission to the commission account;
- material cost recovery and the capital share to the capital fund of the lot's group;
- the remainder (PNBP or producer income);
- each contributor's net premi to their premi payable account, in contribution order;
- each deduction taken from premi (by name) to its payable account.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from binakarya.inventory.fifo import FifoStock
from binakarya.ledger import accounts
from binakarya.ledger.accounts import AccountKey
from binakarya.ledger.split import LotSale, LotSplit, Rule, split_by_shares, split_lot_sale
from binakarya.sales.channels import owed_by
from binakarya.sales.pricing import price_check, price_unusual


class LineIn(NamedTuple):
    """A line of a sale as the planner needs it: the variant (with its category and catalog price) and what it
    sold for; ``price_reason`` explains a price far from the catalog's (``sales.pricing``), which needs one."""

    variant_id: int
    category_id: int | None
    quantity: int
    unit_price_idr: int
    catalog_price_idr: int | None
    price_reason: str = ""
    sku: str = ""
    lot_id: int | None = None  # the lot the units must come from (a scanned hang tag); None: first in, first out


class RuleInForce(NamedTuple):
    """A split rule version (its id, kept on each sale line) and its arithmetic."""

    split_rule_id: int
    rule: Rule


class SaleContext(NamedTuple):
    """Who sells, where and how: what decides a sale's accounts."""

    organization_kind: str
    channel: str
    location_id: int
    outlet_id: int | None  # the outlet holding the stock, when the location is a consignment outlet
    buyer_id: int | None


class PlannedPosting(NamedTuple):
    key: AccountKey
    amount_idr: int
    lot_id: int | None = None
    share: int | None = None


class PlannedLine(NamedTuple):
    """One sale line: ``quantity`` units of one lot, with its split and its postings."""

    input_line: int  # which of the input lines it comes from
    variant_id: int
    lot: Any  # production.Lot: its pk, group_id and unit_cost_idr are read
    quantity: int
    unit_price_idr: int
    commission_idr: int
    split_rule_id: int
    split: LotSplit
    postings: tuple[PlannedPosting, ...]
    price_reason: str = ""  # why the price is far from the catalog's; empty when it is not


@dataclass(frozen=True, slots=True)
class SalePlan:
    lines: list[PlannedLine]
    gross_idr: int
    commission_idr: int
    premi_idr: int
    # The rule every line followed, when all lines' categories were looked up to one rule each and
    # there was only one category (kept on the journal entry); otherwise None.
    single_rule_id: int | None
    # The lines sold far from their catalog price, with the reason given: (sku, price, catalog price, reason).
    unusual_prices: tuple[tuple[str, int, int, str], ...] = ()

    def account_keys(self) -> set[AccountKey]:
        return {p.key for line in self.lines for p in line.postings}


# What one sale line splits into and posts depends only on the sale's three accounts (money, commission,
# remainder) and (rule, lot, quantity, price, commission): planning many sales, equal lines are split once.
_Accounts = tuple[AccountKey, AccountKey, AccountKey]
_LineKey = tuple[int, int, int, int, int]
Memo = dict[_Accounts, dict[_LineKey, tuple[LotSplit, tuple[PlannedPosting, ...]]]]


def sale_plan(
    *,
    context: SaleContext,
    lines: Sequence[LineIn],
    commission_idr: int,
    stock: FifoStock,
    rules: Mapping[int | None, RuleInForce],
    contributions: Mapping[int, Sequence[tuple[int, int]]],
    memo: Memo | None = None,
) -> SalePlan:
    """Plan one sale. Takes its units out of ``stock`` (check ``stock.shortfalls`` first).

    ``rules`` gives the rule in force for each line's category on the sale's date, ``contributions``
    each lot's contributors as (maker id, share) in contribution order; they must not change while a
    ``memo`` (shared by the sales planned together) is in use. Raises ValueError when the stock is
    short or a lot's contributors do not match its split (both are checked by the callers first), and
    ValidationError (``sales.pricing``) for a price far from the catalog price without a reason.
    """
    unusual: list[tuple[str, int, int, str]] = []
    for i, line in enumerate(lines):
        catalog, price = line.catalog_price_idr, line.unit_price_idr
        if catalog and price_unusual(unit_price_idr=price, catalog_price_idr=catalog):
            reason = line.price_reason.strip()
            if not reason:
                problem = price_check(
                    sku=line.sku, unit_price_idr=price, catalog_price_idr=catalog, intended=False, reason="", line=i
                )
                if problem is not None:
                    raise problem
            unusual.append((line.sku, price, catalog, reason))
    # Lines pinned to a lot take from it first, so that the lines taken first in, first out cannot empty it.
    pinned = {
        i: stock.take_lot(context.location_id, line.variant_id, line.lot_id, line.quantity)
        for i, line in enumerate(lines)
        if line.lot_id is not None
    }
    taken = [
        (i, line, lot, quantity)
        for i, line in enumerate(lines)
        for lot, quantity in (
            pinned[i] if i in pinned else stock.take(context.location_id, line.variant_id, line.quantity)
        )
    ]
    used: dict[int | None, RuleInForce] = {}
    for _i, line, _lot, _quantity in taken:
        if line.category_id not in used:
            used[line.category_id] = rules[line.category_id]
    grosses = [quantity * line.unit_price_idr for _i, line, _lot, quantity in taken]
    commissions = split_by_shares(commission_idr, grosses) if commission_idr else [0] * len(taken)

    money = accounts.money_key(
        owed_by_id=owed_by(channel=context.channel, buyer_id=context.buyer_id, outlet_id=context.outlet_id)
    )
    commission_account = accounts.commission_key(outlet_id=context.outlet_id)
    remainder = accounts.remainder_key(organization_kind=context.organization_kind)

    seen = memo.setdefault((money, commission_account, remainder), {}) if memo is not None else {}
    planned = []
    premi = 0
    for (i, line, lot, quantity), commission in zip(taken, commissions, strict=True):
        in_force = used[line.category_id]
        key = (in_force.split_rule_id, lot.pk, quantity, line.unit_price_idr, commission)
        known = seen.get(key)
        if known is None:
            split = _split(in_force.rule, lot, quantity, line.unit_price_idr, commission, contributions)
            known = seen[key] = (split, _postings(split, lot, contributions, money, commission_account, remainder))
        split, postings = known
        premi += split.premi_idr
        planned.append(
            PlannedLine(
                i,
                line.variant_id,
                lot,
                quantity,
                line.unit_price_idr,
                commission,
                in_force.split_rule_id,
                split,
                postings,
                line.price_reason,
            )
        )
    return SalePlan(
        lines=planned,
        gross_idr=sum(grosses),
        commission_idr=commission_idr,
        premi_idr=premi,
        single_rule_id=next(iter(used.values())).split_rule_id if len(used) == 1 else None,
        unusual_prices=tuple(unusual),
    )


def _split(
    rule: Rule,
    lot: Any,
    quantity: int,
    unit_price_idr: int,
    commission_idr: int,
    contributions: Mapping[int, Sequence[tuple[int, int]]],
) -> LotSplit:
    return split_lot_sale(
        rule,
        LotSale(
            quantity=quantity,
            unit_price_idr=unit_price_idr,
            unit_cost_idr=lot.unit_cost_idr,
            commission_idr=commission_idr,
            contributor_shares=[share for _maker, share in contributions.get(lot.pk, ())],
        ),
    )


def _postings(
    split: LotSplit,
    lot: Any,
    contributions: Mapping[int, Sequence[tuple[int, int]]],
    money: AccountKey,
    commission_account: AccountKey,
    remainder: AccountKey,
) -> tuple[PlannedPosting, ...]:
    postings = [
        # The buyer's money is owed in full; the outlet's commission is credited to the outlet,
        # which settles by keeping it and remitting the rest.
        PlannedPosting(money, split.gross_idr),
        PlannedPosting(commission_account, -split.commission_idr),
        PlannedPosting(accounts.capital_key(group_id=lot.group_id), -(split.material_idr + split.capital_idr), lot.pk),
        PlannedPosting(remainder, -split.remainder_idr, lot.pk),
    ]
    deductions: dict[str, int] = {}
    for (maker_id, share), net, taken_from in zip(
        contributions.get(lot.pk, ()), split.net_premi_by_contributor, split.deductions_by_contributor, strict=True
    ):
        postings.append(PlannedPosting(accounts.premi_key(maker_id=maker_id), -net, lot.pk, share))
        for name, amount in taken_from.items():
            deductions[name] = deductions.get(name, 0) + amount
    for name, amount in sorted(deductions.items()):
        postings.append(PlannedPosting(accounts.deduction_key(name=name), -amount, lot.pk))
    return tuple(postings)
