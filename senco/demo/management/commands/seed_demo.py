from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from senco.demo.seed import DEMO_LOGINS, build_demo_trust, default_plans, scaled_plans
from senco.factories import DEMO_PASSWORD
from senco.models import School, User


class Command(BaseCommand):
    help = "Build the demo trust: generated, deterministic pupils and staff, never real data."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--schools", type=int, help="Build this many schools instead of the demo pair.")
        parser.add_argument(
            "--pupils-per-school", type=int, help="With --schools: pupils in each school (default 1000)."
        )
        parser.add_argument("--if-empty", action="store_true", help="Do nothing if any school exists.")

    def handle(self, *args, seed, schools, pupils_per_school, if_empty, **options):
        if School.objects.exists():
            if if_empty:
                self.stdout.write("The database already has schools; demo data left as it is.")
                return
            raise CommandError("The database already has schools. seed_demo only fills an empty database.")
        if schools is None:
            if pupils_per_school is not None:
                raise CommandError(
                    "--pupils-per-school needs --schools: the demo pair has fixed sizes (420 and 1,000)."
                )
            plans = default_plans()
        else:
            pupils_per_school = 1000 if pupils_per_school is None else pupils_per_school
            if schools < 1 or pupils_per_school < 7:
                raise CommandError("--schools must be at least 1 and --pupils-per-school at least 7.")
            plans = scaled_plans(schools, pupils_per_school)
        built = build_demo_trust(seed=seed, today=timezone.localdate(), plans=plans)
        pupils = sum(plan.pupils for plan in plans)
        self.stdout.write(self.style.SUCCESS(f"Built {len(built)} schools with {pupils} pupils."))
        self.stdout.write(f"Demo logins (password {DEMO_PASSWORD}):")
        for username, role, phase in DEMO_LOGINS:
            if User.objects.filter(username=username).exists():
                self.stdout.write(f"  {username:<9} {role}, {phase} school")
            else:
                self.stdout.write(
                    f"  {username:<9} not created: it needs a {phase} school (--schools 2 or more)"
                )
