"""Export buyers (issue 13): a buyer abroad's inquiry, the seller's pro-forma invoice and packing list, and the
checklist of what a certificate of origin (SKA / e-SKA) needs. See docs/export.md.

Rupiah stays the currency of record: every amount is stored as integer rupiah (``*_idr``) and, beside it, the
amount in the pro-forma's currency computed from the stored rate (``*_foreign``, a Decimal to cents; whole yen).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from binakarya.core.models import TimeStampedModel


class Incoterm(models.TextChoices):
    """The Incoterms 2020 rules a buyer may prefer; each names a place (``named place`` in the rules)."""

    EXW = "EXW", _("EXW: Ex Works (the buyer collects at the seller's place)")
    FOB = "FOB", _("FOB: Free On Board (port of shipment in Indonesia)")
    CIF = "CIF", _("CIF: Cost, Insurance and Freight (port of destination)")


class Currency(models.TextChoices):
    """What a pro-forma invoice is priced in: a currency staff enter a rate for, or rupiah itself."""

    USD = "USD", _("US dollar")
    EUR = "EUR", _("Euro")
    SGD = "SGD", _("Singapore dollar")
    JPY = "JPY", _("Japanese yen")
    IDR = "IDR", _("Indonesian rupiah")


class ExporterSettings(TimeStampedModel):
    """What a seller's export documents need about the seller itself: its business registration (NIB, from
    OSS) and tax number (NPWP), which the SKA checklist asks for, and the bank a buyer pays by T/T."""

    organization = models.OneToOneField(
        "organizations.Organization", on_delete=models.PROTECT, related_name="exporter_settings"
    )
    nib = models.CharField(_("NIB (business identification number)"), max_length=13, blank=True)
    npwp = models.CharField(_("NPWP (tax number)"), max_length=16, blank=True)
    bank_name = models.CharField(_("bank"), max_length=100, blank=True)
    bank_account_name = models.CharField(_("account name"), max_length=120, blank=True)
    bank_account_number = models.CharField(_("account number"), max_length=40, blank=True)
    swift_code = models.CharField(_("SWIFT code"), max_length=11, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("exporter settings")
        verbose_name_plural = _("exporter settings")

    def __str__(self) -> str:
        return f"{self.organization_id}: NIB {self.nib or '-'}"


class ExportInquiry(TimeStampedModel):
    """A buyer abroad asks one seller for an export quote: products and quantities, destination, Incoterm."""

    class Status(models.TextChoices):
        NEW = "NEW", _("New")
        QUOTED = "QUOTED", _("Quoted (pro-forma issued)")
        CONFIRMED = "CONFIRMED", _("Confirmed (the buyer ordered)")
        SHIPPED = "SHIPPED", _("Shipped")
        CLOSED = "CLOSED", _("Closed")

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="export_inquiries"
    )
    number = models.CharField(_("number"), max_length=40, unique=True)
    # The buyer's secret link to their inquiry and its documents (/ekspor/dokumen/<token>/).
    token = models.CharField(max_length=40, unique=True)
    company = models.CharField(_("company"), max_length=200)
    contact_name = models.CharField(_("contact name"), max_length=120)
    contact_email = models.EmailField(_("email"))
    contact_phone = models.CharField(_("phone"), max_length=40, blank=True)
    country = models.CharField(_("destination country"), max_length=2)
    incoterm = models.CharField(_("Incoterm"), max_length=3, choices=Incoterm.choices)
    place = models.CharField(_("named port or place"), max_length=200)
    note = models.TextField(_("note"), blank=True)
    language = models.CharField(max_length=8, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.NEW)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("export inquiry")
        verbose_name_plural = _("export inquiries")

    def __str__(self) -> str:
        return self.number


class ExportInquiryLine(models.Model):
    inquiry = models.ForeignKey(ExportInquiry, on_delete=models.CASCADE, related_name="lines")
    variant = models.ForeignKey("catalog.Variant", on_delete=models.PROTECT, related_name="+")
    description = models.CharField(_("description"), max_length=300)
    quantity = models.PositiveIntegerField(_("quantity"))

    class Meta:
        ordering = ["pk"]
        constraints = [models.CheckConstraint(condition=Q(quantity__gt=0), name="export_line_quantity_positive")]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.description}"


class Proforma(TimeStampedModel):
    """A pro-forma invoice for an inquiry: the seller's priced offer abroad, in rupiah and in ``currency`` at the
    stored rate, with weights and volume from the products' export data. Its packing list is issued with it."""

    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="proformas")
    inquiry = models.ForeignKey(ExportInquiry, on_delete=models.PROTECT, related_name="proformas")
    document = models.OneToOneField("documents.Document", on_delete=models.PROTECT, related_name="proforma")
    number = models.CharField(_("number"), max_length=40, unique=True)
    issued_on = models.DateField(_("date"))
    valid_days = models.PositiveSmallIntegerField(_("valid for (days)"))
    valid_until = models.DateField(_("valid until"))
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices)
    # The staff-entered rate used (none for rupiah); its value and date are kept here as printed.
    exchange_rate = models.ForeignKey(
        "catalog.ExchangeRate", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    idr_per_unit = models.DecimalField(_("rupiah per unit"), max_digits=12, decimal_places=2)
    rate_date = models.DateField(_("rate of"), null=True, blank=True)
    incoterm = models.CharField(_("Incoterm"), max_length=3, choices=Incoterm.choices)
    place = models.CharField(_("named port or place"), max_length=200)
    payment_terms = models.TextField(_("payment terms"))
    subtotal_idr = models.PositiveBigIntegerField(_("goods (Rp)"))
    freight_idr = models.PositiveBigIntegerField(_("freight (Rp)"), default=0)
    insurance_idr = models.PositiveBigIntegerField(_("insurance (Rp)"), default=0)
    total_idr = models.PositiveBigIntegerField(_("total (Rp)"))
    subtotal_foreign = models.DecimalField(max_digits=18, decimal_places=2)
    freight_foreign = models.DecimalField(max_digits=18, decimal_places=2, default=0)
    insurance_foreign = models.DecimalField(max_digits=18, decimal_places=2, default=0)
    total_foreign = models.DecimalField(max_digits=18, decimal_places=2)
    packages = models.PositiveIntegerField(_("packages"))
    net_weight_grams = models.PositiveBigIntegerField(_("net weight (g)"))
    gross_weight_grams = models.PositiveBigIntegerField(_("gross weight (g)"))
    volume_mm3 = models.PositiveBigIntegerField(_("volume (mm³)"))
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("pro-forma invoice")
        verbose_name_plural = _("pro-forma invoices")
        constraints = [
            models.CheckConstraint(condition=Q(idr_per_unit__gt=0), name="proforma_rate_positive"),
            models.CheckConstraint(
                condition=Q(total_idr=F("subtotal_idr") + F("freight_idr") + F("insurance_idr")),
                name="proforma_total_adds_up",
            ),
            models.CheckConstraint(
                condition=Q(gross_weight_grams__gte=F("net_weight_grams")), name="proforma_gross_not_below_net"
            ),
        ]

    def __str__(self) -> str:
        return self.number


class ProformaLine(models.Model):
    """A priced line with its HS code and what it packs into: one unit per package (the export data describe
    one packed unit: its net and gross weight and its package's dimensions)."""

    proforma = models.ForeignKey(Proforma, on_delete=models.CASCADE, related_name="lines")
    variant = models.ForeignKey("catalog.Variant", on_delete=models.PROTECT, related_name="+")
    description = models.CharField(_("description"), max_length=300)
    hs_code = models.CharField(_("HS code"), max_length=12)
    quantity = models.PositiveIntegerField(_("quantity"))
    unit_price_idr = models.PositiveBigIntegerField(_("unit price (Rp)"))
    amount_idr = models.PositiveBigIntegerField(_("amount (Rp)"))
    unit_price_foreign = models.DecimalField(max_digits=18, decimal_places=2)
    amount_foreign = models.DecimalField(max_digits=18, decimal_places=2)
    units_per_package = models.PositiveIntegerField(default=1)
    packages = models.PositiveIntegerField(_("packages"))
    unit_net_grams = models.PositiveIntegerField()
    unit_gross_grams = models.PositiveIntegerField()
    length_mm = models.PositiveIntegerField()
    width_mm = models.PositiveIntegerField()
    height_mm = models.PositiveIntegerField()
    net_weight_grams = models.PositiveBigIntegerField()
    gross_weight_grams = models.PositiveBigIntegerField()
    volume_mm3 = models.PositiveBigIntegerField()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="proforma_line_quantity_positive"),
            models.CheckConstraint(condition=Q(units_per_package__gt=0), name="proforma_line_units_per_package"),
            models.CheckConstraint(
                condition=Q(amount_idr=F("quantity") * F("unit_price_idr")), name="proforma_line_amount"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.description}"


class PackingList(TimeStampedModel):
    """The packing list issued with a pro-forma invoice: its lines are the pro-forma's packing figures."""

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="packing_lists"
    )
    proforma = models.OneToOneField(Proforma, on_delete=models.PROTECT, related_name="packing_list")
    document = models.OneToOneField("documents.Document", on_delete=models.PROTECT, related_name="packing_list")
    number = models.CharField(_("number"), max_length=40, unique=True)
    issued_on = models.DateField(_("date"))

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("packing list")
        verbose_name_plural = _("packing lists")

    def __str__(self) -> str:
        return self.number


class ChecklistMark(models.Model):
    """A manual item of the SKA checklist that staff marked done, with its reference (a PEB number, a B/L)."""

    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="+")
    inquiry = models.ForeignKey(ExportInquiry, on_delete=models.CASCADE, related_name="checklist_marks")
    item = models.CharField(max_length=20)
    reference = models.CharField(_("reference"), max_length=200)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    marked_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["inquiry", "item"], name="checklist_mark_unique_item")]

    def __str__(self) -> str:
        return f"{self.inquiry_id} {self.item}: {self.reference}"


class ExportOrder(TimeStampedModel):
    """The buyer accepted a pro-forma invoice with their purchase order: the export order. The buyer pays by
    T/T before shipment (``payments``, in rupiah as the bank credited them, held for the buyer); once they cover
    the total the goods ship (``shipment``), and the sale is recorded then. One order per inquiry."""

    class Status(models.TextChoices):
        CONFIRMED = "CONFIRMED", _("Confirmed, awaiting payment")
        PAID = "PAID", _("Paid, ready to ship")
        SHIPPED = "SHIPPED", _("Shipped")

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="export_orders"
    )
    inquiry = models.OneToOneField(ExportInquiry, on_delete=models.PROTECT, related_name="order")
    proforma = models.OneToOneField(Proforma, on_delete=models.PROTECT, related_name="order")
    po_number = models.CharField(_("buyer's order number"), max_length=80)
    po_date = models.DateField(_("buyer's order date"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.CONFIRMED)
    # The pro-forma's total, the rupiah received (all payments) and what was received above the total.
    total_idr = models.PositiveBigIntegerField(_("total (Rp)"))
    paid_idr = models.PositiveBigIntegerField(_("received (Rp)"), default=0)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("export order")
        verbose_name_plural = _("export orders")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="SHIPPED") | Q(paid_idr__gte=F("total_idr")), name="export_order_shipped_paid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.proforma_id}: {self.po_number}"

    @property
    def due_idr(self) -> int:
        return max(self.total_idr - self.paid_idr, 0)


class ExportPayment(models.Model):
    """Money the buyer paid for an export order (a T/T), in rupiah as the bank credited it, with the amount in
    the pro-forma's currency and the bank's reference when known. Held for the buyer until the shipment."""

    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="+")
    order = models.ForeignKey(ExportOrder, on_delete=models.PROTECT, related_name="payments")
    received_on = models.DateField(_("received on"))
    amount_idr = models.PositiveBigIntegerField(_("amount (Rp)"))
    amount_foreign = models.DecimalField(_("amount in the currency"), max_digits=18, decimal_places=2, null=True)
    reference = models.CharField(_("reference"), max_length=120, blank=True)
    entry = models.OneToOneField("ledger.JournalEntry", on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["received_on", "pk"]
        verbose_name = _("export payment")
        verbose_name_plural = _("export payments")
        constraints = [
            models.CheckConstraint(condition=Q(amount_idr__gt=0), name="export_payment_positive"),
            models.CheckConstraint(
                condition=Q(amount_foreign__isnull=True) | Q(amount_foreign__gt=0),
                name="export_payment_foreign_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.amount_idr}"


class Shipment(TimeStampedModel):
    """The whole order shipped: the PEB (export declaration), the B/L or AWB, the vessel or flight and the store
    the goods left. Its sale (``sales.services.sale_record``, channel EXPORT) pays the makers' premi; the money
    held for the buyer pays for it (``settlement_entry``). Its commercial invoice is ``document`` (CI-…)."""

    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="+")
    order = models.OneToOneField(ExportOrder, on_delete=models.PROTECT, related_name="shipment")
    shipped_on = models.DateField(_("shipped on"))
    peb_number = models.CharField(_("PEB number"), max_length=60)
    transport_number = models.CharField(_("B/L or AWB number"), max_length=60)
    vessel = models.CharField(_("vessel or flight"), max_length=120)
    location = models.ForeignKey("inventory.Location", on_delete=models.PROTECT, related_name="+")
    sale = models.OneToOneField("sales.Sale", on_delete=models.PROTECT, related_name="+")
    settlement_entry = models.OneToOneField("ledger.JournalEntry", on_delete=models.PROTECT, related_name="+")
    # Rupiah received above the order's total (an exchange-rate gain), booked with the settlement.
    extra_idr = models.PositiveBigIntegerField(default=0)
    invoice_number = models.CharField(_("commercial invoice number"), max_length=40, unique=True)
    document = models.OneToOneField("documents.Document", on_delete=models.PROTECT, related_name="export_shipment")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-shipped_on", "-id"]
        verbose_name = _("export shipment")
        verbose_name_plural = _("export shipments")

    def __str__(self) -> str:
        return self.invoice_number
