"""The contract form thresholds for goods in force since Perpres 46/2025 (30 April 2025)."""

import datetime

from django.db import migrations

REFERENCE = "Perpres 16/2018 pasal 28 jo. Perpres 12/2021 jo. Perpres 46/2025"
EFFECTIVE = datetime.date(2025, 4, 30)
RULES = [
    ("PROOF_OF_PURCHASE", "DIRECT", 10_000_000),
    ("KUITANSI", "DIRECT", 50_000_000),
    ("SPK", "DIRECT", 200_000_000),
    ("SURAT_PERJANJIAN", "DIRECT", None),
    ("SURAT_PESANAN", "EPURCHASING", None),
]


def seed(apps, schema_editor):
    rule = apps.get_model("deals", "ContractFormRule")
    for form, channel, limit in RULES:
        rule.objects.get_or_create(
            channel=channel,
            effective_from=EFFECTIVE,
            max_value_idr=limit,
            defaults={"form": form, "legal_reference": REFERENCE},
        )


def unseed(apps, schema_editor):
    apps.get_model("deals", "ContractFormRule").objects.filter(
        effective_from=EFFECTIVE, legal_reference=REFERENCE, created_by=None
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("deals", "0001_contracts_rfqs_quotations")]

    operations = [migrations.RunPython(seed, unseed)]
