from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('tenancy', '0002_organization_figures_version'),
    ]

    operations = [
        migrations.AddField(
            model_name='member',
            name='unread_notifications',
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
    ]
