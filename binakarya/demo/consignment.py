"""Demo consignment agreements (issue 12), made through ``consignment.services`` at the outlet locations the demo
already stocks: Rutan Sumenep with the Disperindag gerai (15 %, monthly, 14 days to pay, one sale recorded last
month) and with Hotel Keraton (an amount per product, ending within 30 days). Running it again changes nothing.
"""

import datetime

from django.utils import timezone

from binakarya.catalog.models import Variant
from binakarya.consignment.models import Agreement
from binakarya.consignment.periods import previous_period
from binakarya.consignment.services import OutletSaleLine, agreement_create, outlet_sale_record
from binakarya.demo import data as demo
from binakarya.inventory.models import Location, StockBalance
from binakarya.organizations.models import Organization


def _months_back(day: datetime.date, months: int) -> datetime.date:
    start = day.replace(day=1)
    for _ in range(months):
        start = (start - datetime.timedelta(days=1)).replace(day=1)
    return start


def _shelf(seller: Organization, outlet: Organization) -> list[tuple[Variant, int]]:
    """The variants the seller's OUTLET location at ``outlet`` holds, with their units, by SKU."""
    location = Location.objects.get(organization=seller, kind=Location.Kind.OUTLET, outlet=outlet, is_active=True)
    held: dict[int, int] = {}
    for variant_id, quantity in StockBalance.objects.filter(location=location, quantity__gt=0).values_list(
        "variant_id", "quantity"
    ):
        held[variant_id] = held.get(variant_id, 0) + quantity
    return [(v, held[v.pk]) for v in Variant.objects.filter(pk__in=list(held)).order_by("sku")]


def consignments_ensure(orgs: dict[str, Organization]) -> int:
    """The demo agreements that are missing, made now; how many were made."""
    today = timezone.localdate()
    made = 0
    for seller_slug, outlet_slug, commission_bp, months, ends_in in demo.CONSIGNMENT_AGREEMENTS:
        seller, outlet = orgs[seller_slug], orgs[outlet_slug]
        if Agreement.objects.filter(organization=seller, outlet=outlet).exists():
            continue
        shelf = _shelf(seller, outlet)
        per_product = None
        if commission_bp is None:
            per_product = {v: max(v.price_idr * 2000 // 10_000 // 1000 * 1000, 1000) for v, _units in shelf}
        agreement = agreement_create(
            actor=None,
            organization=seller,
            outlet=outlet,
            commission_percent_bp=commission_bp,
            commission_per_product=per_product,
            settlement_period=Agreement.Period.MONTHLY,
            payment_days=14,
            review_months=6,
            start_date=_months_back(today, months),
            end_date=today + datetime.timedelta(days=ends_in) if ends_in is not None else None,
        )
        made += 1
        if commission_bp is not None and shelf:
            # One sale last month, so the statement page has lines to show.
            variant, _units = shelf[0]
            sold_on = previous_period(agreement, today)[0] + datetime.timedelta(days=9)
            outlet_sale_record(
                actor=None, agreement=agreement, sold_date=sold_on, lines=[OutletSaleLine(variant.sku, 1)]
            )
    return made
