"""Forms of the production pages: recording a lot, printing its tags, adjusting and reversing its stock.

Like every back office form they only parse input; ``production.services`` and ``inventory.services``
validate, and their ValidationError is put next to the field it names with ``add_service_errors``.
"""

import datetime
from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import QueryDict
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
from binakarya.makers.models import Group, Maker
from binakarya.organizations.models import Organization
from binakarya.production.models import Lot
from binakarya.production.services import ContributionInput

# lot_record's error keys that differ from the form's field names.
LOT_ERROR_FIELDS = {"sku": "variant", "contributions": "makers"}
# Fields kept in the folded "Location, dates and notes" panel.
LOT_MORE_FIELDS = ("location", "started_date", "finished_date", "share_basis", "notes")


@dataclass(frozen=True)
class LotSource:
    """Who made a lot: a facility's group, or an UMKM producer organization (whose lots name no group)."""

    key: str
    label: str
    organization: Organization
    group: Group | None


@dataclass(frozen=True)
class ContributorRow:
    maker: Maker
    checked: bool
    share: str


class VariantChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Variant) -> str:
        name = f"{obj.product.name} ({obj.name})" if obj.name else obj.product.name
        return f"{obj.sku} · {name} · {format_rupiah(obj.price_idr)}"


class MakerIdsField(forms.Field):
    """The ticked makers of the checklist: a list of maker ids (the service decides who may be named)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[int]:
        if not value:
            return []
        try:
            ids = [int(v) for v in value]
        except (TypeError, ValueError) as exc:
            raise ValidationError(_("Tick the makers in the list."), code="invalid") from exc
        if any(i <= 0 for i in ids):
            raise ValidationError(_("Tick the makers in the list."), code="invalid")
        return ids


def _parse_date(value: Any) -> datetime.date | None:
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value or "").strip())
    except ValueError:
        return None


def production_dates(values: QueryDict | None) -> tuple[datetime.date, datetime.date]:
    """(started, finished) as typed so far, today where missing; used to list the group's members then."""
    today = timezone.localdate()
    finished = _parse_date(values.get("finished_date")) if values else None
    started = _parse_date(values.get("started_date")) if values else None
    finished = finished or today
    started = started or finished
    return min(started, finished), max(started, finished)


class LotRecordForm(forms.Form):
    """One production lot: who made it, what, how many, at what material cost, and each maker's share.

    ``variants`` and ``locations`` are everything the user may pick (so that a stale page still reaches
    the service, which explains the refusal); ``shown_variants`` and ``shown_locations`` are what the
    chosen group offers.
    """

    group = forms.ChoiceField(label=_("Made by"))
    variant = VariantChoiceField(label=_("Product"), queryset=None)
    quantity = number_field(label=_("Quantity produced"), required=True, min_value=None)
    quantity_passed = number_field(
        label=_("Passed quality control"),
        min_value=None,
        help_text=_("Leave empty when every unit passed."),
    )
    material_cost_idr = rupiah_field(
        label=_("Material cost (Rp)"),
        required=True,
        max_value=MAX_PRICE_IDR,
        help_text=_("All materials for the whole lot, in whole rupiah."),
    )
    makers = MakerIdsField(label=_("Who made it"), required=False)
    location = LocationChoiceField(label=_("Put the stock in"), queryset=None, empty_label=None)
    started_date = date_field(label=_("Production started"), required=True)
    finished_date = date_field(label=_("Production finished"), required=True)
    share_basis = forms.ChoiceField(label=_("Shares count"), choices=Lot.ShareBasis.choices)
    notes = forms.CharField(label=_("Notes"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(
        self,
        data: QueryDict | None = None,
        *,
        sources: list[LotSource],
        variants: QuerySet[Variant],
        shown_variants: list[Variant],
        locations: QuerySet[Location],
        shown_locations: list[Location],
        contributors: list[Maker],
        values: QueryDict | None = None,
        **kwargs: Any,
    ):
        super().__init__(data, **kwargs)
        self.sources = sources
        # Whether the chosen group offers any product and any location (the page says so when not).
        self.has_variants = bool(shown_variants)
        self.has_locations = bool(shown_locations)
        group = cast(forms.ChoiceField, self.fields["group"])
        group.choices = [(s.key, s.label) for s in sources]
        if len(sources) == 1:
            group.widget = forms.HiddenInput()

        variant = cast(VariantChoiceField, self.fields["variant"])
        variant.queryset = variants
        # What the chosen group makes; the wider queryset only validates.
        if len(shown_variants) != 1:
            variant.empty_label = "—"
        variant.widget.choices = ([("", "—")] if len(shown_variants) != 1 else []) + [
            (v.pk, variant.label_from_instance(v)) for v in shown_variants
        ]

        location = cast(LocationChoiceField, self.fields["location"])
        location.queryset = locations
        location.with_organization = len({loc.organization_id for loc in shown_locations}) > 1
        location.widget.choices = [(loc.pk, location.label_from_instance(loc)) for loc in shown_locations]

        # The checklist: ticked and shares as posted (or as typed before a refresh), else unticked with share 1.
        source = data if data is not None else values
        ticked = set(source.getlist("makers")) if source is not None else set()
        self.contributor_rows = [
            ContributorRow(
                maker=maker,
                checked=str(maker.pk) in ticked,
                share=str(source.get(f"share_{maker.pk}", "1")) if source is not None else "1",
            )
            for maker in contributors
        ]

    @property
    def more_has_errors(self) -> bool:
        return any(name in self.errors for name in LOT_MORE_FIELDS)

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        contributions = []
        for maker_id in cleaned.get("makers") or []:
            raw = str(self.data.get(f"share_{maker_id}", "")).strip()
            try:
                share = int(raw)
            except ValueError:
                self.add_error("makers", _("Enter each ticked maker's share as a whole number."))
                break
            contributions.append(ContributionInput(maker_id=maker_id, share=share))
        cleaned["contributions"] = contributions
        return cleaned

    def source(self) -> LotSource:
        key = self.cleaned_data["group"]
        return next(s for s in self.sources if s.key == key)

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        source = self.source()
        passed = data["quantity_passed"]
        return {
            "variant": data["variant"],
            "group": source.group,
            "location": data["location"],
            "quantity_produced": data["quantity"],
            "quantity_passed": data["quantity"] if passed is None else passed,
            "material_cost_idr": data["material_cost_idr"],
            "contributions": data["contributions"],
            "started_date": data["started_date"],
            "finished_date": data["finished_date"],
            "share_basis": data["share_basis"],
            "notes": data["notes"],
        }


class LotFilterForm(forms.Form):
    q = forms.CharField(label=_("Lot code, product or SKU"), max_length=100, required=False)
    # Quoted: ModelChoiceField is generic in the stubs only.
    kelompok: "forms.ModelChoiceField[Group]" = forms.ModelChoiceField(
        label=_("Group"), queryset=None, required=False, empty_label=_("All")
    )
    organisasi: "forms.ModelChoiceField[Organization]" = forms.ModelChoiceField(
        label=_("Organization"), queryset=None, required=False, empty_label=_("All")
    )
    halaman = forms.IntegerField(min_value=1, required=False)

    def __init__(
        self, *args: Any, groups: QuerySet[Group], organizations: QuerySet[Organization], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["kelompok"]).queryset = groups
        cast(forms.ModelChoiceField, self.fields["organisasi"]).queryset = organizations


class LotTagsForm(forms.Form):
    count = number_field(
        label=_("Number of tags"),
        required=True,
        min_value=None,
        max_value=MAX_INT,
        help_text=_("One per unit; 12 tags fit on an A4 sheet."),
    )


class StockAdjustForm(forms.Form):
    """A manual correction of a lot's stock at one location, always with a reason."""

    DIRECTIONS = [("REMOVE", _("Remove units")), ("ADD", _("Add units"))]

    location = LocationChoiceField(label=_("Location"), queryset=None, empty_label=None)
    direction = forms.ChoiceField(label=_("Change"), choices=DIRECTIONS, initial="REMOVE", widget=forms.RadioSelect)
    quantity = number_field(label=_("Units"), required=True, min_value=1)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        required=False,
        help_text=_("Required. E.g. found one more unit in the store, or a unit was given as a sample."),
    )

    def __init__(self, *args: Any, locations: QuerySet[Location], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(LocationChoiceField, self.fields["location"])
        field.queryset = locations
        field.with_organization = False

    def signed_quantity(self) -> int:
        quantity = self.cleaned_data["quantity"]
        return quantity if self.cleaned_data["direction"] == "ADD" else -quantity


class MovementReverseForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is it reversed?"),
        max_length=200,
        required=False,
        help_text=_("Required. The movement stays in the history, cancelled by an equal and opposite one."),
    )
