"""Indonesian phone numbers and WhatsApp links."""

import re
from urllib.parse import quote

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def normalize_phone(raw: str) -> str:
    """Return a number in international form without '+', e.g. ``6281234567890``.

    Accepts ``0812-3456-7890``, ``+62 812 3456 7890`` and ``6281234567890``. An empty input stays
    empty. Raises ValidationError for anything else.
    """
    digits = re.sub(r"[\s\-().]", "", raw or "")
    if not digits:
        return ""
    if digits.startswith("+"):
        digits = digits[1:]
    if not digits.isdigit():
        raise ValidationError(_("Enter a phone number using digits only, e.g. 0812 3456 7890."), code="phone")
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    elif digits.startswith("8"):
        digits = "62" + digits
    if not digits.startswith("62") or not 10 <= len(digits) <= 15:
        raise ValidationError(_("Enter an Indonesian phone number, e.g. 0812 3456 7890."), code="phone")
    return digits


def whatsapp_url(phone: str, text: str = "") -> str:
    """A ``https://wa.me/62…?text=…`` link, or an empty string when there is no number."""
    if not phone:
        return ""
    url = f"https://wa.me/{phone}"
    if text:
        url += "?text=" + quote(text, safe="")
    return url


def display_phone(phone: str) -> str:
    """``6281234567890`` shown as ``0812-3456-7890``."""
    if not phone:
        return ""
    local = "0" + phone[2:] if phone.startswith("62") else phone
    return "-".join(filter(None, [local[:4], local[4:8], local[8:]]))
