"""Consignment (titip jual): a seller's agreement with an outlet, the goods placed there, and its sales.

The seller (a facility or an UMKM producer) is ``organization`` on every row; the outlet (an
Organization of kind OUTLET: a gerai, a shop, a hotel, a tourist site) holds the goods at the seller's
OUTLET-kind Location that names it. Stock moves through inventory transfers and a sale through
``sales.services.sale_record``: nothing here writes a movement or a journal line.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from binakarya.core.models import TimeStampedModel
from binakarya.core.storage import private_files

BASIS_POINTS = 10_000  # 100.00 %, as ledger split rules count
PAYMENT_DAYS_MIN, PAYMENT_DAYS_MAX = 1, 90
REVIEW_MONTHS_MIN, REVIEW_MONTHS_MAX = 4, 6


class Agreement(TimeStampedModel):
    """A consignment agreement between a seller and an outlet: commission, prices, settlement and review."""

    class CommissionMode(models.TextChoices):
        PERCENT = "PERCENT", _("Percentage of the selling price")
        PER_PRODUCT = "PER_PRODUCT", _("Amount per product")

    class PriceMode(models.TextChoices):
        CATALOG = "CATALOG", _("Catalog prices")
        AGREED = "AGREED", _("Agreed prices per product")

    class Period(models.TextChoices):
        WEEKLY = "WEEKLY", _("Weekly")
        MONTHLY = "MONTHLY", _("Monthly")

    class Party(models.TextChoices):
        OUTLET = "OUTLET", _("The outlet")
        SELLER = "SELLER", _("The seller")

    class Status(models.TextChoices):
        ACTIVE = "ACTIVE", _("Active")
        ENDED = "ENDED", _("Ended")

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="consignment_agreements"
    )
    outlet = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("outlet"),
        on_delete=models.PROTECT,
        related_name="consignment_agreements_held",
    )
    location = models.ForeignKey(
        "inventory.Location", verbose_name=_("location"), on_delete=models.PROTECT, related_name="+"
    )
    commission_mode = models.CharField(_("commission"), max_length=12, choices=CommissionMode.choices)
    commission_bp = models.PositiveIntegerField(_("commission (basis points)"), null=True, blank=True)
    price_mode = models.CharField(_("selling prices"), max_length=8, choices=PriceMode.choices)
    settlement_period = models.CharField(_("settlement period"), max_length=8, choices=Period.choices)
    payment_days = models.PositiveSmallIntegerField(_("days allowed for payment"))
    review_months = models.PositiveSmallIntegerField(_("review every (months)"))
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    signed_document = models.FileField(
        _("signed agreement (PDF)"), storage=private_files, upload_to="consignment/agreements/", blank=True
    )
    shortage_borne_by = models.CharField(_("shortages borne by"), max_length=6, choices=Party.choices)
    damage_borne_by = models.CharField(_("damage borne by"), max_length=6, choices=Party.choices)
    status = models.CharField(_("status"), max_length=6, choices=Status.choices, default=Status.ACTIVE)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = _("consignment agreement")
        verbose_name_plural = _("consignment agreements")
        constraints = [
            models.CheckConstraint(
                condition=Q(payment_days__gte=PAYMENT_DAYS_MIN, payment_days__lte=PAYMENT_DAYS_MAX),
                name="consignment_payment_days_range",
            ),
            models.CheckConstraint(
                condition=Q(review_months__gte=REVIEW_MONTHS_MIN, review_months__lte=REVIEW_MONTHS_MAX),
                name="consignment_review_months_range",
            ),
            models.CheckConstraint(
                condition=Q(commission_mode="PERCENT", commission_bp__isnull=False, commission_bp__lte=BASIS_POINTS)
                | Q(commission_mode="PER_PRODUCT", commission_bp__isnull=True),
                name="consignment_commission_by_mode",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="consignment_end_after_start",
            ),
            models.CheckConstraint(condition=~Q(organization=models.F("outlet")), name="consignment_outlet_not_seller"),
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} → {self.outlet_id} ({self.start_date})"


class AgreementTerm(models.Model):
    """One product's terms in an agreement: its agreed selling price and/or its commission per unit."""

    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="+")
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="terms")
    variant = models.ForeignKey("catalog.Variant", on_delete=models.PROTECT, related_name="+")
    agreed_price_idr = models.PositiveBigIntegerField(_("agreed price"), null=True, blank=True)
    commission_idr = models.PositiveBigIntegerField(_("commission per unit"), null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "variant"], name="consignment_term_one_per_variant"),
            models.CheckConstraint(
                condition=Q(agreed_price_idr__isnull=True) | Q(agreed_price_idr__gt=0),
                name="consignment_term_price_positive",
            ),
            models.CheckConstraint(
                condition=Q(agreed_price_idr__isnull=True)
                | Q(commission_idr__isnull=True)
                | Q(commission_idr__lte=models.F("agreed_price_idr")),
                name="consignment_term_commission_within_price",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement_id}: {self.variant_id}"


class Placement(TimeStampedModel):
    """Goods placed at the outlet: an inventory transfer whose surat jalan is the tanda terima titipan."""

    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="+")
    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="placements")
    transfer = models.OneToOneField("inventory.Transfer", on_delete=models.PROTECT, related_name="placement")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("placement")
        verbose_name_plural = _("placements")

    def __str__(self) -> str:
        return f"{self.agreement_id}: {self.transfer_id}"


class PlacementLine(models.Model):
    """The units of one product placed and the price they are to sell at."""

    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="+")
    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="lines")
    variant = models.ForeignKey("catalog.Variant", on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField()
    unit_price_idr = models.PositiveBigIntegerField()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="consignment_placement_quantity_positive"),
            models.CheckConstraint(condition=Q(unit_price_idr__gt=0), name="consignment_placement_price_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.placement_id}: {self.variant_id} × {self.quantity}"


class ConsignmentSale(models.Model):
    """A sale recorded for an agreement (by the outlet's partner or the seller's staff), and who recorded it."""

    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="+")
    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="sales")
    sale = models.OneToOneField("sales.Sale", on_delete=models.PROTECT, related_name="consignment")
    sold_date = models.DateField(_("sold on"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sold_date", "-id"]
        verbose_name = _("consignment sale")
        verbose_name_plural = _("consignment sales")

    def __str__(self) -> str:
        return f"{self.agreement_id}: {self.sale_id}"


class ConsignmentPayment(models.Model):
    """Money the outlet paid for the goods it sold under an agreement, with its journal entry."""

    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="+")
    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="payments")
    amount_idr = models.PositiveBigIntegerField(_("amount"))
    paid_date = models.DateField(_("paid on"))
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    entry = models.OneToOneField("ledger.JournalEntry", on_delete=models.PROTECT, related_name="consignment_payment")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-paid_date", "-id"]
        verbose_name = _("consignment payment")
        verbose_name_plural = _("consignment payments")
        constraints = [models.CheckConstraint(condition=Q(amount_idr__gt=0), name="consignment_payment_positive")]

    def __str__(self) -> str:
        return f"{self.agreement_id}: {self.amount_idr} ({self.paid_date})"


class ConsignmentStatement(models.Model):
    """A statement issued for a period of an agreement: its document (with a verification code), its
    totals as issued, and the day its balance is due."""

    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="+")
    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="statements")
    document = models.OneToOneField(
        "documents.Document", on_delete=models.PROTECT, related_name="consignment_statement"
    )
    date_from = models.DateField(_("from"))
    date_to = models.DateField(_("to"))
    due_date = models.DateField(_("due on"))
    gross_idr = models.PositiveBigIntegerField()
    commission_idr = models.PositiveBigIntegerField()
    net_idr = models.PositiveBigIntegerField()
    previous_balance_idr = models.BigIntegerField()
    paid_idr = models.PositiveBigIntegerField()
    balance_idr = models.BigIntegerField()
    # The lines and payments as issued ({"lines": [...], "payments": [...]}): the statement is printed again
    # exactly as both sides received it, whatever is returned or paid later.
    snapshot = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        ordering = ["-date_to", "-id"]
        verbose_name = _("consignment statement")
        verbose_name_plural = _("consignment statements")
        constraints = [
            models.CheckConstraint(condition=Q(date_to__gte=models.F("date_from")), name="consignment_statement_dates"),
            # One statement per period of an agreement (services.consignment_statement_issue names the existing one).
            models.UniqueConstraint(
                fields=["agreement", "date_from", "date_to"], name="consignment_statement_one_per_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement_id}: {self.date_from}–{self.date_to}"


# Returns, damage and counts at the outlet (issue 12, piece RETURNS) ---------------------------------


class ConsignmentReturn(models.Model):
    """Goods brought back from the outlet to a seller location: a RETURN (the outlet hands them back) or a
    RECALL (the seller takes them back). The inventory transfer moves the units; its surat jalan (with a
    verification code) is the return's document. Append-only except ``received_by``/``received_at``."""

    class Kind(models.TextChoices):
        RETURN = "RETURN", _("Return by the outlet")
        RECALL = "RECALL", _("Recall by the seller")

    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="+")
    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="returns")
    kind = models.CharField(_("kind"), max_length=6, choices=Kind.choices)
    transfer = models.OneToOneField("inventory.Transfer", on_delete=models.PROTECT, related_name="consignment_return")
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    received_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("consignment return")
        verbose_name_plural = _("consignment returns")

    def __str__(self) -> str:
        return f"{self.agreement_id}: {self.kind} {self.transfer_id}"


class ConsignmentReturnLine(models.Model):
    """The units of one lot brought back, at the price they were to sell at."""

    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="+")
    consignment_return = models.ForeignKey(ConsignmentReturn, on_delete=models.CASCADE, related_name="lines")
    variant = models.ForeignKey("catalog.Variant", on_delete=models.PROTECT, related_name="+")
    lot = models.ForeignKey("production.Lot", on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField()
    unit_price_idr = models.PositiveBigIntegerField()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="consignment_return_quantity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.consignment_return_id}: {self.lot_id} × {self.quantity}"


class DamageRecord(models.Model):
    """Units found damaged at the outlet and what became of them: charged to the outlet as a sale (``sale``)
    or written off by the seller (``movement``, a DAMAGED stock movement). Append-only."""

    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="+")
    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="damages")
    variant = models.ForeignKey("catalog.Variant", on_delete=models.PROTECT, related_name="+")
    lot = models.ForeignKey("production.Lot", on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField()
    note = models.CharField(_("note"), max_length=200, blank=True)
    borne_by = models.CharField(_("borne by"), max_length=6, choices=Agreement.Party.choices)
    sale = models.ForeignKey(ConsignmentSale, on_delete=models.PROTECT, null=True, blank=True, related_name="damages")
    movement = models.OneToOneField(
        "inventory.StockMovement", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        verbose_name = _("damage at the outlet")
        verbose_name_plural = _("damage at the outlet")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="consignment_damage_quantity_positive"),
            models.CheckConstraint(
                condition=Q(sale__isnull=False, movement__isnull=True) | Q(sale__isnull=True, movement__isnull=False),
                name="consignment_damage_sale_or_movement",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement_id}: {self.lot_id} × {self.quantity}"


class OutletCount(models.Model):
    """A count (stock opname) at the outlet: the shortage charged as a sale (``sale``) or written off, and a
    surplus adjusted in, both through ``stock_count`` (COUNTED movements). Append-only."""

    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="+")
    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="counts")
    counted_date = models.DateField(_("counted on"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    shortage_borne_by = models.CharField(_("shortages borne by"), max_length=6, choices=Agreement.Party.choices)
    sale = models.OneToOneField(
        ConsignmentSale, on_delete=models.PROTECT, null=True, blank=True, related_name="outlet_count"
    )
    stock_count = models.OneToOneField(
        "inventory.StockCount", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    shortage_units = models.PositiveIntegerField(default=0)
    surplus_units = models.PositiveIntegerField(default=0)
    charged_idr = models.PositiveBigIntegerField(default=0)
    counted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-counted_date", "-id"]
        verbose_name = _("count at the outlet")
        verbose_name_plural = _("counts at the outlet")

    def __str__(self) -> str:
        return f"{self.agreement_id}: {self.counted_date}"


class OutletCountLine(models.Model):
    """One lot counted at the outlet: the book, the count and what was done with the difference."""

    class Outcome(models.TextChoices):
        MATCH = "MATCH", _("As on the book")
        CHARGED = "CHARGED", _("Shortage charged to the outlet")
        WRITTEN_OFF = "WRITTEN_OFF", _("Shortage written off")
        ADJUSTED_IN = "ADJUSTED_IN", _("Surplus adjusted in")

    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="+")
    count = models.ForeignKey(OutletCount, on_delete=models.CASCADE, related_name="lines")
    variant = models.ForeignKey("catalog.Variant", on_delete=models.PROTECT, related_name="+")
    lot = models.ForeignKey("production.Lot", on_delete=models.PROTECT, related_name="+")
    book_quantity = models.PositiveIntegerField()
    counted_quantity = models.PositiveIntegerField()
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.count_id}: {self.lot_id} {self.book_quantity}→{self.counted_quantity}"

    @property
    def variance(self) -> int:
        return self.counted_quantity - self.book_quantity


class ConsignmentImport(models.Model):
    """A till CSV imported for an agreement, known by its SHA-256: the same file is never imported twice (a
    second tap on a slow phone, the same file sent again)."""

    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="+")
    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="imports")
    sha256 = models.CharField(max_length=64)
    file_name = models.CharField(max_length=200, blank=True)
    imported_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    first_number = models.CharField(max_length=40, blank=True)
    last_number = models.CharField(max_length=40, blank=True)

    class Meta:
        verbose_name = _("imported till file")
        verbose_name_plural = _("imported till files")
        constraints = [models.UniqueConstraint(fields=["agreement", "sha256"], name="consignment_import_once")]

    def __str__(self) -> str:
        return f"{self.agreement_id}: {self.file_name or self.sha256[:12]}"
