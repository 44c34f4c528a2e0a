"""The notional SEN budget: the SENCO team and the administrator set it, leadership reads it."""

from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from provision.forms import FinancialYearStartForm, SenBudgetForm
from provision.permissions import BUDGET_READERS, BUDGET_WRITERS, can_edit_budget
from provision.rules.budget import FinancialYear, financial_year_of
from provision.selectors.budget import budget_years, financial_year_choices
from provision.services.budget import set_sen_budget
from senco.access import allow
from senco.concurrency import StaleEdit, redraw_stale
from senco.services import set_financial_year_start


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
