"""The agreements (Kerja sama) pages: the list with what needs attention at the top (agreements ending within
60 days, overdue obligations), recording and changing an agreement with its signed PDF, one agreement with its
obligations (add one, mark one done) and the PDF download.

Everyone with a staff role but an outlet partner reads the agreements of the organizations they see (viewers
too: agreements name organizations, never a maker); the facility admin or producer operator of the agreement's
organization writes, through ``programs.services``.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from binakarya.backoffice.common import add_service_errors, get_or_404, paginate
from binakarya.backoffice.programs.activities import agreement_outcomes_context
from binakarya.backoffice.programs.forms import AgreementForm, ObligationForm
from binakarya.core.types import Actor
from binakarya.programs import selectors, services
from binakarya.programs.models import Agreement


def _require_pages(user: Actor) -> None:
    if not selectors.sees_agreements(user=user):
        raise PermissionDenied(_("Only staff see the agreements."))


def _agreement(request: HttpRequest, pk: int) -> Agreement:
    _require_pages(request.user)
    return get_or_404(selectors.agreement_get, user=request.user, pk=pk)


def _require_manager(request: HttpRequest, agreement: Agreement) -> None:
    if not services.may_manage(request.user, agreement.organization_id):
        raise PermissionDenied(_("Only the facility admin or the producer operator records agreements."))


@login_required
@require_GET
def agreement_list(request: HttpRequest) -> HttpResponse:
    _require_pages(request.user)
    user = request.user
    return render(
        request,
        "backoffice/program_agreement_list.html",
        {
            "section": "programs",
            "ending": list(selectors.agreements_ending(user=user)[:20]),
            "overdue": list(selectors.obligations_overdue(user=user)[:20]),
            "page": paginate(request, selectors.agreements_for(user=user)),
            "can_create": selectors.manages_agreements(user=user),
            "within_days": selectors.ENDING_WITHIN_DAYS,
        },
    )


def _service_kwargs(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "kind": data["kind"],
        "number": data["number"],
        "title": data["title"],
        "partners": list(data["partners"]),
        "signed_date": data["signed_date"],
        "start_date": data["start_date"],
        "end_date": data["end_date"],
        "scope": data["scope"],
        "signed_document": data["signed_document"] or None,
    }


@login_required
@require_http_methods(["GET", "POST"])
def agreement_create(request: HttpRequest) -> HttpResponse:
    _require_pages(request.user)
    organizations = selectors.signer_organizations_for(user=request.user)
    if not organizations.exists():
        raise PermissionDenied(_("Only the facility admin or the producer operator records agreements."))
    form = AgreementForm(
        request.POST or None, request.FILES or None, organizations=organizations, agencies=selectors.agencies()
    )
    if request.method == "POST" and form.is_valid():
        try:
            agreement = services.agreement_create(
                actor=request.user, organization=form.cleaned_data["organization"], **_service_kwargs(form.cleaned_data)
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Agreement %(number)s recorded.") % {"number": agreement.number})
            return redirect("backoffice:program_agreement", pk=agreement.pk)
    return render(request, "backoffice/program_agreement_form.html", {"section": "programs", "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def agreement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _agreement(request, pk)
    _require_manager(request, agreement)
    initial = {
        "kind": agreement.kind,
        "number": agreement.number,
        "title": agreement.title,
        "partners": list(agreement.partners.all()),
        "signed_date": agreement.signed_date,
        "start_date": agreement.start_date,
        "end_date": agreement.end_date,
        "scope": agreement.scope,
    }
    form = AgreementForm(
        request.POST or None, request.FILES or None, initial=initial, organizations=None, agencies=selectors.agencies()
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.agreement_update(actor=request.user, agreement=agreement, **_service_kwargs(form.cleaned_data))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Agreement %(number)s saved.") % {"number": form.cleaned_data["number"]})
            return redirect("backoffice:program_agreement", pk=agreement.pk)
    return render(
        request, "backoffice/program_agreement_form.html", {"section": "programs", "form": form, "agreement": agreement}
    )


def _detail(request: HttpRequest, agreement: Agreement, obligation_form: ObligationForm | None = None) -> HttpResponse:
    can_manage = services.may_manage(request.user, agreement.organization_id)
    partners = list(agreement.partners.all())
    if obligation_form is None and can_manage:
        obligation_form = ObligationForm(partners=partners)
    return render(
        request,
        "backoffice/program_agreement_detail.html",
        {
            "section": "programs",
            "agreement": agreement,
            "partners": partners,
            "obligations": list(selectors.obligations_of(user=request.user, agreement=agreement)),
            "can_manage": can_manage,
            "obligation_form": obligation_form,
            "today": selectors.today(),
            # What came from the agreement: activities, grants, sales (backoffice/programs/activities.py)
            **agreement_outcomes_context(request, agreement, can_manage=can_manage),
        },
        status=400 if obligation_form is not None and obligation_form.errors else 200,
    )


@login_required
@require_GET
def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _agreement(request, pk))


@login_required
@require_POST
def obligation_add(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _agreement(request, pk)
    _require_manager(request, agreement)
    form = ObligationForm(request.POST, partners=list(agreement.partners.all()))
    if form.is_valid():
        try:
            services.obligation_add(
                actor=request.user,
                agreement=agreement,
                description=form.cleaned_data["description"],
                due_date=form.cleaned_data["due_date"],
                party=form.party_organization(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Obligation added."))
            return redirect("backoffice:program_agreement", pk=agreement.pk)
    return _detail(request, agreement, form)


@login_required
@require_POST
def obligation_done(request: HttpRequest, pk: int, obligation_pk: int) -> HttpResponse:
    agreement = _agreement(request, pk)
    _require_manager(request, agreement)
    obligation = get_or_404(selectors.obligation_get, user=request.user, agreement=agreement, pk=obligation_pk)
    try:
        services.obligation_done(actor=request.user, obligation=obligation)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Obligation marked done."))
    return redirect("backoffice:program_agreement", pk=agreement.pk)


@login_required
@require_GET
def agreement_document(request: HttpRequest, pk: int) -> FileResponse:
    """The signed PDF, streamed from private storage to whoever may read the agreement (no public address)."""
    agreement = _agreement(request, pk)
    if not agreement.signed_document:
        raise Http404(_("Not found."))
    response = FileResponse(
        agreement.signed_document.open("rb"),
        as_attachment=True,
        filename=f"kerja-sama-{agreement.organization.slug}-{agreement.pk}.pdf",
        content_type="application/pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response
