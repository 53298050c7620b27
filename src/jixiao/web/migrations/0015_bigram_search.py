"""Two-character words for the search on PostgreSQL.  Most Chinese search words have two
characters (培训, 维修, 宣传) and a trigram index cannot answer them: a rare one read every
name and two million indicator rows (one to three seconds for a province).  Here the
character pairs of a text (``jixiao_bigrams``: its upper-cased text cut into every pair of
neighbouring characters) are indexed with GIN, for project names and indicator names and
targets; ``search`` asks for the rows whose pairs contain the word's pair, then applies the
same ``icontains`` (the pairs are a necessary condition, ``icontains`` the exact one).
SQLite (the demo) is not concerned: its FTS5 index (0013) takes words of three characters
or more, and it reads the rows for shorter ones."""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION jixiao_bigrams(t text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(substr(u, i, 2)), '{}')
    FROM (SELECT upper(t) AS u) AS s, generate_series(1, char_length(u) - 1) AS i
$$
"""

INDEXES = (
    ("project_name_bigrams", "jixiao_project", "name"),
    ("indicator_name_bigrams", "jixiao_indicatorentry", "name"),
    ("indicator_target_bigrams", "jixiao_indicatorentry", "target"),
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION)
    for name, table, column in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (jixiao_bigrams({column}))"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _, _ in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    schema_editor.execute("DROP FUNCTION IF EXISTS jixiao_bigrams(text)")


class Migration(migrations.Migration):
    dependencies = [("jixiao", "0014_year_tallies")]
    operations = [migrations.RunPython(create, drop)]
