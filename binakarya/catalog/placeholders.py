"""Decent placeholder product photos for demo data: a coloured card with the product's name."""

import hashlib
import io
import textwrap
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

PALETTE = [
    ((122, 59, 36), (246, 226, 196)),  # soga brown on cream
    ((27, 61, 95), (225, 236, 245)),  # indigo
    ((44, 94, 66), (229, 242, 230)),  # leaf green
    ((140, 38, 51), (250, 228, 228)),  # maroon
    ((168, 104, 24), (253, 241, 214)),  # turmeric
    ((70, 54, 110), (236, 230, 248)),  # violet
]
FONT_CANDIDATES = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
]


@lru_cache(maxsize=8)
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for path in FONT_CANDIDATES:
        try:
            return ImageFont.truetype(path, size)
        except OSError:
            continue
    return ImageFont.load_default(size=size)


def placeholder_jpeg(title: str, subtitle: str = "", *, size: int = 900) -> bytes:
    """A square JPEG card: a patterned background, the title and a subtitle, colours keyed on the title."""
    digest = hashlib.sha256(title.encode()).digest()
    ink, paper = PALETTE[digest[0] % len(PALETTE)]
    image = Image.new("RGB", (size, size), paper)
    draw = ImageDraw.Draw(image)
    step = size // 9
    # A simple kawung-like dot pattern so the cards do not look empty.
    for y in range(step // 2, size, step):
        for x in range(step // 2, size, step):
            r = step // 5
            draw.ellipse((x - r, y - r, x + r, y + r), outline=ink, width=2)
    margin = size // 12
    draw.rectangle((margin, size // 3, size - margin, size - size // 4), fill=paper, outline=ink, width=6)
    font = _font(size // 14)
    lines = textwrap.wrap(title, width=18)[:3]
    y = size // 3 + size // 14
    for line in lines:
        width = draw.textlength(line, font=font)
        draw.text(((size - width) / 2, y), line, font=font, fill=ink)
        y += int(size / 12)
    if subtitle:
        small = _font(size // 26)
        for line in textwrap.wrap(subtitle, width=40)[:2]:
            width = draw.textlength(line, font=small)
            draw.text(((size - width) / 2, y + size // 40), line, font=small, fill=ink)
            y += size // 22
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return out.getvalue()
