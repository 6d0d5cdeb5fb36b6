from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from binakarya.core.models import AppendOnlyModel, TimeStampedModel


class Location(TimeStampedModel):
    """Where stock sits: a facility's store or showroom, a consignment outlet, or in transit."""

    class Kind(models.TextChoices):
        STORE = "STORE", _("Store")
        SHOWROOM = "SHOWROOM", _("Showroom")
        OUTLET = "OUTLET", _("Outlet (consignment)")
        TRANSIT = "TRANSIT", _("In transit")
        EVENT = "EVENT", _("Event (bazaar, exhibition)")
        BUYER = "BUYER", _("At a buyer, awaiting handover")

    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="locations")
    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    outlet = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("outlet"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consigned_locations",
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["organization", "kind", "name"]
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="OUTLET", outlet__isnull=False) | (~Q(kind="OUTLET") & Q(outlet__isnull=True)),
                name="location_outlet_iff_kind_outlet",
            ),
            models.UniqueConstraint(
                fields=["organization"], condition=Q(kind="TRANSIT"), name="location_one_transit_per_org"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class MovementKind(models.TextChoices):
    PRODUCED = "PRODUCED", _("Produced")
    TRANSFER_OUT = "TRANSFER_OUT", _("Transferred out")
    TRANSFER_IN = "TRANSFER_IN", _("Transferred in")
    SOLD = "SOLD", _("Sold")
    RETURNED = "RETURNED", _("Returned")
    DAMAGED = "DAMAGED", _("Damaged")
    ADJUSTED = "ADJUSTED", _("Adjusted")
    COUNTED = "COUNTED", _("Counted (stock opname)")
    REVERSAL = "REVERSAL", _("Reversal")


class StockMovement(AppendOnlyModel):
    """One append-only change of stock of a lot at a location (positive in, negative out).

    Rows are never updated or deleted: database triggers refuse it (see inventory/migrations/0002_stock_triggers),
    and the same triggers add each movement to its StockBalance in the same transaction. A mistake
    is corrected with a REVERSAL movement that points at the one it cancels.
    """

    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="+")
    # movement_variant_time and movement_lot_location lead with these: no index of their own.
    variant = models.ForeignKey("catalog.Variant", on_delete=models.PROTECT, related_name="+", db_index=False)
    lot = models.ForeignKey("production.Lot", on_delete=models.PROTECT, related_name="movements", db_index=False)
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="movements")
    kind = models.CharField(max_length=12, choices=MovementKind.choices)
    quantity = models.IntegerField()
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    transfer = models.ForeignKey(
        "inventory.Transfer", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    stock_count = models.ForeignKey(
        "inventory.StockCount", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reverses = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversed_by")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(AppendOnlyModel.Meta):
        ordering = ["id"]
        indexes = [
            models.Index(fields=["lot", "location"], name="movement_lot_location"),
            models.Index(fields=["variant", "-created_at"], name="movement_variant_time"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(quantity=0), name="movement_quantity_nonzero"),
            models.CheckConstraint(
                condition=~Q(kind="ADJUSTED") | ~Q(reason=""), name="movement_adjustment_has_reason"
            ),
            models.CheckConstraint(
                condition=(Q(kind="REVERSAL") & Q(reverses__isnull=False))
                | (~Q(kind="REVERSAL") & Q(reverses__isnull=True)),
                name="movement_reversal_points_back",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.quantity:+d} {self.lot_id}@{self.location_id}"


class StockBalance(models.Model):
    """Units of one lot at one location: always the sum of its movements, never below zero.

    Maintained by the database trigger on StockMovement inserts; code only reads and locks it.
    """

    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="+")
    variant = models.ForeignKey("catalog.Variant", on_delete=models.PROTECT, related_name="balances")
    lot = models.ForeignKey("production.Lot", on_delete=models.PROTECT, related_name="balances")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="balances")
    quantity = models.IntegerField(default=0)
    # When stock last arrived here: the start of "days at the current location".
    arrived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["variant", "location"], name="balance_variant_location")]
        constraints = [
            models.UniqueConstraint(fields=["lot", "location"], name="balance_one_per_lot_location"),
            models.CheckConstraint(condition=Q(quantity__gte=0), name="balance_never_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.lot_id}@{self.location_id}: {self.quantity}"


class Transfer(TimeStampedModel):
    """Stock sent from one location to another with a surat jalan, confirmed by the receiver."""

    class Status(models.TextChoices):
        IN_TRANSIT = "IN_TRANSIT", _("In transit")
        RECEIVED = "RECEIVED", _("Received")
        DISCREPANCY = "DISCREPANCY", _("Received with a discrepancy")

    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="transfers")
    number = models.CharField(_("number"), max_length=30, unique=True)
    from_location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="transfers_out")
    to_location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="transfers_in")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.IN_TRANSIT)
    note = models.CharField(_("note"), max_length=200, blank=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    received_at = models.DateTimeField(null=True, blank=True)
    document = models.OneToOneField(
        "documents.Document", on_delete=models.PROTECT, null=True, blank=True, related_name="transfer"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        constraints = [
            models.CheckConstraint(condition=~Q(from_location=models.F("to_location")), name="transfer_distinct_ends"),
        ]

    def __str__(self) -> str:
        return self.number


class TransferLine(models.Model):
    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="+")
    transfer = models.ForeignKey(Transfer, on_delete=models.PROTECT, related_name="lines")
    variant = models.ForeignKey("catalog.Variant", on_delete=models.PROTECT, related_name="+")
    lot = models.ForeignKey("production.Lot", on_delete=models.PROTECT, related_name="+")
    quantity_sent = models.PositiveIntegerField()
    quantity_received = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity_sent__gt=0), name="transfer_line_sent_positive"),
            models.CheckConstraint(
                condition=Q(quantity_received__isnull=True) | Q(quantity_received__lte=models.F("quantity_sent")),
                name="transfer_line_received_within_sent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.transfer_id}: {self.lot_id} × {self.quantity_sent}"

    @property
    def discrepancy(self) -> int | None:
        return None if self.quantity_received is None else self.quantity_sent - self.quantity_received


class StockCount(TimeStampedModel):
    """A stock opname at one location: counted quantities against the book, variance posted."""

    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="+")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="counts")
    counted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("stock count")
        verbose_name_plural = _("stock counts")

    def __str__(self) -> str:
        return f"{self.location_id} @ {self.created_at:%Y-%m-%d}"


class StockCountLine(models.Model):
    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="+")
    stock_count = models.ForeignKey(StockCount, on_delete=models.PROTECT, related_name="lines")
    lot = models.ForeignKey("production.Lot", on_delete=models.PROTECT, related_name="+")
    book_quantity = models.IntegerField()
    counted_quantity = models.PositiveIntegerField()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.lot_id}: {self.book_quantity} → {self.counted_quantity}"

    @property
    def variance(self) -> int:
        return self.counted_quantity - self.book_quantity


class Reservation(models.Model):
    """Units of a variant at a location held for an order until it is paid, cancelled or expires.

    A reservation names no lot: the units are taken first in, first out when the sale is recorded.
    Available stock is what a location holds less its ACTIVE reservations that have not expired.
    """

    class Status(models.TextChoices):
        ACTIVE = "ACTIVE", _("Active")
        RELEASED = "RELEASED", _("Released")
        CONSUMED = "CONSUMED", _("Sold")

    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="+")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="reservations")
    variant = models.ForeignKey("catalog.Variant", on_delete=models.PROTECT, related_name="reservations")
    quantity = models.PositiveIntegerField()
    # Who holds it, e.g. "order:WEB-2026-000012": the order (or other document) that releases or consumes it.
    reference = models.CharField(max_length=60)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    expires_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(
                fields=["location", "variant", "expires_at"],
                condition=Q(status="ACTIVE"),
                name="reservation_active",
            ),
            models.Index(fields=["reference"], name="reservation_reference"),
        ]
        constraints = [models.CheckConstraint(condition=Q(quantity__gt=0), name="reservation_quantity_positive")]

    def __str__(self) -> str:
        return f"{self.reference}: {self.quantity} × {self.variant_id}@{self.location_id}"
