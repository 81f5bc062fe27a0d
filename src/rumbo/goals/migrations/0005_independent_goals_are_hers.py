"""An independent seller's organisation or team goals, saved before the goal
form made her goals hers, become her own: they then show on her home page.
Only where she is the organisation's one member, so the goal's figures (and
its recorded timeline) are the same either way."""

from django.db import migrations


def make_hers(apps, schema_editor):
    Goal = apps.get_model("goals", "Goal")
    Member = apps.get_model("tenancy", "Member")
    Organization = apps.get_model("tenancy", "Organization")
    for org_id in Organization.objects.filter(is_independent=True).values_list("id", flat=True):
        members = list(
            Member.objects.filter(organization_id=org_id).values_list("id", flat=True)[:2]
        )
        if len(members) != 1:
            continue
        Goal.objects.filter(organization_id=org_id, member__isnull=True).update(
            member_id=members[0], team=None
        )


class Migration(migrations.Migration):
    dependencies = [
        ("goals", "0004_versions"),
    ]

    operations = [migrations.RunPython(make_hers, migrations.RunPython.noop)]
