"""Double-entry ledger: accounts per organization, entries whose lines sum to zero, split rules.

Amounts are signed integers of rupiah: a debit is positive, a credit negative. Journal lines are
append-only (a PostgreSQL trigger and the model guard); every entry sums to zero (a PostgreSQL
statement-level trigger on the lines each statement adds, and a check in the same transaction on
every database).
Balances are never stored on a hot row: they are sums of lines.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from binakarya.core.models import AppendOnlyModel, TimeStampedModel

BASIS_POINTS = 10_000  # 100.00 %


class Account(models.Model):
    class Kind(models.TextChoices):
        CASH = "CASH", _("Cash")
        BANK = "BANK", _("Bank")
        RECEIVABLE = "RECEIVABLE", _("Receivable")
        COMMISSION = "COMMISSION", _("Outlet commission")
        CAPITAL_FUND = "CAPITAL_FUND", _("Capital fund")
        PREMI_PAYABLE = "PREMI_PAYABLE", _("Premi payable")
        PNBP_PAYABLE = "PNBP_PAYABLE", _("PNBP payable")
        PRODUCER_INCOME = "PRODUCER_INCOME", _("Producer income")
        DEDUCTIONS_PAYABLE = "DEDUCTIONS_PAYABLE", _("Deductions payable")
        GRANTS = "GRANTS", _("Grants received")
        MATERIALS = "MATERIALS", _("Materials bought")
        BUYER_DEPOSITS = "BUYER_DEPOSITS", _("Buyers' payments held")
        SHIPPING_PAYABLE = "SHIPPING_PAYABLE", _("Shipping fees collected")
        TAX_PAYABLE = "TAX_PAYABLE", _("PPN collected")

    # Accounts whose natural balance is a credit (money owed or held for someone).
    CREDIT_KINDS = {
        "COMMISSION",
        "CAPITAL_FUND",
        "PREMI_PAYABLE",
        "PNBP_PAYABLE",
        "PRODUCER_INCOME",
        "DEDUCTIONS_PAYABLE",
        "GRANTS",
        "BUYER_DEPOSITS",
        "SHIPPING_PAYABLE",
        "TAX_PAYABLE",
    }

    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="accounts")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    maker = models.ForeignKey("makers.Maker", on_delete=models.PROTECT, null=True, blank=True, related_name="accounts")
    group = models.ForeignKey("makers.Group", on_delete=models.PROTECT, null=True, blank=True, related_name="accounts")
    counterparty = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    deduction = models.CharField(max_length=20, blank=True)
    # "maker|group|counterparty|deduction" ids: one account per party, unique on every database
    # (SQLite cannot treat NULLs as equal in a unique constraint).
    party_key = models.CharField(max_length=80)

    class Meta:
        ordering = ["organization", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "kind", "party_key"], name="account_unique_per_party"),
            models.CheckConstraint(
                condition=~Q(kind="PREMI_PAYABLE") | Q(maker__isnull=False), name="account_premi_has_maker"
            ),
            models.CheckConstraint(
                condition=~Q(kind="CAPITAL_FUND") | Q(group__isnull=False) | Q(maker__isnull=True),
                name="account_capital_no_maker",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class SplitRule(TimeStampedModel):
    """How a facility (or UMKM) splits a sale, from a date, optionally for one category.

    Percentages are basis points (5000 = 50.00 %). A posted sale keeps the rule it used.
    """

    class Basis(models.TextChoices):
        REVENUE = "REVENUE", _("Revenue")
        MARGIN = "MARGIN", _("Margin (revenue less commission and material cost)")

    class PremiMode(models.TextChoices):
        PER_UNIT = "PER_UNIT", _("Fixed amount per unit sold")
        PERCENT = "PERCENT", _("Percentage of the basis")

    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="split_rules")
    category = models.ForeignKey("catalog.Category", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    effective_from = models.DateField(_("effective from"))
    basis = models.CharField(_("basis"), max_length=8, choices=Basis.choices)
    premi_mode = models.CharField(_("premi mode"), max_length=8, choices=PremiMode.choices)
    premi_per_unit_idr = models.PositiveBigIntegerField(_("premi per unit (Rp)"), default=0)
    premi_bp = models.PositiveIntegerField(_("premi (basis points)"), default=0)
    recover_material_cost = models.BooleanField(_("recover material cost into the capital fund"), default=True)
    capital_bp = models.PositiveIntegerField(_("capital share (basis points)"), default=0)
    restitution_bp = models.PositiveIntegerField(_("restitution deduction (basis points of premi)"), default=0)
    victim_fund_bp = models.PositiveIntegerField(_("victim fund deduction (basis points of premi)"), default=0)
    legal_reference = models.TextField(_("legal reference"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)

    class Meta:
        ordering = ["organization", "category", "-effective_from", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(premi_bp__lte=BASIS_POINTS), name="split_premi_within_100"),
            models.CheckConstraint(condition=Q(capital_bp__lte=BASIS_POINTS), name="split_capital_within_100"),
            models.CheckConstraint(
                condition=Q(premi_mode="PER_UNIT") | Q(premi_bp__lte=BASIS_POINTS - models.F("capital_bp")),
                name="split_percentages_within_100",
            ),
            models.CheckConstraint(
                condition=Q(restitution_bp=0) | Q(restitution_bp__gte=500, restitution_bp__lte=2000),
                name="split_restitution_bounded",
            ),
            models.CheckConstraint(
                condition=Q(victim_fund_bp=0) | Q(victim_fund_bp__gte=500, victim_fund_bp__lte=2000),
                name="split_victim_fund_bounded",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.category or '*'} from {self.effective_from}"


class JournalEntry(AppendOnlyModel):
    class Kind(models.TextChoices):
        SALE = "SALE", _("Sale")
        REVERSAL = "REVERSAL", _("Reversal")
        PAYOUT = "PAYOUT", _("Premi payout")
        GRANT = "GRANT", _("Capital grant")
        MATERIAL_PURCHASE = "MATERIAL_PURCHASE", _("Material purchase")
        PNBP_DEPOSIT = "PNBP_DEPOSIT", _("PNBP deposit")
        ORDER_PAYMENT = "ORDER_PAYMENT", _("Order payment")
        ORDER_SETTLEMENT = "ORDER_SETTLEMENT", _("Order settled")
        ORDER_REFUND = "ORDER_REFUND", _("Order refund")
        NON_CASH_RECEIPT = "NON_CASH_RECEIPT", _("Paid by QRIS or transfer")
        OUTLET_PAYMENT = "OUTLET_PAYMENT", _("Payment from a consignment outlet")
        DEAL_TAX = "DEAL_TAX", _("PPN on a deal's handover")
        DEAL_PAYMENT = "DEAL_PAYMENT", _("Payment for a deal")
        DEAL_DEPOSIT_APPLIED = "DEAL_DEPOSIT_APPLIED", _("A deal's payment held, applied")

    # entry_org_time leads with the organization: a second index on it alone would only cost writes.
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    memo = models.CharField(max_length=300, blank=True)
    occurred_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)
    split_rule = models.ForeignKey(SplitRule, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reverses = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversals")

    class Meta(AppendOnlyModel.Meta):
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["organization", "occurred_at"], name="entry_org_time")]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"


class JournalLine(AppendOnlyModel):
    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="+")
    entry = models.ForeignKey(JournalEntry, on_delete=models.PROTECT, related_name="lines")
    # line_account_entry leads with the account: a second index on it alone would only cost writes.
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="lines", db_index=False)
    amount_idr = models.BigIntegerField()
    # Traceability: which sale line and lot a premi or capital line comes from.
    sale_line = models.ForeignKey("sales.SaleLine", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    lot = models.ForeignKey("production.Lot", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    share = models.PositiveIntegerField(null=True, blank=True)

    class Meta(AppendOnlyModel.Meta):
        ordering = ["id"]
        indexes = [models.Index(fields=["account", "entry"], name="line_account_entry")]
        constraints = [models.CheckConstraint(condition=~Q(amount_idr=0), name="journal_line_nonzero")]

    def __str__(self) -> str:
        return f"{self.account_id}: {self.amount_idr:+d}"


class PayoutPolicy(models.Model):
    """A facility's rules for paying premi out (PP 32/1999, SE Dirjenpas 2010, Permenkumham 29/2017)."""

    organization = models.OneToOneField(
        "organizations.Organization", on_delete=models.PROTECT, related_name="payout_policy"
    )
    inside_spending_bp = models.PositiveIntegerField(_("share that may be spent inside (basis points)"), default=2500)
    allow_emoney = models.BooleanField(_("to an e-money card"), default=True)
    allow_savings = models.BooleanField(_("to a savings account"), default=True)
    allow_family = models.BooleanField(_("to family"), default=True)
    allow_on_release = models.BooleanField(_("on release"), default=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(inside_spending_bp__lte=BASIS_POINTS), name="policy_inside_within_100")
        ]

    def __str__(self) -> str:
        return f"payout policy of {self.organization}"


class Payout(models.Model):
    class Method(models.TextChoices):
        EMONEY = "EMONEY", _("E-money card (spending inside)")
        SAVINGS = "SAVINGS", _("Savings account")
        FAMILY = "FAMILY", _("To family")
        RELEASE = "RELEASE", _("On release")

    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="+")
    maker = models.ForeignKey("makers.Maker", on_delete=models.PROTECT, related_name="payouts")
    amount_idr = models.PositiveBigIntegerField()
    method = models.CharField(max_length=10, choices=Method.choices)
    recipient_name = models.CharField(_("recipient"), max_length=200, blank=True)
    recipient_relationship = models.CharField(_("relationship"), max_length=60, blank=True)
    reference = models.CharField(_("account or card number"), max_length=60, blank=True)
    entry = models.OneToOneField(JournalEntry, on_delete=models.PROTECT, related_name="payout")
    document = models.OneToOneField("documents.Document", on_delete=models.PROTECT, related_name="payout")
    paid_at = models.DateTimeField()

    class Meta:
        ordering = ["-paid_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_idr__gt=0), name="payout_positive"),
            models.CheckConstraint(
                condition=~Q(method="FAMILY") | (~Q(recipient_name="") & ~Q(recipient_relationship="")),
                name="payout_family_names_recipient",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.amount_idr} → {self.maker_id}"


class CapitalMovement(models.Model):
    """Money into or out of a group's capital fund other than through sales."""

    class Kind(models.TextChoices):
        GRANT = "GRANT", _("Grant in")
        MATERIAL_PURCHASE = "MATERIAL_PURCHASE", _("Material purchase")
        ORDER_DEPOSIT = "ORDER_DEPOSIT", _("Down payment of a made-to-order order")
        DEPOSIT_APPLIED = "DEPOSIT_APPLIED", _("Down payment recovered from its sale")
        DEPOSIT_REFUNDED = "DEPOSIT_REFUNDED", _("Down payment refunded")

    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="+")
    group = models.ForeignKey("makers.Group", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    amount_idr = models.PositiveBigIntegerField()
    agency = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    memo = models.CharField(max_length=300, blank=True)
    entry = models.OneToOneField(JournalEntry, on_delete=models.PROTECT, related_name="capital_movement")
    occurred_at = models.DateTimeField()

    class Meta:
        ordering = ["-occurred_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount_idr}"


class PnbpDeposit(models.Model):
    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="+")
    amount_idr = models.PositiveBigIntegerField()
    billing_code = models.CharField(_("billing code"), max_length=30)
    ntpn = models.CharField(_("NTPN"), max_length=30, unique=True)
    deposited_date = models.DateField(_("deposited on"))
    entry = models.OneToOneField(JournalEntry, on_delete=models.PROTECT, related_name="pnbp_deposit")

    class Meta:
        ordering = ["-deposited_date", "-id"]
        constraints = [models.CheckConstraint(condition=Q(amount_idr__gt=0), name="pnbp_positive")]

    def __str__(self) -> str:
        return f"PNBP {self.ntpn}"


class PnbpTarget(models.Model):
    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    target_idr = models.PositiveBigIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "year"], name="pnbp_target_unique")]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.year}: {self.target_idr}"


class LedgerMonth(models.Model):
    """The journal summed per organization, month and dimension: what dashboards read instead of the lines.

    One row per (organization, month, entry kind, account kind, channel, category, group). The month is
    the first day of the month of the entry's ``occurred_at`` in Asia/Jakarta. Dimensions that a line
    lacks are stored as ``""`` / ``0`` (not NULL), so the key is unique on every database and an upsert
    can name it. A line's channel and category come from its sale line (the sale's channel, the variant's
    category); its group from the sale line's lot, else the line's lot, else its account's group (a
    capital fund). A return (REVERSAL) traces to the sale lines it reverses, so it carries the same
    dimensions with the opposite sign, and net sales are SALE plus REVERSAL.

    ``debit_idr`` is the sum of the positive amounts, ``credit_idr`` the sum of the negative amounts,
    **stored negative**: ``debit_idr + credit_idr`` is the net movement. ``lines`` counts journal lines.
    Kept by ``ledger/summary.py`` in the transaction that writes the lines; ``ledger_check`` compares it
    with the journal.
    """

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    month = models.DateField()
    entry_kind = models.CharField(max_length=20, choices=JournalEntry.Kind.choices)
    account_kind = models.CharField(max_length=20, choices=Account.Kind.choices)
    channel = models.CharField(max_length=14, blank=True, default="")
    category_key = models.BigIntegerField(default=0)  # catalog.Category id, 0 when none
    group_key = models.BigIntegerField(default=0)  # makers.Group id, 0 when none
    debit_idr = models.BigIntegerField(default=0)
    credit_idr = models.BigIntegerField(default=0)  # negative (or zero)
    lines = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["organization", "month", "entry_kind", "account_kind", "channel", "category_key", "group_key"]
        # Reads across many organizations (a nation's dashboard) pick the rows of a few kinds of account and
        # entry in a year; reads of one organization use the key's index, which leads with it.
        indexes = [models.Index(fields=["account_kind", "entry_kind", "month"], name="ledger_month_kind")]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "month", "entry_kind", "account_kind", "channel", "category_key", "group_key"],
                name="ledger_month_key",
            ),
            models.CheckConstraint(condition=Q(debit_idr__gte=0, credit_idr__lte=0), name="ledger_month_signs"),
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.month:%Y-%m} {self.entry_kind}/{self.account_kind}"


class MakerMonth(models.Model):
    """Premi per maker and month, summed from the makers' PREMI_PAYABLE lines, to count makers earning.

    ``earned_idr`` is the premi credited by every entry but payouts (sales, less their returns), so it
    can be negative in a month where a return outweighs the sales; ``paid_idr`` is what payouts debited.
    Kept and checked with ``LedgerMonth``.
    """

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    month = models.DateField()
    maker = models.ForeignKey("makers.Maker", on_delete=models.PROTECT, related_name="+", db_index=False)
    earned_idr = models.BigIntegerField(default=0)
    paid_idr = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["organization", "month", "maker"]
        constraints = [models.UniqueConstraint(fields=["organization", "month", "maker"], name="maker_month_key")]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.month:%Y-%m} maker {self.maker_id}"
