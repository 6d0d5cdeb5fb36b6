"""What each sales channel refuses, checked before a feed or file reaches it (issue 14).

Per channel (Meta, Google Merchant Center, TikTok Shop, Shopee) the limits a product must meet: a photo of at
least the channel's size, a description, a price, a title no longer than the channel takes, and for the
marketplaces that charge shipping themselves a package weight (TikTok Shop also the package size; Shopee a
made-to-order product's days to ship). :func:`product_problems` reads a product with its active variants and
photos prefetched (``selectors.products_to_check``) and runs no query.

:func:`feed_required_fields` names, per channel, the columns of its file that every row must fill.

Where the limits come from (docs/feeds.md): Meta's catalog fields (title 200 characters, images at least
500 × 500 px), Google's product data specification (title 150 characters; images at least 100 × 100 px, or
250 × 250 px for apparel, and 500 × 500 px for every product from 31 January 2027: 250 is checked, so a
shirt passes and nothing that passes today fails later by much), TikTok Shop's product templates (name under
255 characters, images at least 600 × 600 px) and Shopee's mass-upload guidance for Indonesia (product name
100 characters, images of 500 × 500 px).
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from binakarya.catalog.models import Photo, Product, Variant
from binakarya.feeds.marketplaces import SHOPEE_STOCK_COLUMNS, TIKTOK_FIELDS
from binakarya.feeds.renderers import GOOGLE_EXTRA
from binakarya.feeds.selectors import LANGUAGES, feed_title

META, GOOGLE, TIKTOK, SHOPEE = "meta", "google", "tiktok", "shopee"
CHANNELS = (META, GOOGLE, TIKTOK, SHOPEE)
# Not a channel: Shopee's stock-and-price update sheet, which has required columns of its own.
SHOPEE_STOCK = "shopee-stock"

MISSING, TOO_LONG, TOO_SMALL = "missing", "too_long", "too_small"


@dataclass(frozen=True)
class ChannelRules:
    label: str
    title_max: int
    image_min_px: int  # on each side
    needs_weight: bool = False
    needs_package_size: bool = False
    needs_days_to_ship: bool = False


RULES: dict[str, ChannelRules] = {
    META: ChannelRules(label="Meta", title_max=200, image_min_px=500),
    GOOGLE: ChannelRules(label="Google", title_max=150, image_min_px=250),
    TIKTOK: ChannelRules(
        label="TikTok Shop", title_max=255, image_min_px=600, needs_weight=True, needs_package_size=True
    ),
    SHOPEE: ChannelRules(label="Shopee", title_max=100, image_min_px=500, needs_weight=True, needs_days_to_ship=True),
}

_META_REQUIRED = ("id", "title", "description", "availability", "condition", "price", "link", "image_link", "brand")
_REQUIRED: dict[str, tuple[str, ...]] = {
    META: _META_REQUIRED,
    GOOGLE: _META_REQUIRED + tuple(GOOGLE_EXTRA),
    TIKTOK: (*TIKTOK_FIELDS[:9], "package_weight_g"),
    SHOPEE: (
        "Category",
        "Product Name",
        "Product Description",
        "Price",
        "Stock",
        "SKU",
        "Cover image",
        "Weight (g)",
        "Days to Ship",
    ),
    SHOPEE_STOCK: (SHOPEE_STOCK_COLUMNS[1], "Price", "Stock"),
}


def feed_required_fields(channel: str) -> tuple[str, ...]:
    """The columns (the field names, or the sheet's headings) that every row of ``channel``'s file must fill:
    "meta" (CSV and XML), "google", "tiktok", "shopee" (the mass-upload sheet) or "shopee-stock".

    Raises KeyError for another name.
    """
    return _REQUIRED[channel]


@dataclass(frozen=True)
class Problem:
    """Why ``channel`` would refuse a product (``sku`` "") or one of its variants. ``field`` and ``code`` are
    for programs ("title", "too_long"); ``message`` is for people, in the active language. ``language`` is set
    when the problem is in the English texts only."""

    channel: str
    field: str
    code: str
    message: str
    sku: str = ""
    language: str = ""


@dataclass(frozen=True)
class ProductCheck:
    """A product and what each channel would refuse of it (no problems: every channel takes it)."""

    product: Product
    in_feeds: bool
    problems: list[Problem] = field(default_factory=list)

    def by_channel(self) -> list[tuple[str, str, list[Problem]]]:
        """(channel, its label, its problems) for each channel with a problem, in CHANNELS order."""
        return [
            (channel, RULES[channel].label, found)
            for channel in CHANNELS
            if (found := [p for p in self.problems if p.channel == channel])
        ]


def _in_feeds(product: Product) -> bool:
    """Whether the feeds list the product: published with its producer, a price and a photo."""
    return bool(
        product.is_published and product.producer.is_published and product.price_min_idr > 0 and product.cover_thumbnail
    )


def _titles(product: Product, variants: list[Variant]) -> list[tuple[str, str, str]]:
    """(sku, language, title) of each variant as the feeds title it: Indonesian, and English when it has its own."""
    several = len(variants) > 1
    languages = [lang for lang in LANGUAGES if lang != "en" or product.name_en]
    return [(v.sku, lang, feed_title(product, v, lang, several)) for v in variants for lang in languages]


def _photo_problem(channel: str, rules: ChannelRules, photos: list[Photo]) -> Problem | None:
    if not photos:
        return Problem(channel, "image_link", MISSING, _("No photo: %(channel)s needs one.") % {"channel": rules.label})
    main = photos[0]
    # A size of 0 is unknown (a photo stored before sizes were kept): nothing to say about it.
    if main.width and main.height and min(main.width, main.height) < rules.image_min_px:
        return Problem(
            channel,
            "image_link",
            TOO_SMALL,
            _("The main photo is %(width)s×%(height)s px; %(channel)s needs at least %(min)s×%(min)s px.")
            % {"width": main.width, "height": main.height, "channel": rules.label, "min": rules.image_min_px},
        )
    return None


def product_problems(product: Product, *, channels: tuple[str, ...] = CHANNELS) -> list[Problem]:
    """What each of ``channels`` would refuse of ``product`` (its active variants and photos prefetched, by
    price and by position), in channel order, the product's own problems before its variants'."""
    variants = list(product.variants.all())
    photos = list(product.photos.all())
    titles = _titles(product, variants)
    problems: list[Problem] = []
    for channel in channels:
        rules = RULES[channel]
        photo = _photo_problem(channel, rules, photos)
        if photo is not None:
            problems.append(photo)
        if not product.description.strip():
            problems.append(
                Problem(
                    channel,
                    "description",
                    MISSING,
                    _("No description: %(channel)s gets the title in its place.") % {"channel": rules.label},
                )
            )
        if not any(v.price_idr > 0 for v in variants):
            problems.append(Problem(channel, "price", MISSING, _("No active variant with a price.")))
        if rules.needs_days_to_ship and product.made_to_order and product.lead_time_days <= 0:
            problems.append(
                Problem(
                    channel,
                    "days_to_ship",
                    MISSING,
                    _("Made to order without a lead time: %(channel)s needs the days to ship a pre-order.")
                    % {"channel": rules.label},
                )
            )
        for sku, language, title in titles:
            if len(title) > rules.title_max:
                message = _("The title has %(length)s characters; %(channel)s takes at most %(max)s.") % {
                    "length": len(title),
                    "channel": rules.label,
                    "max": rules.title_max,
                }
                problems.append(
                    Problem(channel, "title", TOO_LONG, message, sku=sku, language="en" if language == "en" else "")
                )
        for variant in variants:
            if rules.needs_weight and variant.weight_grams <= 0:
                problems.append(
                    Problem(
                        channel,
                        "weight",
                        MISSING,
                        _("No weight: %(channel)s needs the package weight to charge shipping.")
                        % {"channel": rules.label},
                        sku=variant.sku,
                    )
                )
            if rules.needs_package_size and not (variant.length_mm and variant.width_mm and variant.height_mm):
                problems.append(
                    Problem(
                        channel,
                        "package_size",
                        MISSING,
                        _("No package size (length, width and height): %(channel)s asks for it.")
                        % {"channel": rules.label},
                        sku=variant.sku,
                    )
                )
    return problems


def products_check(products: list[Product]) -> list[ProductCheck]:
    """Each product (from ``selectors.products_to_check``) with its problems, in the order given."""
    return [ProductCheck(product=p, in_feeds=_in_feeds(p), problems=product_problems(p)) for p in products]
