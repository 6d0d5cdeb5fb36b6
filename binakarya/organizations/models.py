from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from binakarya.core.models import TimeStampedModel


class Organization(TimeStampedModel):
    """A tenant: a correctional facility, an UMKM producer, an agency or an outlet."""

    class Kind(models.TextChoices):
        FACILITY = "FACILITY", _("Correctional facility")
        PRODUCER = "PRODUCER", _("UMKM producer")
        AGENCY = "AGENCY", _("Agency")
        OUTLET = "OUTLET", _("Outlet")

    class FacilityType(models.TextChoices):
        RUTAN = "RUTAN", "Rutan"
        LAPAS = "LAPAS", "Lapas"
        LPKA = "LPKA", "LPKA"

    class OutletType(models.TextChoices):
        GALLERY = "GALLERY", _("Government gallery")
        SHOP = "SHOP", _("Shop")
        HOTEL = "HOTEL", _("Hotel")
        TOURIST_SITE = "TOURIST_SITE", _("Tourist site")
        MARKET = "MARKET", _("Market")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    code = models.CharField(
        _("short code"), max_length=8, unique=True, help_text=_("Printed in document numbers, e.g. SMP.")
    )
    facility_type = models.CharField(_("facility type"), max_length=8, choices=FacilityType.choices, blank=True)
    facility_class = models.CharField(_("class"), max_length=8, blank=True, help_text=_("For example IIB."))
    outlet_type = models.CharField(_("outlet type"), max_length=16, choices=OutletType.choices, blank=True)
    regency = models.CharField(_("regency or city"), max_length=100, blank=True)
    province = models.CharField(_("province"), max_length=100, blank=True)
    address = models.TextField(_("address"), blank=True)
    phone = models.CharField(
        _("phone"), max_length=20, blank=True, help_text=_("International form, e.g. 6281234567890.")
    )
    description = models.TextField(_("description"), blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organization"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text=_("For example the agency that runs an outlet or a cluster."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="FACILITY") & ~Q(facility_type="") | ~Q(kind="FACILITY"),
                name="organization_facility_has_type",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def region(self) -> str:
        return ", ".join(part for part in (self.regency, self.province) if part)


class Role(models.TextChoices):
    FACILITY_ADMIN = "FACILITY_ADMIN", _("Facility admin")
    PRODUCTION_OFFICER = "PRODUCTION_OFFICER", _("Production officer")
    FINANCE_OFFICER = "FINANCE_OFFICER", _("Finance officer")
    INSTRUCTOR = "INSTRUCTOR", _("Instructor")
    OUTLET_PARTNER = "OUTLET_PARTNER", _("Outlet partner")
    PRODUCER_OPERATOR = "PRODUCER_OPERATOR", _("Producer operator")
    REGIONAL_VIEWER = "REGIONAL_VIEWER", _("Regional viewer")
    NATIONAL_VIEWER = "NATIONAL_VIEWER", _("National viewer")
    AGENCY_VIEWER = "AGENCY_VIEWER", _("Agency viewer (the UMKM producers it supports)")
    AUDITOR = "AUDITOR", _("Auditor")


class Membership(TimeStampedModel):
    """A user's role in one organization. A user may hold several."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=24, choices=Role.choices)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organization", "role"], name="membership_unique_role"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.organization}"
