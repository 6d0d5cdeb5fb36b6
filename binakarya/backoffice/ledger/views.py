"""Staff pages for the money: split rules and their preview, makers' premi (statements, payouts, slips, who
leaves soon), capital funds, PNBP and the trial balance.

Who sees what follows the API (binakarya/api/ledger.py):

- a maker's statement and payouts: only the maker's own organization's staff (``scoping.MAKER_ROLES``, no
  oversight); anyone else gets 404, as for a maker that does not exist;
- split rules and capital funds: every staff role but outlet partners, and oversight;
- the trial balance and PNBP: the book keepers, auditors and oversight;
- every write: ``ledger.manage`` (facility admin, finance officer, producer operator), checked again by
  ``ledger.services``; a user who may only look gets 403.
"""

import datetime
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from binakarya.backoffice.access import keeps_pnbp, money_sections
from binakarya.backoffice.common import (
    add_service_errors,
    export_filename,
    export_links,
    get_or_404,
    pdf_response,
    site_base_url,
)
from binakarya.backoffice.ledger import forms
from binakarya.core.exports import export_format, export_response
from binakarya.core.money import format_rupiah
from binakarya.core.types import Actor
from binakarya.documents.renderers import payout_slip_pdf, premi_statement_pdf
from binakarya.ledger import reports as ledger_reports
from binakarya.ledger import selectors as ledger_selectors
from binakarya.ledger import services as ledger_services
from binakarya.ledger.models import BASIS_POINTS, CapitalMovement, Payout, SplitRule
from binakarya.ledger.selectors import BOOKS_VIEW_ROLES, PNBP_KINDS, RULES_VIEW_ROLES, StatementLine
from binakarya.ledger.services import InsufficientBalance
from binakarya.ledger.split import split_lot_sale
from binakarya.makers import selectors as maker_selectors
from binakarya.makers.models import Group, Maker
from binakarya.organizations import selectors as organization_selectors
from binakarya.organizations.models import Organization
from binakarya.organizations.scoping import LEDGER_ROLES, MAKER_ROLES, has_role
from binakarya.organizations.selectors import BOOK_KINDS
from binakarya.programs import selectors as program_selectors

EXAMPLE_PREFIX = "contoh"
RELEASE_WITHIN_DAYS = 30


def _books_of(
    user: Actor, slug: str | None, *, roles: Iterable[str], kinds: Iterable[str] = BOOK_KINDS
) -> tuple[Organization, QuerySet[Organization]]:
    """The organization named by its slug among those whose books ``user`` sees with ``roles`` (404 otherwise),
    or the first of them; and all of them, for the picker."""
    organizations = ledger_selectors.book_organizations_for(user=user, roles=roles, kinds=kinds)
    slug = (slug or "").strip()
    if slug:
        organization = get_or_404(
            ledger_selectors.book_organization_for, user=user, slug=slug, roles=roles, kinds=kinds
        )
        return organization, organizations
    first = organizations.first()
    if first is None:
        raise PermissionDenied(_("Only the staff of a facility or a producer see its money."))
    return first, organizations


# Overview ---------------------------------------------------------------------------------------


@login_required
@require_GET
def money(request: HttpRequest) -> HttpResponse:
    user = request.user
    sections = money_sections(user)
    if not any(sections.values()):
        raise PermissionDenied(_("Only the staff of a facility or a producer see its money."))
    leaving = ledger_selectors.release_worklist(user=user, within_days=RELEASE_WITHIN_DAYS) if sections["premi"] else []
    return render(
        request,
        "backoffice/ledger_home.html",
        {
            "section": "money",
            "sections": sections,
            "leaving_count": len(leaving),
            "leaving_owed": sum(owed for _maker, owed in leaving),
            "overdue_count": sum(1 for maker, _owed in leaving if _is_overdue(maker)),
            "has_pnbp": sections["books"] and keeps_pnbp(user),
        },
    )


def _is_overdue(maker: Maker, today: datetime.date | None = None) -> bool:
    """Whether the maker's expected release date has passed (release_worklist keeps them only while owed)."""
    date = maker.expected_release_date
    return date is not None and date < (today or timezone.localdate())


# Split rules ------------------------------------------------------------------------------------


@login_required
@require_GET
def rule_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not money_sections(user)["rules"]:
        raise PermissionDenied(_("Only the staff of a facility or a producer see its split rules."))
    rows = ledger_selectors.split_rule_rows_for(user=user)
    return render(
        request,
        "backoffice/rule_list.html",
        {
            "section": "money",
            "rules": rows,
            "many_orgs": len({row.rule.organization_id for row in rows}) > 1,
            "can_create": _rule_organizations(user).exists(),
            "today": timezone.localdate(),
        },
    )


def _rule_organizations(user: Actor) -> QuerySet[Organization]:
    """The organizations whose books ``user`` keeps (deactivated ones too): those they may enter rules for."""
    return ledger_selectors.book_organizations_for(user=user, roles=LEDGER_ROLES, oversight=False, active_only=False)


def _preview(form: forms.SplitRuleForm, example: forms.SplitExampleForm, *, field_messages: bool) -> dict[str, Any]:
    """What the rule typed in ``form`` does to the example sale; nothing is saved.

    The rule is checked as split_rule_create checks it (its messages are shown), except that a missing legal
    reference does not stop a preview. ``field_messages`` also lists the forms' own field errors (for the
    htmx section, which is drawn without the form).
    """
    problems: list[str] = []
    rule_valid, example_valid = form.is_valid(), example.is_valid()
    if field_messages:
        bound_form: forms.SplitRuleForm | forms.SplitExampleForm
        for bound_form in (form, example):
            for name, field_errors in bound_form.errors.items():
                label = bound_form.fields[name].label if name in bound_form.fields else ""
                problems += [f"{label}: {error}" if label else str(error) for error in field_errors]
    preview: dict[str, Any] = {"problems": problems, "split": None}
    if not rule_valid or not example_valid:
        return preview
    fields = form.rule_fields()
    try:
        rule = ledger_services.split_rule_validate(**fields)
    except ValidationError as exc:
        for key, rule_errors in exc.message_dict.items():
            if key != "legal_reference":
                problems += rule_errors
        rule = SplitRule(**fields)  # unsaved, as split_rule_validate builds it
    if problems:
        return preview
    sale = example.lot_sale()
    split = split_lot_sale(ledger_selectors.rule_of(rule), sale)
    organization = form.cleaned_data["organization"]
    preview.update(
        split=split,
        example=sale,
        is_facility=organization.kind == Organization.Kind.FACILITY,
        contributors=[
            {"share": share, "premi_idr": premi, "deductions_idr": sum(taken.values()), "net_idr": net}
            for share, premi, taken, net in zip(
                sale.contributor_shares,
                split.premi_by_contributor,
                split.deductions_by_contributor,
                split.net_premi_by_contributor,
                strict=True,
            )
        ],
        deductions_idr=sum(sum(taken.values()) for taken in split.deductions_by_contributor),
    )
    return preview


@login_required
@require_http_methods(["GET", "POST"])
def rule_create(request: HttpRequest) -> HttpResponse:
    """Enter a split rule in percent. A POST with ``_preview`` only shows what it does to the example sale."""
    user = request.user
    organizations = _rule_organizations(user)
    if not organizations.exists():
        raise PermissionDenied(_("You do not keep the books of a facility or a producer."))
    data = request.POST if request.method == "POST" else None
    form = forms.SplitRuleForm(data, organizations=organizations)
    example = forms.SplitExampleForm(data, prefix=EXAMPLE_PREFIX)
    preview = None
    if data is not None:
        if "_preview" not in data and form.is_valid():
            try:
                rule = ledger_services.split_rule_create(actor=user, **form.service_kwargs())
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Split rule saved: in force from %(date)s.")
                    % {"date": dateformat.format(rule.effective_from, "j M Y")},
                )
                return redirect(reverse("backoffice:rules") + f"#rule-{rule.pk}")
        preview = _preview(form, example, field_messages=False)
    return render(
        request,
        "backoffice/rule_create.html",
        {"section": "money", "form": form, "example": example, "preview": preview},
    )


@login_required
@require_POST
def rule_preview(request: HttpRequest) -> HttpResponse:
    """The preview section alone, for htmx while the rule is typed. Never saves."""
    organizations = _rule_organizations(request.user)
    if not organizations.exists():
        raise PermissionDenied(_("You do not keep the books of a facility or a producer."))
    form = forms.SplitRuleForm(request.POST, organizations=organizations)
    example = forms.SplitExampleForm(request.POST, prefix=EXAMPLE_PREFIX)
    preview = _preview(form, example, field_messages=True)
    return render(request, "backoffice/includes/rule_preview.html", {"preview": preview})


# Makers' premi ----------------------------------------------------------------------------------


def _statement(request: HttpRequest, pk: int) -> tuple[Maker, list[StatementLine], int]:
    """The maker's statement; another organization's maker (or a viewer above it) is a 404."""
    try:
        return ledger_selectors.maker_statement(user=request.user, maker_id=pk)
    except Maker.DoesNotExist as exc:
        raise Http404(_("Not found.")) from exc


def _payout_methods(organization: Organization) -> list[str]:
    policy = ledger_selectors.payout_policy_for(organization=organization)
    allowed = {
        Payout.Method.EMONEY: policy.allow_emoney,
        Payout.Method.SAVINGS: policy.allow_savings,
        Payout.Method.FAMILY: policy.allow_family,
        Payout.Method.RELEASE: policy.allow_on_release,
    }
    return [method for method, ok in allowed.items() if ok]


def _render_statement(
    request: HttpRequest,
    pk: int,
    *,
    payout_form: forms.PayoutForm | None = None,
    status: int = 200,
    open_payout: bool = False,
) -> HttpResponse:
    user = request.user
    maker, lines, balance = _statement(request, pk)
    organization = maker.organization
    can_pay = user.has_perm("ledger.manage", organization)
    policy = ledger_selectors.payout_policy_for(organization=organization)
    if payout_form is None and can_pay:
        payout_form = forms.PayoutForm(methods=_payout_methods(organization))
    earned = ledger_selectors.maker_premi_earned(maker=maker)
    return render(
        request,
        "backoffice/statement_detail.html",
        {
            "section": "makers",
            "maker": maker,
            "lines": lines,
            "balance_idr": balance,
            "earned_idr": earned,
            "paid_idr": earned - balance,
            "inside_percent": Decimal(policy.inside_spending_bp) * 100 / BASIS_POINTS,
            "payouts": ledger_selectors.payouts_for(maker=maker),
            "payout_form": payout_form if can_pay else None,
            # "Pay out" from the list of makers leaving soon opens the payout form.
            "open_payout": open_payout or "bayar" in request.GET,
        },
        status=status,
    )


@login_required
@require_GET
def statement(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_statement(request, pk)


@login_required
@require_POST
def statement_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """Issue a premi statement (number and verification code) and hand over its PDF, for makers without internet."""
    maker, _lines, _balance = _statement(request, pk)
    document = ledger_services.premi_statement_issue(actor=request.user, maker=maker)
    maker, lines, balance = _statement(request, pk)
    pdf = premi_statement_pdf(
        document=document, maker=maker, lines=lines, balance_idr=balance, base_url=site_base_url(request)
    )
    return pdf_response(pdf, f"premi-{document.number}.pdf")


@login_required
@require_POST
def payout_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Paying out takes two steps: the form's values are checked and shown for confirmation (the amount, how
    it is paid and who receives it), and only the confirmed POST (``confirm``) pays. ``_change`` goes back to
    the form with the values typed. A refusal at either step shows the form with its errors."""
    user = request.user
    maker = get_or_404(maker_selectors.maker_for, user=user, pk=pk)
    ledger_services.require_books_keeper(user, maker.organization)
    form = forms.PayoutForm(request.POST)
    if "_change" in request.POST:
        form.is_valid()
        changed = forms.PayoutForm(initial=form.cleaned_data, methods=_payout_methods(maker.organization))
        return _render_statement(request, pk, payout_form=changed, open_payout=True)
    if form.is_valid():
        confirmed = "confirm" in request.POST
        payout: Payout | None = None
        try:
            if confirmed:
                payout = ledger_services.premi_payout(
                    actor=user, maker=maker, expected_owed_idr=form.owed_when_checked(), **form.service_kwargs()
                )
            else:
                ledger_services.premi_payout_check(actor=user, maker=maker, **form.service_kwargs())
        except InsufficientBalance as exc:
            # More than is owed, or over the share that may be spent inside: next to the amount.
            add_service_errors(form, exc, default_field="amount_idr")
        except ValidationError as exc:
            add_service_errors(form, exc, field_map=forms.PAYOUT_ERROR_FIELDS)
        else:
            if payout is None:
                return _render_payout_confirm(request, maker, form)
            messages.success(
                request,
                _("%(amount)s paid out. Print the slip for the recipient to sign.")
                % {"amount": format_rupiah(payout.amount_idr)},
            )
            return redirect("backoffice:payout_detail", pk=maker.pk, payout_pk=payout.pk)
    return _render_statement(request, pk, payout_form=form)


def _render_payout_confirm(request: HttpRequest, maker: Maker, form: forms.PayoutForm) -> HttpResponse:
    data = form.cleaned_data
    owed = ledger_selectors.maker_premi_owed(maker=maker)
    # The confirmation sends back what was owed when it was shown: a second tap on "confirm" pays nothing.
    form = forms.PayoutForm({**dict(form.data.items()), "expected_owed_idr": owed})
    form.is_valid()
    return render(
        request,
        "backoffice/payout_confirm.html",
        {
            "section": "makers",
            "maker": maker,
            "form": form,
            "amount_idr": data["amount_idr"],
            "method": data["method"],
            "method_label": Payout.Method(data["method"]).label,
            "recipient_name": data["recipient_name"].strip(),
            "recipient_relationship": data["recipient_relationship"].strip(),
            "reference": data["reference"].strip(),
            "balance_idr": owed,
            "after_idr": owed - data["amount_idr"],
        },
    )


def _get_payout(request: HttpRequest, pk: int, payout_pk: int) -> Payout:
    maker = get_or_404(maker_selectors.maker_for, user=request.user, pk=pk)
    payout: Payout = get_or_404(ledger_selectors.payout_for, maker=maker, pk=payout_pk)
    return payout


@login_required
@require_GET
def payout_detail(request: HttpRequest, pk: int, payout_pk: int) -> HttpResponse:
    payout = _get_payout(request, pk, payout_pk)
    return render(
        request,
        "backoffice/payout_detail.html",
        {
            "section": "makers",
            "payout": payout,
            "maker": payout.maker,
            "balance_idr": ledger_selectors.maker_premi_owed(maker=payout.maker),
        },
    )


@login_required
@require_GET
def payout_pdf(request: HttpRequest, pk: int, payout_pk: int) -> HttpResponse:
    """The payout slip with its verification QR code (printed again: the same number and code)."""
    payout = _get_payout(request, pk, payout_pk)
    pdf = payout_slip_pdf(payout=payout, base_url=site_base_url(request))
    return pdf_response(pdf, f"slip-{payout.document.number}.pdf")


@login_required
@require_GET
def release_worklist(request: HttpRequest) -> HttpResponse:
    """Makers expected to leave within 30 days and the premi each is owed: pay it before they go.

    Those whose expected release date has passed while they are still active and owed premi come first,
    flagged as overdue.
    """
    user = request.user
    if not money_sections(user)["premi"]:
        raise PermissionDenied(_("Only the staff of a facility or a producer see makers."))
    today = timezone.localdate()
    leaving = ledger_selectors.release_worklist(user=user, within_days=RELEASE_WITHIN_DAYS, today=today)
    rows = [
        {
            "maker": maker,
            "owed_idr": owed,
            # release_worklist only lists makers with an expected release date.
            "days": (maker.expected_release_date - today).days if maker.expected_release_date else 0,
            "overdue": _is_overdue(maker, today),
            "days_late": (today - maker.expected_release_date).days if maker.expected_release_date else 0,
            "can_pay": owed > 0 and user.has_perm("ledger.manage", maker.organization),
            "can_release": program_selectors.may_release(user=user, maker=maker),
        }
        for maker, owed in leaving
    ]
    return render(
        request,
        "backoffice/payout_worklist.html",
        {
            "section": "money",
            "rows": rows,
            "owed_idr": sum(owed for _maker, owed in leaving),
            "overdue_count": sum(1 for row in rows if row["overdue"]),
            "within_days": RELEASE_WITHIN_DAYS,
            "many_orgs": len({maker.organization_id for maker, _owed in leaving}) > 1,
        },
    )


# Capital funds ----------------------------------------------------------------------------------


def _agencies() -> QuerySet[Organization]:
    """The active agencies (Disperindag, Dekranasda, a district office…) a grant may come from."""
    return organization_selectors.organizations_by_kind(kinds=[Organization.Kind.AGENCY])


def _render_capital(
    request: HttpRequest,
    organization: Organization,
    organizations: QuerySet[Organization],
    *,
    grant_form: forms.CapitalGrantForm | None = None,
    purchase_form: forms.CapitalPurchaseForm | None = None,
) -> HttpResponse:
    user = request.user
    can_manage = user.has_perm("ledger.manage", organization)
    if can_manage:
        groups = ledger_selectors.fund_groups_for(user=user, organization=organization)
        # A facility's funds belong to its groups: the first group is the usual answer.
        first_active = ledger_selectors.fund_groups_for(user=user, organization=organization, active_only=True)
        initial = {"group": first_active.first()}
        grant_form = grant_form or forms.CapitalGrantForm(groups=groups, agencies=_agencies(), initial=initial)
        purchase_form = purchase_form or forms.CapitalPurchaseForm(groups=groups, initial=initial)
    funds = ledger_selectors.capital_funds(organization=organization)
    return render(
        request,
        "backoffice/capital_funds.html",
        {
            "section": "money",
            "organization": organization,
            "organizations": list(organizations[:500]),
            "funds": funds,
            "total_idr": sum(fund["balance_idr"] for fund in funds),
            "movements": ledger_selectors.capital_movements_for(organization=organization),
            "export_links": export_links(request, organisasi=organization.slug),
            "grant_form": grant_form if can_manage else None,
            "purchase_form": purchase_form if can_manage else None,
        },
    )


@login_required
@require_GET
def capital(request: HttpRequest) -> HttpResponse:
    organization, organizations = _books_of(request.user, request.GET.get("organisasi"), roles=RULES_VIEW_ROLES)
    fmt = export_format(request.GET.get("format"))
    if fmt:
        tables = ledger_reports.capital_tables(organization=organization)
        return export_response(fmt, export_filename(_("Capital funds"), organization.slug), tables)
    return _render_capital(request, organization, organizations)


def _capital_post(request: HttpRequest) -> tuple[Organization, QuerySet[Organization], QuerySet[Group]]:
    user = request.user
    organization, organizations = _books_of(user, request.POST.get("organisasi"), roles=RULES_VIEW_ROLES)
    ledger_services.require_books_keeper(user, organization)
    groups = ledger_selectors.fund_groups_for(user=user, organization=organization)
    return organization, organizations, groups


def _capital_done(request: HttpRequest, organization: Organization, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect(f"{reverse('backoffice:capital')}?organisasi={organization.slug}")


def _capital_recorded(
    request: HttpRequest,
    organization: Organization,
    form: forms.CapitalFundForm,
    record: Callable[..., CapitalMovement],
) -> bool:
    """Whether ``record`` (capital_grant or capital_material_purchase) recorded what ``form`` holds.

    A refusal goes on the form: a plain message (more than the fund holds) next to the amount.
    """
    if not form.is_valid():
        return False
    try:
        record(actor=request.user, organization=organization, **form.service_kwargs())
    except ValidationError as exc:
        add_service_errors(form, exc, default_field="amount_idr")
        return False
    return True


@login_required
@require_POST
def capital_grant(request: HttpRequest) -> HttpResponse:
    organization, organizations, groups = _capital_post(request)
    form = forms.CapitalGrantForm(request.POST, groups=groups, agencies=_agencies())
    if _capital_recorded(request, organization, form, ledger_services.capital_grant):
        amount = format_rupiah(form.cleaned_data["amount_idr"])
        return _capital_done(request, organization, _("Grant of %(amount)s recorded.") % {"amount": amount})
    return _render_capital(request, organization, organizations, grant_form=form)


@login_required
@require_POST
def capital_purchase(request: HttpRequest) -> HttpResponse:
    organization, organizations, groups = _capital_post(request)
    form = forms.CapitalPurchaseForm(request.POST, groups=groups)
    if _capital_recorded(request, organization, form, ledger_services.capital_material_purchase):
        amount = format_rupiah(form.cleaned_data["amount_idr"])
        return _capital_done(request, organization, _("Material purchase of %(amount)s recorded.") % {"amount": amount})
    return _render_capital(request, organization, organizations, purchase_form=form)


# PNBP -------------------------------------------------------------------------------------------


def _year(value: Any) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


def _render_pnbp(
    request: HttpRequest,
    organization: Organization,
    organizations: QuerySet[Organization],
    year: int,
    *,
    target_form: forms.PnbpTargetForm | None = None,
    deposit_form: forms.PnbpDepositForm | None = None,
) -> HttpResponse:
    can_manage = request.user.has_perm("ledger.manage", organization)
    figures = ledger_selectors.pnbp_year(organization=organization, year=year)
    if can_manage:
        target_form = target_form or forms.PnbpTargetForm(
            initial={"year": year, "target_idr": figures["target_idr"] or None}
        )
        deposit_form = deposit_form or forms.PnbpDepositForm(initial={"deposited_date": timezone.localdate()})
    target = figures["target_idr"]
    return render(
        request,
        "backoffice/pnbp_year.html",
        {
            "section": "money",
            "organization": organization,
            "organizations": list(organizations[:500]),
            "year": year,
            "years": list(range(timezone.localdate().year, timezone.localdate().year - 5, -1)),
            "figures": figures,
            "percent_of_target": (figures["deposited_idr"] * 100 // target) if target else None,
            "deposits": ledger_selectors.pnbp_deposits_for(organization=organization, year=year),
            "export_links": export_links(request, organisasi=organization.slug, tahun=year),
            "target_form": target_form if can_manage else None,
            "deposit_form": deposit_form if can_manage else None,
        },
    )


@login_required
@require_GET
def pnbp(request: HttpRequest) -> HttpResponse:
    organization, organizations = _books_of(
        request.user, request.GET.get("organisasi"), roles=BOOKS_VIEW_ROLES, kinds=PNBP_KINDS
    )
    year = _year(request.GET.get("tahun"))
    fmt = export_format(request.GET.get("format"))
    if fmt:
        tables = ledger_reports.pnbp_tables(organization=organization, year=year)
        return export_response(fmt, export_filename("pnbp", organization.slug, year), tables)
    return _render_pnbp(request, organization, organizations, year)


def _pnbp_post(request: HttpRequest) -> tuple[Organization, QuerySet[Organization]]:
    organization, organizations = _books_of(
        request.user, request.POST.get("organisasi"), roles=BOOKS_VIEW_ROLES, kinds=PNBP_KINDS
    )
    ledger_services.require_books_keeper(request.user, organization)
    return organization, organizations


def _pnbp_done(request: HttpRequest, organization: Organization, year: int, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect(f"{reverse('backoffice:pnbp')}?organisasi={organization.slug}&tahun={year}")


@login_required
@require_POST
def pnbp_target(request: HttpRequest) -> HttpResponse:
    organization, organizations = _pnbp_post(request)
    form = forms.PnbpTargetForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            ledger_services.pnbp_target_set(
                actor=request.user, organization=organization, year=data["year"], target_idr=data["target_idr"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc, default_field="target_idr")
        else:
            return _pnbp_done(
                request,
                organization,
                data["year"],
                _("PNBP target for %(year)s set to %(amount)s.")
                % {"year": data["year"], "amount": format_rupiah(data["target_idr"])},
            )
    return _render_pnbp(request, organization, organizations, _year(request.POST.get("year")), target_form=form)


@login_required
@require_POST
def pnbp_deposit(request: HttpRequest) -> HttpResponse:
    organization, organizations = _pnbp_post(request)
    form = forms.PnbpDepositForm(request.POST)
    if form.is_valid():
        try:
            deposit = ledger_services.pnbp_deposit_record(
                actor=request.user, organization=organization, **form.service_kwargs()
            )
        except ValidationError as exc:
            # More than is owed is a plain message: it belongs next to the amount.
            add_service_errors(form, exc, default_field="amount_idr")
        else:
            return _pnbp_done(
                request,
                organization,
                deposit.deposited_date.year,
                _("Deposit of %(amount)s recorded (NTPN %(ntpn)s).")
                % {"amount": format_rupiah(deposit.amount_idr), "ntpn": deposit.ntpn},
            )
    year = form.cleaned_data["deposited_date"].year if form.cleaned_data.get("deposited_date") else None
    return _render_pnbp(request, organization, organizations, _year(year), deposit_form=form)


# Trial balance ----------------------------------------------------------------------------------


@login_required
@require_GET
def trial_balance(request: HttpRequest) -> HttpResponse:
    """Every account's balance as a debit or a credit; read-only for everyone (auditors included)."""
    organization, organizations = _books_of(request.user, request.GET.get("organisasi"), roles=BOOKS_VIEW_ROLES)
    fmt = export_format(request.GET.get("format"))
    if fmt:
        # A file leaves the facility's screens: makers by code (ledger.reports), whoever downloads it.
        tables = ledger_reports.trial_balance_tables(organization=organization)
        return export_response(fmt, export_filename(_("Trial balance"), organization.slug), tables)
    balance = ledger_selectors.trial_balance(organization=organization)
    # Premi accounts by the maker's name for the organization's own staff; by code for oversight.
    maker_names = has_role(request.user, organization, MAKER_ROLES)
    return render(
        request,
        "backoffice/ledger_trial_balance.html",
        {
            "section": "money",
            "organization": organization,
            "organizations": list(organizations[:500]),
            "balance": balance,
            "rows": balance.labelled(maker_names=maker_names),
            "export_links": export_links(request, organisasi=organization.slug),
            "as_of": timezone.localtime(),
        },
    )
