"""The school's directory of services outside the school that it refers pupils to or works
with (SEND Code of Practice 6.58–6.62)."""

from django.db import models

from senco.models import School


class AgencyKind(models.TextChoices):
    EDUCATIONAL_PSYCHOLOGY = "ep", "Educational psychology"
    SPEECH_AND_LANGUAGE = "salt", "Speech and language therapy"
    OCCUPATIONAL_THERAPY = "ot", "Occupational therapy"
    PHYSIOTHERAPY = "physio", "Physiotherapy"
    CAMHS = "camhs", "Child and adolescent mental health services (CAMHS)"
    MENTAL_HEALTH_SUPPORT_TEAM = "mhst", "Mental health support team"
    PAEDIATRICS = "paediatrics", "Community paediatrics"
    SCHOOL_NURSE = "school_nurse", "School nursing"
    SPECIALIST_TEACHERS = "specialist_teachers", "Specialist teaching service"
    SENSORY = "sensory", "Sensory support (hearing, vision, multi-sensory)"
    SOCIAL_CARE = "social_care", "Children's social care"
    EARLY_HELP = "early_help", "Early Help"
    EDUCATION_WELFARE = "education_welfare", "Education welfare"
    VIRTUAL_SCHOOL = "virtual_school", "Virtual School"
    AREA_SENCO = "area_senco", "Area SENCO"
    SENDIASS = "sendiass", "SEND information, advice and support service (SENDIASS)"
    LOCAL_AUTHORITY_SEN = "la_sen", "Local authority SEN team"
    OTHER = "other", "Other"


class Agency(models.Model):
    """A service the school works with: how to reach it and whether the school may refer a pupil
    to it directly (many take referrals only through a GP, the local authority or a panel)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="agencies")
    name = models.CharField(max_length=150)
    kind = models.CharField(max_length=30, choices=AgencyKind.choices)
    refers_directly = models.BooleanField(
        "The school can refer directly",
        default=True,
        help_text="Untick where referrals go through a GP, the local authority or a panel.",
    )
    contact_name = models.CharField(max_length=150, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    address = models.TextField(blank=True)
    website = models.URLField(blank=True)
    how_to_refer = models.TextField("How to refer", blank=True)
    active = models.BooleanField(default=True, help_text="Untick to hide a service no longer used.")

    class Meta:
        verbose_name_plural = "agencies"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "name"], name="agency_name_unique_in_school"),
        ]

    def __str__(self) -> str:
        return self.name
