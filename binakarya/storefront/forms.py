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


# Buying --------------------------------------------------------------------------------------------------

CART_MAX_QUANTITY = 1_000


class CartAddForm(forms.Form):
    """ "Tambah ke keranjang": one SKU and a number of units."""

    sku = forms.CharField(label=_("Choice"), max_length=40)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=CART_MAX_QUANTITY)


class CartUpdateForm(forms.Form):
    """A cart line set to a number of units; 0 (or the remove button) takes it out."""

    sku = forms.CharField(max_length=40)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=0, max_value=CART_MAX_QUANTITY, required=False)
    # The − and + buttons: the units the line goes to.
    to = forms.IntegerField(min_value=0, max_value=CART_MAX_QUANTITY, required=False)
    remove = forms.BooleanField(required=False)


class CheckoutForm(forms.Form):
    """Who buys and how the goods reach them. The orders service checks and normalises the values (the
    phone to +62…); this form only reads them, so that its messages and the service's stay one."""

    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=100)
    name = forms.CharField(label=_("Your name"), max_length=120, required=False)
    phone = forms.CharField(
        label=_("Phone (WhatsApp)"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.CharField(
        label=_("Email (optional)"),
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    fulfillment = forms.ChoiceField(
        label=_("How do you want to receive the goods?"),
        choices=[
            ("PICKUP", _("Pick up at the facility or showroom")),
            ("DELIVERY", _("Delivery to my address")),
        ],
        widget=forms.RadioSelect,
        initial="DELIVERY",
        error_messages={"required": _("Choose pickup or delivery."), "invalid_choice": _("Choose pickup or delivery.")},
    )
    province = forms.CharField(label=_("Province"), max_length=100, required=False)
    regency = forms.CharField(label=_("Regency or city"), max_length=100, required=False)
    district = forms.CharField(label=_("District (kecamatan)"), max_length=100, required=False)
    address = forms.CharField(
        label=_("Full address"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    postal_code = forms.CharField(
        label=_("Postal code"), max_length=10, required=False, widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )
    note = forms.CharField(
        label=_("Note for the seller (optional)"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    ADDRESS_FIELDS = ("province", "regency", "district", "address", "postal_code")

    def payload(self, lines: dict[str, int]) -> dict[str, Any]:
        """What the request asks for, for its idempotency hash: the lines, the buyer, the fulfillment and address."""
        data = self.cleaned_data
        delivery = data["fulfillment"] == "DELIVERY"
        return {
            "lines": sorted(lines.items()),
            "buyer": [" ".join(data["name"].split()), data["phone"].strip(), data["email"].strip()],
            "fulfillment": data["fulfillment"],
            "address": [data[name].strip() for name in self.ADDRESS_FIELDS] if delivery else [],
            "note": data["note"].strip(),
        }


class ProofForm(forms.Form):
    """The buyer's proof of payment: the method, the amount sent, and a photo or PDF of the receipt."""

    method = forms.ChoiceField(
        label=_("Paid by"),
        choices=[("TRANSFER", _("Bank transfer")), ("QRIS", _("QRIS"))],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose bank transfer or QRIS."),
            "invalid_choice": _("Choose bank transfer or QRIS."),
        },
    )
    amount_idr = RupiahField(
        label=_("Amount sent"), min_value=1, error_messages={"required": _("Enter the amount you paid.")}
    )
    proof = forms.FileField(
        label=_("Photo or PDF of the receipt"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,application/pdf"}),
        error_messages={"required": _("Choose the photo or PDF of your receipt."), "empty": _("The file is empty.")},
    )


# Requests for quotation (deals) ---------------------------------------------------------------------------

RFQ_MAX_ROWS = 30


class RfqForm(forms.Form):
    """A request for quotation: the seller (when no SKU names it), who asks, what, how many, by when and
    where. Only parses; deals.services.rfq_submit checks and normalises (the phone to +62…)."""

    seller = forms.TypedChoiceField(label=_("Seller to ask"), required=False, coerce=int, empty_value=None)
    agency = forms.CharField(label=_("Agency or company"), max_length=200, required=False)
    name = forms.CharField(label=_("Contact name"), max_length=120, required=False)
    phone = forms.CharField(
        label=_("Phone (WhatsApp)"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.CharField(
        label=_("Email (optional)"),
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    needed_by = forms.DateField(
        label=_("Needed by (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter a date, e.g. 2026-12-31.")},
    )
    delivery_place = forms.CharField(label=_("Delivery place"), max_length=300, required=False)
    note = forms.CharField(
        label=_("Note (optional)"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    size_list = forms.FileField(
        label=_("Size list (XLSX, optional)"),
        required=False,
        widget=forms.FileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
        help_text=_(
            "For a uniform order: the template of the garment filled in, one row per person. The garment's "
            "quantity may be left empty: the list's pieces per size become the items."
        ),
        error_messages={"empty": _("The file is empty.")},
    )
    rows = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, sellers: list[tuple[int, str]], rows: int = 3, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        seller = cast(forms.TypedChoiceField, self.fields["seller"])
        seller.choices = [("", _("The seller of the products named by SKU")), *sellers]
        self.row_count = max(1, min(rows, RFQ_MAX_ROWS))
        self.initial.setdefault("rows", self.row_count)
        for i in range(self.row_count):
            self.fields[f"sku_{i}"] = forms.CharField(label=_("SKU (optional)"), max_length=40, required=False)
            self.fields[f"description_{i}"] = forms.CharField(
                label=_("Item (or describe it)"), max_length=300, required=False
            )
            self.fields[f"quantity_{i}"] = forms.IntegerField(
                label=_("Quantity"),
                required=False,
                min_value=0,
                max_value=1_000_000,
                widget=forms.TextInput(attrs={"inputmode": "numeric"}),
                error_messages={"invalid": _("Enter a whole number.")},
            )

    def line_rows(self) -> list[dict[str, Any]]:
        return [
            {"sku": self[f"sku_{i}"], "description": self[f"description_{i}"], "quantity": self[f"quantity_{i}"]}
            for i in range(self.row_count)
        ]

    def typed_skus(self) -> list[str]:
        """The SKUs as typed (before checking), or as given on the page's address: for the template links."""
        source = self.data if self.is_bound else self.initial
        return [str(source.get(f"sku_{i}") or "").strip()[:40] for i in range(self.row_count)]

    def typed_seller(self) -> int | None:
        """The seller chosen (before checking), for its garments' template links."""
        raw = str(self.data.get("seller") or "") if self.is_bound else ""
        return int(raw) if raw.isdigit() and len(raw) < 12 else None

    def lines(self) -> list[tuple[str, str, int]]:
        """(SKU, description, quantity) of each filled row."""
        data = self.cleaned_data
        found = []
        for i in range(self.row_count):
            sku = (data.get(f"sku_{i}") or "").strip()
            description = (data.get(f"description_{i}") or "").strip()
            quantity = data.get(f"quantity_{i}")
            if sku or description or quantity:
                found.append((sku, description, quantity or 0))
        return found
