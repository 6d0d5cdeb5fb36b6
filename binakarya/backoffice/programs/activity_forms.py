"""Forms of the activities (Kegiatan) pages and of the agreement's links to grants and deals."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from binakarya.backoffice.fields import (
    OrganizationChoiceField,
    date_field,
    model_choice_field,
    number_field,
    offer_organizations,
)
from binakarya.catalog.models import Product
from binakarya.core.money import format_rupiah
from binakarya.deals.models import Deal
from binakarya.ledger.models import CapitalMovement
from binakarya.makers.models import Group
from binakarya.organizations.models import Organization
from binakarya.pos.models import PosSession
from binakarya.programs.models import Activity, Agreement
from binakarya.programs.services import ACTIVITY_HOURS_MAX


class AgreementChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        assert isinstance(obj, Agreement)
        return f"{obj.number} · {obj.title}"


class ActivityForm(forms.Form):
    organization = OrganizationChoiceField(queryset=None)
    kind = forms.ChoiceField(label=_("Kind"), choices=Activity.Kind.choices, initial=Activity.Kind.TRAINING)
    title = forms.CharField(label=_("Title"), max_length=200)
    agreement = AgreementChoiceField(
        label=_("Agreement"), queryset=None, required=False, empty_label=_("None"), help_text=_("Optional.")
    )
    partner: forms.ModelChoiceField[Organization] = forms.ModelChoiceField(
        label=_("Partner agency"),
        queryset=None,
        required=False,
        empty_label=_("None"),
        help_text=_("Optional; under an agreement, one of its partners."),
    )
    group: forms.ModelChoiceField[Group] = forms.ModelChoiceField(
        label=_("Group"),
        queryset=None,
        required=False,
        empty_label=_("None"),
        help_text=_("The group invited; its members are listed for attendance."),
    )
    place = forms.CharField(label=_("Place"), max_length=200)
    start_date = date_field(label=_("Start date"), required=True)
    end_date = date_field(label=_("End date"), required=True)
    hours = number_field(
        label=_("Hours of practice"),
        required=True,
        min_value=1,
        max_value=ACTIVITY_HOURS_MAX,
        help_text=_("What a participant who attended in full is credited."),
    )
    instructors = forms.CharField(label=_("Instructors"), max_length=300, required=False)
    outcomes = forms.CharField(label=_("Outcomes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(
        self,
        *args: Any,
        organizations: QuerySet[Organization] | None,
        agreements: QuerySet[Agreement],
        agencies: QuerySet[Organization],
        groups: QuerySet[Any],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if organizations is None:  # editing: the organization does not change
            del self.fields["organization"]
        else:
            offer_organizations(self, organizations)
        model_choice_field(self, "agreement").queryset = agreements
        model_choice_field(self, "partner").queryset = agencies
        model_choice_field(self, "group").queryset = groups

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date may not be before the start date."))
        return data


class _LabelledChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        if isinstance(obj, CapitalMovement):
            parts = [format_rupiah(obj.amount_idr), obj.occurred_at.date().isoformat()]
            if obj.agency is not None:
                parts.append(obj.agency.name)
            if obj.memo:
                parts.append(obj.memo)
            return " · ".join(parts)
        if isinstance(obj, Deal):
            return f"{obj.number} · {obj.buyer} · {format_rupiah(obj.total_idr)}"
        if isinstance(obj, PosSession):
            return f"{obj.number} · {obj.location.name} · {obj.opened_at.date().isoformat()}"
        return str(obj)


class GrantLinkForm(forms.Form):
    movement = _LabelledChoiceField(label=_("Capital grant"), queryset=None)

    def __init__(self, *args: Any, candidates: QuerySet[CapitalMovement], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "movement").queryset = candidates


class DealLinkForm(forms.Form):
    deal = _LabelledChoiceField(label=_("Agency purchase (deal)"), queryset=None)

    def __init__(self, *args: Any, candidates: QuerySet[Deal], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "deal").queryset = candidates


class PosSessionLinkForm(forms.Form):
    session = _LabelledChoiceField(label=_("Cashier session"), queryset=None)

    def __init__(self, *args: Any, candidates: QuerySet[PosSession], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "session").queryset = candidates


class ProductAddForm(forms.Form):
    product: forms.ModelChoiceField[Product] = forms.ModelChoiceField(label=_("Product designed here"), queryset=None)

    def __init__(self, *args: Any, candidates: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "product").queryset = candidates
