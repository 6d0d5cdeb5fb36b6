"""The contract form thresholds for goods in force since Perpres 46/2025 (30 April 2025)."""

from django.db import migrations

from binakarya.deals.seed import EFFECTIVE, REFERENCE, RULES


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
