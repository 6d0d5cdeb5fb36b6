"""The form of the outlet sales import page: one CSV file (the domain reads and checks it)."""

from django import forms
from django.utils.translation import gettext_lazy as _


class SalesImportForm(forms.Form):
    file = forms.FileField(
        label=_("The till's CSV file"),
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv,text/plain"}),
        help_text=_(
            "Columns tanggal, sku, jumlah and optionally harga and kode_lot; comma or semicolon; at most 5 MB."
        ),
        error_messages={"required": _("Choose the CSV file to import."), "empty": _("The file is empty.")},
    )
