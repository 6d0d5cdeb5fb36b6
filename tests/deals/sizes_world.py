"""A uniform world (tests/deals/test_sizes*): the deals world's facility also sells a batik shirt in S, M, L
and XL made by its Kelompok Batik (whose makers must never appear), and the Bondowoso regency's agency asks
for uniforms. Helpers fill in the XLSX template as an agency would."""

import io
from typing import Any

from openpyxl import load_workbook

from binakarya.catalog.services import product_refresh
from binakarya.deals.services import Contact, RfqLineInput, rfq_submit
from binakarya.deals.sizes import size_template
from tests.factories import (
    GroupFactory,
    GroupMembershipFactory,
    MakerFactory,
    ProducerFactory,
    ProductFactory,
    VariantFactory,
)

BATIK_MAKERS = ["Sutarmi Rahasia", "Wagiyem Tersamar"]
SIZES = [
    ("S", "PBG-KMJ-S", 180_000),
    ("M", "PBG-KMJ-M", 185_000),
    ("L", "PBG-KMJ-L", 190_000),
    ("XL", "PBG-KMJ-XL", 195_000),
]
HEADER_ROW = 4  # the template's title takes rows 1 to 3


def add_batik(world: dict[str, Any]) -> dict[str, Any]:
    facility = world["facility"]
    group = GroupFactory(organization=facility, name="Kelompok Batik")
    for name in BATIK_MAKERS:
        GroupMembershipFactory(group=group, maker=MakerFactory(organization=facility, full_name=name))
    producer = ProducerFactory(group=group, name="Kelompok Batik", slug="kelompok-batik")
    shirt = ProductFactory(producer=producer, name="Kemeja Batik Bondowoso", slug="kemeja-batik", variants=[], photos=1)
    variants = {size: VariantFactory(product=shirt, sku=sku, name=size, price_idr=price) for size, sku, price in SIZES}
    product_refresh(product=shirt)
    rfq = rfq_submit(
        actor=None,
        agency="Bagian Umum Setda Kabupaten Bondowoso",
        contact=Contact("Bapak Hadi", "0812 1111 2222"),
        lines=[RfqLineInput("PBG-KMJ-M", "", 10)],
        delivery_place="Kantor Setda Bondowoso",
    )
    return world | {"shirt": shirt, "sizes": variants, "rfq": rfq, "batik_group": group}


def filled_list(product, rows: list[tuple[Any, ...]], *, header: list[str] | None = None) -> bytes:
    """The template of ``product`` with ``rows`` of (name, nip, unit, size, quantity, note) under its header."""
    book = load_workbook(io.BytesIO(size_template(product=product)))
    sheet = book.worksheets[0]
    if header is not None:
        for i, text in enumerate(header, start=1):
            sheet.cell(row=HEADER_ROW, column=i, value=text)
    for offset, values in enumerate(rows, start=1):
        for column, value in enumerate(values, start=2):
            cell = sheet.cell(row=HEADER_ROW + offset, column=column, value=value)
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # typed as text, as a spreadsheet keeps '=... when asked to
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# Seven civil servants of three units: S 1, M 3 (one wears two), L 2, XL 1 -> 8 pieces.
PEOPLE = [
    ("Ahmad Fauzi", "198001012005011001", "Bagian Umum", "M", 1, ""),
    ("Siti Rahmawati", "198502022010012002", "Bagian Umum", "S", None, "lengan panjang"),
    ("Dwi Prasetyo", "", "Bagian Umum", "L", 1, ""),
    ("Rina Kusuma", "199003032015032003", "Dinas Kominfo", "m", 2, ""),
    ("Bagus Sutrisno", "", "Dinas Kominfo", "XL", 1, ""),
    ("Yuli Astuti", "", "Dinas Pendidikan", "L", "1", ""),
    ("Hendra Gunawan", "", "Dinas Pendidikan", "PBG-KMJ-M", 1.0, ""),
]
