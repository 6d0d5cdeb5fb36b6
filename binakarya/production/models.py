from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from binakarya.core.models import TimeStampedModel


class Lot(TimeStampedModel):
    """A production batch of one variant, made by a group's (or an UMKM's) makers.

    The lot code is printed on hang tags; each unit sold is traced back to its lot, and through the
    contributions to the makers who are owed premi for it.
    """

    class ShareBasis(models.TextChoices):
        UNITS = "UNITS", _("Units made")
        HOURS = "HOURS", _("Hours worked")

    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="lots")
    code = models.CharField(_("lot code"), max_length=12, unique=True)
    variant = models.ForeignKey("catalog.Variant", on_delete=models.PROTECT, related_name="lots")
    group = models.ForeignKey("makers.Group", on_delete=models.PROTECT, null=True, blank=True, related_name="lots")
    instructor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    quantity_produced = models.PositiveIntegerField(_("quantity produced"))
    quantity_passed = models.PositiveIntegerField(_("quantity that passed quality control"))
    material_cost_idr = models.PositiveBigIntegerField(_("material cost (Rp)"))
    unit_cost_idr = models.PositiveBigIntegerField(_("unit cost (Rp)"))
    share_basis = models.CharField(_("shares are"), max_length=8, choices=ShareBasis.choices, default=ShareBasis.UNITS)
    started_date = models.DateField(_("production started"))
    finished_date = models.DateField(_("production finished"))
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-finished_date", "-id"]
        verbose_name = _("production lot")
        verbose_name_plural = _("production lots")
        indexes = [models.Index(fields=["variant", "finished_date", "id"], name="lot_variant_fifo")]
        constraints = [
            models.CheckConstraint(condition=Q(quantity_produced__gt=0), name="lot_produced_positive"),
            models.CheckConstraint(
                condition=Q(quantity_passed__lte=F("quantity_produced")), name="lot_passed_within_produced"
            ),
            models.CheckConstraint(condition=Q(finished_date__gte=F("started_date")), name="lot_dates_ordered"),
        ]

    def __str__(self) -> str:
        return self.code


class Contribution(models.Model):
    """A maker's share in a lot (units made or hours worked); premi is split in proportion to it."""

    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="+")
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="contributions")
    maker = models.ForeignKey("makers.Maker", on_delete=models.PROTECT, related_name="contributions")
    share = models.PositiveIntegerField(_("share"))

    class Meta:
        ordering = ["lot", "id"]
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        constraints = [
            models.CheckConstraint(condition=Q(share__gt=0), name="contribution_share_positive"),
            models.UniqueConstraint(fields=["lot", "maker"], name="contribution_one_per_maker"),
        ]

    def __str__(self) -> str:
        return f"{self.lot} · {self.maker_id} × {self.share}"
