"""Which account of an organization a posting uses: the ledger's chart of accounts, as policy.

An account is identified by its kind and, for per-party accounts, the party: a maker (premi held for
them), a group (its capital fund), a counterparty organization (what an outlet or a buyer owes, an
outlet's commission) or a named deduction. Accounts are created on first use.

A sale's accounts are decided here, not by the channel that made the sale:

- the buyer's money: a receivable from the organization that owes it, or cash;
- the commission: owed to the outlet the goods were sold at, if any;
- the capital fund of the group that made the lot (material cost recovery and the capital share);
- each contributor's premi payable, and each deduction's payable;
- the remainder: PNBP payable for a correctional facility, income for an UMKM producer.
"""

from collections.abc import Iterable
from typing import NamedTuple

from django.db import IntegrityError, transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from binakarya.ledger.models import Account
from binakarya.makers.models import Group, Maker
from binakarya.organizations.models import Organization

StrOrPromise = str | Promise

ACCOUNT_NAMES: dict[str, str] = {
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
    Account.Kind.BUYER_DEPOSITS: "Uang pembeli dititipkan",
    Account.Kind.SHIPPING_PAYABLE: "Ongkos kirim ditagihkan",
    Account.Kind.TAX_PAYABLE: "PPN terutang",
}

# The deductions a split rule takes from premi, as people read them.
DEDUCTION_LABELS: dict[str, StrOrPromise] = {
    "RESTITUTION": gettext_lazy("Restitution"),
    "VICTIM_FUND": gettext_lazy("Victim fund"),
}

# Accounts that hold the money itself (rather than what is owed to or by someone).
MONEY_KINDS = frozenset({Account.Kind.CASH, Account.Kind.BANK, Account.Kind.RECEIVABLE})


class AccountKey(NamedTuple):
    """Which account of an organization: its kind and, for per-party accounts, the party's id."""

    kind: str
    maker_id: int | None = None
    group_id: int | None = None
    counterparty_id: int | None = None
    deduction: str = ""

    @property
    def party_key(self) -> str:
        """The stored ``Account.party_key``: "maker|group|counterparty|deduction", empty where there is none."""
        return "|".join(
            (
                "" if self.maker_id is None else str(self.maker_id),
                "" if self.group_id is None else str(self.group_id),
                "" if self.counterparty_id is None else str(self.counterparty_id),
                self.deduction,
            )
        )


# A sale's accounts, and the others services post to -----------------------------------------------


def money_key(*, owed_by_id: int | None) -> AccountKey:
    """Where a sale's money is booked: a receivable from the organization that owes it, or cash."""
    if owed_by_id is not None:
        return AccountKey(Account.Kind.RECEIVABLE, counterparty_id=owed_by_id)
    return AccountKey(Account.Kind.CASH)


def commission_key(*, outlet_id: int | None) -> AccountKey:
    """The commission a sale pays, owed to the outlet it was sold at (if it was sold at one)."""
    return AccountKey(Account.Kind.COMMISSION, counterparty_id=outlet_id)


def remainder_key(*, organization_kind: str) -> AccountKey:
    """What is left of a sale after commission, capital and premi: PNBP for a facility, else income."""
    if organization_kind == Organization.Kind.FACILITY:
        return pnbp_key()
    return AccountKey(Account.Kind.PRODUCER_INCOME)


def capital_key(*, group_id: int | None) -> AccountKey:
    """The capital fund of the group that made a lot (an UMKM's lots have no group: its own fund)."""
    return AccountKey(Account.Kind.CAPITAL_FUND, group_id=group_id)


def bank_key() -> AccountKey:
    """The organization's bank account: payouts, grants, material purchases and PNBP deposits go through it."""
    return AccountKey(Account.Kind.BANK)


def cash_key() -> AccountKey:
    """Money received at once (a sale's money when nobody owes it: ``money_key(owed_by_id=None)``)."""
    return AccountKey(Account.Kind.CASH)


def buyer_deposits_key() -> AccountKey:
    """Buyers' payments for orders not yet sold (or to be refunded): held for them until the sale."""
    return AccountKey(Account.Kind.BUYER_DEPOSITS)


def tax_key() -> AccountKey:
    """PPN charged to buyers, owed to the tax office until it is paid on."""
    return AccountKey(Account.Kind.TAX_PAYABLE)


def shipping_key() -> AccountKey:
    """Shipping fees buyers paid, owed to the courier."""
    return AccountKey(Account.Kind.SHIPPING_PAYABLE)


def pnbp_key() -> AccountKey:
    """The PNBP a facility owes the state treasury until it deposits it."""
    return AccountKey(Account.Kind.PNBP_PAYABLE)


def premi_key(*, maker_id: int) -> AccountKey:
    """The premi held for a maker."""
    return AccountKey(Account.Kind.PREMI_PAYABLE, maker_id=maker_id)


def deduction_key(*, name: str) -> AccountKey:
    """A deduction taken from premi (restitution, victim fund), held until it is paid on."""
    return AccountKey(Account.Kind.DEDUCTIONS_PAYABLE, deduction=name)


# Names as people read them ------------------------------------------------------------------------
# The stored ``Account.name`` is fixed at creation, in Indonesian, and names a maker only by number. Pages and
# exports name an account at display time instead, in the reader's language: its kind, then its party.


def maker_code(maker_id: int) -> str:
    """How a maker is named where their name may not go (exports, oversight): "Perajin #8" / "Maker #8"."""
    return _("Maker #%(id)s") % {"id": maker_id}


def deduction_label(name: str) -> str:
    return str(DEDUCTION_LABELS.get(name, name))


def account_label(kind: str, party: str = "") -> str:
    """An account's name in the active language: "Cash", "Premi payable · Ahmad", "Capital fund · Kelompok…"."""
    label = str(Account.Kind(kind).label) if kind in Account.Kind.values else kind
    return f"{label} · {party}" if party else label


# Finding and creating accounts ----------------------------------------------------------------------


def accounts_for(*, organization: Organization, keys: Iterable[AccountKey]) -> dict[AccountKey, Account]:
    """The organization's accounts for ``keys``: one query for those that exist, the rest created."""
    wanted = set(keys)
    found: dict[AccountKey, Account] = {}
    if not wanted:
        return found
    by_lookup = {(key.kind, key.party_key): key for key in wanted}
    for account in Account.objects.filter(
        organization=organization,
        kind__in=sorted({key.kind for key in wanted}),
        party_key__in=sorted({key.party_key for key in wanted}),
    ).order_by():
        key = by_lookup.get((account.kind, account.party_key))
        if key is not None:
            found[key] = account
    missing = sorted(wanted - found.keys(), key=lambda k: (k.kind, k.party_key))
    if missing:
        names = _party_names(missing)
        for key in missing:
            found[key] = _account_create(organization, key, names)
    return found


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
    key = AccountKey(
        kind,
        maker_id=maker.pk if maker else None,
        group_id=group.pk if group else None,
        counterparty_id=counterparty.pk if counterparty else None,
        deduction=deduction,
    )
    return accounts_for(organization=organization, keys=[key])[key]


def _party_names(keys: list[AccountKey]) -> dict[tuple[str, int], str]:
    """The names that new accounts carry: a group's or counterparty's name (a maker only by number)."""
    names: dict[tuple[str, int], str] = {}
    group_ids = sorted({k.group_id for k in keys if k.group_id is not None})
    if group_ids:
        names.update(
            (("group", pk), name) for pk, name in Group.objects.filter(pk__in=group_ids).values_list("pk", "name")
        )
    org_ids = sorted({k.counterparty_id for k in keys if k.counterparty_id is not None})
    if org_ids:
        names.update(
            (("org", pk), name) for pk, name in Organization.objects.filter(pk__in=org_ids).values_list("pk", "name")
        )
    return names


def _account_create(organization: Organization, key: AccountKey, names: dict[tuple[str, int], str]) -> Account:
    if key.maker_id is not None:
        party = f"#{key.maker_id}"  # never the maker's name: account names show on ledger pages and exports
    elif key.group_id is not None:
        party = names[("group", key.group_id)]
    elif key.counterparty_id is not None:
        party = names[("org", key.counterparty_id)]
    else:
        party = key.deduction
    name = ACCOUNT_NAMES[key.kind] + (f" · {party}" if party else "")
    lookup = {"organization": organization, "kind": key.kind, "party_key": key.party_key}
    try:
        with transaction.atomic():
            return Account.objects.create(
                name=name[:200],
                maker_id=key.maker_id,
                group_id=key.group_id,
                counterparty_id=key.counterparty_id,
                deduction=key.deduction,
                **lookup,
            )
    except IntegrityError:  # another transaction created it first
        return Account.objects.get(**lookup)
