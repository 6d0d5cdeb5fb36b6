from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from binakarya.core.models import TimeStampedModel


class Maker(TimeStampedModel):
    """A person who makes products: an inmate (warga binaan) of a facility, or an UMKM artisan.

    Personal fields here are never rendered on a public page, feed, export or buyer's document.
    Public provenance names only the group and the facility, and a consenting maker's pseudonym.
    """

    class Kind(models.TextChoices):
        INMATE = "INMATE", _("Inmate (warga binaan)")
        ARTISAN = "ARTISAN", _("UMKM artisan")

    class Status(models.TextChoices):
        ACTIVE = "ACTIVE", _("Active")
        RELEASED = "RELEASED", _("Released")
        TRANSFERRED = "TRANSFERRED", _("Transferred")

    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="makers")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    full_name = models.CharField(_("full name"), max_length=200)
    registration_number = models.CharField(_("registration number"), max_length=40, blank=True)
    admission_date = models.DateField(_("admission date"), null=True, blank=True)
    expected_release_date = models.DateField(_("expected release date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE)
    public_story_consent = models.BooleanField(_("consents to a public story"), default=False)
    consent_recorded_date = models.DateField(_("consent recorded on"), null=True, blank=True)
    pseudonym = models.CharField(_("pseudonym or first name for public use"), max_length=60, blank=True)
    public_story = models.TextField(_("public story"), blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    class Meta:
        ordering = ["full_name", "id"]
        verbose_name = _("maker")
        verbose_name_plural = _("makers")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "registration_number"],
                condition=~Q(registration_number=""),
                name="maker_unique_registration_per_org",
            ),
            models.CheckConstraint(
                condition=Q(kind="ARTISAN") | ~Q(registration_number=""),
                name="maker_inmate_has_registration",
            ),
            models.CheckConstraint(
                condition=Q(expected_release_date__isnull=True)
                | Q(admission_date__isnull=True)
                | Q(expected_release_date__gte=F("admission_date")),
                name="maker_release_after_admission",
            ),
            models.CheckConstraint(
                condition=Q(public_story_consent=False) | ~Q(pseudonym=""),
                name="maker_consent_needs_pseudonym",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def public_name(self) -> str:
        """The only name that may ever be shown in public, and only with consent."""
        return self.pseudonym if self.public_story_consent else ""


class Group(TimeStampedModel):
    """A facility's creative group (workshop), e.g. Kelompok Batik Tulis of Rutan Sumenep."""

    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="groups")
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    crafts = models.ManyToManyField("catalog.Category", verbose_name=_("crafts"), blank=True, related_name="groups")
    public_story = models.TextField(_("public story"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        constraints = [models.UniqueConstraint(fields=["organization", "name"], name="group_unique_name_per_org")]

    def __str__(self) -> str:
        return self.name


class GroupMembership(TimeStampedModel):
    """A maker's membership of a group between two dates (left_date empty while still a member)."""

    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="+")
    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="memberships")
    maker = models.ForeignKey(Maker, on_delete=models.PROTECT, related_name="group_memberships")
    joined_date = models.DateField(_("joined on"))
    left_date = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        ordering = ["joined_date", "id"]
        verbose_name = _("group membership")
        verbose_name_plural = _("group memberships")
        constraints = [
            models.CheckConstraint(
                condition=Q(left_date__isnull=True) | Q(left_date__gte=F("joined_date")),
                name="group_membership_left_after_joined",
            ),
            models.UniqueConstraint(
                fields=["group", "maker"],
                condition=Q(left_date__isnull=True),
                name="group_membership_one_open_per_maker",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.maker} @ {self.group}"
