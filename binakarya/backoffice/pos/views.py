"""Staff pages of the point of sale (showroom, bazaar), phone first: the sessions, the till, receipts.

The till's cart lives in the Django session, one per cashier session, as (code, quantity) pairs: a code is a
lot code (a scanned hang tag: the unit comes from that lot) or a SKU (first in, first out). Paying calls
``pos.services.pos_sale_record``, which ends in ``sales.services.sale_record``. Every form posts without
JavaScript; with htmx the till is redrawn in place.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from binakarya.backoffice.access import partner_only, records_sales, sees_sales
from binakarya.backoffice.common import add_service_errors, get_or_404, paginate, pdf_response, site_base_url
from binakarya.backoffice.pos import forms
from binakarya.core.money import format_rupiah
from binakarya.core.types import HtmxHttpRequest
from binakarya.inventory.fifo import InsufficientStock
from binakarya.pos import selectors as pos_selectors
from binakarya.pos.models import PosSession
from binakarya.pos.renderers import closing_context, closing_pdf, receipt_context, receipt_pdf
from binakarya.pos.services import (
    PosLineInput,
    pos_sale_record,
    pos_session_close,
    pos_session_open,
    require_session_hand,
)

MAX_CART_LINES = 50


def _require_pos_pages(user: Any) -> None:
    if not sees_sales(user) or partner_only(user):  # an outlet partner records sales on their own pages
        raise PermissionDenied(_("Only the staff of a facility or a producer see sales."))


def _session(request: HttpRequest, pk: int) -> PosSession:
    return get_or_404(pos_selectors.session_for, user=request.user, pk=pk)


# The cart ---------------------------------------------------------------------------------------


def _cart_key(session: PosSession) -> str:
    return f"pos-cart-{session.pk}"


def _cart(request: HttpRequest, session: PosSession) -> list[list[Any]]:
    raw = request.session.get(_cart_key(session), [])
    return [[str(code), int(qty)] for code, qty in raw if isinstance(qty, int) and qty > 0]


def _cart_save(request: HttpRequest, session: PosSession, cart: list[list[Any]]) -> None:
    request.session[_cart_key(session)] = [[code, qty] for code, qty in cart if qty > 0][:MAX_CART_LINES]


def _cart_rows(request: HttpRequest, session: PosSession) -> tuple[list[dict[str, Any]], int]:
    cart = _cart(request, session)
    items = pos_selectors.till_items(
        user=request.user, organization=session.organization, codes=[code for code, _qty in cart]
    )
    rows = []
    for code, qty in cart:
        item = items.get(code)
        if item is not None:
            rows.append({"item": item, "quantity": qty, "total_idr": qty * item.price_idr})
    return rows, sum(row["total_idr"] for row in rows)


# Sessions ---------------------------------------------------------------------------------------


@login_required
@require_GET
def session_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    _require_pos_pages(user)
    return render(
        request,
        "backoffice/pos_sessions.html",
        {
            "section": "pos",
            "page": paginate(request, pos_selectors.sessions_for(user=user)),
            "open_session": pos_selectors.open_session_of(user=user),
            "can_open": records_sales(user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_open(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not records_sales(user):
        raise PermissionDenied(_("You do not record sales."))
    current = pos_selectors.open_session_of(user=user)
    if current is not None:
        return redirect("backoffice:pos_till", pk=current.pk)
    locations = pos_selectors.pos_locations_for(user=user)
    many_orgs = len({loc.organization_id for loc in locations}) > 1
    form = forms.SessionOpenForm(request.POST or None, locations=locations, many_orgs=many_orgs)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session = pos_session_open(actor=user, location=data["location"], opening_cash_idr=data["opening_cash_idr"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Session %(number)s is open.") % {"number": session.number})
            return redirect("backoffice:pos_till", pk=session.pk)
    return render(
        request, "backoffice/pos_open.html", {"section": "pos", "form": form, "has_locations": locations.exists()}
    )


# The till ---------------------------------------------------------------------------------------


def _render_till(
    request: HtmxHttpRequest,
    session: PosSession,
    *,
    add_form: forms.AddItemForm | None = None,
    pay_form: forms.PayForm | None = None,
    status: int = 200,
) -> HttpResponse:
    rows, total = _cart_rows(request, session)
    context = {
        "section": "pos",
        "session": session,
        "rows": rows,
        "total_idr": total,
        "add_form": add_form or forms.AddItemForm(),
        "pay_form": pay_form or forms.PayForm(),
        "totals": pos_selectors.session_totals(session=session),
        "recent": pos_selectors.session_recent_sales(session=session, limit=5),
    }
    template = "backoffice/includes/pos_till.html" if request.htmx else "backoffice/pos_till.html"
    return render(request, template, context, status=status)


def _open_session(request: HttpRequest, pk: int) -> PosSession:
    session = _session(request, pk)
    require_session_hand(request.user, session)
    return session


@login_required
@require_GET
def till(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    session = _open_session(request, pk)
    if session.status != PosSession.Status.OPEN:
        return redirect("backoffice:pos_closing", pk=session.pk)
    return _render_till(request, session)


def _after_change(request: HtmxHttpRequest, session: PosSession) -> HttpResponse:
    if request.htmx:
        return _render_till(request, session)
    return redirect("backoffice:pos_till", pk=session.pk)


@login_required
@require_POST
def cart_add(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Add the scanned or typed code (a lot code or a SKU) to the cart."""
    session = _open_session(request, pk)
    form = forms.AddItemForm(request.POST)
    if form.is_valid():
        item = pos_selectors.till_item(
            user=request.user, organization=session.organization, code=form.cleaned_data["code"]
        )
        if item is None:
            form.add_error(
                "code", _("Unknown lot code or SKU: %(code)s.") % {"code": form.cleaned_data["code"].strip()}
            )
        else:
            cart = _cart(request, session)
            quantity = form.cleaned_data["quantity"] or 1
            line = next((line for line in cart if line[0] == item.code), None)
            if line is None:
                cart.append([item.code, quantity])
            else:
                line[1] += quantity
            _cart_save(request, session, cart)
            return _after_change(request, session)
    return _render_till(request, session, add_form=form, status=200 if request.htmx else 400)


@login_required
@require_POST
def cart_change(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """One more (``delta=1``) or one fewer (``delta=-1``) of a cart line; at zero the line goes."""
    session = _open_session(request, pk)
    code = request.POST.get("code", "")
    delta = 1 if request.POST.get("delta") == "1" else -1
    cart = _cart(request, session)
    for line in cart:
        if line[0] == code:
            line[1] = min(line[1] + delta, 1000)
    _cart_save(request, session, cart)
    return _after_change(request, session)


@login_required
@require_POST
def pay(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Record the sale ("Bayar"): cash with change, or QRIS; then the receipt."""
    session = _open_session(request, pk)
    form = forms.PayForm(request.POST)
    cart = _cart(request, session)
    if form.is_valid():
        try:
            pos_sale = pos_sale_record(
                actor=request.user,
                session=session,
                lines=[PosLineInput(code, qty) for code, qty in cart],
                payment_method=form.cleaned_data["payment_method"],
                cash_received_idr=form.cash_received(),
            )
        except InsufficientStock as exc:
            form.add_error(None, exc.messages)
        except ValidationError as exc:
            if hasattr(exc, "error_dict") and "lines" in exc.error_dict:
                form.add_error(None, exc.error_dict.pop("lines"))
            add_service_errors(form, exc)
        else:
            _cart_save(request, session, [])
            messages.success(
                request,
                _("Sale %(number)s recorded: %(total)s.")
                % {"number": pos_sale.sale.number, "total": format_rupiah(pos_sale.total_idr)},
            )
            target = redirect("backoffice:pos_receipt", number=pos_sale.sale.number)
            if request.htmx:
                response = HttpResponse(status=204)
                response["HX-Redirect"] = target["Location"]
                return response
            return target
    return _render_till(request, session, pay_form=form, status=200 if request.htmx else 400)


# Receipts ---------------------------------------------------------------------------------------


@login_required
@require_GET
def receipt(request: HttpRequest, number: str) -> HttpResponse:
    """The receipt, sized for a 58 mm thermal printer, with a print button and the PDF."""
    _require_pos_pages(request.user)
    pos_sale = get_or_404(pos_selectors.pos_sale_for, user=request.user, number=number)
    context = receipt_context(pos_sale=pos_sale, base_url=site_base_url(request))
    return render(request, "backoffice/pos_receipt.html", context)


@login_required
@require_GET
def receipt_download(request: HttpRequest, number: str) -> HttpResponse:
    _require_pos_pages(request.user)
    pos_sale = get_or_404(pos_selectors.pos_sale_for, user=request.user, number=number)
    pdf = receipt_pdf(pos_sale=pos_sale, base_url=site_base_url(request))
    return pdf_response(pdf, f"{pos_sale.sale.number}.pdf")


# Closing ----------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def session_close(request: HttpRequest, pk: int) -> HttpResponse:
    session = _open_session(request, pk)
    if session.status != PosSession.Status.OPEN:
        return redirect("backoffice:pos_closing", pk=session.pk)
    form = forms.SessionCloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            closed = pos_session_close(
                actor=request.user,
                session=session,
                counted_cash_idr=form.cleaned_data["counted_cash_idr"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Session %(number)s is closed.") % {"number": closed.number})
            return redirect("backoffice:pos_closing", pk=closed.pk)
    return render(
        request,
        "backoffice/pos_close.html",
        {
            "section": "pos",
            "session": session,
            "form": form,
            "totals": pos_selectors.session_totals(session=session),
        },
    )


@login_required
@require_GET
def closing(request: HttpRequest, pk: int) -> HttpResponse:
    """The session's report: printable on a 58 mm printer, and as a PDF."""
    _require_pos_pages(request.user)
    session = _session(request, pk)
    context = closing_context(session=session, base_url=site_base_url(request))
    return render(request, "backoffice/pos_closing.html", context)


@login_required
@require_GET
def closing_download(request: HttpRequest, pk: int) -> HttpResponse:
    _require_pos_pages(request.user)
    session = _session(request, pk)
    if session.status != PosSession.Status.CLOSED:
        return redirect("backoffice:pos_closing", pk=session.pk)
    return pdf_response(closing_pdf(session=session, base_url=site_base_url(request)), f"{session.number}.pdf")
