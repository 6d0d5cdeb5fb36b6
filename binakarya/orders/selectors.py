"""Reads of orders. Staff reads go through the scoping helper; a buyer reaches an order only by its secret token.

Orders hold buyers' names, phones and addresses: only the seller's staff who handle orders see them
(no oversight role), and nothing here ever reads makers.
"""

from collections import defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from binakarya.catalog.selectors import orderable_variants
from binakarya.core.phone import whatsapp_url
from binakarya.core.types import Actor
from binakarya.inventory.reservations import available_by_variant
from binakarya.orders.models import Fulfillment, Order, OrderEvent, OrderLine, Payment, ShippingRate, ShopSettings
from binakarya.orders.notifications import tracking_url, whatsapp_status_text
from binakarya.orders.payments import PaymentInstructions, payment_instructions
from binakarya.orders.timeline import TimelineStep, timeline
from binakarya.organizations.models import Organization
from binakarya.organizations.scoping import SALES_ROLES, has_role, scope, visible_organizations

ORDER_ROLES = SALES_ROLES
TOKEN_MAX = 64


def _with_details(qs: QuerySet[Order]) -> QuerySet[Order]:
    return qs.select_related("organization", "location", "sale").prefetch_related(
        Prefetch("lines", queryset=OrderLine.objects.order_by("pk")),
        Prefetch("events", queryset=OrderEvent.objects.order_by("created_at", "pk")),
        Prefetch("payments", queryset=Payment.objects.order_by("created_at", "pk")),
    )


# The buyer ---------------------------------------------------------------------------------------------


def order_by_token(*, token: str) -> Order:
    """The order behind a tracking link; raises Order.DoesNotExist."""
    if not token or len(token) > TOKEN_MAX:
        raise Order.DoesNotExist
    return _with_details(Order.objects.all()).get(token=token)


def orders_by_checkout(*, checkout_token: str) -> list[Order]:
    """The orders one checkout placed (one per seller), in the order they were placed."""
    if not checkout_token or len(checkout_token) > TOKEN_MAX:
        return []
    return list(_with_details(Order.objects.filter(checkout_token=checkout_token)).order_by("pk"))


@dataclass(frozen=True)
class Instructions:
    """How to pay an order now: the amount due now and each method."""

    amount_idr: int
    methods: list[PaymentInstructions]
    pickup_address: str
    pickup_hours: str


def order_instructions(*, order: Order) -> Instructions:
    shop = ShopSettings.objects.filter(organization_id=order.organization_id).first() or ShopSettings(
        organization_id=order.organization_id
    )
    paid = order.paid_idr - order.refunded_idr
    amount = max((order.due_now_idr if order.status == Order.Status.AWAITING_PAYMENT else order.total_idr) - paid, 0)
    return Instructions(
        amount_idr=amount,
        methods=payment_instructions(order=order, shop=shop, amount_idr=amount),
        pickup_address=shop.pickup_address,
        pickup_hours=shop.pickup_hours,
    )


def order_timeline(*, order: Order, staff: bool = False) -> list[TimelineStep]:
    return timeline(list(order.events.all()), staff=staff)


def order_tracking_url(*, order: Order) -> str:
    return tracking_url(order)


# The cart ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CartItem:
    sku: str
    product_name: str
    product_slug: str
    variant_name: str
    thumbnail: str
    unit_price_idr: int
    quantity: int
    available: int | None  # None: made to order
    made_to_order: bool
    deposit_percent: int
    lead_time_days: int
    weight_grams: int

    @property
    def total_idr(self) -> int:
        return self.unit_price_idr * self.quantity

    @property
    def short(self) -> bool:
        return self.available is not None and self.quantity > self.available


@dataclass(frozen=True)
class CartSeller:
    organization_id: int
    name: str
    items: list[CartItem]
    accepts_orders: bool

    @property
    def goods_idr(self) -> int:
        return sum(i.total_idr for i in self.items)


@dataclass(frozen=True)
class CartView:
    sellers: list[CartSeller]
    missing: list[str]  # SKUs no longer for sale

    @property
    def goods_idr(self) -> int:
        return sum(s.goods_idr for s in self.sellers)

    @property
    def count(self) -> int:
        return sum(i.quantity for s in self.sellers for i in s.items)

    @property
    def empty(self) -> bool:
        return not self.sellers


def cart_view(*, lines: Mapping[str, int]) -> CartView:
    """A session cart ({SKU: units}) as the buyer sees it: grouped by seller, priced, with what is available."""
    found = orderable_variants(skus=lines) if lines else {}
    shops = {
        s.organization_id: s
        for s in ShopSettings.objects.filter(organization_id__in={v.organization_id for v in found.values()})
    }
    by_location: dict[int, list[int]] = defaultdict(list)
    for stocked_variant in found.values():
        shop = shops.get(stocked_variant.organization_id)
        if shop is not None and shop.location_id is not None and not stocked_variant.product.made_to_order:
            by_location[shop.location_id].append(stocked_variant.pk)
    available: dict[int, int] = {}
    for location_id, variant_ids in by_location.items():
        available.update(available_by_variant(location_id=location_id, variant_ids=variant_ids))
    sellers: dict[int, list[CartItem]] = defaultdict(list)
    for sku, quantity in lines.items():
        variant = found.get(sku)
        if variant is None:
            continue
        product = variant.product
        shop = shops.get(variant.organization_id)
        stocked = shop is not None and shop.location_id is not None
        sellers[variant.organization_id].append(
            CartItem(
                sku=sku,
                product_name=product.name,
                product_slug=product.slug,
                variant_name=variant.name,
                thumbnail=product.cover_thumbnail_small or product.cover_thumbnail,
                unit_price_idr=variant.price_idr,
                quantity=quantity,
                available=None if product.made_to_order else (available.get(variant.pk, 0) if stocked else 0),
                made_to_order=product.made_to_order,
                deposit_percent=product.deposit_percent,
                lead_time_days=product.lead_time_days,
                weight_grams=variant.weight_grams,
            )
        )
    names = {v.organization_id: v.organization.name for v in found.values()}
    return CartView(
        sellers=[
            CartSeller(
                organization_id=org_id,
                name=names[org_id],
                items=items,
                accepts_orders=bool(
                    shops.get(org_id) and shops[org_id].accepts_orders and shops[org_id].location_id is not None
                ),
            )
            for org_id, items in sorted(sellers.items(), key=lambda i: names[i[0]])
        ],
        missing=sorted(sku for sku in lines if sku not in found),
    )


# Staff ------------------------------------------------------------------------------------------------


def order_organizations_for(*, user: Actor) -> QuerySet[Organization]:
    """The sellers whose orders ``user`` handles."""
    return visible_organizations(user, roles=ORDER_ROLES, oversight=False).order_by("name")


def may_handle_orders(*, user: Actor, organization: Organization) -> bool:
    return has_role(user, organization, ORDER_ROLES)


NEEDS = {
    "proof": Q(payments__status=Payment.Status.SUBMITTED),
    "pack": Q(status__in=[Order.Status.PAID]),
    "ship": Q(status=Order.Status.PACKED),
    "late": Q(needs_refund=True) | Q(payment_state=Order.PaymentState.LATE_PAID, status=Order.Status.EXPIRED),
    "shipping": Q(fulfillment=Fulfillment.DELIVERY, shipping_idr__isnull=True)
    & Q(status__in=[Order.Status.AWAITING_PAYMENT, Order.Status.PAID]),
}


def orders_for(
    *,
    user: Actor,
    status: str = "",
    channel: str = "",
    needs: str = "",
    search: str = "",
    organization_id: int | None = None,
) -> QuerySet[Order]:
    """The orders ``user`` handles, newest first, filtered (``needs``: proof, pack, ship, late, shipping)."""
    qs = scope(Order.objects.select_related("organization"), user, roles=ORDER_ROLES, oversight=False)
    if organization_id is not None:
        qs = qs.filter(organization_id=organization_id)
    if status in Order.Status.values:
        qs = qs.filter(status=status)
    if channel in Order.Channel.values:
        qs = qs.filter(channel=channel)
    if needs in NEEDS:
        qs = qs.filter(NEEDS[needs]).distinct()
    text = " ".join(search.split())[:100]
    if text:
        # A phone typed as 0812…, 62812… or +62 812…: compare its national digits.
        digits = "".join(ch for ch in text if ch.isdigit())
        digits = digits[2:] if digits.startswith("62") else digits.lstrip("0")
        condition = Q(number__icontains=text) | Q(buyer_name__icontains=text) | Q(resi__icontains=text)
        if len(digits) >= 6:
            condition |= Q(buyer_phone__contains=digits)
        qs = qs.filter(condition)
    return qs.order_by("-created_at", "-pk")


@dataclass(frozen=True)
class DeskCounts:
    proof: int
    pack: int
    ship: int
    late: int
    shipping: int
    awaiting: int

    @property
    def action_total(self) -> int:
        return self.proof + self.pack + self.ship + self.late + self.shipping


def order_desk_counts(*, user: Actor) -> DeskCounts:
    """How many orders need each kind of action first (one query per kind)."""
    base = scope(Order.objects.all(), user, roles=ORDER_ROLES, oversight=False)
    counts = {name: base.filter(condition).distinct().count() for name, condition in NEEDS.items()}
    return DeskCounts(**counts, awaiting=base.filter(status=Order.Status.AWAITING_PAYMENT).count())


def orders_needing_action(*, user: Actor) -> int:
    """How many orders ``user`` handles need something done (any of the desk's chips), in one query."""
    condition = Q()
    for need in NEEDS.values():
        condition |= need
    return scope(Order.objects.all(), user, roles=ORDER_ROLES, oversight=False).filter(condition).distinct().count()


def orders_needing_action_by_organization(
    *, user: Actor, organization_ids: Collection[int], roles: Collection[str] = ORDER_ROLES
) -> dict[int, int]:
    """How many orders need something done (any of the desk's chips) per organization of ``organization_ids``
    that ``user`` sees with ``roles`` (oversight included: counts only, for dashboards). One query."""
    condition = Q()
    for need in NEEDS.values():
        condition |= need
    rows = (
        scope(Order.objects.all(), user, roles=roles)
        .filter(condition, organization_id__in=sorted(organization_ids))
        .values("organization_id")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    )
    return {row["organization_id"]: row["n"] for row in rows}


def order_for(*, user: Actor, number: str) -> Order:
    """One order ``user`` handles, with its lines, timeline and payments; raises Order.DoesNotExist."""
    qs = scope(Order.objects.all(), user, roles=ORDER_ROLES, oversight=False)
    return _with_details(qs).get(number=number.strip().upper())


def payment_for(*, user: Actor, pk: int) -> Payment:
    """One payment of an order ``user`` handles; raises Payment.DoesNotExist."""
    return scope(Payment.objects.select_related("order"), user, roles=ORDER_ROLES, oversight=False).get(pk=pk)


def order_whatsapp_link(*, order: Order) -> str:
    """A wa.me link that opens a chat with the buyer, the order's status message typed in."""
    return whatsapp_url(order.buyer_phone.lstrip("+"), whatsapp_status_text(order))


def shop_settings_for(*, organization: Organization) -> ShopSettings:
    """The seller's shop settings (unsaved defaults when it has none yet)."""
    return ShopSettings.objects.select_related("location").filter(organization=organization).first() or ShopSettings(
        organization=organization
    )


def shipping_rates_for(*, user: Actor, organization: Organization) -> list[ShippingRate]:
    return list(
        scope(
            ShippingRate.objects.filter(organization=organization), user, roles=ORDER_ROLES, oversight=False
        ).order_by("province", "regency", "max_weight_grams")
    )
