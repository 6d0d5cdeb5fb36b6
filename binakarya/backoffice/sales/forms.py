"""Forms of the sales pages: record a sale (one line per product), filter the list, return or cancel a sale.

Like every back office form they only parse input; ``sales.services`` validates. Its field errors go next
to the field they name, and its messages about one line (an unknown SKU, a price of zero, more than the
location holds) next to that line.
"""

import datetime
from collections.abc import Mapping
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from binakarya.backoffice.fields import (
    MAX_INT,
    MAX_PRICE_IDR,
    LocationChoiceField,
    date_field,
    number_field,
    rupiah_field,
)
from binakarya.catalog.models import Variant
from binakarya.core.money import format_rupiah
from binakarya.inventory.models import Location
from binakarya.organizations.models import Organization
from binakarya.sales.models import Channel, SaleLine
from binakarya.sales.services import SaleLineInput

LINE_PREFIX = "baris"
MAX_LINES = 30
# sale_record's error keys that differ from the form's field names.
SALE_ERROR_FIELDS = {"occurred_at": "sold_on"}


class BuyerChoiceField(forms.ModelChoiceField[Organization]):
    def label_from_instance(self, obj: Organization) -> str:
        return f"{obj.name} · {obj.regency}" if obj.regency else obj.name


class SaleForm(forms.Form):
    # The querysets of the choice fields are the user's, given by the view from the selectors.
    location = LocationChoiceField(label=_("Sold from"), queryset=None, empty_label=None)
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices, initial=Channel.POS)
    buyer = BuyerChoiceField(
        label=_("Buyer organization"),
        queryset=None,
        required=False,
        empty_label="—",
        help_text=_("An agency or an outlet that buys, e.g. for an institutional order. Leave empty for a person."),
    )
    buyer_name = forms.CharField(label=_("Buyer's name"), max_length=200, required=False)
    commission_idr = rupiah_field(
        label=_("Outlet commission (Rp)"),
        required=False,
        max_value=MAX_PRICE_IDR,
        help_text=_("For an outlet's sell-through report: what the outlet keeps (commonly 10 to 25%). Else 0."),
    )
    sold_on = date_field(label=_("Date of sale"), help_text=_("Today when left empty."))

    # Set by the view for the template: the location the lines are for, and whether it holds any stock.
    chosen_location: Location | None = None
    has_stock: bool = False

    def __init__(
        self,
        *args: Any,
        locations: QuerySet[Location],
        buyers: QuerySet[Organization],
        many_orgs: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        location = cast(LocationChoiceField, self.fields["location"])
        location.queryset = locations
        location.with_organization = many_orgs
        cast(BuyerChoiceField, self.fields["buyer"]).queryset = buyers

    def occurred_at(self) -> datetime.datetime | None:
        """Now for today (or no date); midday of an earlier (or later, refused by the service) date."""
        day = self.cleaned_data.get("sold_on")
        if day is None or day == timezone.localdate():
            return None
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12, 0)))

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "location": data["location"],
            "channel": data["channel"],
            "buyer": data["buyer"],
            "buyer_name": data["buyer_name"].strip(),
            "commission_idr": data["commission_idr"] or 0,
            "occurred_at": self.occurred_at(),
        }


class SaleVariantField(forms.ModelChoiceField[Variant]):
    """A variant with what the chosen location holds of it, e.g. ``SMP-BTK-001 · Kain Batik — Ruang Pamer 10``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.location: Location | None = None

    def label_from_instance(self, obj: Variant) -> str:
        name = f"{obj.product.name} ({obj.name})" if obj.name else obj.product.name
        label = f"{obj.sku} · {name} · {format_rupiah(obj.price_idr)}"
        units = getattr(obj, "units", None)
        if self.location is not None and units is not None:
            label += f" — {self.location.name} {units}"
        return label


class SaleLineForm(forms.Form):
    variant = SaleVariantField(label=_("Product (SKU)"), queryset=None, empty_label="—")
    quantity = number_field(label=_("Quantity"), required=True, min_value=None)
    unit_price_idr = rupiah_field(
        label=_("Unit price (Rp)"),
        required=False,
        max_value=MAX_PRICE_IDR,
        help_text=_("The product's price when left empty."),
    )
    # Shown only when the price is far from the catalog price (sales.pricing), or already filled in.
    price_intended = forms.BooleanField(label=_("This price is intended"), required=False)
    price_reason = forms.CharField(
        label=_("Reason for this price"),
        max_length=200,
        required=False,
        help_text=_("E.g. a damaged piece sold at a discount, or a price agreed for a bulk order."),
    )

    def __init__(
        self,
        *args: Any,
        variants: QuerySet[Variant],
        shown_variants: list[Variant],
        picked_variants: Mapping[int, Variant],
        location: Location | None,
        **kwargs: Any,
    ) -> None:
        """``shown_variants`` are offered; ``picked_variants`` (by id) are those picked on any line, which the
        view looked up once for all the lines."""
        super().__init__(*args, **kwargs)
        field = cast(SaleVariantField, self.fields["variant"])
        field.queryset = variants
        field.location = location
        shown = list(shown_variants)
        # A product picked before the location changed stays visible, so the service can explain the refusal.
        picked = self.data.get(self.add_prefix("variant")) if self.is_bound else self.initial.get("variant")
        if picked and str(picked).isdigit() and all(str(v.pk) != str(picked) for v in shown):
            extra = picked_variants.get(int(picked))
            if extra is not None:
                shown.append(extra)
        choices: list[tuple[Any, str]] = [("", "—")]
        field.widget.choices = choices + [(v.pk, field.label_from_instance(v)) for v in shown]

    @property
    def asks_price_confirmation(self) -> bool:
        """Whether the line shows "this price is intended" and the reason: its price was refused as unusual,
        or they are filled in already."""
        if self.has_error("unit_price_idr", "unusual_price") or self.has_error("price_reason"):
            return True
        return bool(self["price_intended"].value()) or bool(str(self["price_reason"].value() or "").strip())

    def line_input(self) -> SaleLineInput:
        data = self.cleaned_data
        variant = data["variant"]
        price = data["unit_price_idr"]
        return SaleLineInput(
            variant.sku,
            data["quantity"],
            variant.price_idr if price is None else price,
            price_intended=data["price_intended"],
            price_reason=data["price_reason"].strip(),
        )


class BaseSaleLineFormSet(forms.BaseFormSet[SaleLineForm]):
    def initial_form_count(self) -> int:
        # Every line is a new one, even when shown again with values: a blank line is skipped, never "required".
        return super().initial_form_count() if self.is_bound else 0

    def filled(self) -> list[SaleLineForm]:
        return [form for form in self.forms if form.has_changed() and form.cleaned_data]

    def lines(self) -> list[SaleLineInput]:
        return [form.line_input() for form in self.filled()]


# formset_factory makes a subclass of the formset it is given; the stubs only say BaseFormSet.
SaleLineFormSet = cast(
    type[BaseSaleLineFormSet],
    forms.formset_factory(SaleLineForm, formset=BaseSaleLineFormSet, extra=1, max_num=MAX_LINES, validate_max=True),
)


class SaleFilterForm(forms.Form):
    lokasi = forms.ChoiceField(label=_("Location"), required=False)
    kanal = forms.ChoiceField(label=_("Channel"), required=False)
    dari = date_field(label=_("From"))
    sampai = date_field(label=_("Until"))
    halaman = forms.IntegerField(min_value=1, required=False)

    def __init__(self, *args: Any, locations: list[Location], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        many = len({loc.organization_id for loc in locations}) > 1
        cast(forms.ChoiceField, self.fields["lokasi"]).choices = [("", _("All"))] + [
            (loc.code, f"{loc.name} · {loc.organization.name}" if many else loc.name) for loc in locations
        ]
        cast(forms.ChoiceField, self.fields["kanal"]).choices = [("", _("All")), *Channel.choices]


class SaleReturnForm(forms.Form):
    """Units coming back per line of the sale (empty: none), or the whole sale with ``_all``."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        required=False,
        help_text=_("E.g. a damaged piece, or the order was cancelled."),
    )

    def __init__(self, *args: Any, lines: list[SaleLine], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.whole = self.is_bound and "_all" in self.data
        self.line_fields: list[tuple[SaleLine, str]] = []
        for line in lines:
            left = line.quantity - line.returned_quantity
            if left <= 0:
                continue
            name = f"line_{line.pk}"
            self.fields[name] = number_field(
                label=f"{line.variant.sku} · {line.lot.code}",
                min_value=None,
                max_value=MAX_INT,
                help_text=_("At most %(left)s.") % {"left": left},
            )
            self.line_fields.append((line, name))
        self.order_fields([name for _line, name in self.line_fields] + ["reason"])

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        if not self.whole and not self.errors and not self.returned():
            raise forms.ValidationError(_("Type how many units come back, or return the whole sale."))
        return cleaned

    def returned(self) -> dict[int, int] | None:
        """{sale line id: units} typed, or None for the whole sale (what is left of it)."""
        if self.whole:
            return None
        return {line.pk: self.cleaned_data[name] for line, name in self.line_fields if self.cleaned_data.get(name) or 0}
