"""Chain the audit rows written before the hash chain, each school's in id order, as
`senco.audit.record()` chains new ones.

On PostgreSQL the append-only trigger refuses UPDATE, so this migration, run by the owner role,
lifts it for its own transaction only: the rows gain their hashes and nothing else changes.
"""

from django.db import migrations

from senco.audit import CHAIN_START, row_hash

TRIGGER = "senco_auditevent_append_only"


def chain_existing_rows(apps, schema_editor):
    AuditEvent = apps.get_model("senco", "AuditEvent")
    postgresql = schema_editor.connection.vendor == "postgresql"
    if postgresql:
        schema_editor.execute(f"ALTER TABLE senco_auditevent DISABLE TRIGGER {TRIGGER}")
    schools = AuditEvent.objects.order_by().values_list("school_id", flat=True).distinct()
    for school_id in list(schools):
        previous, batch = CHAIN_START, []
        for event in AuditEvent.objects.filter(school_id=school_id).order_by("id").iterator(chunk_size=2000):
            event.previous_hash = previous
            event.row_hash = previous = row_hash(event)
            batch.append(event)
            if len(batch) == 2000:
                AuditEvent.objects.bulk_update(batch, ["previous_hash", "row_hash"])
                batch = []
        AuditEvent.objects.bulk_update(batch, ["previous_hash", "row_hash"])
    if postgresql:
        schema_editor.execute(f"ALTER TABLE senco_auditevent ENABLE TRIGGER {TRIGGER}")


class Migration(migrations.Migration):
    dependencies = [("senco", "0008_audit_hash_chain")]
    operations = [migrations.RunPython(chain_existing_rows, migrations.RunPython.noop)]
