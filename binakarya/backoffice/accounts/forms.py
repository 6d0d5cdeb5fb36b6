"""Forms of the staff accounts pages: a new account, a role, a temporary password, the list's filter.

They only parse input; ``accounts.services`` checks usernames, names, email addresses, roles and the
password rules, and its errors are put back next to their fields with ``add_service_errors``.
"""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from binakarya.backoffice.fields import OrganizationChoiceField, model_choice_field, offer_organizations
from binakarya.organizations.models import Organization, Role

PASSWORD_HELP = _(
    "A temporary password: tell it to the person yourself. They must choose their own when they first sign in."
)


def role_choices(roles: tuple[str, ...]) -> list[tuple[str, str]]:
    labels = dict(Role.choices)
    return [(role, str(labels[role])) for role in roles]


def password_field() -> forms.CharField:
    return forms.CharField(
        label=_("Temporary password"),
        strip=False,
        max_length=128,
        help_text=PASSWORD_HELP,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class StaffFilterForm(forms.Form):
    organisasi: "forms.ModelChoiceField[Organization]" = forms.ModelChoiceField(
        label=_("Organization"), queryset=None, required=False, empty_label=_("All")
    )
    halaman = forms.IntegerField(min_value=1, required=False)

    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "organisasi").queryset = organizations


class StaffCreateForm(forms.Form):
    organization = OrganizationChoiceField()
    full_name = forms.CharField(label=_("Full name"), max_length=300)
    username = forms.CharField(
        label=pgettext_lazy("staff account", "Username"),
        max_length=150,
        help_text=_("Used to sign in, for example produksi.sumenep. Letters, digits and . _ - @ + only."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}),
    )
    email = forms.EmailField(label=pgettext_lazy("staff account", "Email"), required=False, max_length=254)
    role = forms.ChoiceField(label=pgettext_lazy("staff account", "Role"))
    password = password_field()

    def __init__(
        self, *args: Any, organizations: QuerySet[Organization], roles: tuple[str, ...], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        offer_organizations(self, organizations)
        role = self.fields["role"]
        assert isinstance(role, forms.ChoiceField)
        role.choices = role_choices(roles)


class StaffRoleForm(forms.Form):
    role = forms.ChoiceField(label=pgettext_lazy("staff account", "Role"))

    def __init__(self, *args: Any, roles: tuple[str, ...], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        role = self.fields["role"]
        assert isinstance(role, forms.ChoiceField)
        role.choices = role_choices(roles)


class StaffPasswordForm(forms.Form):
    password = password_field()
