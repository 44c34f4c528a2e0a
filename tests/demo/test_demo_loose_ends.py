"""No loose ends in the demo trust: the secondary is as complete as the primary, in a
secondary's words; kept plan versions match what the plan services keep; text about a pupil
uses their pronouns; staff and pupils never share a name; counts agree with their nouns; and
every record in a pupil's chronology says who recorded it. The demo pair (the `demo` fixture)
is built once for this module."""

import json
import re

import pytest
from django.db.models import Exists, OuterRef
from django.urls import reverse

from agencies.models import AssessmentRequest
from provision.models import (
    Intervention,
    Placement,
    PlanOutcome,
    PlanReview,
    PlanStatus,
    PlanVersion,
    ProvisionGroup,
    ReviewComment,
    SupportPlan,
)
from provision.rules.impact import score_problem, score_range
from pupils.models import (
    Carer,
    Concern,
    ContactLogEntry,
    Gender,
    GroupKind,
    Passport,
    Pupil,
    SenStatusChange,
    TeachingGroup,
)
from senco.models import Membership, Role, School, User

PRIMARY, SECONDARY = "Oakfield Primary School", "Riverside Academy"
SENCO_LOGINS = {PRIMARY: "senco", SECONDARY: "senco2"}


# The secondary ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_secondary_pupil_is_in_one_english_and_one_maths_set_taught_by_a_teacher_there(demo):
    school = School.objects.get(name=SECONDARY)
    sets = TeachingGroup.objects.filter(school=school, kind=GroupKind.SET)
    on_roll = Pupil.objects.filter(school=school, left_on=None)
    teachers = set(Membership.objects.filter(school=school, role=Role.TEACHER).values_list("user", flat=True))
    set_teachers = set(sets.values_list("teachers", flat=True))
    for subject in ("En", "Ma"):
        in_sets = TeachingGroup.pupils.through.objects.filter(
            teachinggroup__in=sets, teachinggroup__name__contains=subject
        )
        per_pupil = set(in_sets.values_list("pupil_id", flat=True))
        assert (in_sets.count(), per_pupil) == (on_roll.count(), set(on_roll.values_list("pk", flat=True)))
    names = [re.fullmatch(r"(\d+)(En|Ma)(\d)", name) for name in sets.values_list("name", flat=True)]
    assert {(int(match[1]), match[2]) for match in names} == {
        (y, s) for y in range(7, 12) for s in ("En", "Ma")
    }
    assert (None not in set_teachers, set_teachers <= teachers) == (True, True)


@pytest.mark.django_db
def test_the_secondary_catalogue_and_groups_suit_a_secondary(demo):
    school = School.objects.get(name=SECONDARY)
    catalogue = set(Intervention.objects.filter(school=school).values_list("name", flat=True))
    staff = set(Membership.objects.filter(school=school).values_list("user", flat=True))
    groups = ProvisionGroup.objects.filter(school=school)
    years = set(Placement.objects.filter(group__school=school).values_list("pupil__year_group", flat=True))
    assert {"Literacy catch-up", "Social skills group", "Exam reading support"} <= catalogue
    assert set(groups.values_list("intervention__name", flat=True)) >= {
        "Social skills group",
        "Exam reading support",
    }
    assert (set(groups.values_list("staff", flat=True)) <= staff, years <= set(range(7, 12))) == (True, True)


def _texts_at(school: School) -> list[str]:
    """Everything written about the school's pupils by its staff in plans, reviews, contacts
    and concerns."""
    texts = []
    for model, path, fields in [
        (SenStatusChange, "pupil__school", ["reason"]),
        (SupportPlan, "school", ["assessment", "strategies", "arrangements"]),
        (PlanOutcome, "plan__school", ["description", "success_criteria"]),
        (PlanReview, "plan__school", ["invited", "attended", "evidence", "next_steps"]),
        (ReviewComment, "plan__school", ["body"]),
        (ContactLogEntry, "pupil__school", ["summary", "participants", "agreed_actions"]),
        (
            Concern,
            "pupil__school",
            ["observed", "evidence", "already_tried", "senco_notes", "decision_reason"],
        ),
        (Passport, "pupil__school", ["staff_should", "how_to_support"]),
    ]:
        for row in model.objects.filter(**{path: school}).values_list(*fields):
            texts += row
    return texts


@pytest.mark.django_db
def test_the_secondary_speaks_of_form_tutors_and_subject_teachers_not_class_teachers(demo):
    texts = " ".join(_texts_at(School.objects.get(name=SECONDARY))).lower()
    primary_words = [
        "class teacher",
        "guided reading",
        "common exception words",
        "letter correctly",
        "lunchtime",
    ]
    assert ([word for word in primary_words if word in texts], "form tutor" in texts) == ([], True)


# Plan versions ---------------------------------------------------------------------------------


def _versions_out_of_step(plan: SupportPlan) -> list[str]:
    """How the plan's kept versions differ from those `provision.services.plans` would have kept:
    "Finalised" (before parents had it), then "Shared with parents" on the day they did (the
    plan's shared version), then "Reviewed" on the day the review was closed, numbered from 1."""
    expected = [("Finalised", plan.finalised_on, None)]
    if plan.shared_with_parents_on:
        expected.append((PlanVersion.SHARED, plan.shared_with_parents_on, plan.shared_with_parents_on))
    review = getattr(plan, "review", None)
    if plan.status == PlanStatus.REVIEWED:
        expected.append(("Reviewed", review.finalised_on, plan.shared_with_parents_on))
    kept = [
        (version.number, version.reason, version.made_at.date(), version.snapshot["shared_with_parents_on"])
        for version in sorted(plan.versions.all(), key=lambda version: version.number)
    ]
    wanted = [
        (number, reason, on, shared.isoformat() if shared else None)
        for number, (reason, on, shared) in enumerate(expected, start=1)
    ]
    shared_version = next((n for n, reason, _, _ in wanted if reason == PlanVersion.SHARED), None)
    problems = [] if kept == wanted else [f"plan {plan.pk}: kept {kept}, expected {wanted}"]
    if plan.shared_version != shared_version:
        problems.append(f"plan {plan.pk}: shared version {plan.shared_version}, expected {shared_version}")
    return problems


@pytest.mark.django_db
@pytest.mark.parametrize("name", [PRIMARY, SECONDARY])
def test_every_finalised_plan_keeps_the_versions_the_plan_services_keep_on_the_days_they_kept_them(
    demo, name
):
    plans = (
        SupportPlan.objects.filter(school__name=name)
        .exclude(status=PlanStatus.DRAFT)
        .select_related("review")
        .prefetch_related("versions")
    )
    assert plans.count() > 100
    assert [problem for plan in plans for problem in _versions_out_of_step(plan)] == []


# Pronouns --------------------------------------------------------------------------------------

PRONOUNS = re.compile(
    r"\b(she|her|hers|herself|he|him|his|himself|they|them|their|theirs|themselves)\b", re.I
)
WRONG = {
    Gender.FEMALE: {"he", "him", "his", "himself", "they", "them", "their", "theirs", "themselves"},
    Gender.MALE: {"she", "her", "hers", "herself", "they", "them", "their", "theirs", "themselves"},
}
OWN = {Gender.FEMALE: {"she", "her"}, Gender.MALE: {"he", "him", "his"}}


def _texts_about(gender: str) -> list[str]:
    """All the seeded text about pupils of `gender`: status reasons, concerns, contacts,
    passports, carers, plans, outcomes, reviews, comments, targets and kept versions."""
    texts = []
    for model, path, fields in [
        (SenStatusChange, "pupil", ["reason", "parents_informed_how"]),
        (Concern, "pupil", ["observed", "evidence", "already_tried", "senco_notes", "decision_reason"]),
        (ContactLogEntry, "pupil", ["summary", "participants", "agreed_actions"]),
        (Carer, "pupil", ["notes"]),
        (
            Passport,
            "pupil",
            ["strengths", "important_to_me", "how_to_support", "staff_should", "pupil_voice", "parent_voice"],
        ),
        (SupportPlan, "pupil", ["assessment", "strategies", "arrangements"]),
        (PlanOutcome, "plan__pupil", ["description", "success_criteria"]),
        (PlanReview, "plan__pupil", ["evidence", "parent_view", "pupil_view", "next_steps"]),
        (ReviewComment, "plan__pupil", ["body"]),
        (Placement, "pupil", ["target"]),
    ]:
        for row in model.objects.filter(**{f"{path}__gender": gender}).values_list(*fields):
            texts += row
    versions = PlanVersion.objects.filter(plan__pupil__gender=gender).values_list("snapshot", flat=True)
    return texts + [json.dumps(snapshot) for snapshot in versions]


@pytest.mark.django_db
@pytest.mark.parametrize("gender", [Gender.FEMALE, Gender.MALE])
def test_everything_written_about_a_pupil_uses_their_own_pronouns(demo, gender):
    used = {word.lower() for text in _texts_about(gender) for word in PRONOUNS.findall(text)}
    assert (sorted(used & WRONG[gender]), OWN[gender] <= used) == ([], True)


# Names -----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_no_pupil_shares_a_name_with_any_member_of_staff_and_no_two_staff_share_one(demo):
    staff = User.objects.filter(memberships__isnull=False).values_list("pk", "first_name", "last_name")
    names = [(first, last) for _, first, last in set(staff)]
    pupils = set(Pupil.objects.values_list("first_name", "last_name"))
    assert (len(names) > 100, len(set(names)) == len(names), set(names) & pupils) == (True, True, set())


@pytest.mark.django_db
def test_each_demo_school_has_one_senco_and_one_headteacher_and_the_logins_are_them(demo):
    holders = {
        (school, role): sorted(
            Membership.objects.filter(school__name=school, role=role).values_list("user__username", flat=True)
        )
        for school in (PRIMARY, SECONDARY)
        for role in (Role.SENCO, Role.HEAD)
    }
    teaching_3a = TeachingGroup.objects.get(school__name=PRIMARY, name="3A")
    assert holders[(PRIMARY, Role.SENCO)] == ["senco"]
    assert holders[(PRIMARY, Role.HEAD)] == ["head"]
    assert holders[(SECONDARY, Role.SENCO)] == ["senco2"]
    assert len(holders[(SECONDARY, Role.HEAD)]) == 1
    assert [user.username for user in teaching_3a.teachers.all()] == ["teacher"]
    assert [user.username for user in teaching_3a.assistants.all()] == ["ta"]


# Plurals ---------------------------------------------------------------------------------------

ONE_PLURAL = re.compile(r"(?<![\d.,:£])\b1 (pupils|sessions|weeks|days|hours|minutes|months|years)\b")


@pytest.mark.django_db
def test_a_one_to_one_reads_as_one_pupil_and_one_session_a_week_in_the_catalogue_and_on_its_group(
    demo, client
):
    senco = User.objects.get(username="senco2")
    group = ProvisionGroup.objects.filter(school=senco.school, intervention__name="Mentoring (1:1)").first()
    client.force_login(senco)
    catalogue = client.get(reverse("provision:interventions")).content.decode()
    detail = client.get(reverse("provision:group_detail", args=[group.pk])).content.decode()
    assert ("up to 1 pupil," in catalogue, "1 session a week" in detail) == (True, True)
    assert (ONE_PLURAL.findall(catalogue), ONE_PLURAL.findall(detail)) == ([], [])


# Who recorded it -------------------------------------------------------------------------------

# Every record that puts an event in a pupil's chronology: its model (or rows), the path to the
# pupil and the user who recorded it.
CHRONOLOGY = [
    (SenStatusChange.objects.all(), "pupil", "recorded_by"),
    (ContactLogEntry.objects.all(), "pupil", "recorded_by"),
    (Passport.objects.all(), "pupil", "written_by"),
    (Concern.objects.all(), "pupil", "raised_by"),
    (Concern.objects.exclude(decided_on=None), "pupil", "decided_by"),
    (SupportPlan.objects.all(), "pupil", "created_by"),
    (SupportPlan.objects.exclude(finalised_on=None), "pupil", "finalised_by"),
    (PlanReview.objects.exclude(finalised_on=None), "plan__pupil", "finalised_by"),
    (PlanVersion.objects.all(), "plan__pupil", "made_by"),
    (ReviewComment.objects.all(), "plan__pupil", "author"),
    (AssessmentRequest.objects.all(), "pupil", "created_by"),
]


@pytest.mark.django_db
def test_every_record_in_a_pupils_chronology_says_which_member_of_their_schools_staff_recorded_it(demo):
    unrecorded = {}
    for rows, pupil, by in CHRONOLOGY:
        # No one recorded it (null matches no membership), or someone outside the pupil's school.
        staff_there = Membership.objects.filter(user=OuterRef(by), school=OuterRef(f"{pupil}__school"))
        missing = rows.exclude(Exists(staff_there)).count()
        if missing or not rows.exists():
            unrecorded[f"{rows.model.__name__}.{by}"] = (rows.count(), missing)
    assert unrecorded == {}


@pytest.mark.django_db
@pytest.mark.parametrize("name", [PRIMARY, SECONDARY])
def test_what_the_senco_records_in_a_demo_school_is_recorded_by_its_senco_login(demo, name):
    recorders = {
        f"{rows.model.__name__}.{by}": set(
            rows.filter(**{f"{pupil}__school__name": name}).values_list(f"{by}__username", flat=True)
        )
        for rows, pupil, by in CHRONOLOGY
        if by not in ("raised_by", "author")  # class teachers and form tutors write these
    }
    assert recorders == {key: {SENCO_LOGINS[name]} for key in recorders}


@pytest.mark.django_db
def test_each_checklist_scores_up_to_what_its_name_says_and_every_seeded_score_is_in_range(demo):
    # "Language progress checklist (out of 30)" refuses 35: the catalogue entry carries the range.
    checklists = Intervention.objects.filter(measure_name__contains="(out of ")
    assert checklists.exists()
    assert all(f"(out of {item.measure_highest:.0f})" in item.measure_name for item in checklists)
    out_of_range = []
    for placement in Placement.objects.select_related("group__intervention"):
        intervention = placement.group.intervention
        lowest, highest = score_range(
            intervention.measure_kind, intervention.measure_lowest, intervention.measure_highest
        )
        for score in (placement.entry_score, placement.exit_score):
            if score_problem(score, lowest=lowest, highest=highest):
                out_of_range.append((intervention.name, score))
    assert out_of_range == []
