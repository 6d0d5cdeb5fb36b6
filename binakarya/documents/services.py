"""Issuing documents: gap-free numbers and verification codes."""

from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from binakarya.core.codes import random_code
from binakarya.documents.models import Document, NumberSequence
from binakarya.organizations.models import Organization

VERIFY_CODE_LENGTH = 12  # 60 bits: not guessable, still short enough to type from paper


def number_next(*, organization: Organization, series: str, year: int | None = None) -> str:
    """The next number of ``series`` for the organization this year, e.g. ``SJ-SMP-2026-00007``.

    The counter row stays locked until the caller's transaction ends, so concurrent callers get
    consecutive numbers without gaps; call it late in that transaction to hold the lock briefly.
    """
    year = year or timezone.localdate().year
    value = _sequence_advance(organization_id=organization.pk, series=series, year=year)
    if value is None:  # the series' first number this year
        NumberSequence.objects.get_or_create(organization=organization, series=series, year=year)
        value = _sequence_advance(organization_id=organization.pk, series=series, year=year)
    return f"{series}-{organization.code}-{year}-{value:05d}"


def _sequence_advance(*, organization_id: int, series: str, year: int) -> int | None:
    """Add one to the counter and return it, in one statement; the row stays locked until commit.

    None when the counter does not exist yet.
    """
    table = connection.ops.quote_name(NumberSequence._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET last_value = last_value + 1 "  # noqa: S608 (the table name is the model's own)
            "WHERE organization_id = %s AND series = %s AND year = %s RETURNING last_value",
            [organization_id, series, year],
        )
        row = cursor.fetchone()
    return row[0] if row else None


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
