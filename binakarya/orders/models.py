"""Web and WhatsApp orders: the buyer's order, its lines, payments, timeline, and the seller's shop settings.

An order is placed with its stock reserved (``inventory.reservations``); it becomes a sale, through
``sales.services.sale_record``, when it is paid (or, made to order, when it is completed).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from binakarya.core.models import TimeStampedModel
from binakarya.core.storage import private_files

DEFAULT_EXPIRY_HOURS = 24
DEFAULT_DEPOSIT_PERCENT = 50


class ShopSettings(TimeStampedModel):
    """How one seller (a facility or an UMKM producer) takes orders and payments."""

    organization = models.OneToOneField(
        "organizations.Organization", on_delete=models.PROTECT, related_name="shop_settings"
    )
    accepts_orders = models.BooleanField(_("takes orders on the website"), default=True)
    location = models.ForeignKey(
        "inventory.Location",
        verbose_name=_("orders are served from"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The store or showroom whose stock web and WhatsApp orders reserve and sell."),
    )
    pickup_address = models.TextField(_("pickup address"), blank=True)
    pickup_hours = models.CharField(_("pickup hours"), max_length=120, blank=True)
    bank_name = models.CharField(_("bank"), max_length=60, blank=True)
    bank_account_number = models.CharField(_("account number"), max_length=30, blank=True)
    bank_account_holder = models.CharField(_("account holder"), max_length=120, blank=True)
    qris_image = models.ImageField(_("QRIS code"), upload_to="qris/", blank=True)
    qris_merchant_name = models.CharField(_("QRIS merchant name"), max_length=120, blank=True)
    order_expiry_hours = models.PositiveSmallIntegerField(
        _("hours to pay before an order expires"), default=DEFAULT_EXPIRY_HOURS
    )
    unique_code = models.BooleanField(
        _("add a unique code to transfer amounts"),
        default=True,
        help_text=_("Up to three digits added to the amount, so that a transfer is matched to its order."),
    )

    class Meta:
        verbose_name = _("shop settings")
        verbose_name_plural = _("shop settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(order_expiry_hours__gte=1) & Q(order_expiry_hours__lte=720), name="shop_expiry_range"
            )
        ]

    def __str__(self) -> str:
        return f"shop of {self.organization_id}"


class ShippingRate(models.Model):
    """One line of a seller's rate table: to a province (or one regency in it), up to a weight, a fee."""

    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="+")
    province = models.CharField(_("province"), max_length=100)
    # Empty: the whole province (a regency's own row wins over it).
    regency = models.CharField(_("regency or city"), max_length=100, blank=True)
    max_weight_grams = models.PositiveIntegerField(_("up to (g)"))
    fee_idr = models.PositiveBigIntegerField(_("fee"))
    courier = models.CharField(_("courier"), max_length=60, blank=True)
    etd_days = models.PositiveSmallIntegerField(_("days on the way"), null=True, blank=True)

    class Meta:
        ordering = ["province", "regency", "max_weight_grams"]
        verbose_name = _("shipping rate")
        verbose_name_plural = _("shipping rates")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "province", "regency", "max_weight_grams"], name="shipping_rate_unique_band"
            ),
            models.CheckConstraint(condition=Q(max_weight_grams__gt=0), name="shipping_rate_weight_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.province}/{self.regency or '*'} ≤{self.max_weight_grams} g: {self.fee_idr}"


class Fulfillment(models.TextChoices):
    PICKUP = "PICKUP", _("Pickup")
    DELIVERY = "DELIVERY", _("Delivery")


class Order(TimeStampedModel):
    class Status(models.TextChoices):
        AWAITING_PAYMENT = "AWAITING_PAYMENT", _("Awaiting payment")
        PAID = "PAID", _("Paid")
        PACKED = "PACKED", _("Packed")
        SHIPPED = "SHIPPED", _("Shipped")
        READY_FOR_PICKUP = "READY_FOR_PICKUP", _("Ready for pickup")
        COMPLETED = "COMPLETED", _("Completed")
        CANCELLED = "CANCELLED", _("Cancelled")
        EXPIRED = "EXPIRED", _("Expired")

    class PaymentState(models.TextChoices):
        PENDING = "PENDING", _("Pending")
        PAID = "PAID", _("Paid")
        EXPIRED = "EXPIRED", _("Expired")
        LATE_PAID = "LATE_PAID", _("Paid after expiry")
        REFUNDED = "REFUNDED", _("Refunded")

    class Channel(models.TextChoices):
        WEB = "WEB", _("Web order")
        WHATSAPP = "WHATSAPP", _("WhatsApp order")

    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="orders")
    number = models.CharField(_("number"), max_length=30, unique=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.WEB)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.AWAITING_PAYMENT)
    payment_state = models.CharField(
        _("payment"), max_length=10, choices=PaymentState.choices, default=PaymentState.PENDING
    )
    # The buyer's secret link (/pesanan/<token>/) and the cart it came from (several sellers, one page).
    token = models.CharField(max_length=40, unique=True)
    checkout_token = models.CharField(max_length=40, db_index=True)
    location = models.ForeignKey("inventory.Location", on_delete=models.PROTECT, related_name="+")

    buyer_name = models.CharField(_("name"), max_length=120)
    buyer_phone = models.CharField(_("phone"), max_length=16)  # +62…
    buyer_email = models.EmailField(_("email"), blank=True)
    fulfillment = models.CharField(_("fulfillment"), max_length=10, choices=Fulfillment.choices)
    province = models.CharField(_("province"), max_length=100, blank=True)
    regency = models.CharField(_("regency or city"), max_length=100, blank=True)
    district = models.CharField(_("district"), max_length=100, blank=True)
    address = models.TextField(_("address"), blank=True)
    postal_code = models.CharField(_("postal code"), max_length=5, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    # The language the buyer ordered in: their emails and messages use it.
    language = models.CharField(max_length=8, default="id")

    goods_idr = models.PositiveBigIntegerField(default=0)
    # None while the fee waits for staff ("ongkir dikonfirmasi").
    shipping_idr = models.PositiveBigIntegerField(null=True, blank=True)
    courier = models.CharField(_("courier"), max_length=60, blank=True)
    resi = models.CharField(_("tracking number (resi)"), max_length=60, blank=True)
    unique_code_idr = models.PositiveSmallIntegerField(default=0)
    # What must be paid before the order counts as PAID: everything, or a made-to-order down payment.
    deposit_idr = models.PositiveBigIntegerField(default=0)
    paid_idr = models.PositiveBigIntegerField(default=0)
    refunded_idr = models.PositiveBigIntegerField(default=0)
    made_to_order = models.BooleanField(default=False)
    expected_ready_on = models.DateField(null=True, blank=True)
    expires_at = models.DateTimeField()
    needs_refund = models.BooleanField(default=False)
    sale = models.OneToOneField("sales.Sale", on_delete=models.PROTECT, null=True, blank=True, related_name="order")
    # The entry by which the buyer's money paid for the sale (reversed if a paid order is cancelled).
    settlement_entry = models.OneToOneField(
        "ledger.JournalEntry", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The paperwork printed for the order (orders.paperwork), issued once and printed again as often as needed.
    packing_document = models.OneToOneField(
        "documents.Document", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    invoice_document = models.OneToOneField(
        "documents.Document", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    receipt_document = models.OneToOneField(
        "documents.Document", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        indexes = [
            models.Index(fields=["organization", "status", "-created_at"], name="order_org_status"),
            models.Index(fields=["status", "expires_at"], name="order_status_expiry"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(unique_code_idr__lte=999), name="order_unique_code_three_digits"),
            models.CheckConstraint(condition=Q(refunded_idr__lte=F("paid_idr")), name="order_refund_within_paid"),
            models.CheckConstraint(
                condition=Q(fulfillment="PICKUP") | (~Q(province="") & ~Q(address="")),
                name="order_delivery_has_address",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def total_idr(self) -> int:
        """What the buyer owes: the goods, the shipping fee once known, and the unique code."""
        return self.goods_idr + (self.shipping_idr or 0) + self.unique_code_idr

    @property
    def shipping_pending(self) -> bool:
        return self.fulfillment == Fulfillment.DELIVERY and self.shipping_idr is None

    @property
    def due_now_idr(self) -> int:
        """What must be paid now: the down payment of a made-to-order order, else the whole total."""
        return self.deposit_idr if self.made_to_order else self.total_idr

    @property
    def balance_idr(self) -> int:
        """The total less what has been paid (never below zero)."""
        return max(self.total_idr - (self.paid_idr - self.refunded_idr), 0)

    @property
    def reference(self) -> str:
        """What its stock reservations are held under (the token: it exists before the number is taken)."""
        return f"order:{self.token}"

    @property
    def still_due_idr(self) -> int:
        """What the buyer should pay now, less what they have paid already."""
        return max(self.due_now_idr - (self.paid_idr - self.refunded_idr), 0)


class OrderLine(models.Model):
    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="+")
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="lines")
    variant = models.ForeignKey("catalog.Variant", on_delete=models.PROTECT, related_name="+")
    # What the buyer saw when ordering, kept as it was.
    sku = models.CharField(max_length=40)
    product_name = models.CharField(max_length=200)
    variant_name = models.CharField(max_length=120, blank=True)
    quantity = models.PositiveIntegerField()
    unit_price_idr = models.PositiveBigIntegerField()
    weight_grams = models.PositiveIntegerField(default=0)
    made_to_order = models.BooleanField(default=False)
    deposit_percent = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="order_line_quantity_positive"),
            models.CheckConstraint(condition=Q(unit_price_idr__gt=0), name="order_line_price_positive"),
            models.CheckConstraint(condition=Q(deposit_percent__lte=100), name="order_line_deposit_percent"),
        ]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.quantity} × {self.sku}"

    @property
    def total_idr(self) -> int:
        return self.quantity * self.unit_price_idr


class Payment(models.Model):
    """Money in (a payment, possibly a down payment) or out (a refund) for an order."""

    class Kind(models.TextChoices):
        PAYMENT = "PAYMENT", _("Payment")
        REFUND = "REFUND", _("Refund")

    class Method(models.TextChoices):
        TRANSFER = "TRANSFER", _("Bank transfer")
        QRIS = "QRIS", _("QRIS")
        CASH = "CASH", _("Cash")

    class Status(models.TextChoices):
        SUBMITTED = "SUBMITTED", _("Proof to check")
        CONFIRMED = "CONFIRMED", _("Confirmed")
        REJECTED = "REJECTED", _("Rejected")

    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="+")
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="payments")
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.PAYMENT)
    method = models.CharField(_("method"), max_length=10, choices=Method.choices)
    provider = models.CharField(max_length=20, default="manual")
    provider_reference = models.CharField(max_length=100, blank=True)
    # The amount the buyer says they sent (a proof) or staff recorded; set when confirmed.
    amount_idr = models.PositiveBigIntegerField(_("amount"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    # Kept out of the public media (core/storage.py): the desk streams it to the seller's staff only.
    proof = models.FileField(
        _("proof of payment"), upload_to="payment-proofs/%Y/%m/", storage=private_files, blank=True
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    entry = models.OneToOneField(
        "ledger.JournalEntry", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_idr__gt=0), name="payment_amount_positive"),
            models.CheckConstraint(
                condition=~Q(status="CONFIRMED") | Q(entry__isnull=False), name="payment_confirmed_is_posted"
            ),
            # A gateway resends its notifications: each of its transactions is recorded once.
            models.UniqueConstraint(
                fields=["provider", "provider_reference", "kind"],
                condition=~Q(provider="manual") & ~Q(provider_reference=""),
                name="payment_gateway_reference_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount_idr} for {self.order_id}"


class OrderEvent(models.Model):
    """One step of an order's timeline, shown to the buyer unless ``internal``."""

    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="+")
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="events")

    class Kind(models.TextChoices):
        PLACED = "PLACED", _("Order placed")
        PROOF = "PROOF", _("Proof of payment sent")
        PAYMENT = "PAYMENT", _("Payment confirmed")
        PAYMENT_REJECTED = "PAYMENT_REJECTED", _("Payment not accepted")
        SHIPPING_SET = "SHIPPING_SET", _("Shipping fee set")
        STATUS = "STATUS", _("Status changed")
        LATE_PAYMENT = "LATE_PAYMENT", _("Paid after expiry")
        REFUND = "REFUND", _("Refund")
        CANCELLED = "CANCELLED", _("Cancelled")
        EXPIRED = "EXPIRED", _("Expired")
        NOTE = "NOTE", _("Note")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    # The order's status after this step.
    status = models.CharField(max_length=20, choices=Order.Status.choices)
    # Amounts, courier, resi, reasons: rendered in the reader's language by orders.timeline.
    params = models.JSONField(default=dict, blank=True)
    internal = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.status}"


class IdempotencyRecord(models.Model):
    """A request that must not be carried out twice (a checkout): its key, a hash of its body, its answer.

    Like a payment API's: the same key with the same body gets the stored answer again; the same key
    with another body is refused. Kept for ``IDEMPOTENCY_TTL`` at least. Not a business row: a cart may
    span several sellers, so it has no organization, and it holds only order numbers and tokens.
    """

    scope = models.CharField(max_length=20)
    key = models.CharField(max_length=100)
    request_hash = models.CharField(max_length=64)
    response = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="idempotency_unique_key")]
        indexes = [models.Index(fields=["expires_at"], name="idempotency_expiry")]

    def __str__(self) -> str:
        return f"{self.scope}:{self.key}"
