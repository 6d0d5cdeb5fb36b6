"""Checking a buyer's proof of payment: a photo (re-encoded, its metadata dropped) or a PDF."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.utils.translation import gettext as _

from binakarya.catalog.images import process_photo

PDF_MAGIC = b"%PDF-"


def proof_prepare(upload: File, *, name_stem: str) -> ContentFile:
    """The file to keep for an uploaded proof. Raises ValidationError (too large, empty, neither a photo nor a PDF)."""
    max_bytes = settings.UPLOAD_MAX_BYTES
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise ValidationError(
            _("The file is too large (%(size)s MB). The limit is %(limit)s MB.")
            % {"size": round(size / 1_048_576, 1), "limit": max_bytes // 1_048_576},
            code="too_large",
        )
    head = upload.read(len(PDF_MAGIC))
    upload.seek(0)
    if head == PDF_MAGIC:
        data = upload.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise ValidationError(
                _("The file is too large. The limit is %(limit)s MB.") % {"limit": max_bytes // 1_048_576},
                code="too_large",
            )
        if b"%%EOF" not in data[-2048:]:
            raise ValidationError(_("This PDF is damaged or incomplete. Upload it again."), code="bad_pdf")
        return ContentFile(data, name=f"{name_stem}.pdf")
    try:
        photo = process_photo(upload, name_stem=name_stem)
    except ValidationError as exc:
        if exc.code in {"not_image"}:
            raise ValidationError(
                _("Upload a photo (JPEG, PNG, WebP) or a PDF of the transfer receipt."), code="not_proof"
            ) from exc
        raise
    return ContentFile(photo.large.read(), name=photo.name)
