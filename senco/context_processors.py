"""Role-aware navigation. Each entry is a label and a URL name; who sees it is whoever its view's
own access declaration lets in (`senco.access.may_open`), so the menu cannot drift from the views.
The URL name is a string, so the core imports nothing from the apps."""

from senco.access import may_open
from senco.selectors import schools_of

NAVIGATION = [
    ("Home", "home"),
    ("My pupils", "pupils:my_pupils"),
    ("SEN register", "pupils:register"),
    ("Register health", "pupils:register_health"),
    ("Reviews due", "provision:reviews_due"),
    ("EHC plans", "agencies:ehc_plans_list"),
    ("Statutory calendar", "agencies:statutory_calendar"),
    ("Transitions", "transitions:transition_year"),
    ("Interventions", "provision:interventions"),
    ("Provision groups", "provision:groups"),
    ("Provision map", "provision:map"),
    ("Notional SEN budget", "provision:budget"),
    ("Referrals", "agencies:referral_list"),
    ("Outside services", "agencies:agency_list"),
    ("Advice from professionals", "agencies:advice_list"),
    ("Arriving pupils", "transitions:arrival_list"),
    ("Concerns", "pupils:concern_queue"),
    ("My concerns", "pupils:my_concerns"),
    ("Import from MIS", "pupils:import"),
    ("Term dates", "senco:calendar"),
    ("Audit trail", "senco:audit_trail"),
    ("Staff and roles", "senco:staff"),
    ("Subject access requests", "pupils:subject_access_list"),
    ("Exam access arrangements", "transitions:exam_series"),
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
        for label, url_name in NAVIGATION
        if may_open(user, url_name)
    ]
    other_schools = schools_of(user) if len(user.school_ids) > 1 else []
    return {"nav_items": items, "other_schools": other_schools}
