"""Forms of the outlet partner's pages: they parse what the partner types; the consignment services decide.

The shelf the forms are built from (``outlet_stock_for`` rows) is read again on every request, so a
quantity is always checked against what the outlet holds now; the services check it once more.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from binakarya.backoffice.fields import MAX_INT, date_field, number_field
from binakarya.consignment.selectors import OutletStockRow, ReceiptLine


def sold_date_field() -> forms.DateField:
    return date_field(label=_("Day sold"), required=True, initial=timezone.localdate)


def _too_many(on_shelf: int) -> str:
    return str(_("More than on the shelf: only %(n)s there.") % {"n": on_shelf})


class PartnerReceiveForm(forms.Form):
    """What arrived, per line of the placement (what was sent, unless the partner types less)."""

    def __init__(self, *args: Any, lines: list[ReceiptLine], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.line_fields: list[tuple[ReceiptLine, str]] = []
        for line in lines:
            name = f"line_{line.line_id}"
            self.fields[name] = number_field(
                label=_("Received"), required=True, min_value=0, max_value=line.sent, initial=line.sent
            )
            self.line_fields.append((line, name))

    def received(self) -> dict[int, int]:
        return {line.line_id: self.cleaned_data[name] for line, name in self.line_fields}

    def line_rows(self) -> list[tuple[ReceiptLine, forms.BoundField]]:
        return [(line, self[name]) for line, name in self.line_fields]


class PartnerSaleForm(forms.Form):
    """Units sold per lot on the shelf (tap the item, type how many), on one day."""

    sold_date = sold_date_field()

    def __init__(self, *args: Any, rows: list[OutletStockRow], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.row_fields: list[tuple[OutletStockRow, str]] = []
        for row in rows:
            name = f"lot_{row.lot}"
            self.fields[name] = number_field(label=_("Sold"), min_value=0, max_value=MAX_INT)
            self.row_fields.append((row, name))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen = 0
        for row, name in self.row_fields:
            quantity = data.get(name) or 0
            if quantity > row.quantity:
                self.add_error(name, _too_many(row.quantity))
            chosen += quantity
        if not self.errors and not chosen:
            raise forms.ValidationError(_("Type how many were sold of at least one item."))
        return data

    def sold(self) -> list[tuple[OutletStockRow, int]]:
        return [(row, self.cleaned_data[name]) for row, name in self.row_fields if self.cleaned_data.get(name)]

    def row_rows(self) -> list[tuple[OutletStockRow, forms.BoundField]]:
        return [(row, self[name]) for row, name in self.row_fields]


class PartnerScanForm(forms.Form):
    """A hang tag's lot code (scanned with the camera or typed) and how many of it were sold."""

    code = forms.CharField(
        label=_("Code on the tag"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    quantity = number_field(label=_("Quantity"), required=True, min_value=1, initial=1)
    sold_date = sold_date_field()


@dataclass(frozen=True)
class ShelfProduct:
    """One product on the shelf, its lots added up: what the partner counts."""

    sku: str
    product: str
    on_shelf: int
    unit_price_idr: int


def shelf_products(rows: list[OutletStockRow]) -> list[ShelfProduct]:
    totals: dict[str, ShelfProduct] = {}
    for row in rows:
        seen = totals.get(row.sku)
        totals[row.sku] = ShelfProduct(
            sku=row.sku,
            product=row.product,
            on_shelf=row.quantity + (seen.on_shelf if seen else 0),
            unit_price_idr=row.unit_price_idr,
        )
    return sorted(totals.values(), key=lambda p: p.sku)


class PartnerCountForm(forms.Form):
    """The units left on the shelf per product at the end of a day or a week; sold = on the shelf − counted.

    ``expect_<SKU>`` (hidden, set when the sales are shown for confirming) is the shelf the partner saw: if a
    sale was recorded meanwhile, the counts are shown again rather than recorded against another shelf.
    """

    sold_date = sold_date_field()

    def __init__(self, *args: Any, products: list[ShelfProduct], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.product_fields: list[tuple[ShelfProduct, str]] = []
        for product in products:
            name = f"count_{product.sku}"
            self.fields[name] = number_field(
                label=_("Left on the shelf"),
                required=True,
                min_value=0,
                error_messages={"required": _("Type the count left on the shelf (0 if none).")},
            )
            self.fields[f"expect_{product.sku}"] = forms.IntegerField(required=False, widget=forms.HiddenInput)
            self.product_fields.append((product, name))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for product, name in self.product_fields:
            counted = data.get(name)
            if counted is not None and counted > product.on_shelf:
                self.add_error(
                    name,
                    _("More than we placed: %(n)s are on the shelf. Count again.") % {"n": product.on_shelf},
                )
        return data

    def shelf_changed(self) -> bool:
        """Whether the shelf differs from the one the partner confirmed (when they confirmed one)."""
        for product, _name in self.product_fields:
            expected = self.cleaned_data.get(f"expect_{product.sku}")
            if expected is not None and expected != product.on_shelf:
                return True
        return False

    def sales(self) -> list[tuple[ShelfProduct, int]]:
        """Per product: the units sold (on the shelf − counted), the products with none left out."""
        return [
            (product, product.on_shelf - self.cleaned_data[name])
            for product, name in self.product_fields
            if product.on_shelf - self.cleaned_data[name] > 0
        ]

    def product_rows(self) -> list[tuple[ShelfProduct, forms.BoundField]]:
        return [(product, self[name]) for product, name in self.product_fields]


def sold_on(form: forms.Form) -> datetime.date:
    value: datetime.date = form.cleaned_data["sold_date"]
    return value


REASON_MAX = 200


class PartnerReturnForm(forms.Form):
    """Goods the outlet hands back: the units per lot on the shelf and why (the seller confirms arrival)."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX,
        help_text=_("For example: rusak ringan, tidak laku."),
        error_messages={"required": _("Say why the goods go back (for example: rusak ringan, tidak laku).")},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args: Any, rows: list[OutletStockRow], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.row_fields: list[tuple[OutletStockRow, str]] = []
        for row in rows:
            name = f"lot_{row.lot}"
            self.fields[name] = number_field(label=_("Hand back"), min_value=0, max_value=MAX_INT)
            self.row_fields.append((row, name))
        # The reason below the rows: the partner picks the goods first, then says why.
        self.order_fields([name for _row, name in self.row_fields] + ["reason"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen = 0
        for row, name in self.row_fields:
            quantity = data.get(name) or 0
            if quantity > row.quantity:
                self.add_error(name, _too_many(row.quantity))
            chosen += quantity
        if not any(name in self.errors for _row, name in self.row_fields) and not chosen:
            raise forms.ValidationError(_("Type how many to hand back of at least one item."))
        return data

    def chosen(self) -> list[tuple[OutletStockRow, int]]:
        return [(row, self.cleaned_data[name]) for row, name in self.row_fields if self.cleaned_data.get(name)]

    def row_rows(self) -> list[tuple[OutletStockRow, forms.BoundField]]:
        return [(row, self[name]) for row, name in self.row_fields]
