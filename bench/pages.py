"""Pages and PDFs of a large school: build a primary and a secondary of PUPILS pupils each
(default 2,000), then time each role's main pages, the register CSV and a plan PDF.

    .venv/bin/python bench/pages.py [PUPILS]
"""

import sys
import time

from common import client_for, print_table, setup, time_page


def main(pupils: int) -> None:
    setup("pages")
    from django.urls import NoReverseMatch, reverse
    from django.utils import timezone

    from provision.models import SupportPlan
    from pupils.models import Pupil
    from senco.demo.seed import build_demo_trust, scaled_plans

    start = time.perf_counter()
    build_demo_trust(seed=2026, today=timezone.localdate(), plans=scaled_plans(2, pupils))
    print(f"Built 2 schools of {pupils} pupils in {time.perf_counter() - start:.1f} s")

    def url(name: str, *args) -> str | None:
        try:
            return reverse(name, args=args)
        except NoReverseMatch:
            return None  # a page a later issue adds

    for username in ("senco", "senco2", "head", "teacher", "governor"):
        client = client_for(username)
        school = client.get("/").context["user"].school
        pupil = Pupil.objects.filter(school=school, sen_history__status="sen_support").first()
        plan = SupportPlan.objects.filter(school=school).first()
        candidates = {
            "senco": ["home", "pupils:register", "pupils:register_csv", "pupils:register_health",
                      "provision:reviews_due", "provision:map", "provision:map_pdf", "senco:audit_trail"],
            "senco2": ["home", "pupils:register", "provision:reviews_due", "provision:map"],
            "head": ["home", "pupils:register", "provision:map"],
            "teacher": ["home", "provision:reviews_due"],
            "governor": ["home"],
        }[username]  # fmt: skip
        urls = [found for found in (url(name) for name in candidates) if found]
        if username in ("senco", "senco2") and pupil:
            urls.append(url("pupils:detail", pupil.pk))
        if username == "senco" and plan:
            urls += [url("provision:plan_detail", plan.pk), url("provision:plan_pdf", plan.pk)]
        rows = [time_page(client, page) for page in urls]
        print_table(f"{username} ({school.name}, {school.pupils.count()} pupils)", rows)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
