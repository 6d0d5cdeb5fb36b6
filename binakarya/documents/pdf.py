"""PDF rendering with WeasyPrint, and QR codes with segno.

WeasyPrint (and its Pango libraries) is imported only when a PDF is made, so the rest of the site
runs on a machine without them.
"""

from typing import Any

import segno
from django.conf import settings
from django.template.loader import render_to_string


def qr_data_uri(data: str, *, scale: int = 4) -> str:
    """An SVG QR code as a data: URI, ready for <img src>."""
    return segno.make(data, error="m").svg_data_uri(scale=scale, border=2)


def absolute_url(path: str) -> str:
    return settings.SITE_URL + path


def render_pdf(template_name: str, context: dict[str, Any]) -> bytes:
    from weasyprint import HTML

    html = render_to_string(template_name, context)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
