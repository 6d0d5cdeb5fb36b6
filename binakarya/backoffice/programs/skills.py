"""A maker's skill record, the skills certificate and the release checklist (programs, issue 15).

Only the maker's own organization's staff see these pages (they name the person): anyone else gets 404. The
facility admin (or an UMKM's producer operator) issues certificates; only the facility admin completes the
release checklist, which pays the premi out, issues the certificate and marks the maker released in one go.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from binakarya.backoffice.common import add_service_errors, get_or_404, pdf_response, site_base_url
from binakarya.backoffice.programs.skills_forms import CertificateForm, ReleaseForm
from binakarya.core.money import format_rupiah
from binakarya.programs import selectors, services
from binakarya.programs.pdf import certificate_pdf
from binakarya.programs.selectors import SkillRecord


def _record(request: HttpRequest, pk: int) -> SkillRecord:
    return get_or_404(selectors.maker_skills, user=request.user, maker_pk=pk)


@login_required
@require_GET
def skill_record(request: HttpRequest, pk: int) -> HttpResponse:
    record = _record(request, pk)
    maker = record.maker
    return render(
        request,
        "backoffice/program_skills.html",
        {
            "section": "makers",
            "record": record,
            "maker": maker,
            "can_certify": selectors.may_issue_certificate_for(user=request.user, maker=maker),
            "can_release": record.release is None
            and maker.kind == maker.Kind.INMATE
            and selectors.may_release(user=request.user, maker=maker),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def certificate_create(request: HttpRequest, pk: int) -> HttpResponse:
    record = _record(request, pk)
    maker = record.maker
    if not selectors.may_issue_certificate_for(user=request.user, maker=maker):
        raise PermissionDenied(_("Only the facility admin or the producer operator issues skills certificates."))
    form = CertificateForm(request.POST or None, initial=record.proposal(), agencies=selectors.agencies())
    if request.method == "POST" and form.is_valid():
        try:
            certificate = services.certificate_issue(actor=request.user, maker=maker, **form.certificate_fields())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Skills certificate %(number)s issued.") % {"number": certificate.document.number}
            )
            return redirect("backoffice:program_skills", pk=maker.pk)
    return render(
        request,
        "backoffice/program_skills_certificate.html",
        {"section": "makers", "record": record, "maker": maker, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def certificate_download(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = get_or_404(selectors.certificate_get, user=request.user, pk=pk)
    return pdf_response(
        certificate_pdf(certificate=certificate, base_url=site_base_url(request)), f"{certificate.document.number}.pdf"
    )


@login_required
@require_POST
def certificate_name_consent_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """The person no longer wants to be named on the certificate's public verification page."""
    certificate = get_or_404(selectors.certificate_get, user=request.user, pk=pk)
    try:
        services.certificate_name_consent_withdraw(actor=request.user, certificate=certificate)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("The name no longer appears on the public verification page of %(number)s.")
            % {"number": certificate.document.number},
        )
    return redirect("backoffice:program_skills", pk=certificate.maker_id)


def _release_kwargs(form: ReleaseForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "released_on": data["released_on"],
        "payout_method": data.get("payout_method") or "RELEASE",
        "recipient_name": data.get("recipient_name") or "",
        "recipient_relationship": data.get("recipient_relationship") or "",
        "reference": data.get("reference") or "",
        "expected_owed_idr": data.get("expected_owed_idr"),
        "certificate": form.certificate_fields() if data.get("issue_certificate") else None,
        "outcomes_consent": data["outcomes_consent"],
        "note": data["note"],
    }


@login_required
@require_http_methods(["GET", "POST"])
def release_checklist(request: HttpRequest, pk: int) -> HttpResponse:
    record = _record(request, pk)
    maker = record.maker
    if not selectors.may_release(user=request.user, maker=maker):
        raise PermissionDenied(_("Only the facility admin completes the release checklist."))
    if record.release is not None:
        messages.info(request, _("The release checklist of this maker is already complete."))
        return redirect("backoffice:program_skills", pk=maker.pk)
    owed = selectors.premi_owed(maker=maker)
    methods = selectors.release_payout_methods(maker=maker)
    initial = record.proposal() | {
        "released_on": selectors.today(),
        "expected_owed_idr": owed,
        "issue_certificate": bool(record.hours_of_practice),
        "payout_method": methods[0][0] if methods else "",
    }
    form = ReleaseForm(
        request.POST or None,
        initial=initial,
        agencies=selectors.agencies(),
        methods=methods,
        owed_idr=owed,
    )
    if request.method == "POST" and form.is_valid():
        try:
            release = services.release_complete(actor=request.user, maker=maker, **_release_kwargs(form))
        except ValidationError as exc:
            add_service_errors(form, exc, field_map={"recipient": "recipient_name", "amount_idr": "payout_method"})
        else:
            messages.success(
                request,
                _("%(name)s is released: premi paid %(amount)s.")
                % {"name": maker.full_name, "amount": format_rupiah(release.premi_paid_idr)},
            )
            return redirect("backoffice:program_skills", pk=maker.pk)
    return render(
        request,
        "backoffice/program_release.html",
        {"section": "makers", "record": record, "maker": maker, "form": form, "owed_idr": owed, "methods": methods},
        status=400 if form.errors else 200,
    )
