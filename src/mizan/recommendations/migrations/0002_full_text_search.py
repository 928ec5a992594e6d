"""Full-text search over recommendation texts, per database.

The statements are frozen here as they were when this migration was written; the
current ones live in ``mizan.recommendations.search``.
"""

from django.db import migrations

TEXT_TABLE = "recommendations_recommendationtext"
FTS_TABLE = "recommendations_text_fts"

SQLITE_SETUP = [
    f"""CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(
        text, content='{TEXT_TABLE}', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2')""",
    f"""CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_ai AFTER INSERT ON {TEXT_TABLE} BEGIN
        INSERT INTO {FTS_TABLE}(rowid, text) VALUES (new.id, new.text); END""",
    f"""CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_ad AFTER DELETE ON {TEXT_TABLE} BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, text) VALUES ('delete', old.id, old.text);
        END""",
    f"""CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_au AFTER UPDATE ON {TEXT_TABLE} BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, text) VALUES ('delete', old.id, old.text);
        INSERT INTO {FTS_TABLE}(rowid, text) VALUES (new.id, new.text); END""",
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')",
]
SQLITE_TEARDOWN = [
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_ai",
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_ad",
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_au",
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
]

#: Text search configuration per language; anything else is indexed without stemming.
POSTGRES_CONFIGS = {
    "ar": "arabic",
    "fr": "french",
    "en": "english",
    "es": "spanish",
    "ru": "russian",
}
_CASES = " ".join(f"WHEN '{lang}' THEN '{cfg}'" for lang, cfg in POSTGRES_CONFIGS.items())
POSTGRES_SETUP = [
    f"ALTER TABLE {TEXT_TABLE} ADD COLUMN IF NOT EXISTS search_vector tsvector",
    f"""CREATE OR REPLACE FUNCTION mizan_search_config(lang text) RETURNS regconfig AS $$
        SELECT (CASE lang {_CASES} ELSE 'simple' END)::regconfig $$
        LANGUAGE sql IMMUTABLE""",
    """CREATE OR REPLACE FUNCTION mizan_text_search_update() RETURNS trigger AS $$
        BEGIN
          NEW.search_vector := to_tsvector(mizan_search_config(NEW.language), NEW.text);
          RETURN NEW;
        END $$ LANGUAGE plpgsql""",
    f"""CREATE TRIGGER mizan_text_search_update BEFORE INSERT OR UPDATE OF text, language
        ON {TEXT_TABLE} FOR EACH ROW EXECUTE FUNCTION mizan_text_search_update()""",
    f"""UPDATE {TEXT_TABLE}
        SET search_vector = to_tsvector(mizan_search_config(language), text)""",
    f"CREATE INDEX IF NOT EXISTS recommendation_text_search ON {TEXT_TABLE} "
    "USING gin (search_vector)",
]
POSTGRES_TEARDOWN = [
    f"DROP TRIGGER IF EXISTS mizan_text_search_update ON {TEXT_TABLE}",
    "DROP FUNCTION IF EXISTS mizan_text_search_update()",
    "DROP INDEX IF EXISTS recommendation_text_search",
    f"ALTER TABLE {TEXT_TABLE} DROP COLUMN IF EXISTS search_vector",
    "DROP FUNCTION IF EXISTS mizan_search_config(text)",
]



def create_index(apps, schema_editor):
    statements = {
        "sqlite": SQLITE_SETUP,
        "postgresql": POSTGRES_SETUP,
    }.get(schema_editor.connection.vendor, [])
    for statement in statements:
        schema_editor.execute(statement)


def drop_index(apps, schema_editor):
    statements = {
        "sqlite": SQLITE_TEARDOWN,
        "postgresql": POSTGRES_TEARDOWN,
    }.get(schema_editor.connection.vendor, [])
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("recommendations", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index)]
