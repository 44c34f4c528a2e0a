"""On PostgreSQL, refuse UPDATE and DELETE on the audit trail from any client, not only the ORM."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION senco_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER senco_auditevent_append_only
    BEFORE UPDATE OR DELETE ON senco_auditevent
    FOR EACH ROW EXECUTE FUNCTION senco_audit_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS senco_auditevent_append_only ON senco_auditevent;
DROP FUNCTION IF EXISTS senco_audit_append_only();
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("senco", "0001_initial")]
    operations = [migrations.RunPython(create_trigger, drop_trigger)]
