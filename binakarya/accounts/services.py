"""Writes for accounts: API tokens, the reference data editors of /admin/, and the staff accounts that a
facility's admin manages (create, temporary password, role, deactivate). Each staff write checks the
``organizations.manage_staff`` rule and leaves an audit row."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group as AuthGroup
from django.contrib.auth.models import Permission, User
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import EmailValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from binakarya.accounts.models import ApiToken, PendingPasswordChange, hash_token
from binakarya.core.audit import AuditAction, audit_record
from binakarya.core.types import Actor, user_of
from binakarya.organizations.models import Membership, Organization
from binakarya.organizations.scoping import ASSIGNABLE_ROLES, STAFF_ADMIN_ROLES, visible_organizations


@transaction.atomic
def api_token_create(*, user: User, name: str = "") -> tuple[ApiToken, str]:
    """Create a token for ``user``; returns the row and the raw token, which is not stored."""
    raw = ApiToken.generate()
    token = ApiToken.objects.create(user=user, name=name, prefix=raw[:10], key_hash=hash_token(raw))
    return token, raw


def api_token_authenticate(*, raw: str) -> User | None:
    """The active user owning ``raw``, or None. Records when the token was last used."""
    if not raw or not raw.startswith("bk_"):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_token(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 300:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def user_by_username(*, username: str) -> User:
    """Raises ``User.DoesNotExist``."""
    return get_user_model().objects.get(username=username)


# Reference data editors -------------------------------------------------------------------------------
#
# The Django admin at /admin/ is for reference data only: what every organization shares and no tenant
# owns (the craft categories, the register of facilities, agencies, outlets and producers). Its user is
# staff (it may open /admin/) but not a superuser, and belongs to one group whose permissions name those
# models and nothing else: no users, passwords, memberships, makers, journal or sales. A superuser
# (``manage.py createsuperuser``) stays the operators' deliberate break-glass path; see docs/accounts.md.

REFERENCE_EDITORS_GROUP = "Reference data"
# (app label, model name) of the models the reference data editors keep, and what they may do with them.
REFERENCE_DATA_MODELS: tuple[tuple[str, str], ...] = (("catalog", "category"), ("organizations", "organization"))
REFERENCE_DATA_ACTIONS: tuple[str, ...] = ("view", "add", "change")


@transaction.atomic
def reference_editors_group_sync() -> AuthGroup:
    """Create the "Reference data" group, or put its permissions back to exactly the reference ones."""
    group, _created = AuthGroup.objects.get_or_create(name=REFERENCE_EDITORS_GROUP)
    permissions = []
    for app_label, model_name in REFERENCE_DATA_MODELS:
        content_type = ContentType.objects.get_by_natural_key(app_label, model_name)
        for action in REFERENCE_DATA_ACTIONS:
            permission, _created = Permission.objects.get_or_create(
                content_type=content_type,
                codename=f"{action}_{model_name}",
                defaults={"name": f"Can {action} {model_name}"},
            )
            permissions.append(permission)
    group.permissions.set(permissions)
    return group


@transaction.atomic
def reference_editor_ensure(*, username: str, password_hash: str = "", full_name: str = "") -> User:
    """Make ``username`` (created with ``password_hash`` when missing) a reference data editor: staff for
    /admin/, not a superuser, with the "Reference data" group's permissions and no others. Give it no
    role in an organization: it is the operators' account, not a facility's."""
    group = reference_editors_group_sync()
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is None:
        first, _sep, last = full_name.partition(" ")
        user = User(username=username, email=f"{username}@binakarya.local", first_name=first, last_name=last)
        if password_hash:
            user.password = password_hash
        else:
            user.set_unusable_password()
    user.is_staff, user.is_superuser = True, False
    user.save()
    user.groups.set([group])
    user.user_permissions.clear()
    return user


# Staff accounts, managed by their facility's admin ----------------------------------------------------


def staff_roles_assignable(*, organization: Organization) -> tuple[str, ...]:
    """The roles a facility admin may give in ``organization`` (none for kinds without staff admins)."""
    return ASSIGNABLE_ROLES.get(organization.kind, ())


def _require_staff_admin(actor: Actor, organization: Organization) -> None:
    if actor is not None and not actor.has_perm("organizations.manage_staff", organization):
        raise PermissionDenied(_("Only a facility admin of %(org)s manages its staff.") % {"org": organization.name})


def _check_role(organization: Organization, role: str) -> None:
    if role not in staff_roles_assignable(organization=organization):
        raise ValidationError({"role": _("This role cannot be given in %(org)s.") % {"org": organization.name}})


def _require_facility_account(actor: Actor, user: User) -> None:
    """``user`` is a facility's staff, not a superuser or an /admin/ user (those are the operators')."""
    if actor is not None and (user.is_superuser or user.is_staff):
        raise PermissionDenied(_("This account is managed by the operators, not by a facility."))


def _require_manageable(actor: Actor, user: User) -> None:
    """``user``'s password is the actor's to set: a facility's staff account, and every organization the
    user has (or had) a role in is one the actor is a facility admin of. Otherwise one facility could take
    over an account that also reads another organization's data."""
    _require_facility_account(actor, user)
    if actor is None:
        return
    administered = visible_organizations(actor, roles=STAFF_ADMIN_ROLES, oversight=False)
    if Membership.objects.filter(user=user).exclude(organization__in=administered).exists():
        raise PermissionDenied(
            _("This person also works for another organization; ask the operators to change their account.")
        )


def _require_not_self(actor: Actor, user: User, message: str) -> None:
    if actor is not None and actor.pk == user.pk:
        raise ValidationError(message)


def _validate_password(password: str, user: User) -> None:
    try:
        validate_password(password, user=user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc


def _require_temporary_password_change(actor: Actor, user: User) -> None:
    PendingPasswordChange.objects.update_or_create(user=user, defaults={"set_by": user_of(actor)})
    # A new password ends what the old one allowed: the sessions end with it (Django checks a hash of the
    # password in each session), and so do the API tokens.
    ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())


@transaction.atomic
def _unsaved_user(*, username: str, email: str, full_name: str) -> User:
    first, _sep, last = full_name.partition(" ")
    return get_user_model()(username=username, email=email, first_name=first[:150], last_name=last[:150])


def account_errors(*, username: str, email: str, full_name: str, password: str) -> dict[str, list[str]]:
    """What is wrong with a new account's username, email and password (by field), checked against the
    person's ``full_name`` too; empty when nothing is. Reads the database once (is the username taken)."""
    errors: dict[str, list[str]] = {}
    try:
        UnicodeUsernameValidator()(username)
    except ValidationError as exc:
        errors["username"] = list(exc.messages)
    if not username:
        errors["username"] = [_("Enter a username.")]
    elif len(username) > 150:
        errors["username"] = [_("A username has at most 150 characters.")]
    elif get_user_model().objects.filter(username__iexact=username).exists():
        errors["username"] = [_("This username is taken.")]
    if email:
        try:
            EmailValidator()(email)
        except ValidationError as exc:
            errors["email"] = list(exc.messages)
    try:
        validate_password(password, user=_unsaved_user(username=username, email=email, full_name=full_name))
    except ValidationError as exc:
        errors["password"] = list(exc.messages)
    return errors


def account_create(*, username: str, email: str, full_name: str, password: str, set_by: Actor) -> User:
    """Save a new account whose temporary ``password`` must be changed at the first sign-in (checked first
    with :func:`account_errors`)."""
    user = _unsaved_user(username=username, email=email, full_name=full_name)
    user.set_password(password)
    user.save()
    PendingPasswordChange.objects.create(user=user, set_by=user_of(set_by))
    return user


def staff_create(
    *,
    actor: Actor,
    organization: Organization,
    username: str,
    full_name: str,
    role: str,
    password: str,
    email: str = "",
) -> Membership:
    """Create a staff account with ``role`` in ``organization`` and a temporary ``password`` that the user
    must change when first signing in. Raises ValidationError, PermissionDenied."""
    _require_staff_admin(actor, organization)
    username, full_name, email = username.strip(), " ".join(full_name.split()), email.strip()
    errors = account_errors(username=username, email=email, full_name=full_name, password=password)
    if not full_name:
        errors["full_name"] = [_("Enter the person's name.")]
    elif len(full_name) > 300:
        errors["full_name"] = [_("A name has at most 300 characters.")]
    if role not in staff_roles_assignable(organization=organization):
        errors["role"] = [_("This role cannot be given in %(org)s.") % {"org": organization.name}]
    if errors:
        raise ValidationError(errors)
    user = account_create(username=username, email=email, full_name=full_name, password=password, set_by=actor)
    membership = Membership.objects.create(user=user, organization=organization, role=role)
    audit_record(
        actor=actor,
        action=AuditAction.STAFF_CREATE,
        obj=membership,
        organization=organization,
        user=user.pk,
        username=user.username,
        role=role,
    )
    return membership


@transaction.atomic
def staff_password_set(*, actor: Actor, membership: Membership, password: str) -> None:
    """Give the member a temporary ``password`` they must change at their next sign-in; their sessions and
    API tokens end. Raises ValidationError, PermissionDenied."""
    organization, user = membership.organization, membership.user
    _require_staff_admin(actor, organization)
    _require_manageable(actor, user)
    _require_not_self(actor, user, _("Change your own password on the password page."))
    _validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    _require_temporary_password_change(actor, user)
    audit_record(
        actor=actor,
        action=AuditAction.STAFF_PASSWORD_SET,
        obj=membership,
        organization=organization,
        user=user.pk,
        username=user.username,
    )


@transaction.atomic
def staff_role_change(*, actor: Actor, membership: Membership, role: str) -> Membership:
    """Give the member ``role`` instead of their current one in the membership's organization.

    Raises ValidationError, PermissionDenied."""
    organization, user = membership.organization, membership.user
    _require_staff_admin(actor, organization)
    _require_facility_account(actor, user)
    _require_not_self(actor, user, _("Another facility admin changes your own role."))
    if membership.role not in staff_roles_assignable(organization=organization):
        raise PermissionDenied(_("This role is not given by a facility admin."))
    _check_role(organization, role)
    if role == membership.role:
        return membership
    if Membership.objects.filter(user=user, organization=organization, role=role).exists():
        raise ValidationError({"role": _("%(name)s already has this role here.") % {"name": user.username}})
    previous = membership.role
    membership.role = role
    membership.save(update_fields=["role", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.STAFF_ROLE_CHANGE,
        obj=membership,
        organization=organization,
        user=user.pk,
        username=user.username,
        role_from=previous,
        role_to=role,
    )
    return membership


@transaction.atomic
def staff_deactivate(*, actor: Actor, membership: Membership) -> Membership:
    """End the member's role in the organization. An account left without any active role can no longer
    sign in (the user is deactivated, never deleted: the audit history keeps who did what).

    Raises ValidationError, PermissionDenied."""
    organization, user = membership.organization, membership.user
    _require_staff_admin(actor, organization)
    _require_facility_account(actor, user)
    _require_not_self(actor, user, _("Another facility admin deactivates your own account."))
    if not membership.is_active:
        return membership
    membership.is_active = False
    membership.save(update_fields=["is_active", "updated_at"])
    account_closed = not Membership.objects.filter(user=user, is_active=True).exists()
    if account_closed and user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])
    audit_record(
        actor=actor,
        action=AuditAction.STAFF_DEACTIVATE,
        obj=membership,
        organization=organization,
        user=user.pk,
        username=user.username,
        role=membership.role,
        account_closed=account_closed,
    )
    return membership


@transaction.atomic
def staff_reactivate(*, actor: Actor, membership: Membership) -> Membership:
    """Give a deactivated member their role back; their account may sign in again.

    Raises PermissionDenied."""
    organization, user = membership.organization, membership.user
    _require_staff_admin(actor, organization)
    _require_facility_account(actor, user)
    if membership.role not in staff_roles_assignable(organization=organization):
        raise PermissionDenied(_("This role is not given by a facility admin."))
    if membership.is_active and user.is_active:
        return membership
    if not user.is_active:
        # Switching a whole account back on is the operators' when it also reaches another organization.
        _require_manageable(actor, user)
    membership.is_active = True
    membership.save(update_fields=["is_active", "updated_at"])
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
    audit_record(
        actor=actor,
        action=AuditAction.STAFF_REACTIVATE,
        obj=membership,
        organization=organization,
        user=user.pk,
        username=user.username,
        role=membership.role,
    )
    return membership


@transaction.atomic
def password_change_completed(*, user: User) -> None:
    """The user chose their own password: a temporary one no longer holds them on the password page."""
    PendingPasswordChange.objects.filter(user=user).delete()
