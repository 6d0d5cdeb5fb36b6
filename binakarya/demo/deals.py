"""A demo uniform order (issue 13, the Bondowoso batik uniform case): the regency's Bagian Organisasi asks Batik
Sekar Kopi Tamanan for its men's batik shirt (sizes M and L), with a size list of eight civil servants in three
units, uploaded through ``deals.sizes`` as the operator would. Running it again changes nothing (the RFQ is
found by its agency, the list by its file)."""

import datetime
import io

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from openpyxl import load_workbook

from binakarya.catalog.models import Variant
from binakarya.deals.models import Deal, Rfq
from binakarya.deals.services import (
    Contact,
    DealLineInput,
    QuotationLineInput,
    RfqLineInput,
    contract_rules_ensure,
    delivery_record,
    quotation_accept,
    quotation_issue,
    rfq_submit,
)
from binakarya.deals.sizes import size_list_upload, size_template
from binakarya.organizations.models import Organization

SELLER = "batik-sekar-kopi"
OPERATOR = "operator.tamanan"
SHIRT_SKU = "TMN-SKP-002"  # Kemeja Batik Tulis Kopi Pria, M (TMN-SKP-003 is L)
AGENCY = "Bagian Organisasi Setda Kabupaten Bondowoso"
HEADER_ROW = 4  # the template's header row, under its three title rows
# (name, NIP, unit, size, quantity): the buyer's own staff, who may appear on the buyer's packing list.
PEOPLE: list[tuple[str, str, str, str, int]] = [
    ("Agus Salim", "197805122006041003", "Bagian Organisasi", "L", 1),
    ("Dewi Lestari", "198203152009022004", "Bagian Organisasi", "M", 1),
    ("Fitri Handayani", "", "Bagian Organisasi", "M", 1),
    ("Hari Wibowo", "197011201998031005", "Bagian Hukum", "L", 2),
    ("Indah Permatasari", "", "Bagian Hukum", "M", 1),
    ("Joko Susilo", "", "Bagian Umum", "L", 1),
    ("Lina Marlina", "199105052019032008", "Bagian Umum", "M", 1),
    ("Yusuf Effendi", "", "Bagian Umum", "L", 1),
]


def _filled(template: bytes) -> bytes:
    book = load_workbook(io.BytesIO(template))
    sheet = book.worksheets[0]
    for offset, (name, nip, unit, size, quantity) in enumerate(PEOPLE, start=1):
        row = HEADER_ROW + offset
        for column, text in enumerate((name, nip, unit, size), start=2):
            sheet.cell(row=row, column=column, value=text)
        sheet.cell(row=row, column=6, value=quantity)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def uniform_order_ensure(orgs: dict[str, Organization]) -> int:
    """The demo request and its size list when missing; how many lists were saved (0 or 1)."""
    seller = orgs[SELLER]
    shirt = Variant.objects.select_related("product__organization").filter(sku=SHIRT_SKU).first()
    operator = User.objects.filter(username=OPERATOR).first()
    if shirt is None or operator is None:
        return 0
    rfq = Rfq.objects.filter(organization=seller, agency=AGENCY).first() or rfq_submit(
        actor=None,
        agency=AGENCY,
        contact=Contact("Ibu Ratna Sari", "0813 3600 1234", "organisasi@bondowosokab.go.id"),
        # A description, not the SKU: the request stands even when the demo runs without photos (unpublished).
        lines=[RfqLineInput("", "Kemeja batik tulis motif kopi pria untuk seragam ASN, ukuran sesuai daftar", 9)],
        seller=seller,
        delivery_place="Kantor Setda Kabupaten Bondowoso, Jl. Letnan Karsono 2, Bondowoso",
        note="Seragam batik khas Bondowoso sesuai instruksi Bupati; daftar ukuran per pegawai menyusul.",
        language="id",
    )
    if rfq.size_lists.exists():
        return 0
    product = shirt.product
    data = _filled(size_template(product=product))
    return int(
        size_list_upload(
            actor=operator,
            organization=seller,
            product=product,
            data=data,
            file_name="daftar-ukuran-bagian-organisasi.xlsx",
            rfq=rfq,
        ).created
    )


# A demo deal (the DLH PKP chain): after the 36 bins and 60 dustpans of the field report, the agency asks for a
# few more for another park; Rutan Purbalingga quotes, the agency's surat pesanan is recorded, and the bins have
# gone out in a first delivery. The rest (the dustpans, the BAST, the bill, the payment) is left to try.
DEAL_SELLER = "rutan-purbalingga"
DEAL_STAFF = "admin.purbalingga"
DEAL_AGENCY = "DLH PKP Kabupaten Purbalingga"
DEAL_LINES = [("PBG-BMB-001", 6, 150_000), ("PBG-BMB-002", 5, 35_000)]
FIRST_DELIVERY = [("PBG-BMB-001", 2)]  # what the store holds today; the rest waits for the workshop


@transaction.atomic
def deal_ensure(orgs: dict[str, Organization]) -> int:
    """The demo deal when the seller has none; how many deals were made (0 or 1)."""
    seller = orgs.get(DEAL_SELLER)
    staff = User.objects.filter(username=DEAL_STAFF).first()
    if seller is None or staff is None or Deal.objects.filter(organization=seller).exists():
        return 0
    contract_rules_ensure()  # seeded by a migration; a database emptied between tests has none
    today = timezone.localdate()
    rfq = rfq_submit(
        actor=None,
        agency=DEAL_AGENCY,
        contact=Contact("Ibu Sri Lestari", "0812 2700 1111", "dlh@purbalinggakab.go.id"),
        # Descriptions, not SKUs: the request stands even when the demo runs without photos (unpublished).
        lines=[
            RfqLineInput("", "Tempat sampah bambu untuk taman kota", DEAL_LINES[0][1]),
            RfqLineInput("", "Pengki bambu", DEAL_LINES[1][1]),
        ],
        seller=seller,
        needed_by=today + datetime.timedelta(days=5),
        delivery_place="Taman Kota Usman Janatin, Purbalingga",
        language="id",
    )
    quotation = quotation_issue(
        actor=staff,
        organization=seller,
        buyer=DEAL_AGENCY,
        lines=[QuotationLineInput(sku, quantity, price) for sku, quantity, price in DEAL_LINES],
        rfq=rfq,
        today=today,
    )
    deal = quotation_accept(actor=staff, quotation=quotation, po_number="027/211/DLH-PKP/2026", po_date=today)
    delivery_record(
        actor=staff,
        deal=deal,
        lines=[DealLineInput(sku, quantity) for sku, quantity in FIRST_DELIVERY],
        vehicle="R 8123 KA",
        driver="Pak Darto",
    )
    return 1
