"""Forms of a deal's pages: accepting a quotation with the buyer's PO, a delivery, the BAST, the invoice, a
payment, cancelling. They only parse; deals.services checks and says what is wrong."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from binakarya.backoffice.fields import date_field, number_field, rupiah_field
from binakarya.deals.models import ContractChannel, DealLine, DealPayment, ProcurementPlatform


class AcceptForm(forms.Form):
    po_number = forms.CharField(
        label=_("Purchase order number"),
        max_length=80,
        required=False,
        help_text=_("The buyer's surat pesanan or SPK."),
    )
    po_date = date_field(label=_("Purchase order date"), required=True)
    channel = forms.ChoiceField(label=_("How it was bought"), choices=ContractChannel.choices)
    platform = forms.ChoiceField(
        label=_("E-purchasing platform"),
        choices=ProcurementPlatform.choices,
        required=False,
        help_text=_("For a surat pesanan from e-Katalog, Bela Pengadaan or another online shop."),
    )
    needed_by = date_field(label=_("Needed by"), help_text=_("Empty: as in the request."))


class _LinesForm(forms.Form):
    """One quantity field per deal line (``line_<pk>``), offered up to ``limit(line)`` units."""

    def __init__(self, *args: Any, lines: list[DealLine], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.deal_lines = lines
        for line in lines:
            left = self.limit(line)
            self.fields[f"line_{line.pk}"] = number_field(label=line.description, max_value=1_000_000)
            self.initial.setdefault(f"line_{line.pk}", left or None)

    def limit(self, line: DealLine) -> int:
        raise NotImplementedError

    def line_rows(self) -> list[dict[str, Any]]:
        return [{"line": line, "field": self[f"line_{line.pk}"], "left": self.limit(line)} for line in self.deal_lines]

    def quantities(self) -> list[tuple[str, int]]:
        """(SKU, units) of each line given a number of units."""
        found = []
        for line in self.deal_lines:
            units = self.cleaned_data.get(f"line_{line.pk}")
            if units:
                found.append((line.variant.sku, units))
        return found


class DeliveryForm(_LinesForm):
    from_location: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Leaves from"), queryset=None, empty_label=None
    )
    delivered_on = date_field(label=_("Date"), required=True)
    vehicle = forms.CharField(label=_("Vehicle (plate number)"), max_length=60, required=False)
    driver = forms.CharField(label=_("Driver or courier"), max_length=120, required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args: Any, locations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["from_location"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = locations

    def limit(self, line: DealLine) -> int:
        return line.quantity - line.delivered


class HandoverForm(_LinesForm):
    handed_over_on = date_field(label=_("Date of handover"), required=True)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    seller_name = forms.CharField(label=_("Handed over by (name)"), max_length=120, required=False)
    seller_position = forms.CharField(label=_("Position"), max_length=120, required=False)
    buyer_name = forms.CharField(label=_("Received by (name)"), max_length=120, required=False)
    buyer_position = forms.CharField(
        label=_("Position"), max_length=120, required=False, help_text=_("Usually the PPK.")
    )
    buyer_id = forms.CharField(label=_("NIP"), max_length=40, required=False)
    inspector_name = forms.CharField(label=_("Inspected by (name, optional)"), max_length=120, required=False)
    inspector_position = forms.CharField(label=_("Position"), max_length=120, required=False)
    note = forms.CharField(
        label=_("Inspection result"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def limit(self, line: DealLine) -> int:
        return line.delivered - line.handed_over

    def signatories(self) -> list[tuple[str, str, str, str]]:
        data = self.cleaned_data
        people = [
            ("SELLER", data["seller_name"], data["seller_position"], ""),
            ("BUYER", data["buyer_name"], data["buyer_position"], data["buyer_id"]),
        ]
        if data["inspector_name"] or data["inspector_position"]:
            people.append(("BUYER", data["inspector_name"], data["inspector_position"], ""))
        return people


class InvoiceForm(forms.Form):
    issued_on = date_field(label=_("Date"), required=True)
    due_days = number_field(label=_("Due after (days)"), max_value=365)


class PaymentForm(forms.Form):
    amount = rupiah_field(label=_("Amount"), required=True)
    paid_on = date_field(label=_("Paid on"), required=True)
    method = forms.ChoiceField(label=_("Method"), choices=DealPayment.Method.choices)
    reference = forms.CharField(
        label=_("Reference"), max_length=120, required=False, help_text=_("For example the SP2D number.")
    )


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Why is the deal cancelled?"), max_length=300, required=False)
