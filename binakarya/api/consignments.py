"""Consignment (titip jual) endpoints: agreements with outlets, goods placed there, the outlet's sales.

The seller's staff make agreements and place goods; the outlet's partner (a user with the outlet-partner
role in the outlet) and the seller's staff confirm receipts and record sales. An agreement anyone else
asks about is 404, on every endpoint. A sale goes through consignment.services.outlet_sale_record, which
ends in sales.services.sale_record (channel OUTLET): selling more than the outlet holds is 409 naming the
SKU. No answer names a maker.
"""

from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import RequestDataTooBig, ValidationError
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from binakarya.api.auth import STAFF_AUTH, AuthenticatedRequest
from binakarya.api.common import location_or_error, unknown_sku, verify_url
from binakarya.api.schemas.common import WRITE_ERRORS, ErrorOut, FieldErrorsOut, IdParam
from binakarya.api.schemas.consignments import (
    AgreementIn,
    AgreementListOut,
    AgreementListQuery,
    AgreementOut,
    IssuedStatementListOut,
    IssuedStatementOut,
    OutletSaleIn,
    OutletSaleOut,
    OutletStockOut,
    PaymentIn,
    PaymentOut,
    PlacementIn,
    PlacementOut,
    ReceiptIn,
    StatementIssueIn,
    StatementOut,
    StatementQuery,
)
from binakarya.catalog.models import Variant
from binakarya.consignment.importing import (
    MAX_BYTES,
    ImportRefused,
    import_template_csv,
    outlet_sales_import,
    refused_summary,
)
from binakarya.consignment.models import Agreement, ConsignmentSale, ConsignmentStatement, Placement
from binakarya.consignment.periods import current_period, previous_period
from binakarya.consignment.selectors import (
    SELLER_ROLES,
    Statement,
    agreement_for,
    agreements_for,
    consignment_sale_for,
    consignment_statement,
    issued_statement,
    outlet_stock_for,
    placement_for,
    statement_for,
    statements_for,
)
from binakarya.consignment.services import (
    OutletSaleLine,
    PlacementLineInput,
    agreement_create,
    consignment_payment_record,
    consignment_statement_issue,
    outlet_sale_record,
    placement_receive,
    placement_send,
    require_agreement_party,
)
from binakarya.documents.renderers import consignment_statement_pdf
from binakarya.inventory.selectors import variants_by_sku
from binakarya.ledger.selectors import outlet_owed
from binakarya.organizations.models import Organization
from binakarya.organizations.selectors import organization_for, organization_get, organizations_for
from binakarya.sales.services import require_seller

router = Router(tags=["consignment"], auth=STAFF_AUTH)

SELLER_KINDS = (Organization.Kind.FACILITY, Organization.Kind.PRODUCER)
READ_ERRORS = {401: ErrorOut, 404: ErrorOut, 422: FieldErrorsOut}


def agreement_out(agreement: Agreement) -> dict[str, Any]:
    return {
        "id": agreement.pk,
        "organization": agreement.organization.slug,
        "organization_name": agreement.organization.name,
        "outlet": agreement.outlet.slug,
        "outlet_name": agreement.outlet.name,
        "location": agreement.location.code,
        "commission_mode": agreement.commission_mode,
        "commission_percent": agreement.commission_bp / 100 if agreement.commission_bp is not None else None,
        "price_mode": agreement.price_mode,
        "terms": [
            {
                "sku": term.variant.sku,
                "product": term.variant.product.name,
                "agreed_price_idr": term.agreed_price_idr,
                "commission_idr": term.commission_idr,
            }
            for term in agreement.terms.all()
        ],
        "settlement_period": agreement.settlement_period,
        "payment_days": agreement.payment_days,
        "review_months": agreement.review_months,
        "start_date": agreement.start_date,
        "end_date": agreement.end_date,
        "shortage_borne_by": agreement.shortage_borne_by,
        "damage_borne_by": agreement.damage_borne_by,
        "status": agreement.status,
        "signed_document": bool(agreement.signed_document),
    }


def placement_out(request: HttpRequest, placement: Placement) -> dict[str, Any]:
    transfer = placement.transfer
    document = transfer.document
    return {
        "id": placement.pk,
        "agreement": placement.agreement_id,
        "number": transfer.number,
        "status": transfer.status,
        "verify_code": document.verify_code if document else None,
        "verify_url": verify_url(request, document),
        "lines": [
            {
                "sku": line.variant.sku,
                "product": line.variant.product.name,
                "quantity": line.quantity,
                "unit_price_idr": line.unit_price_idr,
            }
            for line in placement.lines.all()
        ],
        "transfer_lines": [
            {
                "id": line.pk,
                "sku": line.variant.sku,
                "lot": line.lot.code,
                "quantity_sent": line.quantity_sent,
                "quantity_received": line.quantity_received,
            }
            for line in transfer.lines.all()
        ],
    }


def sale_out(recorded: ConsignmentSale) -> dict[str, Any]:
    sale = recorded.sale
    return {
        "id": recorded.pk,
        "agreement": recorded.agreement_id,
        "number": sale.number,
        "sold_date": recorded.sold_date,
        "gross_idr": sale.gross_idr,
        "commission_idr": sale.commission_idr,
        "net_idr": sale.gross_idr - sale.commission_idr,
    }


def _seller(user: User, slug: str) -> Organization:
    """The seller named in the body, or the caller's only one; 400 otherwise."""
    if slug.strip():
        try:
            return organization_for(
                user=user, slug=slug.strip(), roles=SELLER_ROLES, oversight=False, kinds=SELLER_KINDS
            )
        except Organization.DoesNotExist:
            raise ValidationError({"organization": [_("Choose one of your organizations.")]}) from None
    first_two = list(organizations_for(user=user, roles=SELLER_ROLES, oversight=False, kinds=SELLER_KINDS)[:2])
    if len(first_two) != 1:
        raise ValidationError({"organization": [_("Say which organization: give its slug in “organization”.")]})
    return first_two[0]


def _variants(
    *, user: User, organization: Organization, skus: list[str], field: str, errors: dict[str, list[str]]
) -> dict[str, Variant]:
    """The seller's variants of ``skus`` by SKU; an unknown one (or another organization's) is a 400 message."""
    found = {sku: v for sku, v in variants_by_sku(user=user, skus=skus).items() if v.organization_id == organization.pk}
    for sku in skus:
        if sku.strip().upper() not in found:
            errors.setdefault(field, []).append(unknown_sku(sku))
    return found


@router.post(
    "/consignments",
    response={201: AgreementOut} | WRITE_ERRORS,
    summary="Make a consignment agreement with an outlet (staff of the seller)",
)
def agreement_create_api(request: AuthenticatedRequest, payload: AgreementIn) -> Status[dict[str, Any]]:
    user = request.auth
    organization = _seller(user, payload.organization)
    require_seller(user, organization)
    errors: dict[str, list[str]] = {}
    try:
        outlet = organization_get(slug=payload.outlet.strip(), kinds=[Organization.Kind.OUTLET])
    except Organization.DoesNotExist:
        errors["outlet"] = [_("Unknown outlet “%(slug)s”.") % {"slug": payload.outlet}]
    per_product = payload.commission_per_product or []
    variants = _variants(
        user=user,
        organization=organization,
        skus=[line.sku for line in per_product],
        field="commission_per_product",
        errors=errors,
    )
    variants |= _variants(
        user=user,
        organization=organization,
        skus=[line.sku for line in payload.agreed_prices],
        field="agreed_prices",
        errors=errors,
    )
    if errors:
        raise ValidationError(errors)
    agreement = agreement_create(
        actor=user,
        organization=organization,
        outlet=outlet,
        commission_percent_bp=int(payload.commission_percent * 100) if payload.commission_percent is not None else None,
        commission_per_product={variants[line.sku.strip().upper()]: line.commission_idr for line in per_product},
        agreed_prices={variants[line.sku.strip().upper()]: line.unit_price_idr for line in payload.agreed_prices},
        settlement_period=payload.settlement_period,
        payment_days=payload.payment_days,
        review_months=payload.review_months,
        start_date=payload.start_date,
        end_date=payload.end_date,
        shortage_borne_by=payload.shortage_borne_by,
        damage_borne_by=payload.damage_borne_by,
    )
    return Status(201, agreement_out(agreement_for(user=user, pk=agreement.pk)))


@router.get(
    "/consignments",
    response={200: AgreementListOut} | READ_ERRORS,
    summary="Consignment agreements the caller is a party to (as the seller's staff or the outlet's partner)",
)
def agreement_list(request: AuthenticatedRequest, filters: Query[AgreementListQuery]) -> dict[str, Any]:
    agreements = list(
        agreements_for(user=request.auth, status=filters.status.strip().upper(), outlet_slug=filters.outlet.strip())
    )
    return {"count": len(agreements), "items": [agreement_out(a) for a in agreements]}


@router.get(
    "/consignments/{agreement_id}",
    response={200: AgreementOut} | READ_ERRORS,
    summary="One consignment agreement with its terms",
)
def agreement_detail(request: AuthenticatedRequest, agreement_id: IdParam) -> dict[str, Any]:
    return agreement_out(agreement_for(user=request.auth, pk=agreement_id))


@router.get(
    "/consignments/{agreement_id}/stock",
    response={200: OutletStockOut} | READ_ERRORS,
    summary="The units on the outlet's shelf per SKU and lot, with their price and days on the shelf",
)
def outlet_stock(request: AuthenticatedRequest, agreement_id: IdParam) -> dict[str, Any]:
    agreement = agreement_for(user=request.auth, pk=agreement_id)
    rows = outlet_stock_for(user=request.auth, agreement=agreement)
    return {
        "agreement": agreement.pk,
        "outlet": agreement.outlet.slug,
        "units": sum(row.quantity for row in rows),
        "items": [row.__dict__ for row in rows],
    }


@router.post(
    "/consignments/{agreement_id}/placements",
    response={201: PlacementOut, 404: ErrorOut} | WRITE_ERRORS,
    summary="Place goods at the outlet: a transfer with its tanda terima titipan (surat jalan, verify code)",
)
def placement_create(
    request: AuthenticatedRequest, agreement_id: IdParam, payload: PlacementIn
) -> Status[dict[str, Any]]:
    user = request.auth
    agreement = agreement_for(user=user, pk=agreement_id)
    require_seller(user, agreement.organization)
    errors: dict[str, list[str]] = {}
    from_location = location_or_error(user=user, code=payload.from_location, errors=errors, field="from_location")
    variants = _variants(
        user=user,
        organization=agreement.organization,
        skus=[line.sku for line in payload.lines],
        field="lines",
        errors=errors,
    )
    if not payload.lines:
        errors["lines"] = [_("Add at least one product to transfer.")]
    if errors or from_location is None:
        raise ValidationError(errors)
    placement = placement_send(
        actor=user,
        agreement=agreement,
        from_location=from_location,
        lines=[
            PlacementLineInput(variants[line.sku.strip().upper()], line.quantity, line.unit_price_idr)
            for line in payload.lines
        ],
        note=payload.note,
    )
    return Status(201, placement_out(request, placement_for(user=user, agreement=agreement, pk=placement.pk)))


@router.get(
    "/consignments/{agreement_id}/placements/{placement_id}",
    response={200: PlacementOut} | READ_ERRORS,
    summary="One placement: its lines, prices, transfer lines and the tanda terima's verify code",
)
def placement_detail(request: AuthenticatedRequest, agreement_id: IdParam, placement_id: IdParam) -> dict[str, Any]:
    agreement = agreement_for(user=request.auth, pk=agreement_id)
    return placement_out(request, placement_for(user=request.auth, agreement=agreement, pk=placement_id))


@router.post(
    "/consignments/{agreement_id}/placements/{placement_id}/receive",
    response={200: PlacementOut, 404: ErrorOut} | WRITE_ERRORS,
    summary="The outlet confirms what arrived (all of it, or per transfer line); a difference is recorded",
)
def placement_receive_api(
    request: AuthenticatedRequest, agreement_id: IdParam, placement_id: IdParam, payload: ReceiptIn
) -> dict[str, Any]:
    user = request.auth
    agreement = agreement_for(user=user, pk=agreement_id)
    placement = placement_for(user=user, agreement=agreement, pk=placement_id)
    received = None
    if payload.lines is not None:
        received = {line.line: line.quantity_received for line in payload.lines}
    placement_receive(actor=user, placement=placement, received=received, note=payload.note)
    return placement_out(request, placement_for(user=user, agreement=agreement, pk=placement_id))


@router.post(
    "/consignments/{agreement_id}/sales",
    response={201: OutletSaleOut, 404: ErrorOut} | WRITE_ERRORS,
    summary="Record what the outlet sold on a day (its partner or the seller's staff): gross, commission, net",
)
def outlet_sale_create(
    request: AuthenticatedRequest, agreement_id: IdParam, payload: OutletSaleIn
) -> Status[dict[str, Any]]:
    """Any 400, 403 or 409 leaves nothing saved; 409 when the outlet holds fewer units (the SKU is named)."""
    user = request.auth
    agreement = agreement_for(user=user, pk=agreement_id)
    require_agreement_party(user, agreement)
    recorded = outlet_sale_record(
        actor=user,
        agreement=agreement,
        sold_date=payload.sold_date,
        lines=[OutletSaleLine(line.sku, line.quantity, line.unit_price_idr) for line in payload.lines],
    )
    return Status(201, sale_out(consignment_sale_for(user=user, pk=recorded.pk)))


# Settlement -------------------------------------------------------------------------------------------


def statement_out(statement: Statement) -> dict[str, Any]:
    return {
        "agreement": statement.agreement.pk,
        "outlet": statement.agreement.outlet.slug,
        "date_from": statement.date_from,
        "date_to": statement.date_to,
        "due_date": statement.due_date,
        "lines": [line.__dict__ for line in statement.lines],
        "payments": [payment.__dict__ for payment in statement.payments],
        "gross_idr": statement.gross_idr,
        "commission_idr": statement.commission_idr,
        "net_idr": statement.net_idr,
        "previous_balance_idr": statement.previous_balance_idr,
        "paid_idr": statement.paid_idr,
        "balance_idr": statement.balance_idr,
    }


def issued_out(request: HttpRequest, issued: ConsignmentStatement) -> dict[str, Any]:
    document = issued.document
    pdf = reverse(
        "api:consignment_statement_pdf", kwargs={"agreement_id": issued.agreement_id, "statement_id": issued.pk}
    )
    return {
        "id": issued.pk,
        "agreement": issued.agreement_id,
        "number": document.number,
        "verify_code": document.verify_code,
        "verify_url": verify_url(request, document),
        "pdf_url": request.build_absolute_uri(pdf),
        "date_from": issued.date_from,
        "date_to": issued.date_to,
        "due_date": issued.due_date,
        "gross_idr": issued.gross_idr,
        "commission_idr": issued.commission_idr,
        "net_idr": issued.net_idr,
        "previous_balance_idr": issued.previous_balance_idr,
        "paid_idr": issued.paid_idr,
        "balance_idr": issued.balance_idr,
    }


def _period_error() -> ValidationError:
    return ValidationError({"to": [_("The end of the period cannot be before its start.")]})


@router.get(
    "/consignments/{agreement_id}/statement",
    response={200: StatementOut} | READ_ERRORS | {400: FieldErrorsOut},
    summary="The statement of a period (both sides): lines per product and lot, totals, payments, balance due",
)
def statement_read(
    request: AuthenticatedRequest, agreement_id: IdParam, period: Query[StatementQuery]
) -> dict[str, Any]:
    """Without ``from`` and ``to``, the current settlement period (week or month) of the agreement."""
    agreement = agreement_for(user=request.auth, pk=agreement_id)
    start, end = current_period(agreement, timezone.localdate())
    date_from, date_to = period.date_from or start, period.date_to or end
    if date_to < date_from:
        raise _period_error()
    return statement_out(
        consignment_statement(user=request.auth, agreement=agreement, date_from=date_from, date_to=date_to)
    )


@router.post(
    "/consignments/{agreement_id}/statement/issue",
    response={201: IssuedStatementOut, 404: ErrorOut} | WRITE_ERRORS,
    summary="Issue the statement of a period as a document with a verification code and a PDF (seller's staff)",
)
def statement_issue(
    request: AuthenticatedRequest, agreement_id: IdParam, payload: StatementIssueIn
) -> Status[dict[str, Any]]:
    """Without ``from`` and ``to``, the last whole settlement period before today."""
    user = request.auth
    agreement = agreement_for(user=user, pk=agreement_id)
    require_seller(user, agreement.organization)
    start, end = previous_period(agreement, timezone.localdate())
    issued = consignment_statement_issue(
        actor=user, agreement=agreement, date_from=payload.date_from or start, date_to=payload.date_to or end
    )
    return Status(201, issued_out(request, statement_for(user=user, agreement=agreement, pk=issued.pk)))


@router.get(
    "/consignments/{agreement_id}/statements",
    response={200: IssuedStatementListOut} | READ_ERRORS,
    summary="The statements issued for an agreement, latest period first (both sides)",
)
def statement_list(request: AuthenticatedRequest, agreement_id: IdParam) -> dict[str, Any]:
    agreement = agreement_for(user=request.auth, pk=agreement_id)
    items = [issued_out(request, issued) for issued in statements_for(user=request.auth, agreement=agreement)]
    return {"count": len(items), "items": items}


@router.get(
    "/consignments/{agreement_id}/statements/{statement_id}/pdf",
    response={200: None, 401: ErrorOut, 404: ErrorOut},
    url_name="consignment_statement_pdf",
    summary="The PDF of an issued statement, with its verification code and QR (both sides)",
    openapi_extra={"responses": {200: {"description": "The PDF", "content": {"application/pdf": {}}}}},
)
def statement_pdf(request: AuthenticatedRequest, agreement_id: IdParam, statement_id: IdParam) -> HttpResponse:
    """Printed in Indonesian from the totals as issued and the period's sales."""
    user = request.auth
    agreement = agreement_for(user=user, pk=agreement_id)
    issued = statement_for(user=user, agreement=agreement, pk=statement_id)
    statement = issued_statement(user=user, agreement=agreement, issued=issued)
    pdf = consignment_statement_pdf(
        document=issued.document, statement=statement, issued=issued, base_url=request.build_absolute_uri("/")[:-1]
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{issued.document.number}.pdf"'
    return response


@router.post(
    "/consignments/{agreement_id}/payments",
    response={201: PaymentOut, 404: ErrorOut} | WRITE_ERRORS,
    summary="Record the outlet's payment (seller's staff): clears the receivable; more than is owed is 400",
)
def payment_create(request: AuthenticatedRequest, agreement_id: IdParam, payload: PaymentIn) -> Status[dict[str, Any]]:
    user = request.auth
    agreement = agreement_for(user=user, pk=agreement_id)
    require_seller(user, agreement.organization)
    payment = consignment_payment_record(
        actor=user,
        agreement=agreement,
        amount_idr=payload.amount_idr,
        paid_date=payload.paid_date,
        reference=payload.reference,
    )
    return Status(
        201,
        {
            "id": payment.pk,
            "agreement": agreement.pk,
            "amount_idr": payment.amount_idr,
            "paid_date": payment.paid_date,
            "reference": payment.reference,
            "balance_idr": outlet_owed(organization=agreement.organization, outlet=agreement.outlet),
        },
    )


# Consignment: imports ----------------------------------------------------------------------------------
# The outlet's till CSV imported for one agreement (consignment.importing): all or nothing, per-row errors.


class ImportOut(Schema):
    agreement: int
    sales: int = Field(description="Sales made: one per day sold")
    lines: int = Field(description="Rows imported")
    units: int
    gross_idr: int
    commission_idr: int
    net_idr: int = Field(description="What the outlet owes for them: gross − commission")
    first_number: str
    last_number: str


class ImportErrorOut(Schema):
    row: int = Field(description="As a spreadsheet numbers it: the header is row 1; 0 is the file as a whole")
    column: str = Field(description="The column as the file names it; empty for the whole row or file")
    message: str


class ImportErrorsOut(Schema):
    detail: str
    total: int = Field(description="Every problem found; at most 500 are listed")
    errors: list[ImportErrorOut]


IMPORT_BODY = {
    "requestBody": {
        "content": {
            "multipart/form-data": {
                "schema": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}},
            },
            "text/csv": {"schema": {"type": "string"}},
        },
    }
}


def _import_data(request: HttpRequest) -> tuple[bytes, str] | str:
    """The CSV's bytes and name (a multipart field ``file``, or the raw ``text/csv`` body), or why there is none."""
    upload = request.FILES.get("file")
    if upload is not None:
        return upload.read(MAX_BYTES + 1), upload.name or ""
    if request.content_type in ("text/csv", "text/plain", "application/csv"):
        try:
            return request.body, "body.csv"
        except RequestDataTooBig:
            return _("The file is too large; at most %(max)s MB can be imported at once.") % {
                "max": MAX_BYTES // 1024 // 1024
            }
    return _("Send the CSV as the multipart field “file” or as a text/csv body.")


def _refused_out(refused: ImportRefused) -> dict[str, Any]:
    return {
        "detail": refused_summary(refused),
        "total": refused.total,
        "errors": [{"row": e.row, "column": e.column, "message": e.message} for e in refused.errors],
    }


@router.post(
    "/consignments/{agreement_id}/sales/import",
    response={201: ImportOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ImportErrorsOut},
    summary="Import the outlet's sales from its till's CSV (both sides): all rows or none; 422 lists each row's errors",
    openapi_extra=IMPORT_BODY,
)
def outlet_sales_import_api(request: AuthenticatedRequest, agreement_id: IdParam) -> Status[dict[str, Any]]:
    """Columns: tanggal/date, sku, jumlah/quantity, optional harga/unit_price_idr and kode_lot/lot_code (see
    docs/consignment.md). One sale per day sold; messages in the Accept-Language language."""
    user = request.auth
    agreement = agreement_for(user=user, pk=agreement_id)
    require_agreement_party(user, agreement)
    found = _import_data(request)
    if isinstance(found, str):
        return Status(422, {"detail": found, "total": 1, "errors": [{"row": 0, "column": "", "message": found}]})
    data, name = found
    try:
        result = outlet_sales_import(actor=user, agreement=agreement, data=data, file_name=name)
    except ImportRefused as refused:
        return Status(422, _refused_out(refused))
    return Status(
        201,
        {
            "agreement": agreement.pk,
            "sales": result.sales,
            "lines": result.lines,
            "units": result.units,
            "gross_idr": result.gross_idr,
            "commission_idr": result.commission_idr,
            "net_idr": result.net_idr,
            "first_number": result.first_number,
            "last_number": result.last_number,
        },
    )


@router.get(
    "/consignments/{agreement_id}/sales/template.csv",
    response={200: None, 401: ErrorOut, 404: ErrorOut},
    summary="A CSV template for the sales import: the header and an example row with one of the agreement's SKUs",
    openapi_extra={"responses": {200: {"description": "The CSV", "content": {"text/csv": {}}}}},
)
def outlet_sales_import_template(request: AuthenticatedRequest, agreement_id: IdParam) -> HttpResponse:
    agreement = agreement_for(user=request.auth, pk=agreement_id)
    response = HttpResponse(import_template_csv(agreement), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="impor-penjualan-{agreement.pk}.csv"'
    return response
