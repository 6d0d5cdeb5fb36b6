"""Checking an import's rows against the database: what ``sale_record`` checks, for the whole file at once.

Locations, SKUs, channels, quantities, prices, commissions, the time, the seller's permission and the
split rule in force are checked for every row first; then the stock every location sells from is
locked and checked for all the file's rows together. Every problem is reported with its row number,
in the services' own words.
"""

import datetime
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from binakarya.catalog.models import Variant
from binakarya.core.types import Actor
from binakarya.inventory.fifo import FifoStock, Shortfall
from binakarya.inventory.locks import balances_lock
from binakarya.inventory.models import Location
from binakarya.ledger.models import SplitRule
from binakarya.ledger.selectors import rule_of, split_rule_for
from binakarya.organizations.models import Organization
from binakarya.production.models import Contribution
from binakarya.sales.channels import POLICIES, ChannelPolicy
from binakarya.sales.importing.parsing import Errors, Row, SaleIn
from binakarya.sales.posting import RuleInForce
from binakarya.sales.pricing import price_check
from binakarya.sales.services import (
    FUTURE_TOLERANCE,
    error_channel,
    error_commission,
    error_future,
    error_location,
    error_price,
    error_quantity,
    error_unknown_sku,
    not_allowed_message,
    price_ok,
    quantity_ok,
)

CHUNK = 2000  # ids per IN (...) query


class RulesInForce:
    """``split_rule_for``, asked once per date on which an organization's rules change.

    The rule in force on a date depends only on the rules effective by then, so every date from one
    ``effective_from`` to the next has the rule in force on the first of them.
    """

    def __init__(self) -> None:
        self._dates: dict[int, list[datetime.date]] = {}
        self._since: dict[tuple[int, int | None, datetime.date], RuleInForce] = {}
        self.by_day: dict[tuple[int, int | None, datetime.date], RuleInForce] = {}

    def known(self, organization_id: int, category_id: int | None, on_date: datetime.date) -> RuleInForce:
        """The rule ``get`` found for that day (KeyError if it was not asked for): no database access."""
        return self.by_day[(organization_id, category_id, on_date)]

    def get(self, organization: Organization, category_id: int | None, on_date: datetime.date) -> RuleInForce:
        """Raises ValidationError when no rule is in force (split_rule_for's message)."""
        day = (organization.pk, category_id, on_date)
        found = self.by_day.get(day)
        if found is not None:
            return found
        dates = self._dates.get(organization.pk)
        if dates is None:
            dates = self._dates[organization.pk] = sorted(
                set(SplitRule.objects.filter(organization=organization).values_list("effective_from", flat=True))
            )
        i = bisect_right(dates, on_date)
        since = dates[i - 1] if i else on_date  # no rule yet: let split_rule_for say so, with the date
        key = (organization.pk, category_id, since)
        if key not in self._since:
            rule = split_rule_for(organization=organization, category_id=category_id, on_date=since)
            self._since[key] = RuleInForce(rule.pk, rule_of(rule))
        self.by_day[day] = self._since[key]
        return self.by_day[day]


def resolve(
    *, rows: list[Row], sales: list[SaleIn], errors: Errors, actor: Actor, now: datetime.datetime
) -> RulesInForce:
    """Look up each row's location and variant and check it; returns the rules in force, looked up per day."""
    codes = {r.location_code for r in rows if r.location_code}
    locations = {
        loc.code: loc
        for loc in Location.objects.filter(code__in=sorted(codes)).select_related("organization", "outlet")
    }
    skus_by_org: dict[int, set[str]] = defaultdict(set)
    for row in rows:
        row.location = locations.get(row.location_code)
        if row.location is not None and row.sku:
            skus_by_org[row.location.organization_id].add(row.sku)
    variants: dict[tuple[int, str], Variant] = {}
    for org_id, skus in skus_by_org.items():
        ordered = sorted(skus)
        for i in range(0, len(ordered), CHUNK):
            for v in Variant.objects.filter(organization_id=org_id, sku__in=ordered[i : i + CHUNK]).select_related(
                "product"
            ):
                variants[(org_id, v.sku)] = v

    tz = timezone.get_current_timezone()
    rules = RulesInForce()
    allowed: dict[int, bool] = {}
    rule_errors: dict[tuple[int, int | None, datetime.date], list[str]] = {}
    latest = now + FUTURE_TOLERANCE
    # What depends only on the location and channel, or only on the time, is worked out once.
    location_problems: dict[tuple[int, str], bool] = {}
    categories: dict[int, int | None] = {}
    days: dict[int, datetime.date] = {}  # id of a parsed time (rows of one text share it) -> local date
    add = errors.add
    for row in rows:
        sku = row.sku
        number = row.number
        loc = row.location
        channel = row.channel
        policy = POLICIES.get(channel)
        variant = None
        if loc is None:
            if row.location_code:
                add(number, _unknown_location(row.location_code), once=("location", row.location_code))
        else:
            org_id = loc.organization_id
            wrong_place = location_problems.get((loc.pk, channel))
            if wrong_place is None:
                wrong_place = location_problems[(loc.pk, channel)] = (
                    loc.kind not in (policy or ChannelPolicy()).location_kinds or not loc.is_active
                )
            if wrong_place:
                add(number, error_location().messages[0], once=("location-kind", loc.pk))
            if actor is not None:
                if org_id not in allowed:
                    allowed[org_id] = actor.has_perm("sales.record", loc.organization)
                if not allowed[org_id]:
                    add(number, not_allowed_message(loc.organization), once=("perm", org_id))
            variant = row.variant = variants.get((org_id, sku))
            if variant is None:
                add(number, error_unknown_sku(sku=sku).messages[0])
        if channel and policy is None:
            add(number, error_channel().messages[0])
        quantity, price, occurred_at = row.quantity, row.unit_price_idr, row.occurred_at
        if quantity is not None and not quantity_ok(quantity):
            add(number, error_quantity(sku=sku).messages[0])
        if price is not None and not price_ok(price):
            add(number, error_price(sku=sku).messages[0])
        elif price is not None and variant is not None:
            unusual = price_check(
                sku=sku,
                unit_price_idr=price,
                catalog_price_idr=variant.price_idr,
                intended=bool(row.price_reason),
                reason=row.price_reason,
            )
            if unusual is not None:
                hint = " " + _("Give the reason in the price_reason column.") if unusual.code == "unusual_price" else ""
                add(number, unusual.messages[0] + hint)
        if occurred_at is not None and occurred_at > latest:
            add(number, error_future().messages[0])
        elif loc is not None and variant is not None and occurred_at is not None:
            day = days.get(id(occurred_at))
            if day is None:
                day = days[id(occurred_at)] = occurred_at.astimezone(tz).date()
            category_id = categories.get(variant.id, 0)
            if category_id == 0:
                category_id = categories[variant.id] = variant.product.category_id
            key = (loc.organization_id, category_id, day)
            if key not in rule_errors and key not in rules.by_day:
                try:
                    rules.get(loc.organization, category_id, day)
                except ValidationError as exc:
                    rule_errors[key] = exc.messages
            for message in rule_errors.get(key, ()):
                add(number, message, once=("rule", key))
    for sale in sales:
        sale.location = sale.first.location
        parsed = all(
            r.commission_idr is not None and r.quantity is not None and r.unit_price_idr is not None for r in sale.rows
        )
        if parsed and not 0 <= sale.commission_idr <= sale.gross_idr:
            errors.add(sale.first.number, error_commission().messages[0])
    return rules


def _unknown_location(code: str) -> str:
    return _("Unknown location “%(code)s”.") % {"code": code}


@dataclass
class LockedStock:
    """The stock the file sells from, locked, and the contributors of every lot in it."""

    fifo: FifoStock = field(default_factory=FifoStock)
    contributions: dict[int, list[tuple[int, int]]] = field(default_factory=dict)  # lot id -> [(maker id, share)]


def lock_stock(*, sales: list[SaleIn], errors: Errors) -> LockedStock:
    """Lock every balance the file sells from (primary-key order per location) and check the totals."""
    wanted: dict[int, set[int]] = defaultdict(set)
    for sale in sales:
        for row in sale.rows:
            if row.location is not None and row.variant is not None:
                wanted[row.location.id].add(row.variant.id)
    balances = []
    for location_id in sorted(wanted):
        balances += list(balances_lock(location_id=location_id, variant_ids=wanted[location_id]).select_related("lot"))
    stock = LockedStock(fifo=FifoStock.from_balances(balances))

    sold = []
    places: dict[tuple[int, int], tuple[Location, Variant]] = {}
    for sale in sales:
        for row in sale.rows:
            location, variant, quantity = row.location, row.variant, row.quantity
            if location is not None and variant is not None and quantity is not None and quantity > 0:
                key = (location.id, variant.id)
                places[key] = (location, variant)
                sold.append((row.number, key, quantity))
    demand: dict[tuple[int, int], int] = defaultdict(int)
    for _number, key, quantity in sold:
        demand[key] += quantity
    available = {key: stock.fifo.available(*key) for key in demand}
    running: dict[tuple[int, int], int] = defaultdict(int)
    for number, key, quantity in sold:
        before = running[key]
        running[key] = now_wanted = before + quantity
        if before <= available[key] < now_wanted:
            # sale_record's message, for the file's total of this SKU at this location.
            location, variant = places[key]
            short = Shortfall(location.id, location.name, variant.id, variant.sku, available[key], demand[key])
            errors.add(number, short.error().messages[0])
    if errors:
        return stock

    lot_ids = sorted({lot.pk for lot in stock.fifo.lots()})
    contributions: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for i in range(0, len(lot_ids), CHUNK):
        for lot_id, maker_id, share in (
            Contribution.objects.filter(lot_id__in=lot_ids[i : i + CHUNK])
            .order_by("lot_id", "pk")
            .values_list("lot_id", "maker_id", "share")
        ):
            contributions[lot_id].append((maker_id, share))
    stock.contributions = contributions
    return stock
