"""Orders: placing them (public, idempotent, throttled), the buyer's view by tracking token, and the
seller's staff desk (list, payments, proofs, refunds, shipping fee, status, cancel), shop settings and
the shipping rate table. See docs/api.md, "Orders".

Who sees an order: the seller's staff who handle orders (``orders.selectors.ORDER_ROLES``, no oversight
role), and whoever holds its tracking token (``?token=`` or ``X-Order-Token``). Anyone else gets 404,
whether the order exists or not. No answer names a maker: an order holds products, prices and the
buyer, never who made the goods.
"""

import re
import threading
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Body, File, Form, Query, Router, Status
from ninja.errors import AuthenticationError
from ninja.files import UploadedFile
from ninja.throttling import BaseThrottle

from binakarya.accounts.throttle import client_ip
from binakarya.api.auth import STAFF_AUTH, STAFF_OR_PUBLIC, AuthenticatedRequest
from binakarya.api.common import location_or_error
from binakarya.api.schemas.common import MAX_PAGE_SIZE, WRITE_ERRORS, ErrorOut, FieldErrorsOut
from binakarya.api.schemas.orders import (
    CancelIn,
    OrderIn,
    OrderListOut,
    OrderListQuery,
    OrderOut,
    PaymentConfirmIn,
    PaymentRecordIn,
    PlacedOut,
    RatesIn,
    RatesOut,
    ReasonIn,
    RefundIn,
    ShippingFeeIn,
    ShopSettingsIn,
    ShopSettingsOut,
    StockConflictOut,
    TransitionIn,
)
from binakarya.core import ratelimit
from binakarya.orders.idempotency import (
    MAX_KEY_LENGTH,
    IdempotencyConflict,
    IdempotencyInFlight,
    idempotent,
    request_hash,
)
from binakarya.orders.models import Order, Payment, ShopSettings
from binakarya.orders.payments import provider_with_webhook
from binakarya.orders.selectors import (
    ORDER_ROLES,
    order_by_token,
    order_for,
    order_instructions,
    order_organizations_for,
    order_timeline,
    order_tracking_url,
    orders_for,
    payment_for,
    shipping_rates_for,
    shop_settings_for,
)
from binakarya.orders.services import (
    Address,
    Buyer,
    CartLine,
    RateInput,
    next_statuses,
    order_cancel,
    order_refund,
    order_transition,
    orders_place,
    payment_confirm,
    payment_event_apply,
    payment_proof_submit,
    payment_record,
    payment_reject,
    require_order_staff,
    shipping_fee_set,
    shipping_rates_replace,
    shop_settings_update,
)
from binakarya.organizations.models import Organization
from binakarya.organizations.selectors import organization_for

router = Router(tags=["orders"])

IDEMPOTENCY_SCOPE = "api"
KEY_PATTERN = re.compile(rf"^[A-Za-z0-9_.:-]{{8,{MAX_KEY_LENGTH}}}$")
# Public writes (placing an order, sending a proof): this many per client address and window.
DEFAULT_PUBLIC_RATE = "30/m"


# Authentication and throttling --------------------------------------------------------------------


class PublicWriteThrottle(BaseThrottle):
    """At most ``settings.API_PUBLIC_ORDER_RATE`` (default 30 a minute) public writes per client address.

    Fixed windows counted by core.ratelimit in the shared cache. The address is accounts.throttle.client_ip,
    which trusts X-Forwarded-For only as far as TRUSTED_PROXY_COUNT says. Signed-in staff are not throttled here.
    """

    _local = threading.local()

    def allow_request(self, request: HttpRequest) -> bool:
        if isinstance(getattr(request, "auth", None), User):
            return True
        rate = str(getattr(settings, "API_PUBLIC_ORDER_RATE", DEFAULT_PUBLIC_RATE))
        wait = ratelimit.attempt("api-public-orders", who=client_ip(request) or "", rate=rate, default_period=60)
        self._local.wait = wait
        return wait is None

    def wait(self) -> float | None:
        return getattr(self._local, "wait", None)


PUBLIC_THROTTLE = PublicWriteThrottle()


def _staff(request: HttpRequest) -> User | None:
    auth = getattr(request, "auth", None)
    return auth if isinstance(auth, User) else None


# Shapes ------------------------------------------------------------------------------------------------


def _tracking_url(order: Order) -> str:
    """The buyer's tracking link (the storefront's /pesanan/<token>/, on SITE_URL)."""
    return order_tracking_url(order=order)


def _absolute(request: HttpRequest, url: str) -> str:
    return request.build_absolute_uri(url) if url else ""


def _payment_due(request: HttpRequest, order: Order) -> dict[str, Any]:
    instructions = order_instructions(order=order)
    return {
        "amount_due_idr": instructions.amount_idr,
        "unique_code_idr": order.unique_code_idr,
        "expires_at": order.expires_at,
        "methods": [
            {
                "method": m.method,
                "label": m.label,
                "amount_idr": m.amount_idr,
                "bank_name": m.bank_name,
                "account_number": m.account_number,
                "account_holder": m.account_holder,
                "qris_image_url": _absolute(request, m.qris_image_url),
                "qris_merchant_name": m.qris_merchant_name,
                "ready": m.ready,
            }
            for m in instructions.methods
        ],
    }


def placed_out(request: HttpRequest, order: Order) -> dict[str, Any]:
    return {
        "number": order.number,
        "status": order.status,
        "seller": order.organization.name,
        "total_idr": order.total_idr,
        "goods_idr": order.goods_idr,
        "shipping_idr": order.shipping_idr,
        "made_to_order": order.made_to_order,
        "deposit_idr": order.deposit_idr,
        "expected_ready_on": order.expected_ready_on,
        "tracking_url": _tracking_url(order),
        "token": order.token,
        "payment": _payment_due(request, order),
    }


def payment_out(payment: Payment) -> dict[str, Any]:
    return {
        "id": payment.pk,
        "kind": payment.kind,
        "method": payment.method,
        "amount_idr": payment.amount_idr,
        "status": payment.status,
        "reason": payment.reason,
        "created_at": payment.created_at,
    }


def order_out(request: HttpRequest, order: Order, *, staff: bool) -> dict[str, Any]:
    instructions = order_instructions(order=order)
    delivery = None
    if order.fulfillment == "DELIVERY":
        delivery = {
            "province": order.province,
            "regency": order.regency,
            "district": order.district,
            "address": order.address,
            "postal_code": order.postal_code,
        }
    return {
        "number": order.number,
        "seller": order.organization.name,
        "organization": order.organization.slug,
        "channel": order.channel,
        "status": order.status,
        "payment_state": order.payment_state,
        "fulfillment": order.fulfillment,
        "created_at": order.created_at,
        "expires_at": order.expires_at,
        "goods_idr": order.goods_idr,
        "shipping_idr": order.shipping_idr,
        "unique_code_idr": order.unique_code_idr,
        "total_idr": order.total_idr,
        "paid_idr": order.paid_idr,
        "refunded_idr": order.refunded_idr,
        "balance_idr": order.balance_idr,
        "made_to_order": order.made_to_order,
        "deposit_idr": order.deposit_idr,
        "expected_ready_on": order.expected_ready_on,
        "courier": order.courier,
        "resi": order.resi,
        "needs_refund": order.needs_refund if staff else False,
        "tracking_url": _tracking_url(order),
        "buyer": {"name": order.buyer_name, "phone": order.buyer_phone, "email": order.buyer_email},
        "delivery": delivery,
        "pickup_address": instructions.pickup_address if order.fulfillment == "PICKUP" else "",
        "pickup_hours": instructions.pickup_hours if order.fulfillment == "PICKUP" else "",
        "lines": [
            {
                "sku": line.sku,
                "product": line.product_name,
                "variant": line.variant_name,
                "quantity": line.quantity,
                "unit_price_idr": line.unit_price_idr,
                "total_idr": line.total_idr,
                "made_to_order": line.made_to_order,
            }
            for line in order.lines.all()
        ],
        "payment": _payment_due(request, order),
        "payments": [payment_out(p) for p in order.payments.all()],
        "timeline": [
            {"at": s.at, "title": s.title, "detail": s.detail, "status": s.status, "internal": s.internal}
            for s in order_timeline(order=order, staff=staff)
        ],
        "next_statuses": next_statuses(order) if staff else [],
    }


def order_list_item(order: Order) -> dict[str, Any]:
    return {
        "number": order.number,
        "seller": order.organization.name,
        "organization": order.organization.slug,
        "channel": order.channel,
        "status": order.status,
        "payment_state": order.payment_state,
        "fulfillment": order.fulfillment,
        "buyer_name": order.buyer_name,
        "total_idr": order.total_idr,
        "shipping_idr": order.shipping_idr,
        "needs_refund": order.needs_refund,
        "created_at": order.created_at,
        "expires_at": order.expires_at,
    }


# Lookups -------------------------------------------------------------------------------------------------


def _seller_for(user: User, ref: str) -> Organization:
    """A seller whose orders ``user`` handles, by slug or numeric id; DoesNotExist (404) otherwise."""
    ref = ref.strip()
    if ref.isdigit():
        for organization in order_organizations_for(user=user):
            if str(organization.pk) == ref:
                return organization
        raise Organization.DoesNotExist
    return organization_for(user=user, slug=ref, roles=ORDER_ROLES, oversight=False)


def _request_token(request: HttpRequest, token: str) -> str:
    return (token or request.headers.get("X-Order-Token", "")).strip()


def _order_by_token(number: str, token: str) -> Order:
    """The order ``number`` if ``token`` is its tracking token; DoesNotExist otherwise."""
    order = order_by_token(token=token)
    if order.number != number.strip().upper():
        raise Order.DoesNotExist
    return order


def _staff_order(request: AuthenticatedRequest, number: str) -> Order:
    return order_for(user=request.auth, number=number)


def _stock_conflict(exc: ValidationError) -> dict[str, Any] | None:
    """The 409 body when the service refused the order for lack of stock (code insufficient_stock)."""
    shortfalls = []
    for errors in getattr(exc, "error_dict", {}).values():
        for error in errors:
            if error.code == "insufficient_stock" and error.params:
                shortfalls.append(
                    {
                        "sku": str(error.params.get("sku", "")),
                        "available": int(error.params.get("available", 0)),
                        "wanted": int(error.params.get("wanted", 0)),
                    }
                )
    if not shortfalls:
        return None
    detail = " ".join(
        _("Not enough stock of %(sku)s: %(available)s left, %(wanted)s asked for.") % s for s in shortfalls
    )
    return {"detail": detail, "shortfalls": shortfalls}


# Placing an order -------------------------------------------------------------------------------------


@router.post(
    "/orders",
    auth=STAFF_OR_PUBLIC,
    throttle=[PUBLIC_THROTTLE],
    response={
        200: PlacedOut,
        201: PlacedOut,
        400: FieldErrorsOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: StockConflictOut | ErrorOut,
        422: FieldErrorsOut,
        429: ErrorOut,
    },
    summary="Place a cart: one order per seller, its stock reserved (public, Idempotency-Key required)",
)
def order_place(request: HttpRequest, response: HttpResponse, payload: OrderIn) -> Status[Any]:
    """Public (channel WEB) or staff (channel WHATSAPP with ``organization``). The ``Idempotency-Key``
    header (8 to 100 characters: letters, digits, ``_ . : -``) makes a retry safe: the same key and
    body answer 200 with the same orders and ``Idempotent-Replayed: true``; the same key with another
    body answers 422. Not enough stock: 409 naming each SKU."""
    key = request.headers.get("Idempotency-Key", "").strip()
    if not KEY_PATTERN.match(key):
        message = _(
            "Send an Idempotency-Key header of 8 to %(max)s letters, digits or _ . : - (a new random value per checkout)."
        ) % {"max": MAX_KEY_LENGTH}
        return Status(400, {"detail": message, "errors": {"Idempotency-Key": [message]}})
    user = _staff(request)
    organization = None
    if payload.channel == Order.Channel.WHATSAPP or payload.organization:
        if user is None:
            raise AuthenticationError
        if not payload.organization:
            raise ValidationError({"organization": [_("Choose the seller.")]})
        organization = _seller_for(user, payload.organization)
        require_order_staff(user, organization)
    body = payload.dict()
    digest = request_hash({"who": user.pk if user else None, "body": body})
    address = payload.address

    placed: list[Order] = []

    def place() -> dict[str, Any]:
        orders = orders_place(
            lines=[CartLine(line.sku, line.quantity) for line in payload.lines],
            buyer=Buyer(payload.buyer.name, payload.buyer.phone, payload.buyer.email),
            fulfillment=payload.fulfillment,
            address=Address(address.province, address.regency, address.district, address.address, address.postal_code)
            if address
            else None,
            channel=payload.channel,
            organization=organization,
            actor=user,
            note=payload.note,
        )
        placed.extend(orders)
        # Kept for the replay: which orders, by their tokens (nothing about the buyer).
        return {"orders": [{"number": o.number, "token": o.token} for o in orders]}

    try:
        stored, replayed = idempotent(scope=IDEMPOTENCY_SCOPE, key=key, digest=digest, run=place)
    except IdempotencyConflict:
        message = _("This Idempotency-Key was already used for a different order. Start the checkout again.")
        return Status(422, {"detail": message, "errors": {"Idempotency-Key": [message]}})
    except IdempotencyInFlight:
        return Status(409, {"detail": _("An order with this Idempotency-Key is still being placed. Try again.")})
    except ValidationError as exc:
        conflict = _stock_conflict(exc)
        if conflict is not None:
            return Status(409, conflict)
        raise
    orders = placed if not replayed else [order_by_token(token=o["token"]) for o in stored["orders"]]
    if replayed:
        response["Idempotent-Replayed"] = "true"
    return Status(200 if replayed else 201, {"orders": [placed_out(request, o) for o in orders]})


# Reading orders -----------------------------------------------------------------------------------------


@router.get(
    "/orders",
    auth=STAFF_AUTH,
    response={200: OrderListOut, 401: ErrorOut, 404: ErrorOut, 422: FieldErrorsOut},
    summary="Orders of the sellers the caller handles, newest first",
)
def order_list(request: AuthenticatedRequest, filters: Query[OrderListQuery]) -> dict[str, Any]:
    page_size = min(filters.page_size, MAX_PAGE_SIZE)
    organization_id = _seller_for(request.auth, filters.organization).pk if filters.organization else None
    orders = orders_for(
        user=request.auth,
        status=filters.status.strip().upper(),
        channel=filters.channel.strip().upper(),
        needs=filters.needs.strip().lower(),
        search=filters.search,
        organization_id=organization_id,
    )
    count = orders.count()
    start = (filters.page - 1) * page_size
    items = list(orders[start : start + page_size]) if start < count else []
    return {"count": count, "page": filters.page, "page_size": page_size, "items": [order_list_item(o) for o in items]}


@router.get(
    "/orders/{number}",
    auth=STAFF_OR_PUBLIC,
    response={200: OrderOut, 401: ErrorOut, 404: ErrorOut, 422: FieldErrorsOut},
    summary="One order: for the seller's staff, or for the holder of its tracking token",
)
def order_detail(request: HttpRequest, number: str, token: str = "") -> dict[str, Any]:
    """Staff who handle the seller's orders see everything, internal steps included. With the tracking
    token (``?token=`` or ``X-Order-Token``) the buyer sees their order and its public timeline.
    Anyone else: 404."""
    user = _staff(request)
    if user is not None:
        try:
            return order_out(request, order_for(user=user, number=number), staff=True)
        except Order.DoesNotExist:
            pass
    return order_out(request, _order_by_token(number, _request_token(request, token)), staff=False)


# Staff: money ------------------------------------------------------------------------------------------


@router.post(
    "/orders/{number}/payments",
    auth=STAFF_AUTH,
    response={201: OrderOut, 404: ErrorOut} | WRITE_ERRORS,
    summary="Record money that arrived (a transfer seen in the bank, cash); paid in full → PAID and the sale",
)
def order_payment_record(request: AuthenticatedRequest, number: str, payload: PaymentRecordIn) -> Status[Any]:
    order = _staff_order(request, number)
    payment_record(
        actor=request.auth,
        order=order,
        amount_idr=payload.amount_idr,
        method=payload.method,
        reference=payload.reference,
    )
    return Status(201, order_out(request, _staff_order(request, number), staff=True))


def _order_payment(request: AuthenticatedRequest, number: str, payment_id: int) -> Payment:
    order = _staff_order(request, number)
    payment = payment_for(user=request.auth, pk=payment_id)
    if payment.order_id != order.pk:
        raise Payment.DoesNotExist
    return payment


@router.post(
    "/orders/{number}/payments/{payment_id}/confirm",
    auth=STAFF_AUTH,
    response={200: OrderOut, 404: ErrorOut} | WRITE_ERRORS,
    summary="Confirm a buyer's proof of payment (with the amount that arrived, if it differs)",
)
def order_payment_confirm(
    request: AuthenticatedRequest, number: str, payment_id: int, payload: Body[PaymentConfirmIn | None] = None
) -> dict[str, Any]:
    payment = _order_payment(request, number, payment_id)
    payment_confirm(actor=request.auth, payment=payment, amount_idr=payload.amount_idr if payload else None)
    return order_out(request, _staff_order(request, number), staff=True)


@router.post(
    "/orders/{number}/payments/{payment_id}/reject",
    auth=STAFF_AUTH,
    response={200: OrderOut, 404: ErrorOut} | WRITE_ERRORS,
    summary="Refuse a buyer's proof of payment, with a reason the buyer reads",
)
def order_payment_reject(
    request: AuthenticatedRequest, number: str, payment_id: int, payload: ReasonIn
) -> dict[str, Any]:
    payment = _order_payment(request, number, payment_id)
    payment_reject(actor=request.auth, payment=payment, reason=payload.reason)
    return order_out(request, _staff_order(request, number), staff=True)


@router.post(
    "/orders/{number}/refunds",
    auth=STAFF_AUTH,
    response={201: OrderOut, 404: ErrorOut} | WRITE_ERRORS,
    summary="Give money back to the buyer (at most what no sale has used)",
)
def order_refund_create(request: AuthenticatedRequest, number: str, payload: RefundIn) -> Status[Any]:
    order = _staff_order(request, number)
    order_refund(
        actor=request.auth, order=order, amount_idr=payload.amount_idr, method=payload.method, reason=payload.reason
    )
    return Status(201, order_out(request, _staff_order(request, number), staff=True))


@router.post(
    "/orders/{number}/shipping",
    auth=STAFF_AUTH,
    response={200: OrderOut, 404: ErrorOut} | WRITE_ERRORS,
    summary="Set the shipping fee of a delivery no rate covered",
)
def order_shipping_set(request: AuthenticatedRequest, number: str, payload: ShippingFeeIn) -> dict[str, Any]:
    order = _staff_order(request, number)
    shipping_fee_set(actor=request.auth, order=order, fee_idr=payload.fee_idr, courier=payload.courier)
    return order_out(request, _staff_order(request, number), staff=True)


# Staff: fulfilment; staff or buyer: cancel -------------------------------------------------------------


@router.post(
    "/orders/{number}/transitions",
    auth=STAFF_AUTH,
    response={200: OrderOut, 404: ErrorOut} | WRITE_ERRORS,
    summary="Move an order on: PACKED, SHIPPED (courier and resi), READY_FOR_PICKUP, COMPLETED",
)
def order_transition_create(request: AuthenticatedRequest, number: str, payload: TransitionIn) -> dict[str, Any]:
    order = _staff_order(request, number)
    order_transition(
        actor=request.auth, order=order, to=payload.to, courier=payload.courier, resi=payload.resi, lot_code=payload.lot
    )
    return order_out(request, _staff_order(request, number), staff=True)


@router.post(
    "/orders/{number}/cancel",
    auth=STAFF_OR_PUBLIC,
    response={200: OrderOut, 404: ErrorOut} | WRITE_ERRORS,
    summary="Cancel an order and release its reservation (staff; or the buyer, with the token, before paying)",
)
def order_cancel_create(
    request: HttpRequest, number: str, token: str = "", payload: Body[CancelIn | None] = None
) -> dict[str, Any]:
    reason = payload.reason if payload else ""
    user = _staff(request)
    if user is not None:
        try:
            order = order_for(user=user, number=number)
        except Order.DoesNotExist:
            order = None
        if order is not None:
            order_cancel(actor=user, order=order, reason=reason)
            return order_out(request, order_for(user=user, number=number), staff=True)
    order = _order_by_token(number, _request_token(request, token))
    order_cancel(actor=None, order=order, reason=reason, by_buyer=True)
    return order_out(request, order_by_token(token=order.token), staff=False)


# The buyer: proof of payment ------------------------------------------------------------------------


@router.post(
    "/orders/{number}/proofs",
    auth=None,
    throttle=[PUBLIC_THROTTLE],
    response={201: OrderOut, 400: FieldErrorsOut, 404: ErrorOut, 422: FieldErrorsOut, 429: ErrorOut},
    summary="The buyer sends a proof of payment (photo or PDF) with the tracking token",
)
def order_proof_upload(
    request: HttpRequest,
    number: str,
    token: Form[str],
    method: Form[str],
    amount_idr: Form[int],
    file: File[UploadedFile],
) -> Status[Any]:
    """multipart/form-data: ``token``, ``method`` (TRANSFER or QRIS), ``amount_idr``, ``file``."""
    order = _order_by_token(number, token[:100])
    if not 0 < amount_idr <= 10_000_000_000:
        raise ValidationError({"amount_idr": [_("Enter the amount you paid.")]})
    payment_proof_submit(order=order, method=method.strip().upper()[:10], amount_idr=amount_idr, proof=file)
    return Status(201, order_out(request, order_by_token(token=order.token), staff=False))


# Shop settings and the rate table ----------------------------------------------------------------------


def shop_out(request: HttpRequest, organization: Organization, shop: ShopSettings) -> dict[str, Any]:
    return {
        "organization": organization.slug,
        "accepts_orders": shop.accepts_orders,
        "location": shop.location.code if shop.location else None,
        "pickup_address": shop.pickup_address,
        "pickup_hours": shop.pickup_hours,
        "bank_name": shop.bank_name,
        "bank_account_number": shop.bank_account_number,
        "bank_account_holder": shop.bank_account_holder,
        "qris_image_url": _absolute(request, shop.qris_image.url) if shop.qris_image else "",
        "qris_merchant_name": shop.qris_merchant_name,
        "order_expiry_hours": shop.order_expiry_hours,
        "unique_code": shop.unique_code,
    }


@router.get(
    "/shop/{organization}/settings",
    auth=STAFF_AUTH,
    response={200: ShopSettingsOut, 401: ErrorOut, 404: ErrorOut},
    summary="How a seller takes orders: location, pickup, bank account, QRIS, expiry",
)
def shop_settings_get(request: AuthenticatedRequest, organization: str) -> dict[str, Any]:
    seller = _seller_for(request.auth, organization)
    return shop_out(request, seller, shop_settings_for(organization=seller))


@router.put(
    "/shop/{organization}/settings",
    auth=STAFF_AUTH,
    response={200: ShopSettingsOut, 404: ErrorOut} | WRITE_ERRORS,
    summary="Replace a seller's shop settings (the QRIS image is uploaded in the back office)",
)
def shop_settings_put(request: AuthenticatedRequest, organization: str, payload: ShopSettingsIn) -> dict[str, Any]:
    seller = _seller_for(request.auth, organization)
    require_order_staff(request.auth, seller)
    errors: dict[str, list[str]] = {}
    location = None
    if payload.location:
        location = location_or_error(user=request.auth, code=payload.location, errors=errors)
    if errors:
        raise ValidationError(errors)
    shop = shop_settings_update(
        actor=request.auth,
        organization=seller,
        accepts_orders=payload.accepts_orders,
        location=location,
        pickup_address=payload.pickup_address.strip(),
        pickup_hours=payload.pickup_hours.strip(),
        bank_name=payload.bank_name.strip(),
        bank_account_number=payload.bank_account_number.strip(),
        bank_account_holder=payload.bank_account_holder.strip(),
        qris_merchant_name=payload.qris_merchant_name.strip(),
        order_expiry_hours=payload.order_expiry_hours,
        unique_code=payload.unique_code,
    )
    return shop_out(request, seller, shop)


def rates_out(organization: Organization, rates: list[Any]) -> dict[str, Any]:
    return {
        "organization": organization.slug,
        "rates": [
            {
                "province": r.province,
                "regency": r.regency,
                "max_weight_grams": r.max_weight_grams,
                "fee_idr": r.fee_idr,
                "courier": r.courier,
                "etd_days": r.etd_days,
            }
            for r in rates
        ],
    }


@router.get(
    "/shop/{organization}/shipping-rates",
    auth=STAFF_AUTH,
    response={200: RatesOut, 401: ErrorOut, 404: ErrorOut},
    summary="A seller's shipping rate table",
)
def shipping_rates_get(request: AuthenticatedRequest, organization: str) -> dict[str, Any]:
    seller = _seller_for(request.auth, organization)
    return rates_out(seller, shipping_rates_for(user=request.auth, organization=seller))


@router.put(
    "/shop/{organization}/shipping-rates",
    auth=STAFF_AUTH,
    response={200: RatesOut, 404: ErrorOut} | WRITE_ERRORS,
    summary="Replace a seller's whole shipping rate table",
)
def shipping_rates_put(request: AuthenticatedRequest, organization: str, payload: RatesIn) -> dict[str, Any]:
    seller = _seller_for(request.auth, organization)
    shipping_rates_replace(
        actor=request.auth,
        organization=seller,
        rates=[
            RateInput(r.province, r.regency, r.max_weight_grams, r.fee_idr, r.courier, r.etd_days)
            for r in payload.rates
        ],
    )
    return rates_out(seller, shipping_rates_for(user=request.auth, organization=seller))


# A payment gateway's webhook ----------------------------------------------------------------------------


@router.post(
    "/payments/webhooks/{provider}",
    auth=None,
    response={200: ErrorOut, 400: FieldErrorsOut, 404: ErrorOut},
    summary="A payment gateway's notification (only providers that take webhooks; the manual ones do not)",
)
def payment_webhook(request: HttpRequest, provider: str) -> Status[Any]:
    """The gateway's provider class (``orders.payments``) checks the notification's signature and turns it into a
    payment event, recorded once per gateway transaction; a provider without webhooks answers 404."""
    found = provider_with_webhook(provider.strip()[:20])
    event = found.webhook(body=request.body, headers=dict(request.headers)) if found is not None else None
    if found is None or event is None:
        return Status(404, {"detail": _("No payment gateway takes notifications here.")})
    payment_event_apply(provider=found.code, event=event)
    return Status(200, {"detail": "ok"})
