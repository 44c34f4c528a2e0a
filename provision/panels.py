"""The provision app's panels on the pupil page (see pupils/summary.py)."""

from provision.models import PlanStatus
from provision.permissions import PLAN_READERS, can_edit_plans, can_open_pupil_provision
from provision.selectors.plans import plans_of_pupil
from pupils.models import ON_REGISTER, Pupil
from pupils.selectors import current_sen_status
from pupils.summary import SummaryPanel, register_panel
from senco.models import User


@register_panel
def current_plan_panel(pupil: Pupil, user: User) -> SummaryPanel | None:
    """The open SEN support plan (draft or finalised): cycle, status, review date, outcomes.

    Only for those who may read plans (PLAN_READERS; the selector narrows teachers and TAs to
    their pupils). A pupil on the register with no open plan gets a panel that says so; anyone
    else without one gets no panel. Three queries at most, whatever the number of cycles.
    """
    if not user.has_role(*PLAN_READERS):
        return None
    plan = (
        plans_of_pupil(user, pupil=pupil)
        .exclude(status=PlanStatus.REVIEWED)
        .prefetch_related("outcomes")
        .first()
    )
    if plan is None:
        status = current_sen_status(pupil)
        if status is None or status.status not in ON_REGISTER:
            return None
    return SummaryPanel(
        title="Current SEN support plan",
        template="provision/panels/current_plan.html",
        context={"pupil": pupil, "plan": plan, "can_edit": can_edit_plans(user)},
        order=10,
    )


@register_panel
def provision_panel(pupil: Pupil, user: User) -> SummaryPanel | None:
    """A link to the pupil's provision page (groups, dates, entry and exit scores) for those who
    may open it. No query."""
    if not can_open_pupil_provision(user):
        return None
    return SummaryPanel(
        title="Provision",
        template="provision/panels/provision_link.html",
        context={"pupil": pupil},
        order=20,
    )
