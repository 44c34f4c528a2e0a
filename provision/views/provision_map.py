"""The provision map (screen and PDF), the impact of interventions, and one pupil's provision.
Thin views: filters, one selector, a template."""

from django.shortcuts import render
from django.utils import timezone

from provision.filters import ProvisionMapFilter
from provision.permissions import MAP_READERS, PUPIL_PROVISION_READERS, can_see_impact
from provision.selectors.provision_map import ProvisionMap, map_pupils, provision_map, pupil_provision
from provision.services.provision_map import record_provision_map_exported
from pupils.selectors.records import pupils_visible_to
from senco.access import allow, open_record
from senco.pdf import pdf_response


def _map_filters(request) -> ProvisionMapFilter:
    today = timezone.localdate()
    return ProvisionMapFilter(
        request.GET or None, queryset=map_pupils(request.user, today=today), request=request, today=today
    )


def _map(request, filters: ProvisionMapFilter) -> ProvisionMap:
    return provision_map(
        request.user,
        pupils=filters.qs,
        year=filters.financial_year,
        grouping=filters.grouping,
        intervention=filters.chosen_intervention,
    )


@allow(*MAP_READERS)
def provision_map_page(request):
    filters = _map_filters(request)
    context = {
        "filters": filters,
        "map": _map(request, filters),
        "query": request.GET.urlencode(),
        "can_see_impact": can_see_impact(request.user),
    }
    return render(request, "provision/map.html", context)


@allow(*MAP_READERS)
def map_pdf(request):
    filters = _map_filters(request)
    the_map = _map(request, filters)
    record_provision_map_exported(
        by=request.user,
        financial_year=str(the_map.financial_year),
        filters="; ".join(filters.applied(search_words=False)),
        pupils=the_map.pupil_count,
    )
    context = {
        "map": the_map,
        "school": request.user.school,
        "printed_on": timezone.localdate(),
        "applied": filters.applied(),
        "grouping": dict(filters.form.fields["group_by"].choices)[the_map.grouping],
        "by_pupil": the_map.grouping == "pupil",
    }
    filename = f"provision-map-{the_map.financial_year}.pdf"
    return pdf_response("provision/map_pdf.html", context, filename=filename)


@allow(*PUPIL_PROVISION_READERS)
def pupil_provision_page(request, pk: int):
    pupil = open_record(request, pupils_visible_to(request.user), read="pupil.viewed", pk=pk)
    context = {"pupil": pupil, "provision": pupil_provision(request.user, pupil=pupil)}
    return render(request, "provision/pupil_provision.html", context)
