"""The search's GIN indexes (PostgreSQL; 0008 and 0015) keep a small pending list.

GIN puts new entries in a pending list and merges it into the index at the next vacuum, or
when the list outgrows ``gin_pending_list_limit`` (4 MB by default); every search scans the
whole list.  Each save rewrites a project's row and its indicators, and the project table is
vacuumed rarely (after a fifth of its rows): at province scale the lists held ~10,000 entries
in 400 pages, and a search by a word in no project name took 5 ms to find nothing.  At 64 kB
(the least allowed) the list is merged every few dozen saves, by the save that fills it."""

from django.db import migrations

INDEXES = (
    "project_name_trgm",
    "indicator_name_trgm",
    "indicator_target_trgm",
    "project_name_bigrams",
    "indicator_name_bigrams",
    "indicator_target_bigrams",
)


def small(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"ALTER INDEX IF EXISTS {name} SET (gin_pending_list_limit = 64)")
    with schema_editor.connection.cursor() as cursor:  # what is pending now, merged now
        cursor.execute(
            "SELECT gin_clean_pending_list(c.oid) FROM pg_class c WHERE c.relname = ANY(%s)",
            [list(INDEXES)],
        )


def default(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"ALTER INDEX IF EXISTS {name} RESET (gin_pending_list_limit)")


class Migration(migrations.Migration):
    dependencies = [("jixiao", "0017_evaluation_unit_index")]
    operations = [migrations.RunPython(small, default)]
