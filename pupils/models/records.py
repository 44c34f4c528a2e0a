"""Pupils, their teaching groups and SEN status history, and the census need types.

Need types are a lookup table filled from `NEED_TYPES`, not code-level choices: the DfE added
Down syndrome in spring 2025 and its census code is not yet confirmed."""

from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from senco.deadlines import retention_ends
from senco.models import School, User


class NeedArea(models.TextChoices):
    """The four broad areas of need of the SEND Code of Practice (6.28-6.35)."""

    COGNITION = "cognition", "Cognition and learning"
    COMMUNICATION = "communication", "Communication and interaction"
    SEMH = "semh", "Social, emotional and mental health"
    SENSORY_PHYSICAL = "sensory_physical", "Sensory and/or physical"
    NONE = "none", "No specific area"


class NeedType(models.Model):
    """A census SEN type code. A lookup table, not an enum: the DfE adds codes (Down syndrome,
    spring 2025) and the code for that one is not yet confirmed."""

    code = models.CharField(max_length=8, unique=True)
    name = models.CharField(max_length=100)
    area = models.CharField(max_length=20, choices=NeedArea.choices)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"


class SenStatus(models.TextChoices):
    NO_SEN = "no_sen", "No SEN (N)"
    MONITORING = "monitoring", "Monitoring"
    SEN_SUPPORT = "sen_support", "SEN support"
    EHC_PLAN = "ehc_plan", "EHC plan"

    @property
    def census_code(self) -> str:
        """The school census's SEN provision code: E, K or N. Monitoring is the school's own
        watch status, not a census code, so the census records it as N."""
        return {"ehc_plan": "E", "sen_support": "K"}.get(self.value, "N")

    @property
    def census_label(self) -> str:
        """The label beside a count, saying how the census records the status."""
        if self == SenStatus.MONITORING:
            return "Monitoring (recorded as N in the census)"
        return self.label if self == SenStatus.NO_SEN else f"{self.label} ({self.census_code})"


ON_REGISTER = (SenStatus.SEN_SUPPORT, SenStatus.EHC_PLAN)


class Gender(models.TextChoices):
    FEMALE = "F", "Female"
    MALE = "M", "Male"


class YearGroup(models.IntegerChoices):
    NURSERY = -1, "Nursery"
    RECEPTION = 0, "Reception"
    Y1 = 1, "Year 1"
    Y2 = 2, "Year 2"
    Y3 = 3, "Year 3"
    Y4 = 4, "Year 4"
    Y5 = 5, "Year 5"
    Y6 = 6, "Year 6"
    Y7 = 7, "Year 7"
    Y8 = 8, "Year 8"
    Y9 = 9, "Year 9"
    Y10 = 10, "Year 10"
    Y11 = 11, "Year 11"
    Y12 = 12, "Year 12"
    Y13 = 13, "Year 13"


# The DfE check-letter alphabet: A-Z without I, O and S, so A=0 ... Z=22.
UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"
# [0-9], not \d: \d also matches other scripts' digits (Arabic-Indic, full-width), which would make
# a second, different-looking UPN for the same child that the import never matches. \Z, not $,
# which also matches before a final newline.
upn_format = RegexValidator(
    rf"^[{UPN_LETTERS}][0-9]{{11}}[0-9{UPN_LETTERS}]\Z",
    "A UPN is 13 characters: a check letter, 11 digits, then a digit (or a letter for a temporary UPN).",
)


# A temporary UPN ends in a letter where a permanent one has its last digit (DfE UPN guidance).
# A database regex (`upn__regex`): `$`, which PostgreSQL and SQLite read alike; stored UPNs have
# passed `upn_format`, so no newline can precede it.
TEMPORARY_UPN = rf"[{UPN_LETTERS}]$"


def upn_check_letter(body: str) -> str:
    """The check letter for the 12 characters after it (DfE, "Unique pupil numbers (UPN)"
    guidance).

    Sum of value x weight over characters 2-13 with weights 2-13, mod 23, mapped onto
    UPN_LETTERS. Digits count at face value; a final letter (temporary UPN) by the same map.
    """
    values = [int(char) if char.isdigit() else UPN_LETTERS.index(char) for char in body]
    return UPN_LETTERS[sum(value * weight for value, weight in zip(values, range(2, 14), strict=True)) % 23]


def validate_upn(value: str) -> None:
    upn_format(value)
    if upn_check_letter(value[1:]) != value[0]:
        raise ValidationError("This UPN's check letter is wrong: check it against the MIS.", code="upn_check")


class Pupil(models.Model):
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="pupils")
    upn = models.CharField("UPN", max_length=13, validators=[validate_upn])
    first_name = models.CharField("Legal first name", max_length=100)
    last_name = models.CharField("Legal last name", max_length=100)
    date_of_birth = models.DateField()
    gender = models.CharField(max_length=1, choices=Gender.choices)
    year_group = models.SmallIntegerField(
        "National Curriculum year",
        choices=YearGroup.choices,
        help_text="The year the pupil is taught in, which may differ from their age group.",
    )
    preferred_first_name = models.CharField(
        "Preferred first name", max_length=100, blank=True, help_text="Leave blank if the same as legal."
    )
    preferred_last_name = models.CharField(
        "Preferred last name", max_length=100, blank=True, help_text="Leave blank if the same as legal."
    )
    admitted_on = models.DateField("Admission date", null=True, blank=True)
    left_on = models.DateField(
        "Leaving date", null=True, blank=True, help_text="A pupil who has left is kept read-only."
    )
    # Flags the SENCO must act on (CoP 6.90 for looked-after children).
    looked_after = models.BooleanField("Looked after (LAC)", default=False)
    previously_looked_after = models.BooleanField("Previously looked after (PLAC)", default=False)
    designated_teacher = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The designated teacher for looked-after children, who leads the PEP.",
    )
    pupil_premium = models.BooleanField("Pupil premium", default=False)
    free_school_meals = models.BooleanField("Free school meals", default=False)
    eal = models.BooleanField("English as an additional language (EAL)", default=False)
    young_carer = models.BooleanField("Young carer", default=False)
    # The SEN history entry in force, copied onto the pupil row in the same transaction as every
    # change to the history (`pupils.services.records.sync_current_sen_status`), so that the
    # register and its counts read one row per pupil instead of searching each pupil's history.
    # The history stays the record: the copy answers only for days from `sen_status_since` (null:
    # no entry was in force) up to, not including, `next_sen_change_on` (a change agreed ahead);
    # `pupils.selectors.records.with_sen_status` asks the history for any other day.
    # Null, not "": no entry in force, exactly as the history answers for such a pupil.
    sen_status_now = models.CharField(  # noqa: DJ001
        max_length=20, choices=SenStatus.choices, null=True, editable=False
    )
    primary_need_now = models.ForeignKey(
        NeedType, on_delete=models.PROTECT, null=True, editable=False, related_name="+"
    )
    secondary_need_now = models.ForeignKey(
        NeedType, on_delete=models.PROTECT, null=True, editable=False, related_name="+"
    )
    sen_status_since = models.DateField(null=True, editable=False)
    next_sen_change_on = models.DateField(null=True, editable=False)

    class Meta:
        ordering = ["last_name", "first_name"]
        constraints = [models.UniqueConstraint(fields=["school", "upn"], name="one_pupil_per_upn_per_school")]
        indexes = [
            models.Index(fields=["school", "sen_status_now"], name="pupil_school_sen_status"),
            models.Index(fields=["next_sen_change_on"], name="pupil_next_sen_change"),
            models.Index(fields=["sen_status_since"], name="pupil_sen_status_since"),
        ]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("pupils:detail", args=[self.pk])

    @property
    def full_name(self) -> str:
        """The name staff use: preferred where recorded, legal otherwise."""
        return f"{self.preferred_first_name or self.first_name} {self.preferred_last_name or self.last_name}"

    @property
    def legal_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def has_left(self, today: date) -> bool:
        return self.left_on is not None and self.left_on <= today

    def age_on(self, today: date) -> int:
        """Whole years completed on `today`. A pupil born on 29 February is a year older on
        1 March in a common year."""
        born = self.date_of_birth
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))

    @property
    def has_temporary_upn(self) -> bool:
        """A temporary UPN ends in a letter (`TEMPORARY_UPN`)."""
        return self.upn[-1:].isalpha()

    def retain_until(self, years: int) -> date:
        """The last day this record is kept: date of birth + `years` (`retention_ends`)."""
        return retention_ends(self.date_of_birth, years=years)

    @property
    def registration_group_label(self) -> str:
        """The pupil's registration group, or their class where the school records none (a
        primary school), from the `form_groups` prefetch of `pupils.selectors.register.with_groups`."""
        registration = [group.name for group in self.form_groups if group.kind == GroupKind.REGISTRATION]
        classes = [group.name for group in self.form_groups if group.kind == GroupKind.CLASS]
        return ", ".join(registration or classes)

    @property
    def sen_status_label(self) -> str:
        """Label of the `sen_status` annotation made by `pupils.selectors.records.with_sen_status`."""
        return SenStatus(getattr(self, "sen_status", None) or SenStatus.NO_SEN).label


class GroupKind(models.TextChoices):
    REGISTRATION = "registration", "Registration group"
    CLASS = "class", "Class"
    SET = "set", "Teaching set"
    # Kept in step with a running intervention group by the provision app, so the staff who
    # deliver it see its pupils through the one access rule.
    INTERVENTION = "intervention", "Intervention group"


class TeachingGroup(models.Model):
    """A class, registration group or set: the link between staff and the pupils they teach."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="teaching_groups")
    name = models.CharField(max_length=50)
    kind = models.CharField(max_length=20, choices=GroupKind.choices, default=GroupKind.CLASS)
    teachers = models.ManyToManyField(User, blank=True, related_name="groups_taught")
    assistants = models.ManyToManyField(User, blank=True, related_name="groups_supported")
    pupils = models.ManyToManyField(Pupil, blank=True, related_name="teaching_groups")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "name"], name="unique_group_name_per_school")
        ]

    def __str__(self) -> str:
        return self.name


# The census code for "SEN support but no specialist assessment of type" (DfE census business
# rule 2175: only with SEN support).
NSA = "NSA"
NSA_BESIDE_ASSESSED = "NSA (no specialist assessment) cannot sit beside an assessed need"


class SenStatusChange(models.Model):
    """One dated entry of a pupil's SEN status history. The status on any day is the latest entry
    dated on or before it (then the latest recorded); the pupil row keeps a copy of the entry in
    force for fast lists (`Pupil.sen_status_now`), never edited apart from the history. An entry
    may be dated ahead, for a change agreed with parents before it starts, and parents may be
    told before the date it takes effect."""

    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="sen_history")
    status = models.CharField(max_length=20, choices=SenStatus.choices)
    primary_need = models.ForeignKey(
        NeedType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    secondary_need = models.ForeignKey(
        NeedType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    effective_from = models.DateField()
    reason = models.TextField()
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    parents_informed_on = models.DateField("Parents informed on", null=True, blank=True)
    parents_informed_how = models.CharField("How parents were informed", max_length=200, blank=True)
    ehc_plan_date = models.DateField(
        "EHC plan issued on", null=True, blank=True, help_text="The date on the final EHC plan."
    )

    class Meta:
        ordering = ["-effective_from", "-id"]
        verbose_name = "SEN status change"
        indexes = [models.Index(fields=["pupil", "-effective_from", "-id"], name="sen_history_latest")]
        constraints = [
            models.CheckConstraint(
                condition=Q(secondary_need__isnull=True) | ~Q(secondary_need=models.F("primary_need")),
                name="secondary_need_differs_from_primary",
            ),
            models.CheckConstraint(
                condition=Q(primary_need__isnull=False) | Q(secondary_need__isnull=True),
                name="secondary_need_needs_primary",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pupil}: {self.get_status_display()} from {self.effective_from}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        on_register = self.status in ON_REGISTER
        # DfE census rules: 2125 no type when N; 2170 K or E needs a type; 2175 NSA only with K.
        if on_register and self.primary_need_id is None:
            errors["primary_need"] = "A pupil on SEN support or with an EHC plan needs a primary need."
        if not on_register and (self.primary_need_id or self.secondary_need_id):
            errors["primary_need"] = (
                "Only pupils on SEN support or with an EHC plan have a recorded need type."
            )
        if self.secondary_need_id and self.secondary_need_id == self.primary_need_id:
            errors["secondary_need"] = "The secondary need must differ from the primary need."
        if self.secondary_need_id and not self.primary_need_id:
            errors["secondary_need"] = "Record a primary need before a secondary need."
        nsa = [need for need in (self.primary_need, self.secondary_need) if need and need.code == NSA]
        if nsa and self.status != SenStatus.SEN_SUPPORT:
            errors["primary_need"] = "NSA (no specialist assessment) is only valid with SEN support."
        elif nsa and self.primary_need_id and self.secondary_need_id:
            # NSA records that the type of need has not been assessed, which an assessed need
            # beside it contradicts: the census ranks types of need, it does not pad them.
            if self.secondary_need.code == NSA:
                errors["secondary_need"] = f"{NSA_BESIDE_ASSESSED}: leave the secondary need as None."
            else:
                errors["primary_need"] = (
                    f"{NSA_BESIDE_ASSESSED}: record the assessed need ({self.secondary_need.code}) "
                    "as the primary need instead."
                )
        if self.ehc_plan_date and self.status != SenStatus.EHC_PLAN:
            errors["ehc_plan_date"] = "Only an EHC plan status has an EHC plan date."
        if errors:
            raise ValidationError(errors)


NEED_TYPES = [
    ("SPLD", "Specific learning difficulty", "cognition"),
    ("MLD", "Moderate learning difficulty", "cognition"),
    ("SLD", "Severe learning difficulty", "cognition"),
    ("PMLD", "Profound and multiple learning difficulty", "cognition"),
    ("SLCN", "Speech, language and communication needs", "communication"),
    ("ASD", "Autistic spectrum disorder", "communication"),
    ("SEMH", "Social, emotional and mental health", "semh"),
    ("HI", "Hearing impairment", "sensory_physical"),
    ("VI", "Visual impairment", "sensory_physical"),
    ("MSI", "Multi-sensory impairment", "sensory_physical"),
    ("PD", "Physical disability", "sensory_physical"),
    ("DS", "Down syndrome", "none"),
    ("OTH", "Other difficulty or disability", "none"),
    ("NSA", "SEN support but no specialist assessment of type", "none"),
]


def install_need_types(need_type_model) -> None:
    """Create or refresh every need type. Takes the model so that migrations can pass theirs."""
    for order, (code, name, area) in enumerate(NEED_TYPES, start=1):
        need_type_model.objects.update_or_create(
            code=code, defaults={"name": name, "area": area, "sort_order": order}
        )
