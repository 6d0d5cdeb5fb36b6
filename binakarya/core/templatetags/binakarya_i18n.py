from django import template
from django.template import Context
from django.urls import translate_url

register = template.Library()


@register.simple_tag(takes_context=True)
def language_url(context: Context, language: str) -> str:
    """The current page (path and query) in ``language``."""
    request = context.get("request")
    return translate_url(request.get_full_path(), language) if request else "/"
