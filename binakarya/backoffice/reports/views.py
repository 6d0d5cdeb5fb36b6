"""The reports page (issue 14): a facility's monthly report as a PDF, and the e-Katalog marketing report of SE
Dirjenpas PAS-08.OT.02.02/2024 for a province as a PDF, XLSX or CSV.

Book keepers, auditors and oversight viewers open it (``dashboards.reports.REPORT_ROLES``); anyone else gets 403.
A facility they may not see is a 404, as one that does not exist. The figures come from
``binakarya.dashboards.reports``; the files print in the page's language.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from binakarya.backoffice.access import oversees, require_reports
from binakarya.backoffice.common import export_filename, get_or_404, pdf_response
from binakarya.backoffice.reports.forms import FORMATS, EkatalogReportForm, MonthlyReportForm, month_key
from binakarya.core.exports import export_response
from binakarya.core.types import Actor
from binakarya.dashboards import printing
from binakarya.dashboards import reports as report_selectors

# The organizations a picker lists at most (a national viewer sees every facility of the country).
PICKER_MAX = 1000


def _monthly_form(user: Actor, data: dict[str, str] | None = None) -> MonthlyReportForm:
    organizations = list(report_selectors.report_organizations_for(user=user)[:PICKER_MAX])
    return MonthlyReportForm(data, organizations=organizations, initial={"bulan": month_key(timezone.localdate())})


def _ekatalog_form(user: Actor, data: dict[str, str] | None = None) -> EkatalogReportForm | None:
    """The e-Katalog report's form for a viewer who sees facilities; None for everyone else."""
    if not oversees(user):
        return None
    provinces = report_selectors.report_provinces_for(user=user)
    if not provinces:
        return None
    return EkatalogReportForm(
        data, provinces=provinces, periods=report_selectors.period_options(), initial={"provinsi": provinces[0]}
    )


def _page(
    request: HttpRequest,
    *,
    monthly_form: MonthlyReportForm | None = None,
    ekatalog_form: EkatalogReportForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    return render(
        request,
        "backoffice/reports.html",
        {
            "section": "reports",
            "monthly_form": monthly_form or _monthly_form(user),
            "ekatalog_form": ekatalog_form or _ekatalog_form(user),
            "formats": FORMATS,
        },
        status=status,
    )


@login_required
@require_GET
def reports(request: HttpRequest) -> HttpResponse:
    require_reports(request.user)
    return _page(request)


@login_required
@require_GET
def monthly(request: HttpRequest) -> HttpResponse:
    """The monthly report's form, sent: on to the report's PDF, or back with what to correct (400)."""
    require_reports(request.user)
    form = _monthly_form(request.user, request.GET.dict())
    if not form.is_valid():
        return _page(request, monthly_form=form, status=400)
    month = form.cleaned_data["bulan"].date_from
    return redirect(
        "backoffice:report_monthly_pdf",
        slug=form.cleaned_data["organisasi"],
        year=month.year,
        month=month.month,
    )


@login_required
@require_GET
def monthly_pdf(request: HttpRequest, slug: str, year: int, month: int) -> HttpResponse:
    require_reports(request.user)
    try:
        report = get_or_404(
            report_selectors.monthly_report, user=request.user, organization_slug=slug, year=year, month=month
        )
    except ValidationError as exc:  # a month that does not exist, in the address
        raise Http404(_("Not found.")) from exc
    filename = export_filename("laporan-bulanan", slug, f"{year}-{month:02d}")
    return pdf_response(printing.monthly_report_pdf(report=report), f"{filename}.pdf")


@login_required
@require_GET
def ekatalog(request: HttpRequest) -> HttpResponse:
    """The e-Katalog report's form, sent: the report as a PDF, XLSX or CSV, or the page with what to correct."""
    require_reports(request.user)
    form = _ekatalog_form(request.user, request.GET.dict())
    if form is None:
        raise Http404(_("Not found."))
    fmt = request.GET.get("format", "pdf")
    if fmt not in dict(FORMATS):
        form.add_error(None, _("Choose PDF, XLSX or CSV."))
    if not form.is_valid():
        return _page(request, ekatalog_form=form, status=400)
    period = form.cleaned_data["periode"]
    province = form.cleaned_data["provinsi"]
    report = get_or_404(
        report_selectors.ekatalog_report,
        user=request.user,
        province=province,
        date_from=period.date_from,
        date_to=period.date_to,
    )
    filename = export_filename("laporan-ekatalog", province, request.GET.get("periode", ""))
    if fmt == "pdf":
        return pdf_response(printing.ekatalog_report_pdf(report=report), f"{filename}.pdf")
    return export_response(fmt, filename, printing.ekatalog_tables(report=report))
