"""Demo pupil passports, parents and carers and contact log entries for the primary's pupils on SEN
support. Deterministic: pupils are chosen by position and texts come from fixed lists, so the
seed's random generator (and so the rest of the demo) is untouched. All names are invented."""

from datetime import date, timedelta

from pupils.models import (
    Carer,
    ContactKind,
    ContactLogEntry,
    ContactMethod,
    Passport,
    SenStatus,
    SenStatusChange,
)
from senco.models import Phase, School, User
from senco.rules import academic_year_of

# One plausible passport per broad area of need: (strengths, important to me, how best to support
# me, what staff should do, in the pupil's words, in the parents' words).
PASSPORTS = {
    "cognition": (
        "Great at building and making things; a kind friend who helps others tidy up.",
        "My big sister, football on Saturdays and my cat Pepper.",
        "Show me what to do as well as telling me. Give me one step at a time and check I have started.",
        "Pre-teach new words; give a word mat and number line; chunk tasks with a tick list; "
        "read questions aloud; praise effort, not just answers.",
        "I like it when I can see an example first. Long writing makes my hand tired.",
        "She tries really hard but gets upset when she feels behind the others.",
    ),
    "communication": (
        "Remembers facts about trains and planets; very honest; good at jigsaws.",
        "Knowing what is happening next, my headphones and my dog Biscuit.",
        "Tell me about changes before they happen. Use my name before you give me an instruction.",
        "Use the visual timetable and a now-and-next card; keep language short and concrete; "
        "give processing time (count to ten); let him use his help card to ask for a break.",
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
        "He has had a lot of changes at home this year; praise goes a long way.",
    ),
    "sensory_physical": (
        "Determined and cheerful; loves music and singing; good at remembering stories.",
        "My friends, music and being included in everything.",
        "Sit me where I can see your face. Check my equipment is working at the start of the day.",
        "Seat near the front, away from the window; face the class when speaking; "
        "give printed copies of board work; allow the laptop for longer writing.",
        "I want to do the same things as everyone else.",
        "Please tell us if her equipment is not working so we can sort it quickly.",
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
CARER_FIRST_NAMES = ["Sarah", "Michelle", "Aisha", "Joanne", "Priya", "Gemma", "Marta", "Claire"]
SECOND_CARERS = [("Mr", "Father"), ("Mrs", "Grandmother"), ("Mr", "Stepfather")]


def _pupils_on_sen_support(school: School) -> list[SenStatusChange]:
    changes = (
        SenStatusChange.objects.filter(pupil__school=school, status=SenStatus.SEN_SUPPORT)
        .select_related("pupil", "primary_need")
        .order_by("pupil_id", "-effective_from", "-id")
    )
    seen, chosen = set(), []
    for change in changes:
        if change.pupil_id not in seen:
            seen.add(change.pupil_id)
            chosen.append(change)
    return chosen


def _passport(change: SenStatusChange, *, senco: User, written_on: date) -> Passport:
    texts = PASSPORTS[change.primary_need.area if change.primary_need else "none"]
    return Passport(
        pupil=change.pupil,
        version=1,
        strengths=texts[0],
        important_to_me=texts[1],
        how_to_support=texts[2],
        staff_should=texts[3],
        pupil_voice=texts[4],
        parent_voice=texts[5],
        written_on=written_on,
        written_by=senco,
    )


def _carers(index: int, change: SenStatusChange) -> list[Carer]:
    pupil = change.pupil
    carers = [
        Carer(
            pupil=pupil,
            name=f"Ms {CARER_FIRST_NAMES[index % len(CARER_FIRST_NAMES)]} {pupil.last_name}",
            relationship="Mother",
            phone=f"07700 900{(index * 7) % 1000:03d}",  # Ofcom's drama range: never a real number
            email=f"parent{index}@example.org",
            address=f"{index + 1} Orchard Close\nNorthshire NS1 {index % 9 + 1}AB",
            preferred_contact=ContactMethod.PHONE if index % 2 else ContactMethod.EMAIL,
        )
    ]
    if index % 3 == 0:
        title, relationship = SECOND_CARERS[index % len(SECOND_CARERS)]
        carers.append(
            Carer(
                pupil=pupil,
                name=f"{title} {pupil.last_name}",
                relationship=relationship,
                parental_responsibility=relationship != "Grandmother",
                phone=f"07700 900{(index * 7 + 500) % 1000:03d}",
                preferred_contact=ContactMethod.TEXT,
                notes="Collects on Tuesdays and Thursdays." if relationship == "Grandmother" else "",
            )
        )
    return carers


def _contacts(index: int, change: SenStatusChange, *, senco: User, today: date) -> list[ContactLogEntry]:
    """Up to three entries this school year: meetings, a call, the pupil's own views."""
    first_day = date(academic_year_of(today), 9, 1)
    plan = [
        (ContactKind.MEETING, 12, "Agreed the SEN support plan and how we will know it is working."),
        (ContactKind.PUPIL_VIEWS, 20, "Talked with the pupil about what helps in class."),
        (ContactKind.CALL, 35, "Quick call to share good progress this week."),
    ][: 1 + index % 3]
    entries = []
    for kind, days_ago, summary in plan:
        occurred_on = max(first_day, today - timedelta(days=days_ago + index % 7))
        entries.append(
            ContactLogEntry(
                pupil=change.pupil,
                kind=kind,
                occurred_on=occurred_on,
                participants="Pupil, SENCO"
                if kind == ContactKind.PUPIL_VIEWS
                else "Parent, class teacher, SENCO",
                summary=summary,
                agreed_actions="Share the passport with all staff; review at the next meeting."
                if kind == ContactKind.MEETING
                else "",
                recorded_by=senco,
            )
        )
    return entries


def seed_summary(*, school: School, senco: User, today: date) -> None:
    """For a primary school: a passport, carers and contact entries for every second pupil on SEN
    support (by pupil id), so the pupil page and passport have something to show."""
    if school.phase != Phase.PRIMARY:
        return
    chosen = _pupils_on_sen_support(school)[::2]
    written_on = max(date(academic_year_of(today), 9, 1), today - timedelta(days=30))
    Passport.objects.bulk_create(_passport(change, senco=senco, written_on=written_on) for change in chosen)
    Carer.objects.bulk_create(
        carer for index, change in enumerate(chosen) for carer in _carers(index, change)
    )
    ContactLogEntry.objects.bulk_create(
        entry
        for index, change in enumerate(chosen)
        for entry in _contacts(index, change, senco=senco, today=today)
    )
