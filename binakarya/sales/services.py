"""Recording sales from any channel, and their returns.

``sale_record`` is the one entry point every channel uses: it consumes stock first-in first-out by
lot at the location, so each unit sold is tied to a lot and so to its contributors, and it posts
one balanced journal entry that pays each of them their premi. What a sale takes and posts is
planned by ``sales.posting.sale_plan``; ``sales_write`` writes planned sales, one (``sale_record``)
or a million (``import_sales``), through the same code.
"""

import datetime
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from binakarya.catalog.models import Variant
from binakarya.core.audit import AuditAction, audit_record, audit_records_write
from binakarya.core.bulk import OrmWriter, RowWriter
from binakarya.core.codes import normalize_code
from binakarya.core.types import Actor, user_of
from binakarya.documents import numbers
from binakarya.inventory.fifo import FifoStock, InsufficientStock
from binakarya.inventory.locks import balances_lock
from binakarya.inventory.models import Location, MovementKind
from binakarya.inventory.reservations import reservations_consume, reserved_by_variant
from binakarya.inventory.services import MovementRow, movements_post, movements_write
from binakarya.ledger.accounts import MONEY_KINDS, AccountKey, accounts_for
from binakarya.ledger.journal import EntryDraft, Posting, entries_post, entry_post
from binakarya.ledger.models import Account, JournalEntry, JournalLine
from binakarya.ledger.selectors import maker_premi_owed, rule_of, split_rules_for_categories
from binakarya.ledger.services import InsufficientBalance
from binakarya.makers.models import Maker
from binakarya.organizations.models import Organization
from binakarya.production.models import Contribution, Lot
from binakarya.sales.channels import POLICIES, ChannelPolicy
from binakarya.sales.locks import sale_lock
from binakarya.sales.models import Channel, Sale, SaleLine, SaleReturn, SaleReturnLine
from binakarya.sales.posting import LineIn, RuleInForce, SaleContext, SalePlan, sale_plan
from binakarya.sales.pricing import price_check, price_unusual

MAX_QUANTITY = 100_000
MAX_UNIT_PRICE_IDR = 10_000_000_000
FUTURE_TOLERANCE = datetime.timedelta(minutes=10)


@dataclass(frozen=True)
class SaleLineInput:
    """A line as a channel sends it. A price far from the catalog's (``sales.pricing``) is recorded only with
    ``price_intended`` and a ``price_reason``."""

    sku: str
    quantity: int
    unit_price_idr: int
    price_intended: bool = False
    price_reason: str = ""
    # The lot the units must come from (the code on a scanned hang tag, whose makers earn the premi); empty:
    # first in, first out. The lot must be of the line's SKU and held at the location.
    lot_code: str = ""


# Errors, with codes and parameters so that a form can put each next to the field it is about.


def not_allowed_message(organization: Organization) -> str:
    return _("You may not record sales for %(org)s.") % {"org": organization.name}


def require_seller(actor: Actor, organization: Organization) -> None:
    """Raises PermissionDenied unless ``actor`` may record sales for ``organization`` (sale_record's rule,
    which an interface may check first so that a user who may only look gets 403, not field errors)."""
    if actor is not None and not actor.has_perm("sales.record", organization):
        raise PermissionDenied(not_allowed_message(organization))


def require_returns_recorder(actor: Actor, organization: Organization) -> None:
    """Raises PermissionDenied unless ``actor`` may record returns for ``organization`` (sale_reverse's rule)."""
    if actor is not None and not actor.has_perm("sales.record", organization):
        raise PermissionDenied(_("You may not record returns for %(org)s.") % {"org": organization.name})


def error_channel() -> ValidationError:
    return ValidationError(_("Choose the channel the sale came through."), code="channel")


def error_location() -> ValidationError:
    return ValidationError(_("Sell from a store, showroom or outlet, not from transit."), code="location")


def error_unknown_sku(*, sku: str, line: int | None = None) -> ValidationError:
    return ValidationError(_("Unknown SKU: %(sku)s."), code="unknown_sku", params={"sku": sku or "—", "line": line})


def error_quantity(*, sku: str, line: int | None = None) -> ValidationError:
    return ValidationError(
        _("The quantity of %(sku)s must be at least 1."), code="quantity", params={"sku": sku, "line": line}
    )


def error_price(*, sku: str, line: int | None = None) -> ValidationError:
    return ValidationError(
        _("The price of %(sku)s must be more than Rp0."), code="unit_price", params={"sku": sku, "line": line}
    )


def error_unknown_lot(*, code: str, line: int | None = None) -> ValidationError:
    return ValidationError(
        _("Unknown lot code: %(code)s."), code="unknown_lot", params={"code": code or "—", "line": line}
    )


def error_lot_variant(*, code: str, sku: str, line: int | None = None) -> ValidationError:
    return ValidationError(
        _("Lot %(code)s is not of %(sku)s."), code="lot_variant", params={"code": code, "sku": sku, "line": line}
    )


def error_commission() -> ValidationError:
    return ValidationError(_("The commission must be between Rp0 and the sale's total."), code="commission")


def error_future() -> ValidationError:
    return ValidationError(_("A sale cannot be recorded in the future."), code="future")


def quantity_ok(quantity: int) -> bool:
    return 1 <= quantity <= MAX_QUANTITY


def price_ok(unit_price_idr: int) -> bool:
    return 0 < unit_price_idr <= MAX_UNIT_PRICE_IDR


def _validate(
    organization: Organization,
    location: Location,
    channel: str,
    lines: Sequence[SaleLineInput],
    commission_idr: int,
    deal_location: bool = False,
) -> tuple[dict[str, Variant], dict[str, Lot]]:
    errors: dict[str, list[ValidationError]] = {}

    def add(field: str, error: ValidationError) -> None:
        errors.setdefault(field, []).append(error)

    policy = POLICIES.get(channel)
    if policy is None:
        add("channel", error_channel())
    kinds = (policy or ChannelPolicy()).location_kinds
    if deal_location:  # an agency deal's handover sells from the deal's own location (deals.services)
        kinds = frozenset({Location.Kind.BUYER}) if channel == Channel.INSTITUTIONAL else frozenset()
    if location.kind not in kinds or not location.is_active:
        add("location", error_location())
    if not lines:
        add("lines", ValidationError(_("Add at least one item sold."), code="no_lines"))
    skus = {line.sku.strip().upper() for line in lines}
    variants = {
        v.sku: v for v in Variant.objects.filter(sku__in=skus, organization=organization).select_related("product")
    }
    # Lines pinned to a lot: one more query, only when there are some.
    codes = {normalize_code(line.lot_code) for line in lines if line.lot_code.strip()}
    lots = {lot.code: lot for lot in Lot.objects.filter(code__in=codes, organization=organization)} if codes else {}
    for i, line in enumerate(lines):
        sku = line.sku.strip().upper()
        if sku not in variants:
            add("lines", error_unknown_sku(sku=sku, line=i))
        if line.lot_code.strip():
            code = normalize_code(line.lot_code)
            lot = lots.get(code)
            if lot is None:
                add("lines", error_unknown_lot(code=code, line=i))
            elif sku in variants and lot.variant_id != variants[sku].pk:
                add("lines", error_lot_variant(code=code, sku=sku, line=i))
        if not quantity_ok(line.quantity):
            add("lines", error_quantity(sku=sku, line=i))
        if not price_ok(line.unit_price_idr):
            add("lines", error_price(sku=sku, line=i))
        elif sku in variants:
            unusual = price_check(
                sku=sku,
                unit_price_idr=line.unit_price_idr,
                catalog_price_idr=variants[sku].price_idr,
                intended=line.price_intended,
                reason=line.price_reason,
                line=i,
            )
            if unusual is not None:
                add("lines", unusual)
    gross = sum(max(line.quantity, 0) * max(line.unit_price_idr, 0) for line in lines)
    if commission_idr < 0 or commission_idr > gross:
        add("commission_idr", error_commission())
    if errors:
        raise ValidationError(errors)
    return variants, lots


@dataclass(frozen=True)
class SaleToWrite:
    """A planned sale with everything needed to write it."""

    organization_id: int
    location_id: int
    channel: str
    buyer_id: int | None
    buyer_name: str
    occurred_at: datetime.datetime
    number: str
    plan: SalePlan
    accounts: Mapping[AccountKey, Account]


SALE_FIELDS = (
    "organization_id",
    "number",
    "channel",
    "location_id",
    "buyer_id",
    "buyer_name",
    "occurred_at",
    "gross_idr",
    "commission_idr",
    "premi_idr",
    "status",
    "entry_id",
    "created_by_id",
    "created_at",
)
SALE_LINE_FIELDS = (
    "organization_id",
    "sale_id",
    "variant_id",
    "lot_id",
    "quantity",
    "unit_price_idr",
    "commission_idr",
    "split_rule_id",
    "returned_quantity",
    "price_reason",
)


def _audit_data(plan: SalePlan) -> dict[str, object]:
    data: dict[str, object] = {"gross": plan.gross_idr, "premi": plan.premi_idr}
    if plan.unusual_prices:
        data["unusual_prices"] = [
            {"sku": sku, "unit_price_idr": price, "catalog_price_idr": catalog, "reason": reason}
            for sku, price, catalog, reason in plan.unusual_prices
        ]
    return data


def sales_write(
    *, sales: Sequence[SaleToWrite], created_by_id: int | None, writer: RowWriter | None = None, refresh: bool = True
) -> list[tuple[int, int]]:
    """Write planned sales: per sale one journal entry, the sale, its lines, its SOLD movements and an audit event.

    Returns each sale's id and its entry's id. The caller has locked the stock the plans took. ``refresh`` brings the
    variants' stock figures up to date (a bulk import does it once at the end).
    """
    bulk = writer
    writer = writer or OrmWriter()
    now = timezone.now()
    drafts = []
    # Planned lines often share their postings (a bulk import plans equal lines once): convert each once.
    converted: dict[tuple[int, int], tuple[Posting, ...]] = {}
    for sale in sales:
        accounts = sale.accounts
        groups = []
        for line in sale.plan.lines:
            key = (sale.organization_id, id(line.postings))
            group = converted.get(key)
            if group is None:
                group = converted[key] = tuple(
                    Posting(accounts[p.key], p.amount_idr, p.lot_id, p.share) for p in line.postings
                )
            groups.append(group)
        drafts.append(
            EntryDraft(
                organization_id=sale.organization_id,
                kind=JournalEntry.Kind.SALE,
                line_postings=groups,
                occurred_at=sale.occurred_at,
                memo=sale.number,
                created_by_id=created_by_id,
                split_rule_id=sale.plan.single_rule_id,
            )
        )
    sale_ids: list[int] = []

    def attach(entry_ids: list[int]) -> list[list[int]]:
        """Write the sales (pointing at their entries) and their lines; return each sale's line ids."""
        sale_ids.extend(
            writer.insert(
                Sale,
                SALE_FIELDS,
                [
                    (
                        s.organization_id,
                        s.number,
                        s.channel,
                        s.location_id,
                        s.buyer_id,
                        s.buyer_name[:200],
                        s.occurred_at,
                        s.plan.gross_idr,
                        s.plan.commission_idr,
                        s.plan.premi_idr,
                        Sale.Status.POSTED,
                        entry_id,
                        created_by_id,
                        now,
                    )
                    for s, entry_id in zip(sales, entry_ids, strict=True)
                ],
                ids=True,
            )
        )
        line_ids = iter(
            writer.insert(
                SaleLine,
                SALE_LINE_FIELDS,
                [
                    (
                        s.organization_id,
                        sale_id,
                        line.variant_id,
                        line.lot.pk,
                        line.quantity,
                        line.unit_price_idr,
                        line.commission_idr,
                        line.split_rule_id,
                        0,
                        line.price_reason,
                    )
                    for s, sale_id in zip(sales, sale_ids, strict=True)
                    for line in s.plan.lines
                ],
                ids=True,
            )
        )
        return [[next(line_ids) for _line in s.plan.lines] for s in sales]

    entry_ids = entries_post(drafts=drafts, writer=writer, attach=attach, now=now)
    movements_write(
        rows=[
            MovementRow(
                s.organization_id,
                line.variant_id,
                line.lot.pk,
                s.location_id,
                MovementKind.SOLD,
                -line.quantity,
                s.number,
                created_by_id,
            )
            for s in sales
            for line in s.plan.lines
        ],
        writer=bulk,
        refresh=refresh,
        returning=False,
    )
    audit_records_write(
        writer=writer,
        actor_id=created_by_id,
        action=AuditAction.SALE_RECORD,
        model=Sale,
        events=[(s.organization_id, sale_id, _audit_data(s.plan)) for s, sale_id in zip(sales, sale_ids, strict=True)],
    )
    return list(zip(sale_ids, entry_ids, strict=True))


@transaction.atomic
def sale_record(
    *,
    actor: Actor,
    location: Location,
    channel: str,
    lines: list[SaleLineInput],
    commission_idr: int = 0,
    occurred_at: datetime.datetime | None = None,
    buyer: Organization | None = None,
    buyer_name: str = "",
    reservation: str = "",
    deal_location: bool = False,
) -> Sale:
    """Record a recognised sale: stock out FIFO by lot, one balanced journal entry, premi to makers.

    Units reserved for others (orders awaiting payment) are not for sale. ``reservation`` names the
    reservations this sale fulfils (an order's reference): their units are the sale's to take, and they
    are marked sold in the same transaction. ``deal_location`` is the agency deals' own: their handover sells
    (channel INSTITUTIONAL) from the deal's BUYER location, which nothing else sells from.

    A line priced below half or above twice its variant's catalog price is refused (ValidationError code
    ``unusual_price``, or ``unusual_price_reason`` when confirmed without a reason; params sku, price,
    catalog_price, line) unless its ``price_intended`` is set and its ``price_reason`` given; the reason is
    kept on the sale line and in the audit event.

    Raises ValidationError (unknown SKU, price of zero or less, an unusual price not confirmed, bad
    commission, no split rule in force), InsufficientStock (the location does not hold enough; every short SKU is named) and
    PermissionDenied; nothing is saved on any of them.
    """
    organization = location.organization
    require_seller(actor, organization)
    occurred_at = occurred_at or timezone.now()
    if occurred_at > timezone.now() + FUTURE_TOLERANCE:
        raise ValidationError({"occurred_at": [error_future()]})
    variants, lots = _validate(organization, location, channel, lines, commission_idr, deal_location)
    line_ins = []
    for line in lines:
        sku = line.sku.strip().upper()
        variant = variants[sku]
        unusual = price_unusual(unit_price_idr=line.unit_price_idr, catalog_price_idr=variant.price_idr)
        pinned = lots[normalize_code(line.lot_code)] if line.lot_code.strip() else None
        line_ins.append(
            LineIn(
                variant.pk,
                variant.product.category_id,
                line.quantity,
                line.unit_price_idr,
                variant.price_idr,
                line.price_reason.strip() if unusual else "",
                sku,
                pinned.pk if pinned is not None else None,
            )
        )

    # Only balances that hold units: spent lots pile up over the years and need no lock.
    balances = (
        balances_lock(location_id=location.pk, variant_ids=[v.pk for v in variants.values()])
        .filter(quantity__gt=0)
        .select_related("lot")
    )
    stock = FifoStock.from_balances(balances)
    wanted: dict[int, int] = defaultdict(int)
    for line_in in line_ins:
        wanted[line_in.variant_id] += line_in.quantity
    short = stock.shortfalls(
        location_id=location.pk,
        location=location.name,
        wanted=wanted,
        skus={v.pk: v.sku for v in variants.values()},
        held_back=reserved_by_variant(location_id=location.pk, variant_ids=list(wanted), exclude_reference=reservation),
    )
    # A line pinned to a lot needs that lot to hold its units (and, above, its variant enough units unreserved).
    wanted_lots: dict[tuple[int, int], int] = defaultdict(int)
    for line_in in line_ins:
        if line_in.lot_id is not None:
            wanted_lots[(line_in.variant_id, line_in.lot_id)] += line_in.quantity
    if wanted_lots:
        short += stock.lot_shortfalls(
            location_id=location.pk,
            location=location.name,
            wanted=wanted_lots,
            skus={v.pk: v.sku for v in variants.values()},
            codes={lot.pk: lot.code for lot in lots.values()},
        )
    if short:
        raise InsufficientStock(short)
    if reservation:
        reservations_consume(reference=reservation)

    on_date = timezone.localdate(occurred_at)
    rules = {
        category_id: RuleInForce(rule.pk, rule_of(rule))
        for category_id, rule in split_rules_for_categories(
            organization=organization, category_ids=[line_in.category_id for line_in in line_ins], on_date=on_date
        ).items()
    }
    # The lots taken first in, first out from the whole of each variant's units, and the pinned lots: all the
    # lots the plan can take from.
    lot_ids = sorted(
        {lot.pk for lot in stock.lots_taken(location_id=location.pk, wanted=wanted)}
        | {lot_id for _variant_id, lot_id in wanted_lots}
    )
    contributions: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for lot_id, maker_id, share in (
        Contribution.objects.filter(lot_id__in=lot_ids)
        .order_by("lot_id", "pk")
        .values_list("lot_id", "maker_id", "share")
    ):
        contributions[lot_id].append((maker_id, share))
    plan = sale_plan(
        context=SaleContext(
            organization_kind=organization.kind,
            channel=channel,
            location_id=location.pk,
            outlet_id=location.outlet_id,
            buyer_id=buyer.pk if buyer else None,
        ),
        lines=line_ins,
        commission_idr=commission_idr,
        stock=stock,
        rules=rules,
        contributions=contributions,
    )
    accounts = accounts_for(organization=organization, keys=plan.account_keys())

    # The number is taken last of all the reads: its series row stays locked until commit, and every
    # sale of the organization waits for it, so the less work after it, the more sales can run at once.
    number = numbers.number_next(organization=organization, series=numbers.SALE, year=on_date.year)
    user = user_of(actor)
    sale = SaleToWrite(
        organization_id=organization.pk,
        location_id=location.pk,
        channel=channel,
        buyer_id=buyer.pk if buyer else None,
        buyer_name=buyer_name[:200],
        occurred_at=occurred_at,
        number=number,
        plan=plan,
        accounts=accounts,
    )
    ((sale_id, entry_id),) = sales_write(sales=[sale], created_by_id=user.pk if user else None)
    written = Sale(
        pk=sale_id,
        organization=organization,
        number=number,
        channel=channel,
        location=location,
        buyer=buyer,
        buyer_name=sale.buyer_name,
        occurred_at=occurred_at,
        gross_idr=plan.gross_idr,
        commission_idr=plan.commission_idr,
        premi_idr=plan.premi_idr,
        status=Sale.Status.POSTED,
        entry_id=entry_id,
        created_by=user,
    )
    written._state.adding = False  # written above
    written._state.db = Sale.objects.db
    return written


def _portion(amount: int, part: int, whole: int) -> int:
    """``amount * part / whole`` rounded toward zero."""
    sign = -1 if amount < 0 else 1
    return sign * (abs(amount) * part // whole)


@transaction.atomic
def sale_reverse(*, actor: Actor, sale: Sale, lines: dict[int, int] | None = None, reason: str = "") -> SaleReturn:
    """Return or cancel all of a sale, or ``lines`` ({sale line id: quantity}).

    Posts an exact reversal: returning what is left of a line gives back exactly what is left of
    every amount it posted, so the same premi comes back from the same makers; a part of a line gives
    back its proportion (rounded toward zero, the money line taking the rupiah difference). The
    units go back into stock at the sale's location. Raises ValidationError, PermissionDenied.
    """
    organization = sale.organization
    require_returns_recorder(actor, organization)
    sale = sale_lock(sale_id=sale.pk)
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
    held: dict[int, dict[tuple[int, int | None, int | None], int]] = defaultdict(lambda: defaultdict(int))
    for sale_line_id, account_id, lot_id, share, amount in JournalLine.objects.filter(
        sale_line_id__in=list(lines)
    ).values_list("sale_line_id", "account_id", "lot_id", "share", "amount_idr"):
        if sale_line_id is not None:
            held[sale_line_id][(account_id, lot_id, share)] += amount
    accounts = {a.pk: a for a in Account.objects.filter(lines__sale_line_id__in=list(lines)).distinct()}

    postings: list[Posting] = []
    for pk, quantity in sorted(lines.items()):
        sl = sale_lines[pk]
        remaining = sl.quantity - sl.returned_quantity
        money_key: tuple[int, int | None, int | None] | None = None
        back: list[tuple[tuple[int, int | None, int | None], int]] = []
        for key, amount in held[pk].items():
            kind = accounts[key[0]].kind
            if kind in MONEY_KINDS:
                money_key = key
                continue
            give_back = -amount if quantity == remaining else -_portion(amount, quantity, remaining)
            back.append((key, give_back))
        if money_key is not None:
            back.append((money_key, -sum(amount for _key, amount in back)))
        for (account_id, back_lot_id, share), amount in back:
            postings.append(Posting(accounts[account_id], amount, sale_line_id=pk, lot_id=back_lot_id, share=share))

    # A return may not leave a maker owing premi they have already been paid.
    owed_change: dict[int, int] = defaultdict(int)
    for p in postings:
        if p.account.kind == Account.Kind.PREMI_PAYABLE and p.account.maker_id is not None:
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
        created_by=user_of(actor),
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
    audit_record(actor=actor, action=AuditAction.SALE_REVERSE, obj=sale_return, sale=sale.number)
    return sale_return
