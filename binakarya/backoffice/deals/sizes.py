"""The sales staff's pages of uniform size lists (pengadaan/…/ukuran/): a request's lists with the XLSX template
of each garment and the upload (every row's problem in a table, nothing saved), one list with its totals per
size and counts per unit, and its packing list as PDF or XLSX, per person or per unit. The quotation form of a
request takes its quantities from the request's current lists (``quote_initial``, ``quotation_issue``).

Only staff who record sales open them; a list of another seller is a 404. Writes go through ``deals.sizes``.
The lists name the buyer's staff; nothing here shows a maker.
"""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from binakarya.backoffice.access import records_sales
from binakarya.backoffice.common import get_or_404, paginate, pdf_response, site_base_url
from binakarya.catalog.models import Product
from binakarya.core.exports import CONTENT_TYPES
from binakarya.core.types import Actor
from binakarya.deals import selectors, size_selectors
from binakarya.deals import sizes as size_services
from binakarya.deals.models import Quotation, Rfq, SizeList
from binakarya.deals.services import QuotationLineInput
from binakarya.deals.size_sheets import GROUP_PERSON, GROUP_UNIT, MAX_BYTES, SizeListRefused, packing_plan

# ?kelompok= on the packing list: orang (per person) or bagian (per unit).
GROUPING_PARAMETER = {"orang": GROUP_PERSON, "bagian": GROUP_UNIT}


def _require_pages(user: Actor) -> None:
    if not records_sales(user):
        raise PermissionDenied(_("Only the seller's staff who record sales open the procurement pages."))


class SizeListUploadForm(forms.Form):
    product = forms.TypedChoiceField(label=gettext_lazy("Garment"), coerce=int)
    file = forms.FileField(
        label=gettext_lazy("The filled-in size list (XLSX)"),
        widget=forms.FileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
        error_messages={"required": gettext_lazy("Choose the XLSX file."), "empty": gettext_lazy("The file is empty.")},
    )

    def __init__(self, *args: Any, products: list[Product], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["product"].choices = [(p.pk, p.name) for p in products]  # type: ignore[attr-defined]


def _products(user: Actor, rfq: Rfq) -> list[Product]:
    return size_selectors.size_products_for(
        user=user,
        organization=rfq.organization,
        first=[line.variant.product_id for line in rfq.lines.all() if line.variant is not None],
    )


@login_required
@require_http_methods(["GET", "POST"])
def rfq_size_lists(request: HttpRequest, pk: int) -> HttpResponse:
    """The request's size lists, the template of each garment, and the upload."""
    user = request.user
    _require_pages(user)
    rfq = get_or_404(selectors.rfq_get, user=user, pk=pk)
    products = _products(user, rfq)
    form = SizeListUploadForm(request.POST or None, request.FILES or None, products=products)
    refused: SizeListRefused | None = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        product = size_selectors.size_product_for(
            user=user, organization=rfq.organization, product_id=form.cleaned_data["product"]
        )
        try:
            result = size_services.size_list_upload(
                actor=user,
                organization=rfq.organization,
                product=product,
                data=upload.read(MAX_BYTES + 1),
                file_name=upload.name or "",
                rfq=rfq,
                language=get_language() or "",
            )
        except SizeListRefused as exc:
            refused = exc
        else:
            size_list = result.size_list
            if result.created:
                messages.success(
                    request,
                    _("Size list saved: %(persons)s persons, %(pieces)s pieces.")
                    % {"persons": size_list.persons, "pieces": size_list.units},
                )
            else:
                messages.info(
                    request,
                    _("This file was already uploaded on %(date)s; nothing changed.")
                    % {"date": size_list.created_at.strftime("%d/%m/%Y")},
                )
            return redirect("backoffice:deal_size_list", pk=size_list.pk)
    return render(
        request,
        "backoffice/deal_sizes.html",
        {
            "section": "deals",
            "rfq": rfq,
            "form": form,
            "products": products,
            "refused": refused,
            "size_lists": size_selectors.rfq_size_lists(user=user, rfq=rfq, current=False),
        },
        status=422 if refused else 400 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def size_template(request: HttpRequest, pk: int) -> HttpResponse:
    """The XLSX template of one of the seller's garments (``?produk=<id>``), in the page's language."""
    _require_pages(request.user)
    rfq = get_or_404(selectors.rfq_get, user=request.user, pk=pk)
    raw = request.GET.get("produk", "")
    if not raw.isdigit():
        raise Http404(_("Not found."))
    product = get_or_404(
        size_selectors.size_product_for, user=request.user, organization=rfq.organization, product_id=int(raw)
    )
    response = HttpResponse(size_services.size_template(product=product), content_type=CONTENT_TYPES["xlsx"])
    response["Content-Disposition"] = f'attachment; filename="daftar-ukuran-{product.slug}.xlsx"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def size_list_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_pages(request.user)
    size_list = get_or_404(size_selectors.size_list_get, user=request.user, pk=pk)
    people, order = size_selectors.packing_people(size_list=size_list)
    packing = packing_plan(people=people, size_order=order, grouping=GROUP_UNIT)
    return render(
        request,
        "backoffice/deal_size_list.html",
        {
            "section": "deals",
            "size_list": size_list,
            "totals": size_selectors.size_list_totals(size_list=size_list),
            "packing": packing,
            "page": paginate(request, size_selectors.size_list_rows(size_list=size_list)),
            "quotations": list(size_list.quotations.all()),
        },
    )


@login_required
@require_GET
def packing_list(request: HttpRequest, pk: int) -> HttpResponse:
    """``?kelompok=orang|bagian`` (per person by default) and ``?format=pdf|xlsx`` (PDF by default)."""
    _require_pages(request.user)
    size_list = get_or_404(size_selectors.size_list_get, user=request.user, pk=pk)
    grouping = GROUPING_PARAMETER.get(request.GET.get("kelompok", ""), GROUP_PERSON)
    if request.GET.get("format") == "xlsx":
        content = size_services.packing_list_xlsx(actor=request.user, size_list=size_list, grouping=grouping)
        response = HttpResponse(content, content_type=CONTENT_TYPES["xlsx"])
        response["Content-Disposition"] = f'attachment; filename="{_packing_name(size_list)}.xlsx"'
        response["Cache-Control"] = "private, no-store"
        return response
    pdf = size_services.packing_list_pdf(
        actor=request.user, size_list=size_list, grouping=grouping, base_url=site_base_url(request)
    )
    return pdf_response(pdf, f"{_packing_name(size_list)}.pdf")


def _packing_name(size_list: SizeList) -> str:
    document = size_list.packing_document
    return document.number if document is not None else f"daftar-kemasan-{size_list.pk}"


# The quotation form of a request (deals/views.py calls these) ----------------------------------------------


def quote_initial(*, user: Actor, rfq: Rfq, initial: dict[str, object], rows: int) -> tuple[dict[str, object], int]:
    """The quotation form's first values with the quantities of the request's current size lists: a row naming
    a size takes the list's total; sizes no row names get their own row at the list price. Returns the values
    and the number of rows filled."""
    size_lists = size_selectors.rfq_size_lists(user=user, rfq=rfq)
    if not size_lists:
        return initial, rows
    totals = {
        variant.sku: (variant, quantity)
        for variant, quantity in size_selectors.size_lists_totals(size_lists=size_lists).values()
    }
    for i in range(rows):
        sku = initial.get(f"sku_{i}")
        if isinstance(sku, str) and sku in totals:
            initial[f"quantity_{i}"] = totals.pop(sku)[1]
    for variant, quantity in totals.values():
        initial |= {f"sku_{rows}": variant.sku, f"quantity_{rows}": quantity, f"price_{rows}": variant.price_idr}
        rows += 1
    return initial, rows


def quotation_issue(*, actor: Actor, rfq: Rfq, lines: list[QuotationLineInput], **options: Any) -> Quotation:
    """Issue the request's quotation, covering its current size lists (none: a plain quotation)."""
    return size_services.quotation_issue_sized(
        actor=actor,
        organization=rfq.organization,
        size_lists=size_selectors.rfq_size_lists(user=actor, rfq=rfq),
        lines=lines,
        rfq=rfq,
        **options,
    )


def rfq_size_summary(*, user: Actor, rfq: Rfq) -> list[SizeList]:
    """The request's current size lists, for its page."""
    return size_selectors.rfq_size_lists(user=user, rfq=rfq)


def quotation_size_summary(*, user: Actor, quotation: Quotation) -> list[SizeList]:
    """The size lists a quotation covers, for its page (their packing lists)."""
    return size_selectors.quotation_size_lists(user=user, quotation=quotation)
