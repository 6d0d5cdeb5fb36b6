"""Months of past sales for the demo, so that the dashboards (issue 14) have a year to draw.

Each ready-stock lot at a seller's store sells about a third of what passed quality control, in one to
three sales on days between the lot's finish and the end of last month (this month's figures stay those of
the field reports), through the channels such a seller uses.
Every sale goes through ``sale_record`` like any other (stock out, journal entry, premi), backdated with
``occurred_at`` and bought by a walk-in buyer of the demo. Run once: a seller that has such a sale keeps what
it has.
"""

import datetime
import random

from django.utils import timezone

from binakarya.inventory.fifo import InsufficientStock
from binakarya.inventory.models import Location, StockBalance
from binakarya.organizations.models import Organization
from binakarya.sales.models import Channel, Sale
from binakarya.sales.services import SaleLineInput, sale_record

FACILITY_CHANNELS = (Channel.DIRECT, Channel.WHATSAPP, Channel.MARKETPLACE, Channel.DIRECT, Channel.WHATSAPP)
PRODUCER_CHANNELS = (Channel.DIRECT, Channel.MARKETPLACE, Channel.WHATSAPP)
BUYER = "Pembeli umum (demo)"


def _noon(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(11, 0)))


def history_ensure(locations: dict[str, dict[str, Location]], *, seed: int = 2024) -> int:
    """Record the past sales of every demo seller that has none yet; return how many were recorded."""
    rng = random.Random(seed)
    today = timezone.localdate()
    recorded = 0
    for slug in sorted(locations):
        store = locations[slug].get("store")
        if store is None:
            continue
        organization: Organization = store.organization
        if Sale.objects.filter(organization=organization, buyer_name=BUYER).exists():
            continue
        channels = FACILITY_CHANNELS if organization.kind == Organization.Kind.FACILITY else PRODUCER_CHANNELS
        balances = (
            StockBalance.objects.filter(location=store, quantity__gt=0)
            .select_related("lot", "variant")
            .order_by("lot__code")
        )
        for balance in balances:
            lot, variant = balance.lot, balance.variant
            to_sell = min(balance.quantity // 2, max(1, lot.quantity_passed // 3))
            first = lot.finished_date + datetime.timedelta(days=3)
            last = today.replace(day=1) - datetime.timedelta(days=1)
            if to_sell <= 0 or first > last or not variant.price_idr:
                continue
            days = sorted(
                first + datetime.timedelta(days=rng.randint(0, (last - first).days))
                for _ in range(min(to_sell, rng.randint(1, 3)))
            )
            quantities = [to_sell // len(days)] * len(days)
            quantities[-1] += to_sell - sum(quantities)
            for day, quantity in zip(days, quantities, strict=True):
                if quantity <= 0:
                    continue
                try:
                    sale_record(
                        actor=None,
                        location=store,
                        channel=rng.choice(channels),
                        lines=[
                            SaleLineInput(
                                sku=variant.sku, quantity=quantity, unit_price_idr=variant.price_idr, lot_code=lot.code
                            )
                        ],
                        occurred_at=_noon(day),
                        buyer_name=BUYER,
                    )
                except InsufficientStock:  # units held for an order: not the demo's to sell
                    continue
                recorded += 1
    return recorded
