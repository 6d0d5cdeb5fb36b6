"""Forms of the money pages: split rules (in percent) and their preview, premi payouts, capital funds, PNBP.

Like every back office form they only parse input; ``ledger.services`` validates, and its errors are
attached with ``add_service_errors`` next to the field they name.
"""

import re
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from binakarya.backoffice.fields import (
    MAX_PRICE_IDR,
    OrganizationChoiceField,
    PercentField,
    basis_points,
    date_field,
    number_field,
    offer_organizations,
    rupiah_field,
)
from binakarya.catalog.models import Category
from binakarya.catalog.selectors import categories
from binakarya.ledger.models import Payout, SplitRule
from binakarya.ledger.split import LotSale
from binakarya.makers.models import Group
from binakarya.organizations.models import Organization

# premi_payout's error keys that differ from the form's field names.
PAYOUT_ERROR_FIELDS = {"recipient": "recipient_name"}
MAX_CONTRIBUTORS = 50


class SplitRuleForm(forms.Form):
    # The querysets come from the selectors: the organizations from the view, the categories in __init__.
    organization = OrganizationChoiceField(queryset=None)
    category = forms.ModelChoiceField[Category](
        label=_("Category"),
        queryset=None,
        required=False,
        empty_label=_("Every category (the general rule)"),
        help_text=_("Choose a category only for an override of the general rule."),
    )
    effective_from = date_field(label=_("In force from"), required=True)
    basis = forms.ChoiceField(label=_("Computed on"), choices=SplitRule.Basis.choices, initial=SplitRule.Basis.MARGIN)
    premi_mode = forms.ChoiceField(
        label=_("Premi"),
        choices=SplitRule.PremiMode.choices,
        initial=SplitRule.PremiMode.PERCENT,
    )
    premi_percent = PercentField(label=_("Premi (%)"), help_text=_("For a percentage of the basis, e.g. 50 or 12.5."))
    premi_per_unit_idr = rupiah_field(
        label=_("Premi per unit (Rp)"), max_value=MAX_PRICE_IDR, help_text=_("For a fixed amount per unit sold.")
    )
    capital_percent = PercentField(label=_("Capital fund share (%)"))
    recover_material_cost = forms.BooleanField(
        label=_("Material cost goes back to the group's capital fund"), required=False, initial=True
    )
    restitution_percent = PercentField(
        label=_("Restitution deduction (% of premi)"), help_text=_("Off (0) by default; when on, 5 to 20%.")
    )
    victim_fund_percent = PercentField(
        label=_("Victim fund deduction (% of premi)"), help_text=_("Off (0) by default; when on, 5 to 20%.")
    )
    legal_reference = forms.CharField(
        label=_("Legal reference"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The regulation or decree this split follows, e.g. the head of the facility's decree (SK)."),
    )

    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer_organizations(self, organizations)
        cast(forms.ModelChoiceField[Category], self.fields["category"]).queryset = categories()
        self.initial.setdefault("effective_from", timezone.localdate())

    def rule_fields(self) -> dict[str, Any]:
        """The rule as split_rule_validate and split_rule_create take it (without organization and date)."""
        data = self.cleaned_data
        return {
            "basis": data["basis"],
            "premi_mode": data["premi_mode"],
            "premi_bp": basis_points(data["premi_percent"]),
            "premi_per_unit_idr": data["premi_per_unit_idr"] or 0,
            "capital_bp": basis_points(data["capital_percent"]),
            "recover_material_cost": data["recover_material_cost"],
            "restitution_bp": basis_points(data["restitution_percent"]),
            "victim_fund_bp": basis_points(data["victim_fund_percent"]),
            "legal_reference": data["legal_reference"].strip(),
        }

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "organization": data["organization"],
            "category": data["category"],
            "effective_from": data["effective_from"],
            **self.rule_fields(),
        }


class SharesField(forms.Field):
    """Contributors' shares as typed: ``1, 1, 1`` or ``2 1``."""

    def to_python(self, value: Any) -> list[int]:
        text = "" if value in self.empty_values else str(value).strip()
        parts = [p for p in re.split(r"[\s,;]+", text) if p]
        if not parts:
            raise ValidationError(_("Type at least one share."), code="required")
        try:
            shares = [int(p) for p in parts]
        except ValueError as exc:
            raise ValidationError(_("Type each share as a whole number, e.g. 1, 1, 1."), code="invalid") from exc
        if any(s <= 0 or s > 1_000_000 for s in shares):
            raise ValidationError(_("Every share is at least 1."), code="invalid")
        if len(shares) > MAX_CONTRIBUTORS:
            raise ValidationError(_("At most %(n)s contributors.") % {"n": MAX_CONTRIBUTORS}, code="max_contributors")
        return shares


class SplitExampleForm(forms.Form):
    """An example sale of one lot to preview a rule on; it is never saved."""

    quantity = number_field(label=_("Units sold"), required=True, min_value=1, max_value=100_000, initial=2)
    unit_price_idr = rupiah_field(
        label=_("Unit price (Rp)"), required=True, min_value=1, max_value=MAX_PRICE_IDR, initial=450_000
    )
    unit_cost_idr = rupiah_field(
        label=_("Material cost per unit (Rp)"), required=True, max_value=MAX_PRICE_IDR, initial=150_000
    )
    commission_idr = rupiah_field(label=_("Outlet commission (Rp)"), required=True, max_value=MAX_PRICE_IDR, initial=0)
    shares = SharesField(
        label=_("Contributors' shares"),
        initial="1, 1, 1",
        help_text=_("One number per maker, e.g. 1, 1, 1 for three equal shares."),
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        quantity: int | None = cleaned.get("quantity")
        price: int | None = cleaned.get("unit_price_idr")
        commission: int | None = cleaned.get("commission_idr")
        if quantity is not None and price is not None and commission is not None and commission > quantity * price:
            self.add_error("commission_idr", _("The commission must be between Rp0 and the sale's total."))
        return cleaned

    def lot_sale(self) -> LotSale:
        data = self.cleaned_data
        return LotSale(
            quantity=data["quantity"],
            unit_price_idr=data["unit_price_idr"],
            unit_cost_idr=data["unit_cost_idr"],
            commission_idr=data["commission_idr"],
            contributor_shares=data["shares"],
        )


class PayoutForm(forms.Form):
    amount_idr = rupiah_field(label=_("Amount (Rp)"), required=True, max_value=MAX_PRICE_IDR)
    method = forms.ChoiceField(label=_("Paid"), choices=Payout.Method.choices)
    recipient_name = forms.CharField(
        label=_("Received by"), max_length=200, required=False, help_text=_("For a payment to family: their name.")
    )
    recipient_relationship = forms.CharField(
        label=_("Relationship"), max_length=60, required=False, help_text=_("E.g. wife, mother, son.")
    )
    reference = forms.CharField(
        label=_("Account or card number"),
        max_length=60,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    # What the maker was owed when the payout was shown for confirmation (the confirm step sends it back).
    expected_owed_idr = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args: Any, methods: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = [(k, v) for k, v in Payout.Method.choices if methods is None or k in methods]
        # No default: paying to the wrong place is worse than one more tap.
        cast(forms.ChoiceField, self.fields["method"]).choices = [("", "—"), *allowed]

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "amount_idr": data["amount_idr"],
            "method": data["method"],
            "recipient_name": data["recipient_name"],
            "recipient_relationship": data["recipient_relationship"],
            "reference": data["reference"],
        }

    def owed_when_checked(self) -> int | None:
        return self.cleaned_data.get("expected_owed_idr")


class GroupFundField(forms.ModelChoiceField[Group]):
    def label_from_instance(self, obj: Group) -> str:
        return obj.name


class CapitalFundForm(forms.Form):
    """What a grant and a material purchase both name: the fund (a group's, or the organization's own) and
    the amount; each form adds its own ``memo``."""

    # The querysets come from the selectors, through the view.
    group = GroupFundField(
        label=_("Capital fund of"),
        queryset=None,
        required=False,
        empty_label=_("The organization (no group)"),
    )
    amount_idr = rupiah_field(label=_("Amount (Rp)"), required=True, max_value=MAX_PRICE_IDR)

    def __init__(self, *args: Any, groups: QuerySet[Group], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(GroupFundField, self.fields["group"]).queryset = groups

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"group": data["group"], "amount_idr": data["amount_idr"], "memo": data["memo"].strip()}


class CapitalGrantForm(CapitalFundForm):
    """For ``ledger.services.capital_grant``."""

    agency = forms.ModelChoiceField[Organization](
        label=_("Agency"),
        queryset=None,
        required=False,
        empty_label="—",
        help_text=_("The agency that gives the grant, e.g. the district's Disperindag."),
    )
    memo = forms.CharField(label=_("Memo"), max_length=300, required=False, help_text=_("E.g. the MoU or letter."))

    field_order = ["group", "agency", "amount_idr", "memo"]

    def __init__(self, *args: Any, groups: QuerySet[Group], agencies: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, groups=groups, **kwargs)
        cast(forms.ModelChoiceField[Organization], self.fields["agency"]).queryset = agencies

    def service_kwargs(self) -> dict[str, Any]:
        return super().service_kwargs() | {"agency": self.cleaned_data["agency"]}


class CapitalPurchaseForm(CapitalFundForm):
    """For ``ledger.services.capital_material_purchase``."""

    memo = forms.CharField(
        label=_("What was bought"), max_length=300, required=False, help_text=_("E.g. 20 m of mori cloth, wax, dyes.")
    )


class PnbpTargetForm(forms.Form):
    year = number_field(label=_("Year"), required=True, min_value=2000, max_value=2100)
    target_idr = rupiah_field(label=_("Target (Rp)"), required=True, max_value=MAX_PRICE_IDR)


class PnbpDepositForm(forms.Form):
    billing_code = forms.CharField(
        label=_("Billing code"), max_length=30, required=False, widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )
    ntpn = forms.CharField(
        label=_("NTPN"),
        max_length=30,
        required=False,
        help_text=_("From the deposit receipt (bukti penerimaan negara)."),
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"}),
    )
    deposited_date = date_field(label=_("Deposited on"), required=True)
    amount_idr = rupiah_field(label=_("Amount (Rp)"), required=True, max_value=MAX_PRICE_IDR)

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "billing_code": data["billing_code"],
            "ntpn": data["ntpn"].strip().upper(),
            "deposited_date": data["deposited_date"],
            "amount_idr": data["amount_idr"],
        }
