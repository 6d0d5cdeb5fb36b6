"""Uniform size lists (issue 13, the Bondowoso batik uniform case): the XLSX template of a garment (public for
a published product), a request for quotation sent with the agency's list (public, throttled like POST /rfqs;
400 lists every problem and nothing is saved), uploading a filled-in list (the seller's sales staff; 422 lists
each row's problems and nothing is saved), a list with its totals per variant, and its packing list as PDF or
XLSX. A quotation covers a list through ``POST /api/v1/quotations`` with ``"size_list"``. See docs/deals.md,
"Uniform size lists".

A list of another seller is 404. The lists name the buyer's own staff, never a maker.
"""

import datetime
from typing import Any, Literal

from django.contrib.auth.models import User
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Field, File, Form, FormEx, P, Router, Schema, Status
from ninja.errors import ValidationError as RequestInvalid
from ninja.files import UploadedFile
from pydantic import ValidationError as PydanticValidationError

from binakarya.api.auth import STAFF_AUTH, STAFF_OR_PUBLIC, AddressThrottle, AuthenticatedRequest
from binakarya.api.common import verify_url
from binakarya.api.deals import _rfq_out
from binakarya.api.schemas.common import ErrorOut, FieldErrorsOut, IdParam
from binakarya.api.schemas.deals import RfqIn, RfqOut
from binakarya.catalog.models import Product
from binakarya.deals import selectors, size_selectors
from binakarya.deals.models import Rfq, SizeList
from binakarya.deals.services import Contact, RfqLineInput
from binakarya.deals.size_sheets import MAX_BYTES, SizeListRefused
from binakarya.deals.sizes import (
    SizedRfqRefused,
    packing_list_pdf,
    packing_list_xlsx,
    rfq_submit_with_size_list,
    size_list_upload,
    size_template,
)
from binakarya.deals.throttle import rfq_attempt
from binakarya.organizations.models import Organization

router = Router(tags=["deals"])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Grouping = Literal["person", "unit"]


class SizeListRowErrorOut(Schema):
    row: int = Field(description="The spreadsheet's row number; 0 is the file as a whole")
    column: str = Field(description="The column as the file names it; empty for the file")
    message: str


class SizeListErrorsOut(Schema):
    detail: str
    total: int = Field(description="Every problem found; at most 200 are listed")
    errors: list[SizeListRowErrorOut]


class SizeTotalOut(Schema):
    sku: str
    size: str
    persons: int
    quantity: int


class SizeRowOut(Schema):
    row: int
    name: str
    nip: str
    unit: str
    size: str
    sku: str
    quantity: int
    note: str


class SizeListOut(Schema):
    id: int
    seller: str
    rfq: int | None
    rfq_number: str | None
    product: str
    buyer: str
    status: str
    file_name: str
    persons: int
    quantity: int
    already_uploaded: bool = Field(False, description="The same file was uploaded before; nothing changed")
    uploaded_at: datetime.datetime
    quotations: list[str]
    totals: list[SizeTotalOut]
    packing_list_verify_code: str | None
    packing_list_verify_url: str | None
    packing_list_pdf_url: str
    packing_list_xlsx_url: str


class SizeListDetailOut(SizeListOut):
    rows: list[SizeRowOut]


class SizeListListOut(Schema):
    count: int
    items: list[SizeListOut]


class RfqSizeListOut(Schema):
    product: str
    file_name: str
    persons: int
    quantity: int = Field(description="Pieces: the sum of the rows' quantities")
    totals: list[SizeTotalOut]


class RfqWithSizeListOut(RfqOut):
    size_list: RfqSizeListOut


class RfqWithSizeListErrorsOut(Schema):
    detail: str
    errors: dict[str, list[str]] = Field(
        description="The request's problems by field; a refused list adds its summary under size_list"
    )
    size_list: SizeListErrorsOut | None = Field(
        description="The list's problems, row by row, as the staff upload's 422 gives them; null when the list was fine"
    )


def _out(request: HttpRequest, size_list: SizeList, *, rows: bool = False, again: bool = False) -> dict[str, Any]:
    totals = size_selectors.size_list_totals(size_list=size_list)
    document = size_list.packing_document
    out: dict[str, Any] = {
        "id": size_list.pk,
        "seller": size_list.organization.slug,
        "rfq": size_list.rfq_id,
        "rfq_number": size_list.rfq.number if size_list.rfq else None,
        "product": size_list.product.name,
        "buyer": size_list.buyer,
        "status": size_list.status,
        "file_name": size_list.file_name,
        "persons": size_list.persons,
        "quantity": size_list.units,
        "already_uploaded": again,
        "uploaded_at": size_list.created_at,
        "quotations": [q.number for q in size_list.quotations.all()],
        "totals": [
            {"sku": t.variant.sku, "size": t.label, "persons": t.persons, "quantity": t.quantity} for t in totals
        ],
        "packing_list_verify_code": document.verify_code if document else None,
        "packing_list_verify_url": verify_url(request, document),
        "packing_list_pdf_url": request.build_absolute_uri(
            reverse("api:size_list_packing_pdf", kwargs={"size_list_id": size_list.pk})
        ),
        "packing_list_xlsx_url": request.build_absolute_uri(
            reverse("api:size_list_packing_xlsx", kwargs={"size_list_id": size_list.pk})
        ),
    }
    if rows:
        labels = {t.variant.pk: t.label for t in totals}
        out["rows"] = [
            {
                "row": r.row_number,
                "name": r.name,
                "nip": r.nip,
                "unit": r.unit,
                "size": labels.get(r.variant_id, size_selectors.size_label(r.variant)),
                "sku": r.variant.sku,
                "quantity": r.quantity,
                "note": r.note,
            }
            for r in size_selectors.size_list_rows(size_list=size_list)
        ]
    return out


def _refused(refused: SizeListRefused) -> dict[str, Any]:
    return {
        "detail": refused.summary,
        "total": refused.total,
        "errors": [{"row": e.row, "column": e.column, "message": e.message} for e in refused.errors],
    }


@router.post(
    "/rfqs/with-size-list",
    auth=STAFF_OR_PUBLIC,
    throttle=[AddressThrottle(rfq_attempt)],
    response={201: RfqWithSizeListOut, 400: RfqWithSizeListErrorsOut, 422: FieldErrorsOut, 429: ErrorOut},
    summary="Ask for a quotation with the agency's size list (XLSX): both saved or neither (public, throttled)",
)
def rfq_create_with_size_list(
    request: HttpRequest,
    size_list: File[UploadedFile],
    rfq_json: FormEx[str, P(alias="request", description="The request as POST /rfqs takes it, as JSON text")],
) -> Status[Any]:
    """multipart/form-data: ``request`` (the JSON that POST /rfqs takes) and ``size_list`` (the filled-in template
    of GET /size-lists/template.xlsx). The list is for the one garment in several sizes that the lines name by SKU;
    its lines become one line per size with the list's pieces. Counts against the same allowance as POST /rfqs.
    400 gives every problem of the request (``errors``) and of the list, row by row (``size_list``); nothing is
    saved then. A ``request`` that is not the JSON of POST /rfqs is 422."""
    try:
        payload = RfqIn.model_validate_json(rfq_json)
    except PydanticValidationError as exc:
        # Named as the form field holds them ("request.contact.name"), like a JSON body's fields.
        errors: list[dict[str, Any]] = [{**error, "loc": ("request", *error["loc"])} for error in exc.errors()]
        raise RequestInvalid(errors) from None
    seller: Organization | None = None
    if payload.seller:
        try:
            seller = selectors.rfq_seller(slug=payload.seller)
        except Organization.DoesNotExist:
            raise ValidationError({"seller": [_("Unknown seller “%(slug)s”.") % {"slug": payload.seller}]}) from None
    auth = getattr(request, "auth", None)
    try:
        sized = rfq_submit_with_size_list(
            actor=auth if isinstance(auth, User) else None,
            agency=payload.agency,
            contact=Contact(payload.contact.name, payload.contact.phone, payload.contact.email),
            lines=[RfqLineInput(line.sku, line.description, line.quantity) for line in payload.lines],
            delivery_place=payload.delivery_place,
            needed_by=payload.needed_by,
            seller=seller,
            note=payload.note,
            language=get_language() or "",
            data=size_list.read(MAX_BYTES + 1),
            file_name=size_list.name or "",
        )
    except SizedRfqRefused as refused:
        fields: dict[str, list[str]] = {}
        if refused.fields is not None:
            fields = (
                refused.fields.message_dict
                if hasattr(refused.fields, "error_dict")
                else {NON_FIELD_ERRORS: refused.fields.messages}
            )
        if refused.size_list is not None:
            fields = fields | {"size_list": [refused.size_list.summary]}
        body = {
            "detail": _("The data is not valid."),
            "errors": fields,
            "size_list": _refused(refused.size_list) if refused.size_list is not None else None,
        }
        return Status(400, body)
    totals = size_selectors.size_list_totals(size_list=sized.size_list)
    return Status(
        201,
        _rfq_out(sized.rfq)
        | {
            "size_list": {
                "product": sized.size_list.product.name,
                "file_name": sized.size_list.file_name,
                "persons": sized.size_list.persons,
                "quantity": sized.size_list.units,
                "totals": [
                    {"sku": t.variant.sku, "size": t.label, "persons": t.persons, "quantity": t.quantity}
                    for t in totals
                ],
            }
        },
    )


@router.get(
    "/size-lists/template.xlsx",
    auth=STAFF_OR_PUBLIC,
    response={200: None, 404: ErrorOut},
    summary="The XLSX size list template of a garment (public for a published product), in the caller's language",
    openapi_extra={"responses": {200: {"description": "The XLSX", "content": {XLSX: {}}}}},
)
def size_list_template(request: HttpRequest, sku: str) -> HttpResponse:
    """``sku``: any SKU of the product. Columns: No., name, NIP / ID (optional), unit (bagian), size (a dropdown
    of the product's sizes), quantity (empty is 1), note; the second sheet lists the sizes with their SKUs."""
    auth = getattr(request, "auth", None)
    product = size_selectors.template_product(user=auth if isinstance(auth, User) else None, sku=sku[:40])
    response = HttpResponse(size_template(product=product), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="daftar-ukuran-{product.slug}.xlsx"'
    return response


@router.post(
    "/size-lists",
    auth=STAFF_AUTH,
    response={200: SizeListOut, 201: SizeListOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: SizeListErrorsOut},
    summary="Upload a filled-in size list (XLSX): all rows or none; 422 lists each row's problems",
)
def size_list_create(
    request: AuthenticatedRequest,
    file: File[UploadedFile],
    sku: Form[str],
    rfq: Form[IdParam | None] = None,
    buyer: Form[str] = "",
) -> Status[dict[str, Any]]:
    """multipart/form-data: ``file`` (the XLSX), ``sku`` (any SKU of the garment), optionally ``rfq`` (the
    request's id; a newer list for the same request and product replaces the current one) and ``buyer`` (the
    request's agency by default). The same file again answers 200 with ``already_uploaded``. Messages in the
    Accept-Language language."""
    user = request.auth
    rfq_obj: Rfq | None = selectors.rfq_get(user=user, pk=rfq) if rfq is not None else None
    try:
        product = size_selectors.size_product_by_sku(
            user=user, sku=sku[:40], organization=rfq_obj.organization if rfq_obj else None
        )
    except Product.DoesNotExist:
        raise ValidationError(
            {"sku": [_("None of the products you sell has the SKU %(sku)s.") % {"sku": sku.strip()[:40] or "-"}]}
        ) from None
    try:
        result = size_list_upload(
            actor=user,
            organization=product.organization,
            product=product,
            data=file.read(MAX_BYTES + 1),
            file_name=file.name or "",
            rfq=rfq_obj,
            buyer=buyer,
            language=get_language() or "",
        )
    except SizeListRefused as refused:
        return Status(422, _refused(refused))
    size_list = size_selectors.size_list_get(user=user, pk=result.size_list.pk)
    return Status(201 if result.created else 200, _out(request, size_list, again=not result.created))


@router.get("/size-lists", auth=STAFF_AUTH, response={200: SizeListListOut, 401: ErrorOut}, summary="Size lists")
def size_list_list(request: AuthenticatedRequest, rfq: IdParam | None = None) -> dict[str, Any]:
    """The latest 100 size lists of the sellers you quote for (``rfq``: of one request)."""
    if rfq is not None:
        found = selectors.rfq_get(user=request.auth, pk=rfq)
        lists = size_selectors.rfq_size_lists(user=request.auth, rfq=found, current=False)
    else:
        lists = list(size_selectors.size_lists_for(user=request.auth)[:100])
    items = [_out(request, s) for s in lists]
    return {"count": len(items), "items": items}


@router.get(
    "/size-lists/{size_list_id}",
    auth=STAFF_AUTH,
    response={200: SizeListDetailOut, 401: ErrorOut, 404: ErrorOut},
    summary="A size list: its rows and its totals per variant",
)
def size_list_detail(request: AuthenticatedRequest, size_list_id: IdParam) -> dict[str, Any]:
    return _out(request, size_selectors.size_list_get(user=request.auth, pk=size_list_id), rows=True)


@router.get(
    "/size-lists/{size_list_id}/packing-list.pdf",
    auth=STAFF_AUTH,
    response={200: None, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    url_name="size_list_packing_pdf",
    summary="The packing list's PDF, per person or per unit, with its verification code",
    openapi_extra={"responses": {200: {"description": "The PDF", "content": {"application/pdf": {}}}}},
)
def size_list_packing_pdf(
    request: AuthenticatedRequest, size_list_id: IdParam, group: Grouping = "person"
) -> HttpResponse:
    """The first call issues the packing list's document (number and verification code); later ones reuse it."""
    size_list = size_selectors.size_list_get(user=request.auth, pk=size_list_id)
    pdf = packing_list_pdf(
        actor=request.auth, size_list=size_list, grouping=group, base_url=request.build_absolute_uri("/")[:-1]
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{size_list.packing_document.number}.pdf"'  # type: ignore[union-attr]
    return response


@router.get(
    "/size-lists/{size_list_id}/packing-list.xlsx",
    auth=STAFF_AUTH,
    response={200: None, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    url_name="size_list_packing_xlsx",
    summary="The packing list as XLSX: the people, the counts per unit, the totals per size",
    openapi_extra={"responses": {200: {"description": "The XLSX", "content": {XLSX: {}}}}},
)
def size_list_packing_xlsx(
    request: AuthenticatedRequest, size_list_id: IdParam, group: Grouping = "person"
) -> HttpResponse:
    size_list = size_selectors.size_list_get(user=request.auth, pk=size_list_id)
    content = packing_list_xlsx(actor=request.auth, size_list=size_list, grouping=group)
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{size_list.packing_document.number}.xlsx"'  # type: ignore[union-attr]
    return response
