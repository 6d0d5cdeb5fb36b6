"""Forms of the point of sale pages: open a session, add an item to the cart, pay, close the session.

They only parse input; ``pos.services`` validates and its errors go back next to the field they name.
"""

from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from binakarya.backoffice.fields import LocationChoiceField, number_field, rupiah_field
from binakarya.inventory.models import Location
from binakarya.pos.models import PaymentMethod

MAX_CODE_LENGTH = 40


class SessionOpenForm(forms.Form):
    location = LocationChoiceField(label=_("Sell from"), queryset=None, empty_label=None)
    opening_cash_idr = rupiah_field(
        label=_("Opening cash (Rp)"), required=True, help_text=_("The cash in the drawer before the first sale.")
    )

    def __init__(self, *args: Any, locations: QuerySet[Location], many_orgs: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(LocationChoiceField, self.fields["location"])
        field.queryset = locations
        field.with_organization = many_orgs


class AddItemForm(forms.Form):
    code = forms.CharField(
        label=_("Lot code or SKU"),
        max_length=MAX_CODE_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "autofocus": True}),
        help_text=_("Scan the QR on the hang tag, or type the lot code printed on it."),
    )
    quantity = number_field(label=_("Quantity"), required=False, min_value=1, max_value=1000, initial=1)


class PayForm(forms.Form):
    payment_method = forms.ChoiceField(
        label=_("Payment"), choices=PaymentMethod.choices, initial=PaymentMethod.CASH, widget=forms.RadioSelect
    )
    cash_received_idr = rupiah_field(label=_("Cash received (Rp)"), required=False)

    def cash_received(self) -> int | None:
        if self.cleaned_data["payment_method"] != PaymentMethod.CASH:
            return None
        value = self.cleaned_data.get("cash_received_idr")
        return int(value) if value is not None else None


class SessionCloseForm(forms.Form):
    counted_cash_idr = rupiah_field(
        label=_("Cash counted (Rp)"),
        required=True,
        help_text=_("All the cash in the drawer, the opening cash included."),
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
