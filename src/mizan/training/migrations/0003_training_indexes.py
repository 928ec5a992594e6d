"""An index for the training figures at scale: attendance by enrolment and status.

Counting the slots an enrolment attended (present or late), or finding whether it
attended any, then reads the index alone, never the table: at 5,000,000 attendance rows
this halves the time of the figures that need it (see ``bench/RESULTS.md``, "Training at
scale").

Written as SQL (the same on SQLite and PostgreSQL) rather than as a model index, so that
the models stay as they are: the model state does not know this index, and
``makemigrations`` has nothing to add. To make it a model index later, add
``models.Index(fields=["enrolment", "status"], name="training_att_enrol_status")`` to
``Attendance.Meta.indexes`` together with a migration whose ``SeparateDatabaseAndState``
adds it to the state only.
"""

from django.db import migrations

INDEX = "training_att_enrol_status"


class Migration(migrations.Migration):
    dependencies = [("training", "0002_sessions_participants")]

    operations = [
        migrations.RunSQL(
            sql=f'CREATE INDEX "{INDEX}" ON "training_attendance" ("enrolment_id", "status")',
            reverse_sql=f'DROP INDEX "{INDEX}"',
        )
    ]
