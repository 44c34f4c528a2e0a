from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from senco.models import AuditEvent

# The one table of Django's own the app must not write: only migrations record what they did.
READ_ONLY = ("django_migrations",)


class Command(BaseCommand):
    help = (
        "PostgreSQL: give the role the app signs in as what it needs and no more: reading and "
        "changing rows in every table, but only reading and adding rows to the audit trail, and "
        "only reading the migration history. Run it as the owner of the tables, after every "
        "migrate (new tables need their grants). Creating the role, with its password, is a "
        "one-off for the database administrator (README, Production deployment)."
    )

    def add_arguments(self, parser):
        parser.add_argument("role", help="The app's database role, e.g. senco_app.")

    def handle(self, *args, role, **options):
        if connection.vendor != "postgresql":
            raise CommandError("Database roles are PostgreSQL's. SQLite is a demo store without them.")
        with connection.cursor() as cursor:
            self._check(cursor, role)
            with transaction.atomic():
                for statement in self._statements(cursor, role):
                    cursor.execute(statement)
        self.stdout.write(
            self.style.SUCCESS(
                f"{role} may read and change the app's tables, and only read and add audit rows."
            )
        )

    def _check(self, cursor, role: str) -> None:
        cursor.execute(
            "SELECT rolsuper, pg_has_role(%s, current_user, 'MEMBER'), current_user "
            "FROM pg_roles WHERE rolname = %s",
            [role, role],
        )
        found = cursor.fetchone()
        if found is None:
            raise CommandError(
                f"There is no role {role}. Create it once, as a database administrator: "
                f"CREATE ROLE {role} LOGIN PASSWORD '<a long random password>';"
            )
        superuser, owns_tables, owner = found
        if superuser or owns_tables:
            raise CommandError(
                f"{role} is a superuser or holds the rights of {owner}, the tables' owner: it could "
                "alter and empty the audit trail. The app needs a role of its own."
            )

    def _statements(self, cursor, role: str) -> list[str]:
        cursor.execute("SELECT current_schema()")
        schema = connection.ops.quote_name(cursor.fetchone()[0])
        grantee = connection.ops.quote_name(role)
        audit = connection.ops.quote_name(AuditEvent._meta.db_table)
        read_only = [connection.ops.quote_name(table) for table in READ_ONLY]
        return [
            f"GRANT USAGE ON SCHEMA {schema} TO {grantee}",
            # From nothing each time, so a right given by hand (TRUNCATE, TRIGGER) does not linger.
            f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {grantee}",
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {grantee}",
            f"REVOKE UPDATE, DELETE ON {audit} FROM {grantee}",
            *(f"REVOKE INSERT, UPDATE, DELETE ON {table} FROM {grantee}" for table in read_only),
            f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {grantee}",
        ]
