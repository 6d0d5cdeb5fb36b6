"""After a refused form, the first error is in view and has focus: one mechanism for every form.

Django already marks a field with errors ``aria-invalid="true"`` and points its ``aria-describedby`` at the
error list (``id_<name>_error``). The bound field here adds ``autofocus`` to the first visible field that has
an error, in the form's field order: the browser then focuses it and scrolls it into view when the page
loads (or when htmx swaps the form in). settings.FORM_RENDERER makes every form use it, so a form drawn
field by field (``{{ form.amount_idr }}``) gets it as well as one drawn by the shared includes.

The shared include ``backoffice/includes/form_errors.html`` adds the summary at the top of the form.
"""

from typing import Any

from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates
from django.forms.widgets import Widget


def first_error_field(form: Any) -> str | None:
    """The name of the first visible field of ``form`` that has an error, in the form's order (or None)."""
    if not form.is_bound:
        return None
    errors = form.errors
    for name, field in form.fields.items():
        if name in errors and not field.widget.is_hidden:
            return str(name)
    return None


class FocusFirstErrorBoundField(BoundField):
    """A bound field whose widget has ``autofocus`` when it is the form's first field with an error."""

    def build_widget_attrs(self, attrs: dict[str, Any], widget: Widget | None = None) -> dict[str, Any]:
        attrs = super().build_widget_attrs(attrs, widget)
        if self.errors and not (widget or self.field.widget).is_hidden and first_error_field(self.form) == self.name:
            attrs["autofocus"] = True
        return attrs


class FormRenderer(DjangoTemplates):
    """Django's own renderer, with :class:`FocusFirstErrorBoundField` for every form."""

    bound_field_class = FocusFirstErrorBoundField
