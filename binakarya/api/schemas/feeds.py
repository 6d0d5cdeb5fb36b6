"""Shapes of the channel feed endpoints (binakarya/api/feeds.py)."""

from ninja import Field, Schema


class FeedLanguageQuery(Schema):
    lang: str = Field("id", pattern="^(id|en)$", description="The file's language: id (Indonesian) or en (English).")


class ChannelLimitsOut(Schema):
    channel: str
    label: str
    title_max: int
    image_min_px: int
    needs_weight: bool
    needs_package_size: bool
    needs_days_to_ship: bool


class ProblemOut(Schema):
    channel: str = Field(..., description="meta, google, tiktok or shopee.")
    field: str = Field(..., description="title, description, image_link, price, weight, package_size, days_to_ship.")
    code: str = Field(..., description="missing, too_long or too_small.")
    sku: str = Field(..., description="The variant's SKU; empty when the problem is the product's.")
    language: str = Field(..., description="en when only the English text has the problem; else empty.")
    message: str


class ProductProblemsOut(Schema):
    product: str
    name: str
    in_feeds: bool = Field(..., description="Whether the feeds list it (published, with a price and a photo).")
    problems: list[ProblemOut]


class FeedProblemsOut(Schema):
    seller: str
    checked: int
    ready: int
    channels: list[ChannelLimitsOut]
    products: list[ProductProblemsOut]
