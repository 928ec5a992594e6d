"""SQLite: index each recommendation's texts together, so a match is a recommendation id."""

from django.db import migrations

from mizan.recommendations import search


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in search.SQLITE_SETUP:
            schema_editor.execute(statement)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in search.SQLITE_TEARDOWN:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("recommendations", "0002_full_text_search")]

    operations = [migrations.RunPython(create_index, drop_index)]
