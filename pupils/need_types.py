"""The census SEN type codes and their broad areas of need (domain.md §2).

Down syndrome was added in spring 2025; its code "DS" is not yet confirmed by the DfE, which is
why need types live in a table that this catalogue fills, rather than in code-level choices.
"""

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
