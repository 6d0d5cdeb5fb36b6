from binakarya.core.codes import normalize_code
from binakarya.core.types import Actor
from binakarya.documents.models import Document
from binakarya.organizations.scoping import scope


def document_get_public(*, code: str) -> Document:
    """The issued document with this verification code. Raises Document.DoesNotExist."""
    return Document.objects.select_related("organization").get(verify_code=normalize_code(code))


def document_for(*, user: Actor, number: str) -> Document:
    """The document with this number that ``user`` may see (its organization's staff and the scopes above
    it). Raises Document.DoesNotExist, also outside their scope.

    Numbers carry their series and the organization's unique code (TAG-SMP-2026-00001), so one number
    names one document.
    """
    return scope(Document.objects.all(), user).select_related("organization").get(number=number.strip())
