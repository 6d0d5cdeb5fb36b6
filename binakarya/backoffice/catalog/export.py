"""Staff pages for export buyers (issue 13): a product's export data and English texts
(``produk/<pk>/ekspor/``), and the organization's exchange rates (``produk/kurs/``).

Thin views over ``catalog.export_selectors`` and ``catalog.export_services``: every product is read through
the scoped ``product_for_staff`` (another organization's product is a 404) and every write goes through a
service that checks ``catalog.manage``.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from binakarya.backoffice.access import has_any_role
from binakarya.backoffice.catalog import export_forms
from binakarya.backoffice.common import add_service_errors, get_or_404, paginate
from binakarya.backoffice.fields import offer_organizations
from binakarya.catalog import export_selectors, export_services
from binakarya.catalog import selectors as catalog_selectors
from binakarya.organizations import selectors as organization_selectors
from binakarya.organizations.scoping import CATALOG_ROLES


@login_required
@require_http_methods(["GET", "POST"])
def product_export(request: HttpRequest, pk: int) -> HttpResponse:
    product = get_or_404(catalog_selectors.product_for_staff, user=request.user, pk=pk)
    profile = export_selectors.export_profile_for(product=product)
    initial: dict[str, object] = {name: getattr(product, name) for name in export_services.ENGLISH_FIELDS}
    if profile is not None:
        initial |= {name: getattr(profile, name) for name in export_forms.EXPORT_FIELDS}
    else:
        # A first save starts from what the product page already knows.
        initial |= {"hs_code": product.hs_code, "moq": product.moq, "lead_time_days": product.lead_time_days}
    form = export_forms.ExportForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            export_services.product_export_save(
                actor=request.user, product=product, data=form.export_input(), english=form.english()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Export data saved."))
            return redirect("backoffice:product_export", pk=product.pk)
    return render(
        request,
        "backoffice/export_product.html",
        {"section": "products", "product": product, "form": form, "profile": profile},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def exchange_rates(request: HttpRequest) -> HttpResponse:
    """The rates staff entered (newest first) and a form for a new one. Rates are never edited: a correction
    is a newer rate."""
    if not has_any_role(request.user, CATALOG_ROLES):
        raise PermissionDenied(_("You do not manage a catalog."))
    organizations = organization_selectors.organizations_for(user=request.user, roles=CATALOG_ROLES, oversight=False)
    form = export_forms.ExchangeRateForm(request.POST or None)
    offer_organizations(form, organizations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            rate = export_services.exchange_rate_create(
                actor=request.user,
                organization=data["organization"],
                currency=data["currency"],
                idr_per_unit=data["idr_per_unit"],
                effective_date=data["effective_date"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Rate for %(currency)s saved.") % {"currency": rate.currency})
            return redirect("backoffice:exchange_rates")
    page = paginate(request, export_selectors.exchange_rates_for_staff(user=request.user))
    return render(
        request,
        "backoffice/export_rates.html",
        {"section": "products", "form": form, "page": page, "many_orgs": organizations.count() > 1},
        status=400 if form.errors else 200,
    )
