"""The provision app's contributions to the pupil's chronology (see pupils/chronology.py)."""

from provision.selectors.plans import plans_of_pupil
from pupils.chronology import ChronologyEvent, register_source
from pupils.models import Pupil
from senco.models import User


@register_source
def plan_events(pupil: Pupil, user: User) -> list[ChronologyEvent]:
    """SEN support plan cycles started, finalised and reviewed, for those who may read plans."""
    events = []
    for plan in plans_of_pupil(user, pupil=pupil):
        url = plan.get_absolute_url()
        events.append(
            ChronologyEvent(
                on=plan.started_on, kind="plan", title=f"SEN support plan cycle {plan.cycle} started", url=url
            )
        )
        if plan.finalised_on:
            events.append(
                ChronologyEvent(
                    on=plan.finalised_on,
                    kind="plan",
                    title=f"SEN support plan cycle {plan.cycle} finalised",
                    url=url,
                )
            )
        review = getattr(plan, "review", None)
        if review is not None and review.finalised_on:
            events.append(
                ChronologyEvent(
                    on=review.held_on,
                    kind="plan_review",
                    title=f"SEN support plan cycle {plan.cycle} reviewed",
                    detail=review.get_decision_display(),
                    url=url,
                )
            )
    return events
