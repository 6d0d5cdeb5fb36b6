from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from binakarya.core.models import TimeStampedModel


class Category(models.Model):
    """Reference data (not tenant data): batik tulis, pecut, rajutan, ..."""

    name = models.CharField(_("name"), max_length=80)
    name_en = models.CharField(_("name in English"), max_length=80, blank=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    hs_code = models.CharField(_("default HS code"), max_length=12, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name


class Producer(TimeStampedModel):
    """The public face of whoever makes a product: a facility's group, or an UMKM producer.

    A facility's group is shown as the group and its facility; never its members.
    """

    class Kind(models.TextChoices):
        FACILITY_GROUP = "FACILITY_GROUP", _("Facility group")
        UMKM = "UMKM", _("UMKM producer")

    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="producers")
    group = models.OneToOneField(
        "makers.Group", on_delete=models.PROTECT, null=True, blank=True, related_name="producer"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    story = models.TextField(_("public story"), blank=True)
    # Export (issue 13): the English story, entered by staff; the English storefront falls back to ``story``.
    story_en = models.TextField(_("public story in English"), blank=True)
    phone = models.CharField(
        _("phone / WhatsApp"), max_length=20, blank=True, help_text=_("International form, e.g. 6281234567890.")
    )
    is_published = models.BooleanField(_("published"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("producer")
        verbose_name_plural = _("producers")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="FACILITY_GROUP", group__isnull=False) | Q(kind="UMKM", group__isnull=True),
                name="producer_group_matches_kind",
            ),
        ]

    def __str__(self) -> str:
        return self.name


# What a product needs, besides the "published" flags, before buyers see it: a price (an active variant)
# and a photo. Both are read from the columns catalog.services.product_refresh keeps (price_min_idr is 0
# without an active variant; cover_thumbnail is "" without a photo), so the public lists stay on one table.
READY_TO_SELL = Q(price_min_idr__gt=0) & ~Q(cover_thumbnail="")


class Product(TimeStampedModel):
    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="products")
    producer = models.ForeignKey(Producer, on_delete=models.PROTECT, related_name="products")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="products")
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    description = models.TextField(_("description"), blank=True)
    story = models.TextField(_("public story"), blank=True)
    # Export (issue 13): English texts, entered by staff; the English storefront falls back to the Indonesian.
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    description_en = models.TextField(_("description in English"), blank=True)
    story_en = models.TextField(_("public story in English"), blank=True)
    materials = models.CharField(_("materials"), max_length=300, blank=True)
    technique = models.CharField(_("technique"), max_length=200, blank=True)
    certifications = models.CharField(_("certifications"), max_length=200, blank=True, help_text=_("E.g. Batikmark."))
    hs_code = models.CharField(_("HS code"), max_length=12, blank=True)
    made_to_order = models.BooleanField(_("made to order"), default=False)
    lead_time_days = models.PositiveSmallIntegerField(_("lead time (days)"), default=0)
    # A made-to-order product is ordered with a down payment of this share of its price (orders).
    deposit_percent = models.PositiveSmallIntegerField(
        _("down payment (%)"), default=50, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    moq = models.PositiveIntegerField(_("minimum order quantity"), default=1)
    is_published = models.BooleanField(_("published"), default=True)
    # Denormalised by catalog services so that the catalog filters and sorts on one table.
    price_min_idr = models.PositiveBigIntegerField(default=0)
    price_max_idr = models.PositiveBigIntegerField(default=0)
    in_stock = models.BooleanField(default=False)
    # Stemmed words, space-padded; SQLite searches it for " word ".
    search_document = models.TextField(blank=True, default="")
    # PostgreSQL only: to_tsvector('simple', search_document), stored and GIN-indexed (catalog 0006),
    # so a broad search need not rebuild vectors row by row. Stays empty on SQLite.
    search_vector = SearchVectorField(null=True, blank=True, editable=False)
    cover_thumbnail = models.CharField(max_length=300, blank=True, default="")
    # The cover's 320 px rendition (srcset beside the 480 px one); "" for photos stored before it existed.
    cover_thumbnail_small = models.CharField(max_length=300, blank=True, default="")

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("product")
        verbose_name_plural = _("products")
        indexes = [
            models.Index(fields=["is_published", "name", "id"], name="product_published_name"),
            models.Index(fields=["category", "is_published", "name"], name="product_category_name"),
            models.Index(fields=["producer", "is_published", "name"], name="product_producer_name"),
            models.Index(fields=["price_min_idr"], name="product_price_min"),
            # Counting the storefront's listing joins products to their producer and organization; this
            # partial index lets PostgreSQL count public products with an index-only scan.
            models.Index(
                fields=["producer", "organization"],
                condition=Q(is_published=True) & READY_TO_SELL,
                name="product_listed",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(moq__gte=1), name="product_moq_positive"),
            models.CheckConstraint(condition=Q(price_max_idr__gte=F("price_min_idr")), name="product_price_range"),
        ]

    def __str__(self) -> str:
        return self.name


class Variant(TimeStampedModel):
    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="variants")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="variants")
    sku = models.CharField(_("SKU"), max_length=40, unique=True)
    name = models.CharField(_("variant"), max_length=120, blank=True, help_text=_("E.g. size or colour."))
    price_idr = models.PositiveBigIntegerField(_("price (Rp)"))
    weight_grams = models.PositiveIntegerField(_("weight (g)"), default=0)
    length_mm = models.PositiveIntegerField(_("length (mm)"), default=0)
    width_mm = models.PositiveIntegerField(_("width (mm)"), default=0)
    height_mm = models.PositiveIntegerField(_("height (mm)"), default=0)
    # Units ready to sell. Kept by the stock services; until lots exist it is set by staff.
    stock_quantity = models.PositiveIntegerField(_("units in stock"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["price_idr", "id"]
        verbose_name = _("variant")
        verbose_name_plural = _("variants")
        constraints = [
            models.CheckConstraint(condition=Q(price_idr__gt=0), name="variant_price_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.product.name} {self.name}".strip() if self.name else self.sku


class Photo(TimeStampedModel):
    """A product photo, re-encoded without metadata, with fixed-size WebP renditions (1200 box, 480, 320)."""

    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="photos")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to="photos/large/")
    thumbnail = models.ImageField(upload_to="photos/thumb/")
    # 320x320, for phones (srcset); empty for photos stored before it existed.
    thumbnail_small = models.ImageField(upload_to="photos/small/", blank=True)
    # Stored so that pages never open the image file to learn its size.
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    alt_text = models.CharField(_("description"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self) -> str:
        return self.alt_text or f"photo {self.pk}"


# e-Katalog / Bela Pengadaan listing pack (issue 13) ------------------------------------------------


class ProcurementListing(TimeStampedModel):
    """What a government catalog listing (LKPP e-Katalog, Bela Pengadaan) asks of a product, one per product.

    The KBKI code (Klasifikasi Baku Komoditas Indonesia) is kept as digits only, 5 to 10 of them (a KBKI 2015
    subclass has 5; its commodity codes go to 10). TKDN is in basis points (4235 = 42,35 %) and is only set
    with its certificate's number and date. ``photo_ids`` picks which of the product's photos the listing
    uses, in order; empty means all of them. The listing never names a maker.
    """

    class Pdn(models.TextChoices):
        PDN = "PDN", _("Domestic product (PDN)")
        NON_PDN = "NON_PDN", _("Not a domestic product")

    class Unit(models.TextChoices):
        PCS = "pcs", _("pcs")
        BUAH = "buah", _("buah")
        SET = "set", _("set")
        LEMBAR = "lembar", _("lembar")
        PASANG = "pasang", _("pasang")
        LUSIN = "lusin", _("lusin")
        KODI = "kodi", _("kodi")
        METER = "meter", _("meter")
        UNIT = "unit", _("unit")

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="procurement_listings"
    )
    product = models.OneToOneField(Product, on_delete=models.CASCADE, related_name="procurement_listing")
    kbki_code = models.CharField(_("KBKI code"), max_length=10, blank=True)
    pdn_status = models.CharField(_("domestic product status"), max_length=8, choices=Pdn.choices, default=Pdn.PDN)
    tkdn_bp = models.PositiveIntegerField(
        _("TKDN (basis points)"), null=True, blank=True, validators=[MaxValueValidator(10000)]
    )
    tkdn_certificate_number = models.CharField(_("TKDN certificate number"), max_length=60, blank=True)
    tkdn_certificate_date = models.DateField(_("TKDN certificate date"), null=True, blank=True)
    sni_number = models.CharField(_("SNI number"), max_length=60, blank=True)
    trademark = models.CharField(_("trademark"), max_length=100, blank=True)
    unit = models.CharField(_("unit of sale"), max_length=8, choices=Unit.choices, default=Unit.PCS)
    specifications = models.TextField(_("specifications"), blank=True, help_text=_("One per line: Bahan: bambu"))
    photo_ids = models.JSONField(_("photos"), default=list, blank=True)

    class Meta:
        verbose_name = _("e-Katalog listing")
        verbose_name_plural = _("e-Katalog listings")
        constraints = [
            models.CheckConstraint(
                condition=Q(tkdn_bp__isnull=True) | Q(tkdn_bp__lte=10000), name="listing_tkdn_at_most_100_percent"
            ),
        ]

    def __str__(self) -> str:
        return f"e-Katalog {self.product_id}"


# Export (issue 13, piece 3) ------------------------------------------------------------------------


class ExportProfile(TimeStampedModel):
    """What an export buyer needs to know about a product: HS code, weights, package size, MOQ, lead time
    and certifications. One per product, kept by ``catalog.export_services``."""

    class Certification(models.TextChoices):
        BATIKMARK = "BATIKMARK", _("Batikmark")
        SVLK = "SVLK", _("SVLK (legal timber)")
        SNI = "SNI", _("SNI")
        HALAL = "HALAL", _("Halal")

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="export_profiles"
    )
    product = models.OneToOneField(Product, on_delete=models.CASCADE, related_name="export_profile")
    hs_code = models.CharField(_("HS code"), max_length=12, blank=True)
    net_weight_grams = models.PositiveIntegerField(_("net weight (g)"), default=0)
    gross_weight_grams = models.PositiveIntegerField(_("gross weight (g)"), default=0)
    package_length_mm = models.PositiveIntegerField(_("package length (mm)"), default=0)
    package_width_mm = models.PositiveIntegerField(_("package width (mm)"), default=0)
    package_height_mm = models.PositiveIntegerField(_("package height (mm)"), default=0)
    moq = models.PositiveIntegerField(_("minimum order quantity"), default=1)
    lead_time_days = models.PositiveSmallIntegerField(_("lead time (days)"), default=0)
    # A list of Certification values.
    certifications = models.JSONField(_("certifications"), default=list, blank=True)
    certifications_other = models.CharField(_("other certifications"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("export data")
        verbose_name_plural = _("export data")
        constraints = [
            models.CheckConstraint(
                condition=Q(gross_weight_grams__gte=F("net_weight_grams")), name="export_gross_not_below_net"
            ),
            models.CheckConstraint(condition=Q(moq__gte=1), name="export_moq_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.product} ({self.hs_code})"


class ExchangeRate(models.Model):
    """Rupiah per unit of a foreign currency from a date on, as an organization's staff entered it.

    Append-only: a new rate is a new row; the newest one effective today is used for indicative prices.
    Rupiah stays the currency of record.
    """

    class Currency(models.TextChoices):
        USD = "USD", _("US dollar")
        EUR = "EUR", _("Euro")
        SGD = "SGD", _("Singapore dollar")
        JPY = "JPY", _("Japanese yen")

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="exchange_rates"
    )
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices)
    idr_per_unit = models.DecimalField(_("rupiah per unit"), max_digits=12, decimal_places=2)
    effective_date = models.DateField(_("effective date"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-effective_date", "-id"]
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        indexes = [
            models.Index(fields=["organization", "currency", "-effective_date", "-id"], name="exchange_rate_latest"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(idr_per_unit__gt=0), name="exchange_rate_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.currency} {self.idr_per_unit} ({self.effective_date})"

    @property
    def idr_per_unit_display(self) -> str:
        """Rp16.250 or Rp108,45: the rate the Indonesian way, cents only when there are any."""
        whole, cents = divmod(int(self.idr_per_unit * 100), 100)
        text = f"Rp{whole:,}".replace(",", ".")
        return f"{text},{cents:02d}" if cents else text
