"""Staff endpoint for the printable PDFs of issued documents (hang-tag sheets, surat jalan).

Anyone may check a document's verification code on the public /verifikasi/<code>/ page; the PDF
itself is for the issuing organization's staff (and the scopes above it).
"""

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Router

from binakarya.api.auth import STAFF_AUTH, AuthenticatedRequest
from binakarya.api.schemas.common import ErrorOut
from binakarya.documents.models import Document
from binakarya.documents.renderers import surat_jalan_pdf, tag_sheet_pdf
from binakarya.documents.selectors import document_for
from binakarya.production.selectors import lot_for

router = Router(tags=["staff"], auth=STAFF_AUTH)


def base_url(request: HttpRequest) -> str:
    """Scheme and host of the request, e.g. ``https://binakarya.id``, for URLs printed on documents."""
    return request.build_absolute_uri("/").rstrip("/")


@router.get(
    "/documents/{number}/pdf",
    response={200: None, 401: ErrorOut, 404: ErrorOut},
    url_name="document_pdf",
    summary="The PDF of an issued hang-tag sheet or surat jalan",
    openapi_extra={"responses": {200: {"description": "The PDF", "content": {"application/pdf": {}}}}},
)
def document_pdf(request: AuthenticatedRequest, number: str) -> HttpResponse:
    """Rendered on demand from the document and the rows it was issued for; printed in Indonesian."""
    document = document_for(user=request.auth, number=number)
    if document.kind == Document.Kind.TAG_SHEET:
        lot = lot_for(user=request.auth, code=str(document.public_figures.get("lot", "")))
        pdf = tag_sheet_pdf(document=document, lot=lot, base_url=base_url(request))
    elif document.kind == Document.Kind.SURAT_JALAN:
        pdf = surat_jalan_pdf(transfer=document.transfer, base_url=base_url(request))
    else:
        raise Http404("no printable form for this kind of document")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{document.number}.pdf"'
    return response
