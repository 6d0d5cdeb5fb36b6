"""Issuing documents with verification codes (their numbers come from ``documents.numbers``)."""

from collections.abc import Iterable

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


@transaction.atomic
def document_figures_remove(*, document: Document, keys: Iterable[str]) -> Document:
    """Remove ``keys`` from what ``document``'s public verification page shows (for example a name whose consent
    was withdrawn), keeping every other figure. The calling domain service checks who may and audits it."""
    document = Document.objects.select_for_update(of=("self",)).get(pk=document.pk)
    drop = set(keys)
    figures = {key: value for key, value in document.public_figures.items() if key not in drop}
    if figures != document.public_figures:
        document.public_figures = figures
        document.save(update_fields=["public_figures"])
    return document
