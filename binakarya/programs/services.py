"""Writes of the programs app (issue 15): agreements (MoU, PKS) and their obligations; skills certificates and
the release checklist (section at the end).

Only the organization's facility admin or producer operator records them (``actor=None`` is the system, as the
demo loader). Every write checks everything first and raises ValidationError with translated messages per field
(nothing saved) or PermissionDenied; each leaves one audit row.
"""

import calendar
import datetime
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from binakarya.accounts.services import account_create, account_errors
from binakarya.catalog.models import Product
from binakarya.catalog.services import producer_create
from binakarya.core.audit import AuditAction, audit_record
from binakarya.core.money import format_rupiah
from binakarya.core.phone import normalize_phone
from binakarya.core.slugs import unique_slug
from binakarya.core.types import Actor, user_of
from binakarya.deals.models import Deal
from binakarya.documents import numbers
from binakarya.documents.models import Document
from binakarya.documents.services import document_figures_remove, document_issue
from binakarya.ledger.locks import makers_lock
from binakarya.ledger.models import CapitalMovement, Payout
from binakarya.ledger.selectors import maker_premi_owed
from binakarya.ledger.services import premi_payout
from binakarya.makers.models import Group, Maker
from binakarya.makers.services import maker_update
from binakarya.organizations.models import Membership, Organization, Role
from binakarya.organizations.scoping import has_role
from binakarya.organizations.services import organization_code_suggest
from binakarya.pos.models import PosSession
from binakarya.production.models import Contribution, Lot
from binakarya.programs.models import (
    Activity,
    ActivityPosSession,
    ActivityProduct,
    Agreement,
    AgreementDeal,
    AgreementGrant,
    AgreementPartner,
    Attendance,
    Certificate,
    Livelihood,
    Obligation,
    OutcomeCheck,
    Release,
)

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


# ---------------------------------------------------------------------------------------------------------------
# Skills certificates and the release checklist (issue 15).
#
# Hours of practice: a certificate may not claim more hours than are recorded for the maker, that is the hours
# credited for the activities they attended (Attendance.hours, present) plus their shares in the production lots
# whose shares are hours worked (Lot.ShareBasis.HOURS). A lot shared by units made records no hours, so it adds
# none. A maker with no recorded hours gets no certificate until a training or an hours-basis lot is recorded.
#
# Release: the facility admin (only) completes the checklist in one transaction: the maker is marked released,
# the whole premi balance is paid out through ledger.services.premi_payout, the certificate is issued and the
# Release row is written. Anything refused rolls everything back. The payout follows the facility's payout
# policy exactly as any other payout (ledger._payout_refusals): the method must be one the policy allows. The
# e-money card (spending inside) is not offered at release: the inside-spending limit is for life inside and
# would refuse the whole balance anyway, so release pays on release (cash), to savings or to family.
# ---------------------------------------------------------------------------------------------------------------

CERTIFICATE_ROLES = MANAGE_ROLES  # the facility admin (inmates) or the producer operator (artisans)
RELEASE_ROLES = frozenset({Role.FACILITY_ADMIN})
RELEASE_PAYOUT_METHODS = (Payout.Method.RELEASE, Payout.Method.SAVINGS, Payout.Method.FAMILY)
CRAFTS_MAX = 300
NOTE_MAX = 300


def may_issue_certificates(actor: Actor, organization: Organization | int) -> bool:
    return actor is None or has_role(actor, organization, CERTIFICATE_ROLES)


def may_complete_release(actor: Actor, organization: Organization | int) -> bool:
    return actor is None or has_role(actor, organization, RELEASE_ROLES)


def recorded_hours(*, maker: Maker) -> tuple[int, int]:
    """(training hours, production hours) recorded for ``maker``: hours credited for activities attended, and
    shares in hours-basis lots. Two queries. The cap of a certificate's hours is their sum."""
    training = Attendance.objects.filter(maker=maker, present=True).aggregate(total=Sum("hours"))["total"] or 0
    production = (
        Contribution.objects.filter(maker=maker, lot__share_basis=Lot.ShareBasis.HOURS).aggregate(total=Sum("share"))[
            "total"
        ]
        or 0
    )
    return int(training), int(production)


def _certificate_errors(
    *,
    maker: Maker,
    crafts: str,
    hours: int,
    period_start: datetime.date | None,
    period_end: datetime.date | None,
    partner: Organization | None,
) -> Errors:
    errors: Errors = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if not crafts:
        add("crafts", _("Say what the person can make."))
    elif len(crafts) > CRAFTS_MAX:
        add("crafts", _("What the person can make may be at most %(max)s characters.") % {"max": CRAFTS_MAX})
    training, production = recorded_hours(maker=maker)
    cap = training + production
    if hours <= 0:
        add("hours", _("Enter the hours of practice, more than 0."))
    elif hours > cap:
        add(
            "hours",
            _(
                "Only %(cap)s hours of practice are recorded for this maker (%(training)s in trainings, "
                "%(production)s in production by hours): the certificate may not claim more."
            )
            % {"cap": cap, "training": training, "production": production},
        )
    if period_start is None:
        add("period_start", _("Enter the first day of the period."))
    if period_end is None:
        add("period_end", _("Enter the last day of the period."))
    elif period_end > timezone.localdate():
        add("period_end", _("The period cannot end in the future."))
    if period_start and period_end and period_end < period_start:
        add("period_end", _("The period cannot end before it starts."))
    if partner is not None and (partner.kind != Organization.Kind.AGENCY or not partner.is_active):
        add("partner", _("%(name)s is not an active agency.") % {"name": partner.name})
    return errors


def certificate_public_figures(
    *,
    organization: Organization,
    maker: Maker,
    crafts: str,
    hours: int,
    period_start: datetime.date,
    period_end: datetime.date,
    partner: Organization | None,
    name_consent: bool,
) -> dict[str, Any]:
    """What the public verification page of a skills certificate may show: the facility, the crafts, the hours,
    the period and the co-signing agency; the person's full name only with their consent. Never a registration
    number."""
    figures: dict[str, Any] = {
        "facility": organization.name,
        "crafts": crafts,
        "hours": hours,
        "period_start": period_start.isoformat(),
        "period_end": period_end.isoformat(),
    }
    if partner is not None:
        figures["partner"] = partner.name
    if name_consent:
        figures["name"] = maker.full_name
    return figures


@transaction.atomic
def certificate_issue(
    *,
    actor: Actor,
    maker: Maker,
    crafts: str,
    hours: int,
    period_start: datetime.date,
    period_end: datetime.date,
    partner: Organization | None = None,
    name_consent: bool = False,
) -> Certificate:
    """Issue a skills certificate to ``maker``: a documents.Document of kind SKILLS_CERTIFICATE with a verification
    code, and the Certificate row. The facility admin (or an UMKM's producer operator) issues it.

    ``hours`` may not exceed the recorded hours (see ``recorded_hours``); ``partner``, the co-signing agency, must
    be an active agency. Raises ValidationError (nothing saved) and PermissionDenied.
    """
    organization = maker.organization
    if not may_issue_certificates(actor, organization):
        raise PermissionDenied(_("Only the facility admin or the producer operator issues skills certificates."))
    crafts = " ".join(crafts.split())
    errors = _certificate_errors(
        maker=maker,
        crafts=crafts,
        hours=hours,
        period_start=period_start,
        period_end=period_end,
        partner=partner,
    )
    if errors:
        raise ValidationError(errors)
    number = numbers.number_next(organization=organization, series=numbers.SKILLS_CERTIFICATE)
    document = document_issue(
        actor=actor,
        organization=organization,
        kind=Document.Kind.SKILLS_CERTIFICATE,
        number=number,
        title=_("Skills certificate %(number)s") % {"number": number},
        public_figures=certificate_public_figures(
            organization=organization,
            maker=maker,
            crafts=crafts,
            hours=hours,
            period_start=period_start,
            period_end=period_end,
            partner=partner,
            name_consent=name_consent,
        ),
    )
    certificate = Certificate.objects.create(
        organization=organization,
        maker=maker,
        document=document,
        partner=partner,
        crafts=crafts,
        hours=hours,
        period_start=period_start,
        period_end=period_end,
        name_consent=name_consent,
        issued_by=user_of(actor),
    )
    audit_record(
        actor=actor,
        action=AuditAction.PROGRAM_CERTIFICATE_ISSUE,
        obj=certificate,
        number=number,
        hours=hours,
        partner=partner.slug if partner else None,
        name_consent=name_consent,
    )
    return certificate


@transaction.atomic
def certificate_name_consent_withdraw(*, actor: Actor, certificate: Certificate) -> Certificate:
    """The person withdraws their consent to be named on the certificate's public verification page: the name
    leaves the document's public figures (the facility, crafts, hours, period and co-signer stay) and
    ``name_consent`` becomes False. The certificate itself (the PDF, theirs) still names them. The facility
    admin (or an UMKM's producer operator) of the certificate's organization records it. Raises PermissionDenied,
    and ValidationError when the person is not named there."""
    if not may_issue_certificates(actor, certificate.organization_id):
        raise PermissionDenied(
            _("Only the facility admin or the producer operator records a withdrawal of consent to be named.")
        )
    certificate = Certificate.objects.select_for_update(of=("self",)).select_related("document").get(pk=certificate.pk)
    if not certificate.name_consent and "name" not in certificate.document.public_figures:
        raise ValidationError(
            {"name_consent": [_("The person is not named on the public verification page of this certificate.")]}
        )
    certificate.document = document_figures_remove(document=certificate.document, keys=["name"])
    certificate.name_consent = False
    certificate.save(update_fields=["name_consent", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.PROGRAM_CERTIFICATE_NAME_CONSENT_WITHDRAW,
        obj=certificate,
        number=certificate.document.number,
    )
    return certificate


@transaction.atomic
def release_complete(
    *,
    actor: Actor,
    maker: Maker,
    released_on: datetime.date,
    payout_method: str = Payout.Method.RELEASE,
    recipient_name: str = "",
    recipient_relationship: str = "",
    reference: str = "",
    expected_owed_idr: int | None = None,
    certificate: dict[str, Any] | Certificate | None = None,
    outcomes_consent: bool = False,
    note: str = "",
) -> Release:
    """The release checklist of an inmate, in one transaction: mark the maker released, pay out the whole premi
    balance (always: nothing owed is left behind; none owed, no payout) by ``payout_method`` under the facility's payout policy, issue the certificate
    (``certificate``: the keyword arguments of ``certificate_issue`` but actor and maker, or a certificate
    already issued to this maker, or None for none) and record the Release row (one per maker).

    ``expected_owed_idr``: the balance the admin saw; if it changed meanwhile nothing is paid (as premi_payout).
    Only the facility admin completes it. Raises ValidationError (nothing saved, the payout included) and
    PermissionDenied.
    """
    organization = maker.organization
    if not may_complete_release(actor, organization):
        raise PermissionDenied(_("Only the facility admin completes the release checklist."))
    # One checklist at a time per maker (ledger.locks, the lock premi_payout takes too): a second one waits,
    # then finds the Release row and is refused before anything is paid.
    makers_lock(maker_ids=[maker.pk])
    maker = Maker.objects.select_related("organization").get(pk=maker.pk)
    note = note.strip()
    errors: Errors = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    done = Release.objects.filter(maker=maker).first()
    if done is not None:
        raise ValidationError(
            {
                "maker": [
                    _("The release of %(name)s was already completed on %(day)s.")
                    % {"name": maker.full_name, "day": date_format(done.released_on, "j F Y")}
                ]
            },
            code="already_released",
        )
    if maker.kind != Maker.Kind.INMATE:
        add("maker", _("Only an inmate is released."))
    elif maker.status == Maker.Status.TRANSFERRED:
        add("maker", _("%(name)s was transferred to another facility.") % {"name": maker.full_name})
    if released_on > timezone.localdate():
        add("released_on", _("The release date cannot be in the future."))
    elif maker.admission_date and released_on < maker.admission_date:
        add("released_on", _("The release date cannot be before admission."))
    if payout_method not in RELEASE_PAYOUT_METHODS:
        add("payout_method", _("At release premi is paid on release, to a savings account or to family."))
    if len(note) > NOTE_MAX:
        add("note", _("The note may be at most %(max)s characters.") % {"max": NOTE_MAX})
    if isinstance(certificate, Certificate):
        if certificate.maker_id != maker.pk:
            add("certificate", _("This certificate was issued to someone else."))
    elif certificate is not None:
        for field, messages in _certificate_errors(
            maker=maker,
            crafts=" ".join(str(certificate.get("crafts", "")).split()),
            hours=int(certificate.get("hours") or 0),
            period_start=certificate.get("period_start"),
            period_end=certificate.get("period_end"),
            partner=certificate.get("partner"),
        ).items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)

    if maker.status != Maker.Status.RELEASED:
        maker = maker_update(actor=actor, maker=maker, status=Maker.Status.RELEASED)
    payout = None
    owed = maker_premi_owed(maker=maker)
    if expected_owed_idr is not None and owed != expected_owed_idr:
        raise ValidationError(
            {
                "payout_method": [
                    _(
                        "What %(name)s is owed has changed since this checklist was opened (now %(owed)s). "
                        "Nothing was saved; open the checklist again."
                    )
                    % {"name": maker.full_name, "owed": format_rupiah(owed)}
                ]
            },
            code="owed_changed",
        )
    if owed > 0:
        payout = premi_payout(
            actor=actor,
            maker=maker,
            amount_idr=owed,
            method=payout_method,
            recipient_name=recipient_name,
            recipient_relationship=recipient_relationship,
            reference=reference,
            expected_owed_idr=owed,
        )
    issued: Certificate | None
    if isinstance(certificate, Certificate) or certificate is None:
        issued = certificate
    else:
        issued = certificate_issue(actor=actor, maker=maker, **certificate)
    try:
        with transaction.atomic():
            release = Release.objects.create(
                organization=organization,
                maker=maker,
                released_on=released_on,
                payout=payout,
                premi_paid_idr=payout.amount_idr if payout else 0,
                certificate=issued,
                outcomes_consent=outcomes_consent,
                note=note,
                completed_by=user_of(actor),
            )
    except IntegrityError as exc:  # a second checklist for this maker, or this certificate already used
        raise ValidationError(
            {"maker": [_("The release of %(name)s was already completed.") % {"name": maker.full_name}]},
            code="already_released",
        ) from exc
    audit_record(
        actor=actor,
        action=AuditAction.PROGRAM_RELEASE_COMPLETE,
        obj=release,
        released_on=released_on.isoformat(),
        premi_paid=release.premi_paid_idr,
        payout_method=payout.method if payout else None,
        certificate=issued.document.number if issued else None,
        outcomes_consent=outcomes_consent,
    )
    return release


# ---------------------------------------------------------------------------------------------------------------
# Activities and attendance; what came from an agreement (grants, deals, event sales) — issue 15
#
# The organization's facility admin, production officer or producer operator records activities and links
# their outcomes (products designed there, cashier sessions run there). Instructors take attendance too. The
# agreement's managers (MANAGE_ROLES) link grants and deals to it.
# ---------------------------------------------------------------------------------------------------------------

ACTIVITY_MANAGE_ROLES = frozenset({Role.FACILITY_ADMIN, Role.PRODUCTION_OFFICER, Role.PRODUCER_OPERATOR})
ATTENDANCE_ROLES = ACTIVITY_MANAGE_ROLES | {Role.INSTRUCTOR}
ACTIVITY_TITLE_MAX = 200
ACTIVITY_PLACE_MAX = 200
ACTIVITY_INSTRUCTORS_MAX = 300
ACTIVITY_HOURS_MAX = 1000


@dataclass(frozen=True)
class AttendanceRow:
    """One participant in an attendance call: ``hours`` None gives the activity's hours when present, 0 when
    absent."""

    maker: Maker
    present: bool = True
    hours: int | None = None


def may_manage_activities(actor: Actor, organization: Organization | int) -> bool:
    return actor is None or has_role(actor, organization, ACTIVITY_MANAGE_ROLES)


def may_take_attendance(actor: Actor, organization: Organization | int) -> bool:
    return actor is None or has_role(actor, organization, ATTENDANCE_ROLES)


def require_activity_manager(actor: Actor, organization: Organization | int) -> None:
    if not may_manage_activities(actor, organization):
        raise PermissionDenied(
            _("Only the facility admin, the production officer or the producer operator records activities.")
        )


def require_attendance_taker(actor: Actor, organization: Organization | int) -> None:
    if not may_take_attendance(actor, organization):
        raise PermissionDenied(_("Only the organization's instructors and activity managers take attendance."))


def _activity_check(
    *,
    organization: Organization,
    kind: str,
    title: str,
    place: str,
    start_date: datetime.date,
    end_date: datetime.date,
    hours: int,
    instructors: str,
    agreement: Agreement | None,
    partner: Organization | None,
    group: Group | None,
) -> Errors:
    errors: Errors = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if organization.kind not in SIGNER_KINDS:
        add("organization", _("Only a facility or a producer records its activities."))
    if kind not in Activity.Kind.values:
        add("kind", _("Choose the kind of activity."))
    if not title:
        add("title", _("Type the activity's title."))
    elif len(title) > ACTIVITY_TITLE_MAX:
        add("title", _("The title may be at most %(max)s characters.") % {"max": ACTIVITY_TITLE_MAX})
    if not place:
        add("place", _("Type where the activity takes place."))
    elif len(place) > ACTIVITY_PLACE_MAX:
        add("place", _("The place may be at most %(max)s characters.") % {"max": ACTIVITY_PLACE_MAX})
    if end_date < start_date:
        add("end_date", _("The end date may not be before the start date."))
    if isinstance(hours, bool) or not isinstance(hours, int) or hours <= 0:
        add("hours", _("Enter the hours of practice: more than 0."))
    elif hours > ACTIVITY_HOURS_MAX:
        add("hours", _("The hours of practice may be at most %(max)s.") % {"max": ACTIVITY_HOURS_MAX})
    if len(instructors) > ACTIVITY_INSTRUCTORS_MAX:
        add("instructors", _("The instructors may be at most %(max)s characters.") % {"max": ACTIVITY_INSTRUCTORS_MAX})
    if agreement is not None and agreement.organization_id != organization.pk:
        add("agreement", _("Choose an agreement of this organization."))
    if partner is not None:
        if partner.kind != Organization.Kind.AGENCY or not partner.is_active:
            add("partner", _("%(name)s is not an active agency.") % {"name": partner.name})
        elif (
            agreement is not None
            and agreement.organization_id == organization.pk
            and not AgreementPartner.objects.filter(agreement=agreement, agency=partner).exists()
        ):
            add(
                "partner",
                _("%(name)s is not a partner of agreement %(number)s: choose one of its partners.")
                % {"name": partner.name, "number": agreement.number},
            )
    if group is not None and group.organization_id != organization.pk:
        add("group", _("Choose a group of this organization."))
    return errors


@transaction.atomic
def activity_create(
    *,
    actor: Actor,
    organization: Organization,
    kind: str,
    title: str,
    place: str,
    start_date: datetime.date,
    end_date: datetime.date,
    hours: int,
    agreement: Agreement | None = None,
    partner: Organization | None = None,
    group: Group | None = None,
    instructors: str = "",
    outcomes: str = "",
    participants: Sequence[AttendanceRow | tuple[Maker, bool, int | None]] = (),
) -> Activity:
    """Record a training, mentoring, exhibition or promotion of ``organization``; ``participants`` (optional)
    takes its attendance in the same step. Raises ValidationError (nothing saved) and PermissionDenied."""
    require_activity_manager(actor, organization)
    title, place, instructors = title.strip(), place.strip(), instructors.strip()
    errors = _activity_check(
        organization=organization,
        kind=kind,
        title=title,
        place=place,
        start_date=start_date,
        end_date=end_date,
        hours=hours,
        instructors=instructors,
        agreement=agreement,
        partner=partner,
        group=group,
    )
    if errors:
        raise ValidationError(errors)
    activity = Activity.objects.create(
        organization=organization,
        kind=kind,
        title=title,
        agreement=agreement,
        partner=partner,
        group=group,
        place=place,
        start_date=start_date,
        end_date=end_date,
        hours=hours,
        instructors=instructors,
        outcomes=outcomes.strip(),
        created_by=user_of(actor),
    )
    audit_record(
        actor=actor,
        action=AuditAction.PROGRAM_ACTIVITY_CREATE,
        obj=activity,
        kind=kind,
        agreement=agreement.pk if agreement else None,
        partner=partner.slug if partner else None,
    )
    if participants:
        activity_attendance_record(actor=actor, activity=activity, rows=participants)
    return activity


@transaction.atomic
def activity_update(
    *,
    actor: Actor,
    activity: Activity,
    kind: str,
    title: str,
    place: str,
    start_date: datetime.date,
    end_date: datetime.date,
    hours: int,
    agreement: Agreement | None = None,
    partner: Organization | None = None,
    group: Group | None = None,
    instructors: str = "",
    outcomes: str = "",
) -> Activity:
    """Change an activity (its organization stays). Hours may not drop below hours already credited."""
    require_activity_manager(actor, activity.organization_id)
    activity = Activity.objects.select_for_update(of=("self",)).select_related("organization").get(pk=activity.pk)
    title, place, instructors = title.strip(), place.strip(), instructors.strip()
    errors = _activity_check(
        organization=activity.organization,
        kind=kind,
        title=title,
        place=place,
        start_date=start_date,
        end_date=end_date,
        hours=hours,
        instructors=instructors,
        agreement=agreement,
        partner=partner,
        group=group,
    )
    if "hours" not in errors:
        credited = Attendance.objects.filter(activity=activity, hours__gt=hours).exists()
        if credited:
            errors["hours"] = [_("Some participants are credited more hours than that: change their attendance first.")]
    if errors:
        raise ValidationError(errors)
    activity.kind, activity.title, activity.place = kind, title, place
    activity.start_date, activity.end_date, activity.hours = start_date, end_date, hours
    activity.agreement, activity.partner, activity.group = agreement, partner, group
    activity.instructors, activity.outcomes = instructors, outcomes.strip()
    activity.save()
    audit_record(
        actor=actor,
        action=AuditAction.PROGRAM_ACTIVITY_UPDATE,
        obj=activity,
        kind=kind,
        agreement=agreement.pk if agreement else None,
        partner=partner.slug if partner else None,
    )
    return activity


def _maker_label(maker: Maker, activity: Activity) -> str:
    """How an error names a maker: by name to the activity's own staff, by number otherwise (a maker of
    another organization is never named)."""
    return maker.full_name if maker.organization_id == activity.organization_id else f"#{maker.pk}"


@transaction.atomic
def activity_attendance_record(
    *,
    actor: Actor,
    activity: Activity,
    rows: Sequence[AttendanceRow | tuple[Maker, bool, int | None]],
) -> list[Attendance]:
    """Record who attended ``activity`` (the whole group in one call): one row per maker, replacing what was
    recorded for that maker before. An absent maker is credited 0 hours; a present one the activity's hours
    unless fewer are given. Any wrong row refuses the whole call (nothing saved).

    A maker no longer active (released, transferred) keeps the row recorded while they were active, unchanged:
    it counts toward hours a certificate may already claim. Listing them again with the same attendance is
    accepted and changes nothing (a client may post back the whole list it read); a change is refused, and so
    is a first row for them."""
    require_attendance_taker(actor, activity.organization_id)
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    items = [row if isinstance(row, AttendanceRow) else AttendanceRow(*row) for row in rows]
    problems: list[str] = []
    if not items:
        problems.append(_("List at least one participant."))
    if activity.start_date > timezone.localdate():
        problems.append(_("Attendance is taken once the activity has started."))
    inactive = [item.maker.pk for item in items if item.maker.status != Maker.Status.ACTIVE]
    kept_rows = (
        {a.maker_id: a for a in Attendance.objects.filter(activity=activity, maker_id__in=inactive)} if inactive else {}
    )
    seen: set[int] = set()
    resolved: list[tuple[Maker, bool, int]] = []
    kept: list[int] = []
    for item in items:
        maker, label = item.maker, _maker_label(item.maker, activity)
        if maker.pk in seen:
            problems.append(_("%(maker)s is listed twice.") % {"maker": label})
            continue
        seen.add(maker.pk)
        recorded = kept_rows.get(maker.pk)
        if maker.organization_id != activity.organization_id or (
            maker.status != Maker.Status.ACTIVE and recorded is None
        ):
            problems.append(_("%(maker)s is not an active maker of this organization.") % {"maker": label})
            continue
        hours = item.hours
        if recorded is not None:
            if hours is None:
                hours = activity.hours if item.present else 0
            if (item.present, hours) != (recorded.present, recorded.hours):
                problems.append(
                    _("%(maker)s is no longer an active maker: their recorded attendance stays as it is.")
                    % {"maker": label}
                )
            else:
                kept.append(maker.pk)
            continue
        if hours is None:
            hours = activity.hours if item.present else 0
        if isinstance(hours, bool) or not isinstance(hours, int) or hours < 0:
            problems.append(_("%(maker)s: type the hours as a whole number of 0 or more.") % {"maker": label})
        elif not item.present and hours:
            problems.append(_("%(maker)s is absent: an absent participant has no hours.") % {"maker": label})
        elif hours > activity.hours:
            problems.append(
                _("%(maker)s: at most %(hours)s hours, the activity's hours.")
                % {"maker": label, "hours": activity.hours}
            )
        else:
            resolved.append((maker, item.present, hours))
    if problems:
        raise ValidationError({"participants": problems})
    now, recorder = timezone.now(), user_of(actor)
    saved = []
    for maker, present, hours in resolved:
        attendance, _created = Attendance.objects.update_or_create(
            activity=activity,
            maker=maker,
            defaults={
                "organization_id": activity.organization_id,
                "present": present,
                "hours": hours,
                "recorded_by": recorder,
                "recorded_at": now,
            },
        )
        saved.append(attendance)
    audit_record(
        actor=actor,
        action=AuditAction.PROGRAM_ATTENDANCE_RECORD,
        obj=activity,
        present=[m.pk for m, p, _h in resolved if p],
        absent=[m.pk for m, p, _h in resolved if not p],
        kept=kept,
    )
    return saved


@transaction.atomic
def activity_product_add(*, actor: Actor, activity: Activity, product: Product) -> ActivityProduct:
    """Record that ``product`` (of the activity's organization) was designed at ``activity``."""
    require_activity_manager(actor, activity.organization_id)
    if product.organization_id != activity.organization_id:
        raise ValidationError({"product": [_("Choose a product of this organization.")]})
    if ActivityProduct.objects.filter(activity=activity, product=product).exists():
        raise ValidationError({"product": [_("This product is already an outcome of the activity.")]})
    row = ActivityProduct.objects.create(organization_id=activity.organization_id, activity=activity, product=product)
    audit_record(actor=actor, action=AuditAction.PROGRAM_ACTIVITY_PRODUCT_ADD, obj=activity, product=product.pk)
    return row


@transaction.atomic
def activity_product_remove(*, actor: Actor, activity: Activity, product: Product) -> None:
    require_activity_manager(actor, activity.organization_id)
    deleted, _rows = ActivityProduct.objects.filter(activity=activity, product=product).delete()
    if not deleted:
        raise ValidationError({"product": [_("This product is not an outcome of the activity.")]})
    audit_record(actor=actor, action=AuditAction.PROGRAM_ACTIVITY_PRODUCT_REMOVE, obj=activity, product=product.pk)


@transaction.atomic
def activity_pos_session_link(*, actor: Actor, activity: Activity, session: PosSession) -> ActivityPosSession:
    """Count the sales of cashier ``session`` (of the activity's organization) as the activity's sales."""
    require_activity_manager(actor, activity.organization_id)
    if session.organization_id != activity.organization_id:
        raise ValidationError({"session": [_("Choose a cashier session of this organization.")]})
    taken = ActivityPosSession.objects.filter(session=session).select_related("activity").first()
    if taken is not None:
        raise ValidationError(
            {
                "session": [
                    _("Cashier session %(number)s is already linked to “%(title)s”.")
                    % {"number": session.number, "title": taken.activity.title}
                ]
            }
        )
    try:
        with transaction.atomic():
            row = ActivityPosSession.objects.create(
                organization_id=activity.organization_id, activity=activity, session=session
            )
    except IntegrityError as exc:  # linked by someone else a moment ago
        raise ValidationError({"session": [_("This cashier session is already linked to an activity.")]}) from exc
    audit_record(actor=actor, action=AuditAction.PROGRAM_ACTIVITY_POS_LINK, obj=activity, session=session.number)
    return row


@transaction.atomic
def activity_pos_session_unlink(*, actor: Actor, activity: Activity, session: PosSession) -> None:
    require_activity_manager(actor, activity.organization_id)
    deleted, _rows = ActivityPosSession.objects.filter(activity=activity, session=session).delete()
    if not deleted:
        raise ValidationError({"session": [_("This cashier session is not linked to the activity.")]})
    audit_record(actor=actor, action=AuditAction.PROGRAM_ACTIVITY_POS_UNLINK, obj=activity, session=session.number)


@transaction.atomic
def agreement_grant_link(*, actor: Actor, agreement: Agreement, movement: CapitalMovement) -> AgreementGrant:
    """Record that capital grant ``movement`` (of the agreement's organization) was given under ``agreement``."""
    require_manager(actor, agreement.organization_id)
    if movement.organization_id != agreement.organization_id:
        raise ValidationError({"movement": [_("Choose a grant of this organization.")]})
    if movement.kind != CapitalMovement.Kind.GRANT:
        raise ValidationError({"movement": [_("Only a capital grant is linked to an agreement.")]})
    if AgreementGrant.objects.filter(movement=movement).exists():
        raise ValidationError({"movement": [_("This grant is already linked to an agreement.")]})
    try:
        with transaction.atomic():
            row = AgreementGrant.objects.create(
                organization_id=agreement.organization_id, agreement=agreement, movement=movement
            )
    except IntegrityError as exc:
        raise ValidationError({"movement": [_("This grant is already linked to an agreement.")]}) from exc
    audit_record(
        actor=actor,
        action=AuditAction.PROGRAM_GRANT_LINK,
        obj=agreement,
        movement=movement.pk,
        amount_idr=movement.amount_idr,
    )
    return row


@transaction.atomic
def agreement_grant_unlink(*, actor: Actor, agreement: Agreement, movement: CapitalMovement) -> None:
    require_manager(actor, agreement.organization_id)
    deleted, _rows = AgreementGrant.objects.filter(agreement=agreement, movement=movement).delete()
    if not deleted:
        raise ValidationError({"movement": [_("This grant is not linked to the agreement.")]})
    audit_record(actor=actor, action=AuditAction.PROGRAM_GRANT_UNLINK, obj=agreement, movement=movement.pk)


@transaction.atomic
def agreement_deal_link(*, actor: Actor, agreement: Agreement, deal: Deal) -> AgreementDeal:
    """Record that agency purchase ``deal`` (sold by the agreement's organization) came from ``agreement``."""
    require_manager(actor, agreement.organization_id)
    if deal.organization_id != agreement.organization_id:
        raise ValidationError({"deal": [_("Choose a deal of this organization.")]})
    if deal.status == Deal.Status.CANCELLED:
        raise ValidationError({"deal": [_("A cancelled deal is not linked to an agreement.")]})
    if AgreementDeal.objects.filter(deal=deal).exists():
        raise ValidationError({"deal": [_("This deal is already linked to an agreement.")]})
    try:
        with transaction.atomic():
            row = AgreementDeal.objects.create(
                organization_id=agreement.organization_id, agreement=agreement, deal=deal
            )
    except IntegrityError as exc:
        raise ValidationError({"deal": [_("This deal is already linked to an agreement.")]}) from exc
    audit_record(
        actor=actor, action=AuditAction.PROGRAM_DEAL_LINK, obj=agreement, deal=deal.number, total_idr=deal.total_idr
    )
    return row


@transaction.atomic
def agreement_deal_unlink(*, actor: Actor, agreement: Agreement, deal: Deal) -> None:
    require_manager(actor, agreement.organization_id)
    deleted, _rows = AgreementDeal.objects.filter(agreement=agreement, deal=deal).delete()
    if not deleted:
        raise ValidationError({"deal": [_("This deal is not linked to the agreement.")]})
    audit_record(actor=actor, action=AuditAction.PROGRAM_DEAL_UNLINK, obj=agreement, deal=deal.number)


# ---------------------------------------------------------------------------------------------------------------
# After release: a livelihood with consent, and the outcome checks at 6 and 12 months (issue 15).
#
# ``livelihood_start`` turns a released maker who consented into an ordinary UMKM producer: a new
# Organization(kind=PRODUCER), its public catalog profile, and a PRODUCER_OPERATOR account with a temporary
# password (changed at the first sign-in, as every staff account a facility admin creates). The Livelihood row
# that links the producer to its past belongs to the releasing facility and is read only by its own staff.
# Nothing of the producer (name, slug, code, description, parent) may reveal the past: words such as "rutan",
# "lapas", "warga binaan", the facility's name, slug or code, and the maker's registration number are refused.
# No ARTISAN maker is created: a lot needs a maker, and the operator adds themself on the Makers page when
# they start recording lots, under the name they choose; Binakarya does not copy the person's record across.
# ---------------------------------------------------------------------------------------------------------------

LIVELIHOOD_ROLES = frozenset({Role.FACILITY_ADMIN})
OUTCOME_ROLES = frozenset({Role.FACILITY_ADMIN, Role.PRODUCTION_OFFICER})
OUTCOME_MONTHS = (6, 12)
BUSINESS_NAME_MAX = 200
REGION_MAX = 100
# The premi savings of one person: far below this; anything above is a typing slip (an extra zero or three).
MAX_STARTING_CAPITAL_IDR = 1_000_000_000
# Words that tell a reader the producer was once in a correctional facility (Indonesian and English).
PAST_WORDS = (
    "rutan",
    "lapas",
    "lpka",
    "warga binaan",
    "napi",
    "narapidana",
    "tahanan",
    # "bebas" alone also means "free of" ("bebas pengawet"), and "binaan" alone "supported by" ("UMKM binaan
    # Disperindag"): only the phrases that speak of a release are refused.
    "setelah bebas",
    "baru bebas",
    "sejak bebas",
    "bebas bersyarat",
    "pembebasan bersyarat",
    "cuti bersyarat",
    "pemasyarakatan",
    "penjara",
    "bui",
    "eks napi",
    "mantan napi",
    "prison",
    "inmate",
    "jail",
)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` plus ``months`` calendar months (31 August + 6 months is 28 or 29 February)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _mentions(word: str, lowered: str) -> bool:
    """Whether ``word`` occurs in ``lowered`` as a whole word (not inside a longer word or number)."""
    return re.search(rf"(?<![a-z0-9]){re.escape(word)}(?![a-z0-9])", lowered) is not None


def past_mentions(text: str, *, facility: Organization, maker: Maker) -> list[str]:
    """The words of ``text`` that would link a producer to its past: the facility's name, slug, code or
    address, the maker's registration number, or a word such as "rutan" or "warga binaan" (whole words, any
    case: the code "SMP" is refused in "batik SMP", not in "SMPlus")."""
    lowered = " ".join(text.lower().split())
    if not lowered:
        return []
    found = [w for w in PAST_WORDS if _mentions(w, lowered)]
    for marker in (facility.name, facility.slug, facility.code, maker.registration_number):
        marker = " ".join((marker or "").lower().split())
        if len(marker) >= 3 and _mentions(marker, lowered) and marker not in found:
            found.append(marker)
    # The address, and its first line or segment (the street and number: "Jl. Urip Sumoharjo No. 5"); not when
    # it is only the regency or province, which the person may share with the facility.
    region = {" ".join((r or "").lower().split()) for r in (facility.regency, facility.province)}
    street = re.split(r"[,\n]", facility.address or "", maxsplit=1)[0]
    for marker in (facility.address, street):
        marker = " ".join((marker or "").lower().split())
        if len(marker) >= 8 and marker not in region and _mentions(marker, lowered) and marker not in found:
            found.append(marker)
    return found


def phone_digits(raw: str) -> str:
    """A phone number's digits in international form (0812… and +62 812… alike give 62812…), leniently: a
    facility's landline need not pass ``normalize_phone``."""
    digits = re.sub(r"\D", "", raw or "")
    if digits.startswith("0"):
        return "62" + digits[1:]
    if digits.startswith("8"):
        return "62" + digits
    return digits


def _past_message(found: list[str]) -> str:
    return _(
        "This would tell the public about the person's past (%(words)s). A producer is shown like any other UMKM: "
        "describe the business and its products only."
    ) % {"words": ", ".join(f"\u201c{w}\u201d" for w in found)}


def may_start_livelihood(actor: Actor, release: Release) -> bool:
    return actor is None or has_role(actor, release.organization_id, LIVELIHOOD_ROLES)


def may_record_outcome(actor: Actor, release: Release) -> bool:
    return actor is None or has_role(actor, release.organization_id, OUTCOME_ROLES)


def _operator_errors(*, username: str, email: str, full_name: str, password: str) -> Errors:
    """What is wrong with the operator's account (accounts.services.account_errors), named by this form's fields."""
    found = account_errors(username=username, email=email, full_name=full_name, password=password)
    return {f"operator_{field}": messages for field, messages in found.items()}


@transaction.atomic
def livelihood_start(
    *,
    actor: Actor,
    release: Release,
    consent_date: datetime.date,
    business_name: str,
    regency: str,
    province: str,
    phone: str = "",
    description: str = "",
    agency: Organization | None = None,
    operator_username: str,
    operator_password: str,
    operator_email: str = "",
    starting_capital_idr: int | None = None,
) -> Livelihood:
    """Make the released maker of ``release``, who consented on ``consent_date``, an UMKM producer on
    Binakarya: the producer organization (supported by ``agency`` when given), its public profile, its operator's
    account (a temporary password to change at the first sign-in) and the Livelihood row of the facility.

    ``starting_capital_idr`` defaults to the premi paid at release; it is shown to the operator only. Only the
    releasing facility's admin starts it, once per release, for a maker marked released. Raises
    PermissionDenied and ValidationError (nothing saved).
    """
    if not may_start_livelihood(actor, release):
        raise PermissionDenied(_("Only the admin of the facility that released this person starts their livelihood."))
    # of=("self",): lock the release row only, not the facility's Organization row (PostgreSQL would lock every
    # joined row), which would hold up all the facility's writes while the password is hashed.
    release = Release.objects.select_for_update(of=("self",)).select_related("maker", "organization").get(pk=release.pk)
    facility, maker = release.organization, release.maker
    business_name, description = " ".join(business_name.split()), description.strip()
    regency, province = " ".join(regency.split()), " ".join(province.split())
    operator_username, operator_email = operator_username.strip(), operator_email.strip()
    capital = release.premi_paid_idr if starting_capital_idr is None else starting_capital_idr
    errors: Errors = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if Livelihood.objects.filter(release=release).exists():
        add("release", _("A livelihood was already started for this release."))
    if maker.status != Maker.Status.RELEASED:
        add("release", _("The maker is not marked released yet: complete the release first."))
    if consent_date < release.released_on - datetime.timedelta(days=366) or consent_date > timezone.localdate():
        add("consent_date", _("The consent date must be a real date, not in the future."))
    if not business_name:
        add("business_name", _("Type the business's name."))
    elif len(business_name) > BUSINESS_NAME_MAX:
        add("business_name", _("The name may be at most %(max)s characters.") % {"max": BUSINESS_NAME_MAX})
    else:
        found = past_mentions(business_name, facility=facility, maker=maker)
        if found:
            add("business_name", _past_message(found))
    found = past_mentions(description, facility=facility, maker=maker)
    if found:
        add("description", _past_message(found))
    if not regency:
        add("regency", _("Type the regency or city."))
    elif len(regency) > REGION_MAX:
        add("regency", _("At most %(max)s characters.") % {"max": REGION_MAX})
    elif found := past_mentions(regency, facility=facility, maker=maker):
        add("regency", _past_message(found))
    if not province:
        add("province", _("Type the province."))
    elif len(province) > REGION_MAX:
        add("province", _("At most %(max)s characters.") % {"max": REGION_MAX})
    elif found := past_mentions(province, facility=facility, maker=maker):
        add("province", _past_message(found))
    try:
        phone = normalize_phone(phone)
    except ValidationError as exc:
        errors.setdefault("phone", []).extend(exc.messages)
    else:
        # The phone is public on the producer's profile: the facility's own number would give the past away.
        if phone and phone_digits(phone) == phone_digits(facility.phone):
            add("phone", _("This is the facility's phone number: give the new business's own number."))
    if agency is not None and (agency.kind != Organization.Kind.AGENCY or not agency.is_active):
        add("agency", _("%(name)s is not an active agency.") % {"name": agency.name})
    if capital < 0:
        add("starting_capital_idr", _("The starting capital cannot be negative."))
    elif capital > MAX_STARTING_CAPITAL_IDR:
        add(
            "starting_capital_idr",
            _("The starting capital may be at most %(max)s: it is the person's premi savings.")
            % {"max": format_rupiah(MAX_STARTING_CAPITAL_IDR)},
        )
    for field, messages in _operator_errors(
        username=operator_username, email=operator_email, full_name=maker.full_name, password=operator_password
    ).items():
        errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)

    producer = Organization.objects.create(
        kind=Organization.Kind.PRODUCER,
        name=business_name,
        slug=unique_slug(Organization, business_name, max_length=100),
        code=organization_code_suggest(name=business_name),
        regency=regency,
        province=province,
        phone=phone,
        description=description,
        parent=agency,
    )
    # The public profile: the facility's admin does not manage this catalog, so it is written as the system.
    producer_create(actor=None, organization=producer, name=business_name, description=description, phone=phone)
    user = account_create(
        username=operator_username,
        email=operator_email,
        full_name=maker.full_name,
        password=operator_password,
        set_by=actor,
    )
    Membership.objects.create(user=user, organization=producer, role=Role.PRODUCER_OPERATOR)
    livelihood = Livelihood.objects.create(
        organization=facility,
        release=release,
        producer=producer,
        consent_date=consent_date,
        starting_capital_idr=capital,
        operator=user,
        created_by=user_of(actor),
    )
    # The audit row belongs to the facility: the producer's own history says nothing of where it came from.
    audit_record(
        actor=actor,
        action=AuditAction.PROGRAM_LIVELIHOOD_START,
        obj=livelihood,
        organization=facility,
        release=release.pk,
        producer=producer.pk,
        operator=user.pk,
    )
    return livelihood


@transaction.atomic
def outcome_record(
    *,
    actor: Actor,
    release: Release,
    months: int,
    checked_on: datetime.date,
    producing: bool,
    income_band: str,
) -> OutcomeCheck:
    """Record what a released maker who consented said ``months`` (6 or 12) after release. Only the facility's
    admin or production officer records it, on or after the calendar date ``months`` after release, once per
    milestone. Raises PermissionDenied and ValidationError (nothing saved)."""
    if not may_record_outcome(actor, release):
        raise PermissionDenied(_("Only the admin or production officer of the releasing facility records outcomes."))
    release = Release.objects.select_for_update(of=("self",)).get(pk=release.pk)
    errors: Errors = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if not release.outcomes_consent:
        add("release", _("This person did not agree to be asked about their livelihood."))
    if months not in OUTCOME_MONTHS:
        add("months", _("Choose 6 or 12 months."))
    else:
        due = add_months(release.released_on, months)
        if checked_on < due:
            add(
                "checked_on",
                _("The %(months)s-month check is asked on or after %(date)s.")
                % {"months": months, "date": due.strftime("%d-%m-%Y")},
            )
        if OutcomeCheck.objects.filter(release=release, months=months).exists():
            add("months", _("The %(months)s-month answer is already recorded.") % {"months": months})
    if checked_on > timezone.localdate():
        add("checked_on", _("The date cannot be in the future."))
    if income_band not in OutcomeCheck.IncomeBand.values:
        add("income_band", _("Choose an income band."))
    if errors:
        raise ValidationError(errors)
    check = OutcomeCheck.objects.create(
        organization_id=release.organization_id,
        release=release,
        months=months,
        checked_on=checked_on,
        producing=producing,
        income_band=income_band,
        recorded_by=user_of(actor),
    )
    audit_record(actor=actor, action=AuditAction.PROGRAM_OUTCOME_RECORD, obj=check, release=release.pk, months=months)
    return check
