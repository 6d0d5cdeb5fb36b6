"""Writes of the programs app (issue 15, first slice): agreements (MoU, PKS) and their obligations.

Only the organization's facility admin or producer operator records them (``actor=None`` is the system, as the
demo loader). Every write checks everything first and raises ValidationError with translated messages per field
(nothing saved) or PermissionDenied; each leaves one audit row.
"""

import calendar
import datetime
import re
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import EmailValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from binakarya.accounts.models import PendingPasswordChange
from binakarya.catalog.services import producer_create
from binakarya.core.audit import AuditAction, audit_record
from binakarya.core.phone import normalize_phone
from binakarya.core.slugs import unique_slug
from binakarya.core.types import Actor, user_of
from binakarya.makers.models import Maker
from binakarya.organizations.models import Membership, Organization, Role
from binakarya.organizations.scoping import has_role
from binakarya.organizations.services import organization_code_suggest
from binakarya.programs.models import Agreement, AgreementPartner, Livelihood, Obligation, OutcomeCheck, Release

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


def past_mentions(text: str, *, facility: Organization, maker: Maker) -> list[str]:
    """The words of ``text`` that would link a producer to its past: the facility's name, slug or code, the
    maker's registration number, or a word such as "rutan" or "warga binaan" (whole words, any case)."""
    lowered = " ".join(text.lower().split())
    if not lowered:
        return []
    found = [w for w in PAST_WORDS if re.search(rf"(?<![a-z0-9]){re.escape(w)}(?![a-z0-9])", lowered)]
    for marker in (facility.name, facility.slug, facility.code, maker.registration_number):
        marker = " ".join((marker or "").lower().split())
        if len(marker) >= 3 and marker in lowered:
            found.append(marker)
    return found


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
    """What is wrong with the operator's account, the checks of ``accounts.services.staff_create``."""
    User = get_user_model()
    errors: Errors = {}
    try:
        UnicodeUsernameValidator()(username)
    except ValidationError as exc:
        errors["operator_username"] = list(exc.messages)
    if not username:
        errors["operator_username"] = [_("Enter a username.")]
    elif len(username) > 150:
        errors["operator_username"] = [_("A username has at most 150 characters.")]
    elif User.objects.filter(username__iexact=username).exists():
        errors["operator_username"] = [_("This username is taken.")]
    if email:
        try:
            EmailValidator()(email)
        except ValidationError as exc:
            errors["operator_email"] = list(exc.messages)
    first, _sep, last = full_name.partition(" ")
    user = User(username=username, email=email, first_name=first[:150], last_name=last[:150])
    try:
        validate_password(password, user=user)
    except ValidationError as exc:
        errors["operator_password"] = list(exc.messages)
    return errors


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
    release = Release.objects.select_for_update().select_related("maker", "organization").get(pk=release.pk)
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
    if not province:
        add("province", _("Type the province."))
    elif len(province) > REGION_MAX:
        add("province", _("At most %(max)s characters.") % {"max": REGION_MAX})
    try:
        phone = normalize_phone(phone)
    except ValidationError as exc:
        errors.setdefault("phone", []).extend(exc.messages)
    if agency is not None and (agency.kind != Organization.Kind.AGENCY or not agency.is_active):
        add("agency", _("%(name)s is not an active agency.") % {"name": agency.name})
    if capital < 0:
        add("starting_capital_idr", _("The starting capital cannot be negative."))
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
    User = get_user_model()
    first, _sep, last = maker.full_name.partition(" ")
    user = User(username=operator_username, email=operator_email, first_name=first[:150], last_name=last[:150])
    user.set_password(operator_password)
    user.save()
    PendingPasswordChange.objects.create(user=user, set_by=user_of(actor))
    Membership.objects.create(user=user, organization=producer, role=Role.PRODUCER_OPERATOR)
    livelihood = Livelihood.objects.create(
        organization=facility,
        release=release,
        producer=producer,
        consent_date=consent_date,
        starting_capital_idr=capital,
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
    release = Release.objects.select_for_update().get(pk=release.pk)
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
