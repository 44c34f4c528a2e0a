"""Demo pupil summaries for every pupil on roll on the SEN register or being monitored, in every
school: one or two parents or carers, a pupil passport (a second version after a review this
school year, in the words said at it) and a contact log that follows their plans: the meeting
that agreed the first plan, the pupil's views and the meeting at each review parents came to
(CoP 6.65 expects three a year), a call during the current cycle, the EHC plan's annual review,
and the talk that began monitoring. Everyone has at least one entry this school year, even on its first day.

Deterministic: pupils are taken in id order and texts come from fixed lists, drawing no random
numbers. All names are invented; phone numbers are in Ofcom's drama range and e-mail addresses
at example.org, so none reaches a real person.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q

from provision.models import Decision, ParentsAtReview, PlanReview, PlanStatus, SupportPlan
from pupils.models import (
    Carer,
    ContactKind,
    ContactLogEntry,
    ContactMethod,
    Passport,
    Pupil,
    SenStatus,
    SenStatusChange,
)
from senco.demo.seed_calendar import latest_school_day
from senco.demo.words import TEACHER, about
from senco.factories import SURNAMES
from senco.models import School, User
from senco.rules import SchoolCalendar, add_school_days, school_year_bounds

# One plausible passport per broad area of need: (strengths, important to me, how best to support
# me, what staff should do, in the pupil's words, in the parents' words), in the pupil's
# pronouns (`senco.demo.pronouns`).
PASSPORTS = {
    "cognition": (
        "Great at building and making things; a kind friend who helps others tidy up.",
        "My big sister, football on Saturdays and my cat Pepper.",
        "Show me what to do as well as telling me. Give me one step at a time and check I have started.",
        "Pre-teach new words; give a word mat and number line; chunk tasks with a tick list; "
        "read questions aloud; praise effort, not just answers.",
        "I like it when I can see an example first. Long writing makes my hand tired.",
        "{He} tries really hard but gets upset when {he} feels behind the others.",
    ),
    "communication": (
        "Remembers facts about trains and planets; very honest; good at jigsaws.",
        "Knowing what is happening next, my headphones and my dog Biscuit.",
        "Tell me about a change before it happens. Use my name before you give me an instruction.",
        "Use the visual timetable and a now-and-next card; keep language short and concrete; "
        "give processing time (count to ten); let {him} use {his} help card to ask for a break.",
        "I don't like it when it is noisy. I like the quiet table.",
        "Mornings are hard: a calm start at the door makes the whole day better.",
    ),
    "semh": (
        "Funny and creative; brilliant at drawing; looks after younger pupils at lunch.",
        "My nan, drawing comics and being trusted with jobs.",
        "Notice when I am getting cross and help me to use my calm-down plan. Speak to me quietly.",
        "Meet and greet at the door; give a job early in the lesson; use the calm corner with a timer; "
        "repair and restart after an incident, without a public telling-off.",
        "When I'm angry I need a minute. I'm not being rude.",
        "{He} has had a lot of changes at home this year; praise goes a long way.",
    ),
    "sensory_physical": (
        "Determined and cheerful; loves music and singing; good at remembering stories.",
        "My friends, music and being included in everything.",
        "Sit me where I can see your face. Check my equipment is working at the start of the day.",
        "Seat near the front, away from the window; face the class when speaking; "
        "give printed copies of board work; allow the laptop for longer writing.",
        "I want to do the same things as everyone else.",
        "Please tell us if {his} equipment is not working so we can sort it quickly.",
    ),
    "none": (
        "Friendly and chatty; good at sport; keen to help.",
        "My family, my bike and playing outside.",
        "Give me a short task to get going and let me know how I am doing.",
        "Check understanding quietly; break tasks into smaller parts; use a timer for focus.",
        "I like working with a partner.",
        "We are happy to help at home if we know what to practise.",
    ),
}
MOTHERS = ["Sarah", "Michelle", "Aisha", "Joanne", "Priya", "Gemma", "Marta", "Claire", "Funmi", "Rachel"]
FATHERS = ["Daniel", "Imran", "Mark", "Tomasz", "Chris", "Kwame", "Lee", "Stuart", "Ravi", "Paul"]
STREETS = ["Orchard Close", "Mill Lane", "Station Road", "Beech Grove", "Church Street", "Meadow Way"]
# (relationships, by position): most pupils have two parents recorded, some one, a few a
# grandparent or step-parent as well.
HOUSEHOLDS = [
    ("Mother", "Father"),
    ("Mother",),
    ("Mother", "Stepfather"),
    ("Father",),
    ("Mother", "Father"),
    ("Grandmother",),
    ("Mother", "Grandmother"),
]
DECIDED = {
    Decision.CONTINUE: "Agreed to carry on, with new outcomes where the old ones were met.",
    Decision.ADAPT: "Agreed to adapt the plan: smaller steps and more pre-teaching.",
    Decision.ESCALATE: "Agreed to ask the educational psychologist for advice; parents consented.",
    Decision.EXIT: "Outcomes met: agreed that SEN support ends and the SENCO monitors for a term.",
}


@dataclass(frozen=True)
class _Dated:
    kind: str
    on: date
    summary: str
    participants: str
    agreed_actions: str = ""


def _register(school: School, today: date) -> list[SenStatusChange]:
    """The current status of each pupil on roll who is on the register or being monitored."""
    history = (
        SenStatusChange.objects.filter(pupil__school=school)
        .filter(Q(pupil__left_on=None) | Q(pupil__left_on__gt=today))
        .select_related("pupil", "primary_need")
        .order_by("pupil_id", "-effective_from", "-id")
    )
    current = {change.pupil_id: change for change in reversed(list(history))}  # the first row wins
    return [current[pupil_id] for pupil_id in sorted(current) if current[pupil_id].status != SenStatus.NO_SEN]


def _carers(index: int, pupil: Pupil) -> list[Carer]:
    carers = []
    for turn, relationship in enumerate(HOUSEHOLDS[index % len(HOUSEHOLDS)]):
        number = 2 * index + turn
        male = relationship in ("Father", "Stepfather")
        first = (FATHERS if male else MOTHERS)[number % len(MOTHERS)]
        # Step-parents and grandparents often have another surname.
        surname = (
            pupil.last_name
            if relationship in ("Mother", "Father")
            else SURNAMES[(number * 7) % len(SURNAMES)]
        )
        title = "Mr" if male else "Mrs" if relationship == "Grandmother" else "Ms"
        carers.append(
            Carer(
                pupil=pupil,
                name=f"{title} {first} {surname}",
                relationship=relationship,
                parental_responsibility=relationship != "Stepfather",
                phone=f"07700 900{(number * 37) % 1000:03d}",
                email=f"{first.lower()}.{surname.lower()}{number % 100}@example.org" if number % 3 else "",
                address=f"{index % 80 + 1} {STREETS[index % len(STREETS)]}\n"
                f"Northshire NS{index % 9 + 1} {index % 7 + 1}AB",
                # Those with no e-mail address are phoned.
                preferred_contact=[ContactMethod.PHONE, ContactMethod.EMAIL, ContactMethod.TEXT][number % 3],
                notes="An interpreter (Polish) joins meetings." if index % 13 == 5 and turn == 0 else "",
            )
        )
    return carers


def _passports(
    change: SenStatusChange, *, first_on: date, review: PlanReview | None, senco: User
) -> list[Passport]:
    """Version 1 when support began here; version 2 after a review this school year, with the
    pupil's and parents' words from it."""
    area = (
        change.primary_need.area if change.primary_need and change.status != SenStatus.MONITORING else "none"
    )
    texts = [about(text, change.pupil.gender) for text in PASSPORTS[area]]
    versions = [(first_on, texts[4], texts[5])]
    if review and review.held_on > first_on:
        versions.append((review.held_on, review.pupil_view, review.parent_view))
    return [
        Passport(
            pupil=change.pupil,
            version=number,
            strengths=texts[0],
            important_to_me=texts[1],
            how_to_support=texts[2],
            staff_should=texts[3],
            pupil_voice=pupil_voice,
            parent_voice=parent_voice,
            written_on=written_on,
            written_by=senco,
        )
        for number, (written_on, pupil_voice, parent_voice) in enumerate(versions, start=1)
    ]


def _plan_contacts(
    index: int, plans: list[SupportPlan], *, teacher: str, today: date, calendar: SchoolCalendar
) -> list[_Dated]:
    """The meeting that agreed the first plan; the pupil's views and, when parents came, the
    meeting at each review (as `provision.services.plans.close_review` logs it, with those who
    attended); a call a few weeks into the open cycle for one pupil in three."""
    contacts = []
    for plan in plans:
        if plan.previous_id is None:
            contacts.append(
                _Dated(
                    ContactKind.MEETING,
                    plan.started_on,
                    "Met parents to agree the plan: the outcomes, who does what and when we will review it.",
                    f"Parent, {teacher}, SENCO",
                    "Share the passport with all staff; review on the date in the plan.",
                )
            )
        review = getattr(plan, "review", None) if plan.status == PlanStatus.REVIEWED else None
        if review:
            contacts.append(
                _Dated(
                    ContactKind.PUPIL_VIEWS,
                    review.pupil_view_on,
                    "Talked with the pupil about what has helped and what is still hard, for the review.",
                    "Pupil, SENCO",
                )
            )
            if review.parents_at_meeting == ParentsAtReview.CAME:
                contacts.append(
                    _Dated(
                        ContactKind.MEETING,
                        review.held_on,
                        f"Review meeting for cycle {plan.cycle}. {DECIDED[review.decision]}",
                        review.attended,
                        review.next_steps,
                    )
                )
        elif index % 3 == 0:  # the open cycle: a call once it has had time to bed in
            call_on = add_school_days(calendar, plan.started_on, 25)
            if call_on <= today:
                contacts.append(
                    _Dated(
                        ContactKind.CALL,
                        call_on,
                        "Call to share how the first weeks of the plan have gone: settling in well.",
                        "Parent, SENCO",
                    )
                )
    return contacts


def _annual_reviews(
    change: SenStatusChange, *, teacher: str, since: date, today: date, calendar: SchoolCalendar
) -> list[_Dated]:
    """The EHC plan's annual reviews held here since `since`: within 12 months of the plan and
    then of each other (CFA 2014 s44; SEND Regulations 2014 reg 20), in practice about six weeks
    before the anniversary so the school's report reaches the local authority in time."""
    if change.status != SenStatus.EHC_PLAN or change.ehc_plan_date is None:
        return []
    reviews = []
    for years in (1, 2, 3):
        issued = change.ehc_plan_date
        anniversary = issued.replace(year=issued.year + years, day=min(issued.day, 28))
        held_on = latest_school_day(calendar, anniversary - timedelta(weeks=6), not_before=issued)
        if since <= held_on <= today:
            reviews.append(
                _Dated(
                    ContactKind.MEETING,
                    held_on,
                    "Annual review of the EHC plan: progress towards the outcomes in section E; the report "
                    "went to the local authority within two weeks.",
                    f"Parents, pupil, {teacher}, SENCO, local authority SEN caseworker",
                    "Local authority to confirm whether the plan is kept as it is or amended.",
                )
            )
    return reviews


def seed_summary(*, school: School, senco: User, today: date, calendar: SchoolCalendar) -> None:
    """Carers, passports and a contact log for every pupil on roll on the register or being
    monitored, built from their plans and reviews (so `seed_plans` runs first)."""
    register = _register(school, today)
    plans = defaultdict(list)
    for plan in (
        SupportPlan.objects.filter(pupil__in=[change.pupil_id for change in register])
        .select_related("review")
        .order_by("pupil_id", "cycle")
    ):
        plans[plan.pupil_id].append(plan)
    first_day, _ = school_year_bounds(today)
    teacher = TEACHER[school.phase]
    carers, passports, entries = [], [], []
    for index, change in enumerate(register):
        pupil, pupil_plans = change.pupil, plans[change.pupil_id]
        carers += _carers(index, pupil)
        reviews = [
            p.review for p in pupil_plans if p.status == PlanStatus.REVIEWED and p.review.held_on >= first_day
        ]
        first_on = pupil_plans[0].started_on if pupil_plans else change.effective_from
        passports += _passports(
            change, first_on=first_on, review=reviews[-1] if reviews else None, senco=senco
        )
        dated = _plan_contacts(index, pupil_plans, teacher=teacher, today=today, calendar=calendar)
        dated += _annual_reviews(change, teacher=teacher, since=first_on, today=today, calendar=calendar)
        if change.status == SenStatus.MONITORING and not pupil_plans:
            dated.append(
                _Dated(
                    ContactKind.MEETING if index % 2 else ContactKind.CALL,
                    change.effective_from,
                    "Told parents the school is monitoring progress for a term, and what teachers "
                    "will try first.",
                    f"Parent, {teacher}, SENCO" if index % 2 else "Parent, SENCO",
                )
            )
        if not any(first_day <= contact.on <= today for contact in dated):
            dated.append(
                _Dated(
                    ContactKind.LETTER,
                    latest_school_day(calendar, today, not_before=first_day),
                    "Letter home: how support carries on this school year, and who to contact.",
                    "Parents, SENCO",
                )
            )
        entries += [
            ContactLogEntry(
                pupil=pupil,
                kind=contact.kind,
                occurred_on=contact.on,
                participants=contact.participants,
                summary=contact.summary,
                agreed_actions=contact.agreed_actions,
                recorded_by=senco,
            )
            for contact in dated
        ]
    Carer.objects.bulk_create(carers)
    Passport.objects.bulk_create(passports)
    ContactLogEntry.objects.bulk_create(entries)
