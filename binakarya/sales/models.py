"""Sales from every channel, traced to the lots (and so the makers) they consumed."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    WEB = "WEB", _("Web order")
    WHATSAPP = "WHATSAPP", _("WhatsApp order")
    POS = "POS", _("Point of sale")
    OUTLET = "OUTLET", _("Outlet sell-through report")
    INSTITUTIONAL = "INSTITUTIONAL", _("Institutional order")
    EXPORT = "EXPORT", _("Export order")
    MARKETPLACE = "MARKETPLACE", _("Marketplace or social media")
    DIRECT = "DIRECT", _("Direct order at the facility")


class Sale(models.Model):
    class Status(models.TextChoices):
        POSTED = "POSTED", _("Posted")
        PARTLY_REVERSED = "PARTLY_REVERSED", _("Partly returned")
        REVERSED = "REVERSED", _("Returned or cancelled")

    # sale_org_time leads with the organization: a second index on it alone would only cost writes.
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="sales", db_index=False
    )
    number = models.CharField(_("number"), max_length=30, unique=True)
    channel = models.CharField(_("channel"), max_length=14, choices=Channel.choices)
    location = models.ForeignKey("inventory.Location", on_delete=models.PROTECT, related_name="sales")
    buyer = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    buyer_name = models.CharField(_("buyer"), max_length=200, blank=True)
    occurred_at = models.DateTimeField(_("sold at"))
    gross_idr = models.PositiveBigIntegerField()
    commission_idr = models.PositiveBigIntegerField(default=0)
    premi_idr = models.PositiveBigIntegerField(default=0)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.POSTED)
    entry = models.OneToOneField("ledger.JournalEntry", on_delete=models.PROTECT, related_name="sale")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["organization", "occurred_at"], name="sale_org_time")]
        constraints = [
            models.CheckConstraint(condition=Q(commission_idr__lte=F("gross_idr")), name="sale_commission_within_gross")
        ]

    def __str__(self) -> str:
        return self.number


class SaleLine(models.Model):
    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="+")
    sale = models.ForeignKey(Sale, on_delete=models.PROTECT, related_name="lines")
    variant = models.ForeignKey("catalog.Variant", on_delete=models.PROTECT, related_name="+")
    lot = models.ForeignKey("production.Lot", on_delete=models.PROTECT, related_name="sale_lines")
    quantity = models.PositiveIntegerField()
    unit_price_idr = models.PositiveBigIntegerField()
    commission_idr = models.PositiveBigIntegerField(default=0)
    # The version of the split rule this line was posted with (rules are effective-dated).
    split_rule = models.ForeignKey("ledger.SplitRule", on_delete=models.PROTECT, related_name="+")
    returned_quantity = models.PositiveIntegerField(default=0)
    # Why the unit price is far from the catalog price (sales.pricing); empty for a usual price.
    price_reason = models.CharField(_("reason for the price"), max_length=200, blank=True, default="")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="sale_line_quantity_positive"),
            models.CheckConstraint(condition=Q(unit_price_idr__gt=0), name="sale_line_price_positive"),
            models.CheckConstraint(condition=Q(returned_quantity__lte=F("quantity")), name="sale_line_return_within"),
        ]

    def __str__(self) -> str:
        return f"{self.sale_id}: {self.quantity} × {self.variant_id} from {self.lot_id}"

    @property
    def total_idr(self) -> int:
        return self.quantity * self.unit_price_idr


class SaleReturn(models.Model):
    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="+")
    sale = models.ForeignKey(Sale, on_delete=models.PROTECT, related_name="returns")
    entry = models.OneToOneField("ledger.JournalEntry", on_delete=models.PROTECT, related_name="sale_return")
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    occurred_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]

    def __str__(self) -> str:
        return f"return of {self.sale_id}"


class SaleReturnLine(models.Model):
    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="+")
    sale_return = models.ForeignKey(SaleReturn, on_delete=models.PROTECT, related_name="lines")
    sale_line = models.ForeignKey(SaleLine, on_delete=models.PROTECT, related_name="return_lines")
    quantity = models.PositiveIntegerField()

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(quantity__gt=0), name="return_line_positive")]

    def __str__(self) -> str:
        return f"{self.sale_line_id} × {self.quantity}"
