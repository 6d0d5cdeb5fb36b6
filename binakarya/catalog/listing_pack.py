"""The e-Katalog / Bela Pengadaan listing pack of a product: the spec sheet (PDF) and the row export (XLSX).

Both are in Indonesian whatever the staff member's language (the government portals are), both show the
seller, the producer's public name, the listing fields, the price and the variants with their SKU, and
never a maker: nothing here reads the makers app. A product without a listing still exports, with blanks.
"""

import base64
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.files.storage import default_storage
from django.utils import translation

from binakarya.catalog.models import Photo, ProcurementListing, Product
from binakarya.catalog.selectors import listing_photos, product_listing
from binakarya.catalog.services import specification_rows
from binakarya.core.exports import Column, Table
from binakarya.documents.pdf import render_pdf

PDN_LABELS: dict[str, str] = {ProcurementListing.Pdn.PDN.value: "PDN", ProcurementListing.Pdn.NON_PDN.value: "Non-PDN"}
XLSX_COLUMNS = (
    Column("Penjual"),
    Column("Nama Produk"),
    Column("Kategori"),
    Column("Produsen"),
    Column("SKU"),
    Column("Varian"),
    Column("Harga (Rp)", rupiah=True),
    Column("Satuan"),
    Column("Kode KBKI"),
    Column("Status PDN"),
    Column("TKDN (%)"),
    Column("No. Sertifikat TKDN"),
    Column("Tanggal Sertifikat TKDN"),
    Column("No. SNI"),
    Column("Merek"),
    Column("Spesifikasi"),
    Column("Berat (g)"),
    Column("Dimensi P x L x T (mm)"),
    Column("Minimal Pembelian"),
    Column("Foto"),
)


def tkdn_percent(tkdn_bp: int | None) -> Decimal | None:
    """4235 basis points -> Decimal("42.35"); None stays None."""
    return None if tkdn_bp is None else Decimal(tkdn_bp) / 100


def _absolute(base_url: str, url: str) -> str:
    """A stored file's address made absolute: on object storage it already is (the bucket's or S3_PUBLIC_URL)."""
    return url if url.startswith(("http://", "https://")) else base_url + url


def _photo_urls(product: Product, listing: ProcurementListing | None, base_url: str) -> str:
    return " ".join(
        _absolute(base_url, default_storage.url(photo.image.name)) for photo in listing_photos(product, listing)
    )


def listing_rows(products: Iterable[Product], *, base_url: str) -> list[list[Any]]:
    """One row per active variant of each product (one row with an empty SKU for a product without one)."""
    rows: list[list[Any]] = []
    for product in products:
        listing = product_listing(product)
        fields: list[Any] = [
            listing.unit if listing else "",
            listing.kbki_code if listing else "",
            PDN_LABELS.get(listing.pdn_status, "") if listing else "",
            tkdn_percent(listing.tkdn_bp) if listing else None,
            listing.tkdn_certificate_number if listing else "",
            listing.tkdn_certificate_date if listing else None,
            listing.sni_number if listing else "",
            listing.trademark if listing else "",
            "; ".join(f"{k}: {v}" for k, v in specification_rows(listing.specifications)) if listing else "",
        ]
        photos = _photo_urls(product, listing, base_url)
        head = [product.organization.name, product.name, product.category.name, product.producer.name]
        variants = list(product.variants.all())
        if not variants:
            rows.append([*head, "", "", None, *fields, None, "", product.moq, photos])
        for variant in variants:
            size = f"{variant.length_mm} x {variant.width_mm} x {variant.height_mm}" if variant.length_mm else ""
            rows.append(
                [
                    *head,
                    variant.sku,
                    variant.name,
                    int(variant.price_idr),
                    *fields,
                    variant.weight_grams or None,
                    size,
                    product.moq,
                    photos,
                ]
            )
    return rows


def listing_table(products: Iterable[Product], *, base_url: str) -> Table:
    return Table(title="e-Katalog", columns=XLSX_COLUMNS, rows=listing_rows(products, base_url=base_url))


def _data_uri(photo: Photo) -> str:
    """The photo's 480 px rendition inlined (the PDF is made without a web server to fetch it from)."""
    name = photo.thumbnail.name or photo.image.name or ""
    try:
        with default_storage.open(name, "rb") as f:
            content = f.read()
    except OSError:
        return ""
    kind = "webp" if name.lower().endswith(".webp") else "jpeg"
    return f"data:image/{kind};base64," + base64.b64encode(content).decode("ascii")


def spec_sheet_context(product: Product) -> dict[str, Any]:
    listing = product_listing(product)
    photos = listing_photos(product, listing)
    organization = product.organization
    return {
        "product": product,
        "listing": listing,
        "seller": organization,
        "producer": product.producer.name,
        "pdn": PDN_LABELS.get(listing.pdn_status, "") if listing else "",
        "tkdn": tkdn_percent(listing.tkdn_bp) if listing else None,
        "specifications": specification_rows(listing.specifications) if listing else [],
        "variants": list(product.variants.all()),
        "photo": _data_uri(photos[0]) if photos else "",
    }


def spec_sheet_pdf(product: Product) -> bytes:
    """The product's spec sheet (lembar spesifikasi) for a government buyer, in Indonesian."""
    with translation.override("id"):
        return render_pdf("documents/spec_sheet.html", spec_sheet_context(product))
