"""The notional SEN budget and the year's other spend from it, and the school's financial year:
the SENCO team and the administrator set them, leadership reads them."""

from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from provision.forms.budget import (
    FinancialYearStartForm,
    SenBudgetForm,
    SenSpendAddForm,
    SenSpendEditForm,
    TopUpEditForm,
    TopUpForm,
)
from provision.forms.plans import VersionForm
from provision.permissions import BUDGET_READERS, BUDGET_WRITERS, can_edit_budget
from provision.rules.budget import FinancialYear, financial_year_of
from provision.selectors.budget import (
    budget_years,
    ehc_plans_without_top_up,
    financial_year_choices,
    pupils_for_top_up,
    spend_line_for_page,
    top_up_for_page,
)
from provision.services.budget import (
    add_sen_spend,
    record_top_up,
    remove_sen_spend,
    remove_top_up,
    set_sen_budget,
    update_sen_spend,
    update_top_up,
)
from senco.access import allow, open_record
from senco.concurrency import StaleEdit, redraw_stale
from senco.services.schools import set_financial_year_start


def _chosen_year(asked: str | None, years: list[FinancialYear], *, starts_in_month: int) -> FinancialYear:
    """The year asked for, if it is one on offer; else the current financial year."""
    current = financial_year_of(timezone.localdate(), starts_in_month=starts_in_month)
    return next((year for year in years if str(year.start_year) == asked), current)


@allow(*BUDGET_READERS)
def budget(request):
    user = request.user
    years = financial_year_choices(user.school, today=timezone.localdate())
    can_edit = can_edit_budget(user)
    if request.method == "POST" and not can_edit:
        raise PermissionDenied
    asked = request.POST.get("financial_year") or request.GET.get("year")
    year = _chosen_year(asked, years, starts_in_month=user.school.financial_year_starts)
    rows = budget_years(user, years=years)
    form = SenBudgetForm(request.POST or None, initial=SenBudgetForm.initial_for(rows[year]), years=years)
    if request.method == "POST" and form.is_valid():
        try:
            saved = set_sen_budget(school=user.school, by=user, **form.cleaned_data)
            messages.success(request, f"The {year} budget is saved.")
            return redirect(f"{reverse('provision:budget')}?year={saved.financial_year}")
        except StaleEdit as exc:
            form = redraw_stale(partial(SenBudgetForm, years=years), request.POST, exc)
        except ValidationError as exc:
            form.add_error(None, exc)
    context = {
        "year": year,
        "rows": rows.values(),
        "current": rows[year],
        "ehc_plans_without_top_up": ehc_plans_without_top_up(user, year=year, today=timezone.localdate()),
        "can_edit": can_edit,
        "form": form,
        "school": user.school,
    }
    return render(request, "provision/budget.html", context)


@allow(*BUDGET_WRITERS)
def financial_year_start(request):
    school = request.user.school
    form = FinancialYearStartForm(request.POST or None, initial=FinancialYearStartForm.initial_for(school))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            set_financial_year_start(
                school=school,
                starts_in_month=data["financial_year_starts"],
                version=data["version"],
                by=request.user,
            )
            messages.success(request, "The school's financial year is saved.")
            return redirect("provision:budget")
        except StaleEdit as exc:
            form = redraw_stale(FinancialYearStartForm, request.POST, exc)
    return render(request, "provision/financial_year_start.html", {"form": form})


def _budget_url(financial_year: int) -> str:
    return f"{reverse('provision:budget')}?year={financial_year}"


@allow(*BUDGET_WRITERS)
def spend_add(request):
    user = request.user
    years = financial_year_choices(user.school, today=timezone.localdate())
    year = _chosen_year(request.GET.get("year"), years, starts_in_month=user.school.financial_year_starts)
    initial = {"financial_year": year.start_year}
    form = SenSpendAddForm(request.POST or None, initial=initial, years=years)
    if request.method == "POST" and form.is_valid():
        try:
            spend = add_sen_spend(school=user.school, by=user, **form.cleaned_data)
            messages.success(request, f"“{spend}” is added to the {year} spend.")
            return redirect(_budget_url(spend.financial_year))
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(request, "provision/spend_form.html", {"form": form, "year": year, "spend": None})


@allow(*BUDGET_WRITERS)
def spend_edit(request, pk: int):
    spend = get_object_or_404(spend_line_for_page(request.user), pk=pk)
    form = SenSpendEditForm(request.POST or None, instance=spend, initial={"version": spend.version})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            update_sen_spend(spend=spend, version=data.pop("version"), by=request.user, **data)
            messages.success(request, f"“{spend}” is saved.")
            return redirect(_budget_url(spend.financial_year))
        except StaleEdit as exc:
            form = redraw_stale(partial(SenSpendEditForm, instance=exc.current), request.POST, exc)
        except ValidationError as exc:
            form.add_error(None, exc)
    context = {"form": form, "spend": spend, "remove_form": VersionForm(initial={"version": spend.version})}
    return render(request, "provision/spend_form.html", context)


@allow(*BUDGET_WRITERS)
@require_POST
def spend_remove(request, pk: int):
    spend = get_object_or_404(spend_line_for_page(request.user), pk=pk)
    form = VersionForm(request.POST)
    try:
        version = form.cleaned_data["version"] if form.is_valid() else None
        remove_sen_spend(spend=spend, version=version, by=request.user)
        messages.success(request, f"“{spend}” is removed.")
    except StaleEdit:
        messages.error(
            request, f"Someone changed “{spend}” while you were looking: check it, then remove it again."
        )
    return redirect(_budget_url(spend.financial_year))


@allow(*BUDGET_WRITERS)
def top_up_add(request):
    user = request.user
    years = financial_year_choices(user.school, today=timezone.localdate())
    year = _chosen_year(request.GET.get("year"), years, starts_in_month=user.school.financial_year_starts)
    initial = {"financial_year": year.start_year, "pupil": request.GET.get("pupil")}
    form = TopUpForm(
        request.POST or None,
        initial=initial,
        years=years,
        pupils=pupils_for_top_up(user, today=timezone.localdate()),
    )
    if request.method == "POST" and form.is_valid():
        try:
            top_up = record_top_up(by=user, **form.cleaned_data)
            messages.success(request, f"The top-up for {top_up.pupil.full_name} is recorded.")
            return redirect(_budget_url(top_up.financial_year))
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(request, "provision/top_up_form.html", {"form": form, "year": year, "top_up": None})


@allow(*BUDGET_WRITERS)
def top_up_edit(request, pk: int):
    top_up = open_record(request, top_up_for_page(request.user), read="top_up.viewed", pk=pk)
    initial = {"amount": top_up.amount, "note": top_up.note, "version": top_up.version}
    form = TopUpEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            update_top_up(top_up=top_up, by=request.user, **form.cleaned_data)
            messages.success(request, f"The top-up for {top_up.pupil.full_name} is saved.")
            return redirect(_budget_url(top_up.financial_year))
        except StaleEdit as exc:
            form = redraw_stale(TopUpEditForm, request.POST, exc)
        except ValidationError as exc:
            form.add_error(None, exc)
    context = {
        "form": form,
        "top_up": top_up,
        "year": FinancialYear(top_up.financial_year, request.user.school.financial_year_starts),
        "remove_form": VersionForm(initial={"version": top_up.version}),
    }
    return render(request, "provision/top_up_form.html", context)


@allow(*BUDGET_WRITERS)
@require_POST
def top_up_remove(request, pk: int):
    top_up = open_record(request, top_up_for_page(request.user), read="top_up.viewed", pk=pk)
    form = VersionForm(request.POST)
    try:
        version = form.cleaned_data["version"] if form.is_valid() else None
        remove_top_up(top_up=top_up, version=version, by=request.user)
        messages.success(request, f"The top-up for {top_up.pupil.full_name} is removed.")
    except StaleEdit:
        messages.error(
            request, "Someone changed this top-up while you were looking: check it, then remove it again."
        )
    return redirect(_budget_url(top_up.financial_year))
