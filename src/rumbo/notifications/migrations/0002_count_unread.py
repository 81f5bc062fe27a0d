"""Fills Member.unread_notifications (tenancy 0003) from the notifications
already there; from then on notifications.services keeps it."""

from django.db import migrations
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce


def count_unread(apps, schema_editor):
    Member = apps.get_model("tenancy", "Member")
    Notification = apps.get_model("notifications", "Notification")
    unread = (
        Notification.objects.filter(recipient_id=OuterRef("pk"), read_at__isnull=True)
        .order_by().values("recipient_id").annotate(n=Count("id")).values("n")
    )
    Member.objects.update(unread_notifications=Coalesce(Subquery(unread), 0))


class Migration(migrations.Migration):

    dependencies = [
        ("notifications", "0001_initial"),
        ("tenancy", "0003_member_unread_notifications"),
    ]

    operations = [migrations.RunPython(count_unread, migrations.RunPython.noop)]
