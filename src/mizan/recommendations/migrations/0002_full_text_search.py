"""Full-text search over recommendation texts, per database (see ``search.py``)."""

from django.db import migrations

from mizan.recommendations import search


def create_index(apps, schema_editor):
    statements = {
        "sqlite": search.SQLITE_SETUP,
        "postgresql": search.POSTGRES_SETUP,
    }.get(schema_editor.connection.vendor, [])
    for statement in statements:
        schema_editor.execute(statement)


def drop_index(apps, schema_editor):
    statements = {
        "sqlite": search.SQLITE_TEARDOWN,
        "postgresql": search.POSTGRES_TEARDOWN,
    }.get(schema_editor.connection.vendor, [])
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("recommendations", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index)]
