"""After release (issue 15): the facility's releases with their livelihood and outcome status (checks due at 6
and 12 months), starting a livelihood, recording an outcome check.

Facility staff only, never through an oversight role: the link between a released person and their new
producer is read by the releasing facility alone. Another organization's release is a 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from binakarya.backoffice.common import add_service_errors, get_or_404
from binakarya.backoffice.programs.after_release_forms import LivelihoodForm, OutcomeForm
from binakarya.core.types import Actor
from binakarya.programs import selectors, services
from binakarya.programs.models import Release


def _require_pages(user: Actor) -> None:
    if not selectors.sees_releases(user=user):
        raise PermissionDenied(_("Only the facility's staff see its releases."))


def _release(request: HttpRequest, pk: int) -> Release:
    _require_pages(request.user)
    return get_or_404(selectors.release_get, user=request.user, pk=pk)


@login_required
@require_GET
def release_list(request: HttpRequest) -> HttpResponse:
    _require_pages(request.user)
    rows = selectors.release_worklist(user=request.user)
    facilities = sorted({r.release.organization for r in rows}, key=lambda o: o.name)
    outcomes = [
        selectors.facility_outcomes(user=request.user, facility=f)
        for f in facilities
        if selectors.may_see_facility_outcomes(user=request.user, facility=f)
    ]
    return render(
        request,
        "backoffice/program_release_list.html",
        {
            "section": "programs",
            "rows": rows,
            "due_count": sum(1 for r in rows if r.due),
            "outcomes": outcomes,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def livelihood(request: HttpRequest, release_pk: int) -> HttpResponse:
    release = _release(request, release_pk)
    existing = selectors.livelihood_of(release)
    can_start = existing is None and services.may_start_livelihood(request.user, release)
    form = None
    if can_start:
        form = LivelihoodForm(
            request.POST or None,
            agencies=selectors.livelihood_agencies(),
            initial={"consent_date": selectors.today(), "province": release.organization.province},
        )
    elif request.method == "POST":
        raise PermissionDenied(_("Only the admin of the facility that released this person starts their livelihood."))
    if request.method == "POST" and form is not None and form.is_valid():
        data = form.cleaned_data
        try:
            started = services.livelihood_start(
                actor=request.user,
                release=release,
                consent_date=data["consent_date"],
                business_name=data["business_name"],
                regency=data["regency"],
                province=data["province"],
                phone=data["phone"],
                description=data["description"],
                agency=data["agency"],
                operator_username=data["operator_username"],
                operator_email=data["operator_email"] or "",
                operator_password=data["operator_password"],
                starting_capital_idr=data["starting_capital_idr"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(name)s is now a producer on Binakarya.") % {"name": started.producer.name})
            return redirect("backoffice:program_releases")
    return render(
        request,
        "backoffice/program_livelihood.html",
        {"section": "programs", "release": release, "livelihood": existing, "form": form},
        status=400 if form is not None and form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def outcome(request: HttpRequest, release_pk: int) -> HttpResponse:
    release = _release(request, release_pk)
    status = selectors.release_status(release)
    can_record = release.outcomes_consent and services.may_record_outcome(request.user, release)
    if request.method == "POST" and not can_record:
        raise PermissionDenied(_("Only the admin or production officer of the releasing facility records outcomes."))
    form = None
    if can_record:
        initial = {"checked_on": selectors.today(), "months": status.due[0] if status.due else 6}
        form = OutcomeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form is not None and form.is_valid():
        data = form.cleaned_data
        try:
            services.outcome_record(
                actor=request.user,
                release=release,
                months=data["months"],
                checked_on=data["checked_on"],
                producing=data["producing"] == "yes",
                income_band=data["income_band"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The answer is recorded."))
            return redirect("backoffice:program_releases")
    return render(
        request,
        "backoffice/program_outcome.html",
        {"section": "programs", "release": release, "status": status, "form": form},
        status=400 if form is not None and form.errors else 200,
    )
