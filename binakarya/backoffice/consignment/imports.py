"""Importing an outlet's sales from its till's CSV, for the seller's sales staff and the outlet's partner.

``consignment_import`` shows the form (with the columns and the template's link) and, on upload, calls
``consignment.importing.outlet_sales_import``: every row's errors in a table (row, column, message), nothing
imported; or the totals imported (kept in the session and shown after a redirect, so a reload imports
nothing twice). ``consignment_import_template`` is the CSV template with one of the agreement's SKUs.
"""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from binakarya.backoffice.common import get_or_404
from binakarya.backoffice.consignment.imports_forms import SalesImportForm
from binakarya.consignment.importing import (
    COLUMNS,
    MAX_BYTES,
    MAX_ROWS,
    ImportRefused,
    import_template_csv,
    outlet_sales_import,
    refused_summary,
)
from binakarya.consignment.models import Agreement
from binakarya.consignment.selectors import agreement_for
from binakarya.consignment.services import is_seller_staff, require_agreement_party

RESULT_KEY = "consignment-import-{pk}"


def _agreement(request: HttpRequest, pk: int) -> Agreement:
    agreement = get_or_404(agreement_for, user=request.user, pk=pk)
    require_agreement_party(request.user, agreement)
    return agreement


@login_required
@require_http_methods(["GET", "POST"])
def consignment_import(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _agreement(request, pk)
    key = RESULT_KEY.format(pk=agreement.pk)
    form = SalesImportForm(request.POST, request.FILES) if request.method == "POST" else SalesImportForm()
    refused: ImportRefused | None = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = outlet_sales_import(
                actor=request.user, agreement=agreement, data=upload.read(MAX_BYTES + 1), file_name=upload.name or ""
            )
        except ImportRefused as exc:
            refused = exc
        else:
            request.session[key] = {
                "file": upload.name or "",
                "sales": result.sales,
                "lines": result.lines,
                "units": result.units,
                "gross_idr": result.gross_idr,
                "commission_idr": result.commission_idr,
                "net_idr": result.net_idr,
                "first_number": result.first_number,
                "last_number": result.last_number,
            }
            return redirect(reverse("backoffice:consignment_import", args=[agreement.pk]) + "?hasil=1")
    done: dict[str, Any] | None = request.session.pop(key, None) if request.method == "GET" else None
    return render(
        request,
        "backoffice/consignment_import_result.html" if done else "backoffice/consignment_import.html",
        {
            "agreement": agreement,
            "form": form,
            "refused": refused,
            "summary": refused_summary(refused) if refused else "",
            "done": done,
            "columns": [names for names in COLUMNS.values()],
            "max_mb": MAX_BYTES // 1024 // 1024,
            "max_rows": f"{MAX_ROWS:,}".replace(",", "."),
            # Back to where the user came from: the seller's agreement page, or the partner's home.
            "back_to_agreement": is_seller_staff(request.user, agreement),
        },
        status=422 if refused else 200,
    )


@login_required
@require_GET
def consignment_import_template(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _agreement(request, pk)
    response = HttpResponse(import_template_csv(agreement), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="impor-penjualan-{agreement.pk}.csv"'
    return response
