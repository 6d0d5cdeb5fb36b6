"""Issuing documents: gap-free numbers and verification codes."""

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from binakarya.core.codes import random_code
from binakarya.documents.models import Document, NumberSequence
from binakarya.organizations.models import Organization

VERIFY_CODE_LENGTH = 12  # 60 bits: not guessable, still short enough to type from paper


@transaction.atomic
def number_next(*, organization: Organization, series: str, year: int | None = None) -> str:
    """The next number of ``series`` for the organization this year, e.g. ``SJ-SMP-2026-00007``.

    The counter row is locked, so concurrent callers get consecutive numbers without gaps.
    """
    year = year or timezone.localdate().year
    NumberSequence.objects.get_or_create(organization=organization, series=series, year=year)
    sequence = NumberSequence.objects.select_for_update(of=("self",)).get(
        organization=organization, series=series, year=year
    )
    sequence.last_value += 1
    sequence.save(update_fields=["last_value"])
    return f"{series}-{organization.code}-{year}-{sequence.last_value:05d}"


@transaction.atomic
def document_issue(
    *, actor: Any, organization: Organization, kind: str, number: str, title: str, public_figures: dict
) -> Document:
    """Record an issued document with a fresh verification code."""
    user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
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
