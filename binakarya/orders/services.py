"""Orders from the web shop and from WhatsApp: placement, payment, fulfilment, cancellation, expiry.

Placing an order reserves its stock at the seller's order location (``inventory.reservations``); a
cart holding several sellers' goods becomes one order per seller (and made-to-order goods an order of
their own), all or nothing. Confirmed money is posted as it arrives (``ledger.services.order_payment_post``);
when an order is paid (a made-to-order order: when it is completed) it records its sale through
``sales.services.sale_record``, which takes the reserved units, and the buyer's money held pays for it
(``order_settlement_post``). Every step appends to the order's timeline and writes an audit row.
"""

import datetime
import secrets
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import File
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from binakarya.catalog.images import process_photo
from binakarya.catalog.models import Variant
from binakarya.catalog.selectors import orderable_variants
from binakarya.core.audit import AuditAction, audit_record
from binakarya.core.codes import normalize_code
from binakarya.core.money import format_rupiah
from binakarya.core.phone import normalize_phone
from binakarya.core.types import Actor, user_of
from binakarya.documents import numbers
from binakarya.inventory.fifo import InsufficientStock
from binakarya.inventory.models import Location
from binakarya.inventory.reservations import reservation_extend, reservations_release, stock_reserve
from binakarya.inventory.services import variant_stock_refresh
from binakarya.ledger.services import (
    DepositShare,
    entry_reverse,
    order_payment_post,
    order_refund_post,
    order_settlement_post,
)
from binakarya.orders import notifications
from binakarya.orders.locks import order_lock, payment_lock
from binakarya.orders.models import Fulfillment, Order, OrderEvent, OrderLine, Payment, ShippingRate, ShopSettings
from binakarya.orders.payments import PaymentEvent
from binakarya.orders.proofs import proof_prepare
from binakarya.orders.shipping import Destination, shipping_quote
from binakarya.organizations.models import Organization
from binakarya.production.models import Lot
from binakarya.sales.models import Channel
from binakarya.sales.services import SaleLineInput, sale_record, sale_reverse

MAX_LINES = 50
MAX_QUANTITY = 1_000
TOKEN_BYTES = 24  # 32 characters: a secret link


# Input -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CartLine:
    sku: str
    quantity: int


@dataclass(frozen=True)
class Buyer:
    name: str
    phone: str
    email: str = ""


@dataclass(frozen=True)
class Address:
    province: str = ""
    regency: str = ""
    district: str = ""
    address: str = ""
    postal_code: str = ""


@dataclass
class _Draft:
    """One order to place: a seller's goods (stock, or made to order)."""

    organization: Organization
    shop: ShopSettings
    location: Location
    made_to_order: bool
    lines: list[tuple[Variant, int]] = field(default_factory=list)


def require_order_staff(actor: Actor, organization: Organization) -> None:
    """Raises PermissionDenied unless ``actor`` may run ``organization``'s orders (the sellers' rule)."""
    if actor is None or not actor.has_perm("sales.record", organization):
        raise PermissionDenied(_("You may not handle the orders of %(org)s.") % {"org": organization.name})


def _clean_buyer(buyer: Buyer, errors: dict[str, list[ValidationError]]) -> Buyer:
    name = " ".join(buyer.name.split())
    if not name:
        errors.setdefault("name", []).append(ValidationError(_("Enter the buyer's name."), code="required"))
    elif len(name) > 120:
        errors.setdefault("name", []).append(ValidationError(_("Use at most 120 characters."), code="max_length"))
    phone = ""
    if not buyer.phone.strip():
        errors.setdefault("phone", []).append(
            ValidationError(_("Enter a phone number for WhatsApp, e.g. 0812 3456 7890."), code="required")
        )
    else:
        try:
            phone = "+" + normalize_phone(buyer.phone)
        except ValidationError as exc:
            errors.setdefault("phone", []).append(exc)
    email = buyer.email.strip()
    if email:
        try:
            validate_email(email)
            if len(email) > 254:
                raise ValidationError("too long")
        except ValidationError:
            errors.setdefault("email", []).append(
                ValidationError(_("Enter a valid email address, or leave it empty."), code="email")
            )
    return Buyer(name=name, phone=phone, email=email)


def _clean_address(fulfillment: str, address: Address, errors: dict[str, list[ValidationError]]) -> Address:
    if fulfillment not in Fulfillment.values:
        errors.setdefault("fulfillment", []).append(
            ValidationError(_("Choose pickup or delivery."), code="fulfillment")
        )
        return Address()
    if fulfillment == Fulfillment.PICKUP:
        return Address()
    cleaned = Address(
        province=" ".join(address.province.split())[:100],
        regency=" ".join(address.regency.split())[:100],
        district=" ".join(address.district.split())[:100],
        address=address.address.strip()[:500],
        postal_code=address.postal_code.strip(),
    )
    required = {
        "province": _("Enter the province."),
        "regency": _("Enter the regency or city."),
        "district": _("Enter the district (kecamatan)."),
        "address": _("Enter the street address."),
    }
    for name, message in required.items():
        if not getattr(cleaned, name):
            errors.setdefault(name, []).append(ValidationError(message, code="required"))
    if not (len(cleaned.postal_code) == 5 and cleaned.postal_code.isdigit()):
        errors.setdefault("postal_code", []).append(
            ValidationError(_("Enter the five-digit postal code."), code="postal_code")
        )
    return cleaned


def _resolve_lines(
    lines: Sequence[CartLine], organization: Organization | None, errors: dict[str, list[ValidationError]]
) -> list[tuple[Variant, int]]:
    """The variants of the cart's lines (equal SKUs merged), checked orderable; errors by line."""
    if not lines:
        errors.setdefault("lines", []).append(ValidationError(_("The cart is empty."), code="empty"))
        return []
    if len(lines) > MAX_LINES:
        errors.setdefault("lines", []).append(
            ValidationError(_("An order holds at most %(max)s lines.") % {"max": MAX_LINES}, code="too_many")
        )
        return []
    wanted: dict[str, int] = defaultdict(int)
    for line in lines:
        sku = line.sku.strip().upper()
        if not 1 <= line.quantity <= MAX_QUANTITY:
            errors.setdefault("lines", []).append(
                ValidationError(
                    _("Order between 1 and %(max)s units of %(sku)s.") % {"max": MAX_QUANTITY, "sku": sku},
                    code="quantity",
                    params={"sku": sku},
                )
            )
            continue
        wanted[sku] += line.quantity
    found = orderable_variants(skus=wanted, organization_id=organization.pk if organization else None)
    resolved = []
    for sku, quantity in wanted.items():
        variant = found.get(sku)
        if variant is None:
            errors.setdefault("lines", []).append(
                ValidationError(
                    _("%(sku)s is not for sale (any more).") % {"sku": sku}, code="unknown_sku", params={"sku": sku}
                )
            )
            continue
        if quantity < variant.product.moq:
            errors.setdefault("lines", []).append(
                ValidationError(
                    _("%(product)s is sold from %(moq)s units.")
                    % {"product": variant.product.name, "moq": variant.product.moq},
                    code="moq",
                    params={"sku": sku},
                )
            )
            continue
        resolved.append((variant, quantity))
    return resolved


def _drafts(
    resolved: list[tuple[Variant, int]], errors: dict[str, list[ValidationError]], *, staff: bool
) -> list[_Draft]:
    """One draft per seller and kind of goods (in stock, made to order), sellers in primary-key order."""
    organizations = {v.organization_id: v.organization for v, _q in resolved}
    shops = {
        s.organization_id: s
        for s in ShopSettings.objects.select_related("location").filter(organization_id__in=organizations)
    }
    drafts: dict[tuple[int, bool], _Draft] = {}
    for variant, quantity in sorted(resolved, key=lambda r: (r[0].organization_id, r[0].pk)):
        organization = organizations[variant.organization_id]
        shop = shops.get(organization.pk)
        if (
            shop is None
            or shop.location is None
            or not shop.location.is_active
            or (not shop.accepts_orders and not staff)
        ):
            errors.setdefault("lines", []).append(
                ValidationError(
                    _("%(seller)s does not take orders here yet. Contact them on WhatsApp.")
                    % {"seller": organization.name},
                    code="seller_closed",
                    params={"sku": variant.sku},
                )
            )
            continue
        mto = variant.product.made_to_order
        draft = drafts.setdefault((organization.pk, mto), _Draft(organization, shop, shop.location, mto))
        draft.lines.append((variant, quantity))
    return list(drafts.values())


def stock_message(exc: InsufficientStock, names: dict[int, str]) -> list[ValidationError]:
    """ "Not enough stock" for each short variant, naming the product as the buyer knows it."""
    return [
        ValidationError(
            _("Not enough stock of %(product)s: %(available)s left, %(wanted)s asked for.")
            % {"product": names.get(s.variant_id, s.sku), "available": s.available, "wanted": s.wanted},
            code="insufficient_stock",
            params={"sku": s.sku, "available": s.available, "wanted": s.wanted},
        )
        for s in exc.shortfalls
    ] or [ValidationError(_("Not enough stock for this order."), code="insufficient_stock")]


def product_label(variant: Variant) -> str:
    return f"{variant.product.name} ({variant.name})" if variant.name else variant.product.name


def _deposit(price_total: int, percent: int) -> int:
    return -(-price_total * percent // 100)  # rounded up to the rupiah


def _unique_code(organization: Organization, base_idr: int) -> int:
    """Up to three digits that no other order of the seller awaiting payment of the same base amount uses."""
    taken = set(
        Order.objects.filter(
            organization=organization, status=Order.Status.AWAITING_PAYMENT, goods_idr=base_idr
        ).values_list("unique_code_idr", flat=True)[:999]
    )
    free = [code for code in range(1, 1000) if code not in taken]
    return secrets.choice(free) if free else secrets.randbelow(999) + 1


def _event(order: Order, kind: str, actor: Actor = None, *, internal: bool = False, **params: Any) -> OrderEvent:
    return OrderEvent.objects.create(
        organization_id=order.organization_id,
        order=order,
        kind=kind,
        status=order.status,
        params=params,
        internal=internal,
        created_by=user_of(actor),
    )


def _place_one(
    draft: _Draft,
    *,
    buyer: Buyer,
    fulfillment: str,
    address: Address,
    channel: str,
    checkout_token: str,
    note: str,
    actor: Actor,
    now: datetime.datetime,
    language: str,
) -> Order:
    shop = draft.shop
    token = secrets.token_urlsafe(TOKEN_BYTES)
    expires_at = now + datetime.timedelta(hours=shop.order_expiry_hours)
    goods = sum(v.price_idr * q for v, q in draft.lines)
    weight = sum(v.weight_grams * q for v, q in draft.lines)
    shipping: int | None = 0
    courier = ""
    if fulfillment == Fulfillment.DELIVERY:
        quote = shipping_quote(
            organization_id=draft.organization.pk,
            destination=Destination(address.province, address.regency),
            weight_grams=weight,
        )
        shipping, courier = (quote.fee_idr, quote.courier) if quote else (None, "")
    order = Order(
        organization=draft.organization,
        channel=channel,
        token=token,
        checkout_token=checkout_token,
        location=draft.location,
        buyer_name=buyer.name,
        buyer_phone=buyer.phone,
        buyer_email=buyer.email,
        fulfillment=fulfillment,
        province=address.province,
        regency=address.regency,
        district=address.district,
        address=address.address,
        postal_code=address.postal_code,
        note=note.strip()[:300],
        language=language,
        goods_idr=goods,
        shipping_idr=shipping,
        courier=courier,
        made_to_order=draft.made_to_order,
        expires_at=expires_at,
        created_by=user_of(actor),
    )
    if shop.unique_code:
        order.unique_code_idr = _unique_code(draft.organization, goods)
    if draft.made_to_order:
        order.deposit_idr = sum(_deposit(v.price_idr * q, v.product.deposit_percent) for v, q in draft.lines)
        lead = max(v.product.lead_time_days for v, _q in draft.lines)
        order.expected_ready_on = timezone.localdate(now) + datetime.timedelta(days=lead)
    else:
        # The reservation first: the number's series row stays locked until commit, so it is taken last.
        try:
            stock_reserve(
                location=draft.location,
                wanted=dict(draft.lines),
                reference=order.reference,
                expires_at=expires_at,
            )
        except InsufficientStock as exc:
            raise ValidationError(
                {"lines": stock_message(exc, {v.pk: product_label(v) for v, _q in draft.lines})}
            ) from exc
    order.number = numbers.number_next(
        organization=draft.organization, series=numbers.ORDER, year=timezone.localdate(now).year
    )
    order.save()
    OrderLine.objects.bulk_create(
        OrderLine(
            organization=draft.organization,
            order=order,
            variant=variant,
            sku=variant.sku,
            product_name=variant.product.name,
            variant_name=variant.name,
            quantity=quantity,
            unit_price_idr=variant.price_idr,
            weight_grams=variant.weight_grams,
            made_to_order=variant.product.made_to_order,
            deposit_percent=variant.product.deposit_percent if variant.product.made_to_order else 100,
        )
        for variant, quantity in draft.lines
    )
    _event(order, OrderEvent.Kind.PLACED, actor)
    audit_record(
        actor=actor,
        action=AuditAction.ORDER_PLACE,
        obj=order,
        channel=channel,
        total=order.total_idr,
        lines=[[v.sku, q] for v, q in draft.lines],
    )
    return order


@transaction.atomic
def orders_place(
    *,
    lines: Sequence[CartLine],
    buyer: Buyer,
    fulfillment: str,
    address: Address | None = None,
    channel: str = Order.Channel.WEB,
    organization: Organization | None = None,
    actor: Actor = None,
    note: str = "",
    language: str = "",
) -> list[Order]:
    """Place a cart: one order per seller (and one for made-to-order goods), its stock reserved.

    Public (``actor`` None, channel WEB): published products only. Staff taking a WhatsApp order name
    their ``organization`` and may order any of its active variants. All or nothing: raises
    ValidationError (field → errors with codes; a short product's error has code ``insufficient_stock``
    and params sku, available, wanted) and PermissionDenied. ``language``: the buyer's (their emails use it).
    """
    if channel not in Order.Channel.values:
        raise ValidationError({"channel": [ValidationError(_("Unknown order channel."), code="channel")]})
    if organization is not None:
        require_order_staff(actor, organization)
    elif actor is not None and channel == Order.Channel.WHATSAPP:
        raise ValidationError({"organization": [ValidationError(_("Choose the seller."), code="required")]})
    errors: dict[str, list[ValidationError]] = {}
    buyer = _clean_buyer(buyer, errors)
    address = _clean_address(fulfillment, address or Address(), errors)
    resolved = _resolve_lines(lines, organization, errors)
    drafts = _drafts(resolved, errors, staff=organization is not None) if not errors else []
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    checkout_token = secrets.token_urlsafe(TOKEN_BYTES)
    placed = [
        _place_one(
            draft,
            buyer=buyer,
            fulfillment=fulfillment,
            address=address,
            channel=channel,
            checkout_token=checkout_token,
            note=note,
            actor=actor,
            now=now,
            language=language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE,
        )
        for draft in drafts
    ]
    for order in placed:
        notifications.order_placed(order)
    return placed


# Money ------------------------------------------------------------------------------------------------


def _net_paid(order: Order) -> int:
    return order.paid_idr - order.refunded_idr


def _group_deposits(order: Order) -> dict[int | None, int]:
    """Each making group's part of a made-to-order order's down payment (the producer's own fund: None)."""
    parts: dict[int | None, int] = defaultdict(int)
    for line in order.lines.select_related("variant__product__producer"):
        parts[line.variant.product.producer.group_id] += _deposit(line.total_idr, line.deposit_percent)
    return dict(parts)


def _shares(order: Order, amount: int) -> list[DepositShare]:
    """``amount`` of down payment split over the groups in proportion to their parts (largest remainder)."""
    parts = _group_deposits(order)
    whole = sum(parts.values())
    if not amount or not whole:
        return []
    exact = {g: amount * p // whole for g, p in parts.items()}
    left = amount - sum(exact.values())
    for g in sorted(parts, key=lambda g: (-(amount * parts[g] % whole), g or 0))[:left]:
        exact[g] += 1
    return [DepositShare(g, a) for g, a in sorted(exact.items(), key=lambda i: i[0] or 0) if a]


def _deposit_held(order: Order) -> int:
    """Down payment so far sitting in capital funds (made to order, before the sale)."""
    if not order.made_to_order or order.sale_id:
        return 0
    return min(_net_paid(order), order.deposit_idr)


def _made_for(order: Order, lot_code: str) -> Lot | None:
    """The lot made for a made-to-order order, named by staff when they complete it (None when not named)."""
    code = normalize_code(lot_code) if lot_code.strip() else ""
    if not code:
        return None
    lot = Lot.objects.filter(code=code, organization_id=order.organization_id).first()
    if lot is None or not any(line.variant_id == lot.variant_id for line in order.lines.all()):
        raise ValidationError(
            {"lot": [ValidationError(_("Lot %(code)s was not made for this order.") % {"code": code}, code="lot")]}
        )
    return lot


def _record_sale(actor: Actor, order: Order, lot: Lot | None = None) -> None:
    """Record the order's sale (its reserved units; made to order: from ``lot``, the lot made for it, where
    named), then let the money held for the buyer pay for it."""
    lines = list(order.lines.all())
    sale = sale_record(
        actor=actor,
        location=order.location,
        channel=Channel.WHATSAPP if order.channel == Order.Channel.WHATSAPP else Channel.WEB,
        lines=[
            SaleLineInput(
                line.sku,
                line.quantity,
                line.unit_price_idr,
                price_intended=True,
                price_reason=_("Ordered at this price"),
                lot_code=lot.code if lot is not None and lot.variant_id == line.variant_id else "",
            )
            for line in lines
        ],
        buyer_name=order.number,
        reservation="" if order.made_to_order else order.reference,
    )
    applied = _shares(order, min(_net_paid(order), order.deposit_idr)) if order.made_to_order else []
    order.settlement_entry = order_settlement_post(
        actor=actor,
        organization=order.organization,
        goods_idr=order.goods_idr,
        shipping_idr=order.shipping_idr or 0,
        extra_idr=order.unique_code_idr,
        deposits_applied=applied,
        memo=order.number,
    )
    order.sale = sale


def _settle_if_paid(actor: Actor, order: Order) -> None:
    """Move an order awaiting payment on once enough is paid: PAID, and (in stock) its sale recorded."""
    if order.status != Order.Status.AWAITING_PAYMENT or order.shipping_pending:
        return
    net = _net_paid(order)
    if net < order.due_now_idr:
        return
    if not order.made_to_order:
        _record_sale(actor, order)
    order.status = Order.Status.PAID
    if net >= order.total_idr and order.payment_state == Order.PaymentState.PENDING:
        order.payment_state = Order.PaymentState.PAID
    _event(order, OrderEvent.Kind.STATUS, actor)
    notifications.order_status(order)


def _new_deadline(order: Order) -> None:
    """Start the order's payment clock again (the seller's hours from now) and schedule its expiry job."""
    shop = ShopSettings.objects.get(organization_id=order.organization_id)
    order.expires_at = timezone.now() + datetime.timedelta(hours=shop.order_expiry_hours)
    notifications.expiry_scheduled(order)


def _reserve_again(actor: Actor, order: Order) -> bool:
    """After a late payment (or a lapsed reservation): reserve the order's goods again if the location still
    has them, with a new deadline. Made-to-order goods hold nothing: they only get the new deadline."""
    _new_deadline(order)
    if order.made_to_order:
        return True
    lines = list(order.lines.select_related("variant"))
    try:
        with transaction.atomic():
            stock_reserve(
                location=order.location,
                wanted={line.variant: line.quantity for line in lines},
                reference=order.reference,
                expires_at=order.expires_at,
            )
    except InsufficientStock:
        return False
    return True


def _flag_refund(order: Order) -> None:
    """Whether money of the order waits to be given back: all of it once the order is cancelled or expired,
    else what was paid beyond the total (not while the shipping fee, and so the total, is unknown)."""
    net = _net_paid(order)
    if order.status in (Order.Status.CANCELLED, Order.Status.EXPIRED):
        order.needs_refund = net > 0
    elif not order.shipping_pending:
        order.needs_refund = net > order.total_idr


def _lapse(order: Order) -> None:
    """Expire an order awaiting payment whose time is up (the caller holds its lock)."""
    _release(order)
    order.status = Order.Status.EXPIRED
    order.payment_state = Order.PaymentState.EXPIRED
    _flag_refund(order)
    order.save()
    _event(order, OrderEvent.Kind.EXPIRED)
    audit_record(actor=None, action=AuditAction.ORDER_EXPIRE, obj=order)
    notifications.order_status(order)


def _money_in(actor: Actor, order: Order, payment: Payment, amount_idr: int) -> None:
    """Post confirmed money and move the order on (or flag it for a refund when it cannot be served)."""
    deposit_room = max(order.deposit_idr - _net_paid(order), 0) if order.made_to_order and not order.sale_id else 0
    deposits = _shares(order, min(amount_idr, deposit_room)) if deposit_room else []
    # Shares are proportional to the whole deposit; take the difference of cumulative splits so rounding adds up.
    if deposits:
        before = _shares(order, min(_net_paid(order), order.deposit_idr))
        after = _shares(order, min(_net_paid(order) + amount_idr, order.deposit_idr))
        was = {s.group_id: s.amount_idr for s in before}
        deposits = [DepositShare(s.group_id, s.amount_idr - was.get(s.group_id, 0)) for s in after]
        deposits = [s for s in deposits if s.amount_idr]
    if order.status == Order.Status.AWAITING_PAYMENT and order.expires_at <= timezone.now():
        _lapse(order)  # its time is up, even if the expiry job has not run: the money is a late payment
    payment.entry = order_payment_post(
        actor=actor,
        organization=order.organization,
        amount_idr=amount_idr,
        cash=payment.method == Payment.Method.CASH,
        deposits=deposits,
        memo=order.number,
    )
    payment.amount_idr = amount_idr
    payment.status = Payment.Status.CONFIRMED
    payment.decided_at = timezone.now()
    payment.decided_by = user_of(actor)
    payment.save()
    order.paid_idr += amount_idr
    _event(order, OrderEvent.Kind.PAYMENT, actor, amount_idr=amount_idr)
    if order.status == Order.Status.EXPIRED:
        order.payment_state = Order.PaymentState.LATE_PAID
        if _reserve_again(actor, order):
            order.status = Order.Status.AWAITING_PAYMENT
            _event(order, OrderEvent.Kind.LATE_PAYMENT, actor, restocked=True)
        else:
            _event(order, OrderEvent.Kind.LATE_PAYMENT, actor, restocked=False)
    elif order.status == Order.Status.CANCELLED:
        _event(order, OrderEvent.Kind.NOTE, actor, internal=True, text=_("Paid after it was cancelled: refund it."))
    if order.status == Order.Status.AWAITING_PAYMENT:
        _settle_if_paid(actor, order)
    elif _net_paid(order) >= order.total_idr and order.payment_state == Order.PaymentState.PENDING:
        order.payment_state = Order.PaymentState.PAID
    _flag_refund(order)
    order.save()


def _require_open_for_money(order: Order) -> None:
    if order.status == Order.Status.COMPLETED or order.payment_state == Order.PaymentState.REFUNDED:
        raise ValidationError(_("This order takes no more payments."), code="closed")


@transaction.atomic
def payment_proof_submit(*, order: Order, method: str, amount_idr: int, proof: File) -> Payment:
    """The buyer's proof of a transfer or QRIS payment, for staff to check. Raises ValidationError."""
    order = order_lock(order_id=order.pk)
    errors: dict[str, list[ValidationError]] = {}
    if method not in (Payment.Method.TRANSFER, Payment.Method.QRIS):
        errors["method"] = [ValidationError(_("Choose bank transfer or QRIS."), code="method")]
    if not 0 < amount_idr <= 10_000_000_000:
        errors["amount_idr"] = [ValidationError(_("Enter the amount you paid."), code="amount")]
    if order.status in (Order.Status.CANCELLED, Order.Status.COMPLETED):
        errors["__all__"] = [ValidationError(_("This order takes no more payments."), code="closed")]
    elif order.shipping_pending and order.status == Order.Status.AWAITING_PAYMENT:
        errors["__all__"] = [
            ValidationError(
                _("The seller has not set the shipping fee yet: pay once you see the amount."), code="fee_pending"
            )
        ]
    stored = None
    if not errors:
        try:
            stored = proof_prepare(proof, name_stem=f"proof-{order.number}")
        except ValidationError as exc:
            errors["proof"] = exc.error_list
    if errors:
        raise ValidationError(errors)
    payment = Payment(
        organization_id=order.organization_id, order=order, method=method, amount_idr=amount_idr, provider="manual"
    )
    assert stored is not None
    payment.proof.save(stored.name or "proof", stored, save=False)
    payment.save()
    _event(order, OrderEvent.Kind.PROOF, amount_idr=amount_idr, method_label=str(Payment.Method(method).label))
    audit_record(actor=None, action=AuditAction.ORDER_PAYMENT_SUBMIT, obj=payment, amount=amount_idr)
    notifications.proof_received(order)
    return payment


@transaction.atomic
def payment_confirm(*, actor: Actor, payment: Payment, amount_idr: int | None = None) -> Payment:
    """Staff confirm a proof (with the amount that actually arrived, if it differs). Raises ValidationError."""
    payment = payment_lock(payment_id=payment.pk)
    order = order_lock(order_id=payment.order_id)
    require_order_staff(actor, order.organization)
    if payment.status != Payment.Status.SUBMITTED or payment.kind != Payment.Kind.PAYMENT:
        raise ValidationError(_("This payment was already decided."), code="decided")
    amount = payment.amount_idr if amount_idr is None else amount_idr
    if not 0 < amount <= 10_000_000_000:
        raise ValidationError({"amount_idr": [ValidationError(_("Enter the amount that arrived."), code="amount")]})
    _money_in(actor, order, payment, amount)
    audit_record(actor=actor, action=AuditAction.ORDER_PAYMENT_CONFIRM, obj=payment, amount=amount)
    return payment


@transaction.atomic
def payment_reject(*, actor: Actor, payment: Payment, reason: str) -> Payment:
    """Staff refuse a proof with a reason the buyer reads on the tracking page."""
    payment = payment_lock(payment_id=payment.pk)
    order = order_lock(order_id=payment.order_id)
    require_order_staff(actor, order.organization)
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError({"reason": [ValidationError(_("Tell the buyer why."), code="required")]})
    if payment.status != Payment.Status.SUBMITTED:
        raise ValidationError(_("This payment was already decided."), code="decided")
    payment.status = Payment.Status.REJECTED
    payment.reason = reason[:300]
    payment.decided_at = timezone.now()
    payment.decided_by = user_of(actor)
    payment.save()
    _event(order, OrderEvent.Kind.PAYMENT_REJECTED, actor, reason=payment.reason)
    audit_record(actor=actor, action=AuditAction.ORDER_PAYMENT_REJECT, obj=payment, reason=payment.reason)
    notifications.order_status(order)
    return payment


@transaction.atomic
def payment_record(*, actor: Actor, order: Order, amount_idr: int, method: str, reference: str = "") -> Payment:
    """Staff record money that arrived (a transfer seen in the bank, cash at pickup). Raises ValidationError."""
    order = order_lock(order_id=order.pk)
    require_order_staff(actor, order.organization)
    errors: dict[str, list[ValidationError]] = {}
    if method not in Payment.Method.values:
        errors["method"] = [ValidationError(_("Choose how it was paid."), code="method")]
    if not 0 < amount_idr <= 10_000_000_000:
        errors["amount_idr"] = [ValidationError(_("Enter an amount of more than Rp0."), code="amount")]
    if errors:
        raise ValidationError(errors)
    _require_open_for_money(order)
    if order.status == Order.Status.CANCELLED:
        raise ValidationError(_("This order was cancelled: it takes no payments."), code="closed")
    payment = Payment(
        organization_id=order.organization_id,
        order=order,
        method=method,
        amount_idr=amount_idr,
        provider_reference=reference[:100],
    )
    _money_in(actor, order, payment, amount_idr)
    audit_record(actor=actor, action=AuditAction.ORDER_PAYMENT_CONFIRM, obj=payment, amount=amount_idr)
    return payment


def refundable_idr(order: Order) -> int:
    """What may be given back: money held that no sale has used."""
    net = _net_paid(order)
    return max(net - order.total_idr, 0) if order.sale_id else net


@transaction.atomic
def order_refund(*, actor: Actor, order: Order, amount_idr: int, method: str, reason: str = "") -> Payment:
    """Money given back to the buyer (a late payment with no stock left, a cancelled order, an overpayment)."""
    order = order_lock(order_id=order.pk)
    require_order_staff(actor, order.organization)
    if method not in Payment.Method.values:
        raise ValidationError({"method": [ValidationError(_("Choose how it was paid back."), code="method")]})
    available = refundable_idr(order)
    if not 0 < amount_idr <= available:
        raise ValidationError(
            {
                "amount_idr": [
                    ValidationError(
                        _("Refund between Rp1 and %(max)s.") % {"max": format_rupiah(available)},
                        code="amount",
                        params={"max": available},
                    )
                ]
            }
        )
    return _refund_money(actor, order, amount_idr, method, reason)


def _refund_money(
    actor: Actor, order: Order, amount_idr: int, method: str, reason: str, provider: str = "manual", reference: str = ""
) -> Payment:
    """Give ``amount_idr`` back (checked by the caller): out of the money held for the buyer, then out of the capital
    funds a down payment went to; the order's flag and state follow."""
    held_in_capital = _deposit_held(order)
    from_capital = max(amount_idr - (_net_paid(order) - held_in_capital), 0)
    shares = []
    if from_capital:
        before = _shares(order, held_in_capital)
        after = _shares(order, held_in_capital - from_capital)
        now_ = {s.group_id: s.amount_idr for s in after}
        shares = [DepositShare(s.group_id, s.amount_idr - now_.get(s.group_id, 0)) for s in before]
        shares = [s for s in shares if s.amount_idr]
    entry = order_refund_post(
        actor=actor,
        organization=order.organization,
        amount_idr=amount_idr,
        cash=method == Payment.Method.CASH,
        deposits=shares,
        memo=f"{order.number} {reason}".strip(),
    )
    payment = Payment.objects.create(
        organization_id=order.organization_id,
        order=order,
        kind=Payment.Kind.REFUND,
        method=method,
        provider=provider,
        provider_reference=reference[:100],
        amount_idr=amount_idr,
        status=Payment.Status.CONFIRMED,
        reason=reason[:300],
        entry=entry,
        decided_at=timezone.now(),
        decided_by=user_of(actor),
    )
    order.refunded_idr += amount_idr
    _flag_refund(order)
    if refundable_idr(order) == 0 and order.status in (Order.Status.CANCELLED, Order.Status.EXPIRED):
        order.payment_state = Order.PaymentState.REFUNDED
    order.save()
    _event(order, OrderEvent.Kind.REFUND, actor, amount_idr=amount_idr)
    audit_record(actor=actor, action=AuditAction.ORDER_REFUND, obj=payment, amount=amount_idr, reason=reason)
    notifications.order_status(order)
    return payment


# Fulfilment -------------------------------------------------------------------------------------------

NEXT: dict[str, dict[str, set[str]]] = {
    # status → fulfilment → where it may go
    Order.Status.PAID: {
        Fulfillment.DELIVERY: {Order.Status.PACKED},
        Fulfillment.PICKUP: {Order.Status.PACKED, Order.Status.READY_FOR_PICKUP},
    },
    Order.Status.PACKED: {
        Fulfillment.DELIVERY: {Order.Status.SHIPPED},
        Fulfillment.PICKUP: {Order.Status.READY_FOR_PICKUP},
    },
    Order.Status.SHIPPED: {Fulfillment.DELIVERY: {Order.Status.COMPLETED}, Fulfillment.PICKUP: set()},
    Order.Status.READY_FOR_PICKUP: {Fulfillment.DELIVERY: set(), Fulfillment.PICKUP: {Order.Status.COMPLETED}},
}


def next_statuses(order: Order) -> list[str]:
    """Where staff may move ``order`` next (cancelling aside)."""
    return [s for s in Order.Status.values if s in NEXT.get(order.status, {}).get(order.fulfillment, set())]


@transaction.atomic
def order_transition(
    *, actor: Actor, order: Order, to: str, courier: str = "", resi: str = "", lot_code: str = ""
) -> Order:
    """Move an order along PAID → PACKED → SHIPPED (courier and resi) or READY_FOR_PICKUP → COMPLETED.

    A made-to-order order is handed over only once fully paid, and records its sale when completed: from the lot
    made for it (``lot_code``), so that its makers earn the premi, else first in, first out.
    Raises ValidationError (a move that is not allowed, a missing resi, stock not there yet) and
    PermissionDenied.
    """
    order = order_lock(order_id=order.pk)
    require_order_staff(actor, order.organization)
    if to not in next_statuses(order):
        raise ValidationError(
            {
                "to": [
                    ValidationError(
                        _("An order that is %(now)s cannot become %(to)s.")
                        % {
                            "now": Order.Status(order.status).label,
                            "to": Order.Status(to).label if to in Order.Status.values else to,
                        },
                        code="transition",
                    )
                ]
            }
        )
    courier = " ".join(courier.split())[:60]
    resi = " ".join(resi.split())[:60]
    if to == Order.Status.SHIPPED:
        errors = {}
        if not courier:
            errors["courier"] = [ValidationError(_("Enter the courier."), code="required")]
        if not resi:
            errors["resi"] = [ValidationError(_("Enter the tracking number (resi)."), code="required")]
        if errors:
            raise ValidationError(errors)
        order.courier, order.resi = courier, resi
    if order.made_to_order and to in (Order.Status.SHIPPED, Order.Status.READY_FOR_PICKUP, Order.Status.COMPLETED):
        if order.shipping_pending or _net_paid(order) < order.total_idr:
            raise ValidationError(
                {
                    "to": [
                        ValidationError(
                            _("The buyer still owes %(balance)s: hand it over once it is paid.")
                            % {"balance": format_rupiah(order.balance_idr)},
                            code="balance_due",
                        )
                    ]
                }
            )
    if order.made_to_order and to == Order.Status.COMPLETED:
        lot = _made_for(order, lot_code)
        try:
            _record_sale(actor, order, lot)
        except InsufficientStock as exc:
            raise ValidationError(
                {
                    "to": [
                        ValidationError(
                            _(
                                "%(location)s does not hold the finished goods yet: record the lot and move it there first."
                            )
                            % {"location": order.location.name},
                            code="insufficient_stock",
                        ),
                        *exc.error_list,
                    ]
                }
            ) from exc
        order.payment_state = Order.PaymentState.PAID
    order.status = to
    order.save()
    _event(order, OrderEvent.Kind.STATUS, actor, courier=order.courier, resi=order.resi)
    audit_record(actor=actor, action=AuditAction.ORDER_TRANSITION, obj=order, to=to, resi=order.resi)
    notifications.order_status(order)
    return order


@transaction.atomic
def shipping_fee_set(*, actor: Actor, order: Order, fee_idr: int, courier: str = "") -> Order:
    """Staff set the shipping fee of a delivery no rate covered; the buyer then sees what to pay."""
    order = order_lock(order_id=order.pk)
    require_order_staff(actor, order.organization)
    if order.fulfillment != Fulfillment.DELIVERY or order.status not in (
        Order.Status.AWAITING_PAYMENT,
        Order.Status.PAID,
    ):
        raise ValidationError(_("The shipping fee of this order can no longer be changed."), code="closed")
    if order.sale_id:
        raise ValidationError(_("The shipping fee of this order can no longer be changed."), code="closed")
    if not 0 <= fee_idr <= 100_000_000:
        raise ValidationError({"fee_idr": [ValidationError(_("Enter the shipping fee."), code="amount")]})
    order.shipping_idr = fee_idr
    if courier.strip():
        order.courier = " ".join(courier.split())[:60]
    if order.status == Order.Status.AWAITING_PAYMENT:
        # The buyer could not pay before: the clock starts now. A reservation whose time ran out may have been
        # promised to someone else since: it is released and taken again only if the units are still there.
        if order.expires_at <= timezone.now():
            _release(order)
            if not _reserve_again(actor, order):
                raise ValidationError(
                    {
                        "fee_idr": [
                            ValidationError(
                                _("The goods of this order are no longer in stock."), code="insufficient_stock"
                            )
                        ]
                    }
                )
        else:
            _new_deadline(order)
            reservation_extend(reference=order.reference, expires_at=order.expires_at)
    _event(order, OrderEvent.Kind.SHIPPING_SET, actor, amount_idr=fee_idr)
    _settle_if_paid(actor, order)
    _flag_refund(order)
    order.save()
    audit_record(actor=actor, action=AuditAction.ORDER_SHIPPING_SET, obj=order, fee=fee_idr)
    notifications.order_status(order)
    return order


def _release(order: Order) -> None:
    variant_ids = reservations_release(reference=order.reference)
    variant_stock_refresh(variant_ids=variant_ids)


@transaction.atomic
def order_cancel(*, actor: Actor, order: Order, reason: str = "", by_buyer: bool = False) -> Order:
    """Cancel an order and give its reservation back.

    The buyer may cancel while it awaits payment; staff may also cancel a paid order that has not left
    (its sale is reversed, the units return to stock) — money received is then flagged for a refund.
    """
    order = order_lock(order_id=order.pk)
    if not by_buyer:
        require_order_staff(actor, order.organization)
    allowed = (
        {Order.Status.AWAITING_PAYMENT}
        if by_buyer
        else {
            Order.Status.AWAITING_PAYMENT,
            Order.Status.PAID,
            Order.Status.PACKED,
        }
    )
    if order.status not in allowed:
        raise ValidationError(
            _("An order that is %(now)s can no longer be cancelled.") % {"now": Order.Status(order.status).label},
            code="transition",
        )
    if order.sale_id and order.sale is not None:
        sale_reverse(actor=actor, sale=order.sale, reason=_("Order %(number)s cancelled") % {"number": order.number})
        # The sale's cash goes back to being the buyer's money, to refund.
        if order.settlement_entry is not None:
            entry_reverse(actor=actor, entry=order.settlement_entry, memo=order.number)
        order.sale = None
        order.settlement_entry = None
    _release(order)
    order.status = Order.Status.CANCELLED
    _flag_refund(order)
    order.save()
    _event(order, OrderEvent.Kind.CANCELLED, actor, reason=" ".join(reason.split())[:200])
    audit_record(
        actor=actor, action=AuditAction.ORDER_CANCEL, obj=order, organization=order.organization, by_buyer=by_buyer
    )
    notifications.order_status(order)
    return order


@transaction.atomic
def order_expire(*, order: Order, now: datetime.datetime | None = None) -> bool:
    """Expire one order awaiting payment past its time; its reservation is given back. Whether it expired."""
    order = order_lock(order_id=order.pk)
    now = now or timezone.now()
    if order.status != Order.Status.AWAITING_PAYMENT or order.expires_at > now:
        return False
    _lapse(order)
    return True


def orders_expire(*, now: datetime.datetime | None = None, limit: int = 500) -> int:
    """Expire the orders awaiting payment past their time (the expiry job); return how many."""
    now = now or timezone.now()
    due = Order.objects.filter(status=Order.Status.AWAITING_PAYMENT, expires_at__lte=now).order_by("expires_at")[:limit]
    return sum(order_expire(order=order, now=now) for order in due)


# The seller's settings ------------------------------------------------------------------------------


@transaction.atomic
def shop_settings_update(*, actor: Actor, organization: Organization, **fields: Any) -> ShopSettings:
    """Set how ``organization`` takes orders: location, pickup, bank account, QRIS image, expiry hours."""
    require_order_staff(actor, organization)
    shop, _created = ShopSettings.objects.get_or_create(organization=organization)
    allowed = {
        "accepts_orders",
        "location",
        "pickup_address",
        "pickup_hours",
        "bank_name",
        "bank_account_number",
        "bank_account_holder",
        "qris_image",
        "qris_merchant_name",
        "order_expiry_hours",
        "unique_code",
    }
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"unknown shop settings: {sorted(unknown)}")
    errors: dict[str, list[ValidationError]] = {}
    qris = fields.pop("qris_image", None)
    qris_photo = None
    for name, value in fields.items():
        setattr(shop, name, value)
    if qris is not None and qris != "" and not isinstance(qris, str):
        # Like every image upload: checked, re-encoded without its metadata; the upload itself is never kept.
        try:
            photo = process_photo(qris, name_stem=f"qris-{organization.code.lower()}")
        except ValidationError as exc:
            errors["qris_image"] = exc.error_list
        else:
            qris_photo = photo
    elif qris == "":
        shop.qris_image = ""
    if shop.location is not None and (
        shop.location.organization_id != organization.pk or shop.location.kind not in ("STORE", "SHOWROOM")
    ):
        errors["location"] = [ValidationError(_("Choose a store or showroom of your own."), code="location")]
    if not 1 <= shop.order_expiry_hours <= 720:
        errors["order_expiry_hours"] = [ValidationError(_("Between 1 and 720 hours."), code="range")]
    if shop.accepts_orders and shop.location is None:
        errors["location"] = [ValidationError(_("Choose where orders are served from."), code="required")]
    if errors:
        raise ValidationError(errors)
    if qris_photo is not None:
        shop.qris_image.save(qris_photo.name, qris_photo.large, save=False)
    shop.save()
    audit_record(actor=actor, action=AuditAction.SHOP_SETTINGS_UPDATE, obj=shop, organization=organization)
    return shop


@dataclass(frozen=True)
class RateInput:
    province: str
    regency: str
    max_weight_grams: int
    fee_idr: int
    courier: str = ""
    etd_days: int | None = None


@transaction.atomic
def shipping_rates_replace(*, actor: Actor, organization: Organization, rates: Sequence[RateInput]) -> int:
    """Replace the seller's whole rate table (as edited on its page or imported); return the rows kept."""
    require_order_staff(actor, organization)
    errors: list[ValidationError] = []
    seen: set[tuple[str, str, int]] = set()
    rows = []
    for number, rate in enumerate(rates, start=1):
        province = " ".join(rate.province.split())
        regency = " ".join(rate.regency.split())
        if not province:
            errors.append(ValidationError(_("Row %(row)s: enter the province.") % {"row": number}, code="province"))
        if not 0 < rate.max_weight_grams <= 1_000_000:
            errors.append(
                ValidationError(_("Row %(row)s: enter a weight of 1 g to 1,000 kg.") % {"row": number}, code="weight")
            )
        if not 0 <= rate.fee_idr <= 100_000_000:
            errors.append(ValidationError(_("Row %(row)s: enter the fee.") % {"row": number}, code="fee"))
        if rate.etd_days is not None and not 0 <= rate.etd_days <= 365:
            errors.append(
                ValidationError(_("Row %(row)s: days on the way are 0 to 365.") % {"row": number}, code="etd")
            )
        key = (province.casefold(), regency.casefold(), rate.max_weight_grams)
        if key in seen:
            errors.append(ValidationError(_("Row %(row)s repeats an earlier row.") % {"row": number}, code="duplicate"))
        seen.add(key)
        rows.append(
            ShippingRate(
                organization=organization,
                province=province[:100],
                regency=regency[:100],
                max_weight_grams=rate.max_weight_grams,
                fee_idr=rate.fee_idr,
                courier=" ".join(rate.courier.split())[:60],
                etd_days=rate.etd_days,
            )
        )
    if errors:
        raise ValidationError({"rates": errors})
    ShippingRate.objects.filter(organization=organization).delete()
    ShippingRate.objects.bulk_create(rows)
    audit_record(
        actor=actor,
        action=AuditAction.SHIPPING_RATES_UPDATE,
        obj=organization,
        organization=organization,
        rows=len(rows),
    )
    return len(rows)


# A payment gateway's notifications ---------------------------------------------------------------------


@transaction.atomic
def payment_event_apply(*, provider: str, event: PaymentEvent) -> Order:
    """Record what a gateway's webhook says (``orders.payments``): money that arrived for an order (through the
    same path as money staff confirm: a late payment, an overpayment and a cancelled order are handled alike),
    an expiry, or a refund the gateway made. Each gateway transaction is recorded once, however often it is
    resent. Raises ValidationError for an unknown order or a state the gateway may not set."""
    found = Order.objects.filter(number=event.order_number).values_list("pk", flat=True).first()
    if found is None:
        raise ValidationError(_("No order has this number."), code="unknown_order")
    order = order_lock(order_id=found)
    kind = Payment.Kind.REFUND if event.state == Order.PaymentState.REFUNDED else Payment.Kind.PAYMENT
    if (
        event.reference
        and Payment.objects.filter(
            order=order, provider=provider, provider_reference=event.reference, kind=kind
        ).exists()
    ):
        return order  # already recorded
    method = event.method if event.method in (Payment.Method.TRANSFER, Payment.Method.QRIS) else Payment.Method.TRANSFER
    if event.state in (Order.PaymentState.PAID, Order.PaymentState.LATE_PAID):
        if not 0 < event.amount_idr <= 10_000_000_000:
            raise ValidationError(_("Enter an amount of more than Rp0."), code="amount")
        payment = Payment(
            organization_id=order.organization_id,
            order=order,
            method=method,
            provider=provider,
            provider_reference=event.reference[:100],
            amount_idr=event.amount_idr,
        )
        _money_in(None, order, payment, event.amount_idr)
        audit_record(actor=None, action=AuditAction.ORDER_PAYMENT_CONFIRM, obj=payment, amount=event.amount_idr)
    elif event.state == Order.PaymentState.EXPIRED:
        if order.status == Order.Status.AWAITING_PAYMENT:
            _lapse(order)
    elif event.state == Order.PaymentState.REFUNDED:
        if not 0 < event.amount_idr <= refundable_idr(order):
            raise ValidationError(_("The gateway refunded more than the order holds."), code="amount")
        _refund_money(None, order, event.amount_idr, method, "", provider=provider, reference=event.reference)
    else:
        raise ValidationError(_("A gateway cannot set this payment state."), code="state")
    return order
