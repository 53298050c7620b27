# The project's unit kept on its self-evaluation: a reviewer's waiting self-evaluations are
# one index range per unit (a project never changes unit).

import django.db.models.deletion
from django.db import migrations, models

FILL = """
UPDATE jixiao_evaluation SET unit_id = (
    SELECT unit_id FROM jixiao_project WHERE jixiao_project.id = jixiao_evaluation.project_id
)
"""


class Migration(migrations.Migration):

    dependencies = [
        ('jixiao', '0015_bigram_search'),
    ]

    operations = [
        migrations.AddField(
            model_name='evaluation',
            name='unit',
            field=models.ForeignKey(editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', db_index=False, to='jixiao.unit'),
        ),
        migrations.RunSQL(FILL, migrations.RunSQL.noop),
    ]
