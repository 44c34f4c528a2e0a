from django.core.management.base import BaseCommand, CommandError

from senco.audit import verify_chains
from senco.models import School


def _rows(count: int) -> str:
    return f"{count} row" if count == 1 else f"{count} rows"


class Command(BaseCommand):
    help = (
        "Walk each school's audit hash chain and name the first row that no longer fits (exit "
        "status 1), or say how many rows are intact. Keep the printed last hashes: a later run "
        "that ends elsewhere shows rows removed from the end."
    )

    def add_arguments(self, parser):
        parser.add_argument("--school", metavar="URN", help="Verify this school's chain only.")

    def handle(self, *args, school=None, **options):
        schools = None
        if school is not None:
            schools = list(School.objects.filter(urn=school))
            if not schools:
                raise CommandError(f"No school has the URN {school}.")
        first_break, rows = None, 0
        for report in verify_chains(schools):
            rows += report.rows
            if report.broken_at is not None:
                if first_break is None or report.broken_at < first_break.broken_at:
                    first_break = report
                self.stderr.write(
                    f"{report.name}: broken at row {report.broken_at}: {report.problem} "
                    f"({_rows(report.rows)} before it intact)."
                )
            elif report.rows:
                self.stdout.write(
                    f"{report.name}: {_rows(report.rows)}, chain intact, last hash {report.last_hash}"
                )
        if first_break is not None:
            raise CommandError(
                f"The audit trail is broken. First broken link: row {first_break.broken_at} "
                f"({first_break.name}): {first_break.problem}."
            )
        self.stdout.write(self.style.SUCCESS(f"{_rows(rows)}, chain intact"))
