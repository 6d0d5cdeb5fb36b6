from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from binakarya.catalog.selectors import MAX_PAGE, CatalogQuery

MAX_PRICE_IDR = 10_000_000_000


class CatalogFilterForm(forms.Form):
    """The catalog's query string, with Indonesian parameter names."""

    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    kategori = forms.SlugField(label=_("Category"), required=False)
    pembuat = forms.SlugField(label=_("Producer"), required=False, max_length=120)
    wilayah = forms.CharField(label=_("Region"), required=False, max_length=100)
    harga_min = forms.IntegerField(label=_("Min. price (Rp)"), required=False, min_value=0, max_value=MAX_PRICE_IDR)
    harga_max = forms.IntegerField(label=_("Max. price (Rp)"), required=False, min_value=0, max_value=MAX_PRICE_IDR)
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
