"""English texts on the storefront (issue 13): a product's or producer's English text, or the Indonesian one
marked as such, and indicative foreign prices."""

from django import template
from django.utils.translation import get_language

from binakarya.catalog.export_selectors import LocalizedText, localized
from binakarya.catalog.models import Producer, Product

register = template.Library()


@register.simple_tag
def english(obj: Product | Producer, name: str) -> LocalizedText:
    """``{% english product "name" as name %}``: ``name.text`` in the active language, ``name.fallback`` when
    the English page shows the Indonesian text (the template marks it with lang="id" and a label)."""
    return localized(obj, name, get_language() or "")


@register.simple_tag(takes_context=True)
def absolute_url(context: template.Context, url: str) -> str:
    """``url`` with this site's scheme and host when it is a path; an address already absolute (media in a
    bucket, MEDIA_STORAGE=s3) as it is."""
    request = context.get("request")
    return request.build_absolute_uri(url) if request is not None else url
