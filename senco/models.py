"""The cross-cutting core: trusts, schools, the school year, the notional SEN budget and its other
spend, staff and their roles, the audit trail."""

import copy
from datetime import date
from functools import cached_property

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Trust(models.Model):
    """A multi-academy trust or local authority hosting several schools in one installation."""

    name = models.CharField(max_length=200, unique=True)

    def __str__(self) -> str:
        return self.name


class Phase(models.TextChoices):
    PRIMARY = "primary", "Primary"
    SECONDARY = "secondary", "Secondary"
    ALL_THROUGH = "all_through", "All-through"
    SPECIAL = "special", "Special school"


class FinancialYearStart(models.IntegerChoices):
    # Maintained schools follow the local authority's April year; academy trusts report on the
    # academy year, 1 September to 31 August (Academy Trust Handbook).
    APRIL = 4, "April to March"
    SEPTEMBER = 9, "September to August (academy year)"


class School(models.Model):
    trust = models.ForeignKey(Trust, on_delete=models.PROTECT, null=True, blank=True, related_name="schools")
    name = models.CharField(max_length=200)
    urn = models.CharField(
        "URN",
        max_length=6,
        unique=True,
        validators=[RegexValidator(r"^\d{6}$", "A unique reference number (URN) is six digits.")],
    )
    phase = models.CharField(max_length=20, choices=Phase.choices)
    local_authority = models.CharField(max_length=100)
    la_code = models.CharField(
        "LA number",
        max_length=3,
        validators=[RegexValidator(r"^\d{3}$", "The LA number is three digits.")],
    )

    financial_year_starts = models.PositiveSmallIntegerField(
        choices=FinancialYearStart.choices,
        default=FinancialYearStart.APRIL,
        help_text="When the school's financial year, and so its notional SEN budget, begins.",
    )
    # IRMS Information Management Toolkit for Schools: SEN files are kept until date of birth +
    # 31 years (older advice was 25). Below 25 a school would dispose of records earlier than any
    # guidance allows; a typo such as 310 would keep them for ever.
    sen_retention_years = models.PositiveSmallIntegerField(
        "Keep SEN records for (years after date of birth)",
        default=31,
        validators=[MinValueValidator(25), MaxValueValidator(100)],
        help_text="The IRMS Toolkit for Schools advises 31: date of birth + 31 years. From 25 to 100.",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(sen_retention_years__gte=25, sen_retention_years__lte=100),
                name="sen_retention_25_to_100_years",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class SenBudget(models.Model):
    """The notional SEN budget for one financial year (from April, or September for an academy
    keeping the academy year: `School.financial_year_starts`)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="sen_budgets")
    financial_year = models.PositiveIntegerField(
        help_text="The calendar year in which it starts: 2026 is 2026-27."
    )
    notional_sen_budget = models.DecimalField(max_digits=12, decimal_places=2)
    # No longer read: element 3 top-up is recorded per pupil (`provision.TopUp`) and its income is
    # their sum. The column stays until the demo stops setting it.
    element3_income = models.DecimalField(
        "Element 3 top-up income (no longer used)",
        max_digits=12,
        decimal_places=2,
        default=0,
        help_text="Not used: element 3 top-up is recorded for each pupil.",
    )

    class Meta:
        ordering = ["school", "-financial_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "financial_year"], name="one_sen_budget_per_school_year"
            ),
            models.CheckConstraint(condition=Q(notional_sen_budget__gte=0), name="sen_budget_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.school} {self.financial_year}-{(self.financial_year + 1) % 100:02d}"


class SpendKind(models.TextChoices):
    """What the notional SEN budget pays for besides intervention groups."""

    IN_CLASS_SUPPORT = "in_class_support", "In-class support"
    SENCO_TIME = "senco_time", "SENCO time"
    BOUGHT_IN_SERVICE = "bought_in_service", "Bought-in services (EP, SALT and others)"
    TRAINING = "training", "Training"
    OTHER = "other", "Other"


class SenSpend(models.Model):
    """One line of a financial year's spend from the notional SEN budget that is not an
    intervention group: hours at an hourly cost (in-class support, SENCO time) or an amount (an
    educational psychologist's days, a course). Entered once for the year, beside the budget."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="sen_spend")
    financial_year = models.PositiveIntegerField(help_text="The year in which it starts: 2026 is 2026-27.")
    kind = models.CharField("What it pays for", max_length=30, choices=SpendKind.choices)
    description = models.CharField(max_length=200)
    hours = models.DecimalField("Hours in the year", max_digits=8, decimal_places=2, null=True, blank=True)
    hourly_cost = models.DecimalField(
        "Hourly cost (£)", max_digits=7, decimal_places=2, null=True, blank=True
    )
    amount = models.DecimalField("Amount (£)", max_digits=10, decimal_places=2, null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["financial_year", "kind", "description", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(hours__isnull=False, hourly_cost__isnull=False, amount__isnull=True)
                    | Q(hours__isnull=True, hourly_cost__isnull=True, amount__isnull=False)
                ),
                name="sen_spend_hours_at_a_rate_or_an_amount",
            ),
            models.CheckConstraint(
                condition=(Q(hours__isnull=True) | Q(hours__gte=0))
                & (Q(hourly_cost__isnull=True) | Q(hourly_cost__gte=0))
                & (Q(amount__isnull=True) | Q(amount__gte=0)),
                name="sen_spend_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.description

    def clean(self) -> None:
        errors = {}
        if self.hours is not None and self.hours < 0:
            errors["hours"] = "Enter hours of 0 or more."
        if self.hourly_cost is not None and self.hourly_cost < 0:
            errors["hourly_cost"] = "Enter an hourly cost of £0 or more."
        if self.amount is not None and self.amount < 0:
            errors["amount"] = "Enter an amount of £0 or more."
        by_hours = self.hours is not None or self.hourly_cost is not None
        if by_hours and self.amount is not None:
            errors.setdefault("amount", "Enter hours at an hourly cost or an amount, not both.")
        elif self.hours is not None and self.hourly_cost is None:
            errors["hourly_cost"] = "Enter the hourly cost the hours are priced at."
        elif self.hourly_cost is not None and self.hours is None:
            errors["hours"] = "Enter the hours in the year."
        elif not by_hours and self.amount is None:
            errors["amount"] = "Enter an amount, or hours at an hourly cost."
        if errors:
            raise ValidationError(errors)


class AcademicYear(models.Model):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="academic_years")
    start_year = models.PositiveIntegerField(help_text="2026 is the school year 2026/27.")

    class Meta:
        ordering = ["school", "-start_year"]
        constraints = [
            models.UniqueConstraint(fields=["school", "start_year"], name="one_academic_year_per_school_year")
        ]

    def __str__(self) -> str:
        return f"{self.start_year}/{(self.start_year + 1) % 100:02d}"


class Season(models.TextChoices):
    AUTUMN = "autumn", "Autumn"
    SPRING = "spring", "Spring"
    SUMMER = "summer", "Summer"


class Term(models.Model):
    academic_year = models.ForeignKey(AcademicYear, on_delete=models.CASCADE, related_name="terms")
    season = models.CharField(max_length=10, choices=Season.choices)
    starts_on = models.DateField()
    ends_on = models.DateField()

    class Meta:
        ordering = ["starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["academic_year", "season"], name="one_term_per_season"),
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")), name="term_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_season_display()} term {self.academic_year}"

    def clean(self) -> None:
        year = self.academic_year.start_year
        if self.starts_on and not date(year, 8, 1) <= self.starts_on <= date(year + 1, 8, 31):
            raise ValidationError(
                {"starts_on": f"A term of {self.academic_year} starts between August and August."}
            )


class ClosureKind(models.TextChoices):
    HALF_TERM = "half_term", "Half-term holiday"
    INSET = "inset", "INSET day"
    CLOSURE = "closure", "Other closure"


class Closure(models.Model):
    """Days inside a term when pupils are not taught: half-terms, INSET days and other closures.
    Bank holidays need no row: they come from `senco.rules.is_bank_holiday`."""

    academic_year = models.ForeignKey(AcademicYear, on_delete=models.CASCADE, related_name="closures")
    kind = models.CharField(max_length=10, choices=ClosureKind.choices)
    starts_on = models.DateField()
    ends_on = models.DateField()
    name = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="closure_ends_on_or_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name or self.get_kind_display()} {self.starts_on:%d/%m/%Y}"

    def clean(self) -> None:
        year = self.academic_year.start_year
        if self.starts_on and not date(year, 8, 1) <= self.starts_on <= date(year + 1, 8, 31):
            raise ValidationError(
                {"starts_on": f"A closure in {self.academic_year} falls between August and August."}
            )
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "The last day cannot be before the first."})


class Role(models.TextChoices):
    SENCO = "senco", "SENCO"
    DEPUTY_SENCO = "deputy_senco", "Deputy SENCO"
    HEAD = "head", "Headteacher"
    SENIOR_LEADER = "senior_leader", "Senior leader"
    TEACHER = "teacher", "Class teacher"
    TA = "ta", "Teaching assistant"
    GOVERNOR = "governor", "Governor"
    ADMIN = "admin", "School administrator"
    # Held at every school of a trust at once (`senco.services.staff.grant_role`), to manage each
    # school's staff and roles for the trust; it sees no pupil (docs/decisions/staff-and-roles.md).
    TRUST_ADMIN = "trust_admin", "Trust administrator"
    # Runs the school's exams as a JCQ centre: sees the access arrangements list of each exam
    # series and nothing else (docs/decisions/exam-access-arrangements.md).
    EXAMS_OFFICER = "exams_officer", "Exams officer"


# Named groups of roles, so that access declarations read as school staff would say them.
SENCO_TEAM = (Role.SENCO, Role.DEPUTY_SENCO)
LEADERSHIP = (Role.HEAD, Role.SENIOR_LEADER)
WHOLE_SCHOOL = (*SENCO_TEAM, *LEADERSHIP, Role.ADMIN)  # see every pupil in the school
CLASSROOM = (Role.TEACHER, Role.TA)  # see the pupils in their own groups
STAFF = (*WHOLE_SCHOOL, *CLASSROOM)
# Every role: home, own password, switching school.
EVERYONE = (*STAFF, Role.GOVERNOR, Role.TRUST_ADMIN, Role.EXAMS_OFFICER)


class StaffManager(UserManager):
    def get_queryset(self):
        # The active school is needed on every request, so fetch it with the user.
        return super().get_queryset().select_related("current_school")


class User(AbstractUser):
    """A member of staff or a governor. Roles are held per school through Membership."""

    current_school = models.ForeignKey(
        School, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = StaffManager()

    class Meta:
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @cached_property
    def _memberships(self) -> list[tuple[int, str]]:
        return list(Membership.objects.filter(user=self).values_list("school_id", "role"))

    @cached_property
    def school(self) -> School | None:
        """The school this user is working in now: their chosen one while they still belong to it,
        else the first school they hold a role in. Losing the membership loses the access."""
        school_ids = self.school_ids
        if self.current_school_id in school_ids:
            return self.current_school
        if not school_ids:
            return None
        return School.objects.get(pk=min(school_ids))

    @cached_property
    def held_roles(self) -> frozenset[str]:
        """Every role this user holds at their current school (none without a school): what the
        menu offers and the header names."""
        school = self.school
        return frozenset(role for school_id, role in self._memberships if school and school_id == school.pk)

    @cached_property
    def roles(self) -> frozenset[str]:
        """The roles this user is acting in: all they hold at their current school, or, on a copy
        made by `acting_as`, only those that grant the capability at hand. Every selector derives
        the user's reach from these, so a capability reaches no further than its own roles."""
        return self.held_roles

    def acting_as(self, roles) -> "User":
        """A copy of this user acting only in those of their roles that are among `roles` (never
        more than they act in now). `senco.access.allow` hands each view the user acting in the
        roles it declares; a page showing several capabilities asks each with its own roles.
        The copy is the same person (same pk) for audit rows and writes."""
        acting_roles = self.roles.intersection(roles)  # fetches the school, which the copy shares
        acting = copy.copy(self)
        acting.__dict__["roles"] = acting_roles
        return acting

    @property
    def school_ids(self) -> set[int]:
        return {school_id for school_id, _ in self._memberships}

    def has_role(self, *roles: str) -> bool:
        return not self.roles.isdisjoint(roles)

    def holds_role_anywhere(self, *roles: str) -> bool:
        """Whether this user holds one of `roles` at any of their schools, not only the current one:
        for what follows the person rather than the school they are working in (their sign-in)."""
        return any(role in roles for _, role in self._memberships)

    def role_names(self) -> list[str]:
        return [Role(role).label for role in Role.values if role in self.held_roles]


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)

    class Meta:
        ordering = ["school", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "school", "role"], name="one_membership_per_role")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} at {self.school}"


class AuditEvent(models.Model):
    """One append-only line of the audit trail: who did what to which record, when and from where.

    Rows are never updated or deleted: `save()` refuses an existing row, `delete()` refuses
    always, and on PostgreSQL triggers refuse UPDATE, DELETE and TRUNCATE from any client.
    Changes list field names only: copying old and new values would spread sensitive
    data into a table that many more people can read than the record itself.

    Each school's rows form a hash chain in id order (`senco.audit`): `row_hash` covers the
    row's fields and `previous_hash`, the `row_hash` of the school's row before it, so a row
    changed or removed behind the app's back breaks the chain (`manage.py verify_audit`).
    """

    at = models.DateTimeField(default=timezone.now, db_index=True)
    school = models.ForeignKey(School, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    actor = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    action = models.CharField(max_length=64)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    pupil_id = models.PositiveBigIntegerField(null=True, blank=True, db_index=True)
    summary = models.CharField(max_length=255, blank=True)
    fields = models.JSONField(default=list, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    path = models.CharField(max_length=255, blank=True)
    previous_hash = models.CharField(max_length=64, blank=True, editable=False)
    row_hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["school", "-at"], name="audit_school_recent"),
            # The end of a school's chain, found on every append, and the order it is walked in.
            models.Index(fields=["school", "id"], name="audit_school_chain"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValidationError("The audit trail is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("The audit trail is append-only.")
