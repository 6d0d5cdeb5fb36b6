from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from binakarya.catalog.models import Variant
from binakarya.catalog.selectors import MAX_PAGE, CatalogQuery
from binakarya.core.fields import RupiahField


class CatalogFilterForm(forms.Form):
    """The catalog's query string, with Indonesian parameter names."""

    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    kategori = forms.SlugField(label=_("Category"), required=False)
    pembuat = forms.SlugField(label=_("Producer"), required=False, max_length=120)
    wilayah = forms.CharField(label=_("Region"), required=False, max_length=100)
    # Typed the Indonesian way, as on the staff pages: 100.000, Rp100.000 or 100000.
    harga_min = RupiahField(label=_("Min. price (Rp)"), required=False)
    harga_max = RupiahField(label=_("Max. price (Rp)"), required=False)
    halaman = forms.IntegerField(label=_("Page"), required=False, min_value=1, max_value=MAX_PAGE)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        low, high = data.get("harga_min"), data.get("harga_max")
        if low is not None and high is not None and low > high:
            self.add_error("harga_max", _("The maximum price must not be below the minimum price."))
        return data

    def to_query(self) -> CatalogQuery:
        data = self.cleaned_data
        return CatalogQuery(
            q=(data.get("q") or "").strip(),
            category=data.get("kategori") or "",
            producer=data.get("pembuat") or "",
            region=(data.get("wilayah") or "").strip(),
            price_min=data.get("harga_min"),
            price_max=data.get("harga_max"),
        )

    @property
    def page(self) -> int:
        return (self.cleaned_data.get("halaman") if self.is_valid() else None) or 1


MAX_ORDER_QUANTITY = 9_999


class OrderForm(forms.Form):
    """What a buyer orders over WhatsApp: one of the product's active variants and a quantity."""

    varian = forms.TypedChoiceField(label=_("Choice"), coerce=int)
    jumlah = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=MAX_ORDER_QUANTITY)

    def __init__(self, *args: Any, variants: list[Variant], moq: int = 1, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.variants = {variant.pk: variant for variant in variants}
        self.moq = moq
        choice = cast(forms.TypedChoiceField, self.fields["varian"])
        choice.choices = [(variant.pk, variant_label(variant)) for variant in variants]
        self.fields["jumlah"].initial = moq

    def clean_jumlah(self) -> int:
        quantity: int = self.cleaned_data["jumlah"]
        if quantity < self.moq:
            raise forms.ValidationError(_("Order at least %(moq)s.") % {"moq": self.moq}, code="moq")
        return quantity

    @property
    def variant(self) -> Variant:
        return self.variants[self.cleaned_data["varian"]]


def variant_label(variant: Variant) -> str:
    """How a buyer and the seller tell a variant apart: its name and SKU, or the SKU alone."""
    return f"{variant.name} ({variant.sku})" if variant.name else variant.sku
