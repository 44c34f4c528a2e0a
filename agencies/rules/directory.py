"""The services most schools in England work with, from which a school's directory starts
(SEND Code of Practice 6.58–6.62 and the local offer, Children and Families Act 2014 s30). The
school fills in local names and contact details; whether it may refer directly is the usual case
and can be changed."""

from agencies.models.directory import AgencyKind as K

# (name, kind, the school usually refers directly, how to refer)
USUAL_SERVICES: tuple[tuple[str, str, bool, str], ...] = (
    (
        "Educational psychology service",
        K.EDUCATIONAL_PSYCHOLOGY,
        True,
        "School referral, usually from the school's allocated time.",
    ),
    ("Speech and language therapy", K.SPEECH_AND_LANGUAGE, True, "School or parent referral form."),
    (
        "Occupational therapy",
        K.OCCUPATIONAL_THERAPY,
        True,
        "Referral form; some areas accept GP referrals only.",
    ),
    ("Physiotherapy", K.PHYSIOTHERAPY, False, "Through the GP or paediatrician."),
    ("CAMHS", K.CAMHS, True, "Single point of access referral form."),
    (
        "Mental health support team",
        K.MENTAL_HEALTH_SUPPORT_TEAM,
        True,
        "Through the school's link practitioner.",
    ),
    (
        "Community paediatrics",
        K.PAEDIATRICS,
        False,
        "Through the GP; the school sends its evidence when asked.",
    ),
    ("School nursing", K.SCHOOL_NURSE, True, "School nurse referral form."),
    ("Specialist teaching service", K.SPECIALIST_TEACHERS, True, "Local authority request for involvement."),
    ("Sensory support service", K.SENSORY, True, "Local authority request for involvement."),
    ("Children's social care", K.SOCIAL_CARE, True, "Through the designated safeguarding lead."),
    ("Early Help", K.EARLY_HELP, True, "Early Help assessment with the family."),
    ("Education welfare service", K.EDUCATION_WELFARE, True, "Attendance referral form."),
    ("Virtual School", K.VIRTUAL_SCHOOL, True, "For children looked after: through the designated teacher."),
    ("Area SENCO", K.AREA_SENCO, True, "Early years and primary: local authority request form."),
    (
        "SENDIASS",
        K.SENDIASS,
        False,
        "Parents contact the service themselves; the school gives them the details.",
    ),
)


def usual_services_missing_from(kinds) -> list[tuple[str, str, bool, str]]:
    """The usual services of a kind not among `kinds` (the kinds a directory has)."""
    kinds = set(kinds)
    return [service for service in USUAL_SERVICES if service[1] not in kinds]
