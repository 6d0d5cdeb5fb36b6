"""Which contract document a value needs: each threshold exactly, and the rules in force by date."""

import datetime

import pytest

from binakarya.deals.models import ContractChannel, ContractFormRule
from binakarya.deals.selectors import contract_form_for, contract_rules_in_force
from binakarya.deals.services import contract_form_rule_create, contract_rules_ensure
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
ON = datetime.date(2026, 1, 15)


@pytest.mark.parametrize(
    ("value", "form"),
    [
        (1, "PROOF_OF_PURCHASE"),
        (10_000_000, "PROOF_OF_PURCHASE"),
        (10_000_001, "KUITANSI"),
        (50_000_000, "KUITANSI"),
        (50_000_001, "SPK"),
        (200_000_000, "SPK"),
        (200_000_001, "SURAT_PERJANJIAN"),
        (5_000_000_000, "SURAT_PERJANJIAN"),
    ],
)
def test_the_seeded_rules_pick_the_form_at_each_threshold(value, form):
    # when
    rule = contract_form_for(value_idr=value, on_date=ON)

    # then
    assert rule.form == form
    assert rule.legal_reference == "Perpres 16/2018 pasal 28 jo. Perpres 12/2021 jo. Perpres 46/2025"


def test_e_purchasing_needs_a_surat_pesanan_whatever_the_value():
    for value in (1, 300_000_000):
        assert contract_form_for(value_idr=value, on_date=ON, channel=ContractChannel.EPURCHASING).form == (
            "SURAT_PESANAN"
        )


def test_no_rule_before_the_first_set_came_into_force():
    assert contract_form_for(value_idr=1_000, on_date=datetime.date(2025, 4, 29)) is None


def test_a_new_set_of_thresholds_decides_from_its_date_and_not_before():
    # given a regulation raising the proof-of-purchase limit to Rp15 juta from 1 July 2026
    admin = UserFactory(is_superuser=True)
    changed = datetime.date(2026, 7, 1)
    for form, limit in [
        ("PROOF_OF_PURCHASE", 15_000_000),
        ("KUITANSI", 50_000_000),
        ("SPK", 200_000_000),
        ("SURAT_PERJANJIAN", None),
    ]:
        contract_form_rule_create(
            actor=admin,
            form=form,
            channel="DIRECT",
            max_value_idr=limit,
            effective_from=changed,
            legal_reference="Perpres 99/2026 (contoh)",
        )

    # then
    assert contract_form_for(value_idr=12_000_000, on_date=changed - datetime.timedelta(days=1)).form == "KUITANSI"
    assert contract_form_for(value_idr=12_000_000, on_date=changed).form == "PROOF_OF_PURCHASE"
    assert {r.legal_reference for r in contract_rules_in_force(on_date=changed) if r.channel == "DIRECT"} == {
        "Perpres 99/2026 (contoh)"
    }


def test_only_an_administrator_changes_the_rules():
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        contract_form_rule_create(
            actor=UserFactory(),
            form="KUITANSI",
            channel="DIRECT",
            max_value_idr=1,
            effective_from=ON,
            legal_reference="x",
        )
    assert ContractFormRule.objects.count() == 5


def test_the_thresholds_are_put_back_where_there_are_none(db):
    assert contract_rules_ensure() == 0  # the migration seeded them
    ContractFormRule.objects.all().delete()
    assert contract_rules_ensure() == 5
    assert contract_form_for(value_idr=60_000_000, on_date=datetime.date(2026, 1, 5)).form == "SPK"
    assert contract_rules_ensure() == 0
