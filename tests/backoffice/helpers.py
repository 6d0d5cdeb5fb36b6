"""Image builders and small helpers for the back-office tests."""

import io
import struct
import zlib
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import dateformat, translation
from django.utils.html import escape
from django.utils.translation import gettext
from PIL import Image

GPS_IFD = 0x8825
MAKE = 0x010F


def text(message: str, **params) -> str:
    """``message`` in the default language (Indonesian), so the tests keep passing when the .po files grow."""
    with translation.override("id"):
        translated = gettext(message)
    return translated % params if params else translated


def day(value) -> str:
    """A date as the pages show it (``j M Y``) in the default language."""
    with translation.override("id"):
        return dateformat.format(value, "j M Y")


def html(message: str, **params) -> str:
    """:func:`text`, HTML-escaped as a page shows it."""
    return escape(text(message, **params))


def jpeg_with_gps(*, size: tuple[int, int] = (1600, 1200)) -> bytes:
    """A real JPEG carrying the camera make and a GPS position in its EXIF block."""
    image = Image.new("RGB", size, (180, 90, 40))
    exif = Image.Exif()
    exif[MAKE] = "PhoneCam"
    exif[GPS_IFD] = {1: "S", 2: (7.0, 0.0, 0.0), 3: "E", 4: (113.0, 52.0, 0.0)}
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes(), quality=85)
    return out.getvalue()


def noise_jpeg(*, size: tuple[int, int]) -> bytes:
    """A JPEG of random pixels, which compresses badly: a big file from a modest image."""
    import os

    image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=98)
    return out.getvalue()


def png_bytes(*, size: tuple[int, int] = (1, 1)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (255, 255, 255)).save(out, format="PNG")
    return out.getvalue()


def png_bomb(*, width: int = 20_000, height: int = 20_000) -> bytes:
    """A 1x1 PNG whose header claims ``width`` x ``height`` pixels, with a valid header CRC."""
    data = bytearray(png_bytes())
    # Signature (8) + chunk length (4) + b"IHDR" (4): width and height follow, then 5 bytes, then the CRC.
    assert data[12:16] == b"IHDR"
    data[16:24] = struct.pack(">II", width, height)
    crc = zlib.crc32(bytes(data[12:29])) & 0xFFFFFFFF
    data[29:33] = struct.pack(">I", crc)
    return bytes(data)


def upload(name: str, content: bytes, content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def files_under(root: Path) -> list[Path]:
    return sorted(p for p in Path(root).rglob("*") if p.is_file())
