"""The outlet partner's portal (``mitra/``): a phone-first home, the shelf, confirming receipt, recording
sales (by picking from the shelf or scanning a hang tag's QR), the sell-through report by shelf counts, and
the statements.

Only the consignment selectors and services are used, through ``partner_agreements_for``: an outlet partner
sees their own outlet's agreements and nothing else of the seller (never a maker). Another outlet's
agreement, placement or statement is a 404 on every address; a user who is no outlet's partner gets 403.
"""

import io
import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from binakarya.backoffice.access import require_outlet_partner
from binakarya.backoffice.common import add_service_errors, get_or_404, pdf_response, site_base_url
from binakarya.backoffice.consignment.partner_forms import (
    PartnerCountForm,
    PartnerReceiveForm,
    PartnerReturnForm,
    PartnerSaleForm,
    PartnerScanForm,
    shelf_products,
    sold_on,
)
from binakarya.consignment import returns as return_services
from binakarya.consignment import review as review_selectors
from binakarya.consignment.models import Agreement, ConsignmentReturn
from binakarya.consignment.periods import current_period
from binakarya.consignment.selectors import (
    OutletStockRow,
    consignment_statement,
    issued_statement,
    outlet_stock_for,
    partner_agreement_for,
    partner_agreements_for,
    placement_receipt_for,
    placements_waiting_for,
    statement_for,
    statements_for,
)
from binakarya.consignment.services import OutletSaleLine, outlet_sale_record, placement_receive
from binakarya.core.codes import normalize_code
from binakarya.core.money import format_rupiah
from binakarya.core.types import Actor
from binakarya.documents.renderers import consignment_return_pdf, consignment_statement_pdf
from binakarya.inventory.fifo import InsufficientStock
from binakarya.organizations import selectors as organization_selectors
from binakarya.organizations.models import Role

TAG_ADDRESS = re.compile(r"/lacak/([^/?#]+)")
HOME_RETURNS = 3
PAGE_RETURNS = 20


def _agreement(request: HttpRequest, pk: int) -> Agreement:
    """One agreement of the partner's outlet: 403 for a user who is no partner, 404 for another outlet's."""
    require_outlet_partner(request.user)
    return get_or_404(partner_agreement_for, user=request.user, pk=pk)


def _agreements(request: HttpRequest) -> list[Agreement]:
    require_outlet_partner(request.user)
    return list(partner_agreements_for(user=request.user))


def _outlets(user: Actor) -> list[str]:
    return [
        outlet.name
        for outlet in organization_selectors.organizations_for(
            user=user, roles=[Role.OUTLET_PARTNER], oversight=False, active_only=True
        )
    ]


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Per agreement of the outlet: the seller, what the outlet owes now, the latest statement's due date,
    the placements to confirm and the units on the shelf."""
    user = request.user
    today = timezone.localdate()
    cards = []
    for agreement in _agreements(request):
        start, _end = current_period(agreement, today)
        running = consignment_statement(user=user, agreement=agreement, date_from=start, date_to=today)
        issued = statements_for(user=user, agreement=agreement)
        shelf = outlet_stock_for(user=user, agreement=agreement, today=today)
        cards.append(
            {
                "agreement": agreement,
                "owed_idr": running.balance_idr,
                "latest": issued[0] if issued else None,
                "waiting": placements_waiting_for(user=user, agreement=agreement),
                "units": sum(row.quantity for row in shelf),
                "products": len({row.sku for row in shelf}),
                "returns": _recent_returns(request, agreement, HOME_RETURNS),
            }
        )
    context = {"section": "partner_home", "outlets": _outlets(user), "cards": cards, "today": today}
    return render(request, "backoffice/partner_home.html", context)


@login_required
@require_GET
def shelf(request: HttpRequest) -> HttpResponse:
    """The outlet's consigned goods per product and lot, with the price and the days on the shelf."""
    today = timezone.localdate()
    shelves = [
        {"agreement": agreement, "rows": outlet_stock_for(user=request.user, agreement=agreement, today=today)}
        for agreement in _agreements(request)
    ]
    return render(request, "backoffice/partner_shelf.html", {"section": "partner_shelf", "shelves": shelves})


@login_required
@require_http_methods(["GET", "POST"])
def receive(request: HttpRequest, pk: int, placement_pk: int) -> HttpResponse:
    """Confirm what arrived of a placement: the quantity received per line (what was sent unless typed)."""
    agreement = _agreement(request, pk)
    receipt = get_or_404(placement_receipt_for, user=request.user, agreement=agreement, pk=placement_pk)
    form = None
    if receipt.waiting:
        form = PartnerReceiveForm(request.POST or None, lines=receipt.lines)
        if request.method == "POST" and form.is_valid():
            try:
                placement_receive(actor=request.user, placement=receipt.placement, received=form.received())
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                missing = sum(line.sent for line in receipt.lines) - sum(form.received().values())
                if missing:
                    messages.warning(
                        request,
                        ngettext(
                            "Receipt confirmed; %(n)s unit missing is recorded.",
                            "Receipt confirmed; %(n)s units missing are recorded.",
                            missing,
                        )
                        % {"n": missing},
                    )
                else:
                    messages.success(request, _("Receipt confirmed: everything arrived."))
                return redirect("backoffice:partner_home")
    context = {"section": "partner_home", "agreement": agreement, "receipt": receipt, "form": form}
    return render(request, "backoffice/partner_receive.html", context)


@login_required
@require_GET
def sales_start(request: HttpRequest) -> HttpResponse:
    """The "Record sales" menu entry: straight to the sales page when the outlet has one agreement in force."""
    agreements = _agreements(request)
    active = [agreement for agreement in agreements if agreement.status == Agreement.Status.ACTIVE]
    if len(active) == 1:
        return redirect("backoffice:partner_sale", pk=active[0].pk)
    context = {"section": "partner_sale", "agreements": active}
    return render(request, "backoffice/partner_choose.html", context)


def _record(
    request: HttpRequest, agreement: Agreement, form: Any, sold: list[tuple[OutletStockRow, int]], *, by_lot: bool
) -> bool:
    """Record ``sold`` through ``outlet_sale_record``; the service's refusal goes back on ``form``."""
    lines = [
        OutletSaleLine(row.sku, quantity, unit_price_idr=row.unit_price_idr, lot_code=row.lot if by_lot else "")
        for row, quantity in sold
    ]
    try:
        recorded = outlet_sale_record(actor=request.user, agreement=agreement, sold_date=sold_on(form), lines=lines)
    except InsufficientStock as exc:
        form.add_error(None, exc.messages)
        return False
    except ValidationError as exc:
        add_service_errors(form, exc)
        return False
    units = sum(quantity for _row, quantity in sold)
    messages.success(
        request,
        ngettext(
            "Sale %(number)s recorded: %(n)s unit, %(gross)s.",
            "Sale %(number)s recorded: %(n)s units, %(gross)s.",
            units,
        )
        % {"number": recorded.sale.number, "n": units, "gross": format_rupiah(recorded.sale.gross_idr)},
    )
    return True


def _scanned_code(raw: str) -> str:
    """A hang tag's lot code from what was scanned or typed: its /lacak/<code>/ address, or the code."""
    match = TAG_ADDRESS.search(raw)
    return normalize_code(match.group(1) if match else raw)


@login_required
@require_http_methods(["GET", "POST"])
def sale(request: HttpRequest, pk: int) -> HttpResponse:
    """Record what sold: tap an item of the shelf and type how many, or scan its hang tag's QR."""
    agreement = _agreement(request, pk)
    rows = outlet_stock_for(user=request.user, agreement=agreement)
    which = request.POST.get("form") if request.method == "POST" else None
    pick = PartnerSaleForm(request.POST if which == "pick" else None, rows=rows, prefix="pick")
    scan = PartnerScanForm(request.POST if which == "scan" else None, prefix="scan")
    if which == "pick" and pick.is_valid() and _record(request, agreement, pick, pick.sold(), by_lot=True):
        return redirect("backoffice:partner_sale", pk=agreement.pk)
    if which == "scan" and scan.is_valid():
        code = _scanned_code(scan.cleaned_data["code"])
        row = next((row for row in rows if row.lot == code), None)
        quantity = scan.cleaned_data["quantity"]
        if row is None:
            scan.add_error("code", _("This tag is not on your shelf: %(code)s.") % {"code": code or "—"})
        elif quantity > row.quantity:
            scan.add_error("quantity", _("More than on the shelf: only %(n)s there.") % {"n": row.quantity})
        elif _record(request, agreement, scan, [(row, quantity)], by_lot=True):
            return redirect("backoffice:partner_sale", pk=agreement.pk)
    context = {
        "section": "partner_sale",
        "agreement": agreement,
        "pick": pick,
        "scan": scan,
        "rows": rows,
    }
    return render(request, "backoffice/partner_sale.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def count(request: HttpRequest, pk: int) -> HttpResponse:
    """The sell-through report: the units left per product; sold = on the shelf − counted, shown for
    confirming, then recorded as one sale on the chosen day (oldest lots first)."""
    agreement = _agreement(request, pk)
    rows = outlet_stock_for(user=request.user, agreement=agreement)
    products = shelf_products(rows)
    form = PartnerCountForm(request.POST or None, products=products)
    step = request.POST.get("step", "")
    context: dict[str, Any] = {"section": "partner_sale", "agreement": agreement, "form": form}
    if request.method == "POST" and form.is_valid():
        sales = form.sales()
        if form.shelf_changed():
            form.add_error(None, _("The shelf changed since you counted (a sale was recorded meanwhile): check again."))
        elif not sales:
            form.add_error(None, _("Nothing to record: every count matches the shelf."))
        elif step == "confirm":
            sold = []
            for product, quantity in sales:
                row = next(row for row in rows if row.sku == product.sku)
                sold.append((row, quantity))
            if _record(request, agreement, form, sold, by_lot=False):
                return redirect("backoffice:partner_shelf")
        else:
            hidden = [("sold_date", form.cleaned_data["sold_date"].isoformat())]
            for product, name in form.product_fields:
                hidden += [(name, str(form.cleaned_data[name])), (f"expect_{product.sku}", str(product.on_shelf))]
            context.update(
                {
                    "sales": sales,
                    "hidden": hidden,
                    "sold_date": form.cleaned_data["sold_date"],
                    "units": sum(quantity for _product, quantity in sales),
                    "gross_idr": sum(product.unit_price_idr * quantity for product, quantity in sales),
                }
            )
            return render(request, "backoffice/partner_count_confirm.html", context)
    return render(request, "backoffice/partner_count.html", context)


@login_required
@require_GET
def statements(request: HttpRequest) -> HttpResponse:
    """Per agreement: the current period's running statement, and the statements issued with their PDF."""
    user = request.user
    today = timezone.localdate()
    blocks = []
    for agreement in _agreements(request):
        start, end = current_period(agreement, today)
        blocks.append(
            {
                "agreement": agreement,
                "running": consignment_statement(user=user, agreement=agreement, date_from=start, date_to=end),
                "issued": statements_for(user=user, agreement=agreement),
            }
        )
    return render(request, "backoffice/partner_statements.html", {"section": "partner_statements", "blocks": blocks})


@login_required
@require_GET
def statement_pdf(request: HttpRequest, pk: int, statement_pk: int) -> FileResponse:
    """An issued statement's PDF, as the API hands it (the same renderer, the same numbers)."""
    agreement = _agreement(request, pk)
    issued = get_or_404(statement_for, user=request.user, agreement=agreement, pk=statement_pk)
    statement = issued_statement(user=request.user, agreement=agreement, issued=issued)
    pdf = consignment_statement_pdf(
        document=issued.document, statement=statement, issued=issued, base_url=site_base_url(request)
    )
    # Streamed as a download (the same headers as the staff pages' PDFs: saved, never cached).
    response = FileResponse(io.BytesIO(pdf), as_attachment=True, filename=f"{issued.document.number}.pdf")
    response["Content-Type"] = "application/pdf"
    response["Cache-Control"] = "private, no-store"
    return response


# Handing goods back ------------------------------------------------------------------------------------


def _recent_returns(request: HttpRequest, agreement: Agreement, limit: int) -> list[ConsignmentReturn]:
    """The goods that went back from the outlet's shelf (its returns and the seller's recalls), latest first."""
    return list(review_selectors.returns_for(user=request.user, agreement=agreement)[:limit])


@login_required
@require_http_methods(["GET", "POST"])
def return_goods(request: HttpRequest, pk: int) -> HttpResponse:
    """Hand goods back to the seller: units per lot on the shelf and a reason. The goods are in transit
    until the seller's staff confirm they arrived (``consignment_return_receive``, on their own page)."""
    agreement = _agreement(request, pk)
    rows = outlet_stock_for(user=request.user, agreement=agreement)
    form = PartnerReturnForm(request.POST if request.method == "POST" else None, rows=rows)
    if request.method == "POST" and form.is_valid():
        try:
            returned = return_services.consignment_return_create(
                actor=request.user,
                agreement=agreement,
                kind=ConsignmentReturn.Kind.RETURN,
                lines=[return_services.ShelfLine(row.sku, units, row.lot) for row, units in form.chosen()],
                reason=form.cleaned_data["reason"],
            )
        except InsufficientStock as exc:
            form.add_error(None, exc.messages)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or _("You may not hand these goods back."))
        else:
            units = sum(units for _row, units in form.chosen())
            messages.success(
                request,
                ngettext(
                    "%(n)s unit handed back: it waits for the seller to confirm it arrived.",
                    "%(n)s units handed back: they wait for the seller to confirm they arrived.",
                    units,
                )
                % {"n": units},
            )
            return redirect("backoffice:partner_return_detail", pk=agreement.pk, return_pk=returned.pk)
    context = {
        "section": "partner_home",
        "agreement": agreement,
        "form": form,
        "rows": rows,
        "returns": _recent_returns(request, agreement, PAGE_RETURNS),
    }
    return render(request, "backoffice/partner_return.html", context)


def _return(request: HttpRequest, pk: int, return_pk: int) -> tuple[Agreement, ConsignmentReturn]:
    """One return of the partner's outlet: another outlet's (or one under another agreement) is a 404."""
    agreement = _agreement(request, pk)
    returned = get_or_404(review_selectors.consignment_return_for, user=request.user, agreement=agreement, pk=return_pk)
    return agreement, returned


@login_required
@require_GET
def return_detail(request: HttpRequest, pk: int, return_pk: int) -> HttpResponse:
    """A return's lines, its state (waiting for the seller or received) and its PDF."""
    agreement, returned = _return(request, pk, return_pk)
    lines = list(returned.lines.all())
    context = {
        "section": "partner_home",
        "agreement": agreement,
        "returned": returned,
        "lines": lines,
        "units": sum(line.quantity for line in lines),
        "value_idr": sum(line.quantity * line.unit_price_idr for line in lines),
        "waiting": returned.received_at is None,
    }
    return render(request, "backoffice/partner_return_detail.html", context)


@login_required
@require_GET
def return_pdf(request: HttpRequest, pk: int, return_pk: int) -> HttpResponse:
    """The return's document (the transfer's surat jalan as the staff page prints it): never a maker."""
    returned = _return(request, pk, return_pk)[1]
    pdf = consignment_return_pdf(consignment_return=returned, base_url=site_base_url(request))
    return pdf_response(pdf, f"{returned.transfer.number}.pdf")
