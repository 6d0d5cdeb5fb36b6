"""Writes of uniform size lists (issue 13, the Bondowoso batik uniform case): uploading a buyer's XLSX list
(the seller's staff, or the agency with its request for quotation), issuing a quotation that covers it, and the
packing list (PDF and XLSX) with its verification code.

A list is for one garment product of one seller, optionally attached to a request for quotation. It is read
and checked whole (``size_sheets.size_sheet_read``) before anything is saved; a file already uploaded (same
SHA-256 for the same seller and request) is recognised and returned as it is. See docs/deals.md, "Uniform
size lists".
"""

import datetime
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from binakarya.catalog.models import Product
from binakarya.core.audit import AuditAction, audit_record
from binakarya.core.exports import Column, Table, xlsx_bytes
from binakarya.core.types import Actor, user_of
from binakarya.deals.locks import rfq_lock, size_list_lock
from binakarya.deals.models import Quotation, Rfq, SizeList, SizeListRow
from binakarya.deals.services import (
    Contact,
    QuotationLineInput,
    RfqLineInput,
    quotation_issue,
    require_deal_staff,
    rfq_submit,
)
from binakarya.deals.size_selectors import (
    packing_people,
    product_sizes,
    public_garments,
    size_lists_totals,
    size_lookup,
)
from binakarya.deals.size_sheets import (
    GROUP_UNIT,
    Packing,
    RowError,
    SheetRow,
    SizeListRefused,
    packing_plan,
    size_sheet_read,
    size_template_xlsx,
)
from binakarya.documents import numbers
from binakarya.documents.models import Document
from binakarya.documents.pdf import qr_data_uri, render_pdf
from binakarya.documents.services import document_issue
from binakarya.organizations.models import Organization

# The packing list's number series (PKL-<org>-<year>-<n>), taken through documents.numbers like every number.
PACKING_LIST_SERIES = "PKL"


@dataclass(frozen=True)
class Upload:
    """The list saved, or the one found for the same file (``created`` False: nothing changed)."""

    size_list: SizeList
    created: bool


def _sizes_of(product: Product) -> Any:
    variants = product_sizes(product=product)
    if not variants:
        raise SizeListRefused(
            [RowError(0, "", _("%(product)s has no active variant to choose a size from.") % {"product": product.name})]
        )
    return size_lookup(variants=variants)


def size_template(*, product: Product) -> bytes:
    """The XLSX template for ``product`` in the active language (sizes from its active variants)."""
    lookup = size_lookup(variants=product_sizes(product=product))
    return size_template_xlsx(product_name=product.name, seller_name=product.organization.name, sizes=lookup.pairs)


def size_list_upload(
    *,
    actor: Actor,
    organization: Organization,
    product: Product,
    data: bytes,
    file_name: str = "",
    rfq: Rfq | None = None,
    buyer: str = "",
    language: str = "",
) -> Upload:
    """Check a filled-in size list and save it with its rows, for the seller's sales staff.

    A current list of the same request and product is marked replaced. Raises PermissionDenied;
    SizeListRefused listing every problem (row 0: the file, the product or the request); nothing is saved then.
    """
    require_deal_staff(actor, organization)
    return _size_list_save(
        actor=actor,
        organization=organization,
        product=product,
        data=data,
        file_name=file_name,
        rfq=rfq,
        buyer=buyer,
        language=language,
    )


def _size_list_owner_problems(
    *, organization: Organization, product: Product, rfq: Rfq | None, buyer: str
) -> tuple[str, list[RowError]]:
    """The buyer's name cleaned, and what is wrong with the product, the request or the buyer (row 0)."""
    problems: list[RowError] = []
    if product.organization_id != organization.pk:
        problems.append(
            RowError(
                0,
                "",
                _("%(product)s is not a product of %(org)s.") % {"product": product.name, "org": organization.name},
            )
        )
    if rfq is not None and rfq.organization_id != organization.pk:
        problems.append(RowError(0, "", _("This request was sent to another seller.")))
    buyer = " ".join(buyer.split()) or (rfq.agency if rfq else "")
    if not buyer:
        problems.append(RowError(0, "", _("Enter the buyer.")))
    elif len(buyer) > 200:
        problems.append(RowError(0, "", _("Use at most 200 characters.")))
    return buyer, problems


def _size_list_read(*, product: Product, data: bytes, file_name: str) -> list[SheetRow]:
    """Every row of the file checked against the product's sizes. Raises SizeListRefused."""
    lookup = _sizes_of(product)
    return size_sheet_read(data=data, file_name=file_name, sizes=lookup.keys, size_labels=lookup.labels)


def _size_list_save(
    *,
    actor: Actor,
    organization: Organization,
    product: Product,
    data: bytes,
    file_name: str,
    rfq: Rfq | None,
    buyer: str,
    language: str,
    rows: list[SheetRow] | None = None,
) -> Upload:
    """The upload without the staff check: whoever calls it has decided who may attach a list to ``rfq``
    (``size_list_upload``: the seller's staff; ``rfq_submit_with_size_list``: the request being created).
    ``rows``: the file already read by the caller. Raises SizeListRefused; nothing is saved then."""
    buyer, problems = _size_list_owner_problems(organization=organization, product=product, rfq=rfq, buyer=buyer)
    if problems:
        raise SizeListRefused(problems)
    digest = hashlib.sha256(data).hexdigest()
    earlier = SizeList.objects.filter(organization=organization, rfq=rfq, sha256=digest).first()
    if earlier is not None:
        return Upload(earlier, False)
    if rows is None:
        rows = _size_list_read(product=product, data=data, file_name=file_name)
    try:
        with transaction.atomic():
            if rfq is not None:
                # One upload at a time per request, and one current list per product of it.
                rfq_lock(pk=rfq.pk)
                SizeList.objects.filter(rfq=rfq, product=product, status=SizeList.Status.CURRENT).update(
                    status=SizeList.Status.REPLACED, updated_at=timezone.now()
                )
            size_list = SizeList.objects.create(
                organization=organization,
                rfq=rfq,
                product=product,
                buyer=buyer,
                file_name=file_name[:200],
                sha256=digest,
                persons=len(rows),
                units=sum(row.quantity for row in rows),
                language=language[:8],
                uploaded_by=user_of(actor),
            )
            SizeListRow.objects.bulk_create(
                (
                    SizeListRow(
                        size_list=size_list,
                        row_number=row.row,
                        name=row.name,
                        nip=row.nip,
                        unit=row.unit,
                        variant_id=row.variant_id,
                        quantity=row.quantity,
                        note=row.note,
                    )
                    for row in rows
                ),
                batch_size=1000,
            )
            audit_record(
                actor=actor,
                action=AuditAction.SIZE_LIST_UPLOAD,
                obj=size_list,
                file=file_name[:200],
                persons=size_list.persons,
                units=size_list.units,
            )
    except IntegrityError:
        # The same file sent twice at once: the constraint keeps one; answer with it.
        earlier = SizeList.objects.filter(organization=organization, rfq=rfq, sha256=digest).first()
        if earlier is None:
            raise
        return Upload(earlier, False)
    return Upload(size_list, True)


# The agency's list with its request (the public form and API) ------------------------------------------


@dataclass(frozen=True)
class SizedRfq:
    """A request for quotation saved with its size list."""

    rfq: Rfq
    size_list: SizeList


class SizedRfqRefused(Exception):
    """A request with a size list was refused and nothing was saved. ``fields``: the request's problems as
    ``rfq_submit`` raises them (None when it had none); ``size_list``: the list's problems (None: the list was
    fine). Both are given when both were wrong, so the agency corrects everything at once."""

    def __init__(self, *, fields: ValidationError | None, size_list: SizeListRefused | None) -> None:
        self.fields = fields
        self.size_list = size_list
        super().__init__("request for quotation refused")


def _garments_named(lines: Sequence[RfqLineInput]) -> list[Product]:
    """The published products in several sizes that the request's SKU lines name."""
    named = {variant.product_id: variant.product for variant in public_garments(skus=[line.sku for line in lines])}
    return sorted(named.values(), key=lambda product: (product.name, product.pk))


def _the_garment(garments: list[Product]) -> Product:
    """The list's product: the one garment named. Raises SizeListRefused."""
    if not garments:
        raise SizeListRefused(
            [
                RowError(
                    0,
                    "",
                    _(
                        "A size list is for a garment sold in several sizes: name one of its SKUs among the items "
                        "(the SKU is on the product's page)."
                    ),
                )
            ]
        )
    if len(garments) > 1:
        raise SizeListRefused(
            [
                RowError(
                    0,
                    "",
                    _(
                        "A size list is for one garment, and the items name several sold in sizes (%(products)s). "
                        "Send one request per garment."
                    )
                    % {"products": ", ".join(product.name for product in garments)},
                )
            ]
        )
    return garments[0]


def _garment_lines(
    lines: Sequence[RfqLineInput], garments: list[Product], rows: list[SheetRow] | None
) -> list[RfqLineInput]:
    """The request's lines with the garment's lines replaced, where the first of them stood, by one line per size
    holding the list's pieces (in the catalog's size order). Without ``rows`` (the list was refused) the lines of
    the garments named stay, their quantity at least 1 (the list was to give it), so that only the request's own
    problems are reported next to the list's."""
    sizes = [variant for product in garments for variant in product_sizes(product=product)]
    skus = {variant.sku for variant in sizes}
    if rows is None:
        return [
            RfqLineInput(line.sku, line.description, max(line.quantity, 1)) if line.sku.strip() in skus else line
            for line in lines
        ]
    pieces: dict[int, int] = {}
    for row in rows:
        pieces[row.variant_id] = pieces.get(row.variant_id, 0) + row.quantity
    per_size = [RfqLineInput(variant.sku, "", pieces[variant.pk]) for variant in sizes if variant.pk in pieces]
    out: list[RfqLineInput] = []
    for line in lines:
        if line.sku.strip() not in skus:
            out.append(line)
        elif per_size:
            out.extend(per_size)
            per_size = []
    return out


def rfq_submit_with_size_list(
    *,
    actor: Actor,
    agency: str,
    contact: Contact,
    lines: Sequence[RfqLineInput],
    delivery_place: str,
    data: bytes,
    file_name: str = "",
    needed_by: datetime.date | None = None,
    seller: Organization | None = None,
    note: str = "",
    language: str = "",
) -> SizedRfq:
    """A buyer's request for quotation (``services.rfq_submit``) with its size list, saved together or not at all.

    Public: anyone may call it, and the list goes only to the request created here, never to an existing one.
    The list is for the one garment (a published product in several sizes) that the SKU lines name; the
    garment's lines become one line per size with the list's pieces (what the agency typed as the garment's
    quantity is replaced), so the request, the staff's quotation form and ``quotation_issue_sized`` all count
    the same pieces. The file is checked as the staff upload checks it (size, macros, a damaged workbook,
    every row).

    Raises SizedRfqRefused with the request's problems, the list's, or both; nothing is saved then.
    """
    garments = _garments_named(lines)
    product: Product | None = None
    rows: list[SheetRow] | None = None
    refused: SizeListRefused | None = None
    try:
        product = _the_garment(garments)
        rows = _size_list_read(product=product, data=data, file_name=file_name)
    except SizeListRefused as exc:
        refused = exc
    lines = _garment_lines(lines, [product] if product is not None and rows is not None else garments, rows)
    with transaction.atomic():
        try:
            rfq = rfq_submit(
                actor=actor,
                agency=agency,
                contact=contact,
                lines=lines,
                delivery_place=delivery_place,
                needed_by=needed_by,
                seller=seller,
                note=note,
                language=language,
            )
        except ValidationError as exc:
            raise SizedRfqRefused(fields=exc, size_list=refused) from None
        if refused is not None or product is None or rows is None:
            # rfq_submit checks and saves in one step: raising here rolls its request back, so its own checks
            # (not a copy of them) have told whether the request alone was right.
            raise SizedRfqRefused(fields=None, size_list=refused)
        try:
            upload = _size_list_save(
                actor=actor,
                organization=rfq.organization,
                product=product,
                data=data,
                file_name=file_name,
                rfq=rfq,
                buyer=rfq.agency,
                language=language,
                rows=rows,
            )
        except SizeListRefused as exc:
            raise SizedRfqRefused(fields=None, size_list=exc) from None
    return SizedRfq(rfq, upload.size_list)


# Quotations from size lists ---------------------------------------------------------------------------


def size_list_lines(*, size_lists: Sequence[SizeList], lines: Sequence[QuotationLineInput]) -> list[QuotationLineInput]:
    """``lines`` with a line added at the list price for each variant of the lists that no line names, holding
    the lists' total (the API's ``size_list`` without lines for its sizes)."""
    named = {line.sku.strip() for line in lines}
    added = [
        QuotationLineInput(variant.sku, quantity, variant.price_idr)
        for variant, quantity in size_lists_totals(size_lists=size_lists).values()
        if variant.sku not in named
    ]
    return [*lines, *added]


def quotation_issue_sized(
    *,
    actor: Actor,
    organization: Organization,
    size_lists: Sequence[SizeList],
    lines: Sequence[QuotationLineInput],
    rfq: Rfq | None = None,
    **options: Any,
) -> Quotation:
    """``services.quotation_issue`` for lines that cover the size lists, and the lists linked to the quotation,
    in one transaction. Each size must be quoted at least as many times as the lists count it (more is
    allowed: spares). Raises what quotation_issue raises; ValidationError on ``lines`` or ``size_list``."""
    errors: list[str] = []
    for size_list in size_lists:
        if size_list.organization_id != organization.pk or (rfq is not None and size_list.rfq_id not in (None, rfq.pk)):
            errors.append(_("Size list %(id)s belongs to another request or seller.") % {"id": size_list.pk})
        elif size_list.status != SizeList.Status.CURRENT:
            errors.append(_("Size list %(id)s was replaced by a newer one.") % {"id": size_list.pk})
    if errors:
        raise ValidationError({"size_list": errors})
    quoted: dict[str, int] = {}
    for line in lines:
        quoted[line.sku.strip()] = quoted.get(line.sku.strip(), 0) + line.quantity
    for variant, needed in size_lists_totals(size_lists=size_lists).values():
        if quoted.get(variant.sku, 0) < needed:
            errors.append(
                _("%(sku)s: the size list counts %(needed)s pieces; the quotation has %(quoted)s.")
                % {"sku": variant.sku, "needed": needed, "quoted": quoted.get(variant.sku, 0)}
            )
    if errors:
        raise ValidationError({"lines": errors})
    with transaction.atomic():
        quotation = quotation_issue(actor=actor, organization=organization, lines=lines, rfq=rfq, **options)
        for size_list in size_lists:
            size_list.quotations.add(quotation)
    return quotation


# The packing list -------------------------------------------------------------------------------------


def packing_list_document(*, actor: Actor, size_list: SizeList) -> Document:
    """The packing list's document (number PKL-…, verification code), issued the first time it is asked for and
    the same ever after, whichever grouping is printed. Public figures: pieces, persons, the buyer, the date;
    never a person's name."""
    require_deal_staff(actor, size_list.organization)
    if size_list.packing_document_id is not None:
        return size_list.packing_document  # type: ignore[return-value]
    with transaction.atomic():
        locked = size_list_lock(pk=size_list.pk)
        if locked.packing_document_id is None:
            organization = size_list.organization
            number = numbers.number_next(organization=organization, series=PACKING_LIST_SERIES)
            locked.packing_document = document_issue(
                actor=actor,
                organization=organization,
                kind=Document.Kind.PACKING_LIST,
                number=number,
                title=_("Packing list %(number)s") % {"number": number},
                public_figures={
                    "units": locked.units,
                    "persons": locked.persons,
                    "to": locked.buyer,
                    "date": timezone.localdate().isoformat(),
                },
            )
            locked.save(update_fields=["packing_document", "updated_at"])
            audit_record(
                actor=actor, action=AuditAction.PACKING_LIST_ISSUE, obj=locked, number=number, units=locked.units
            )
    size_list.packing_document = locked.packing_document
    return locked.packing_document  # type: ignore[return-value]


def packing_list_plan(*, size_list: SizeList, grouping: str) -> Packing:
    people, order = packing_people(size_list=size_list)
    return packing_plan(people=people, size_order=order, grouping=grouping)


def packing_list_pdf(*, actor: Actor, size_list: SizeList, grouping: str, base_url: str) -> bytes:
    """The packing list of a size list (a deal calls this with its list), in Indonesian: kop surat, number, date,
    the buyer, the people per person or per unit, the counts per unit, the totals per size, the signatures and
    the verification code with its QR. Names the buyer's people, never a maker."""
    document = packing_list_document(actor=actor, size_list=size_list)
    packing = packing_list_plan(size_list=size_list, grouping=grouping)
    url = base_url + reverse("storefront:verify", kwargs={"code": document.verify_code})
    with translation.override("id"):
        return render_pdf(
            "deals/packing_list.html",
            {
                "document": document,
                "size_list": size_list,
                "seller": size_list.organization,
                "rfq": size_list.rfq,
                "packing": packing,
                "per_unit": packing.grouping == GROUP_UNIT,
                "issued_on": timezone.localtime(document.issued_at).date(),
                "verify_url": url,
                "verify_qr": qr_data_uri(url, scale=3),
                "verify_code": document.verify_code,
            },
        )


def packing_list_xlsx(*, actor: Actor, size_list: SizeList, grouping: str) -> bytes:
    """The same packing list as an XLSX in the active language: the document's facts, the people, the counts
    per unit (pieces per size) and the totals per size."""
    document = packing_list_document(actor=actor, size_list=size_list)
    packing = packing_list_plan(size_list=size_list, grouping=grouping)
    issued: datetime.date = timezone.localtime(document.issued_at).date()
    facts = Table(
        _("Packing list"),
        [Column(_("Item")), Column(_("Value"))],
        [
            (_("Number"), document.number),
            (_("Date"), formats.date_format(issued, "DATE_FORMAT")),
            (_("Seller"), size_list.organization.name),
            (_("Buyer"), size_list.buyer),
            (_("Request"), size_list.rfq.number if size_list.rfq else ""),
            (_("Product"), size_list.product.name),
            (_("Persons"), packing.persons),
            (_("Pieces"), packing.pieces),
            (_("Verification code"), document.verify_code),
        ],
    )
    person_columns = [_("No."), _("Name"), _("NIP / ID"), _("Unit"), _("Size"), "SKU", _("Quantity"), _("Note")]
    people = Table(
        _("Per unit") if packing.grouping == GROUP_UNIT else _("Per person"),
        [Column(title) for title in person_columns],
        [(i, p.name, p.nip, p.unit, p.size, p.sku, p.quantity, p.note) for i, p in enumerate(packing.people, start=1)],
    )
    labels = packing.size_labels
    units = Table(
        _("Counts per unit"),
        [Column(_("Unit")), Column(_("Persons")), Column(_("Pieces")), *(Column(label) for label in labels)],
        [
            (u.unit or _("(no unit)"), len(u.people), u.pieces, *(count for _size, count in u.counts))
            for u in packing.units
        ],
    )
    sizes = Table(
        _("Totals per size"),
        [Column(_("Size")), Column("SKU"), Column(_("Persons")), Column(_("Pieces"))],
        [
            *((s.size, s.sku, s.persons, s.pieces) for s in packing.sizes),
            (_("Total"), "", packing.persons, packing.pieces),
        ],
    )
    return xlsx_bytes([facts, people, units, sizes])
