"""Public product feeds for the sales channels (issue 14): thin views over binakarya.feeds.

``/feeds/<seller>/<lang>/<name>`` for each feed file of ``feeds.registry.FEEDS`` (``meta.csv``, ``meta.xml``,
``google.xml``, …), outside the language prefixes: the language is part of the feed's stable URL. The body
is the stored file the task worker keeps up to date (feeds.services); a request never renders it, except
the very first for a seller, before any rebuild has run. A GET with the file's ETag in If-None-Match (or,
without one, its Last-Modified in If-Modified-Since) is a 304.
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, quote_etag
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from binakarya.feeds import registry, selectors, services
from binakarya.organizations.models import Organization

# Channels fetch a feed a few times a day; a proxy may keep it this long before asking again.
FEED_MAX_AGE_SECONDS = 300


@require_safe
def feed(request: HttpRequest, slug: str, lang: str, name: str) -> HttpResponse:
    kind = registry.feed_kind(name, lang)
    if kind is None:
        raise Http404(_("This feed does not exist."))
    try:
        organization = selectors.seller_get(slug=slug)
    except Organization.DoesNotExist as exc:
        raise Http404(_("This organization does not exist.")) from exc
    stored = selectors.feed_file_get(organization=organization, language=lang, name=name)
    if stored is None:
        # A seller (or a feed kind) that no rebuild has reached yet: build it now, once.
        services.feeds_rebuild(organization=organization)
        stored = selectors.feed_file_get(organization=organization, language=lang, name=name)
        if stored is None:
            raise Http404(_("This feed does not exist."))
    etag = quote_etag(stored.etag)
    last_modified = int(stored.modified_at.timestamp())
    response = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if response is None:
        response = HttpResponse(selectors.feed_file_body(pk=stored.pk), content_type=kind.content_type)
        response["Content-Disposition"] = f'inline; filename="{organization.slug}-{lang}-{name}"'
        response["Content-Language"] = lang
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    patch_cache_control(response, public=True, max_age=FEED_MAX_AGE_SECONDS)
    return response
