"""Trigram indexes for the search (PostgreSQL): ``name ILIKE '%…%'`` over projects and
indicators uses them instead of reading every row.  pg_trgm ships with PostgreSQL (contrib)
and is a trusted extension: the database owner may create it.  SQLite (the demo) searches
without an index."""

from django.db import migrations

INDEXES = (
    ("project_name_trgm", "jixiao_project", "name"),
    ("indicator_name_trgm", "jixiao_indicatorentry", "name"),
    ("indicator_target_trgm", "jixiao_indicatorentry", "target"),
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in INDEXES:
        schema_editor.execute(
            # Django's icontains compares UPPER(column::text): the index is on that expression
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} "
            f"USING gin ((UPPER({column}::text)) gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _, _ in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("jixiao", "0007_indicator_search")]
    operations = [migrations.RunPython(create, drop)]
