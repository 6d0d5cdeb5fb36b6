"""Ledger writes: accounts, balanced entries, split rules, payouts, capital and PNBP.

Balances are sums of journal lines; no service ever updates a balance row, so concurrent sales do
not queue behind a hot "premi payable" row.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from binakarya.core.audit import audit_record
from binakarya.documents.services import document_issue, number_next
from binakarya.ledger.models import (
    BASIS_POINTS,
    Account,
    CapitalMovement,
    JournalEntry,
    JournalLine,
    Payout,
    PayoutPolicy,
    PnbpDeposit,
    PnbpTarget,
    SplitRule,
)
from binakarya.ledger.split import Rule, validate_rule
from binakarya.makers.models import Group, Maker
from binakarya.organizations.models import Organization


class InsufficientBalance(ValidationError):
    """A payout larger than what the maker is owed (or allowed to spend)."""


@dataclass(frozen=True)
class Posting:
    account: Account
    amount_idr: int
    sale_line_id: int | None = None
    lot_id: int | None = None
    share: int | None = None


def _user(actor: Any) -> Any:
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def _require(actor: Any, organization: Organization, perm: str = "ledger.manage") -> None:
    if actor is not None and not actor.has_perm(perm, organization):
        raise PermissionDenied(_("You may not change the accounts of %(org)s.") % {"org": organization.name})


ACCOUNT_NAMES = {
    Account.Kind.CASH: "Kas",
    Account.Kind.BANK: "Bank",
    Account.Kind.RECEIVABLE: "Piutang",
    Account.Kind.COMMISSION: "Komisi gerai",
    Account.Kind.CAPITAL_FUND: "Dana modal",
    Account.Kind.PREMI_PAYABLE: "Premi terutang",
    Account.Kind.PNBP_PAYABLE: "PNBP terutang",
    Account.Kind.PRODUCER_INCOME: "Pendapatan usaha",
    Account.Kind.DEDUCTIONS_PAYABLE: "Potongan terutang",
    Account.Kind.GRANTS: "Hibah modal",
    Account.Kind.MATERIALS: "Pembelian bahan",
}


def account_for(
    *,
    organization: Organization,
    kind: str,
    maker: Maker | None = None,
    group: Group | None = None,
    counterparty: Organization | None = None,
    deduction: str = "",
) -> Account:
    """The organization's account of ``kind`` for a party, created on first use."""
    party_key = _party_key(maker, group, counterparty, deduction)
    lookup = {"organization": organization, "kind": kind, "party_key": party_key}
    account = Account.objects.filter(**lookup).order_by().first()
    if account is not None:
        return account
    party = f"#{maker.pk}" if maker else (group.name if group else (counterparty.name if counterparty else deduction))
    name = ACCOUNT_NAMES[kind] + (f" · {party}" if party else "")
    try:
        with transaction.atomic():
            return Account.objects.create(
                name=name[:200], maker=maker, group=group, counterparty=counterparty, deduction=deduction, **lookup
            )
    except IntegrityError:  # another transaction created it first
        return Account.objects.get(**lookup)


@dataclass(frozen=True)
class AccountKey:
    """Which account of an organization: its kind and, for per-party accounts, the party."""

    kind: str
    maker: Maker | None = None
    group: Group | None = None
    counterparty: Organization | None = None
    deduction: str = ""

    @property
    def party_key(self) -> str:
        return _party_key(self.maker, self.group, self.counterparty, self.deduction)


def _party_key(maker: Maker | None, group: Group | None, counterparty: Organization | None, deduction: str) -> str:
    return "|".join(
        [
            str(maker.pk) if maker else "",
            str(group.pk) if group else "",
            str(counterparty.pk) if counterparty else "",
            deduction,
        ]
    )


def accounts_for(*, organization: Organization, keys: Iterable[AccountKey]) -> dict[AccountKey, Account]:
    """The organization's accounts for ``keys``: one query for those that exist, the rest created."""
    wanted = set(keys)
    by_lookup = {(key.kind, key.party_key): key for key in wanted}
    found: dict[AccountKey, Account] = {}
    if wanted:
        for account in Account.objects.filter(
            organization=organization,
            kind__in=sorted({key.kind for key in wanted}),
            party_key__in=sorted({key.party_key for key in wanted}),
        ).order_by():
            key = by_lookup.get((account.kind, account.party_key))
            if key is not None:
                found[key] = account
    for key in wanted - found.keys():
        found[key] = account_for(
            organization=organization,
            kind=key.kind,
            maker=key.maker,
            group=key.group,
            counterparty=key.counterparty,
            deduction=key.deduction,
        )
    return found


def entry_post(
    *,
    actor: Any,
    organization: Organization,
    kind: str,
    postings: Iterable[Posting],
    occurred_at: datetime.datetime | None = None,
    memo: str = "",
    split_rule: SplitRule | None = None,
    reverses: JournalEntry | None = None,
) -> JournalEntry:
    """Post one balanced entry. Zero postings are dropped; the rest must sum to zero (ValueError)."""
    postings = [p for p in postings if p.amount_idr]
    if not postings:
        raise ValueError("an entry needs at least one non-zero line")
    if sum(p.amount_idr for p in postings) != 0:
        raise ValueError(f"unbalanced entry: {sum(p.amount_idr for p in postings)}")
    if any(p.account.organization_id != organization.pk for p in postings):
        raise ValueError("every line must use an account of the entry's organization")
    entry = JournalEntry.objects.create(
        organization=organization,
        kind=kind,
        memo=memo[:300],
        occurred_at=occurred_at or timezone.now(),
        created_by=_user(actor),
        split_rule=split_rule,
        reverses=reverses,
    )
    JournalLine.objects.bulk_create(
        JournalLine(
            organization=organization,
            entry=entry,
            account=p.account,
            amount_idr=p.amount_idr,
            sale_line_id=p.sale_line_id,
            lot_id=p.lot_id,
            share=p.share,
        )
        for p in postings
    )
    # PostgreSQL's trigger has checked the statement; this check is made on every database.
    if JournalLine.objects.filter(entry=entry).aggregate(t=Sum("amount_idr"))["t"] != 0:
        raise ValueError("entry does not balance after insert")
    return entry


def account_balance(*, account: Account) -> int:
    """Signed balance (debits positive)."""
    return JournalLine.objects.filter(account=account).aggregate(t=Sum("amount_idr"))["t"] or 0


def maker_premi_owed(*, maker: Maker) -> int:
    """Premi held for ``maker`` (credits to their premi payable account, less payouts)."""
    total = JournalLine.objects.filter(account__kind=Account.Kind.PREMI_PAYABLE, account__maker=maker).aggregate(
        t=Sum("amount_idr")
    )["t"]
    return -(total or 0)


def maker_premi_earned(*, maker: Maker) -> int:
    """All premi credited to ``maker`` net of reversals (payouts not subtracted)."""
    total = JournalLine.objects.filter(
        account__kind=Account.Kind.PREMI_PAYABLE, account__maker=maker, entry__kind__in=["SALE", "REVERSAL"]
    ).aggregate(t=Sum("amount_idr"))["t"]
    return -(total or 0)


# Split rules --------------------------------------------------------------------------------------

RULE_MESSAGES = {
    "premi_range": gettext_lazy("The premi percentage must be between 0% and 100%."),
    "capital_range": gettext_lazy("The capital share must be between 0% and 100%."),
    "over_100": gettext_lazy("Premi and capital together exceed 100% of the basis."),
    "per_unit_positive": gettext_lazy("A premi per unit must be more than Rp0."),
    "deduction_range": gettext_lazy("Each deduction, when on, is between 5% and 20% of the premi."),
    "deductions_total": gettext_lazy("Deductions together may not exceed 80% of the premi."),
}


def rule_of(split_rule: SplitRule) -> Rule:
    return Rule(
        basis=split_rule.basis,
        premi_mode=split_rule.premi_mode,
        premi_per_unit_idr=split_rule.premi_per_unit_idr,
        premi_bp=split_rule.premi_bp,
        recover_material_cost=split_rule.recover_material_cost,
        capital_bp=split_rule.capital_bp,
        deductions_bp={"RESTITUTION": split_rule.restitution_bp, "VICTIM_FUND": split_rule.victim_fund_bp},
    )


def split_rule_validate(**fields: Any) -> SplitRule:
    """An unsaved SplitRule from ``fields``, or ValidationError naming what is wrong."""
    rule = SplitRule(**fields)
    errors: dict[str, list[str]] = {}
    if rule.basis not in SplitRule.Basis.values:
        errors.setdefault("basis", []).append(_("Choose revenue or margin."))
    if rule.premi_mode not in SplitRule.PremiMode.values:
        errors.setdefault("premi_mode", []).append(_("Choose a premi mode."))
    if not (rule.legal_reference or "").strip():
        errors.setdefault("legal_reference", []).append(_("Quote the regulation or decree this split follows."))
    for problem in validate_rule(rule_of(rule)):
        errors.setdefault("__all__", []).append(str(RULE_MESSAGES[problem]))
    if errors:
        raise ValidationError(errors)
    return rule


@transaction.atomic
def split_rule_create(*, actor: Any, organization: Organization, **fields: Any) -> SplitRule:
    """Enter a split rule (effective from its date). Raises ValidationError, PermissionDenied."""
    _require(actor, organization)
    rule = split_rule_validate(organization=organization, created_by=_user(actor), **fields)
    rule.save()
    audit_record(actor=actor, action="split_rule.create", obj=rule)
    return rule


def split_rule_for(*, organization: Organization, category_id: int | None, on_date: datetime.date) -> SplitRule:
    """The rule in force: the category's own if any, else the organization's general one.

    Raises ValidationError when the organization has no rule in force on that date.
    """
    in_force = SplitRule.objects.filter(organization=organization, effective_from__lte=on_date)
    matching = Q(category__isnull=True) | Q(category_id=category_id) if category_id else Q(category__isnull=True)
    # One query: the category's own rules sort before the general ones, the latest first within each.
    rule = in_force.filter(matching).order_by(F("category_id").asc(nulls_last=True), "-effective_from", "-id").first()
    if rule is None:
        raise ValidationError(
            _("%(org)s has no split rule in force on %(date)s. Enter one before recording sales.")
            % {"org": organization.name, "date": on_date.isoformat()}
        )
    return rule


# Payouts, capital, PNBP ---------------------------------------------------------------------------


def payout_policy_for(*, organization: Organization) -> PayoutPolicy:
    return PayoutPolicy.objects.filter(organization=organization).first() or PayoutPolicy(organization=organization)


def _money_account(organization: Organization) -> Account:
    return account_for(organization=organization, kind=Account.Kind.BANK)


@transaction.atomic
def premi_payout(
    *,
    actor: Any,
    maker: Maker,
    amount_idr: int,
    method: str,
    recipient_name: str = "",
    recipient_relationship: str = "",
    reference: str = "",
) -> Payout:
    """Pay premi out to ``maker`` following the facility's policy; prints a slip with a verification code.

    Raises InsufficientBalance (more than owed, or over the inside-spending share),
    ValidationError, PermissionDenied.
    """
    organization = maker.organization
    _require(actor, organization)
    # Serialise payouts of one maker: the balance read below must not change underneath us.
    Maker.objects.select_for_update(of=("self",)).filter(pk=maker.pk).first()
    policy = payout_policy_for(organization=organization)
    errors: dict[str, str] = {}
    if method not in Payout.Method.values:
        errors["method"] = _("Choose how the premi is paid.")
    allowed = {
        "EMONEY": policy.allow_emoney,
        "SAVINGS": policy.allow_savings,
        "FAMILY": policy.allow_family,
        "RELEASE": policy.allow_on_release,
    }
    if method in allowed and not allowed[method]:
        errors["method"] = _("%(org)s does not pay premi this way.") % {"org": organization.name}
    if method == "FAMILY" and not (recipient_name.strip() and recipient_relationship.strip()):
        errors["recipient"] = _("Record the family member's name and relationship.")
    if method == "RELEASE" and maker.status != Maker.Status.RELEASED:
        errors["method"] = _("Payment on release is made once the maker has been released.")
    if amount_idr <= 0:
        errors["amount_idr"] = _("Enter an amount of more than Rp0.")
    if errors:
        raise ValidationError(errors)
    owed = maker_premi_owed(maker=maker)
    if amount_idr > owed:
        raise InsufficientBalance(
            _("%(name)s is owed %(owed)s; %(amount)s cannot be paid out.")
            % {"name": maker.full_name, "owed": _rp(owed), "amount": _rp(amount_idr)},
            code="insufficient_balance",
        )
    if method == "EMONEY":
        earned = maker_premi_earned(maker=maker)
        spent = Payout.objects.filter(maker=maker, method="EMONEY").aggregate(t=Sum("amount_idr"))["t"] or 0
        limit = earned * policy.inside_spending_bp // BASIS_POINTS
        if spent + amount_idr > limit:
            raise InsufficientBalance(
                _("Only %(pct)s%% of the premi may be spent inside: %(left)s is left for %(name)s.")
                % {
                    "pct": policy.inside_spending_bp / 100,
                    "left": _rp(max(limit - spent, 0)),
                    "name": maker.full_name,
                },
                code="inside_limit",
            )
    now = timezone.now()
    entry = entry_post(
        actor=actor,
        organization=organization,
        kind=JournalEntry.Kind.PAYOUT,
        occurred_at=now,
        memo=f"{method} {recipient_name}".strip(),
        postings=[
            Posting(account_for(organization=organization, kind=Account.Kind.PREMI_PAYABLE, maker=maker), amount_idr),
            Posting(_money_account(organization), -amount_idr),
        ],
    )
    number = number_next(organization=organization, series="PRM")
    document = document_issue(
        actor=actor,
        organization=organization,
        kind="PAYOUT_SLIP",
        number=number,
        title=_("Premi payout slip %(number)s") % {"number": number},
        # The public verification page shows the amount and method, never who was paid.
        public_figures={"total_idr": amount_idr, "method": method},
    )
    payout = Payout.objects.create(
        organization=organization,
        maker=maker,
        amount_idr=amount_idr,
        method=method,
        recipient_name=recipient_name.strip(),
        recipient_relationship=recipient_relationship.strip(),
        reference=reference.strip(),
        entry=entry,
        document=document,
        paid_at=now,
    )
    audit_record(actor=actor, action="premi.payout", obj=payout, amount=amount_idr, method=method)
    return payout


def _rp(amount: int) -> str:
    from binakarya.core.money import format_rupiah

    return format_rupiah(amount)


def _capital_account(organization: Organization, group: Group | None) -> Account:
    return account_for(organization=organization, kind=Account.Kind.CAPITAL_FUND, group=group)


@transaction.atomic
def capital_grant(
    *,
    actor: Any,
    organization: Organization,
    group: Group | None,
    amount_idr: int,
    agency: Organization | None,
    memo: str = "",
) -> CapitalMovement:
    """A fund injection (e.g. from a district agency) into a group's capital fund."""
    _require(actor, organization)
    if amount_idr <= 0:
        raise ValidationError({"amount_idr": _("Enter an amount of more than Rp0.")})
    if group is not None and group.organization_id != organization.pk:
        raise ValidationError({"group": _("The group belongs to another organization.")})
    if agency is not None and agency.kind != Organization.Kind.AGENCY:
        raise ValidationError({"agency": _("Choose the agency that gave the grant.")})
    now = timezone.now()
    entry = entry_post(
        actor=actor,
        organization=organization,
        kind=JournalEntry.Kind.GRANT,
        occurred_at=now,
        memo=memo or (agency.name if agency else ""),
        postings=[
            Posting(_money_account(organization), amount_idr),
            Posting(_capital_account(organization, group), -amount_idr),
        ],
    )
    movement = CapitalMovement.objects.create(
        organization=organization,
        group=group,
        kind=CapitalMovement.Kind.GRANT,
        amount_idr=amount_idr,
        agency=agency,
        memo=memo,
        entry=entry,
        occurred_at=now,
    )
    audit_record(actor=actor, action="capital.grant", obj=movement, amount=amount_idr)
    return movement


def capital_fund_balance(*, organization: Organization, group: Group | None) -> int:
    account = Account.objects.filter(
        organization=organization, kind=Account.Kind.CAPITAL_FUND, group=group, maker=None, counterparty=None
    ).first()
    return -account_balance(account=account) if account else 0


@transaction.atomic
def capital_material_purchase(
    *, actor: Any, organization: Organization, group: Group | None, amount_idr: int, memo: str = ""
) -> CapitalMovement:
    """Materials bought out of a group's capital fund. Raises InsufficientBalance if the fund is short."""
    _require(actor, organization)
    if amount_idr <= 0:
        raise ValidationError({"amount_idr": _("Enter an amount of more than Rp0.")})
    account = _capital_account(organization, group)
    Account.objects.select_for_update(of=("self",)).filter(pk=account.pk).first()
    available = -account_balance(account=account)
    if amount_idr > available:
        raise InsufficientBalance(
            _("The capital fund holds %(available)s; %(amount)s cannot be spent.")
            % {"available": _rp(available), "amount": _rp(amount_idr)},
            code="insufficient_balance",
        )
    now = timezone.now()
    entry = entry_post(
        actor=actor,
        organization=organization,
        kind=JournalEntry.Kind.MATERIAL_PURCHASE,
        occurred_at=now,
        memo=memo,
        postings=[Posting(account, amount_idr), Posting(_money_account(organization), -amount_idr)],
    )
    movement = CapitalMovement.objects.create(
        organization=organization,
        group=group,
        kind=CapitalMovement.Kind.MATERIAL_PURCHASE,
        amount_idr=amount_idr,
        memo=memo,
        entry=entry,
        occurred_at=now,
    )
    audit_record(actor=actor, action="capital.purchase", obj=movement, amount=amount_idr)
    return movement


@transaction.atomic
def pnbp_deposit_record(
    *,
    actor: Any,
    organization: Organization,
    amount_idr: int,
    billing_code: str,
    ntpn: str,
    deposited_date: datetime.date,
) -> PnbpDeposit:
    """Record a PNBP deposit to the state treasury with its billing code and NTPN."""
    _require(actor, organization)
    errors = {}
    if amount_idr <= 0:
        errors["amount_idr"] = _("Enter an amount of more than Rp0.")
    if not billing_code.strip():
        errors["billing_code"] = _("Enter the billing code.")
    if not ntpn.strip():
        errors["ntpn"] = _("Enter the NTPN from the deposit receipt.")
    elif PnbpDeposit.objects.filter(ntpn=ntpn.strip()).exists():
        errors["ntpn"] = _("This NTPN has already been recorded.")
    if organization.kind != Organization.Kind.FACILITY:
        errors["organization"] = _("Only a correctional facility deposits PNBP.")
    if errors:
        raise ValidationError(errors)
    payable = account_for(organization=organization, kind=Account.Kind.PNBP_PAYABLE)
    Account.objects.select_for_update(of=("self",)).filter(pk=payable.pk).first()
    owed = -account_balance(account=payable)
    if amount_idr > owed:
        raise InsufficientBalance(
            _("Only %(owed)s of PNBP is owed; a deposit of %(amount)s is more than that.")
            % {"owed": _rp(owed), "amount": _rp(amount_idr)},
            code="insufficient_balance",
        )
    entry = entry_post(
        actor=actor,
        organization=organization,
        kind=JournalEntry.Kind.PNBP_DEPOSIT,
        memo=f"NTPN {ntpn}",
        postings=[Posting(payable, amount_idr), Posting(_money_account(organization), -amount_idr)],
    )
    deposit = PnbpDeposit.objects.create(
        organization=organization,
        amount_idr=amount_idr,
        billing_code=billing_code.strip(),
        ntpn=ntpn.strip(),
        deposited_date=deposited_date,
        entry=entry,
    )
    audit_record(actor=actor, action="pnbp.deposit", obj=deposit, amount=amount_idr)
    return deposit


MAX_TARGET_IDR = 1_000_000_000_000


@transaction.atomic
def pnbp_target_set(*, actor: Any, organization: Organization, year: int, target_idr: int) -> PnbpTarget:
    """A facility's PNBP target for a calendar year (set again to change it)."""
    _require(actor, organization)
    errors: dict[str, list[str]] = {}
    if organization.kind != Organization.Kind.FACILITY:
        errors["organization"] = [_("Only a correctional facility deposits PNBP.")]
    if not 2000 <= year <= timezone.localdate().year + 5:
        errors["year"] = [_("Choose a year from 2000 to five years from now.")]
    if not 0 <= target_idr <= MAX_TARGET_IDR:
        errors["target_idr"] = [_("Enter a target from Rp0 to Rp1.000.000.000.000.")]
    if errors:
        raise ValidationError(errors)
    target, _created = PnbpTarget.objects.update_or_create(
        organization=organization, year=year, defaults={"target_idr": target_idr}
    )
    audit_record(actor=actor, action="pnbp.target", obj=target, year=year, target=target_idr)
    return target


@transaction.atomic
def premi_statement_issue(*, actor: Any, maker: Maker) -> Any:
    """Issue a printable premi statement for ``maker`` (makers inside have no internet).

    The verification page shows the date, issuer and balance, never the maker's name.
    """
    _require(actor, maker.organization, perm="makers.view")
    number = number_next(organization=maker.organization, series="STP")
    owed = maker_premi_owed(maker=maker)
    document = document_issue(
        actor=actor,
        organization=maker.organization,
        kind="PREMI_STATEMENT",
        number=number,
        title=_("Premi statement %(number)s") % {"number": number},
        public_figures={"total_idr": owed},
    )
    audit_record(actor=actor, action="premi.statement", obj=maker, document=document.pk)
    return document
