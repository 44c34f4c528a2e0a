"""On PostgreSQL, refuse TRUNCATE of the audit trail, which the row triggers of 0002 do not see:
a statement trigger, as TRUNCATE fires no row triggers. Nothing on SQLite, a demo store."""

from django.db import migrations

# The function from 0002 raises "the audit trail is append-only" for row and statement alike.
CREATE = """
CREATE TRIGGER senco_auditevent_no_truncate
    BEFORE TRUNCATE ON senco_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION senco_audit_append_only();
"""
DROP = "DROP TRIGGER IF EXISTS senco_auditevent_no_truncate ON senco_auditevent;"


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("senco", "0009_chain_existing_audit_rows")]
    operations = [migrations.RunPython(create_trigger, drop_trigger)]
