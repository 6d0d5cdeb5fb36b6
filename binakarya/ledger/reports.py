"""The ledger's printable and downloadable tables: the trial balance, a year of PNBP and the capital funds.

Each builds :class:`binakarya.core.exports.Table` rows from the selectors, headed in the active language.
A maker is never named here: a premi account reads "Premi payable · Maker #8" (see accounts.maker_code),
whoever downloads it, because a file leaves the facility's screens.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from binakarya.core.exports import Column, Table
from binakarya.ledger.models import CapitalMovement
from binakarya.ledger.selectors import (
    capital_funds,
    capital_movements_for,
    pnbp_deposits_for,
    pnbp_year,
    trial_balance,
)
from binakarya.organizations.models import Organization

# The capital movements a download lists (the page shows the latest 20).
MOVEMENTS_MAX = 10_000


def trial_balance_tables(*, organization: Organization) -> list[Table]:
    balance = trial_balance(organization=organization)
    rows: list[list[object]] = [
        [label, row.kind, row.debit_idr, row.credit_idr] for label, row in balance.labelled(maker_names=False)
    ]
    rows.append([_("Total"), "", balance.debit_idr, balance.credit_idr])
    columns = [
        Column(_("Account")),
        Column(_("Kind")),
        Column(_("Debit"), rupiah=True),
        Column(_("Credit"), rupiah=True),
    ]
    as_of = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    return [Table(f"{_('Trial balance')} · {organization.name} · {as_of}", columns, rows)]


def pnbp_tables(*, organization: Organization, year: int) -> list[Table]:
    figures = pnbp_year(organization=organization, year=year)
    summary = Table(
        f"PNBP {year} · {organization.name}",
        [Column(_("Item")), Column(_("Amount (Rp)"), rupiah=True)],
        [
            [_("Target"), figures["target_idr"]],
            [_("From sales (accrued)"), figures["accrued_idr"]],
            [_("Deposited"), figures["deposited_idr"]],
        ],
    )
    deposits = Table(
        _("Deposits"),
        [Column(_("Date")), Column(_("Billing code")), Column(_("NTPN")), Column(_("Amount (Rp)"), rupiah=True)],
        [
            [d.deposited_date, d.billing_code, d.ntpn, d.amount_idr]
            for d in pnbp_deposits_for(organization=organization, year=year)
        ],
    )
    return [summary, deposits]


def capital_tables(*, organization: Organization) -> list[Table]:
    funds = capital_funds(organization=organization)
    fund_rows: list[list[object]] = [
        [f["name"], f["balance_idr"], f["material_per_piece_idr"], f["product"], f["pieces"]] for f in funds
    ]
    fund_rows.append([_("All funds"), sum(f["balance_idr"] for f in funds), None, "", None])
    fund_table = Table(
        f"{_('Capital funds')} · {organization.name}",
        [
            Column(_("Fund")),
            Column(_("Balance (Rp)"), rupiah=True),
            Column(_("Material per piece (Rp)"), rupiah=True),
            Column(_("Product")),
            Column(_("Pieces it still pays for")),
        ],
        fund_rows,
    )
    movements = capital_movements_for(organization=organization, limit=MOVEMENTS_MAX)
    movement_table = Table(
        _("Grants and purchases"),
        [
            Column(_("Date")),
            Column(_("What")),
            Column(_("Fund")),
            Column(_("From")),
            Column(_("Note")),
            Column(_("Amount (Rp)"), rupiah=True),
        ],
        [
            [
                timezone.localtime(m.occurred_at).date(),
                _("Grant") if m.kind == CapitalMovement.Kind.GRANT else _("Material purchase"),
                m.group.name if m.group else organization.name,
                m.agency.name if m.agency else "",
                m.memo,
                m.amount_idr if m.kind == CapitalMovement.Kind.GRANT else -m.amount_idr,
            ]
            for m in movements
        ],
    )
    return [fund_table, movement_table]
