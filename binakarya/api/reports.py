"""Staff endpoints for the reports of issue 14 (see docs/reports.md):

- ``GET /reports/monthly/{org_slug}/{year}/{month}.pdf``: a facility's (or an UMKM producer's) monthly report for
  the Kanwil, as a PDF in the request's language;
- ``GET /reports/ekatalog?province=…&date_from=…&date_to=…``: the e-Katalog marketing report of SE Dirjenpas
  PAS-08.OT.02.02/2024 for a province, as JSON, or a PDF, XLSX or CSV with ``format``.

Both are read by the book keepers, auditors and oversight viewers (``dashboards.reports.REPORT_ROLES``). An
organization or province outside the caller's scope answers 404, as one that does not exist.
"""

from typing import Annotated, Any

from django.http import HttpResponse
from ninja import Field, Path, Query, Router

from binakarya.api.auth import STAFF_AUTH, AuthenticatedRequest
from binakarya.api.schemas.common import ErrorOut, FieldErrorsOut, YearParam
from binakarya.api.schemas.reports import EkatalogOut, EkatalogQuery
from binakarya.core.exports import export_response
from binakarya.dashboards import printing
from binakarya.dashboards.reports import ChannelFigures, EkatalogReport, ekatalog_report, monthly_report

router = Router(tags=["reports"], auth=STAFF_AUTH)

READ_ERRORS = {400: FieldErrorsOut, 401: ErrorOut, 404: ErrorOut, 422: FieldErrorsOut}
PDF_RESPONSE = {"responses": {200: {"description": "The PDF", "content": {"application/pdf": {}}}}}
MonthParam = Annotated[int, Field(ge=1, le=12)]


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@router.get(
    "/reports/monthly/{org_slug}/{year}/{month}.pdf",
    response={200: None} | READ_ERRORS,
    url_name="report_monthly_pdf",
    summary="A facility's (or UMKM producer's) monthly report for the Kanwil, as a PDF (makers counted, never named)",
    openapi_extra=PDF_RESPONSE,
)
def monthly_pdf(
    request: AuthenticatedRequest, org_slug: str, year: Path[YearParam], month: Path[MonthParam]
) -> HttpResponse:
    """Sales of the month and the year to date by channel, category and group; premi; PNBP against the year's
    target (facilities only); stock at the end of the month and its age; what outlets owe; capital funds;
    production; orders and deals waiting; the head's signature block."""
    report = monthly_report(user=request.auth, organization_slug=org_slug, year=year, month=month)
    return _pdf(printing.monthly_report_pdf(report=report), f"{report.reference}.pdf")


def _channels(figures: dict[str, ChannelFigures]) -> list[dict[str, Any]]:
    return [{"channel": channel, **vars(f)} for channel, f in figures.items()]


def _ekatalog_out(report: EkatalogReport) -> dict[str, Any]:
    return {
        "province": report.province,
        "date_from": report.period.date_from,
        "date_to": report.period.date_to,
        "upts": [
            {
                "organization": row.organization.slug,
                "name": row.organization.name,
                "regency": row.organization.regency,
                "products_published": row.products_published,
                "products_with_listing": row.products_with_listing,
                "sold": row.sold,
                "transactions": row.transactions,
                "value_idr": row.value_idr,
                "ekatalog": vars(row.ekatalog),
                "channels": _channels(row.by_channel),
            }
            for row in report.rows
        ],
        "totals": {
            "upts": len(report.rows),
            "upts_selling": report.upts_selling,
            "products_published": report.products_published,
            "products_with_listing": report.products_with_listing,
            "transactions": report.transactions,
            "value_idr": report.value_idr,
            "ekatalog": vars(report.ekatalog),
            "channels": _channels({channel: report.channel_total(channel) for channel in report.channels}),
        },
    }


@router.get(
    "/reports/ekatalog",
    response={200: EkatalogOut} | READ_ERRORS,
    summary="The e-Katalog marketing report (SE Dirjenpas PAS-08.OT.02.02/2024) of a province: per UPT, products "
    "listed, whether it sold, transactions and value per channel",
)
def ekatalog(request: AuthenticatedRequest, filters: Query[EkatalogQuery]) -> dict[str, Any] | HttpResponse:
    """A regional viewer asks for their province, a national viewer for any; facility staff get their own
    facility's row. ``format=pdf``, ``xlsx`` or ``csv``: the same report printed, or its table."""
    report = ekatalog_report(
        user=request.auth, province=filters.province, date_from=filters.date_from, date_to=filters.date_to
    )
    name = f"ekatalog-{report.province.lower().replace(' ', '-')}-{report.period.date_from}-{report.period.date_to}"
    if filters.format == "pdf":
        return _pdf(printing.ekatalog_report_pdf(report=report), f"{name}.pdf")
    if filters.format != "json":
        return export_response(filters.format, name, printing.ekatalog_tables(report=report))
    return _ekatalog_out(report)
