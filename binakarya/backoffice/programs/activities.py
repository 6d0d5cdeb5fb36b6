"""The activities (Kegiatan) pages: trainings, design and packaging mentoring, exhibitions and promotions, with
their attendance taken from a phone (the whole group on one page: untick the absent, save), their outcomes
(products designed there, the cashier sessions run there) and, on the agreement's page, what came from an
agreement: its activities, the grants given under it and its sales (event sales and deals), with totals.

Everyone who reads agreements reads activities and their totals; only the organization's own staff see who
attended (maker names). The facility admin, production officer or producer operator records activities;
instructors take attendance too. Writes go through ``programs.services``.
"""

import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from binakarya.backoffice.common import add_service_errors, get_or_404, paginate
from binakarya.backoffice.programs.activity_forms import (
    ActivityForm,
    DealLinkForm,
    GrantLinkForm,
    PosSessionLinkForm,
    ProductAddForm,
)
from binakarya.core.types import Actor
from binakarya.programs import selectors, services
from binakarya.programs.models import Activity, Agreement
from binakarya.programs.services import AttendanceRow

AGREEMENT_FILTER = "kerja_sama"  # ?kerja_sama=12: the activities under agreement 12
# A whole number as typed on a phone: ASCII digits only (str.isdigit() also takes "²" and "١", which int()
# refuses or reads), at most six (a longer one would overflow the database's integer).
WHOLE_NUMBER = re.compile(r"[0-9]{1,6}")
DIGITS = re.compile(r"[0-9]+")


def _agreement_id(request: HttpRequest) -> int | None:
    """The agreement id of ?kerja_sama=, or None when it is missing or not a plain number."""
    wanted = request.GET.get(AGREEMENT_FILTER, "").strip()
    return int(wanted) if WHOLE_NUMBER.fullmatch(wanted) else None


def _require_pages(user: Actor) -> None:
    if not selectors.sees_activities(user=user):
        raise PermissionDenied(_("Only staff see the activities."))


def _activity(request: HttpRequest, pk: int) -> Activity:
    _require_pages(request.user)
    return get_or_404(selectors.activity_get, user=request.user, pk=pk)


def _require_activity_manager(request: HttpRequest, activity: Activity) -> None:
    services.require_activity_manager(request.user, activity.organization_id)


def _agreement(request: HttpRequest, pk: int) -> Agreement:
    _require_pages(request.user)
    return get_or_404(selectors.agreement_get, user=request.user, pk=pk)


@login_required
@require_GET
def activity_list(request: HttpRequest) -> HttpResponse:
    _require_pages(request.user)
    user = request.user
    agreement = None
    if request.GET.get(AGREEMENT_FILTER, "").strip():  # a wrong or unknown agreement is a 404, as a wrong page
        agreement = get_or_404(selectors.agreement_get, user=user, pk=_agreement_id(request) or 0)
    return render(
        request,
        "backoffice/program_activity_list.html",
        {
            "section": "activities",
            "agreement": agreement,
            "page": paginate(request, selectors.activities_for(user=user, agreement=agreement)),
            "can_create": selectors.manages_activities(user=user),
        },
    )


def _form(request: HttpRequest, *, activity: Activity | None, initial: dict[str, Any] | None = None) -> ActivityForm:
    user = request.user
    organization = activity.organization if activity is not None else None
    return ActivityForm(
        request.POST or None,
        initial=initial,
        organizations=None if activity is not None else selectors.activity_organizations_for(user=user),
        agreements=selectors.activity_agreements(user=user, organization=organization),
        agencies=selectors.agencies(),
        groups=selectors.activity_groups(user=user, organization=organization),
    )


def _service_kwargs(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "kind": data["kind"],
        "title": data["title"],
        "agreement": data["agreement"],
        "partner": data["partner"],
        "group": data["group"],
        "place": data["place"],
        "start_date": data["start_date"],
        "end_date": data["end_date"],
        "hours": data["hours"],
        "instructors": data["instructors"],
        "outcomes": data["outcomes"],
    }


@login_required
@require_http_methods(["GET", "POST"])
def activity_create(request: HttpRequest) -> HttpResponse:
    _require_pages(request.user)
    if not selectors.manages_activities(user=request.user):
        raise PermissionDenied(
            _("Only the facility admin, the production officer or the producer operator records activities.")
        )
    initial: dict[str, Any] = {}
    wanted = _agreement_id(request)
    if wanted is not None:
        agreement = selectors.activity_agreement_for(user=request.user, pk=wanted)
        if agreement is not None:
            initial = {"agreement": agreement.pk, "organization": agreement.organization_id}
    form = _form(request, activity=None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_create(
                actor=request.user, organization=form.cleaned_data["organization"], **_service_kwargs(form.cleaned_data)
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Activity “%(title)s” recorded.") % {"title": activity.title})
            return redirect("backoffice:program_activity", pk=activity.pk)
    return render(
        request,
        "backoffice/program_activity_form.html",
        {"section": "activities", "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity(request, pk)
    _require_activity_manager(request, activity)
    initial = {
        "kind": activity.kind,
        "title": activity.title,
        "agreement": activity.agreement_id,
        "partner": activity.partner_id,
        "group": activity.group_id,
        "place": activity.place,
        "start_date": activity.start_date,
        "end_date": activity.end_date,
        "hours": activity.hours,
        "instructors": activity.instructors,
        "outcomes": activity.outcomes,
    }
    form = _form(request, activity=activity, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_update(actor=request.user, activity=activity, **_service_kwargs(form.cleaned_data))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Activity saved."))
            return redirect("backoffice:program_activity", pk=activity.pk)
    return render(
        request,
        "backoffice/program_activity_form.html",
        {"section": "activities", "form": form, "activity": activity},
        status=400 if form.errors else 200,
    )


def _detail(request: HttpRequest, activity: Activity, *, status: int = 200, **forms: Any) -> HttpResponse:
    user = request.user
    can_manage = services.may_manage_activities(user, activity.organization_id)
    if can_manage:
        forms.setdefault(
            "product_form",
            ProductAddForm(candidates=selectors.activity_product_candidates(user=user, activity=activity)),
        )
        forms.setdefault(
            "session_form",
            PosSessionLinkForm(candidates=selectors.pos_session_candidates(user=user, activity=activity)),
        )
    sessions = selectors.activity_pos_sessions(activity=activity)
    return render(
        request,
        "backoffice/program_activity_detail.html",
        {
            "section": "activities",
            "activity": activity,
            "sees_participants": selectors.sees_participants(user=user, activity=activity),
            "attendance": list(selectors.attendance_of(user=user, activity=activity)),
            "products": list(selectors.activity_products(activity=activity)),
            "sessions": sessions,
            "event_sales_idr": sum(s["total_idr"] for s in sessions),
            "can_manage": can_manage,
            "takes_attendance": services.may_take_attendance(user, activity.organization_id),
            **forms,
        },
        status=status,
    )


@login_required
@require_GET
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _activity(request, pk))


@login_required
@require_http_methods(["GET", "POST"])
def activity_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """The phone page: every maker of the roster ticked present by default; untick the absent and save."""
    activity = _activity(request, pk)
    services.require_attendance_taker(request.user, activity.organization_id)
    roster = selectors.activity_roster(user=request.user, activity=activity)
    errors: list[str] = []
    typed: dict[int, str] = {}
    if request.method == "POST":
        present = set(request.POST.getlist("present"))
        rows: list[AttendanceRow] = []
        for line in roster:
            maker = line.maker
            if not line.editable:  # no longer active: their recorded row stays as it is, not posted
                continue
            text = request.POST.get(f"hours-{maker.pk}", "").strip()
            typed[maker.pk] = text
            is_present = str(maker.pk) in present
            hours: int | None = None
            if is_present and text:
                if not DIGITS.fullmatch(text):
                    errors.append(
                        _("%(maker)s: type the hours as a whole number of 0 or more.") % {"maker": maker.full_name}
                    )
                    continue
                if not WHOLE_NUMBER.fullmatch(text):  # more than six digits: far more than any activity's hours
                    errors.append(
                        _("%(maker)s: at most %(hours)s hours, the activity's hours.")
                        % {"maker": maker.full_name, "hours": activity.hours}
                    )
                    continue
                hours = int(text)
            rows.append(AttendanceRow(maker=maker, present=is_present, hours=hours))
        if not errors:
            try:
                services.activity_attendance_record(actor=request.user, activity=activity, rows=rows)
            except ValidationError as exc:
                errors = list(exc.messages)
            else:
                count = sum(1 for row in rows if row.present)
                messages.success(
                    request,
                    _("Attendance saved: %(present)s of %(total)s present.") % {"present": count, "total": len(rows)},
                )
                return redirect("backoffice:program_activity", pk=activity.pk)
        roster_rows = [
            {
                "maker": line.maker,
                "present": str(line.maker.pk) in present if line.editable else line.present,
                "hours": typed.get(line.maker.pk, "") if line.editable else line.hours,
                "editable": line.editable,
            }
            for line in roster
        ]
    else:
        roster_rows = [
            {
                "maker": line.maker,
                "present": line.present,
                "hours": (
                    line.hours
                    if not line.editable
                    else str(line.hours)
                    if line.recorded and line.present and line.hours != activity.hours
                    else ""
                ),
                "editable": line.editable,
            }
            for line in roster
        ]
    return render(
        request,
        "backoffice/program_activity_attendance.html",
        {
            "section": "activities",
            "activity": activity,
            "roster": roster_rows,
            "editable_count": sum(1 for line in roster if line.editable),
            "errors": errors,
        },
        status=400 if errors else 200,
    )


@login_required
@require_POST
def activity_product_add(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity(request, pk)
    _require_activity_manager(request, activity)
    form = ProductAddForm(
        request.POST, candidates=selectors.activity_product_candidates(user=request.user, activity=activity)
    )
    if form.is_valid():
        try:
            services.activity_product_add(actor=request.user, activity=activity, product=form.cleaned_data["product"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Product recorded as an outcome of the activity."))
            return redirect("backoffice:program_activity", pk=activity.pk)
    return _detail(request, activity, status=400, product_form=form)


@login_required
@require_POST
def activity_product_remove(request: HttpRequest, pk: int, product_pk: int) -> HttpResponse:
    activity = _activity(request, pk)
    _require_activity_manager(request, activity)
    product = get_or_404(selectors.activity_product_get, user=request.user, activity=activity, pk=product_pk)
    try:
        services.activity_product_remove(actor=request.user, activity=activity, product=product)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Product removed from the activity's outcomes."))
    return redirect("backoffice:program_activity", pk=activity.pk)


@login_required
@require_POST
def activity_pos_link(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity(request, pk)
    _require_activity_manager(request, activity)
    form = PosSessionLinkForm(
        request.POST, candidates=selectors.pos_session_candidates(user=request.user, activity=activity)
    )
    if form.is_valid():
        try:
            services.activity_pos_session_link(
                actor=request.user, activity=activity, session=form.cleaned_data["session"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Cashier session linked: its sales count as the activity's sales."))
            return redirect("backoffice:program_activity", pk=activity.pk)
    return _detail(request, activity, status=400, session_form=form)


@login_required
@require_POST
def activity_pos_unlink(request: HttpRequest, pk: int, session_pk: int) -> HttpResponse:
    activity = _activity(request, pk)
    _require_activity_manager(request, activity)
    session = get_or_404(selectors.activity_pos_session_get, user=request.user, activity=activity, pk=session_pk)
    try:
        services.activity_pos_session_unlink(actor=request.user, activity=activity, session=session)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Cashier session unlinked."))
    return redirect("backoffice:program_activity", pk=activity.pk)


# The agreement's page: what came from it ------------------------------------------------------------------


def agreement_outcomes_context(request: HttpRequest, agreement: Agreement, *, can_manage: bool) -> dict[str, Any]:
    """What the agreement's page shows of its outcomes: activities, grants, sales, and the link forms."""
    user = request.user
    context: dict[str, Any] = {
        "outcomes": selectors.agreement_outcomes(user=user, agreement=agreement),
        "records_activities": services.may_manage_activities(user, agreement.organization_id),
        "activity_filter": AGREEMENT_FILTER,
    }
    if can_manage:
        context["grant_form"] = GrantLinkForm(candidates=selectors.grant_candidates(user=user, agreement=agreement))
        context["deal_form"] = DealLinkForm(candidates=selectors.deal_candidates(user=user, agreement=agreement))
    return context


def _refused(request: HttpRequest, agreement: Agreement, form: Any) -> HttpResponse:
    """A link form refused (a stale choice): say why on the agreement's page."""
    for errors in form.errors.values():
        messages.error(request, " ".join(errors))
    return redirect("backoffice:program_agreement", pk=agreement.pk)


@login_required
@require_POST
def agreement_grant_link(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _agreement(request, pk)
    services.require_manager(request.user, agreement.organization_id)
    form = GrantLinkForm(request.POST, candidates=selectors.grant_candidates(user=request.user, agreement=agreement))
    if form.is_valid():
        try:
            services.agreement_grant_link(
                actor=request.user, agreement=agreement, movement=form.cleaned_data["movement"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Grant linked to the agreement."))
            return redirect("backoffice:program_agreement", pk=agreement.pk)
    return _refused(request, agreement, form)


@login_required
@require_POST
def agreement_grant_unlink(request: HttpRequest, pk: int, movement_pk: int) -> HttpResponse:
    agreement = _agreement(request, pk)
    services.require_manager(request.user, agreement.organization_id)
    movement = get_or_404(selectors.grant_get, user=request.user, agreement=agreement, pk=movement_pk)
    try:
        services.agreement_grant_unlink(actor=request.user, agreement=agreement, movement=movement)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Grant unlinked from the agreement."))
    return redirect("backoffice:program_agreement", pk=agreement.pk)


@login_required
@require_POST
def agreement_deal_link(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _agreement(request, pk)
    services.require_manager(request.user, agreement.organization_id)
    form = DealLinkForm(request.POST, candidates=selectors.deal_candidates(user=request.user, agreement=agreement))
    if form.is_valid():
        try:
            services.agreement_deal_link(actor=request.user, agreement=agreement, deal=form.cleaned_data["deal"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Deal linked to the agreement."))
            return redirect("backoffice:program_agreement", pk=agreement.pk)
    return _refused(request, agreement, form)


@login_required
@require_POST
def agreement_deal_unlink(request: HttpRequest, pk: int, deal_pk: int) -> HttpResponse:
    agreement = _agreement(request, pk)
    services.require_manager(request.user, agreement.organization_id)
    deal = get_or_404(selectors.deal_lookup, user=request.user, agreement=agreement, pk=deal_pk)
    try:
        services.agreement_deal_unlink(actor=request.user, agreement=agreement, deal=deal)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Deal unlinked from the agreement."))
    return redirect("backoffice:program_agreement", pk=agreement.pk)
