from django.db import migrations

from pupils.models import install_need_types


def add_need_types(apps, schema_editor):
    install_need_types(apps.get_model("pupils", "NeedType"))


class Migration(migrations.Migration):
    dependencies = [("pupils", "0001_initial")]
    operations = [migrations.RunPython(add_need_types, migrations.RunPython.noop)]
