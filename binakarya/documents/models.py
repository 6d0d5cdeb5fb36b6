from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Document(models.Model):
    """A document Binakarya issued, with a code anyone can check at /verifikasi/<code>/.

    ``public_figures`` holds only what the verification page may show (totals, counts, dates); never
    a maker's identity.
    """

    class Kind(models.TextChoices):
        SURAT_JALAN = "SURAT_JALAN", _("Delivery note (surat jalan)")
        TAG_SHEET = "TAG_SHEET", _("Sheet of hang tags")
        INVOICE = "INVOICE", _("Invoice")
        RECEIPT = "RECEIPT", _("Receipt (kuitansi)")
        PREMI_STATEMENT = "PREMI_STATEMENT", _("Premi statement")
        PAYOUT_SLIP = "PAYOUT_SLIP", _("Payout slip")
        PACKING_SLIP = "PACKING_SLIP", _("Packing slip")
        POS_RECEIPT = "POS_RECEIPT", _("Point-of-sale receipt")
        POS_CLOSING = "POS_CLOSING", _("Cashier session closing report")
        CONSIGNMENT_STATEMENT = "CONSIGNMENT_STMT", _("Consignment statement")
        QUOTATION = "QUOTATION", _("Quotation (surat penawaran harga)")
        CONTRACT = "CONTRACT", _("Contract (SPK or surat perjanjian)")
        BAST = "BAST", _("Handover report (BAST)")
        PROFORMA = "PROFORMA", _("Pro-forma invoice")
        PACKING_LIST = "PACKING_LIST", _("Packing list")
        SKILLS_CERTIFICATE = "SKILLS_CERT", _("Skills certificate")

    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    number = models.CharField(_("number"), max_length=40)
    verify_code = models.CharField(_("verification code"), max_length=16, unique=True)
    title = models.CharField(_("title"), max_length=200)
    public_figures = models.JSONField(default=dict, blank=True)
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.UniqueConstraint(fields=["organization", "kind", "number"], name="document_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"


class NumberSequence(models.Model):
    """Gap-free yearly counters for document numbers (SJ-2026-00001), one row per organization and series."""

    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="+")
    series = models.CharField(max_length=20)
    year = models.PositiveSmallIntegerField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "series", "year"], name="number_sequence_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.series}-{self.year}: {self.last_value}"
