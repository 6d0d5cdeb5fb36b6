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


# ---------------------------------------------------------------------------------------------------------------
# Activities: trainings, mentoring, exhibitions and promotions, with their attendance and outcomes.
# ---------------------------------------------------------------------------------------------------------------


class Activity(TimeStampedModel):
    """A training, a design or packaging mentoring, an exhibition or a promotion run by ``organization``.

    ``hours`` are the hours of practice a participant who attended in full receives. Outcomes are the products
    designed there (``ActivityProduct``) and the sales made there through the POS (``ActivityPosSession``).
    """

    class Kind(models.TextChoices):
        TRAINING = "TRAINING", _("Training")
        DESIGN_MENTORING = "DESIGN", _("Design mentoring")
        PACKAGING_MENTORING = "PACKAGING", _("Packaging mentoring")
        EXHIBITION = "EXHIBITION", _("Exhibition")
        PROMOTION = "PROMOTION", _("Promotion")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="program_activities")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("agreement"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
    )
    partner = models.ForeignKey(
        Organization,
        verbose_name=_("partner agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    group = models.ForeignKey(
        "makers.Group",
        verbose_name=_("group"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The group invited; its members are listed for attendance."),
    )
    place = models.CharField(_("place"), max_length=200)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    hours = models.PositiveSmallIntegerField(_("hours of practice"))
    instructors = models.CharField(_("instructors"), max_length=300, blank=True)
    outcomes = models.TextField(_("outcomes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-start_date", "-pk"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="programs_activity_dates"),
            models.CheckConstraint(condition=Q(hours__gt=0), name="programs_activity_hours_positive"),
        ]

    def __str__(self) -> str:
        return self.title


class Attendance(models.Model):
    """Whether a maker attended an activity, and the hours of practice credited (0 when absent)."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="attendance")
    maker = models.ForeignKey("makers.Maker", on_delete=models.PROTECT, related_name="program_attendance")
    present = models.BooleanField(_("present"), default=True)
    hours = models.PositiveSmallIntegerField(_("hours"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        ordering = ["activity", "pk"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["activity", "maker"], name="programs_attendance_once"),
            models.CheckConstraint(condition=Q(present=True) | Q(hours=0), name="programs_attendance_absent_no_hours"),
        ]

    def __str__(self) -> str:
        return f"{self.activity_id}: {self.maker_id}"


class ActivityProduct(models.Model):
    """A product designed at an activity (an outcome of a design workshop)."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="product_rows")
    product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["activity", "product"], name="programs_activity_product_once"),
        ]

    def __str__(self) -> str:
        return f"{self.activity_id}: {self.product_id}"


class ActivityPosSession(models.Model):
    """A cashier (POS) session run at an activity, such as an exhibition: its sales are the event's sales."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="pos_rows")
    session = models.OneToOneField("pos.PosSession", on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"{self.activity_id}: {self.session_id}"


class AgreementGrant(models.Model):
    """A capital grant (ledger.CapitalMovement of kind GRANT) given under an agreement."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="grant_rows")
    movement = models.OneToOneField("ledger.CapitalMovement", on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"{self.agreement_id}: {self.movement_id}"


class AgreementDeal(models.Model):
    """An agency purchase (deals.Deal) made under an agreement."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="deal_rows")
    deal = models.OneToOneField("deals.Deal", on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"{self.agreement_id}: {self.deal_id}"


# ---------------------------------------------------------------------------------------------------------------
# Skills certificates, release and livelihood.
# ---------------------------------------------------------------------------------------------------------------


class Certificate(TimeStampedModel):
    """A skills certificate the facility issues to a maker, co-signed by ``partner`` where one took part.

    It names the person (it is theirs to show an employer). The public verification page (documents app)
    shows the facility, the crafts and the hours, and the name only when ``name_consent`` is set.
    """

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    maker = models.ForeignKey("makers.Maker", on_delete=models.PROTECT, related_name="program_certificates")
    document = models.OneToOneField("documents.Document", on_delete=models.PROTECT, related_name="+")
    partner = models.ForeignKey(
        Organization,
        verbose_name=_("co-signing partner agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    crafts = models.CharField(_("what the person can make"), max_length=300)
    hours = models.PositiveIntegerField(_("hours of practice"))
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("until"))
    name_consent = models.BooleanField(_("may be named on the public verification page"), default=False)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("skills certificate")
        verbose_name_plural = _("skills certificates")
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")), name="programs_certificate_period"),
        ]

    def __str__(self) -> str:
        return f"{self.document_id}"


class Release(TimeStampedModel):
    """The release checklist of one maker: premi paid out by the facility's policy, certificate issued.

    ``payout`` is empty when nothing was owed; ``certificate`` is empty when none was issued (for example a
    maker who never trained).
    """

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    maker = models.OneToOneField("makers.Maker", on_delete=models.PROTECT, related_name="program_release")
    released_on = models.DateField(_("released on"))
    payout = models.OneToOneField("ledger.Payout", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    premi_paid_idr = models.PositiveBigIntegerField(_("premi paid at release"), default=0)
    certificate = models.OneToOneField(
        Certificate, on_delete=models.PROTECT, null=True, blank=True, related_name="release"
    )
    outcomes_consent = models.BooleanField(
        _("agrees to be asked about their livelihood after 6 and 12 months"), default=False
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-released_on", "-pk"]
        verbose_name = _("release")
        verbose_name_plural = _("releases")

    def __str__(self) -> str:
        return f"{self.maker_id} {self.released_on}"


class Livelihood(models.Model):
    """A released maker who, with consent, became an UMKM producer on Binakarya.

    The row belongs to the releasing facility and is read only by its own staff: nothing public, and no one
    outside that facility (not the producer's agency, not an oversight viewer) sees the link. The producer
    itself is an ordinary UMKM producer. ``starting_capital_idr`` is the premi savings shown to the new
    producer's operator as their starting capital.
    """

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    release = models.OneToOneField(Release, on_delete=models.PROTECT, related_name="livelihood")
    producer = models.OneToOneField(Organization, on_delete=models.PROTECT, related_name="+")
    consent_date = models.DateField(_("consent recorded on"))
    starting_capital_idr = models.PositiveBigIntegerField(_("starting capital"), default=0)
    # The account livelihood_start created for the person: the only one shown the starting capital (another
    # operator the producer adds later does not learn that it began from a release).
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("operator"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("livelihood")
        verbose_name_plural = _("livelihoods")

    def __str__(self) -> str:
        return f"{self.release_id}: {self.producer_id}"


class OutcomeCheck(models.Model):
    """What a released maker who consented said 6 or 12 months after release; only ever shown aggregated."""

    class IncomeBand(models.TextChoices):
        NONE = "NONE", _("No income")
        UNDER_1M = "UNDER_1M", _("Under Rp1.000.000 a month")
        FROM_1M = "FROM_1M", _("Rp1.000.000 to Rp3.000.000 a month")
        FROM_3M = "FROM_3M", _("Rp3.000.000 to Rp5.000.000 a month")
        OVER_5M = "OVER_5M", _("Over Rp5.000.000 a month")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    release = models.ForeignKey(Release, on_delete=models.PROTECT, related_name="outcome_checks")
    months = models.PositiveSmallIntegerField(_("months after release"), choices=[(6, "6"), (12, "12")])
    checked_on = models.DateField(_("asked on"))
    producing = models.BooleanField(_("still producing crafts"))
    income_band = models.CharField(_("income band"), max_length=10, choices=IncomeBand.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["release", "months"]
        verbose_name = _("outcome check")
        verbose_name_plural = _("outcome checks")
        constraints = [
            models.UniqueConstraint(fields=["release", "months"], name="programs_outcome_once"),
            models.CheckConstraint(condition=Q(months__in=[6, 12]), name="programs_outcome_months"),
        ]

    def __str__(self) -> str:
        return f"{self.release_id} +{self.months}"
