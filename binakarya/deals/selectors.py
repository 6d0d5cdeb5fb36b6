"""Reads of deals: the contract form a value needs, requests for quotation and quotations (scoped to the
seller's sales staff), and the plan behind a quotation: lead time, capacity and capital needed."""

import datetime
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Max, Min, QuerySet, Sum
from django.utils import timezone

from binakarya.catalog.models import Product, Variant
from binakarya.core.types import Actor
from binakarya.deals.models import (
    ContractChannel,
    ContractFormRule,
    Deal,
    Quotation,
    Rfq,
    SellerTaxSettings,
)
from binakarya.documents.models import Document
from binakarya.ledger.selectors import capital_fund_balance
from binakarya.makers.models import Group
from binakarya.organizations.models import Organization
from binakarya.organizations.scoping import SALES_ROLES, scope
from binakarya.production.models import Lot

DEAL_ROLES = SALES_ROLES
RECENT_DAYS = 180  # the lots that tell a group's production rate: finished in the last six months
NEAR_DAYS = 7  # an RFQ needed within a week stands out
DOWN_PAYMENT_ROUNDING_IDR = 1_000


# Contract forms ---------------------------------------------------------------------------------------


def contract_form_for(
    *, value_idr: int, on_date: datetime.date, channel: str = ContractChannel.DIRECT
) -> ContractFormRule | None:
    """The rule that names the contract document a purchase of ``value_idr`` needs on ``on_date``.

    The latest set of rules for the channel in force on the date decides (a set is the rows sharing one
    ``effective_from``); within it, the step with the smallest limit the value fits under (``max_value_idr``
    inclusive: Rp10.000.000 exactly still needs only proof of purchase), else the step without a limit.
    None when no rule is in force yet.
    """
    rules = ContractFormRule.objects.filter(channel=channel, effective_from__lte=on_date)
    latest = rules.aggregate(latest=Max("effective_from"))["latest"]
    if latest is None:
        return None
    steps = list(rules.filter(effective_from=latest))
    bounded = sorted((r for r in steps if r.max_value_idr is not None), key=lambda r: r.max_value_idr or 0)
    for rule in bounded:
        if value_idr <= (rule.max_value_idr or 0):
            return rule
    unbounded = [r for r in steps if r.max_value_idr is None]
    return unbounded[0] if unbounded else (bounded[-1] if bounded else None)


def contract_rules_in_force(*, on_date: datetime.date | None = None) -> list[ContractFormRule]:
    """Every channel's rules in force on the date (today by default), for the staff's reference table."""
    on_date = on_date or timezone.localdate()
    found: list[ContractFormRule] = []
    for channel in ContractChannel.values:
        rules = ContractFormRule.objects.filter(channel=channel, effective_from__lte=on_date)
        latest = rules.aggregate(latest=Max("effective_from"))["latest"]
        if latest is not None:
            found.extend(
                sorted(
                    rules.filter(effective_from=latest), key=lambda r: (r.max_value_idr is None, r.max_value_idr or 0)
                )
            )
    return found


def tax_settings_for(*, organization: Organization) -> SellerTaxSettings:
    """The seller's settings, or the defaults (no PPN, 11 %, 14 days) when it saved none."""
    return SellerTaxSettings.objects.filter(organization=organization).first() or SellerTaxSettings(
        organization=organization
    )


# The public form --------------------------------------------------------------------------------------


def rfq_sellers() -> QuerySet[Organization]:
    """Sellers a buyer may ask for a quotation: active organizations with a published product. Not scoped."""
    published = Product.objects.filter(is_published=True).values("organization_id")
    return Organization.objects.filter(is_active=True, pk__in=published).order_by("name", "pk")


def rfq_seller(*, slug: str) -> Organization:
    """Raises Organization.DoesNotExist."""
    return rfq_sellers().get(slug=slug.strip())


def variants_by_sku(*, skus: Iterable[str], organization: Organization | None = None) -> dict[str, Variant]:
    """Active variants by SKU (of one seller when given), product and organization loaded."""
    qs = Variant.objects.select_related("product", "organization").filter(sku__in=sorted(set(skus)), is_active=True)
    if organization is not None:
        qs = qs.filter(organization=organization)
    return {v.sku: v for v in qs}


# Staff reads ------------------------------------------------------------------------------------------


def deal_organizations_for(*, user: Actor) -> QuerySet[Organization]:
    """The sellers whose deals ``user`` runs (sales roles, no oversight)."""
    return scope(Organization.objects.all(), user, roles=DEAL_ROLES, oversight=False, field="pk").order_by("name")


def deal_organization_for(*, user: Actor, slug: str) -> Organization:
    """Raises Organization.DoesNotExist, also outside the user's scope."""
    return deal_organizations_for(user=user).get(slug=slug.strip())


def rfqs_for(*, user: Actor, status: str = "") -> QuerySet[Rfq]:
    qs = (
        scope(Rfq.objects.all(), user, roles=DEAL_ROLES, oversight=False)
        .select_related("organization")
        .prefetch_related("lines__variant__product", "quotations")
    )
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-pk")


def rfq_get(*, user: Actor, pk: int) -> Rfq:
    """Raises Rfq.DoesNotExist, also outside the user's scope."""
    return rfqs_for(user=user).get(pk=pk)


def rfq_rows(*, rfqs: Iterable[Rfq], today: datetime.date | None = None) -> list[dict[str, object]]:
    """RFQs with how urgent they are: ``past`` (needed-by gone, still open) or ``near`` (within a week)."""
    today = today or timezone.localdate()
    rows = []
    for rfq in rfqs:
        open_ = rfq.status != Rfq.Status.CLOSED
        past = bool(open_ and rfq.needed_by and rfq.needed_by < today)
        near = bool(open_ and rfq.needed_by and not past and (rfq.needed_by - today).days <= NEAR_DAYS)
        rows.append({"rfq": rfq, "past": past, "near": near})
    return rows


def quotations_for(*, user: Actor) -> QuerySet[Quotation]:
    return (
        scope(Quotation.objects.all(), user, roles=DEAL_ROLES, oversight=False)
        .select_related("organization", "document", "rfq", "contract_rule")
        .prefetch_related("lines__variant__product")
        .order_by("-issued_on", "-pk")
    )


def quotation_get(*, user: Actor, number: str) -> Quotation:
    """Raises Quotation.DoesNotExist, also outside the user's scope."""
    return quotations_for(user=user).get(number=number.strip())


# The plan behind a quotation --------------------------------------------------------------------------


@dataclass
class LinePlan:
    variant: Variant
    quantity: int
    from_stock: int
    to_make: int
    unit_material_cost_idr: int


@dataclass
class GroupPlan:
    group: Group | None
    to_make: int = 0
    units_per_day: float | None = None
    material_idr: int = 0
    fund_idr: int = 0

    @property
    def days(self) -> int | None:
        if self.to_make == 0:
            return 0
        if not self.units_per_day:
            return None
        return math.ceil(self.to_make / self.units_per_day)


@dataclass
class Plan:
    lines: list[LinePlan] = field(default_factory=list)
    groups: list[GroupPlan] = field(default_factory=list)

    @property
    def lead_time_days(self) -> int | None:
        """Days until everything is made, the groups working side by side; None when a group has no recent lot."""
        days = [g.days for g in self.groups]
        if any(d is None for d in days):
            return None
        return max((d for d in days if d is not None), default=0)

    @property
    def capacity_per_month(self) -> int | None:
        rates = [g.units_per_day for g in self.groups if g.units_per_day]
        if not rates:
            return None
        return int(sum(rates) * 30)

    @property
    def capital_needed_idr(self) -> int:
        return sum(g.material_idr for g in self.groups)

    @property
    def capital_fund_idr(self) -> int:
        return sum(g.fund_idr for g in self.groups)

    @property
    def down_payment_idr(self) -> int:
        """The materials the groups' capital funds cannot pay for, rounded up to Rp1.000: paid first by the buyer."""
        short = sum(max(g.material_idr - max(g.fund_idr, 0), 0) for g in self.groups)
        return math.ceil(short / DOWN_PAYMENT_ROUNDING_IDR) * DOWN_PAYMENT_ROUNDING_IDR if short else 0


def group_rate(*, organization: Organization, group: Group | None, today: datetime.date) -> float | None:
    """Units that passed quality control a day, over the group's lots finished in the last RECENT_DAYS days
    (from the first start to the last finish). None without such a lot."""
    lots = Lot.objects.filter(
        organization=organization, group=group, finished_date__gt=today - datetime.timedelta(days=RECENT_DAYS)
    )
    span = lots.aggregate(first=Min("started_date"), last=Max("finished_date"), units=Sum("quantity_passed"))
    if span["first"] is None or not span["units"]:
        return None
    days = (span["last"] - span["first"]).days + 1
    return span["units"] / days


def unit_material_cost(*, variant: Variant) -> int:
    """The material cost of one unit, from the variant's latest lot (0 when it was never made)."""
    lot = Lot.objects.filter(variant=variant).order_by("-finished_date", "-pk").first()
    if lot is None:
        return 0
    if lot.quantity_passed:
        return math.ceil(lot.material_cost_idr / lot.quantity_passed)
    return lot.unit_cost_idr


def quotation_plan(
    *, organization: Organization, lines: list[tuple[Variant, int]], today: datetime.date | None = None
) -> Plan:
    """What making ``lines`` takes: units on hand first, the rest made by the product's group at its recent
    rate; the material cost of what must be made against each group's capital fund."""
    today = today or timezone.localdate()
    wanted: dict[int, int] = defaultdict(int)
    variants: dict[int, Variant] = {}
    for variant, quantity in lines:
        wanted[variant.pk] += quantity
        variants[variant.pk] = variant
    plan = Plan()
    groups: dict[int | None, GroupPlan] = {}
    # Units on hand as the catalog counts them, read now (the variants given may be stale).
    left = dict(Variant.objects.filter(pk__in=sorted(variants)).values_list("pk", "stock_quantity"))
    products = {
        p.pk: p
        for p in Product.objects.select_related("producer__group").filter(
            pk__in={v.product_id for v in variants.values()}
        )
    }
    for variant, quantity in lines:
        from_stock = min(quantity, left[variant.pk])
        left[variant.pk] -= from_stock
        to_make = quantity - from_stock
        cost = unit_material_cost(variant=variant) if to_make else 0
        plan.lines.append(LinePlan(variant, quantity, from_stock, to_make, cost))
        group = products[variant.product_id].producer.group
        key = group.pk if group else None
        if key not in groups:
            groups[key] = GroupPlan(
                group=group,
                units_per_day=group_rate(organization=organization, group=group, today=today),
                fund_idr=capital_fund_balance(organization=organization, group=group),
            )
        groups[key].to_make += to_make
        groups[key].material_idr += to_make * cost
    plan.groups = list(groups.values())
    return plan


# Deals ------------------------------------------------------------------------------------------------


DEAL_DETAILS = (
    "deliveries__lines__deal_line__variant",
    "deliveries__transfer__document",
    "handovers__lines__deal_line__variant",
    "handovers__document",
    "handovers__sale",
    "invoices__document",
    "payments__receipt",
)


def deals_for(*, user: Actor, status: str = "", detailed: bool = False) -> QuerySet[Deal]:
    """The deals of the sellers ``user`` runs deals for, newest first (``status`` narrows them); with their
    deliveries, handovers, invoices and payments fetched too when ``detailed``."""
    qs = (
        scope(Deal.objects.all(), user, roles=DEAL_ROLES, oversight=False)
        .select_related("organization", "quotation", "contract_document", "contract_rule", "location")
        .prefetch_related("lines__variant__product")
    )
    if detailed:
        qs = qs.prefetch_related(*DEAL_DETAILS)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-pk")


def deal_get(*, user: Actor, number: str) -> Deal:
    """Raises Deal.DoesNotExist, also outside the user's scope."""
    return deals_for(user=user, detailed=True).get(number=number.strip())


@dataclass(frozen=True)
class NextStep:
    """What a deal waits for: ``code`` (DELIVER, HANDOVER, INVOICE, PAYMENT, DONE, CANCELLED), and the figure
    that goes with it (units left to deliver or hand over, rupiah left to bill or to be paid)."""

    code: str
    figure: int = 0


def deal_next_step(*, deal: Deal) -> NextStep:
    if deal.status == Deal.Status.CANCELLED:
        return NextStep("CANCELLED")
    lines = list(deal.lines.all())
    undelivered = sum(line.quantity - line.delivered for line in lines)
    unhanded = sum(line.delivered - line.handed_over for line in lines)
    if unhanded:
        return NextStep("HANDOVER", unhanded)
    if undelivered:
        return NextStep("DELIVER", undelivered)
    if deal.invoiced_idr < deal.handed_over_idr:
        return NextStep("INVOICE", deal.handed_over_idr - deal.invoiced_idr)
    if deal.paid_idr < deal.total_idr:
        return NextStep("PAYMENT", deal.total_idr - deal.paid_idr)
    return NextStep("DONE")


def deal_urgency(*, deal: Deal, today: datetime.date | None = None) -> str:
    """``past`` when the goods were needed by a day gone and are not all delivered, ``near`` within a week,
    else empty."""
    today = today or timezone.localdate()
    if deal.needed_by is None or deal.status in (Deal.Status.CANCELLED, Deal.Status.PAID):
        return ""
    if any(line.delivered < line.quantity for line in deal.lines.all()):
        if deal.needed_by < today:
            return "past"
        if (deal.needed_by - today).days <= NEAR_DAYS:
            return "near"
    return ""


def deal_rows(*, deals: Iterable[Deal], today: datetime.date | None = None) -> list[dict[str, object]]:
    """Deals with their next step and how urgent they are, for the pipeline."""
    today = today or timezone.localdate()
    return [
        {"deal": deal, "next": deal_next_step(deal=deal), "urgency": deal_urgency(deal=deal, today=today)}
        for deal in deals
    ]


PIPELINE = ("RFQ", "QUOTED", "ORDERED", "PARTLY_DELIVERED", "DELIVERED", "INVOICED", "PAID")


def deal_pipeline(*, user: Actor) -> dict[str, int]:
    """How many requests, open quotations and deals sit at each stage: RFQ (new requests), QUOTED (quotations
    not accepted and still valid), then the deals by status."""
    today = timezone.localdate()
    counts = dict.fromkeys(PIPELINE, 0)
    counts["RFQ"] = (
        scope(Rfq.objects.all(), user, roles=DEAL_ROLES, oversight=False).filter(status=Rfq.Status.NEW).count()
    )
    counts["QUOTED"] = (
        scope(Quotation.objects.all(), user, roles=DEAL_ROLES, oversight=False)
        .filter(deal__isnull=True, valid_until__gte=today)
        .count()
    )
    for row in (
        scope(Deal.objects.all(), user, roles=DEAL_ROLES, oversight=False)
        .values("status")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        if row["status"] in counts:
            counts[row["status"]] = row["n"]
    return counts


# Deals under way: ordered and not yet paid (or cancelled).
OPEN_DEAL_STATUSES = ("ORDERED", "PARTLY_DELIVERED", "DELIVERED", "INVOICED")


def deals_waiting_by_organization(
    *, user: Actor, organization_ids: Iterable[int], roles: Iterable[str] = DEAL_ROLES
) -> dict[int, tuple[int, int]]:
    """Per organization of ``organization_ids`` that ``user`` sees with ``roles`` (oversight included: counts
    only, for dashboards): (new requests for quotation, deals under way). Two queries."""
    ids = sorted(set(organization_ids))
    requests: dict[int, int] = dict(
        scope(Rfq.objects.all(), user, roles=roles)
        .filter(status=Rfq.Status.NEW, organization_id__in=ids)
        .values("organization_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("organization_id", "n")
    )
    under_way: dict[int, int] = dict(
        scope(Deal.objects.all(), user, roles=roles)
        .filter(status__in=OPEN_DEAL_STATUSES, organization_id__in=ids)
        .values("organization_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("organization_id", "n")
    )
    return {
        org_id: (requests.get(org_id, 0), under_way.get(org_id, 0)) for org_id in requests.keys() | under_way.keys()
    }


def deal_receivable(*, deal: Deal) -> int:
    """What the buyer owes now for goods whose sale is recorded (the ledger's receivable, for this deal)."""
    return deal.recognized_idr - (deal.paid_idr - deal.held_idr)


@dataclass(frozen=True)
class DealDocument:
    """One of a deal's documents and the record it belongs to (the deal, a delivery, a handover, an invoice or a
    payment)."""

    document: Document
    kind: str  # CONTRACT, SURAT_JALAN, BAST, INVOICE, PAYMENT_RECEIPT
    record: Any


def deal_documents(*, deal: Deal) -> list[DealDocument]:
    """The deal's documents in the order they were issued."""
    found: list[DealDocument] = []
    if deal.contract_document is not None:
        found.append(DealDocument(deal.contract_document, "CONTRACT", deal))
    for delivery in deal.deliveries.all():
        if delivery.transfer.document is not None:
            found.append(DealDocument(delivery.transfer.document, "SURAT_JALAN", delivery))
    found += [DealDocument(h.document, "BAST", h) for h in deal.handovers.all()]
    found += [DealDocument(i.document, "INVOICE", i) for i in deal.invoices.all()]
    found += [DealDocument(p.receipt, "PAYMENT_RECEIPT", p) for p in deal.payments.all() if p.receipt is not None]
    return sorted(found, key=lambda d: (d.document.issued_at, d.document.pk))


def deal_document(*, deal: Deal, number: str) -> DealDocument:
    """Raises Document.DoesNotExist when the deal has no document numbered ``number``."""
    for found in deal_documents(deal=deal):
        if found.document.number == number.strip():
            return found
    raise Document.DoesNotExist(number)
