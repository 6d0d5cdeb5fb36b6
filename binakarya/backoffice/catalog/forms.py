"""Forms of the catalog pages: a product with its first variant, a product's descriptive fields, variants,
photos, and producers' public profiles.

Like every back office form they only parse input into service keyword arguments; ``catalog.services``
validates (SKU format, price above zero, phone numbers…), and its errors are attached with
``add_service_errors`` next to the field they name.
"""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from binakarya.backoffice.fields import (
    MAX_PRICE_IDR,
    OrganizationChoiceField,
    model_choice_field,
    number_field,
    offer_organizations,
    phone_field,
    rupiah_field,
)
from binakarya.catalog.models import Producer
from binakarya.catalog.selectors import categories
from binakarya.catalog.services import VariantInput
from binakarya.organizations.models import Organization

# Photos chosen on the new product form at most; more are added on the product's page.
MAX_CREATE_PHOTOS = 5
# The longest side, in pixels, that photo-upload.js shrinks a photo to before sending it.
SHRINK_LONGEST_SIDE = 1600


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Any number of files (a list, maybe empty). ``catalog.images`` decides which are photos."""

    def __init__(self, *, max_files: int, **kwargs: Any) -> None:
        self.max_files = max_files
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if len(files) > self.max_files:
            raise forms.ValidationError(
                _("Choose at most %(n)s photos here; add more on the product's page after saving."),
                code="too_many_files",
                params={"n": self.max_files},
            )
        return [super(PhotosField, self).clean(f, initial) for f in files]


class ProducerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Producer) -> str:
        return f"{obj.name} · {obj.organization.name}" if obj.name != obj.organization.name else obj.name


class VariantFieldsMixin(forms.Form):
    sku = forms.CharField(
        label=_("SKU"),
        max_length=40,
        help_text=_("Capital letters, digits and dashes, e.g. SMP-BTK-001."),
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"}),
    )
    price_idr = rupiah_field(label=_("Price (Rp)"), required=True, max_value=MAX_PRICE_IDR)
    weight_grams = number_field(label=_("Weight (g)"), initial=0)
    length_mm = number_field(label=_("Length (mm)"), initial=0)
    width_mm = number_field(label=_("Width (mm)"), initial=0)
    height_mm = number_field(label=_("Height (mm)"), initial=0)

    def variant_input(self, *, name: str, is_active: bool = True) -> VariantInput:
        data = self.cleaned_data
        return VariantInput(
            sku=data["sku"],
            price_idr=data["price_idr"],
            name=name,
            weight_grams=data.get("weight_grams") or 0,
            length_mm=data.get("length_mm") or 0,
            width_mm=data.get("width_mm") or 0,
            height_mm=data.get("height_mm") or 0,
            is_active=is_active,
        )


class ProductFieldsMixin(forms.Form):
    name = forms.CharField(label=_("Product name"), max_length=200)
    category = forms.ModelChoiceField(label=_("Category"), queryset=categories())
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    materials = forms.CharField(label=_("Materials"), max_length=300, required=False)
    technique = forms.CharField(label=_("Technique"), max_length=200, required=False)
    made_to_order = forms.BooleanField(label=_("Made to order"), required=False)
    lead_time_days = number_field(label=_("Lead time (days)"), initial=0, max_value=3650)
    moq = number_field(label=_("Minimum order quantity"), required=True, initial=1, min_value=None, max_value=1_000_000)
    deposit_percent = number_field(
        label=_("Down payment for made-to-order (%)"),
        required=False,
        initial=50,
        min_value=1,
        max_value=100,
        help_text=_("Buyers of a made-to-order product pay this share of its price first; the rest before handover."),
    )
    is_published = forms.BooleanField(label=_("Show in the public catalog"), required=False, initial=True)

    def clean_deposit_percent(self) -> int:
        """Left empty: as it was (50 for a new product)."""
        value = self.cleaned_data.get("deposit_percent")
        return value if value is not None else int(self.initial.get("deposit_percent") or 50)


class ProductCreateForm(ProductFieldsMixin, VariantFieldsMixin):
    """A product, its first variant and its first photos. The SKU may stay empty: the service makes one."""

    photos = PhotosField(
        label=_("Photos"),
        max_files=MAX_CREATE_PHOTOS,
        widget=MultipleFileInput(attrs={"accept": "image/*", "data-shrink": SHRINK_LONGEST_SIDE}),
        help_text=_(
            "Take or choose up to 5 photos: JPEG, PNG, WebP or GIF. The first is the cover. "
            "Buyers see the product once it has a photo."
        ),
    )
    producer = ProducerChoiceField(label=_("Producer"), queryset=None, empty_label=None)
    variant_name = forms.CharField(
        label=_("Variant"), max_length=120, required=False, help_text=_("E.g. size or colour. May stay empty.")
    )

    product_fields = (
        "description",
        "materials",
        "technique",
        "made_to_order",
        "lead_time_days",
        "deposit_percent",
        "moq",
        "is_published",
    )
    variant_fields = (
        "sku",
        "variant_name",
        "price_idr",
        "weight_grams",
        "length_mm",
        "width_mm",
        "height_mm",
    )
    # A phone shows the name and the photos on the first screen, as sellers' apps do.
    field_order = ["name", "photos", "category", "producer", *product_fields, *variant_fields]

    def __init__(self, *args: Any, producers: QuerySet[Producer], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "producer").queryset = producers
        sku = self.fields["sku"]
        sku.required = False
        sku.help_text = _(
            "Leave empty to get one such as SMP-BTK-004, or type your own: capital letters, digits, dashes."
        )

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "producer": data["producer"],
            "category": data["category"],
            "name": data["name"],
            "variants": [self.variant_input(name=data.get("variant_name") or "")],
            "photos": data.get("photos") or [],
            **{field: data[field] if data[field] is not None else 0 for field in self.product_fields},
        }


class ProductForm(ProductFieldsMixin):
    """The descriptive fields of an existing product (``catalog.services.product_update``)."""

    story = forms.CharField(label=_("Public story"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    certifications = forms.CharField(label=_("Certifications"), max_length=200, required=False)
    hs_code = forms.CharField(label=_("HS code"), max_length=12, required=False)

    field_order = [
        "name",
        "category",
        "description",
        "story",
        "materials",
        "technique",
        "certifications",
        "hs_code",
        "made_to_order",
        "lead_time_days",
        "deposit_percent",
        "moq",
        "is_published",
    ]

    def changed_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        # A down payment left empty keeps its value (clean_deposit_percent): not a change.
        unchanged = {"deposit_percent"} if data.get("deposit_percent") == self.initial.get("deposit_percent") else set()
        return {
            name: data[name] if data[name] is not None else 0 for name in self.changed_data if name not in unchanged
        }


class VariantForm(VariantFieldsMixin):
    name = forms.CharField(
        label=_("Variant"), max_length=120, required=False, help_text=_("E.g. size or colour. May stay empty.")
    )
    is_active = forms.BooleanField(label=_("On sale"), required=False, initial=True)

    field_order = ["sku", "name", "price_idr", "weight_grams", "length_mm", "width_mm", "height_mm"]

    def to_input(self) -> VariantInput:
        return self.variant_input(name=self.cleaned_data.get("name") or "", is_active=self.cleaned_data["is_active"])


class PhotoForm(forms.Form):
    # A FileField, not an ImageField: catalog.images decides what is a safe image, with clear messages.
    photo = forms.FileField(
        label=_("Photo"),
        widget=forms.FileInput(
            attrs={"accept": "image/*", "capture": "environment", "data-shrink": SHRINK_LONGEST_SIDE}
        ),
        help_text=_("Take a photo with the phone camera or choose one: JPEG, PNG, WebP or GIF."),
    )
    alt_text = forms.CharField(
        label=_("Short description"),
        max_length=200,
        required=False,
        help_text=_("What the photo shows, for blind visitors and slow connections."),
    )


class ProducerForm(forms.Form):
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    story = forms.CharField(label=_("Public story"), required=False, widget=forms.Textarea(attrs={"rows": 6}))
    # Export (issue 13): the English storefront shows it; empty shows the Indonesian story, marked.
    story_en = forms.CharField(label=_("Story in English"), required=False, widget=forms.Textarea(attrs={"rows": 6}))
    phone = phone_field(label=_("Phone / WhatsApp"), help_text=_("E.g. 0812 3456 7890. Buyers message this number."))
    is_published = forms.BooleanField(label=_("Show in the public catalog"), required=False)


class ProducerCreateForm(forms.Form):
    """The public profile of an UMKM producer organization."""

    organization = OrganizationChoiceField()
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    phone = phone_field(label=_("Phone / WhatsApp"), help_text=_("E.g. 0812 3456 7890. Buyers message this number."))

    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer_organizations(self, organizations)
