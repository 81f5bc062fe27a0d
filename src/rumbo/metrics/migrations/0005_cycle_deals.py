"""The sales cycle's own divisor: won deals with a creation date (ADR 0015).
Every deal had one until now, so the existing rollups get their deals won;
no rebuild is needed."""

from django.db import migrations, models
from django.db.models import F


def fill(apps, schema_editor):  # type: ignore[no-untyped-def]
    for name in ("RollupDay", "RollupMonth"):
        apps.get_model("metrics", name).objects.update(cycle_deals=F("deals_won"))


class Migration(migrations.Migration):
    dependencies = [
        ("metrics", "0004_rollup_fillfactor"),
    ]

    operations = [
        migrations.AddField(
            model_name="rollupday",
            name="cycle_deals",
            field=models.IntegerField(default=0),
        ),
        migrations.AddField(
            model_name="rollupmonth",
            name="cycle_deals",
            field=models.IntegerField(default=0),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
