"""The impact page: what each intervention achieved, from entry and exit scores, and what the
progress cost."""

from django.shortcuts import render

from provision.permissions import IMPACT_READERS
from provision.selectors.impact import intervention_impact
from senco.access import allow


@allow(*IMPACT_READERS)
def impact(request):
    return render(request, "provision/impact.html", {"interventions": intervention_impact(request.user)})
