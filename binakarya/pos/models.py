"""The point of sale: a cashier's session at a location (showroom, store, bazaar) and the sales rung up in it.

A session records the opening cash, its sales and, at closing, the cash counted, the cash expected (the
opening cash and the cash taken) and their difference. A sale rung up at the till is a ``sales.Sale`` of
the POS channel (``sales.services.sale_record``) with its payment (cash with change, or QRIS) and its
receipt, an issued document with a verification code.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PosSession(models.Model):
    class Status(models.TextChoices):
        OPEN = "OPEN", _("Open")
        CLOSED = "CLOSED", _("Closed")

    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="+")
    number = models.CharField(_("number"), max_length=30, unique=True)
    location = models.ForeignKey("inventory.Location", on_delete=models.PROTECT, related_name="+")
    cashier = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=6, choices=Status.choices, default=Status.OPEN)
    opened_at = models.DateTimeField(_("opened at"))
    opening_cash_idr = models.PositiveBigIntegerField(_("opening cash"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    counted_cash_idr = models.PositiveBigIntegerField(_("cash counted"), null=True, blank=True)
    expected_cash_idr = models.PositiveBigIntegerField(_("cash expected"), null=True, blank=True)
    # Counted less expected: negative when cash is missing.
    difference_idr = models.BigIntegerField(_("difference"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    closing_document = models.OneToOneField(
        "documents.Document", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("cashier session")
        verbose_name_plural = _("cashier sessions")
        constraints = [
            models.UniqueConstraint(fields=["cashier"], condition=Q(status="OPEN"), name="pos_one_open_session"),
            models.CheckConstraint(
                condition=Q(status="OPEN", closed_at__isnull=True, counted_cash_idr__isnull=True)
                | Q(
                    status="CLOSED",
                    closed_at__isnull=False,
                    counted_cash_idr__isnull=False,
                    expected_cash_idr__isnull=False,
                    difference_idr=F("counted_cash_idr") - F("expected_cash_idr"),
                ),
                name="pos_session_closed_counted",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class PaymentMethod(models.TextChoices):
    CASH = "CASH", pgettext_lazy("payment method", "Cash")
    QRIS = "QRIS", _("QRIS")


class PosSale(models.Model):
    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="+")
    session = models.ForeignKey(PosSession, on_delete=models.PROTECT, related_name="sales")
    sale = models.OneToOneField("sales.Sale", on_delete=models.PROTECT, related_name="pos")
    payment_method = models.CharField(_("payment"), max_length=4, choices=PaymentMethod.choices)
    total_idr = models.PositiveBigIntegerField(_("total"))
    cash_received_idr = models.PositiveBigIntegerField(_("cash received"), null=True, blank=True)
    change_idr = models.PositiveBigIntegerField(_("change"), default=0)
    receipt = models.OneToOneField("documents.Document", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(payment_method="CASH", cash_received_idr__gte=F("total_idr"))
                    & Q(change_idr=F("cash_received_idr") - F("total_idr"))
                )
                | Q(payment_method="QRIS", cash_received_idr__isnull=True, change_idr=0),
                name="pos_sale_cash_covers_total",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session_id}: {self.sale_id}"
