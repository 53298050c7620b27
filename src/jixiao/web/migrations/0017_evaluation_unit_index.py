# The unit of 0016 required, and the index of a reviewer's waiting self-evaluations (its own
# migration: PostgreSQL does not alter a table with the deferred checks of 0016's rows pending).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('jixiao', '0016_evaluation_unit'),
    ]

    operations = [
        migrations.AlterField(
            model_name='evaluation',
            name='unit',
            field=models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', db_index=False, to='jixiao.unit'),
        ),
        migrations.AddIndex(
            model_name='evaluation',
            index=models.Index(fields=['unit', 'status', 'updated_at'], name='evaluation_unit_status_at'),
        ),
    ]
