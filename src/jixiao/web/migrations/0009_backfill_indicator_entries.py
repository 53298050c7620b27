"""The search's indicator rows for the projects stored before it existed."""

from django.db import migrations


def backfill(apps, schema_editor):
    project_model = apps.get_model("jixiao", "Project")
    entry_model = apps.get_model("jixiao", "IndicatorEntry")
    batch = []
    for project in project_model.objects.filter(latest__isnull=False).select_related("latest"):
        for position, item in enumerate(project.latest.data.get("indicators") or []):
            batch.append(
                entry_model(
                    project_id=project.id,
                    position=position,
                    level1=str(item.get("level1") or "")[:300],
                    level2=str(item.get("level2") or "")[:300],
                    name=str(item.get("name") or "")[:300],
                    target=str((item.get("target") or {}).get("text") or "")[:300],
                )
            )
        if len(batch) >= 2000:
            entry_model.objects.bulk_create(batch)
            batch = []
    entry_model.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [("jixiao", "0008_trigram_search")]
    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
