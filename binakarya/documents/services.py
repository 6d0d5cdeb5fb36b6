"""Issuing documents with verification codes (their numbers come from ``documents.numbers``)."""

from django.db import IntegrityError, transaction

from binakarya.core.codes import random_code
from binakarya.core.types import Actor, user_of
from binakarya.documents.models import Document
from binakarya.organizations.models import Organization

VERIFY_CODE_LENGTH = 12  # 60 bits: not guessable, still short enough to type from paper


@transaction.atomic
def document_issue(
    *, actor: Actor, organization: Organization, kind: str, number: str, title: str, public_figures: dict
) -> Document:
    """Record an issued document with a fresh verification code."""
    user = user_of(actor)
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Document.objects.create(
                    organization=organization,
                    kind=kind,
                    number=number,
                    verify_code=random_code(VERIFY_CODE_LENGTH),
                    title=title,
                    public_figures=public_figures,
                    issued_by=user,
                )
        except IntegrityError:
            if Document.objects.filter(organization=organization, kind=kind, number=number).exists():
                raise
    raise RuntimeError("could not draw a free verification code")
