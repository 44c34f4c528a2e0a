"""Reads for the SEN register, its CSV export and the leavers list, and "My pupils".

For the SENCO team, leadership and school administrators (the views declare it): every pupil of
the user's current school, fetched through `pupils_visible_to`, so anyone else gets nobody.
"My pupils" (`my_pupils`) is a teacher's or TA's own groups, on the register or not.
A pupil whose `left_on` has come has left: they are off the register and on the leavers list.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.urls import reverse

from pupils.models import GroupKind, Pupil, SenStatus, SenStatusChange, TeachingGroup
from pupils.selectors.records import groups_of, pupils_visible_to, sen_history_in_force, with_sen_status
from senco.models import User

# The statuses the register shows by default: monitoring is a school-internal watch status, not a
# census code (the census records E, K or N), but the SENCO works with those pupils too.
REGISTER_STATUSES = (SenStatus.MONITORING, SenStatus.SEN_SUPPORT, SenStatus.EHC_PLAN)

# (model field, short label, full label) for the flags column, filters and CSV.
FLAGS = [
    ("looked_after", "LAC", "Looked after"),
    ("previously_looked_after", "PLAC", "Previously looked after"),
    ("pupil_premium", "PP", "Pupil premium"),
    ("free_school_meals", "FSM", "Free school meals"),
    ("eal", "EAL", "English as an additional language"),
    ("young_carer", "YC", "Young carer"),
]

BY_NAME = ("last_name", "first_name", "pk")
SORTS = {
    "name": BY_NAME,
    "year": ("year_group", *BY_NAME),
    "status": ("status_rank", *BY_NAME),
    "need": (F("primary_need_code").asc(nulls_last=True), *BY_NAME),
}


def on_roll(pupils: QuerySet[Pupil], *, today: date) -> QuerySet[Pupil]:
    """Pupils who have not left by `today` (no leaving date, or one still to come)."""
    return pupils.filter(Q(left_on__isnull=True) | Q(left_on__gt=today))


def left(pupils: QuerySet[Pupil], *, today: date) -> QuerySet[Pupil]:
    """Pupils whose leaving date is `today` or earlier: they have left."""
    return pupils.filter(left_on__lte=today)


def latest_sen_change(*, today: date) -> QuerySet[SenStatusChange]:
    """The pupil's SEN history entry in force on `today`, for use in a Subquery over pupils: the
    same rule as `with_sen_status` (effective date, then the order recorded)."""
    return sen_history_in_force(today=today)


def my_pupils(user: User, *, today: date) -> QuerySet[Pupil]:
    """Every pupil on roll in the groups `user` teaches or supports (`groups_of`), on the SEN
    register or not, by name, with their SEN status (`with_sen_status`) and their registration
    groups and classes (`with_groups`): each one a `register_row`.

    Teachers and TAs: their own groups' pupils, all of them, so that they can find the child
    they are worried about before anyone has recorded a need. Anyone else: the pupils of the
    groups they teach, if any (the page is for classroom roles; the view declares it).
    """
    in_my_groups = TeachingGroup.pupils.through.objects.filter(teachinggroup__in=groups_of(user))
    pupils = pupils_visible_to(user).filter(pk__in=in_my_groups.values("pupil_id"))
    return with_groups(with_sen_status(on_roll(pupils, today=today), today=today)).order_by(*BY_NAME)


def register_pupils(user: User, *, today: date) -> QuerySet[Pupil]:
    """Every pupil on roll at the user's school with their current SEN status, ordered by name.

    Annotated as `with_sen_status` does, plus `secondary_need_code` and `status_rank` (EHC plan
    first) for sorting. The register's FilterSet narrows it; the default is any SEN status.
    """
    return (
        with_sen_status(on_roll(pupils_visible_to(user), today=today), today=today)
        .annotate(
            status_rank=Case(
                When(sen_status=SenStatus.EHC_PLAN, then=Value(0)),
                When(sen_status=SenStatus.SEN_SUPPORT, then=Value(1)),
                When(sen_status=SenStatus.MONITORING, then=Value(2)),
                default=Value(3),
                output_field=IntegerField(),
            ),
        )
        .order_by(*BY_NAME)
    )


def sorted_register(pupils: QuerySet[Pupil], *, sort: str) -> QuerySet[Pupil]:
    """The register in one of the whitelisted orders (`SORTS`); anything else is refused."""
    return pupils.order_by(*SORTS[sort])


def register_counts(pupils: QuerySet[Pupil]) -> dict[str, int]:
    """How many of the matching pupils have each status, and how many match in all: one query."""
    counts = dict.fromkeys((*REGISTER_STATUSES, SenStatus.NO_SEN, "total"), 0)
    totals = pupils.order_by().values("sen_status").annotate(n=Count("pk")).values_list("sen_status", "n")
    for status, count in totals:
        counts[status or SenStatus.NO_SEN] += count
        counts["total"] += count
    return counts


@dataclass(frozen=True)
class RegisterRow:
    """One line of the register, as the page shows it and the CSV exports it (the CSV adds the
    UPN, the date of birth and the census SEN provision code, which a SENCO checks against the
    MIS before each census)."""

    pupil: Pupil
    name: str
    year: str
    registration_group: str
    status: str
    census_code: str
    primary_need: str
    secondary_need: str
    flags: list[tuple[str, str]]
    url: str = ""  # the pupil's page

    def cells(self) -> list[str]:
        return [
            self.name,
            self.pupil.upn,
            self.pupil.date_of_birth.isoformat(),
            self.year,
            self.registration_group,
            self.status,
            self.census_code,
            self.primary_need,
            self.secondary_need,
            " ".join(short for short, _ in self.flags),
        ]


# The census fields a SENCO checks before each census: the UPN and date of birth that identify
# the pupil, SEN provision (E, K or N; monitoring is N) and the need types ranked 1 and 2.
CSV_HEADER = [
    "Name",
    "UPN",
    "Date of birth",
    "Year",
    "Registration group",
    "SEN status",
    "Census SEN provision",
    "Primary need",
    "Secondary need",
    "Flags",
]


def form_groups(lookup: str = "teaching_groups") -> Prefetch:
    """The prefetch of pupils' registration groups and classes (`form_groups`) that
    `Pupil.registration_group_label` reads; `lookup` reaches the pupils' teaching groups, as
    "pupil__teaching_groups" from concerns."""
    groups = TeachingGroup.objects.filter(kind__in=[GroupKind.REGISTRATION, GroupKind.CLASS]).order_by("name")
    return Prefetch(lookup, queryset=groups, to_attr="form_groups")


def with_groups(pupils: QuerySet[Pupil]) -> QuerySet[Pupil]:
    """Prefetch each pupil's registration groups and classes in one query for the page."""
    return pupils.prefetch_related(form_groups())


PUPIL_ID_STAND_IN = 987654321  # no school reaches it: replaced by each pupil's id


def register_rows(pupils) -> list[RegisterRow]:
    """`register_row` of each pupil, their pages' addresses built from one URL lookup rather than
    one a pupil (a page of 50 rows)."""
    head, _, tail = reverse("pupils:detail", args=[PUPIL_ID_STAND_IN]).partition(str(PUPIL_ID_STAND_IN))
    return [register_row(pupil, url=f"{head}{pupil.pk}{tail}") for pupil in pupils]


def register_row(pupil: Pupil, *, url: str | None = None) -> RegisterRow:
    """A pupil from `with_groups(register_pupils(...))` as a register line.

    The registration group is the pupil's registration group where the school records them
    (secondary schools), else their class (primary schools). `url`, the pupil's page, is looked
    up unless given.
    """
    return RegisterRow(
        url=pupil.get_absolute_url() if url is None else url,
        pupil=pupil,
        name=pupil.full_name,
        year=pupil.get_year_group_display(),
        registration_group=pupil.registration_group_label,
        status=pupil.sen_status_label,
        census_code=SenStatus(pupil.sen_status or SenStatus.NO_SEN).census_code,
        primary_need=pupil.primary_need_code or "",
        secondary_need=pupil.secondary_need_code or "",
        flags=[(short, label) for field, short, label in FLAGS if getattr(pupil, field)],
    )
