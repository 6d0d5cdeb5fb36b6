"""Reads of exports: what a buyer abroad may ask for (public), inquiries and pro-formas (scoped to the seller's
sales staff), the rates in force, and the SKA / e-SKA checklist of an inquiry."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from binakarya.catalog.export_selectors import latest_rates, localized
from binakarya.catalog.models import READY_TO_SELL, ExchangeRate, ExportProfile, Product, Variant
from binakarya.core.types import Actor
from binakarya.exports import amounts
from binakarya.exports.models import (
    ChecklistMark,
    ExporterSettings,
    ExportInquiry,
    ExportInquiryLine,
    ExportOrder,
    ExportPayment,
    Proforma,
    ProformaLine,
    Shipment,
)
from binakarya.inventory.models import Location
from binakarya.organizations.models import Organization
from binakarya.organizations.scoping import SALES_ROLES, scope

EXPORT_ROLES = SALES_ROLES
# HS chapters of wood and wooden goods (44) and furniture (94): their export needs the SVLK V-Legal document.
WOOD_CHAPTERS = ("44", "94")


# What a buyer may ask for ---------------------------------------------------------------------------------


def _exportable() -> QuerySet[Variant]:
    """Active variants of public products that have export data, with product, producer, organization and
    export data loaded (one query)."""
    return Variant.objects.select_related(
        "product", "product__producer", "product__export_profile", "organization"
    ).filter(
        is_active=True,
        product__export_profile__isnull=False,
        product__is_published=True,
        product__producer__is_published=True,
        product__organization__is_active=True,
        product__in=Product.objects.filter(READY_TO_SELL),
    )


def exportable_variants() -> list[Variant]:
    """Everything a buyer abroad may ask an export quote for, by seller, product and price. Not scoped."""
    return list(_exportable().order_by("organization__name", "product__name", "price_idr", "pk"))


def exportable_by_sku(*, skus: Iterable[str]) -> dict[str, Variant]:
    return {v.sku: v for v in _exportable().filter(sku__in=sorted({s.strip() for s in skus}))}


def export_minimum(variant: Variant) -> int:
    """The export minimum order of the variant's product (its export data's MOQ)."""
    profile: ExportProfile = variant.product.export_profile
    return max(profile.moq, 1)


def product_label(product: Product, language: str) -> str:
    """The product's name in ``language``: English when entered, else the Indonesian one."""
    return localized(product, "name", language).text


def variant_label(variant: Variant, language: str) -> str:
    """ "Sekar Jagad batik cloth (2 m)": the product's name in ``language`` (Indonesian when untranslated), the variant."""
    name = product_label(variant.product, language)
    return f"{name} ({variant.name})" if variant.name else name


def inquiry_by_token(*, token: str) -> ExportInquiry:
    """The buyer's own inquiry by its secret link, with its issued pro-formas. Raises ExportInquiry.DoesNotExist."""
    if not token or len(token) > 40:
        raise ExportInquiry.DoesNotExist
    return (
        ExportInquiry.objects.select_related("organization")
        .prefetch_related("lines__variant__product", _proformas_prefetch())
        .get(token=token)
    )


# Staff reads ----------------------------------------------------------------------------------------------


def _proformas_prefetch() -> Prefetch:
    return Prefetch(
        "proformas",
        queryset=Proforma.objects.select_related("document", "packing_list__document").order_by("-issued_on", "-pk"),
    )


def export_organizations_for(*, user: Actor) -> QuerySet[Organization]:
    """The sellers whose export inquiries ``user`` handles (sales roles, no oversight)."""
    return scope(Organization.objects.all(), user, roles=EXPORT_ROLES, oversight=False, field="pk").order_by("name")


def export_organization_for(*, user: Actor, slug: str) -> Organization:
    """Raises Organization.DoesNotExist, also outside the user's scope."""
    return export_organizations_for(user=user).get(slug=slug.strip())


def inquiries_for(*, user: Actor, status: str = "") -> QuerySet[ExportInquiry]:
    qs = (
        scope(ExportInquiry.objects.all(), user, roles=EXPORT_ROLES, oversight=False)
        .select_related("organization")
        .prefetch_related(
            Prefetch("lines", queryset=ExportInquiryLine.objects.select_related("variant__product__export_profile")),
            _proformas_prefetch(),
        )
    )
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-pk")


def inquiry_get(*, user: Actor, pk: int) -> ExportInquiry:
    """Raises ExportInquiry.DoesNotExist, also outside the user's scope."""
    return inquiries_for(user=user).get(pk=pk)


def proformas_for(*, user: Actor) -> QuerySet[Proforma]:
    """The pro-formas of the sellers ``user`` handles, each with its order, the order's shipment (its sale and
    commercial invoice) when there are, and its lines."""
    return (
        scope(Proforma.objects.all(), user, roles=EXPORT_ROLES, oversight=False)
        .select_related(
            "organization",
            "inquiry",
            "document",
            "packing_list__document",
            "exchange_rate",
            "order__shipment__document",
            "order__shipment__sale",
            "order__shipment__location",
        )
        .prefetch_related(Prefetch("lines", queryset=ProformaLine.objects.select_related("variant")))
        .order_by("-issued_on", "-pk")
    )


def proforma_get(*, user: Actor, number: str) -> Proforma:
    """Raises Proforma.DoesNotExist, also outside the user's scope."""
    return proformas_for(user=user).get(number=number.strip())


def proforma_lines(*, proforma: Proforma) -> list[ProformaLine]:
    return list(proforma.lines.select_related("variant").order_by("pk"))


# Export orders --------------------------------------------------------------------------------------------


def order_of(*, proforma: Proforma) -> ExportOrder | None:
    """The export order the buyer confirmed on ``proforma`` (loaded with it by ``proformas_for``), or None."""
    try:
        order = proforma.order
    except ExportOrder.DoesNotExist:
        return None
    order.proforma, order.organization = proforma, proforma.organization
    return order


def shipment_of(*, order: ExportOrder | None) -> Shipment | None:
    """The order's shipment, or None (not shipped, or no order)."""
    if order is None:
        return None
    try:
        return order.shipment
    except Shipment.DoesNotExist:
        return None


def order_payment_room(*, order: ExportOrder) -> int:
    """The most the order still takes, in rupiah: its total, plus 2% for a T/T in a foreign currency
    (``amounts.payment_ceiling``), less what is received; nothing once it has shipped."""
    if order.status == ExportOrder.Status.SHIPPED:
        return 0
    return max(amounts.payment_ceiling(order.total_idr, order.proforma.currency) - order.paid_idr, 0)


def order_payments(*, order: ExportOrder) -> list[ExportPayment]:
    """The order's payments, oldest first."""
    return list(ExportPayment.objects.filter(order=order).order_by("received_on", "pk"))


def shipment_locations_for(*, user: Actor, organization: Organization) -> QuerySet[Location]:
    """The active stores and showrooms of ``organization`` an export order may ship from, if ``user`` handles
    its exports (else none)."""
    return (
        scope(Location.objects.all(), user, roles=EXPORT_ROLES, oversight=False)
        .filter(organization=organization, is_active=True, kind__in=[Location.Kind.STORE, Location.Kind.SHOWROOM])
        .select_related("organization")
        .order_by("kind", "name", "pk")
    )


def shipment_location_for(*, user: Actor, organization: Organization, code: str) -> Location:
    """One of ``shipment_locations_for`` by its code. Raises Location.DoesNotExist."""
    return shipment_locations_for(user=user, organization=organization).get(code=code.strip())


def exporter_settings_for(*, organization: Organization) -> ExporterSettings:
    """The seller's saved settings, or empty ones (not saved) when it has none yet."""
    return ExporterSettings.objects.filter(organization=organization).first() or ExporterSettings(
        organization=organization
    )


def rates_in_force(*, organization: Organization, on: datetime.date | None = None) -> dict[str, ExchangeRate]:
    """The organization's newest rate of each currency effective on ``on`` (today)."""
    return latest_rates(organization_id=organization.pk, on=on)


def variants_of_seller(*, organization: Organization, skus: Iterable[str]) -> dict[str, Variant]:
    """The seller's active variants by SKU, with product and export data loaded (staff pricing a pro-forma)."""
    return {
        v.sku: v
        for v in Variant.objects.select_related("product", "product__export_profile", "product__category").filter(
            organization=organization, is_active=True, sku__in=sorted({s.strip() for s in skus})
        )
    }


def export_profile_of(variant: Variant) -> ExportProfile | None:
    """The export data loaded with the variant's product (``variants_of_seller``, ``_exportable``), or None."""
    try:
        return variant.product.export_profile
    except ExportProfile.DoesNotExist:
        return None


# The SKA / e-SKA checklist --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    label: str
    help: str
    manual: bool  # staff mark it done with a reference; else Binakarya knows whether it is ready
    ready: bool
    reference: str = ""


# The manual items, in the order the certificate of origin's issuing office (IPSKA) reads them.
MANUAL_ITEMS: dict[str, tuple[StrOrPromise, StrOrPromise]] = {
    "ESKA_ACCOUNT": (
        _("Exporter registered in e-SKA (INATRADE)"),
        _("The seller's account with the trade ministry's e-SKA service."),
    ),
    "PEB": (
        _("PEB (export declaration)"),
        _("Pemberitahuan Ekspor Barang, lodged with customs: its number and date."),
    ),
    "TRANSPORT": (
        _("Bill of lading or airway bill"),
        _("The carrier's B/L (sea) or AWB (air) number."),
    ),
    "ORIGIN": (
        _("Origin criteria (materials and cost structure)"),
        _(
            "Where the materials come from and the local content, for a preferential certificate (Form D, E, AK, IJEPA…)."
        ),
    ),
    "SVLK": (
        _("V-Legal document (SVLK)"),
        _("For goods of wood (HS chapter 44, wooden furniture in chapter 94): the timber legality licence."),
    ),
}


def needs_svlk(hs_codes: Iterable[str], certifications: Iterable[str]) -> bool:
    """Wood products need the V-Legal document: an HS code of chapter 44 or 94, or SVLK among the certifications."""
    return any(code.startswith(WOOD_CHAPTERS) for code in hs_codes) or "SVLK" in set(certifications)


def ska_checklist(*, inquiry: ExportInquiry) -> list[ChecklistItem]:
    """What the certificate of origin (SKA / e-SKA) for this inquiry needs, and what is ready.

    NIB and NPWP are ready when the seller's exporter settings hold them; the invoice and the packing list when
    a pro-forma (and with it the packing list) is issued; the rest when staff mark them done with a reference.
    """
    settings = exporter_settings_for(organization=inquiry.organization)
    order = ExportOrder.objects.select_related("proforma__packing_list").filter(inquiry=inquiry).first()
    proforma = (
        order.proforma
        if order is not None
        else inquiry.proformas.select_related("packing_list").order_by("-issued_on", "-pk").first()
    )
    shipment = shipment_of(order=order)
    marks = {mark.item: mark.reference for mark in ChecklistMark.objects.filter(inquiry=inquiry)}
    profiles = [
        profile
        for line in inquiry.lines.select_related("variant__product__export_profile")
        if (profile := export_profile_of(line.variant)) is not None
    ]
    items = [
        ChecklistItem(
            "NIB",
            str(_("NIB (business identification number)")),
            str(_("From OSS; entered in the export settings.")),
            False,
            bool(settings.nib),
            settings.nib,
        ),
        ChecklistItem(
            "NPWP",
            str(_("NPWP (tax number)")),
            str(_("The seller's tax number; entered in the export settings.")),
            False,
            bool(settings.npwp),
            settings.npwp,
        ),
        ChecklistItem(
            "INVOICE",
            str(_("Invoice")),
            str(_("The pro-forma invoice issued here; the commercial invoice follows it at shipment.")),
            False,
            proforma is not None,
            shipment.invoice_number if shipment else proforma.number if proforma else "",
        ),
        ChecklistItem(
            "PACKING_LIST",
            str(_("Packing list")),
            str(_("Issued with the pro-forma invoice.")),
            False,
            proforma is not None,
            proforma.packing_list.number if proforma else "",
        ),
    ]
    wood = needs_svlk((p.hs_code for p in profiles), (c for p in profiles for c in p.certifications))
    # Once the order ships, the shipment holds the PEB and the B/L or AWB: those items are ready from it.
    shipped = (
        {
            "PEB": f"PEB {shipment.peb_number}",
            "TRANSPORT": f"{shipment.transport_number}, {shipment.vessel}, {shipment.shipped_on.isoformat()}",
        }
        if shipment is not None
        else {}
    )
    for key, (label, help_text) in MANUAL_ITEMS.items():
        if key == "SVLK" and not wood:
            continue
        if key in shipped:
            items.append(ChecklistItem(key, str(label), str(help_text), False, True, shipped[key]))
        else:
            items.append(ChecklistItem(key, str(label), str(help_text), True, key in marks, marks.get(key, "")))
    return items


def manual_item_keys(*, inquiry: ExportInquiry) -> list[str]:
    return [item.key for item in ska_checklist(inquiry=inquiry) if item.manual]
