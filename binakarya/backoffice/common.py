"""Helpers shared by the views of every back office area.

A row looked up through a scoped selector (404 when it is missing or outside the user's organizations), a
page of a list and the query string of its other pages, a safe ``next`` address, PDFs handed over as
downloads, and a service's ValidationError put back next to the form field it names (stock shortfalls next
to the line that asks for too much).
"""

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import slugify
from django.utils.translation import gettext as _

from binakarya.core.exports import FORMATS as EXPORT_FORMATS
from binakarya.inventory.fifo import InsufficientStock

PAGE_SIZE = 50
PAGE_PARAMETER = "halaman"  # ?halaman=2: the page of a list

T = TypeVar("T")


def get_or_404(selector: Callable[..., T], **kwargs: Any) -> T:
    """Call a ``*_for`` selector; a row that is missing or outside the user's scope is a 404."""
    try:
        return selector(**kwargs)
    except ObjectDoesNotExist as exc:
        raise Http404(_("Not found.")) from exc


def safe_next(request: HttpRequest, default: str) -> str:
    """The ``next`` address of the request when it stays on this site, else ``default``."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return default


def paginate(request: HttpRequest, qs: QuerySet[Any, T] | Sequence[T], number: int | None = None) -> Page[T]:
    """Page ``number`` of ``qs`` (else the page the ``halaman`` parameter asks for), PAGE_SIZE rows a page."""
    return Paginator(qs, PAGE_SIZE).get_page(number or request.GET.get(PAGE_PARAMETER))


def query_without_page(request: HttpRequest) -> str:
    """The list's query string (its filters) without the page number: the pager's links add their own."""
    params = request.GET.copy()
    params.pop(PAGE_PARAMETER, None)
    return params.urlencode()


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    """A PDF as a download: phones save it and open it in their viewer, and the page stays where it was."""
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def site_base_url(request: HttpRequest) -> str:
    """The address the QR codes point to: this site, as the request reached it."""
    return request.build_absolute_uri("/").rstrip("/")


def add_service_errors(
    form: forms.Form,
    exc: ValidationError,
    *,
    field_map: dict[str, str] | None = None,
    default_field: str | None = None,
) -> None:
    """Attach a service's ValidationError to ``form``.

    Errors keyed by field go next to that field (renamed through ``field_map``) when the form has it,
    else to the whole form. A plain message (no field) goes to ``default_field``, or to the whole form.
    """
    field_map = field_map or {}
    if hasattr(exc, "error_dict"):
        for key, errors in exc.error_dict.items():
            name = field_map.get(key, key)
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(default_field, exc.error_list)


def place_shortfalls(form: forms.Form, line_forms: list[Any], exc: InsufficientStock) -> None:
    """Put each short SKU's message next to the quantity of the first line that asks for it.

    A shortfall no line asks for, or a refusal without shortfalls (the database refused the change
    after the check), goes on top of the form.
    """
    for short in exc.shortfalls:
        line_form = next(
            (f for f in line_forms if getattr(f.cleaned_data.get("variant"), "pk", None) == short.variant_id), None
        )
        if line_form is None:
            form.add_error(None, short.error())
        else:
            line_form.add_error("quantity", short.error())
    if not exc.shortfalls:
        form.add_error(None, exc.messages)


# Downloads of the staff lists (issue 10) ----------------------------------------------------------
# A list is downloaded from its own address with ``format=csv`` or ``format=xlsx`` added to what it shows (the
# organization, the year, the filters), so a download holds what the page holds, for the same user.


def export_links(request: HttpRequest, **params: object) -> dict[str, str]:
    """The page's address with its query (``params`` added, the page number left out), per download format."""
    query = request.GET.copy()
    query.pop("format", None)
    query.pop(PAGE_PARAMETER, None)
    for key, value in params.items():
        query[key] = str(value)
    links = {}
    for fmt in EXPORT_FORMATS:
        query["format"] = fmt
        links[fmt] = f"{request.path}?{query.urlencode()}"
    return links


def export_filename(*parts: object) -> str:
    """A download's name without its extension: "neraca-saldo-rutan-sumenep-2026-12-04"."""
    words = [slugify(str(part)) for part in parts]
    return "-".join([*(word for word in words if word), timezone.localdate().isoformat()])
