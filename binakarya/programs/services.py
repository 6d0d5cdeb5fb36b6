"""Writes of the programs app (issue 15, first slice): agreements (MoU, PKS) and their obligations.

Only the organization's facility admin or producer operator records them (``actor=None`` is the system, as the
demo loader). Every write checks everything first and raises ValidationError with translated messages per field
(nothing saved) or PermissionDenied; each leaves one audit row.
"""

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from binakarya.core.audit import AuditAction, audit_record
from binakarya.core.types import Actor, user_of
from binakarya.organizations.models import Organization, Role
from binakarya.organizations.scoping import has_role
from binakarya.programs.models import Agreement, AgreementPartner, Obligation

MANAGE_ROLES = frozenset({Role.FACILITY_ADMIN, Role.PRODUCER_OPERATOR})
SIGNER_KINDS = frozenset({Organization.Kind.FACILITY, Organization.Kind.PRODUCER})
SIGNED_DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
PDF_TAIL_BYTES = 2048
NUMBER_MAX = 100
TITLE_MAX = 200
DESCRIPTION_MAX = 300

Errors = dict[str, list[str]]


def may_manage(actor: Actor, organization: Organization | int) -> bool:
    """Whether ``actor`` records the agreements of ``organization`` (the system always does)."""
    return actor is None or has_role(actor, organization, MANAGE_ROLES)


def require_manager(actor: Actor, organization: Organization | int) -> None:
    if not may_manage(actor, organization):
        raise PermissionDenied(_("Only the facility admin or the producer operator records agreements."))


def pdf_problem(document: UploadedFile) -> str | None:
    """Why ``document`` is not an acceptable signed agreement, or None: a real PDF (header and end marker)
    of at most 10 MB."""
    size = document.size or 0
    if size > SIGNED_DOCUMENT_MAX_BYTES:
        return _("The signed agreement may be at most 10 MB.")
    document.seek(0)
    head = document.read(5)
    document.seek(max(size - PDF_TAIL_BYTES, 0))
    tail = document.read()
    document.seek(0)
    if head != b"%PDF-" or b"%%EOF" not in tail:
        return _("Upload the signed agreement as a PDF file.")
    return None


def _check(
    *,
    organization: Organization,
    kind: str,
    number: str,
    title: str,
    partners: list[Organization],
    start_date: datetime.date,
    end_date: datetime.date | None,
    signed_document: UploadedFile | None,
    exclude_pk: int | None = None,
) -> Errors:
    errors: Errors = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if organization.kind not in SIGNER_KINDS:
        add("organization", _("Only a facility or a producer records its agreements."))
    if kind not in Agreement.Kind.values:
        add("kind", _("Choose MoU or PKS."))
    if not number:
        add("number", _("Type the agreement's number."))
    elif len(number) > NUMBER_MAX:
        add("number", _("The number may be at most %(max)s characters.") % {"max": NUMBER_MAX})
    else:
        taken = Agreement.objects.filter(organization=organization, number__iexact=number)
        if exclude_pk is not None:
            taken = taken.exclude(pk=exclude_pk)
        if taken.exists():
            add("number", _("This organization already has an agreement numbered %(number)s.") % {"number": number})
    if not title:
        add("title", _("Type the agreement's title."))
    elif len(title) > TITLE_MAX:
        add("title", _("The title may be at most %(max)s characters.") % {"max": TITLE_MAX})
    if not partners:
        add("partners", _("Choose at least one partner agency."))
    for agency in partners:
        if agency.kind != Organization.Kind.AGENCY or not agency.is_active:
            add("partners", _("%(name)s is not an active agency.") % {"name": agency.name})
    if end_date is not None and end_date <= start_date:
        add("end_date", _("The end date must be after the start date."))
    if signed_document is not None:
        problem = pdf_problem(signed_document)
        if problem:
            add("signed_document", problem)
    return errors


def _number_taken(number: str) -> ValidationError:
    return ValidationError(
        {"number": [_("This organization already has an agreement numbered %(number)s.") % {"number": number}]}
    )


@transaction.atomic
def agreement_create(
    *,
    actor: Actor,
    organization: Organization,
    kind: str,
    number: str,
    title: str,
    partners: Iterable[Organization],
    signed_date: datetime.date,
    start_date: datetime.date,
    end_date: datetime.date | None = None,
    scope: str = "",
    signed_document: UploadedFile | None = None,
) -> Agreement:
    """Record an agreement of ``organization`` with ``partners`` (agencies). Raises ValidationError (nothing
    saved) and PermissionDenied."""
    require_manager(actor, organization)
    number, title, agencies = number.strip(), title.strip(), list(dict.fromkeys(partners))
    errors = _check(
        organization=organization,
        kind=kind,
        number=number,
        title=title,
        partners=agencies,
        start_date=start_date,
        end_date=end_date,
        signed_document=signed_document,
    )
    if errors:
        raise ValidationError(errors)
    agreement = Agreement(
        organization=organization,
        kind=kind,
        number=number,
        title=title,
        signed_date=signed_date,
        start_date=start_date,
        end_date=end_date,
        scope=scope.strip(),
        created_by=user_of(actor),
    )
    try:
        with transaction.atomic():
            agreement.save()
    except IntegrityError as exc:  # the same number saved by someone else a moment ago
        raise _number_taken(number) from exc
    AgreementPartner.objects.bulk_create(
        [AgreementPartner(organization=organization, agreement=agreement, agency=a) for a in agencies]
    )
    if signed_document is not None:
        agreement.signed_document.save(f"{organization.slug}-{agreement.pk}.pdf", signed_document, save=True)
    audit_record(
        actor=actor,
        action=AuditAction.PROGRAM_AGREEMENT_CREATE,
        obj=agreement,
        number=number,
        partners=[a.slug for a in agencies],
    )
    return agreement


@transaction.atomic
def agreement_update(
    *,
    actor: Actor,
    agreement: Agreement,
    kind: str,
    number: str,
    title: str,
    partners: Iterable[Organization],
    signed_date: datetime.date,
    start_date: datetime.date,
    end_date: datetime.date | None = None,
    scope: str = "",
    signed_document: UploadedFile | None = None,
) -> Agreement:
    """Change an agreement; ``signed_document`` None keeps the PDF it has. Partners a party to an obligation
    stay. Raises ValidationError (nothing saved) and PermissionDenied."""
    require_manager(actor, agreement.organization_id)
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    number, title, agencies = number.strip(), title.strip(), list(dict.fromkeys(partners))
    errors = _check(
        organization=agreement.organization,
        kind=kind,
        number=number,
        title=title,
        partners=agencies,
        start_date=start_date,
        end_date=end_date,
        signed_document=signed_document,
        exclude_pk=agreement.pk,
    )
    bound = set(
        Obligation.objects.filter(agreement=agreement, party__isnull=False).values_list("party_id", flat=True)
    ) - {a.pk for a in agencies}
    if bound:
        errors.setdefault("partners", []).append(
            _("A partner with obligations under this agreement cannot be removed.")
        )
    if errors:
        raise ValidationError(errors)
    agreement.kind, agreement.number, agreement.title = kind, number, title
    agreement.signed_date, agreement.start_date, agreement.end_date = signed_date, start_date, end_date
    agreement.scope = scope.strip()
    try:
        with transaction.atomic():
            agreement.save()
    except IntegrityError as exc:
        raise _number_taken(number) from exc
    AgreementPartner.objects.filter(agreement=agreement).exclude(agency__in=agencies).delete()
    have = set(AgreementPartner.objects.filter(agreement=agreement).values_list("agency_id", flat=True))
    AgreementPartner.objects.bulk_create(
        [
            AgreementPartner(organization=agreement.organization, agreement=agreement, agency=a)
            for a in agencies
            if a.pk not in have
        ]
    )
    if signed_document is not None:
        agreement.signed_document.save(f"{agreement.organization.slug}-{agreement.pk}.pdf", signed_document, save=True)
    audit_record(
        actor=actor,
        action=AuditAction.PROGRAM_AGREEMENT_UPDATE,
        obj=agreement,
        number=number,
        partners=[a.slug for a in agencies],
        document_replaced=signed_document is not None,
    )
    return agreement


@transaction.atomic
def agreement_document_attach(*, actor: Actor, agreement: Agreement, signed_document: UploadedFile) -> Agreement:
    """Attach (or replace) the signed PDF of an agreement. Raises ValidationError (nothing saved) or
    PermissionDenied."""
    require_manager(actor, agreement.organization_id)
    problem = pdf_problem(signed_document)
    if problem:
        raise ValidationError({"signed_document": [problem]})
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    replaced = bool(agreement.signed_document)
    agreement.signed_document.save(f"{agreement.organization.slug}-{agreement.pk}.pdf", signed_document, save=True)
    audit_record(
        actor=actor,
        action=AuditAction.PROGRAM_AGREEMENT_UPDATE,
        obj=agreement,
        number=agreement.number,
        document_replaced=replaced,
        document_attached=True,
    )
    return agreement


@transaction.atomic
def obligation_add(
    *,
    actor: Actor,
    agreement: Agreement,
    description: str,
    due_date: datetime.date,
    party: Organization | None = None,
) -> Obligation:
    """Record what ``party`` (a partner of the agreement; None: our side) promised by ``due_date``."""
    require_manager(actor, agreement.organization_id)
    description = description.strip()
    errors: Errors = {}
    if not description:
        errors["description"] = [_("Describe the obligation.")]
    elif len(description) > DESCRIPTION_MAX:
        errors["description"] = [_("The description may be at most %(max)s characters.") % {"max": DESCRIPTION_MAX}]
    if party is not None and not AgreementPartner.objects.filter(agreement=agreement, agency=party).exists():
        errors["party"] = [_("Choose our side or a partner of this agreement.")]
    if errors:
        raise ValidationError(errors)
    obligation = Obligation.objects.create(
        organization_id=agreement.organization_id,
        agreement=agreement,
        party=party,
        description=description,
        due_date=due_date,
    )
    audit_record(
        actor=actor,
        action=AuditAction.PROGRAM_OBLIGATION_ADD,
        obj=obligation,
        agreement=agreement.pk,
        party=party.slug if party else None,
        due_date=due_date.isoformat(),
    )
    return obligation


@transaction.atomic
def obligation_done(*, actor: Actor, obligation: Obligation) -> Obligation:
    """Mark an obligation done (once: a second time is refused)."""
    require_manager(actor, obligation.organization_id)
    obligation = Obligation.objects.select_for_update().get(pk=obligation.pk)
    if obligation.done_at is not None:
        raise ValidationError(_("This obligation is already marked done."))
    obligation.done_at = timezone.now()
    obligation.done_by = user_of(actor)
    obligation.save(update_fields=["done_at", "done_by", "updated_at"])
    audit_record(actor=actor, action=AuditAction.PROGRAM_OBLIGATION_DONE, obj=obligation)
    return obligation
