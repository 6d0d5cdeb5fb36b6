"""Product photo processing: refuse what is not a safe image, strip metadata, make WebP renditions."""

import io
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "MPO"}
LARGE_BOX = (1200, 1200)
THUMB_SIZE = (480, 480)
# What a two-column phone grid needs: a card is about 158 CSS px wide on a 360 px screen, which is
# 316 device pixels on the usual cheap phone (device pixel ratio 2). Chromium picks the smallest
# srcset candidate at least that wide, so a 240 px rendition would only ever serve 1x screens.
SMALL_THUMB_SIZE = (320, 320)
WEBP_QUALITY = 80
# The small rendition is what phones on slow networks download most; a little more compression
# costs little at its size (a 320 px placeholder card is 7.7 KB at 70 instead of 9.4 KB at 80).
SMALL_WEBP_QUALITY = 70


@dataclass(frozen=True)
class ProcessedImage:
    name: str  # the file name of both renditions, <name_stem>.webp
    large: ContentFile
    thumbnail: ContentFile
    thumbnail_small: ContentFile
    width: int
    height: int


def _webp(image: Image.Image, quality: int = WEBP_QUALITY) -> bytes:
    out = io.BytesIO()
    # No exif= and no icc_profile= arguments: the renditions carry pixels only.
    image.save(out, format="WEBP", quality=quality, method=4)
    return out.getvalue()


def process_photo(upload: File, *, name_stem: str = "photo") -> ProcessedImage:
    """Validate an uploaded image and return metadata-free WebP renditions.

    Raises ValidationError (with a message in the active language) for files that are too big,
    are not images, are of an unsupported format, or declare too many pixels (decompression bombs).
    """
    max_bytes = settings.UPLOAD_MAX_BYTES
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise ValidationError(
            _("The file is too large (%(size)s MB). The limit is %(limit)s MB.")
            % {"size": round(size / 1_048_576, 1), "limit": max_bytes // 1_048_576},
            code="too_large",
        )
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ValidationError(
            _("The file is too large. The limit is %(limit)s MB.") % {"limit": max_bytes // 1_048_576}, code="too_large"
        )
    if not data:
        raise ValidationError(_("The file is empty."), code="empty")

    max_pixels = settings.UPLOAD_MAX_PIXELS
    # GIF is accepted: its first frame is kept as a still photo, like any other image.
    not_image = ValidationError(
        _("This file is not a photo. Upload a JPEG, PNG, WebP or GIF image (a GIF is kept as a still picture)."),
        code="not_image",
    )
    bomb = ValidationError(
        _("This image is too large in pixels to be processed safely. Use a photo of at most %(mp)s megapixels.")
        % {"mp": max_pixels // 1_000_000},
        code="too_many_pixels",
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        previous_limit = Image.MAX_IMAGE_PIXELS
        Image.MAX_IMAGE_PIXELS = max_pixels
        try:
            try:
                probe = Image.open(io.BytesIO(data))
            except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
                raise bomb from exc
            except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
                raise not_image from exc
            if probe.format not in ALLOWED_FORMATS:
                raise not_image
            width, height = probe.size
            if width * height > max_pixels or width < 1 or height < 1:
                raise bomb
            try:
                probe.verify()
                image: Image.Image = Image.open(io.BytesIO(data))
                image.load()
            except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
                raise bomb from exc
            except Exception as exc:  # truncated or corrupt files raise a variety of errors
                raise not_image from exc
        finally:
            Image.MAX_IMAGE_PIXELS = previous_limit

    # Honour the phone's orientation tag before it is dropped with the rest of the metadata.
    image = ImageOps.exif_transpose(image)
    if image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGBA" if "A" in image.getbands() or image.mode == "P" else "RGB")
    if image.mode == "RGBA":
        background = Image.new("RGB", image.size, (255, 255, 255))
        background.paste(image, mask=image.getchannel("A"))
        image = background

    large = image.copy()
    large.thumbnail(LARGE_BOX, Image.Resampling.LANCZOS)
    thumb = ImageOps.fit(image, THUMB_SIZE, Image.Resampling.LANCZOS)
    small = thumb.resize(SMALL_THUMB_SIZE, Image.Resampling.LANCZOS)
    name = f"{name_stem}.webp"
    return ProcessedImage(
        name=name,
        large=ContentFile(_webp(large), name=name),
        thumbnail=ContentFile(_webp(thumb), name=name),
        thumbnail_small=ContentFile(_webp(small, SMALL_WEBP_QUALITY), name=name),
        width=large.width,
        height=large.height,
    )


def small_rendition(thumbnail: File) -> ContentFile:
    """The 320 px rendition made from a stored 480 px thumbnail (for photos stored before it existed)."""
    with Image.open(thumbnail) as stored:
        image = stored.convert("RGB")
    small = image.resize(SMALL_THUMB_SIZE, Image.Resampling.LANCZOS)
    return ContentFile(_webp(small, SMALL_WEBP_QUALITY))
