"""Helpers that several routers share: the messages for unknown references in a request body, the
lookups of a location code and a group slug, the absolute URLs of an issued document and the current year.

Routers import from here, never from one another.
"""

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from binakarya.core.types import Actor
from binakarya.documents.models import Document
from binakarya.inventory.models import Location
from binakarya.inventory.selectors import location_for
from binakarya.makers.models import Group
from binakarya.makers.selectors import group_by_slug


def unknown_sku(sku: str) -> str:
    """The 400 message for a SKU that does not exist or is outside the caller's scope."""
    return _("Unknown SKU %(sku)s.") % {"sku": sku.strip().upper()}


def location_or_error(
    *, user: Actor, code: str, errors: dict[str, list[str]], field: str = "location"
) -> Location | None:
    """The location a body names by ``code`` if ``user`` may see it; else None, with a 400 message in
    ``errors[field]`` for a code that does not exist or is outside the caller's scope alike."""
    try:
        return location_for(user=user, code=code.strip())
    except Location.DoesNotExist:
        errors[field] = [_("Unknown location “%(code)s”. See GET /api/v1/locations.") % {"code": code}]
        return None


def group_or_error(*, user: Actor, slug: str | None, errors: dict[str, list[str]]) -> Group | None:
    """The group a body names by ``slug`` if ``user`` may see it; None without a slug, and None with a 400
    message in ``errors["group"]`` when it is unknown or outside the caller's scope alike."""
    if not slug:
        return None
    group = group_by_slug(user=user, slug=slug)
    if group is None:
        errors["group"] = [_("Unknown group “%(slug)s”. See GET /api/v1/groups.") % {"slug": slug}]
    return group


def document_url(request: HttpRequest, document: Document | None) -> str | None:
    """Absolute URL of the document's PDF (GET /api/v1/documents/{number}/pdf), or None."""
    if document is None:
        return None
    return request.build_absolute_uri(reverse("api:document_pdf", kwargs={"number": document.number}))


def verify_url(request: HttpRequest, document: Document | None) -> str | None:
    """Absolute URL of the document's public verification page, or None."""
    if document is None:
        return None
    return request.build_absolute_uri(reverse("storefront:verify", kwargs={"code": document.verify_code}))


def this_year() -> int:
    """The current calendar year in the site's time zone (Asia/Jakarta)."""
    return timezone.localdate().year
