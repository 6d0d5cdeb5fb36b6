"""Staff pages of the channel feeds (issue 14): each seller's feed addresses to give Meta, Google, TikTok Shop
and Shopee, the marketplace files to download, and what each channel would refuse of each product.

Sellers are the facilities and UMKM producers whose catalog the user manages (``feeds.selectors``); another
seller is a 404. The files come from the same rows as the public feeds, and never name a maker.
"""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from binakarya.backoffice.access import has_any_role
from binakarya.backoffice.common import site_base_url
from binakarya.core.exports import CONTENT_TYPES
from binakarya.feeds import marketplaces, selectors, validation
from binakarya.organizations.models import Organization
from binakarya.organizations.scoping import CATALOG_ROLES

# The files of a seller's feeds, under /feeds/<seller>/<lang>/<file>.
FEED_FILES = (
    ("meta.csv", "Meta (CSV)"),
    ("meta.xml", "Meta (XML)"),
    ("google.xml", "Google Merchant Center"),
    ("tiktok.csv", "TikTok Shop"),
    ("shopee.xlsx", "Shopee"),
    ("shopee-stock.xlsx", gettext_lazy("Shopee (stock and price)")),
)
DOWNLOADS = ("tiktok.csv", "shopee.xlsx", "shopee-stock.xlsx")


@dataclass(frozen=True)
class FeedLink:
    label: object  # a name, or a lazily translated one
    language: str
    url: str
    served: bool  # False while the public address does not answer yet: the file is downloaded from here


def _feed_links(request: HttpRequest, seller: Organization) -> list[FeedLink]:
    links = []
    for language in selectors.LANGUAGES:
        for name, label in FEED_FILES:
            path = f"/feeds/{seller.slug}/{language}/{name}"
            try:
                resolve(path)
            except Resolver404:
                served = False
            else:
                served = True
            links.append(FeedLink(label=label, language=language, url=request.build_absolute_uri(path), served=served))
    return links


def _require_catalog(request: HttpRequest) -> None:
    if not has_any_role(request.user, CATALOG_ROLES):
        raise PermissionDenied(_("You do not manage a catalog."))


@login_required
@require_GET
def feeds(request: HttpRequest) -> HttpResponse:
    """Every seller's feed addresses and downloads; the channel checks of one (``?organisasi=<slug>``)."""
    _require_catalog(request)
    sellers = selectors.sellers_for_staff(user=request.user)
    slug = request.GET.get("organisasi", "").strip()
    chosen = next((s for s in sellers if s.slug == slug), None) if slug else (sellers[0] if sellers else None)
    if slug and chosen is None:
        raise Http404(_("Not found."))
    checks = []
    if chosen is not None:
        checks = validation.products_check(selectors.products_to_check(user=request.user, organization=chosen))
    return render(
        request,
        "backoffice/feeds.html",
        {
            "section": "feeds",
            "sellers": [{"seller": s, "links": _feed_links(request, s)} for s in sellers],
            "chosen": chosen,
            "checks": [c for c in checks if c.problems],
            "checked": len(checks),
            "ready": sum(1 for c in checks if not c.problems),
            "rules": [validation.RULES[c] for c in validation.CHANNELS],
            "downloads": DOWNLOADS,
            "languages": selectors.LANGUAGES,
        },
    )


@login_required
@require_GET
def feed_download(request: HttpRequest, slug: str, lang: str, name: str) -> HttpResponse:
    """A marketplace file of a seller the user manages: tiktok.csv, shopee.xlsx or shopee-stock.xlsx."""
    _require_catalog(request)
    if lang not in selectors.LANGUAGES or name not in DOWNLOADS:
        raise Http404(_("Not found."))
    try:
        seller = selectors.seller_for_staff(user=request.user, slug=slug)
    except Organization.DoesNotExist as exc:
        raise Http404(_("Not found.")) from exc
    items = selectors.feed_items(organization=seller, language=lang, base_url=site_base_url(request))
    if name == "tiktok.csv":
        response = HttpResponse(marketplaces.tiktok_csv(items), content_type=CONTENT_TYPES["csv"])
    elif name == "shopee.xlsx":
        response = HttpResponse(marketplaces.shopee_xlsx(items, language=lang), content_type=CONTENT_TYPES["xlsx"])
    else:
        response = HttpResponse(marketplaces.shopee_stock_xlsx(items), content_type=CONTENT_TYPES["xlsx"])
    response["Content-Disposition"] = f'attachment; filename="{seller.slug}-{lang}-{name}"'
    response["Cache-Control"] = "private, no-store"
    return response
