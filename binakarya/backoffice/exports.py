"""Print and download buttons of the staff lists (trial balance, sales, PNBP, capital funds).

A list is downloaded from its own address with ``format=csv`` or ``format=xlsx`` added to what it shows (the
organization, the year, the filters), so a download holds what the page holds, for the same user.
"""

from django.http import HttpRequest
from django.utils import timezone
from django.utils.text import slugify

from binakarya.backoffice.common import PAGE_PARAMETER
from binakarya.core.exports import FORMATS


def export_links(request: HttpRequest, **params: object) -> dict[str, str]:
    """The page's address with its query (``params`` added) and ``format`` set, per format."""
    query = request.GET.copy()
    query.pop("format", None)
    query.pop(PAGE_PARAMETER, None)
    for key, value in params.items():
        query[key] = str(value)
    links = {}
    for fmt in FORMATS:
        query["format"] = fmt
        links[fmt] = f"{request.path}?{query.urlencode()}"
    return links


def export_filename(*parts: object) -> str:
    """A download's name without its extension: "neraca-saldo-rutan-sumenep-2026-12-04"."""
    words = [slugify(str(part)) for part in parts if str(part)]
    return "-".join([*(w for w in words if w), timezone.localdate().isoformat()])
