"""Payment providers: how a buyer pays an order, behind one small interface.

A provider says how to pay (``instructions``) and, for a gateway, turns its webhook into a payment
event (``webhook``). The manual providers (bank transfer and QRIS, confirmed by staff from the buyer's
proof) are complete; a gateway (Midtrans, Xendit) is a new class registered in ``PROVIDERS`` whose
webhook answers with a ``PaymentEvent`` that ``orders.services.payment_event_apply`` records.

An order's payment moves through the states of ``Order.PaymentState``: PENDING, PAID, EXPIRED,
LATE_PAID (money that arrived after the order expired) and REFUNDED.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Protocol

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from binakarya.orders.models import Order, ShopSettings


@dataclass(frozen=True)
class PaymentInstructions:
    """What a buyer needs to pay: the method, the exact amount, and where to send it."""

    method: str
    label: str
    amount_idr: int
    bank_name: str = ""
    account_number: str = ""
    account_holder: str = ""
    qris_image_url: str = ""
    qris_merchant_name: str = ""
    ready: bool = True  # False: the seller has not set this method up, or the shipping fee is not known yet


@dataclass(frozen=True)
class PaymentEvent:
    """A gateway's word on an order: it was paid (``amount_idr``), or the payment expired or was refunded."""

    order_number: str
    state: str  # Order.PaymentState: PAID (money arrived), EXPIRED, REFUNDED
    amount_idr: int
    reference: str  # the gateway's own id of the transaction: an event is recorded once per reference
    method: str = "TRANSFER"  # Payment.Method the buyer used (TRANSFER, QRIS)


class PaymentProvider(Protocol):
    code: ClassVar[str]
    method: ClassVar[str]

    def instructions(self, *, order: "Order", shop: "ShopSettings", amount_idr: int) -> PaymentInstructions: ...

    def webhook(self, *, body: bytes, headers: Mapping[str, str]) -> PaymentEvent | None:
        """A gateway's notification as a payment event; None for a provider without webhooks."""
        ...


class ManualTransfer:
    """A bank transfer to the seller's account, matched by its exact amount and confirmed by staff."""

    code: ClassVar[str] = "manual"
    method: ClassVar[str] = "TRANSFER"

    def instructions(self, *, order: "Order", shop: "ShopSettings", amount_idr: int) -> PaymentInstructions:
        return PaymentInstructions(
            method=self.method,
            label=str(_("Bank transfer")),
            amount_idr=amount_idr,
            bank_name=shop.bank_name,
            account_number=shop.bank_account_number,
            account_holder=shop.bank_account_holder,
            ready=bool(shop.bank_account_number) and not order.shipping_pending,
        )

    def webhook(self, *, body: bytes, headers: Mapping[str, str]) -> PaymentEvent | None:
        return None


class ManualQris:
    """The seller's static QRIS code: the buyer scans it and types the exact amount; staff confirm."""

    code: ClassVar[str] = "manual"
    method: ClassVar[str] = "QRIS"

    def instructions(self, *, order: "Order", shop: "ShopSettings", amount_idr: int) -> PaymentInstructions:
        return PaymentInstructions(
            method=self.method,
            label=str(_("QRIS")),
            amount_idr=amount_idr,
            qris_image_url=shop.qris_image.url if shop.qris_image else "",
            qris_merchant_name=shop.qris_merchant_name,
            ready=bool(shop.qris_image) and not order.shipping_pending,
        )

    def webhook(self, *, body: bytes, headers: Mapping[str, str]) -> PaymentEvent | None:
        return None


PROVIDERS: tuple[PaymentProvider, ...] = (ManualTransfer(), ManualQris())


def payment_instructions(*, order: "Order", shop: "ShopSettings", amount_idr: int) -> list[PaymentInstructions]:
    """Every way the seller takes payment for ``order``, each with the exact amount to pay."""
    return [provider.instructions(order=order, shop=shop, amount_idr=amount_idr) for provider in PROVIDERS]


def provider_with_webhook(code: str) -> PaymentProvider | None:
    """The provider whose webhooks arrive under ``code``; None for an unknown code. (The manual providers
    share the code "manual" and answer no webhook.)"""
    return next((provider for provider in PROVIDERS if provider.code == code), None)
