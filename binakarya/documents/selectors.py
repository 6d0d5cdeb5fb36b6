from binakarya.core.codes import normalize_code
from binakarya.documents.models import Document


def document_get_public(*, code: str) -> Document:
    """The issued document with this verification code. Raises Document.DoesNotExist."""
    return Document.objects.select_related("organization").get(verify_code=normalize_code(code))
