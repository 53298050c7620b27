"""Projects by state over all years, newest first: the admin site's list and its capped
count (``jixiao.web.admin``) read a state's projects through this index, not every project."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("jixiao", "0018_gin_pending_list"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="project",
            index=models.Index(fields=["status", "id"], name="project_status_id"),
        ),
    ]
