"""Reads for export buyers (issue 13): export data, English texts with their Indonesian fallback, exchange
rates and indicative foreign prices.

Indicative prices are computed with Decimal from integer rupiah and a Decimal rate, never floats. Rupiah
stays the currency of record; a foreign amount is only ever shown as "≈".
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from binakarya.catalog.models import ExchangeRate, ExportProfile, Producer, Product
from binakarya.catalog.selectors import products_for_staff
from binakarya.core.types import Actor
from binakarya.organizations.models import Organization
from binakarya.organizations.scoping import CATALOG_ROLES, scope
from binakarya.organizations.selectors import organizations_for

SYMBOLS = {"USD": "US$", "EUR": "€", "SGD": "S$", "JPY": "¥"}
# Whole units from this amount on (and always for yen); cents below it.
WHOLE_UNITS_FROM = Decimal(100)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class LocalizedText:
    """A text in the language asked for, or the Indonesian one when no translation exists (``fallback``)."""

    text: str
    fallback: bool


@dataclass(frozen=True)
class IndicativePrice:
    currency: str
    low: Decimal
    high: Decimal
    idr_per_unit: Decimal
    effective_date: datetime.date

    @property
    def text(self) -> str:
        """E.g. "US$9.50" or "US$9.50–12.00"."""
        low = foreign_amount_format(self.low, self.currency)
        if self.high == self.low:
            return low
        return f"{low}–{foreign_amount_format(self.high, self.currency).removeprefix(SYMBOLS[self.currency])}"


def localized(obj: Product | Producer, name: str, language: str) -> LocalizedText:
    """``obj.<name>_en`` in English when it is filled in, else ``obj.<name>`` (marked as a fallback in English)."""
    original = getattr(obj, name) or ""
    if language != "en":
        return LocalizedText(original, fallback=False)
    english = getattr(obj, f"{name}_en", "") or ""
    if english:
        return LocalizedText(english, fallback=False)
    return LocalizedText(original, fallback=bool(original))


def foreign_amount(price_idr: int, idr_per_unit: Decimal, currency: str) -> Decimal:
    """``price_idr`` in ``currency``, rounded half up: yen and amounts from 100 on to whole units, the rest to cents."""
    amount = Decimal(int(price_idr)) / Decimal(idr_per_unit)
    if currency == ExchangeRate.Currency.JPY or amount >= WHOLE_UNITS_FROM:
        return amount.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def foreign_amount_format(amount: Decimal, currency: str) -> str:
    """US$9.50, US$1,250, ¥1,050: the symbol and the amount with English digit grouping."""
    whole = currency == ExchangeRate.Currency.JPY or amount >= WHOLE_UNITS_FROM
    digits = f"{amount:,.0f}" if whole else f"{amount:,.2f}"
    return f"{SYMBOLS.get(currency, currency + ' ')}{digits}"


def latest_rates(*, organization_id: int, on: datetime.date | None = None) -> dict[str, ExchangeRate]:
    """The newest rate of each currency effective on ``on`` (today), by currency (one query)."""
    day = on or timezone.localdate()
    newest = (
        ExchangeRate.objects.filter(
            organization_id=organization_id, currency=OuterRef("currency"), effective_date__lte=day
        )
        .order_by("-effective_date", "-id")
        .values("pk")[:1]
    )
    rows = ExchangeRate.objects.filter(organization_id=organization_id, effective_date__lte=day).filter(
        pk=Subquery(newest)
    )
    return {row.currency: row for row in rows}


def indicative_prices(
    *, product: Product, currencies: tuple[str, ...] | None = None, on: datetime.date | None = None
) -> list[IndicativePrice]:
    """The product's price range in each currency that has a rate (USD first); [] without a rate."""
    if not product.price_min_idr:
        return []
    rates = latest_rates(organization_id=product.organization_id, on=on)
    wanted = currencies or tuple(ExchangeRate.Currency.values)
    prices = []
    for currency in ExchangeRate.Currency.values:
        rate = rates.get(currency)
        if rate is None or currency not in wanted:
            continue
        low = foreign_amount(product.price_min_idr, rate.idr_per_unit, currency)
        high = foreign_amount(product.price_max_idr or product.price_min_idr, rate.idr_per_unit, currency)
        prices.append(IndicativePrice(currency, low, high, rate.idr_per_unit, rate.effective_date))
    return prices


def export_profile_for(*, product: Product) -> ExportProfile | None:
    """The export data of a product the caller already holds (through a scoped selector), or None."""
    return ExportProfile.objects.filter(product=product).first()


def exchange_rates_for_staff(*, user: Actor, organization_slug: str = "") -> QuerySet[ExchangeRate]:
    """Rates of the organizations whose catalog the user manages (one of them by slug), newest first."""
    qs = scope(ExchangeRate.objects.all(), user, roles=CATALOG_ROLES, oversight=False)
    if organization_slug:
        qs = qs.filter(organization__slug=organization_slug)
    return qs.select_related("organization", "entered_by").order_by("-effective_date", "-id")


def rate_organization_for(*, user: Actor, slug: str = "") -> Organization | None:
    """The organization whose rates ``user`` enters: the one of ``slug``, or their only one. None when the
    slug is unknown or foreign, or when no slug is given and the user manages several (or none)."""
    organizations = organizations_for(user=user, roles=CATALOG_ROLES, oversight=False)
    if slug:
        return organizations.filter(slug=slug).first()
    only = list(organizations[:2])
    return only[0] if len(only) == 1 else None


def export_profile_loaded(*, product: Product) -> ExportProfile | None:
    """The export data loaded along with the product (``product_get_public`` joins it), or None."""
    try:
        return product.export_profile
    except ExportProfile.DoesNotExist:
        return None


def certification_labels(profile: ExportProfile) -> list[str]:
    """The chosen certifications' names, then the free text."""
    names = dict(ExportProfile.Certification.choices)
    labels = [str(names[c]) for c in profile.certifications if c in names]
    return [*labels, profile.certifications_other] if profile.certifications_other else labels


def display_currencies(*, language: str, chosen: str = "") -> tuple[str, ...]:
    """Which indicative prices a public page shows: the one asked for (``?currency=USD``), every currency with
    a rate on English pages, none on Indonesian pages unless one is asked for."""
    code = (chosen or "").strip().upper()
    if code in ExchangeRate.Currency.values:
        return (code,)
    return tuple(ExchangeRate.Currency.values) if language == "en" else ()


def product_for_staff_by_slug(*, user: Actor, slug: str) -> Product:
    """A product whose catalog ``user`` manages, by slug. Raises Product.DoesNotExist (another organization's too)."""
    return products_for_staff(user=user).get(slug=slug)
