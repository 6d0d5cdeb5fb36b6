"""The form of a product's e-Katalog listing page. It only parses input; ``catalog.services.listing_save``
validates (KBKI digits, TKDN with its certificate, "Name: value" specification lines, the product's own
photos) and its errors are attached next to the fields they name."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from binakarya.backoffice.fields import PercentField, basis_points, date_field
from binakarya.catalog.models import Photo, ProcurementListing
from binakarya.catalog.services import ListingInput


class ListingForm(forms.Form):
    kbki_code = forms.CharField(
        label=_("KBKI code"),
        max_length=20,
        required=False,
        help_text=_("5 to 10 digits from the KBKI 2015 classification, e.g. 38990."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    pdn_status = forms.ChoiceField(label=_("Domestic product status"), choices=ProcurementListing.Pdn.choices)
    tkdn = PercentField(label=_("TKDN value (%)"), help_text=_("Only with a TKDN certificate, e.g. 42,35."))
    tkdn_certificate_number = forms.CharField(label=_("TKDN certificate number"), max_length=60, required=False)
    tkdn_certificate_date = date_field(label=_("TKDN certificate date"))
    sni_number = forms.CharField(
        label=_("SNI number"),
        max_length=60,
        required=False,
        help_text=_("Where a standard applies, e.g. SNI 8290:2016."),
    )
    trademark = forms.CharField(label=_("Trademark (merek)"), max_length=100, required=False)
    unit = forms.ChoiceField(label=_("Unit of sale"), choices=ProcurementListing.Unit.choices)
    specifications = forms.CharField(
        label=_("Specifications"),
        required=False,
        max_length=4000,
        help_text=_("One per line, name and value: “Bahan: bambu”."),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    photo_ids = forms.TypedMultipleChoiceField(
        label=_("Photos for the listing"),
        coerce=int,
        required=False,
        help_text=_("None chosen: all the product's photos."),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, photos: list[Photo], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["photo_ids"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = [
            (photo.pk, photo.alt_text or _("Photo %(n)s") % {"n": i}) for i, photo in enumerate(photos, start=1)
        ]

    @staticmethod
    def initial_for(listing: ProcurementListing | None) -> dict[str, Any]:
        if listing is None:
            return {"pdn_status": ProcurementListing.Pdn.PDN, "unit": ProcurementListing.Unit.PCS}
        initial = {
            name: getattr(listing, name)
            for name in (
                "kbki_code",
                "pdn_status",
                "tkdn_certificate_number",
                "tkdn_certificate_date",
                "sni_number",
                "trademark",
                "unit",
                "specifications",
                "photo_ids",
            )
        }
        initial["tkdn"] = None if listing.tkdn_bp is None else listing.tkdn_bp / 100
        return initial

    def to_input(self) -> ListingInput:
        data = self.cleaned_data
        return ListingInput(
            kbki_code=data["kbki_code"],
            pdn_status=data["pdn_status"],
            tkdn_bp=None if data["tkdn"] is None else basis_points(data["tkdn"]),
            tkdn_certificate_number=data["tkdn_certificate_number"],
            tkdn_certificate_date=data["tkdn_certificate_date"],
            sni_number=data["sni_number"],
            trademark=data["trademark"],
            unit=data["unit"],
            specifications=data["specifications"],
            photo_ids=list(data["photo_ids"]),
        )
