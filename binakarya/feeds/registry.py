"""The feed files each seller has, by file name: ``FEEDS``. A new channel's file is one entry here (and
its renderer): the rebuild, the URL ``/feeds/<seller>/<lang>/<name>`` and the operators' command follow.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from binakarya.feeds import marketplaces, renderers
from binakarya.feeds.selectors import LANGUAGES, FeedChannel, FeedItem, feed_channel, feed_items
from binakarya.organizations.models import Organization


class FeedContext:
    """What a renderer gets: the seller, the language and the site's address, and the rows and channel,
    read once per language however many feed files use them."""

    def __init__(self, *, organization: Organization, language: str, base_url: str) -> None:
        self.organization = organization
        self.language = language
        self.base_url = base_url

    @cached_property
    def items(self) -> list[FeedItem]:
        return feed_items(organization=self.organization, language=self.language, base_url=self.base_url)

    @cached_property
    def channel(self) -> FeedChannel:
        return feed_channel(organization=self.organization, language=self.language, base_url=self.base_url)


@dataclass(frozen=True)
class FeedKind:
    """One feed file: its Content-Type, how it is rendered, and the languages it exists in."""

    content_type: str
    render: Callable[[FeedContext], bytes]
    languages: tuple[str, ...] = field(default=LANGUAGES)


def _meta_csv(context: FeedContext) -> bytes:
    return renderers.meta_csv(context.items).encode()


def _rss(context: FeedContext, *, google: bool) -> bytes:
    channel = context.channel
    return renderers.rss_xml(
        context.items, title=channel.title, link=channel.link, description=channel.description, google=google
    )


def _meta_xml(context: FeedContext) -> bytes:
    return _rss(context, google=False)


def _google_xml(context: FeedContext) -> bytes:
    return _rss(context, google=True)


def _tiktok_csv(context: FeedContext) -> bytes:
    return marketplaces.tiktok_csv(context.items).encode()


def _shopee_xlsx(context: FeedContext) -> bytes:
    return marketplaces.shopee_xlsx(context.items, language=context.language)


def _shopee_stock_xlsx(context: FeedContext) -> bytes:
    return marketplaces.shopee_stock_xlsx(context.items)


XML = "application/xml; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

FEEDS: dict[str, FeedKind] = {
    "meta.csv": FeedKind(content_type="text/csv; charset=utf-8", render=_meta_csv),
    "meta.xml": FeedKind(content_type=XML, render=_meta_xml),
    "google.xml": FeedKind(content_type=XML, render=_google_xml),
    "tiktok.csv": FeedKind(content_type="text/csv; charset=utf-8", render=_tiktok_csv),
    "shopee.xlsx": FeedKind(content_type=XLSX, render=_shopee_xlsx),
    "shopee-stock.xlsx": FeedKind(content_type=XLSX, render=_shopee_stock_xlsx),
}


def feed_kind(name: str, language: str) -> FeedKind | None:
    """The feed ``name`` if it exists in ``language``; None otherwise."""
    kind = FEEDS.get(name)
    return kind if kind is not None and language in kind.languages else None
