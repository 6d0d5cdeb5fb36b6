"""Deals with agencies and bulk buyers (issue 13): which contract document a value needs, requests for
quotation, quotations, and the deal an accepted quotation becomes: its deliveries (surat jalan), handovers
(BAST), invoices and payments (docs/deals.md)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from binakarya.core.models import TimeStampedModel

BASIS_POINTS = 10_000


class ContractForm(models.TextChoices):
    """The contract document a purchase of goods needs (Perpres 16/2018 art. 28, as amended)."""

    PROOF_OF_PURCHASE = "PROOF_OF_PURCHASE", _("Proof of purchase (bukti pembelian)")
    KUITANSI = "KUITANSI", _("Receipt (kuitansi)")
    SPK = "SPK", _("Work order (SPK)")
    SURAT_PERJANJIAN = "SURAT_PERJANJIAN", _("Contract (surat perjanjian)")
    SURAT_PESANAN = "SURAT_PESANAN", _("Purchase order (surat pesanan)")


class ContractChannel(models.TextChoices):
    DIRECT = "DIRECT", _("Direct purchase")
    EPURCHASING = "EPURCHASING", _("E-purchasing or online shop")


class ContractFormRule(TimeStampedModel):
    """One step of the thresholds in force from a date: values up to ``max_value_idr`` (none: no upper
    limit) bought through ``channel`` need ``form``. A regulation change is a new set of rows with a new
    ``effective_from``; the rows of the latest set on or before a date decide (selectors.contract_form_for)."""

    form = models.CharField(_("contract document"), max_length=20, choices=ContractForm.choices)
    channel = models.CharField(_("channel"), max_length=12, choices=ContractChannel.choices)
    max_value_idr = models.PositiveBigIntegerField(_("up to (Rp)"), null=True, blank=True)
    effective_from = models.DateField(_("effective from"))
    legal_reference = models.TextField(_("legal reference"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)

    class Meta:
        ordering = ["channel", "-effective_from", "max_value_idr", "id"]
        verbose_name = _("contract form rule")
        verbose_name_plural = _("contract form rules")
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "effective_from", "max_value_idr"],
                name="contract_rule_unique_step",
                nulls_distinct=False,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_form_display()} ({self.effective_from})"


class Recognition(models.TextChoices):
    """When a deal's sale is recorded (``sale_record``): at the handover (BAST), or once the handed-over
    goods are paid for."""

    BAST = "BAST", _("At the handover (BAST)")
    PAYMENT = "PAYMENT", _("When paid")


class SellerTaxSettings(models.Model):
    """A seller's quotation settings: PPN charged or not (a PKP charges it) and its rate, the usual validity."""

    organization = models.OneToOneField(
        "organizations.Organization", on_delete=models.PROTECT, related_name="deal_tax_settings"
    )
    ppn_enabled = models.BooleanField(_("charge PPN"), default=False)
    ppn_rate_bp = models.PositiveIntegerField(_("PPN rate (basis points)"), default=1100)
    valid_days = models.PositiveSmallIntegerField(_("quotations valid for (days)"), default=14)
    recognition = models.CharField(
        _("record the sale"), max_length=8, choices=Recognition.choices, default=Recognition.BAST
    )
    payment_days = models.PositiveSmallIntegerField(_("invoices due after (days)"), default=30)

    class Meta:
        verbose_name = _("seller tax settings")
        constraints = [
            models.CheckConstraint(condition=Q(ppn_rate_bp__lte=BASIS_POINTS), name="deal_ppn_within_100"),
        ]

    def __str__(self) -> str:
        return f"{self.organization_id}: PPN {'on' if self.ppn_enabled else 'off'}"


class Rfq(TimeStampedModel):
    """A request for quotation from an agency or bulk buyer to one seller."""

    class Status(models.TextChoices):
        NEW = "NEW", _("New")
        QUOTED = "QUOTED", _("Quoted")
        CLOSED = "CLOSED", _("Closed")

    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="rfqs")
    number = models.CharField(_("number"), max_length=40, unique=True)
    agency = models.CharField(_("agency or company"), max_length=200)
    contact_name = models.CharField(_("contact name"), max_length=120)
    contact_phone = models.CharField(_("contact phone"), max_length=20)
    contact_email = models.EmailField(_("contact email"), blank=True)
    needed_by = models.DateField(_("needed by"), null=True, blank=True)
    delivery_place = models.CharField(_("delivery place"), max_length=300)
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.NEW)
    language = models.CharField(max_length=8, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("request for quotation")
        verbose_name_plural = _("requests for quotation")

    def __str__(self) -> str:
        return self.number


class RfqLine(models.Model):
    rfq = models.ForeignKey(Rfq, on_delete=models.CASCADE, related_name="lines")
    variant = models.ForeignKey("catalog.Variant", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    description = models.CharField(_("description"), max_length=300, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"))

    class Meta:
        ordering = ["pk"]
        constraints = [models.CheckConstraint(condition=Q(quantity__gt=0), name="rfq_line_quantity_positive")]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.description}"


class Quotation(TimeStampedModel):
    """A seller's priced offer, with what it takes to make the goods. Its document carries the number and
    the verification code; amounts are integer rupiah, rates basis points."""

    class Status(models.TextChoices):
        ISSUED = "ISSUED", _("Issued")

    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="quotations")
    rfq = models.ForeignKey(Rfq, on_delete=models.PROTECT, null=True, blank=True, related_name="quotations")
    document = models.OneToOneField("documents.Document", on_delete=models.PROTECT, related_name="quotation")
    number = models.CharField(_("number"), max_length=40, unique=True)
    buyer = models.CharField(_("buyer"), max_length=200)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.ISSUED)
    issued_on = models.DateField(_("date"))
    valid_days = models.PositiveSmallIntegerField(_("valid for (days)"))
    valid_until = models.DateField(_("valid until"))
    discount_bp = models.PositiveIntegerField(_("discount (basis points)"), default=0)
    ppn_enabled = models.BooleanField(_("PPN charged"), default=False)
    ppn_rate_bp = models.PositiveIntegerField(_("PPN rate (basis points)"), default=0)
    subtotal_idr = models.PositiveBigIntegerField(_("subtotal (Rp)"))
    discount_idr = models.PositiveBigIntegerField(_("discount (Rp)"))
    ppn_idr = models.PositiveBigIntegerField(_("PPN (Rp)"))
    total_idr = models.PositiveBigIntegerField(_("total (Rp)"))
    contract_form = models.CharField(_("contract document"), max_length=20, choices=ContractForm.choices)
    contract_rule = models.ForeignKey(ContractFormRule, on_delete=models.PROTECT, related_name="+")
    lead_time_days = models.PositiveIntegerField(_("lead time (days)"), null=True, blank=True)
    capacity_per_month = models.PositiveIntegerField(_("units made a month"), null=True, blank=True)
    capital_needed_idr = models.PositiveBigIntegerField(_("capital needed (Rp)"), default=0)
    capital_fund_idr = models.BigIntegerField(_("capital fund balance (Rp)"), default=0)
    down_payment_idr = models.PositiveBigIntegerField(_("suggested down payment (Rp)"), default=0)
    place = models.CharField(_("place"), max_length=100, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("quotation")
        verbose_name_plural = _("quotations")
        constraints = [
            models.CheckConstraint(condition=Q(discount_bp__lte=BASIS_POINTS), name="quotation_discount_within_100"),
        ]

    def __str__(self) -> str:
        return self.number


class QuotationLine(models.Model):
    """A priced line; ``from_stock`` units are on hand, ``to_make`` must still be made at ``unit_material_cost_idr``."""

    quotation = models.ForeignKey(Quotation, on_delete=models.CASCADE, related_name="lines")
    variant = models.ForeignKey("catalog.Variant", on_delete=models.PROTECT, related_name="+")
    description = models.CharField(_("description"), max_length=300)
    quantity = models.PositiveIntegerField(_("quantity"))
    unit_price_idr = models.PositiveBigIntegerField(_("unit price (Rp)"))
    line_total_idr = models.PositiveBigIntegerField(_("amount (Rp)"))
    from_stock = models.PositiveIntegerField(default=0)
    to_make = models.PositiveIntegerField(default=0)
    unit_material_cost_idr = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["pk"]
        constraints = [models.CheckConstraint(condition=Q(quantity__gt=0), name="quotation_line_quantity_positive")]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.description}"


# Deals: an accepted quotation, its deliveries, handover, invoices and payments ------------------------


class ProcurementPlatform(models.TextChoices):
    NONE = "", _("None (direct purchase)")
    E_KATALOG = "E_KATALOG", _("e-Katalog")
    BELA_PENGADAAN = "BELA_PENGADAAN", _("Bela Pengadaan")
    OTHER_SHOP = "OTHER_SHOP", _("Another online shop")


class Deal(TimeStampedModel):
    """An accepted quotation: the buyer's purchase order (surat pesanan or SPK) and everything after it.

    Amounts are integer rupiah. ``dpp_idr`` is the value before PPN (after the discount), ``total_idr`` what the
    buyer pays. The running figures (delivered, handed over, recognised, invoiced, paid, held) are kept by the
    services under the deal's row lock.
    """

    class Status(models.TextChoices):
        ORDERED = "ORDERED", _("Ordered")
        PARTLY_DELIVERED = "PARTLY_DELIVERED", _("Partly delivered")
        DELIVERED = "DELIVERED", _("Delivered")
        INVOICED = "INVOICED", _("Invoiced")
        PAID = "PAID", _("Paid")
        CANCELLED = "CANCELLED", _("Cancelled")

    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="deals")
    quotation = models.OneToOneField(Quotation, on_delete=models.PROTECT, related_name="deal")
    number = models.CharField(_("number"), max_length=40, unique=True)
    buyer = models.CharField(_("buyer"), max_length=200)
    buyer_organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="deals_bought"
    )
    channel = models.CharField(_("channel"), max_length=12, choices=ContractChannel.choices)
    platform = models.CharField(_("platform"), max_length=16, choices=ProcurementPlatform.choices, blank=True)
    po_number = models.CharField(_("purchase order number"), max_length=80)
    po_date = models.DateField(_("purchase order date"))
    contract_form = models.CharField(_("contract document"), max_length=20, choices=ContractForm.choices)
    contract_rule = models.ForeignKey(ContractFormRule, on_delete=models.PROTECT, related_name="+")
    contract_document = models.OneToOneField(
        "documents.Document", on_delete=models.PROTECT, null=True, blank=True, related_name="deal_contract"
    )
    location = models.OneToOneField("inventory.Location", on_delete=models.PROTECT, related_name="deal")
    needed_by = models.DateField(_("needed by"), null=True, blank=True)
    delivery_place = models.CharField(_("delivery place"), max_length=300, blank=True)
    recognition = models.CharField(_("sale recognised"), max_length=8, choices=Recognition.choices)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.ORDERED)
    dpp_idr = models.PositiveBigIntegerField(_("value before PPN (Rp)"))
    ppn_idr = models.PositiveBigIntegerField(_("PPN (Rp)"))
    total_idr = models.PositiveBigIntegerField(_("total (Rp)"))
    handed_over_idr = models.PositiveBigIntegerField(_("handed over (Rp)"), default=0)
    recognized_idr = models.PositiveBigIntegerField(_("sale recognised (Rp)"), default=0)
    invoiced_idr = models.PositiveBigIntegerField(_("invoiced (Rp)"), default=0)
    paid_idr = models.PositiveBigIntegerField(_("paid (Rp)"), default=0)
    held_idr = models.PositiveBigIntegerField(_("paid ahead, held (Rp)"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("deal")
        verbose_name_plural = _("deals")
        constraints = [
            models.CheckConstraint(condition=Q(total_idr=models.F("dpp_idr") + models.F("ppn_idr")), name="deal_total"),
            models.CheckConstraint(condition=Q(paid_idr__lte=models.F("total_idr")), name="deal_paid_within_total"),
            models.CheckConstraint(
                condition=Q(recognized_idr__lte=models.F("handed_over_idr"))
                & Q(handed_over_idr__lte=models.F("total_idr"))
                & Q(invoiced_idr__lte=models.F("handed_over_idr")),
                name="deal_figures_in_order",
            ),
            models.UniqueConstraint(fields=["organization", "po_number"], name="deal_unique_po"),
        ]

    def __str__(self) -> str:
        return self.number


class DealLine(models.Model):
    """An ordered line. ``dpp_idr`` and ``ppn_idr`` are the line's shares of the deal's value before PPN and of
    its PPN (the discount and the tax spread over the lines, to the rupiah); the counts only grow."""

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="lines")
    variant = models.ForeignKey("catalog.Variant", on_delete=models.PROTECT, related_name="+")
    description = models.CharField(_("description"), max_length=300)
    quantity = models.PositiveIntegerField(_("quantity"))
    unit_price_idr = models.PositiveBigIntegerField(_("unit price (Rp)"))
    dpp_idr = models.PositiveBigIntegerField()
    ppn_idr = models.PositiveBigIntegerField()
    delivered = models.PositiveIntegerField(_("delivered"), default=0)
    handed_over = models.PositiveIntegerField(_("handed over"), default=0)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="deal_line_quantity_positive"),
            models.CheckConstraint(
                condition=Q(delivered__lte=models.F("quantity")) & Q(handed_over__lte=models.F("delivered")),
                name="deal_line_within_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.description}"


class Delivery(TimeStampedModel):
    """One delivery of a deal's goods: a transfer from the seller's store to the deal's location, whose surat
    jalan (number, verification code) is the delivery's."""

    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="+")
    deal = models.ForeignKey(Deal, on_delete=models.PROTECT, related_name="deliveries")
    transfer = models.OneToOneField("inventory.Transfer", on_delete=models.PROTECT, related_name="deal_delivery")
    number = models.CharField(_("number"), max_length=40, unique=True)
    delivered_on = models.DateField(_("delivered on"))
    vehicle = models.CharField(_("vehicle"), max_length=60, blank=True)
    driver = models.CharField(_("driver or courier"), max_length=120, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")

    def __str__(self) -> str:
        return self.number


class DeliveryLine(models.Model):
    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="lines")
    deal_line = models.ForeignKey(DealLine, on_delete=models.PROTECT, related_name="delivery_lines")
    quantity = models.PositiveIntegerField(_("quantity"))

    class Meta:
        ordering = ["pk"]
        constraints = [models.CheckConstraint(condition=Q(quantity__gt=0), name="delivery_line_quantity_positive")]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.deal_line_id}"


class Handover(TimeStampedModel):
    """A BAST (berita acara serah terima): the goods inspected and handed over, with the signatories.
    ``signatories`` is a list of {"side": "SELLER"|"BUYER", "name", "position", "id_number"}. ``sale`` is the
    sale that recognised it (at once, or when paid, per the deal's ``recognition``)."""

    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="+")
    deal = models.ForeignKey(Deal, on_delete=models.PROTECT, related_name="handovers")
    document = models.OneToOneField("documents.Document", on_delete=models.PROTECT, related_name="deal_handover")
    number = models.CharField(_("number"), max_length=40, unique=True)
    handed_over_on = models.DateField(_("date of handover"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    signatories = models.JSONField(default=list)
    note = models.TextField(_("inspection note"), blank=True)
    dpp_idr = models.PositiveBigIntegerField()
    ppn_idr = models.PositiveBigIntegerField()
    value_idr = models.PositiveBigIntegerField(_("value (Rp)"))
    sale = models.OneToOneField(
        "sales.Sale", on_delete=models.PROTECT, null=True, blank=True, related_name="deal_handover"
    )
    invoice = models.ForeignKey(
        "deals.DealInvoice", on_delete=models.PROTECT, null=True, blank=True, related_name="handovers"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("handover (BAST)")
        verbose_name_plural = _("handovers (BAST)")
        constraints = [
            models.CheckConstraint(condition=Q(value_idr=models.F("dpp_idr") + models.F("ppn_idr")), name="bast_value")
        ]

    def __str__(self) -> str:
        return self.number


class HandoverLine(models.Model):
    handover = models.ForeignKey(Handover, on_delete=models.CASCADE, related_name="lines")
    deal_line = models.ForeignKey(DealLine, on_delete=models.PROTECT, related_name="handover_lines")
    quantity = models.PositiveIntegerField(_("quantity"))
    dpp_idr = models.PositiveBigIntegerField()
    ppn_idr = models.PositiveBigIntegerField()

    class Meta:
        ordering = ["pk"]
        constraints = [models.CheckConstraint(condition=Q(quantity__gt=0), name="bast_line_quantity_positive")]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.deal_line_id}"


class DealInvoice(TimeStampedModel):
    """The bill for the goods handed over and not yet billed: an invoice, or a kuitansi where the value needs
    only a kuitansi or a proof of purchase."""

    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="+")
    deal = models.ForeignKey(Deal, on_delete=models.PROTECT, related_name="invoices")
    document = models.OneToOneField("documents.Document", on_delete=models.PROTECT, related_name="deal_invoice")
    number = models.CharField(_("number"), max_length=40, unique=True)
    issued_on = models.DateField(_("date"))
    due_on = models.DateField(_("due on"))
    dpp_idr = models.PositiveBigIntegerField()
    ppn_idr = models.PositiveBigIntegerField()
    amount_idr = models.PositiveBigIntegerField(_("amount (Rp)"))
    # Paid ahead (a down payment) beyond the bills before this one, taken off this bill: amount - credit is due.
    credit_idr = models.PositiveBigIntegerField(_("paid ahead (Rp)"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("deal invoice")
        verbose_name_plural = _("deal invoices")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_idr=models.F("dpp_idr") + models.F("ppn_idr"))
                & Q(amount_idr__gt=0)
                & Q(credit_idr__lte=models.F("amount_idr")),
                name="deal_invoice_amount",
            )
        ]

    def __str__(self) -> str:
        return self.number


class DealPayment(TimeStampedModel):
    """Money the buyer paid. ``to_receivable_idr`` cleared what it owed for recognised goods; ``held_idr`` was
    held (a down payment, or a payment ahead of the sale) until a handover is recognised."""

    class Method(models.TextChoices):
        BANK = "BANK", _("Bank transfer")
        CASH = "CASH", _("Cash")

    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="+")
    deal = models.ForeignKey(Deal, on_delete=models.PROTECT, related_name="payments")
    paid_on = models.DateField(_("paid on"))
    amount_idr = models.PositiveBigIntegerField(_("amount (Rp)"))
    method = models.CharField(_("method"), max_length=4, choices=Method.choices, default=Method.BANK)
    reference = models.CharField(_("reference"), max_length=120, blank=True)
    to_receivable_idr = models.PositiveBigIntegerField(default=0)
    held_idr = models.PositiveBigIntegerField(default=0)
    entry = models.OneToOneField("ledger.JournalEntry", on_delete=models.PROTECT, related_name="deal_payment")
    receipt = models.OneToOneField(
        "documents.Document", on_delete=models.PROTECT, null=True, blank=True, related_name="deal_payment"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("deal payment")
        verbose_name_plural = _("deal payments")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_idr=models.F("to_receivable_idr") + models.F("held_idr")) & Q(amount_idr__gt=0),
                name="deal_payment_split",
            )
        ]

    def __str__(self) -> str:
        return f"{self.deal_id}: {self.amount_idr}"


# Uniform size lists (issue 13: the Bondowoso batik uniform case) ---------------------------------------
# Who wears which size of one garment product, uploaded as an XLSX (deals.sizes, deals.size_selectors,
# docs/deals.md "Uniform size lists"). The names are the buyer's own staff: they may appear on the buyer's
# packing list. A maker never appears on anything made from a size list.


class SizeList(TimeStampedModel):
    """A buyer's size list for one garment product, from one XLSX file: its rows become quantities per variant.

    A newer list for the same request and product replaces the current one (``REPLACED``); the same file
    (``sha256``) is recognised and not saved twice. The packing list's document is issued once, on first use.
    """

    class Status(models.TextChoices):
        CURRENT = "CURRENT", _("Current")
        REPLACED = "REPLACED", _("Replaced by a newer list")

    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="size_lists")
    rfq = models.ForeignKey(Rfq, on_delete=models.PROTECT, null=True, blank=True, related_name="size_lists")
    product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT, related_name="+")
    buyer = models.CharField(_("buyer"), max_length=200)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.CURRENT)
    file_name = models.CharField(_("file"), max_length=200, blank=True)
    sha256 = models.CharField(max_length=64)
    persons = models.PositiveIntegerField(_("persons"))
    units = models.PositiveIntegerField(_("pieces"))
    language = models.CharField(max_length=8, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    quotations = models.ManyToManyField(Quotation, blank=True, related_name="size_lists")
    packing_document = models.OneToOneField(
        "documents.Document", on_delete=models.PROTECT, null=True, blank=True, related_name="size_list"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("size list")
        verbose_name_plural = _("size lists")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "rfq", "sha256"], name="size_list_file_once", nulls_distinct=False
            ),
            models.CheckConstraint(condition=Q(units__gte=models.F("persons")), name="size_list_units_cover_persons"),
        ]

    def __str__(self) -> str:
        return f"{self.buyer}: {self.persons} × {self.product_id}"


class SizeListRow(models.Model):
    """One person on a size list: ``row_number`` is the row the spreadsheet gave it."""

    size_list = models.ForeignKey(SizeList, on_delete=models.CASCADE, related_name="rows")
    row_number = models.PositiveIntegerField(_("row"))
    name = models.CharField(_("name"), max_length=120)
    nip = models.CharField(_("NIP / ID"), max_length=30, blank=True)
    unit = models.CharField(_("unit (bagian)"), max_length=120, blank=True)
    variant = models.ForeignKey("catalog.Variant", on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField(_("quantity"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["row_number", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="size_list_row_quantity_positive"),
            models.UniqueConstraint(fields=["size_list", "row_number"], name="size_list_row_once"),
        ]

    def __str__(self) -> str:
        return f"{self.row_number}: {self.name}"
