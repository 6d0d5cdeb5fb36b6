"""Staff accounts are managed by their facility's admin, within that facility only (accounts.services)."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command

from binakarya.accounts import selectors, services
from binakarya.accounts.models import ApiToken, PendingPasswordChange
from binakarya.core.audit import AuditAction
from binakarya.core.models import AuditEvent
from binakarya.organizations.models import Membership, Organization, Role
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory

TEMPORARY = "kopi-tubruk-2026"

pytestmark = pytest.mark.django_db


@pytest.fixture
def facility_a():
    return OrganizationFactory(name="Rutan Kelas IIB Sumenep", slug="rutan-sumenep")


@pytest.fixture
def facility_b():
    return OrganizationFactory(name="Rutan Kelas IIB Purbalingga", slug="rutan-purbalingga")


@pytest.fixture
def admin_a(facility_a):
    return MembershipFactory(
        user=UserFactory(username="admin.a"), organization=facility_a, role=Role.FACILITY_ADMIN
    ).user


@pytest.fixture
def clerk_a(facility_a):
    return MembershipFactory(
        user=UserFactory(username="keuangan.a"), organization=facility_a, role=Role.FINANCE_OFFICER
    )


@pytest.fixture
def clerk_b(facility_b):
    return MembershipFactory(
        user=UserFactory(username="keuangan.b"), organization=facility_b, role=Role.FINANCE_OFFICER
    )


def test_a_facility_admin_creates_an_account_with_a_temporary_password(admin_a, facility_a):
    # when
    membership = services.staff_create(
        actor=admin_a,
        organization=facility_a,
        username="produksi.a",
        full_name="Siti  Aminah",
        email="siti@example.test",
        role=Role.PRODUCTION_OFFICER,
        password=TEMPORARY,
    )

    # then the account holds the role, signs in with the password and must change it
    user = membership.user
    assert (membership.organization, membership.role, membership.is_active) == (facility_a, "PRODUCTION_OFFICER", True)
    assert (user.first_name, user.last_name, user.is_staff, user.is_superuser) == ("Siti", "Aminah", False, False)
    assert user.check_password(TEMPORARY)
    assert selectors.password_change_pending(user=user)
    # and the creation is audited, without the password
    event = AuditEvent.objects.get(action=AuditAction.STAFF_CREATE)
    assert (event.actor, event.organization) == (admin_a, facility_a)
    assert event.data == {"user": user.pk, "username": "produksi.a", "role": "PRODUCTION_OFFICER"}


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"username": "admin.a"}, "username"),  # taken (any case)
        ({"username": "ADMIN.A"}, "username"),
        ({"username": "bad name!"}, "username"),
        ({"full_name": "  "}, "full_name"),
        ({"email": "not-an-address"}, "email"),
        ({"password": "12345678"}, "password"),
        ({"password": "short"}, "password"),
        ({"role": Role.NATIONAL_VIEWER}, "role"),  # an oversight role sees every organization
        ({"role": Role.REGIONAL_VIEWER}, "role"),
        ({"role": Role.OUTLET_PARTNER}, "role"),  # a role of another kind of organization
        ({"role": "SUPERUSER"}, "role"),
    ],
)
def test_bad_input_is_refused_next_to_its_field_and_nothing_is_saved(admin_a, facility_a, fields, field):
    # given
    data = {
        "username": "baru.a",
        "full_name": "Orang Baru",
        "email": "",
        "role": Role.INSTRUCTOR,
        "password": TEMPORARY,
    } | fields
    users_before = get_user_model().objects.count()

    # when / then
    with pytest.raises(ValidationError) as exc:
        services.staff_create(actor=admin_a, organization=facility_a, **data)
    assert field in exc.value.message_dict
    assert get_user_model().objects.count() == users_before
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("role", [Role.PRODUCTION_OFFICER, Role.FINANCE_OFFICER, Role.INSTRUCTOR, Role.AUDITOR])
def test_only_a_facility_admin_creates_accounts(facility_a, role):
    # given staff of the facility who are not its admin
    clerk = MembershipFactory(organization=facility_a, role=role).user

    # when / then
    with pytest.raises(PermissionDenied):
        services.staff_create(
            actor=clerk,
            organization=facility_a,
            username="baru.a",
            full_name="Orang Baru",
            role=Role.FACILITY_ADMIN,
            password=TEMPORARY,
        )
    assert not get_user_model().objects.filter(username="baru.a").exists()


def test_a_facility_admin_cannot_create_accounts_in_another_facility(admin_a, facility_b):
    with pytest.raises(PermissionDenied):
        services.staff_create(
            actor=admin_a,
            organization=facility_b,
            username="penyusup",
            full_name="Penyusup",
            role=Role.FACILITY_ADMIN,
            password=TEMPORARY,
        )
    assert not Membership.objects.filter(organization=facility_b).exists()


def test_a_role_change_is_audited_with_both_roles(admin_a, clerk_a):
    # when
    services.staff_role_change(actor=admin_a, membership=clerk_a, role=Role.AUDITOR)

    # then
    clerk_a.refresh_from_db()
    assert clerk_a.role == Role.AUDITOR
    event = AuditEvent.objects.get(action=AuditAction.STAFF_ROLE_CHANGE)
    assert (event.actor, event.organization, event.object_id) == (admin_a, clerk_a.organization, str(clerk_a.pk))
    assert event.data == {
        "user": clerk_a.user_id,
        "username": "keuangan.a",
        "role_from": "FINANCE_OFFICER",
        "role_to": "AUDITOR",
    }


def test_nobody_is_raised_to_an_oversight_role_or_an_operator(admin_a, clerk_a):
    # when / then
    for role in (Role.NATIONAL_VIEWER, Role.REGIONAL_VIEWER, Role.PRODUCER_OPERATOR, "ADMIN"):
        with pytest.raises(ValidationError):
            services.staff_role_change(actor=admin_a, membership=clerk_a, role=role)
    clerk_a.refresh_from_db()
    clerk_a.user.refresh_from_db()
    assert clerk_a.role == Role.FINANCE_OFFICER
    assert not (clerk_a.user.is_staff or clerk_a.user.is_superuser)
    assert not AuditEvent.objects.exists()


def test_a_facility_admin_cannot_touch_another_facilitys_staff(admin_a, clerk_b):
    # when / then every write refuses the other facility's membership
    with pytest.raises(PermissionDenied):
        services.staff_password_set(actor=admin_a, membership=clerk_b, password=TEMPORARY)
    with pytest.raises(PermissionDenied):
        services.staff_role_change(actor=admin_a, membership=clerk_b, role=Role.AUDITOR)
    with pytest.raises(PermissionDenied):
        services.staff_deactivate(actor=admin_a, membership=clerk_b)
    with pytest.raises(PermissionDenied):
        services.staff_reactivate(actor=admin_a, membership=clerk_b)

    # and nothing changed
    clerk_b.refresh_from_db()
    clerk_b.user.refresh_from_db()
    assert (clerk_b.role, clerk_b.is_active, clerk_b.user.is_active) == (Role.FINANCE_OFFICER, True, True)
    assert clerk_b.user.check_password("pass-word-123")
    # and the lookups do not even show it
    assert [m.organization for m in selectors.staff_memberships_for(user=admin_a)] == [
        admin_a.memberships.get().organization
    ]
    with pytest.raises(Membership.DoesNotExist):
        selectors.staff_membership_for(user=admin_a, pk=clerk_b.pk)


def test_the_password_of_someone_who_also_works_elsewhere_is_not_one_facilitys_to_set(admin_a, clerk_a, facility_b):
    # given the finance officer of A also audits B
    MembershipFactory(user=clerk_a.user, organization=facility_b, role=Role.AUDITOR)

    # when / then A's admin cannot take the account over
    with pytest.raises(PermissionDenied):
        services.staff_password_set(actor=admin_a, membership=clerk_a, password=TEMPORARY)
    clerk_a.user.refresh_from_db()
    assert clerk_a.user.check_password("pass-word-123")


def test_an_account_closed_by_the_operators_that_also_works_elsewhere_stays_closed(admin_a, clerk_a, facility_b):
    # given the finance officer of A also audits B, and the operators closed the whole account
    MembershipFactory(user=clerk_a.user, organization=facility_b, role=Role.AUDITOR)
    clerk_a.is_active = False
    clerk_a.save()
    clerk_a.user.is_active = False
    clerk_a.user.save()

    # when A's admin gives back the role in A, then it is refused: reopening it would reopen B's access too
    with pytest.raises(PermissionDenied):
        services.staff_reactivate(actor=admin_a, membership=clerk_a)
    clerk_a.user.refresh_from_db()
    clerk_a.refresh_from_db()
    assert not clerk_a.user.is_active and not clerk_a.is_active


@pytest.mark.parametrize("flag", ["is_superuser", "is_staff"])
def test_operator_accounts_are_out_of_a_facility_admins_reach(admin_a, facility_a, flag):
    # given an operator account that was given a role in the facility
    operator = MembershipFactory(
        user=UserFactory(username="operator", **{flag: True}), organization=facility_a, role=Role.AUDITOR
    )

    # when / then
    with pytest.raises(PermissionDenied):
        services.staff_password_set(actor=admin_a, membership=operator, password=TEMPORARY)
    with pytest.raises(PermissionDenied):
        services.staff_deactivate(actor=admin_a, membership=operator)
    with pytest.raises(PermissionDenied):
        services.staff_role_change(actor=admin_a, membership=operator, role=Role.INSTRUCTOR)
    assert operator not in selectors.staff_memberships_for(user=admin_a)
    operator.user.refresh_from_db()
    assert operator.user.check_password("pass-word-123") and operator.user.is_active


def test_a_temporary_password_ends_the_tokens_and_must_be_changed(admin_a, clerk_a):
    # given the finance officer has an API token
    token, raw = services.api_token_create(user=clerk_a.user)

    # when the admin sets a temporary password
    services.staff_password_set(actor=admin_a, membership=clerk_a, password=TEMPORARY)

    # then the token no longer works, the password does, and it must be changed
    assert services.api_token_authenticate(raw=raw) is None
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    clerk_a.user.refresh_from_db()
    assert clerk_a.user.check_password(TEMPORARY)
    assert PendingPasswordChange.objects.get(user=clerk_a.user).set_by == admin_a
    event = AuditEvent.objects.get(action=AuditAction.STAFF_PASSWORD_SET)
    assert TEMPORARY not in str(event.data)

    # when the user chooses their own
    services.password_change_completed(user=clerk_a.user)

    # then
    assert not selectors.password_change_pending(user=clerk_a.user)


def test_deactivating_keeps_the_user_and_closes_an_account_left_without_a_role(admin_a, clerk_a):
    # when
    services.staff_deactivate(actor=admin_a, membership=clerk_a)

    # then the user still exists, can no longer sign in, and the change is audited
    user = get_user_model().objects.get(pk=clerk_a.user_id)
    assert not user.is_active
    assert not Membership.objects.get(pk=clerk_a.pk).is_active
    event = AuditEvent.objects.get(action=AuditAction.STAFF_DEACTIVATE)
    assert event.data["account_closed"] is True

    # when reactivated
    services.staff_reactivate(actor=admin_a, membership=clerk_a)

    # then
    user.refresh_from_db()
    assert user.is_active and Membership.objects.get(pk=clerk_a.pk).is_active
    assert AuditEvent.objects.filter(action=AuditAction.STAFF_REACTIVATE).count() == 1


def test_deactivating_one_role_keeps_an_account_that_has_another(admin_a, clerk_a, facility_b):
    # given the finance officer also works for B
    MembershipFactory(user=clerk_a.user, organization=facility_b, role=Role.AUDITOR)

    # when A ends the role in A
    services.staff_deactivate(actor=admin_a, membership=clerk_a)

    # then the account still signs in for B
    clerk_a.user.refresh_from_db()
    assert clerk_a.user.is_active
    assert AuditEvent.objects.get(action=AuditAction.STAFF_DEACTIVATE).data["account_closed"] is False


def test_a_facility_admin_cannot_lock_themselves_out(admin_a):
    # given
    own = Membership.objects.get(user=admin_a)

    # when / then
    with pytest.raises(ValidationError):
        services.staff_deactivate(actor=admin_a, membership=own)
    with pytest.raises(ValidationError):
        services.staff_role_change(actor=admin_a, membership=own, role=Role.INSTRUCTOR)
    with pytest.raises(ValidationError):
        services.staff_password_set(actor=admin_a, membership=own, password=TEMPORARY)
    admin_a.refresh_from_db()
    assert admin_a.is_active and Membership.objects.get(pk=own.pk).role == Role.FACILITY_ADMIN


def test_an_umkm_or_an_outlet_has_no_staff_pages(facility_a):
    # given an UMKM operator and an outlet partner
    umkm = OrganizationFactory(kind=Organization.Kind.PRODUCER)
    operator = MembershipFactory(organization=umkm, role=Role.PRODUCER_OPERATOR).user

    # then
    assert services.staff_roles_assignable(organization=umkm) == ()
    assert not selectors.staff_organizations_for(user=operator).exists()
    assert not selectors.staff_memberships_for(user=operator).exists()


def test_an_operator_creates_a_facilitys_first_admin_from_the_command_line(facility_a):
    # given
    out = io.StringIO()

    # when
    call_command("create_facility_admin", "rutan-sumenep", "admin.baru", "--name", "Admin Baru", stdout=out)

    # then the printed temporary password signs in and must be changed
    password = out.getvalue().rsplit(": ", 1)[1].strip()
    membership = Membership.objects.get(user__username="admin.baru")
    assert (membership.organization, membership.role) == (facility_a, Role.FACILITY_ADMIN)
    assert membership.user.check_password(password) and not membership.user.is_superuser
    assert selectors.password_change_pending(user=membership.user)

    # and a bad call says why
    with pytest.raises(CommandError):
        call_command("create_facility_admin", "no-such-facility", "x", "--name", "X", stdout=out)
