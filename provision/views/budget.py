"""The notional SEN budget: the SENCO team and the administrator set it, leadership reads it."""

from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from provision.forms import SenBudgetForm
from provision.permissions import BUDGET_READERS, can_edit_budget
from provision.rules.budget import FinancialYear, financial_year_of
from provision.selectors.budget import budget_years, financial_year_choices
from provision.services.budget import set_sen_budget
from senco.access import allow
from senco.concurrency import StaleEdit, redraw_stale


def _chosen_year(asked: str | None, years: list[FinancialYear]) -> FinancialYear:
    """The year asked for, if it is one on offer; else the current financial year."""
    current = financial_year_of(timezone.localdate())
    return next((year for year in years if str(year.start_year) == asked), current)


@allow(*BUDGET_READERS)
def budget(request):
    user, years = request.user, financial_year_choices(timezone.localdate())
    can_edit = can_edit_budget(user)
    if request.method == "POST" and not can_edit:
        raise PermissionDenied
    year = _chosen_year(request.POST.get("financial_year") or request.GET.get("year"), years)
    rows = budget_years(user, years=years)
    form = SenBudgetForm(request.POST or None, initial=SenBudgetForm.initial_for(rows[year]), years=years)
    if request.method == "POST" and form.is_valid():
        try:
            saved = set_sen_budget(school=user.school, by=user, **form.cleaned_data)
            messages.success(request, f"The {FinancialYear(saved.financial_year)} budget is saved.")
            return redirect(f"{reverse('provision:budget')}?year={saved.financial_year}")
        except StaleEdit as exc:
            form = redraw_stale(partial(SenBudgetForm, years=years), request.POST, exc)
        except ValidationError as exc:
            form.add_error(None, exc)
    context = {"year": year, "rows": rows.values(), "current": rows[year], "can_edit": can_edit, "form": form}
    return render(request, "provision/budget.html", context)
