"""Export buyers: inquiries (public POST, throttled; the seller's staff read them), pro-forma invoices with their
packing lists, the export order after a pro-forma (the buyer's confirmation, T/T payments, the shipment that
records the sale, the commercial invoice), the SKA / e-SKA checklist and the seller's exporter settings (the
seller's sales staff). See docs/export.md and docs/api.md, "Export buyers".

An inquiry or pro-forma of another seller is 404 on every endpoint. A request that contradicts the order (confirmed
twice, overpaid, shipped before it is paid or twice) is 409 with a ``code``. No answer names a maker.
"""

from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from binakarya.api.auth import STAFF_AUTH, STAFF_OR_PUBLIC, AddressThrottle, AuthenticatedRequest
from binakarya.api.common import verify_url
from binakarya.api.schemas.common import WRITE_ERRORS, ErrorOut, FieldErrorsOut, IdParam, OrganizationQuery
from binakarya.api.schemas.exports import (
    ChecklistMarkIn,
    ChecklistOut,
    ExporterSettingsIn,
    ExporterSettingsOut,
    ExportInquiryIn,
    ExportInquiryListOut,
    ExportInquiryOut,
    ExportInquiryStaffOut,
    ExportOrderOut,
    OrderConfirmIn,
    OrderPaymentIn,
    ProformaIn,
    ProformaOut,
    ShipmentIn,
)
from binakarya.exports import amounts, orders, renderers, selectors, services
from binakarya.exports.models import ExporterSettings, ExportInquiry, ExportOrder, Proforma
from binakarya.exports.notifications import buyer_url
from binakarya.exports.throttle import inquiry_attempt
from binakarya.inventory.models import Location
from binakarya.organizations.models import Organization

router = Router(tags=["export"])


# Shapes -----------------------------------------------------------------------------------------------


def _lines(inquiry: ExportInquiry) -> list[dict[str, Any]]:
    return [
        {"sku": line.variant.sku, "description": line.description, "quantity": line.quantity}
        for line in inquiry.lines.all()
    ]


def _inquiry_staff_out(inquiry: ExportInquiry) -> dict[str, Any]:
    return {
        "id": inquiry.pk,
        "number": inquiry.number,
        "seller": inquiry.organization.slug,
        "status": inquiry.status,
        "company": inquiry.company,
        "contact_name": inquiry.contact_name,
        "contact_email": inquiry.contact_email,
        "contact_phone": inquiry.contact_phone,
        "country": inquiry.country,
        "incoterm": inquiry.incoterm,
        "place": inquiry.place,
        "note": inquiry.note,
        "language": inquiry.language,
        "created_at": inquiry.created_at,
        "lines": _lines(inquiry),
        "proformas": [proforma.number for proforma in inquiry.proformas.all()],
    }


def _proforma_out(request: HttpRequest, proforma: Proforma) -> dict[str, Any]:
    packing_list = proforma.packing_list
    return {
        "number": proforma.number,
        "inquiry": proforma.inquiry_id,
        "seller": proforma.organization.slug,
        "issued_on": proforma.issued_on,
        "valid_until": proforma.valid_until,
        "currency": proforma.currency,
        "idr_per_unit": proforma.idr_per_unit,
        "rate_date": proforma.rate_date,
        "incoterm": proforma.incoterm,
        "place": proforma.place,
        "payment_terms": proforma.payment_terms,
        "subtotal_idr": proforma.subtotal_idr,
        "freight_idr": proforma.freight_idr,
        "insurance_idr": proforma.insurance_idr,
        "total_idr": proforma.total_idr,
        "subtotal": proforma.subtotal_foreign,
        "freight": proforma.freight_foreign,
        "insurance": proforma.insurance_foreign,
        "total": proforma.total_foreign,
        "packages": proforma.packages,
        "net_weight_grams": proforma.net_weight_grams,
        "gross_weight_grams": proforma.gross_weight_grams,
        "volume_m3": amounts.cubic_metres(proforma.volume_mm3),
        "verify_code": proforma.document.verify_code,
        "verify_url": verify_url(request, proforma.document),
        "pdf_url": request.build_absolute_uri(reverse("api:proforma_pdf", kwargs={"number": proforma.number})),
        "packing_list": {
            "number": packing_list.number,
            "verify_code": packing_list.document.verify_code,
            "verify_url": verify_url(request, packing_list.document),
            "pdf_url": request.build_absolute_uri(reverse("api:packing_list_pdf", kwargs={"number": proforma.number})),
        },
        "lines": [
            {
                "sku": line.variant.sku,
                "description": line.description,
                "hs_code": line.hs_code,
                "quantity": line.quantity,
                "unit_price_idr": line.unit_price_idr,
                "amount_idr": line.amount_idr,
                "unit_price": line.unit_price_foreign,
                "amount": line.amount_foreign,
                "packages": line.packages,
                "units_per_package": line.units_per_package,
                "net_weight_grams": line.net_weight_grams,
                "gross_weight_grams": line.gross_weight_grams,
                "package_mm": [line.length_mm, line.width_mm, line.height_mm],
                "volume_mm3": line.volume_mm3,
            }
            for line in proforma.lines.all()
        ],
        "order": _order_out(request, order) if (order := selectors.order_of(proforma=proforma)) else None,
    }


def _order_out(request: HttpRequest, order: ExportOrder) -> dict[str, Any]:
    proforma = order.proforma
    shipment = selectors.shipment_of(order=order)
    return {
        "proforma": proforma.number,
        "inquiry": order.inquiry_id,
        "status": order.status,
        "po_number": order.po_number,
        "po_date": order.po_date,
        "currency": proforma.currency,
        "total_idr": order.total_idr,
        "paid_idr": order.paid_idr,
        "due_idr": order.due_idr,
        "max_payment_idr": selectors.order_payment_room(order=order),
        "payments": [
            {
                "id": payment.pk,
                "received_on": payment.received_on,
                "amount_idr": payment.amount_idr,
                "amount": payment.amount_foreign,
                "reference": payment.reference,
            }
            for payment in selectors.order_payments(order=order)
        ],
        "shipment": None
        if shipment is None
        else {
            "shipped_on": shipment.shipped_on,
            "peb_number": shipment.peb_number,
            "transport_number": shipment.transport_number,
            "vessel": shipment.vessel,
            "location": shipment.location.code,
            "sale": shipment.sale.number,
            "extra_idr": shipment.extra_idr,
            "commercial_invoice": {
                "number": shipment.invoice_number,
                "verify_code": shipment.document.verify_code,
                "verify_url": verify_url(request, shipment.document),
                "pdf_url": request.build_absolute_uri(
                    reverse("api:commercial_invoice_pdf", kwargs={"number": proforma.number})
                ),
            },
        },
    }


def _checklist_out(inquiry: ExportInquiry) -> dict[str, Any]:
    items = selectors.ska_checklist(inquiry=inquiry)
    return {
        "inquiry": inquiry.pk,
        "ready": sum(1 for item in items if item.ready),
        "missing": [item.key for item in items if not item.ready],
        "items": [vars(item) for item in items],
    }


# Inquiries --------------------------------------------------------------------------------------------


@router.post(
    "/export-inquiries",
    auth=STAFF_OR_PUBLIC,
    throttle=[AddressThrottle(inquiry_attempt)],
    response={201: ExportInquiryOut, 400: FieldErrorsOut, 422: FieldErrorsOut, 429: ErrorOut},
    summary="Ask a seller for an export quote (public, throttled)",
)
def inquiry_create(request: HttpRequest, payload: ExportInquiryIn) -> Status[Any]:
    """Products by SKU (each with export data, at least its export minimum), the destination country, the
    preferred Incoterm and its named place. Bad input is 400 naming each field, in the caller's language
    (``Accept-Language``); nothing is saved then. ``documents_url`` is the buyer's own page."""
    auth = getattr(request, "auth", None)
    inquiry = services.inquiry_submit(
        actor=auth if isinstance(auth, User) else None,
        buyer=services.Buyer(payload.company, payload.contact.name, payload.contact.email, payload.contact.phone),
        country=payload.country,
        incoterm=payload.incoterm,
        place=payload.place,
        lines=[services.InquiryLineInput(line.sku, line.quantity) for line in payload.lines],
        note=payload.note,
        language="id" if (get_language() or "").startswith("id") else "en",
    )
    return Status(
        201,
        {
            "id": inquiry.pk,
            "number": inquiry.number,
            "seller": inquiry.organization.slug,
            "status": inquiry.status,
            "company": inquiry.company,
            "country": inquiry.country,
            "incoterm": inquiry.incoterm,
            "place": inquiry.place,
            "lines": _lines(inquiry),
            "documents_url": buyer_url(inquiry),
        },
    )


@router.get(
    "/export-inquiries",
    auth=STAFF_AUTH,
    response={200: ExportInquiryListOut, 401: ErrorOut},
    summary="Export inquiries (staff)",
)
def inquiry_list(request: AuthenticatedRequest, status: str = "") -> dict[str, Any]:
    """The latest 100 inquiries to the sellers you handle (``status``: NEW, QUOTED, CLOSED)."""
    inquiries = selectors.inquiries_for(user=request.auth, status=status)[:100]
    items = [_inquiry_staff_out(inquiry) for inquiry in inquiries]
    return {"count": len(items), "items": items}


@router.get(
    "/export-inquiries/{inquiry_id}",
    auth=STAFF_AUTH,
    response={200: ExportInquiryStaffOut, 401: ErrorOut, 404: ErrorOut},
    summary="An export inquiry (staff)",
)
def inquiry_detail(request: AuthenticatedRequest, inquiry_id: IdParam) -> dict[str, Any]:
    return _inquiry_staff_out(selectors.inquiry_get(user=request.auth, pk=inquiry_id))


@router.post(
    "/export-inquiries/{inquiry_id}/close",
    auth=STAFF_AUTH,
    response={200: ExportInquiryStaffOut, 404: ErrorOut} | WRITE_ERRORS,
    summary="Close an export inquiry (staff)",
)
def inquiry_close(request: AuthenticatedRequest, inquiry_id: IdParam) -> dict[str, Any]:
    inquiry = selectors.inquiry_get(user=request.auth, pk=inquiry_id)
    services.inquiry_close(actor=request.auth, inquiry=inquiry)
    return _inquiry_staff_out(selectors.inquiry_get(user=request.auth, pk=inquiry_id))


# Pro-forma invoices and packing lists -----------------------------------------------------------------


@router.post(
    "/export-inquiries/{inquiry_id}/proforma",
    auth=STAFF_AUTH,
    response={201: ProformaOut, 404: ErrorOut} | WRITE_ERRORS,
    summary="Issue a pro-forma invoice and its packing list for an inquiry (staff)",
)
def proforma_create(request: AuthenticatedRequest, inquiry_id: IdParam, payload: ProformaIn) -> Status[Any]:
    """Both documents are issued together, each with its number and verification code (``verify_code`` and
    ``packing_list.verify_code``). A foreign currency uses the seller's rate in force today; amounts are kept
    in rupiah and in the currency (``total``, to cents; whole yen)."""
    user = request.auth
    inquiry = selectors.inquiry_get(user=user, pk=inquiry_id)
    data = services.ProformaInput(
        currency=payload.currency,
        incoterm=payload.incoterm,
        place=payload.place,
        payment_terms=payload.payment_terms,
        valid_days=payload.valid_days,
        freight_idr=payload.freight_idr,
        insurance_idr=payload.insurance_idr,
        lines=None
        if payload.lines is None
        else [services.ProformaLineInput(line.sku, line.quantity, line.unit_price_idr) for line in payload.lines],
        note=payload.note,
    )
    proforma = services.proforma_issue(actor=user, inquiry=inquiry, data=data)
    return Status(201, _proforma_out(request, selectors.proforma_get(user=user, number=proforma.number)))


@router.get(
    "/proformas/{number}",
    auth=STAFF_AUTH,
    response={200: ProformaOut, 401: ErrorOut, 404: ErrorOut},
    summary="A pro-forma invoice (staff)",
)
def proforma_detail(request: AuthenticatedRequest, number: str) -> dict[str, Any]:
    return _proforma_out(request, selectors.proforma_get(user=request.auth, number=number))


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


PDF_RESPONSE = {"responses": {200: {"description": "The PDF", "content": {"application/pdf": {}}}}}


@router.get(
    "/proformas/{number}/pdf",
    auth=STAFF_AUTH,
    response={200: None, 401: ErrorOut, 404: ErrorOut},
    url_name="proforma_pdf",
    summary="The pro-forma invoice as a PDF in English, with its verification code and QR (staff)",
    openapi_extra=PDF_RESPONSE,
)
def proforma_pdf_get(request: AuthenticatedRequest, number: str) -> HttpResponse:
    proforma = selectors.proforma_get(user=request.auth, number=number)
    pdf = renderers.proforma_pdf(proforma=proforma, base_url=request.build_absolute_uri("/")[:-1])
    return _pdf(pdf, f"{proforma.number}.pdf")


@router.get(
    "/proformas/{number}/packing-list.pdf",
    auth=STAFF_AUTH,
    response={200: None, 401: ErrorOut, 404: ErrorOut},
    url_name="packing_list_pdf",
    summary="The packing list issued with the pro-forma invoice, as a PDF in English (staff)",
    openapi_extra=PDF_RESPONSE,
)
def packing_list_pdf_get(request: AuthenticatedRequest, number: str) -> HttpResponse:
    proforma = selectors.proforma_get(user=request.auth, number=number)
    pdf = renderers.packing_list_pdf(proforma=proforma, base_url=request.build_absolute_uri("/")[:-1])
    return _pdf(pdf, f"{proforma.packing_list.number}.pdf")


# The export order: confirmation, payments, shipment ---------------------------------------------------


def _order_of(request: AuthenticatedRequest, number: str) -> ExportOrder:
    """The order of the pro-forma ``number`` (404 when it is another seller's); a pro-forma the buyer has not
    confirmed is a 409 (code ``not_confirmed``)."""
    proforma = selectors.proforma_get(user=request.auth, number=number)
    order = selectors.order_of(proforma=proforma)
    if order is None:
        raise orders.ExportConflict(
            _("The buyer has not confirmed pro-forma invoice %(number)s yet.") % {"number": proforma.number},
            code="not_confirmed",
        )
    return order


def _fresh_order(request: AuthenticatedRequest, number: str) -> dict[str, Any]:
    order = selectors.order_of(proforma=selectors.proforma_get(user=request.auth, number=number))
    assert order is not None
    return _order_out(request, order)


@router.post(
    "/proformas/{number}/confirm",
    auth=STAFF_AUTH,
    response={201: ExportOrderOut, 404: ErrorOut} | WRITE_ERRORS,
    summary="Record that the buyer accepted a pro-forma invoice: the export order (staff)",
)
def order_confirm_post(request: AuthenticatedRequest, number: str, payload: OrderConfirmIn) -> Status[Any]:
    """``po_number`` and ``po_date``: the buyer's order, dated within the pro-forma's validity (else 400). An
    inquiry whose buyer confirmed a pro-forma before is 409 (code ``confirmed``); a closed one 409 (``closed``)."""
    proforma = selectors.proforma_get(user=request.auth, number=number)
    orders.order_confirm(actor=request.auth, proforma=proforma, po_number=payload.po_number, po_date=payload.po_date)
    return Status(201, _fresh_order(request, number))


@router.post(
    "/proformas/{number}/payments",
    auth=STAFF_AUTH,
    response={201: ExportOrderOut, 404: ErrorOut} | WRITE_ERRORS,
    summary="Record a T/T payment of an export order, in rupiah as the bank credited it (staff)",
)
def export_payment_post(request: AuthenticatedRequest, number: str, payload: OrderPaymentIn) -> Status[Any]:
    """Held for the buyer until the shipment. More than ``max_payment_idr`` (the total, plus 2% for a foreign
    currency, less what is received) is 409 (code ``overpayment``); after the shipment 409 (``shipped``)."""
    order = _order_of(request, number)
    orders.order_payment_record(
        actor=request.auth,
        order=order,
        amount_idr=payload.amount_idr,
        received_on=payload.received_on,
        amount_foreign=payload.amount,
        reference=payload.reference,
    )
    return Status(201, _fresh_order(request, number))


@router.post(
    "/proformas/{number}/shipment",
    auth=STAFF_AUTH,
    response={201: ExportOrderOut, 404: ErrorOut} | WRITE_ERRORS,
    summary="Ship the whole export order: the sale is recorded and the commercial invoice issued (staff)",
)
def shipment_post(request: AuthenticatedRequest, number: str, payload: ShipmentIn) -> Status[Any]:
    """Only once the payments cover the total: else 409 (code ``not_paid``, naming what is due). Fewer units in
    the store than the order is 409 too; a second shipment 409 (``shipped``). Nothing is saved on any of them.
    ``shipment.sale`` names the sale; ``shipment.commercial_invoice`` the invoice with its verification code."""
    order = _order_of(request, number)
    location: Location | None = None
    try:
        location = selectors.shipment_location_for(
            user=request.auth, organization=order.organization, code=payload.location
        )
    except Location.DoesNotExist:
        location = None
    orders.shipment_record(
        actor=request.auth,
        order=order,
        data=orders.ShipmentInput(
            shipped_on=payload.shipped_on,
            peb_number=payload.peb_number,
            transport_number=payload.transport_number,
            vessel=payload.vessel,
            location=location,
        ),
    )
    return Status(201, _fresh_order(request, number))


@router.get(
    "/proformas/{number}/commercial-invoice.pdf",
    auth=STAFF_AUTH,
    response={200: None, 401: ErrorOut, 404: ErrorOut},
    url_name="commercial_invoice_pdf",
    summary="The commercial invoice of a shipped export order, as a PDF in English (staff)",
    openapi_extra=PDF_RESPONSE,
)
def commercial_invoice_pdf_get(request: AuthenticatedRequest, number: str) -> HttpResponse:
    """404 until the order has shipped."""
    proforma = selectors.proforma_get(user=request.auth, number=number)
    shipment = selectors.shipment_of(order=selectors.order_of(proforma=proforma))
    if shipment is None:
        raise Http404
    pdf = renderers.commercial_invoice_pdf(shipment=shipment, base_url=request.build_absolute_uri("/")[:-1])
    return _pdf(pdf, f"{shipment.invoice_number}.pdf")


# The SKA / e-SKA checklist ----------------------------------------------------------------------------


@router.get(
    "/export-inquiries/{inquiry_id}/checklist",
    auth=STAFF_AUTH,
    response={200: ChecklistOut, 401: ErrorOut, 404: ErrorOut},
    summary="What the certificate of origin (SKA / e-SKA) needs for an inquiry: ready and missing (staff)",
)
def checklist_get(request: AuthenticatedRequest, inquiry_id: IdParam) -> dict[str, Any]:
    return _checklist_out(selectors.inquiry_get(user=request.auth, pk=inquiry_id))


@router.put(
    "/export-inquiries/{inquiry_id}/checklist/{item}",
    auth=STAFF_AUTH,
    response={200: ChecklistOut, 404: ErrorOut} | WRITE_ERRORS,
    summary="Mark a manual item of the SKA checklist done with its reference, or not done (staff)",
)
def checklist_put(request: AuthenticatedRequest, inquiry_id: IdParam, item: str, payload: ChecklistMarkIn) -> Any:
    """Manual items: ESKA_ACCOUNT, PEB, TRANSPORT, ORIGIN, and SVLK for goods of wood."""
    inquiry = selectors.inquiry_get(user=request.auth, pk=inquiry_id)
    services.checklist_mark(
        actor=request.auth, inquiry=inquiry, item=item, reference=payload.reference, done=payload.done
    )
    return _checklist_out(inquiry)


# Exporter settings ------------------------------------------------------------------------------------


def _exporter_organization(user: User, slug: str) -> Organization:
    if slug:
        try:
            return selectors.export_organization_for(user=user, slug=slug)
        except Organization.DoesNotExist:
            raise ValidationError({"organization": [_("Unknown organization “%(slug)s”.") % {"slug": slug}]}) from None
    own = list(selectors.export_organizations_for(user=user)[:2])
    if not own:
        raise PermissionDenied(_("You do not handle the export inquiries of any seller."))
    if len(own) > 1:
        raise ValidationError({"organization": [_("Name the organization: you act for several.")]})
    return own[0]


def _settings_out(settings: ExporterSettings) -> dict[str, Any]:
    return {"organization": settings.organization.slug} | {
        name: getattr(settings, name)
        for name in ("nib", "npwp", "bank_name", "bank_account_name", "bank_account_number", "swift_code")
    }


@router.get(
    "/exporter-settings",
    auth=STAFF_AUTH,
    response={200: ExporterSettingsOut, 400: FieldErrorsOut, 401: ErrorOut, 403: ErrorOut, 422: FieldErrorsOut},
    summary="The seller's NIB, NPWP and bank for T/T payments (staff)",
)
def exporter_settings_get(request: AuthenticatedRequest, filters: Query[OrganizationQuery]) -> dict[str, Any]:
    organization = _exporter_organization(request.auth, filters.organization)
    return _settings_out(selectors.exporter_settings_for(organization=organization))


@router.put(
    "/exporter-settings",
    auth=STAFF_AUTH,
    response={200: ExporterSettingsOut} | WRITE_ERRORS,
    summary="Save the seller's NIB, NPWP and bank for T/T payments (staff)",
)
def exporter_settings_put(request: AuthenticatedRequest, payload: ExporterSettingsIn) -> dict[str, Any]:
    organization = _exporter_organization(request.auth, payload.organization)
    data = payload.dict()
    data.pop("organization")
    settings = services.exporter_settings_update(
        actor=request.auth, organization=organization, data=services.ExporterInput(**data)
    )
    return _settings_out(settings)
