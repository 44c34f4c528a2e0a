"""Role-aware navigation. Each entry names the roles that may open it, matching the view's
own `allow(...)`; the URL name is a string, so the core imports nothing from the apps."""

from senco.models import CLASSROOM, EVERYONE, LEADERSHIP, SENCO_TEAM, Role
from senco.selectors import schools_of

NAVIGATION = [
    ("Home", "home", EVERYONE),
    ("SEN register", "pupils:register", (*SENCO_TEAM, *LEADERSHIP, Role.ADMIN)),
    ("Reviews due", "provision:reviews_due", (*SENCO_TEAM, *LEADERSHIP, *CLASSROOM)),
    ("Interventions", "provision:interventions", (*SENCO_TEAM, *LEADERSHIP, Role.ADMIN, *CLASSROOM)),
    ("Provision groups", "provision:groups", (*SENCO_TEAM, *LEADERSHIP, *CLASSROOM)),
    ("Provision map", "provision:map", (*SENCO_TEAM, *LEADERSHIP, Role.ADMIN)),
    ("Concerns", "pupils:concern_queue", (*SENCO_TEAM, *LEADERSHIP)),
    ("My concerns", "pupils:my_concerns", CLASSROOM),
    ("Import from MIS", "pupils:import", (*SENCO_TEAM, Role.ADMIN)),
    ("Audit trail", "senco:audit_trail", (*SENCO_TEAM, *LEADERSHIP)),
]


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user.school is None:
        return {"nav_items": []}
    match = request.resolver_match
    current = (
        f"{match.namespace}:{match.url_name}" if match and match.namespace else getattr(match, "url_name", "")
    )
    items = [
        {"label": label, "url_name": url_name, "active": url_name == current}
        for label, url_name, roles in NAVIGATION
        if user.has_role(*roles)
    ]
    other_schools = schools_of(user) if len(user.school_ids) > 1 else []
    return {"nav_items": items, "other_schools": other_schools}
