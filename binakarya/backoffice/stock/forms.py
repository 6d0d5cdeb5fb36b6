"""Forms of the stock pages: filters, transfers and their receipt, stock opname, locations.

They only parse input; ``inventory.services`` validates, and its errors are attached with
``add_service_errors`` next to the field they name.
"""

from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from binakarya.backoffice.fields import (
    MAX_INT,
    LocationChoiceField,
    OrganizationChoiceField,
    number_field,
    offer_organizations,
)
from binakarya.catalog.models import Variant
from binakarya.inventory.models import Location, StockBalance, TransferLine
from binakarya.organizations.models import Organization


class StockFilterForm(forms.Form):
    sku = forms.CharField(label=_("SKU"), max_length=40, required=False)
    produk = forms.CharField(label=_("Product"), max_length=100, required=False)
    lot = forms.CharField(label=_("Lot code"), max_length=20, required=False)
    lokasi = forms.ChoiceField(label=_("Location"), required=False)
    organisasi = forms.ChoiceField(label=_("Organization"), required=False)
    halaman = forms.IntegerField(min_value=1, required=False)

    def __init__(self, *args: Any, locations: list[Location], organizations: list[Organization], **kwargs: Any):
        super().__init__(*args, **kwargs)
        many = len({loc.organization_id for loc in locations}) > 1
        cast(forms.ChoiceField, self.fields["lokasi"]).choices = [("", _("All"))] + [
            (loc.code, f"{loc.name} · {loc.organization.name}" if many else loc.name) for loc in locations
        ]
        cast(forms.ChoiceField, self.fields["organisasi"]).choices = [("", _("All"))] + [
            (org.slug, org.name) for org in organizations
        ]


class StockVariantField(forms.ModelChoiceField):
    """A variant with the units each location holds, e.g. ``SMP-BTK-001 · Kain Batik — Gudang 12``."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.stock_labels: dict[int, str] = {}

    def label_from_instance(self, obj: Variant) -> str:
        name = f"{obj.product.name} ({obj.name})" if obj.name else obj.product.name
        where = self.stock_labels.get(obj.pk)
        return f"{obj.sku} · {name} — {where}" if where else f"{obj.sku} · {name}"


class TransferForm(forms.Form):
    from_location = LocationChoiceField(label=_("From"), queryset=None, empty_label=None)
    to_location = LocationChoiceField(label=_("To"), queryset=None, empty_label=None)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args: Any, locations: QuerySet[Location], many_orgs: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("from_location", "to_location"):
            field = cast(LocationChoiceField, self.fields[name])
            field.queryset = locations
            field.with_organization = many_orgs


class TransferLineForm(forms.Form):
    variant = StockVariantField(label=_("Product (SKU)"), queryset=None, empty_label="—")
    quantity = number_field(label=_("Quantity"), required=True, min_value=1)

    def __init__(self, *args: Any, variants: QuerySet[Variant], stock_labels: dict[int, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(StockVariantField, self.fields["variant"])
        field.stock_labels = stock_labels
        field.queryset = variants


class BaseTransferLineFormSet(forms.BaseFormSet):
    def initial_form_count(self) -> int:
        # Every line is a new one, even when shown again with values: a blank line is skipped, never "required".
        return super().initial_form_count() if self.is_bound else 0

    def lines(self) -> list[tuple[Variant, int]]:
        """(variant, quantity) of every filled-in line; empty lines are skipped."""
        return [
            (form.cleaned_data["variant"], form.cleaned_data["quantity"])
            for form in self.forms
            if form.has_changed() and form.cleaned_data
        ]


# formset_factory returns a subclass of ``formset``; its stub only says BaseFormSet.
TransferLineFormSet = cast(
    type[BaseTransferLineFormSet],
    forms.formset_factory(TransferLineForm, formset=BaseTransferLineFormSet, extra=1, max_num=30, validate_max=True),
)


class TransferReceiveForm(forms.Form):
    """What arrived, per line of the surat jalan (what was sent, unless someone types less)."""

    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args: Any, lines: list[TransferLine], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.line_fields: list[tuple[TransferLine, str]] = []
        for line in lines:
            name = f"line_{line.pk}"
            self.fields[name] = number_field(
                label=f"{line.variant.sku} · {line.lot.code}",
                required=True,
                min_value=None,
                max_value=MAX_INT,
                initial=line.quantity_sent,
            )
            self.line_fields.append((line, name))
        self.order_fields([name for _line, name in self.line_fields] + ["note"])

    def received(self) -> dict[int, int]:
        return {line.pk: self.cleaned_data[name] for line, name in self.line_fields}

    def line_rows(self) -> list[tuple[TransferLine, forms.BoundField]]:
        return [(line, self[name]) for line, name in self.line_fields]


class StockCountForm(forms.Form):
    """Counted units per lot at one location; a lot left empty was not counted and stays as it is."""

    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args: Any, balances: list[StockBalance], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows: list[tuple[StockBalance, str]] = []
        for balance in balances:
            name = f"lot_{balance.lot_id}"
            self.fields[name] = number_field(label=balance.lot.code, required=False, min_value=None, max_value=MAX_INT)
            self.fields[name].widget.attrs["placeholder"] = str(balance.quantity)
            self.rows.append((balance, name))
        self.order_fields([name for _b, name in self.rows] + ["note"])

    def counted(self) -> dict[int, int]:
        return {
            balance.lot_id: self.cleaned_data[name]
            for balance, name in self.rows
            if self.cleaned_data.get(name) is not None
        }

    def count_rows(self) -> list[tuple[StockBalance, forms.BoundField]]:
        return [(balance, self[name]) for balance, name in self.rows]


class OutletChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organization) -> str:
        return f"{obj.name} · {obj.regency}" if obj.regency else obj.name


class LocationCreateForm(forms.Form):
    KINDS = [(k, label) for k, label in Location.Kind.choices if k != Location.Kind.TRANSIT]

    organization = OrganizationChoiceField(queryset=None)
    name = forms.CharField(label=_("Name"), max_length=120, help_text=_("E.g. Gudang, Ruang Pamer, Gerai Dekranasda."))
    kind = forms.ChoiceField(label=_("Kind"), choices=KINDS, initial=Location.Kind.STORE)
    outlet = OutletChoiceField(
        label=_("Outlet"),
        queryset=None,
        required=False,
        empty_label="—",
        help_text=_("Only for a consignment outlet: the outlet that holds the stock."),
    )

    def __init__(
        self, *args: Any, organizations: QuerySet[Organization], outlets: QuerySet[Organization], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        offer_organizations(self, organizations)
        cast(OutletChoiceField, self.fields["outlet"]).queryset = outlets

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "organization": data["organization"],
            "name": data["name"],
            "kind": data["kind"],
            "outlet": data["outlet"],
        }
