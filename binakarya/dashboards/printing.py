"""The reports of ``dashboards.reports`` as printed (PDF, WeasyPrint) and as downloadable tables (CSV, XLSX).

Both print in the active language (the page's, or the API request's). Neither names a maker: the monthly report
counts them, the e-Katalog report does not read them at all.
"""

from typing import Any

from django.utils.translation import gettext as _

from binakarya.core.exports import Column, Table
from binakarya.dashboards.reports import EKATALOG_CHANNEL, EkatalogReport, MonthlyReport
from binakarya.documents.pdf import render_pdf
from binakarya.organizations.models import Organization
from binakarya.sales.models import Channel


def head_title(organization: Organization) -> str:
    """Who signs the monthly report off: the head of the facility (Kepala Rutan, Lapas, LPKA), or the UMKM's owner."""
    if organization.kind != Organization.Kind.FACILITY:
        return _("Owner or manager")
    return _("Head of %(facility)s") % {"facility": organization.name}


def monthly_report_pdf(*, report: MonthlyReport) -> bytes:
    """The monthly report on A4: the figures of the month and the year to date, and the signature block."""
    return render_pdf(
        "dashboards/monthly_report.html",
        {"report": report, "organization": report.organization, "head_title": head_title(report.organization)},
    )


def _channel_rows(report: EkatalogReport) -> list[dict[str, Any]]:
    """Each UPT's transactions per channel (only those it used), then the total of each channel."""
    rows: list[dict[str, Any]] = []
    for row in report.rows:
        for channel in report.channels:
            figures = row.by_channel.get(channel)
            if figures is not None:
                rows.append({"upt": row.organization.name, "channel": Channel(channel).label, "figures": figures})
    return rows


def ekatalog_report_pdf(*, report: EkatalogReport) -> bytes:
    """The e-Katalog marketing report on A4 landscape: one row per UPT, then each UPT's channels."""
    return render_pdf(
        "dashboards/ekatalog_report.html",
        {
            "report": report,
            "channel_rows": _channel_rows(report),
            "channel_totals": [(Channel(c).label, report.channel_total(c)) for c in report.channels],
            "ekatalog_channel": Channel(EKATALOG_CHANNEL).label,
            "institutional_total": report.channel_total(EKATALOG_CHANNEL),
        },
    )


def ekatalog_tables(*, report: EkatalogReport) -> list[Table]:
    """The report as a summary and one row per UPT with a pair of columns (transactions, value) per channel."""
    period = f"{report.period.date_from.isoformat()} – {report.period.date_to.isoformat()}"
    summary = Table(
        f"{_('e-Katalog marketing report')} · {report.province} · {period}",
        [Column(_("Item")), Column(_("Value"))],
        [
            [_("Province"), report.province],
            [_("From"), report.period.date_from],
            [_("To"), report.period.date_to],
            [_("UPTs"), len(report.rows)],
            [_("UPTs that sold"), report.upts_selling],
            [_("Products in the public catalog"), report.products_published],
            [_("Of which with e-Katalog listing data"), report.products_with_listing],
            [_("Transactions"), report.transactions],
            [_("Value (Rp)"), report.value_idr],
            [_("Transactions through e-Katalog"), report.ekatalog.transactions],
            [_("Value through e-Katalog (Rp)"), report.ekatalog.value_idr],
        ],
    )
    channels = list(Channel.values)
    columns = [
        Column(_("UPT")),
        Column(_("Regency or city")),
        Column(_("Products in the public catalog")),
        Column(_("With e-Katalog listing data")),
        Column(_("Sold in the period")),
        Column(_("Transactions")),
        Column(_("Value (Rp)"), rupiah=True),
        Column(_("e-Katalog transactions")),
        Column(_("e-Katalog value (Rp)"), rupiah=True),
    ]
    for channel in channels:
        label = str(Channel(channel).label)
        columns += [Column(f"{label}: {_('transactions')}"), Column(f"{label}: {_('value (Rp)')}", rupiah=True)]
    rows: list[list[Any]] = []
    for row in report.rows:
        line: list[Any] = [
            row.organization.name,
            row.organization.regency,
            row.products_published,
            row.products_with_listing,
            _("Yes") if row.sold else _("No"),
            row.transactions,
            row.value_idr,
            row.ekatalog.transactions,
            row.ekatalog.value_idr,
        ]
        for channel in channels:
            figures = row.by_channel.get(channel)
            line += [figures.transactions, figures.value_idr] if figures else [0, 0]
        rows.append(line)
    total: list[Any] = [
        _("Total"),
        "",
        report.products_published,
        report.products_with_listing,
        report.upts_selling,
        report.transactions,
        report.value_idr,
        report.ekatalog.transactions,
        report.ekatalog.value_idr,
    ]
    for channel in channels:
        figures = report.channel_total(channel)
        total += [figures.transactions, figures.value_idr]
    rows.append(total)
    return [summary, Table(_("Per UPT"), columns, rows)]
