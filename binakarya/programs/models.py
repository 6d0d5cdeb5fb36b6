"""Programs (issue 15), first slice: the agreements (MoU, PKS) a facility or a producer signs with partner
agencies, and the obligations of each side with their due dates.

Agreements are not personal data: they name organizations, never a maker. The signed PDF lives in private
storage (no public address) and is streamed by a page that checks who asks.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from binakarya.core.models import TimeStampedModel
from binakarya.core.storage import private_files
from binakarya.organizations.models import Organization


class Agreement(TimeStampedModel):
    """A memorandum of understanding (MoU) or a cooperation agreement (PKS) signed by ``organization``."""

    class Kind(models.TextChoices):
        MOU = "MOU", _("Memorandum of understanding (MoU)")
        PKS = "PKS", _("Cooperation agreement (PKS)")

    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.PROTECT, related_name="program_agreements"
    )
    kind = models.CharField(_("kind"), max_length=4, choices=Kind.choices)
    number = models.CharField(_("number"), max_length=100)
    title = models.CharField(_("title"), max_length=200)
    partners = models.ManyToManyField(
        Organization,
        verbose_name=_("partner agencies"),
        through="AgreementPartner",
        through_fields=("agreement", "agency"),
        related_name="partner_agreements",
    )
    signed_date = models.DateField(_("signed on"))
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    scope = models.TextField(_("scope"), blank=True)
    signed_document = models.FileField(
        _("signed agreement (PDF)"), storage=private_files, upload_to="programs/agreements/", blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-signed_date", "-pk"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        constraints = [
            models.UniqueConstraint(fields=["organization", "number"], name="programs_agreement_number_unique"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gt=F("start_date")),
                name="programs_agreement_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class AgreementPartner(models.Model):
    """A partner agency of an agreement."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="partner_rows")
    agency = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agreement", "agency"], name="programs_agreement_partner_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.agreement_id}: {self.agency_id}"


class Obligation(TimeStampedModel):
    """What one side promised under an agreement, by a due date. ``party`` empty: our side (the organization)."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="obligations")
    party = models.ForeignKey(
        Organization,
        verbose_name=_("party"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty: our side."),
    )
    description = models.CharField(_("description"), max_length=300)
    due_date = models.DateField(_("due date"))
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("obligation")
        verbose_name_plural = _("obligations")

    def __str__(self) -> str:
        return self.description
