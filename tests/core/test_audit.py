import ast
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser

from binakarya.core.audit import AuditAction, audit_record
from binakarya.core.models import AuditEvent
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory

SOURCE = Path(__file__).resolve().parents[2] / "binakarya"


AUDIT_WRITERS = {"audit_record", "audit_records_write"}


def _audit_actions_in_source() -> list[tuple[str, ast.expr]]:
    """(file, action= expression) of every audit_record(...) and audit_records_write(...) call under binakarya/."""
    found = []
    for path in sorted(SOURCE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) in AUDIT_WRITERS:
                found += [(str(path.relative_to(SOURCE)), kw.value) for kw in node.keywords if kw.arg == "action"]
    return found


def test_every_audit_call_names_an_audit_action_and_every_action_is_written_somewhere():
    # when every call that writes an audit row is read from binakarya/
    actions = _audit_actions_in_source()

    # then each names a member of AuditAction, never a free string
    used = set()
    for where, expr in actions:
        assert isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name), f"{where}: {ast.unparse(expr)}"
        assert expr.value.id == "AuditAction" and expr.attr in AuditAction.names, f"{where}: {ast.unparse(expr)}"
        used.add(expr.attr)
    # and no member is left that nothing writes
    assert used == set(AuditAction.names)


@pytest.mark.django_db
def test_audit_record_stores_the_action_value():
    # given
    action = AuditAction.MEMBERSHIP_GRANT
    membership = MembershipFactory()
    user = UserFactory()

    # when
    audit_record(actor=user, action=action, obj=membership, note="x")

    # then
    event = AuditEvent.objects.get()
    assert event.action == "membership.grant"
    assert (event.actor, event.organization, event.object_type, event.object_id, event.data) == (
        user,
        membership.organization,
        "organizations.membership",
        str(membership.pk),
        {"note": "x"},
    )
    assert AuditEvent.objects.filter(action=AuditAction.MEMBERSHIP_GRANT).count() == 1


@pytest.mark.django_db
def test_audit_record_keeps_no_anonymous_actor():
    # given
    org = OrganizationFactory()

    # when
    audit_record(actor=AnonymousUser(), action=AuditAction.ORGANIZATION_CREATE, obj=org)
    audit_record(actor=None, action=AuditAction.ORGANIZATION_CREATE, obj=org)

    # then
    assert list(AuditEvent.objects.values_list("actor", flat=True)) == [None, None]
