"""Forms of the pages at the outlet's shelf: a row per SKU and lot on the shelf (with its book quantity), and
the few fields each page adds (a return's kind, destination and reason; the damage's note; the count's note)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from binakarya.backoffice.fields import MAX_INT, number_field
from binakarya.consignment.selectors import OutletStockRow
from binakarya.inventory.models import Location


class ShelfRowsForm(forms.Form):
    """A number per row of the shelf: units to take (return, damage) or units counted (count). A row left
    empty is not part of it."""

    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args: Any, rows: list[OutletStockRow], counting: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.shelf_rows: list[tuple[OutletStockRow, str]] = []
        for index, row in enumerate(rows):
            name = f"baris_{index}"
            self.fields[name] = number_field(label=f"{row.sku} {row.lot}", min_value=0 if counting else 1)
            if counting:
                self.fields[name].widget.attrs["placeholder"] = str(row.quantity)
            self.shelf_rows.append((row, name))
        self.order_fields([name for _row, name in self.shelf_rows] + ["note"])

    def clean(self) -> dict[str, Any] | None:
        data = super().clean()
        if not self.errors and not self.filled():
            raise forms.ValidationError(_("Enter a number for at least one row."))
        return data

    def filled(self) -> list[tuple[OutletStockRow, int]]:
        return [
            (row, self.cleaned_data[name]) for row, name in self.shelf_rows if self.cleaned_data.get(name) is not None
        ]

    def rows(self) -> list[tuple[OutletStockRow, forms.BoundField]]:
        return [(row, self[name]) for row, name in self.shelf_rows]


class ReturnForm(ShelfRowsForm):
    KINDS = [
        ("RECALL", _("Recall (the seller takes goods back)")),
        ("RETURN", _("Return (the outlet hands goods back)")),
    ]

    kind = forms.ChoiceField(label=_("Kind"), choices=KINDS, initial="RECALL")
    to_location = forms.ChoiceField(label=_("Bring back to"), required=False, choices=[])

    def __init__(self, *args: Any, locations: list[Location], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._locations = {loc.code: loc for loc in locations}
        field = self.fields["to_location"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("The seller's store"))] + [(loc.code, loc.name) for loc in locations]
        self.fields["note"].label = _("Reason")
        self.order_fields(["kind", "to_location", *[name for _row, name in self.shelf_rows], "note"])

    def location(self) -> Location | None:
        return self._locations.get(self.cleaned_data.get("to_location") or "")


class RecallForm(forms.Form):
    """The one-tap recall of a slow seller: all its units on the shelf."""

    sku = forms.CharField(max_length=64)
    quantity = number_field(label=_("Units"), required=True, min_value=1, max_value=MAX_INT)
