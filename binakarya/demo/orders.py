"""Demo shop settings, rate tables and a few orders, all through the orders services.

Every seller of the demo takes orders from its showroom, with a placeholder bank account and a QR code
that is clearly not a real QRIS (it encodes a sentence saying so, under a DEMO banner). Rutan Sumenep
gets three orders: one awaiting payment, one paid, one shipped. Running it again changes nothing.
"""

import io
from typing import Any

import segno
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image, ImageDraw

from binakarya.catalog.models import Variant
from binakarya.inventory.models import Location
from binakarya.inventory.reservations import available_by_variant
from binakarya.orders.models import Order, Payment, ShopSettings
from binakarya.orders.services import (
    Address,
    Buyer,
    CartLine,
    RateInput,
    order_transition,
    orders_place,
    payment_record,
    shipping_rates_replace,
    shop_settings_update,
)
from binakarya.organizations.models import Membership, Organization
from binakarya.organizations.scoping import SALES_ROLES

# Rates by band (up to 1, 3 and 5 kg): within the seller's own regency, its province, and the rest.
BANDS = (1_000, 3_000, 5_000)
LOCAL_FEES = (10_000, 15_000, 20_000)
PROVINCE_FEES = (15_000, 25_000, 35_000)
NATIONAL_FEES = (25_000, 45_000, 65_000)
NATIONAL_PROVINCES = ("DKI Jakarta", "Jawa Barat", "Jawa Tengah", "Jawa Timur", "Banten", "Bali", "DI Yogyakarta")
ORDERS_SELLER = "rutan-sumenep"


def qris_placeholder_png(merchant: str) -> bytes:
    """A QR code under a red DEMO banner; it encodes a sentence, not a payment code."""
    qr = segno.make(f"DEMO - bukan QRIS asli / not a real QRIS code - {merchant}", error="m")
    buffer = io.BytesIO()
    qr.save(buffer, kind="png", scale=8, border=2)
    code = Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")
    banner = 56
    image = Image.new("RGB", (code.width, code.height + 2 * banner), "white")
    image.paste(code, (0, banner))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, image.width, banner - 6), fill=(200, 30, 30))
    draw.text((12, 10), "DEMO - BUKAN QRIS ASLI", fill="white", font_size=26)
    draw.text((12, code.height + banner + 8), "Contoh saja, jangan dibayar", fill=(200, 30, 30), font_size=22)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _order_staff(org: Organization) -> Any:
    """A demo user who handles ``org``'s orders, or None when the demo gives it none."""
    membership = (
        Membership.objects.filter(organization=org, role__in=list(SALES_ROLES), is_active=True)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return membership.user if membership else None


def shops_ensure(orgs: dict[str, Organization], locations: dict[str, dict[str, Location]]) -> int:
    """Shop settings and a rate table for each seller with a showroom and a demo user; how many were new."""
    created = 0
    for slug, places in sorted(locations.items()):
        org = orgs[slug]
        showroom = places.get("showroom")
        actor = _order_staff(org)
        if showroom is None or actor is None or ShopSettings.objects.filter(organization=org).exists():
            continue
        number = f"{org.pk:06d}"
        shop_settings_update(
            actor=actor,
            organization=org,
            accepts_orders=True,
            location=showroom,
            pickup_address=org.address or f"{showroom.name} {org.name}, {org.regency}, {org.province}",
            pickup_hours="Senin–Jumat 08.00–15.00 WIB",
            bank_name="BRI",
            bank_account_number=f"0123-01-{number}-30-1",
            bank_account_holder=f"DEMO – {org.name}"[:120],
            qris_image=ContentFile(qris_placeholder_png(org.name), name=f"qris-demo-{org.slug}.png"),
            qris_merchant_name=f"DEMO {org.name}"[:120],
        )
        rates = [
            RateInput(org.province, org.regency, band, fee, "Kurir lokal", 1)
            for band, fee in zip(BANDS, LOCAL_FEES, strict=True)
        ]
        rates += [
            RateInput(org.province, "", band, fee, "JNE REG", 2) for band, fee in zip(BANDS, PROVINCE_FEES, strict=True)
        ]
        for province in NATIONAL_PROVINCES:
            if province != org.province:
                rates += [
                    RateInput(province, "", band, fee, "JNE REG", 4)
                    for band, fee in zip(BANDS, NATIONAL_FEES, strict=True)
                ]
        shipping_rates_replace(actor=actor, organization=org, rates=rates)
        created += 1
    return created


def _in_stock(org: Organization, location: Location, count: int) -> list[Variant]:
    variants = list(
        Variant.objects.filter(organization=org, is_active=True, product__made_to_order=False).order_by("sku")
    )
    available = available_by_variant(location_id=location.pk, variant_ids=[v.pk for v in variants])
    return [v for v in variants if available.get(v.pk, 0) >= 1][:count]


@transaction.atomic
def orders_ensure(orgs: dict[str, Organization]) -> int:
    """Three orders of Rutan Sumenep: awaiting payment (web), paid (WhatsApp), shipped. How many were placed."""
    org = orgs[ORDERS_SELLER]
    shop = ShopSettings.objects.filter(organization=org).select_related("location").first()
    actor = _order_staff(org)
    if shop is None or shop.location is None or actor is None or Order.objects.filter(organization=org).exists():
        return 0
    variants = _in_stock(org, shop.location, 3)
    if len(variants) < 3:
        return 0
    web_buyer = Buyer("Dewi Lestari (demo)", "0812 0000 0001")
    try:  # a buyer on the website: needs the product public (with its photo)
        orders_place(lines=[CartLine(variants[0].sku, 1)], buyer=web_buyer, fulfillment="PICKUP")
    except ValidationError:
        orders_place(
            lines=[CartLine(variants[0].sku, 1)],
            buyer=web_buyer,
            fulfillment="PICKUP",
            channel=Order.Channel.WHATSAPP,
            organization=org,
            actor=actor,
        )
    (paid,) = orders_place(
        lines=[CartLine(variants[1].sku, 1)],
        buyer=Buyer("Rudi Hartono (demo)", "0812 0000 0002"),
        fulfillment="PICKUP",
        channel=Order.Channel.WHATSAPP,
        organization=org,
        actor=actor,
        note="Diambil Jumat siang",
    )
    payment_record(actor=actor, order=paid, amount_idr=paid.total_idr, method=Payment.Method.TRANSFER)
    (shipped,) = orders_place(
        lines=[CartLine(variants[2].sku, 1)],
        buyer=Buyer("Ayu Kartika (demo)", "0812 0000 0003"),
        fulfillment="DELIVERY",
        address=Address("Jawa Timur", "Surabaya", "Gubeng", "Jl. Contoh No. 1 (alamat demo)", "60281"),
        channel=Order.Channel.WHATSAPP,
        organization=org,
        actor=actor,
    )
    shipped.refresh_from_db()
    payment_record(actor=actor, order=shipped, amount_idr=shipped.total_idr, method=Payment.Method.QRIS)
    order_transition(actor=actor, order=shipped, to=Order.Status.PACKED)
    order_transition(actor=actor, order=shipped, to=Order.Status.SHIPPED, courier="JNE REG", resi="DEMO0001234567")
    return 3
