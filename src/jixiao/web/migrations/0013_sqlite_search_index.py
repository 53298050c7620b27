"""Full-text indexes for the search on SQLite (the demo and small installations): FTS5 with
its trigram tokenizer over project names and indicator names and targets, kept in step with
the tables by triggers.  ``search`` narrows a query of three characters or more to the rows the
index finds, then applies the same ``icontains`` as on PostgreSQL (whose pg_trgm indexes of
migration 0008 serve ``icontains`` directly).  A later migration that rebuilds one of these
tables on SQLite drops its triggers: ``tests/web/test_search.py`` checks that they exist."""

from django.db import migrations

# (index, table, columns)
INDEXES = (
    ("jixiao_project_fts", "jixiao_project", ("name",)),
    ("jixiao_indicator_fts", "jixiao_indicatorentry", ("name", "target")),
)


def _statements(index: str, table: str, columns: tuple[str, ...]) -> list[str]:
    names = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    remove = f"INSERT INTO {index}({index}, rowid, {names}) VALUES ('delete', old.id, {old});"
    add = f"INSERT INTO {index}(rowid, {names}) VALUES (new.id, {new});"
    return [
        f"CREATE VIRTUAL TABLE {index} USING fts5({names}, content='{table}', "
        "content_rowid='id', tokenize='trigram')",
        f"CREATE TRIGGER {index}_insert AFTER INSERT ON {table} BEGIN {add} END",
        f"CREATE TRIGGER {index}_delete AFTER DELETE ON {table} BEGIN {remove} END",
        f"CREATE TRIGGER {index}_update AFTER UPDATE OF {names} ON {table} "
        f"BEGIN {remove} {add} END",
        f"INSERT INTO {index}({index}) VALUES ('rebuild')",  # the rows already there
    ]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for index, table, columns in INDEXES:
        for statement in _statements(index, table, columns):
            schema_editor.execute(statement)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for index, _, _ in INDEXES:
        for trigger in ("insert", "delete", "update"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {index}_{trigger}")
        schema_editor.execute(f"DROP TABLE IF EXISTS {index}")


class Migration(migrations.Migration):
    dependencies = [("jixiao", "0012_year_id_index")]
    operations = [migrations.RunPython(create, drop)]
