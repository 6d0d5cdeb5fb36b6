"""The journal's summary tables (LedgerMonth, MakerMonth) and their first filling from the journal lines.

The backfill is written here with the historical models, so that it stays what it was when the tables
were created; ``manage.py ledger_summary_rebuild`` rebuilds them with today's code.
"""

import zoneinfo

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import DateField, F, Q, Sum, Value
from django.db.models.functions import Cast, Coalesce, TruncMonth


def summaries_fill(apps, schema_editor):
    JournalLine = apps.get_model("ledger", "JournalLine")
    LedgerMonth = apps.get_model("ledger", "LedgerMonth")
    MakerMonth = apps.get_model("ledger", "MakerMonth")
    db = schema_editor.connection.alias
    month = Cast(
        TruncMonth("entry__occurred_at", tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE)), output_field=DateField()
    )
    lines = JournalLine.objects.using(db).order_by()
    months = (
        lines.values(
            "organization_id",
            month=month,
            entry_kind=F("entry__kind"),
            account_kind=F("account__kind"),
            channel=Coalesce(F("sale_line__sale__channel"), Value("")),
            category_key=Coalesce(F("sale_line__variant__product__category_id"), Value(0)),
            group_key=Coalesce(F("sale_line__lot__group_id"), F("lot__group_id"), F("account__group_id"), Value(0)),
        )
        .annotate(
            debit_idr=Sum("amount_idr", filter=Q(amount_idr__gt=0), default=0),
            credit_idr=Sum("amount_idr", filter=Q(amount_idr__lt=0), default=0),
            lines=Sum(Value(1)),
        )
        .order_by()
    )
    batch = []
    for row in months.iterator(chunk_size=5000):
        batch.append(LedgerMonth(**row))
        if len(batch) >= 5000:
            LedgerMonth.objects.using(db).bulk_create(batch)
            batch = []
    LedgerMonth.objects.using(db).bulk_create(batch)
    payout = Q(entry__kind="PAYOUT")
    makers = (
        lines.filter(account__kind="PREMI_PAYABLE")
        .values("organization_id", month=month, maker_id=F("account__maker_id"))
        .annotate(
            earned_idr=-Sum("amount_idr", filter=~payout, default=0),
            paid_idr=Sum("amount_idr", filter=payout, default=0),
        )
        .order_by()
    )
    MakerMonth.objects.using(db).bulk_create([MakerMonth(**row) for row in makers.iterator(chunk_size=5000)])


class Migration(migrations.Migration):

    dependencies = [
        ('ledger', '0010_deals_deliveries_payments'),
        ('makers', '0001_initial'),
        ('organizations', '0002_agency_viewer'),
        # The backfill reads the sale lines, their sales, variants, products and lots.
        ('sales', '0004_sale_line_price_reason'),
        ('catalog', '0013_export_profile_english_texts_exchange_rates'),
        ('production', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='LedgerMonth',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField()),
                ('entry_kind', models.CharField(choices=[('SALE', 'Sale'), ('REVERSAL', 'Reversal'), ('PAYOUT', 'Premi payout'), ('GRANT', 'Capital grant'), ('MATERIAL_PURCHASE', 'Material purchase'), ('PNBP_DEPOSIT', 'PNBP deposit'), ('ORDER_PAYMENT', 'Order payment'), ('ORDER_SETTLEMENT', 'Order settled'), ('ORDER_REFUND', 'Order refund'), ('NON_CASH_RECEIPT', 'Paid by QRIS or transfer'), ('OUTLET_PAYMENT', 'Payment from a consignment outlet'), ('DEAL_TAX', "PPN on a deal's handover"), ('DEAL_PAYMENT', 'Payment for a deal'), ('DEAL_DEPOSIT_APPLIED', "A deal's payment held, applied")], max_length=20)),
                ('account_kind', models.CharField(choices=[('CASH', 'Cash'), ('BANK', 'Bank'), ('RECEIVABLE', 'Receivable'), ('COMMISSION', 'Outlet commission'), ('CAPITAL_FUND', 'Capital fund'), ('PREMI_PAYABLE', 'Premi payable'), ('PNBP_PAYABLE', 'PNBP payable'), ('PRODUCER_INCOME', 'Producer income'), ('DEDUCTIONS_PAYABLE', 'Deductions payable'), ('GRANTS', 'Grants received'), ('MATERIALS', 'Materials bought'), ('BUYER_DEPOSITS', "Buyers' payments held"), ('SHIPPING_PAYABLE', 'Shipping fees collected'), ('TAX_PAYABLE', 'PPN collected')], max_length=20)),
                ('channel', models.CharField(blank=True, default='', max_length=14)),
                ('category_key', models.BigIntegerField(default=0)),
                ('group_key', models.BigIntegerField(default=0)),
                ('debit_idr', models.BigIntegerField(default=0)),
                ('credit_idr', models.BigIntegerField(default=0)),
                ('lines', models.BigIntegerField(default=0)),
                ('organization', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organizations.organization')),
            ],
            options={
                'ordering': ['organization', 'month', 'entry_kind', 'account_kind', 'channel', 'category_key', 'group_key'],
                'indexes': [models.Index(fields=['account_kind', 'entry_kind', 'month'], name='ledger_month_kind')],
                'constraints': [models.UniqueConstraint(fields=('organization', 'month', 'entry_kind', 'account_kind', 'channel', 'category_key', 'group_key'), name='ledger_month_key'), models.CheckConstraint(condition=models.Q(('credit_idr__lte', 0), ('debit_idr__gte', 0)), name='ledger_month_signs')],
            },
        ),
        migrations.CreateModel(
            name='MakerMonth',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField()),
                ('earned_idr', models.BigIntegerField(default=0)),
                ('paid_idr', models.BigIntegerField(default=0)),
                ('maker', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='makers.maker')),
                ('organization', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organizations.organization')),
            ],
            options={
                'ordering': ['organization', 'month', 'maker'],
                'constraints': [models.UniqueConstraint(fields=('organization', 'month', 'maker'), name='maker_month_key')],
            },
        ),
        migrations.RunPython(summaries_fill, migrations.RunPython.noop, elidable=True),
    ]
