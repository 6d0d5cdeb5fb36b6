"""Ledger writes: split rules, payouts, capital and PNBP (accounts: ``accounts``; entries: ``journal``).

Balances are sums of journal lines; no service ever updates a balance row, so concurrent sales do
not queue behind a hot "premi payable" row.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from binakarya.core.audit import AuditAction, audit_record
from binakarya.core.money import decimal_separator_for, format_percent, format_rupiah
from binakarya.core.types import Actor, user_of
from binakarya.documents import numbers
from binakarya.documents.services import document_issue
from binakarya.ledger import accounts, summary
from binakarya.ledger.accounts import AccountKey, accounts_for
from binakarya.ledger.journal import Posting, entry_post
from binakarya.ledger.locks import accounts_lock, makers_lock, summaries_lock
from binakarya.ledger.models import (
    BASIS_POINTS,
    Account,
    CapitalMovement,
    JournalEntry,
    Payout,
    PnbpDeposit,
    PnbpTarget,
    SplitRule,
)
from binakarya.ledger.selectors import (
    account_balance,
    maker_premi_earned,
    maker_premi_owed,
    payout_policy_for,
    rule_of,
)
from binakarya.ledger.split import validate_rule
from binakarya.makers.models import Group, Maker
from binakarya.organizations.models import Organization


class InsufficientBalance(ValidationError):
    """A payout larger than what the maker is owed (or allowed to spend)."""


def _accounts(organization: Organization, *keys: AccountKey) -> list[Account]:
    """The organization's accounts for ``keys``, in that order (one query; missing ones are created)."""
    found = accounts_for(organization=organization, keys=keys)
    return [found[key] for key in keys]


def require_books_keeper(actor: Actor, organization: Organization, perm: str = "ledger.manage") -> None:
    """Raises PermissionDenied unless ``actor`` may change the accounts of ``organization`` (or has ``perm``).

    Every write of the ledger checks it; an interface may check it first, so that a user who may only
    look gets 403 rather than field errors.
    """
    if actor is not None and not actor.has_perm(perm, organization):
        raise PermissionDenied(_("You may not change the accounts of %(org)s.") % {"org": organization.name})


# Split rules --------------------------------------------------------------------------------------

RULE_MESSAGES = {
    "premi_range": gettext_lazy("The premi percentage must be between 0% and 100%."),
    "capital_range": gettext_lazy("The capital share must be between 0% and 100%."),
    "over_100": gettext_lazy("Premi and capital together exceed 100% of the basis."),
    "per_unit_positive": gettext_lazy("A premi per unit must be more than Rp0."),
    "deduction_range": gettext_lazy("Each deduction, when on, is between 5% and 20% of the premi."),
    "deductions_total": gettext_lazy("Deductions together may not exceed 80% of the premi."),
}


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
def split_rule_create(*, actor: Actor, organization: Organization, **fields: Any) -> SplitRule:
    """Enter a split rule (effective from its date). Raises ValidationError, PermissionDenied."""
    require_books_keeper(actor, organization)
    rule = split_rule_validate(organization=organization, created_by=user_of(actor), **fields)
    rule.save()
    audit_record(actor=actor, action=AuditAction.SPLIT_RULE_CREATE, obj=rule)
    return rule


# Payouts, capital, PNBP ---------------------------------------------------------------------------


def premi_payout_check(
    *,
    actor: Actor,
    maker: Maker,
    amount_idr: int,
    method: str,
    recipient_name: str = "",
    recipient_relationship: str = "",
    reference: str = "",
) -> None:
    """Whether :func:`premi_payout` would pay this out now, without paying: the confirmation step asks first.

    Raises what premi_payout raises; saves nothing. premi_payout checks again when it pays.
    """
    require_books_keeper(actor, maker.organization)
    _payout_refusals(
        maker=maker,
        amount_idr=amount_idr,
        method=method,
        recipient_name=recipient_name,
        recipient_relationship=recipient_relationship,
    )


def _payout_refusals(
    *,
    maker: Maker,
    amount_idr: int,
    method: str,
    recipient_name: str,
    recipient_relationship: str,
    expected_owed_idr: int | None = None,
) -> None:
    """Raises InsufficientBalance or ValidationError when the facility's policy refuses this payout.

    ``expected_owed_idr`` is what the maker was owed when the payout was shown for confirmation: if it has
    changed since (a second tap on "confirm", another officer's payout, a return), nothing is paid.
    """
    organization = maker.organization
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
    if expected_owed_idr is not None and owed != expected_owed_idr:
        raise ValidationError(
            {
                "amount_idr": _(
                    "What %(name)s is owed has changed since this payout was checked (now %(owed)s): it may "
                    "have been paid already. Nothing was paid; check the statement and try again."
                )
                % {"name": maker.full_name, "owed": format_rupiah(owed)}
            },
            code="owed_changed",
        )
    if amount_idr > owed:
        raise InsufficientBalance(
            _("%(name)s is owed %(owed)s; %(amount)s cannot be paid out.")
            % {"name": maker.full_name, "owed": format_rupiah(owed), "amount": format_rupiah(amount_idr)},
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
                    "pct": format_percent(
                        Decimal(policy.inside_spending_bp) / 100,
                        decimal_separator=decimal_separator_for(get_language()),
                    ),
                    "left": format_rupiah(max(limit - spent, 0)),
                    "name": maker.full_name,
                },
                code="inside_limit",
            )


@transaction.atomic
def premi_payout(
    *,
    actor: Actor,
    maker: Maker,
    amount_idr: int,
    method: str,
    recipient_name: str = "",
    recipient_relationship: str = "",
    reference: str = "",
    expected_owed_idr: int | None = None,
) -> Payout:
    """Pay premi out to ``maker`` following the facility's policy; prints a slip with a verification code.

    ``expected_owed_idr``, when given, is what the payer saw the maker owed: the payout is refused if that
    has changed meanwhile, so a confirmation sent twice pays once.

    Raises InsufficientBalance (more than owed, or over the inside-spending share),
    ValidationError, PermissionDenied.
    """
    organization = maker.organization
    require_books_keeper(actor, organization)
    # Serialise payouts of one maker: the balance read below must not change underneath us.
    makers_lock(maker_ids=[maker.pk])
    _payout_refusals(
        maker=maker,
        amount_idr=amount_idr,
        method=method,
        recipient_name=recipient_name,
        recipient_relationship=recipient_relationship,
        expected_owed_idr=expected_owed_idr,
    )
    now = timezone.now()
    premi, bank = _accounts(organization, accounts.premi_key(maker_id=maker.pk), accounts.bank_key())
    entry = entry_post(
        actor=actor,
        organization=organization,
        kind=JournalEntry.Kind.PAYOUT,
        occurred_at=now,
        memo=f"{method} {recipient_name}".strip(),
        postings=[Posting(premi, amount_idr), Posting(bank, -amount_idr)],
    )
    number = numbers.number_next(organization=organization, series=numbers.PAYOUT)
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
    audit_record(actor=actor, action=AuditAction.PREMI_PAYOUT, obj=payout, amount=amount_idr, method=method)
    return payout


@transaction.atomic
def capital_grant(
    *,
    actor: Actor,
    organization: Organization,
    group: Group | None,
    amount_idr: int,
    agency: Organization | None,
    memo: str = "",
) -> CapitalMovement:
    """A fund injection (e.g. from a district agency) into a group's capital fund."""
    require_books_keeper(actor, organization)
    if amount_idr <= 0:
        raise ValidationError({"amount_idr": _("Enter an amount of more than Rp0.")})
    if group is not None and group.organization_id != organization.pk:
        raise ValidationError({"group": _("The group belongs to another organization.")})
    if agency is not None and (agency.kind != Organization.Kind.AGENCY or not agency.is_active):
        raise ValidationError({"agency": _("Choose the agency that gave the grant.")})
    bank, capital = _accounts(
        organization, accounts.bank_key(), accounts.capital_key(group_id=group.pk if group else None)
    )
    now = timezone.now()
    entry = entry_post(
        actor=actor,
        organization=organization,
        kind=JournalEntry.Kind.GRANT,
        occurred_at=now,
        memo=memo or (agency.name if agency else ""),
        postings=[
            Posting(bank, amount_idr),
            Posting(capital, -amount_idr),
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
    audit_record(actor=actor, action=AuditAction.CAPITAL_GRANT, obj=movement, amount=amount_idr)
    return movement


@transaction.atomic
def capital_material_purchase(
    *, actor: Actor, organization: Organization, group: Group | None, amount_idr: int, memo: str = ""
) -> CapitalMovement:
    """Materials bought out of a group's capital fund. Raises InsufficientBalance if the fund is short."""
    require_books_keeper(actor, organization)
    if group is not None and group.organization_id != organization.pk:
        raise ValidationError({"group": _("The group belongs to another organization.")})
    if amount_idr <= 0:
        raise ValidationError({"amount_idr": _("Enter an amount of more than Rp0.")})
    account, bank = _accounts(
        organization, accounts.capital_key(group_id=group.pk if group else None), accounts.bank_key()
    )
    accounts_lock(account_ids=[account.pk])
    available = -account_balance(account=account)
    if amount_idr > available:
        raise InsufficientBalance(
            _("The capital fund holds %(available)s; %(amount)s cannot be spent.")
            % {"available": format_rupiah(available), "amount": format_rupiah(amount_idr)},
            code="insufficient_balance",
        )
    now = timezone.now()
    entry = entry_post(
        actor=actor,
        organization=organization,
        kind=JournalEntry.Kind.MATERIAL_PURCHASE,
        occurred_at=now,
        memo=memo,
        postings=[Posting(account, amount_idr), Posting(bank, -amount_idr)],
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
    audit_record(actor=actor, action=AuditAction.CAPITAL_PURCHASE, obj=movement, amount=amount_idr)
    return movement


@transaction.atomic
def pnbp_deposit_record(
    *,
    actor: Actor,
    organization: Organization,
    amount_idr: int,
    billing_code: str,
    ntpn: str,
    deposited_date: datetime.date,
) -> PnbpDeposit:
    """Record a PNBP deposit to the state treasury with its billing code and NTPN."""
    require_books_keeper(actor, organization)
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
    payable, bank = _accounts(organization, accounts.pnbp_key(), accounts.bank_key())
    accounts_lock(account_ids=[payable.pk])
    owed = -account_balance(account=payable)
    if amount_idr > owed:
        raise InsufficientBalance(
            _("Only %(owed)s of PNBP is owed; a deposit of %(amount)s is more than that.")
            % {"owed": format_rupiah(owed), "amount": format_rupiah(amount_idr)},
            code="insufficient_balance",
        )
    entry = entry_post(
        actor=actor,
        organization=organization,
        kind=JournalEntry.Kind.PNBP_DEPOSIT,
        memo=f"NTPN {ntpn}",
        postings=[Posting(payable, amount_idr), Posting(bank, -amount_idr)],
    )
    deposit = PnbpDeposit.objects.create(
        organization=organization,
        amount_idr=amount_idr,
        billing_code=billing_code.strip(),
        ntpn=ntpn.strip(),
        deposited_date=deposited_date,
        entry=entry,
    )
    audit_record(actor=actor, action=AuditAction.PNBP_DEPOSIT, obj=deposit, amount=amount_idr)
    return deposit


MAX_TARGET_IDR = 1_000_000_000_000


@transaction.atomic
def pnbp_target_set(*, actor: Actor, organization: Organization, year: int, target_idr: int) -> PnbpTarget:
    """A facility's PNBP target for a calendar year (set again to change it)."""
    require_books_keeper(actor, organization)
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
    audit_record(actor=actor, action=AuditAction.PNBP_TARGET, obj=target, year=year, target=target_idr)
    return target


@transaction.atomic
def premi_statement_issue(*, actor: Actor, maker: Maker) -> Any:
    """Issue a printable premi statement for ``maker`` (makers inside have no internet).

    The verification page shows the date, issuer and balance, never the maker's name.
    """
    require_books_keeper(actor, maker.organization, perm="makers.view")
    number = numbers.number_next(organization=maker.organization, series=numbers.PREMI_STATEMENT)
    owed = maker_premi_owed(maker=maker)
    document = document_issue(
        actor=actor,
        organization=maker.organization,
        kind="PREMI_STATEMENT",
        number=number,
        title=_("Premi statement %(number)s") % {"number": number},
        public_figures={"total_idr": owed},
    )
    audit_record(actor=actor, action=AuditAction.PREMI_STATEMENT, obj=maker, document=document.pk)
    return document


# Orders' money ---------------------------------------------------------------------------------------
# An order's money is held for the buyer (BUYER_DEPOSITS) from its payment until its sale, when it pays
# for the sale's cash, the courier's fee and the unique code. A made-to-order order's down payment goes
# to the capital fund of the group that makes it instead: it buys the materials, and the sale recovers it.
# These postings carry no permission check of their own: the orders service that calls them checks that
# its actor may sell for the organization, as sale_record does.


@dataclass(frozen=True)
class DepositShare:
    """The part of a down payment that funds one group's materials (``group_id`` None: the producer's own fund)."""

    group_id: int | None
    amount_idr: int


def _money_key(cash: bool) -> AccountKey:
    return accounts.cash_key() if cash else accounts.bank_key()


def _capital_movements(
    organization: Organization, entry: JournalEntry, kind: str, shares: Sequence[DepositShare], memo: str
) -> None:
    CapitalMovement.objects.bulk_create(
        CapitalMovement(
            organization=organization,
            group_id=share.group_id,
            kind=kind,
            amount_idr=share.amount_idr,
            memo=memo[:300],
            entry=entry,
            occurred_at=entry.occurred_at,
        )
        for share in shares
        if share.amount_idr
    )


def _check_shares(amount_idr: int, shares: Sequence[DepositShare]) -> None:
    if amount_idr <= 0 or any(s.amount_idr < 0 for s in shares) or sum(s.amount_idr for s in shares) > amount_idr:
        raise ValueError("an order's amounts must be positive and its down payments within them")


def _order_money_post(
    *,
    actor: Actor,
    organization: Organization,
    amount_idr: int,
    cash: bool,
    deposits: Sequence[DepositShare],
    memo: str,
    sign: int,
    kind: str,
    movement_kind: str,
) -> JournalEntry:
    """Money in (``sign`` 1) or back out (``sign`` -1) of the bank (or cash), against what is held for the buyer
    and the capital funds a down payment went to (``deposits``)."""
    _check_shares(amount_idr, deposits)
    capital_keys = [accounts.capital_key(group_id=s.group_id) for s in deposits]
    keys = [_money_key(cash), accounts.buyer_deposits_key(), *capital_keys]
    found = accounts_for(organization=organization, keys=keys)
    held = amount_idr - sum(s.amount_idr for s in deposits)
    postings = [Posting(found[keys[0]], sign * amount_idr), Posting(found[keys[1]], -sign * held)]
    postings += [Posting(found[key], -sign * s.amount_idr) for key, s in zip(capital_keys, deposits, strict=True)]
    entry = entry_post(
        actor=actor,
        organization=organization,
        kind=kind,
        memo=memo,
        postings=[p for p in postings if p.amount_idr],
    )
    _capital_movements(organization, entry, movement_kind, deposits, memo)
    return entry


@transaction.atomic
def order_payment_post(
    *,
    actor: Actor,
    organization: Organization,
    amount_idr: int,
    cash: bool = False,
    deposits: Sequence[DepositShare] = (),
    memo: str = "",
) -> JournalEntry:
    """Money received for an order: into the bank (or cash), held for the buyer, or a down payment into
    the capital funds of the groups that make the goods (``deposits``)."""
    return _order_money_post(
        actor=actor,
        organization=organization,
        amount_idr=amount_idr,
        cash=cash,
        deposits=deposits,
        memo=memo,
        sign=1,
        kind=JournalEntry.Kind.ORDER_PAYMENT,
        movement_kind=CapitalMovement.Kind.ORDER_DEPOSIT,
    )


@transaction.atomic
def order_settlement_post(
    *,
    actor: Actor,
    organization: Organization,
    goods_idr: int,
    shipping_idr: int = 0,
    extra_idr: int = 0,
    deposits_applied: Sequence[DepositShare] = (),
    memo: str = "",
) -> JournalEntry:
    """An order's sale is recorded (its goods booked as cash by ``sale_record``): the buyer's money held
    pays for it, the shipping fee becomes the courier's, the unique code the producer's (PNBP for a
    facility), and the down payments the capital funds advanced are recovered from the sale."""
    _check_shares(goods_idr, deposits_applied)
    applied = sum(s.amount_idr for s in deposits_applied)
    capital_keys = [accounts.capital_key(group_id=s.group_id) for s in deposits_applied]
    remainder = accounts.remainder_key(organization_kind=organization.kind)
    keys = [accounts.buyer_deposits_key(), accounts.cash_key(), accounts.shipping_key(), remainder, *capital_keys]
    found = accounts_for(organization=organization, keys=keys)
    postings = [
        Posting(found[accounts.buyer_deposits_key()], goods_idr - applied + shipping_idr + extra_idr),
        *[Posting(found[key], s.amount_idr) for key, s in zip(capital_keys, deposits_applied, strict=True)],
        Posting(found[accounts.cash_key()], -goods_idr),
        Posting(found[accounts.shipping_key()], -shipping_idr),
        Posting(found[remainder], -extra_idr),
    ]
    entry = entry_post(
        actor=actor,
        organization=organization,
        kind=JournalEntry.Kind.ORDER_SETTLEMENT,
        memo=memo,
        postings=[p for p in postings if p.amount_idr],
    )
    _capital_movements(organization, entry, CapitalMovement.Kind.DEPOSIT_APPLIED, deposits_applied, memo)
    return entry


@transaction.atomic
def order_refund_post(
    *,
    actor: Actor,
    organization: Organization,
    amount_idr: int,
    cash: bool = False,
    deposits: Sequence[DepositShare] = (),
    memo: str = "",
) -> JournalEntry:
    """Money given back to a buyer: out of what is held for them, or out of the capital funds its down
    payment went to (``deposits``), paid from the bank (or cash)."""
    return _order_money_post(
        actor=actor,
        organization=organization,
        amount_idr=amount_idr,
        cash=cash,
        deposits=deposits,
        memo=memo,
        sign=-1,
        kind=JournalEntry.Kind.ORDER_REFUND,
        movement_kind=CapitalMovement.Kind.DEPOSIT_REFUNDED,
    )


@transaction.atomic
def entry_reverse(*, actor: Actor, entry: JournalEntry, memo: str = "") -> JournalEntry:
    """Post the mirror of ``entry`` (each line's amount negated), pointing back at it."""
    lines = list(entry.lines.select_related("account").order_by("pk"))
    return entry_post(
        actor=actor,
        organization=entry.organization,
        kind=JournalEntry.Kind.REVERSAL,
        memo=memo or entry.memo,
        reverses=entry,
        postings=[Posting(line.account, -line.amount_idr) for line in lines],
    )


@transaction.atomic
def non_cash_receipt_post(*, actor: Actor, organization: Organization, amount_idr: int, memo: str = "") -> JournalEntry:
    """A sale booked as cash (``sale_record``'s money for a sale nobody owes) was paid by QRIS or transfer:
    the money is in the bank, not in the drawer."""
    if amount_idr <= 0:
        raise ValueError("an amount received must be positive")
    found = accounts_for(organization=organization, keys=[accounts.bank_key(), accounts.cash_key()])
    return entry_post(
        actor=actor,
        organization=organization,
        kind=JournalEntry.Kind.NON_CASH_RECEIPT,
        memo=memo,
        postings=[
            Posting(found[accounts.bank_key()], amount_idr),
            Posting(found[accounts.cash_key()], -amount_idr),
        ],
    )


# A consignment outlet's money ------------------------------------------------------------------------
# A sale at an outlet books its gross as a receivable from the outlet and its commission as a credit to the
# outlet's commission account: the outlet owes receivable + commission = the net. The outlet keeps its
# commission out of the money it took, so when it pays, the commission is netted against the receivable
# (Dr COMMISSION, Cr RECEIVABLE, all of the commission booked so far) and the payment clears the rest
# (Dr BANK, Cr RECEIVABLE). Once the whole net is paid both accounts are zero. The consignment service that
# calls this checks its actor's right, as the order postings above do.


class OverPayment(ValidationError):
    """A payment larger than what the outlet owes."""


@transaction.atomic
def outlet_payment_post(
    *,
    actor: Actor,
    organization: Organization,
    outlet: Organization,
    amount_idr: int,
    memo: str = "",
    occurred_at: datetime.datetime | None = None,
) -> JournalEntry:
    """Money the outlet paid into the bank for the goods it sold: nets its commission against its
    receivable and clears ``amount_idr`` of the receivable. Raises OverPayment (nothing posted) when the
    outlet owes less than ``amount_idr``."""
    if amount_idr <= 0:
        raise ValidationError({"amount_idr": _("Enter an amount of more than Rp0.")})
    receivable, commission, bank = _accounts(
        organization,
        accounts.money_key(owed_by_id=outlet.pk),
        accounts.commission_key(outlet_id=outlet.pk),
        accounts.bank_key(),
    )
    accounts_lock(account_ids=[receivable.pk, commission.pk])
    kept = -account_balance(account=commission)  # the commission the outlet keeps (a credit)
    owed = account_balance(account=receivable) - kept
    if amount_idr > owed:
        raise OverPayment(
            {
                "amount_idr": _("%(outlet)s owes %(owed)s; a payment of %(amount)s is more than that.")
                % {"outlet": outlet.name, "owed": format_rupiah(max(owed, 0)), "amount": format_rupiah(amount_idr)}
            },
            code="overpayment",
        )
    postings = [
        Posting(bank, amount_idr),
        Posting(commission, kept),
        Posting(receivable, -(amount_idr + kept)),
    ]
    return entry_post(
        actor=actor,
        organization=organization,
        kind=JournalEntry.Kind.OUTLET_PAYMENT,
        occurred_at=occurred_at,
        memo=memo or outlet.name,
        postings=[p for p in postings if p.amount_idr],
    )


# An agency deal's money ------------------------------------------------------------------------------
# A deal's sale (``sale_record`` on the INSTITUTIONAL channel, naming the buyer) books its value before PPN as
# a receivable from the buyer. The PPN on it is added to the receivable and owed to the tax office
# (``deal_tax_post``). Money the buyer pays clears the receivable of recognised goods; what it pays ahead of
# the sale (a down payment, or a payment before the handover is recognised) is held for it
# (BUYER_DEPOSITS) and applied to the receivable when the sale is recorded (``deal_deposit_apply_post``).
# The deals service that calls these checks its actor's right and keeps the deal's figures.


@transaction.atomic
def deal_tax_post(
    *,
    actor: Actor,
    organization: Organization,
    buyer: Organization,
    amount_idr: int,
    memo: str = "",
    occurred_at: datetime.datetime | None = None,
) -> JournalEntry:
    """The PPN on a recognised handover: owed by the buyer, owed on to the tax office."""
    if amount_idr <= 0:
        raise ValueError("PPN posted must be positive")
    receivable, tax = accounts.money_key(owed_by_id=buyer.pk), accounts.tax_key()
    found = accounts_for(organization=organization, keys=[receivable, tax])
    return entry_post(
        actor=actor,
        organization=organization,
        kind=JournalEntry.Kind.DEAL_TAX,
        occurred_at=occurred_at,
        memo=memo,
        postings=[Posting(found[receivable], amount_idr), Posting(found[tax], -amount_idr)],
    )


@transaction.atomic
def deal_payment_post(
    *,
    actor: Actor,
    organization: Organization,
    buyer: Organization,
    amount_idr: int,
    to_receivable_idr: int,
    cash: bool = False,
    occurred_at: datetime.datetime | None = None,
    memo: str = "",
) -> JournalEntry:
    """Money a deal's buyer paid into the bank (or cash): ``to_receivable_idr`` of it clears what the buyer owes
    for recognised goods, the rest is held for it until the sale."""
    if amount_idr <= 0 or not 0 <= to_receivable_idr <= amount_idr:
        raise ValueError("a deal payment must be positive and its parts within it")
    money, receivable, held = _money_key(cash), accounts.money_key(owed_by_id=buyer.pk), accounts.buyer_deposits_key()
    found = accounts_for(organization=organization, keys=[money, receivable, held])
    postings = [
        Posting(found[money], amount_idr),
        Posting(found[receivable], -to_receivable_idr),
        Posting(found[held], -(amount_idr - to_receivable_idr)),
    ]
    return entry_post(
        actor=actor,
        organization=organization,
        kind=JournalEntry.Kind.DEAL_PAYMENT,
        occurred_at=occurred_at,
        memo=memo,
        postings=[p for p in postings if p.amount_idr],
    )


@transaction.atomic
def deal_deposit_apply_post(
    *,
    actor: Actor,
    organization: Organization,
    buyer: Organization,
    amount_idr: int,
    memo: str = "",
    occurred_at: datetime.datetime | None = None,
) -> JournalEntry:
    """A deal's money held for the buyer pays what it now owes for goods whose sale was just recorded."""
    if amount_idr <= 0:
        raise ValueError("an amount applied must be positive")
    held, receivable = accounts.buyer_deposits_key(), accounts.money_key(owed_by_id=buyer.pk)
    found = accounts_for(organization=organization, keys=[held, receivable])
    return entry_post(
        actor=actor,
        organization=organization,
        kind=JournalEntry.Kind.DEAL_DEPOSIT_APPLIED,
        occurred_at=occurred_at,
        memo=memo,
        postings=[Posting(found[held], amount_idr), Posting(found[receivable], -amount_idr)],
    )


def ledger_summary_rebuild(*, organization: Organization | None = None) -> int:
    """Recompute the summary tables (``LedgerMonth``, ``MakerMonth``) from the journal, for one organization
    or all: delete, then insert from one grouped query per table, in one transaction. Returns the number
    of ``LedgerMonth`` rows written. For an operator (``manage.py ledger_summary_rebuild``); the journal is
    not touched."""
    with transaction.atomic():
        # Entries posted meanwhile wait for the rebuild (PostgreSQL) rather than add to rows it deletes.
        ids = None if organization is None else [organization.pk]
        summaries_lock()
        return summary.summaries_rebuild(organization_ids=ids)
