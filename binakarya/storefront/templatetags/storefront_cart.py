"""The header's cart count: units in the visitor's session cart (0, and no session opened, without one)."""

from typing import Any

from django import template

from binakarya.storefront.cart import cart_count

register = template.Library()


@register.simple_tag(takes_context=True)
def header_cart_count(context: dict[str, Any]) -> int:
    request = context.get("request")
    if "cart_count" in context:  # the cart's own pages know it already
        return int(context["cart_count"])
    return cart_count(request) if request is not None else 0
