"""Room on each page of the rollup tables (PostgreSQL), so that a refresh's
update of a rep-day or rep-month writes the new version on the same page
without touching the indexes (a heap-only tuple) and the days of a month stay
together. Pages already full keep no room until the table is rewritten:
`VACUUM FULL metrics_rollupday, metrics_rollupmonth` (see docs/operations.md)."""

from django.db import migrations

TABLES = ["metrics_rollupday", "metrics_rollupmonth"]
FILLFACTOR = 85


def leave_room(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(f"ALTER TABLE {table} SET (fillfactor = {FILLFACTOR})")


def fill_up(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(f"ALTER TABLE {table} RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [("metrics", "0003_scorecard")]

    operations = [migrations.RunPython(leave_room, fill_up)]
