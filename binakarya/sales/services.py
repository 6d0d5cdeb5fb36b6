"""Recording sales from any channel, and their returns.

``sale_record`` is the one entry point every channel uses: it consumes stock first-in first-out by
lot at the location, so each unit sold is tied to a lot and so to its contributors, and it posts
one balanced journal entry that pays each of them their premi.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from binakarya.catalog.models import Variant
from binakarya.core.audit import audit_record
from binakarya.documents.services import number_next
from binakarya.inventory.locks import balances_lock
from binakarya.inventory.models import Location, MovementKind
from binakarya.inventory.services import InsufficientStock, movements_post
from binakarya.ledger.models import Account, JournalEntry, JournalLine
from binakarya.ledger.services import (
    AccountKey,
    InsufficientBalance,
    Posting,
    account_for,
    accounts_for,
    entry_post,
    maker_premi_owed,
    rule_of,
    split_rule_for,
)
from binakarya.ledger.split import LotSale, split_by_shares, split_lot_sale
from binakarya.makers.models import Maker
from binakarya.organizations.models import Organization
from binakarya.production.models import Contribution
from binakarya.sales.models import Channel, Sale, SaleLine, SaleReturn, SaleReturnLine

MAX_QUANTITY = 100_000
MAX_UNIT_PRICE_IDR = 10_000_000_000
# Channels where money is owed by an organization rather than taken in cash or by transfer.
RECEIVABLE_CHANNELS = {Channel.OUTLET, Channel.INSTITUTIONAL, Channel.EXPORT}


@dataclass(frozen=True)
class SaleLineInput:
    sku: str
    quantity: int
    unit_price_idr: int


def _user(actor: Any) -> Any:
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def _money_key(channel: str, location: Location, buyer: Organization | None) -> AccountKey:
    """Where a sale's money is owed: a receivable from the buyer or outlet, or cash."""
    counterparty = buyer or (location.outlet if channel == Channel.OUTLET else None)
    if channel in RECEIVABLE_CHANNELS and counterparty is not None:
        return AccountKey(Account.Kind.RECEIVABLE, counterparty=counterparty)
    return AccountKey(Account.Kind.CASH)


def _money_account(organization: Organization, channel: str, location: Location, buyer: Organization | None) -> Account:
    key = _money_key(channel, location, buyer)
    return account_for(organization=organization, kind=key.kind, counterparty=key.counterparty)


def _validate(organization, location, channel, lines, commission_idr) -> dict[str, Variant]:
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if channel not in Channel.values:
        add("channel", _("Choose the channel the sale came through."))
    if location.kind == Location.Kind.TRANSIT or not location.is_active:
        add("location", _("Sell from a store, showroom or outlet, not from transit."))
    if not lines:
        add("lines", _("Add at least one item sold."))
    skus = {line.sku.strip().upper() for line in lines}
    variants = {
        v.sku: v for v in Variant.objects.filter(sku__in=skus, organization=organization).select_related("product")
    }
    for line in lines:
        sku = line.sku.strip().upper()
        if sku not in variants:
            add("lines", _("Unknown SKU: %(sku)s.") % {"sku": sku or "—"})
        if not 1 <= line.quantity <= MAX_QUANTITY:
            add("lines", _("The quantity of %(sku)s must be at least 1.") % {"sku": sku})
        if not 0 < line.unit_price_idr <= MAX_UNIT_PRICE_IDR:
            add("lines", _("The price of %(sku)s must be more than Rp0.") % {"sku": sku})
    gross = sum(max(line.quantity, 0) * max(line.unit_price_idr, 0) for line in lines)
    if commission_idr < 0 or commission_idr > gross:
        add("commission_idr", _("The commission must be between Rp0 and the sale's total."))
    if errors:
        raise ValidationError(errors)
    return variants


def _allocate(
    location: Location, lines: list[SaleLineInput], variants: dict[str, Variant]
) -> list[tuple[SaleLineInput, Any, int]]:
    """FIFO allocation of every line against the locked balances: (input line, lot, quantity)."""
    balances = list(
        # Only balances that hold units: spent lots pile up over the years and need no lock.
        balances_lock(location_id=location.pk, variant_ids=[v.pk for v in variants.values()])
        .filter(quantity__gt=0)
        .select_related("lot__group")
    )
    queues: dict[int, list] = defaultdict(list)
    for b in sorted(balances, key=lambda b: (b.lot.finished_date, b.lot_id)):
        if b.quantity > 0:
            queues[b.variant_id].append([b.lot, b.quantity])
    wanted_by_variant: dict[int, int] = defaultdict(int)
    for line in lines:
        wanted_by_variant[variants[line.sku.strip().upper()].pk] += line.quantity
    for variant in sorted(variants.values(), key=lambda v: v.sku):
        available = sum(q for _, q in queues[variant.pk])
        if wanted_by_variant[variant.pk] > available:
            raise InsufficientStock(
                _("%(location)s holds only %(available)s of %(sku)s; %(wanted)s were asked for.")
                % {
                    "location": location.name,
                    "available": available,
                    "sku": variant.sku,
                    "wanted": wanted_by_variant[variant.pk],
                },
                code="insufficient_stock",
            )
    allocations = []
    for line in lines:
        variant = variants[line.sku.strip().upper()]
        queue, wanted = queues[variant.pk], line.quantity
        while wanted:
            lot, left = queue[0]
            take = min(left, wanted)
            allocations.append((line, lot, take))
            wanted -= take
            if take == left:
                queue.pop(0)
            else:
                queue[0][1] -= take
    return allocations


@transaction.atomic
def sale_record(
    *,
    actor: Any,
    location: Location,
    channel: str,
    lines: list[SaleLineInput],
    commission_idr: int = 0,
    occurred_at: datetime.datetime | None = None,
    buyer: Organization | None = None,
    buyer_name: str = "",
) -> Sale:
    """Record a recognised sale: stock out FIFO by lot, one balanced journal entry, premi to makers.

    Raises ValidationError (unknown SKU, price of zero or less, bad commission), InsufficientStock
    (the location does not hold enough) and PermissionDenied; nothing is saved on any of them.
    """
    organization = location.organization
    if actor is not None and not actor.has_perm("sales.record", organization):
        raise PermissionDenied(_("You may not record sales for %(org)s.") % {"org": organization.name})
    occurred_at = occurred_at or timezone.now()
    if occurred_at > timezone.now() + datetime.timedelta(minutes=10):
        raise ValidationError({"occurred_at": _("A sale cannot be recorded in the future.")})
    variants = _validate(organization, location, channel, lines, commission_idr)
    allocations = _allocate(location, lines, variants)

    on_date = timezone.localdate(occurred_at)
    rules = {}
    for line, _lot, _qty in allocations:
        category_id = variants[line.sku.strip().upper()].product.category_id
        if category_id not in rules:
            rules[category_id] = split_rule_for(organization=organization, category_id=category_id, on_date=on_date)
    grosses = [qty * line.unit_price_idr for line, _lot, qty in allocations]
    commissions = split_by_shares(commission_idr, grosses) if commission_idr else [0] * len(allocations)
    lot_ids = sorted({lot.pk for _line, lot, _qty in allocations})
    contributions: dict[int, list[Contribution]] = defaultdict(list)
    for c in Contribution.objects.filter(lot_id__in=lot_ids).select_related("maker").order_by("lot_id", "pk"):
        contributions[c.lot_id].append(c)

    sale = Sale(
        organization=organization,
        channel=channel,
        location=location,
        buyer=buyer,
        buyer_name=buyer_name[:200],
        occurred_at=occurred_at,
        gross_idr=sum(grosses),
        commission_idr=commission_idr,
        created_by=_user(actor),
    )
    money_key = _money_key(channel, location, buyer)
    commission_key = AccountKey(
        Account.Kind.COMMISSION, counterparty=location.outlet if location.kind == Location.Kind.OUTLET else None
    )
    remainder_key = AccountKey(
        Account.Kind.PNBP_PAYABLE if organization.kind == Organization.Kind.FACILITY else Account.Kind.PRODUCER_INCOME
    )

    sale_lines, plans = [], []
    for (line, lot, qty), commission in zip(allocations, commissions, strict=True):
        variant = variants[line.sku.strip().upper()]
        rule = rules[variant.product.category_id]
        makers = contributions[lot.pk]
        split = split_lot_sale(
            rule_of(rule),
            LotSale(
                quantity=qty,
                unit_price_idr=line.unit_price_idr,
                unit_cost_idr=lot.unit_cost_idr,
                commission_idr=commission,
                contributor_shares=[c.share for c in makers],
            ),
        )
        sale_lines.append(
            SaleLine(
                organization=organization,
                variant=variant,
                lot=lot,
                quantity=qty,
                unit_price_idr=line.unit_price_idr,
                commission_idr=commission,
                split_rule=rule,
            )
        )
        plans.append((lot, makers, split))
    sale.premi_idr = sum(split.premi_idr for _lot, _makers, split in plans)

    # Every account the entry uses, in one query (those missing are created).
    keys = {money_key, commission_key, remainder_key}
    for lot, makers, split in plans:
        keys.add(AccountKey(Account.Kind.CAPITAL_FUND, group=lot.group))
        keys.update(AccountKey(Account.Kind.PREMI_PAYABLE, maker=c.maker) for c in makers)
        keys.update(
            AccountKey(Account.Kind.DEDUCTIONS_PAYABLE, deduction=name)
            for taken in split.deductions_by_contributor
            for name in taken
        )
    accounts = accounts_for(organization=organization, keys=keys)
    money, commission_account, remainder_account = (accounts[k] for k in (money_key, commission_key, remainder_key))
    postings_by_line = []
    for lot, makers, split in plans:
        capital = accounts[AccountKey(Account.Kind.CAPITAL_FUND, group=lot.group)]
        postings = [
            # The buyer's money is owed in full; the outlet's commission is credited to the outlet,
            # which settles by keeping it and remitting the rest.
            (money, split.gross_idr, None, None),
            (commission_account, -split.commission_idr, None, None),
            (capital, -(split.material_idr + split.capital_idr), lot.pk, None),
            (remainder_account, -split.remainder_idr, lot.pk, None),
        ]
        deductions: dict[str, int] = defaultdict(int)
        for contribution, net, taken in zip(
            makers, split.net_premi_by_contributor, split.deductions_by_contributor, strict=True
        ):
            postings.append(
                (
                    accounts[AccountKey(Account.Kind.PREMI_PAYABLE, maker=contribution.maker)],
                    -net,
                    lot.pk,
                    contribution.share,
                )
            )
            for name, amount in taken.items():
                deductions[name] += amount
        for name, amount in sorted(deductions.items()):
            account = accounts[AccountKey(Account.Kind.DEDUCTIONS_PAYABLE, deduction=name)]
            postings.append((account, -amount, lot.pk, None))
        postings_by_line.append(postings)

    single_rule = next(iter(rules.values())) if len(rules) == 1 else None
    # The number is taken last of all the reads: its series row stays locked until commit, and every
    # sale of the organization waits for it, so the less work after it, the more sales can run at once.
    sale.number = number_next(organization=organization, series="PJ", year=timezone.localdate(occurred_at).year)
    # The entry is created first so the sale can point at it; its lines follow once sale lines exist.
    entry = JournalEntry.objects.create(
        organization=organization,
        kind=JournalEntry.Kind.SALE,
        memo=sale.number,
        occurred_at=occurred_at,
        created_by=_user(actor),
        split_rule=single_rule,
    )
    sale.entry = entry
    sale.save()
    for sale_line in sale_lines:
        sale_line.sale = sale
    SaleLine.objects.bulk_create(sale_lines)
    JournalLine.objects.bulk_create(
        JournalLine(
            organization=organization,
            entry=entry,
            account=account,
            amount_idr=amount,
            sale_line=sale_line,
            lot_id=lot_id,
            share=share,
        )
        for sale_line, postings in zip(sale_lines, postings_by_line, strict=True)
        for account, amount, lot_id, share in postings
        if amount
    )
    _assert_balanced(entry)
    movements_post(
        actor=actor,
        organization=organization,
        entries=[(sl.lot, location, MovementKind.SOLD, -sl.quantity, sale.number) for sl in sale_lines],
    )
    audit_record(actor=actor, action="sale.record", obj=sale, gross=sale.gross_idr, premi=sale.premi_idr)
    return sale


def _assert_balanced(entry: JournalEntry) -> None:
    from django.db.models import Sum

    total = JournalLine.objects.filter(entry=entry).aggregate(t=Sum("amount_idr"))["t"]
    if total != 0:
        raise ValueError(f"entry {entry.pk} does not balance: {total}")


def _portion(amount: int, part: int, whole: int) -> int:
    """``amount * part / whole`` rounded toward zero."""
    sign = -1 if amount < 0 else 1
    return sign * (abs(amount) * part // whole)


@transaction.atomic
def sale_reverse(*, actor: Any, sale: Sale, lines: dict[int, int] | None = None, reason: str = "") -> SaleReturn:
    """Return or cancel all of a sale, or ``lines`` ({sale line id: quantity}).

    Posts an exact reversal: returning what is left of a line gives back exactly what is left of
    every amount it posted, so the same premi comes back from the same makers; a part of a line gives
    back its proportion (rounded toward zero, the money line taking the rupiah difference). The
    units go back into stock at the sale's location. Raises ValidationError, PermissionDenied.
    """
    organization = sale.organization
    if actor is not None and not actor.has_perm("sales.record", organization):
        raise PermissionDenied(_("You may not record returns for %(org)s.") % {"org": organization.name})
    sale = Sale.objects.select_for_update(of=("self",)).get(pk=sale.pk)
    sale_lines = {sl.pk: sl for sl in sale.lines.select_related("lot").order_by("pk")}
    if lines is None:
        lines = {
            pk: sl.quantity - sl.returned_quantity
            for pk, sl in sale_lines.items()
            if sl.quantity > sl.returned_quantity
        }
    errors = []
    if not lines:
        errors.append(_("Sale %(number)s has nothing left to return.") % {"number": sale.number})
    for pk, quantity in lines.items():
        sl = sale_lines.get(pk)
        if sl is None:
            errors.append(_("That line is not part of sale %(number)s.") % {"number": sale.number})
        elif not 1 <= quantity <= sl.quantity - sl.returned_quantity:
            errors.append(
                _("At most %(left)s of lot %(lot)s can still be returned.")
                % {"left": sl.quantity - sl.returned_quantity, "lot": sl.lot.code}
            )
    if errors:
        raise ValidationError(errors)

    # What each sale line still holds per account, lot and share (original plus earlier reversals).
    held: dict[int, dict[tuple, int]] = defaultdict(lambda: defaultdict(int))
    for jl in JournalLine.objects.filter(sale_line_id__in=list(lines)).select_related("account"):
        held[jl.sale_line_id][(jl.account_id, jl.lot_id, jl.share)] += jl.amount_idr
    accounts = {a.pk: a for a in Account.objects.filter(lines__sale_line_id__in=list(lines)).distinct()}

    postings: list[Posting] = []
    for pk, quantity in sorted(lines.items()):
        sl = sale_lines[pk]
        remaining = sl.quantity - sl.returned_quantity
        money_key, back = None, []
        for key, amount in held[pk].items():
            kind = accounts[key[0]].kind
            if kind in (Account.Kind.CASH, Account.Kind.RECEIVABLE, Account.Kind.BANK):
                money_key = key
                continue
            give_back = -amount if quantity == remaining else -_portion(amount, quantity, remaining)
            back.append((key, give_back))
        if money_key is not None:
            back.append((money_key, -sum(amount for _key, amount in back)))
        for (account_id, lot_id, share), amount in back:
            postings.append(Posting(accounts[account_id], amount, sale_line_id=pk, lot_id=lot_id, share=share))

    # A return may not leave a maker owing premi they have already been paid.
    owed_change: dict[int, int] = defaultdict(int)
    for p in postings:
        if p.account.kind == Account.Kind.PREMI_PAYABLE:
            owed_change[p.account.maker_id] -= p.amount_idr
    for maker in Maker.objects.filter(pk__in=list(owed_change)).order_by("pk"):
        if maker_premi_owed(maker=maker) + owed_change[maker.pk] < 0:
            raise InsufficientBalance(
                _("%(name)s has already been paid premi from this sale; settle it before recording the return.")
                % {"name": maker.full_name},
                code="premi_already_paid",
            )

    entry = entry_post(
        actor=actor,
        organization=organization,
        kind=JournalEntry.Kind.REVERSAL,
        postings=postings,
        memo=f"{sale.number} {reason}".strip(),
        reverses=sale.entry,
    )
    sale_return = SaleReturn.objects.create(
        organization=organization,
        sale=sale,
        entry=entry,
        reason=reason[:200],
        occurred_at=entry.occurred_at,
        created_by=_user(actor),
    )
    SaleReturnLine.objects.bulk_create(
        SaleReturnLine(organization=organization, sale_return=sale_return, sale_line_id=pk, quantity=q)
        for pk, q in sorted(lines.items())
    )
    for pk, quantity in lines.items():
        sale_lines[pk].returned_quantity += quantity
    SaleLine.objects.bulk_update([sale_lines[pk] for pk in lines], ["returned_quantity"])
    fully = all(sl.returned_quantity == sl.quantity for sl in sale_lines.values())
    sale.status = Sale.Status.REVERSED if fully else Sale.Status.PARTLY_REVERSED
    sale.save(update_fields=["status"])
    movements_post(
        actor=actor,
        organization=organization,
        entries=[
            (sale_lines[pk].lot, sale.location, MovementKind.RETURNED, quantity, sale.number)
            for pk, quantity in sorted(lines.items())
        ],
    )
    audit_record(actor=actor, action="sale.reverse", obj=sale_return, sale=sale.number)
    return sale_return
