"""Public product feeds for the sales channels (issue 14): thin views over binakarya.feeds.

``/feeds/<seller>/<lang>/meta.csv``, ``meta.xml`` and ``google.xml``, outside the language prefixes: the
language is part of the feed's stable URL. A GET with the feed's current ETag in If-None-Match is a 304.
"""

from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.http import condition, require_safe

from binakarya.feeds import renderers, selectors
from binakarya.organizations.models import Organization

# Channels fetch a feed a few times a day; a proxy may keep it this long before asking again.
FEED_MAX_AGE_SECONDS = 300


def _seller(slug: str, lang: str) -> Organization:
    if lang not in selectors.LANGUAGES:
        raise Http404(_("This feed does not exist."))
    try:
        return selectors.seller_get(slug=slug)
    except Organization.DoesNotExist as exc:
        raise Http404(_("This organization does not exist.")) from exc


def _etag(request: HttpRequest, slug: str, lang: str) -> str | None:
    try:
        organization = _seller(slug, lang)
    except Http404:
        return None  # the view answers 404
    return f"{lang}-{selectors.feed_version(organization=organization).etag}"


def _feed_view(kind: str) -> Callable[..., HttpResponse]:
    # The 304 is decided by the ETag alone: Last-Modified does not move on a stock-only change
    # (selectors.feed_version), so it is sent for information and not given to ``condition``.
    @require_safe
    @condition(etag_func=_etag)
    def view(request: HttpRequest, slug: str, lang: str) -> HttpResponse:
        organization = _seller(slug, lang)
        base_url = request.build_absolute_uri("/").rstrip("/")
        items = selectors.feed_items(organization=organization, language=lang, base_url=base_url)
        if kind == "meta.csv":
            response = HttpResponse(renderers.meta_csv(items), content_type="text/csv; charset=utf-8")
        else:
            channel = selectors.feed_channel(organization=organization, language=lang, base_url=base_url)
            body = renderers.rss_xml(
                items,
                title=channel.title,
                link=channel.link,
                description=channel.description,
                google=kind == "google.xml",
            )
            response = HttpResponse(body, content_type="application/xml; charset=utf-8")
        response["Content-Disposition"] = f'inline; filename="{organization.slug}-{lang}-{kind}"'
        response["Content-Language"] = lang
        last_modified = selectors.feed_version(organization=organization).last_modified
        if last_modified is not None:
            response["Last-Modified"] = http_date(last_modified.timestamp())
        patch_cache_control(response, public=True, max_age=FEED_MAX_AGE_SECONDS)
        return response

    view.__name__ = view.__qualname__ = f"feed_{kind.replace('.', '_')}"
    return view


meta_csv = _feed_view("meta.csv")
meta_xml = _feed_view("meta.xml")
google_xml = _feed_view("google.xml")
