"""Full-text search over recommendation texts.

SQLite: an FTS5 table with one row per recommendation (all its texts), kept in step with
``RecommendationText`` by triggers. PostgreSQL: a ``tsvector`` column filled by a trigger
with the text search configuration of each text's language (arabic, french, english, …),
under a GIN index. Migrations ``0002_full_text_search`` and
``0003_search_per_recommendation`` create them; this module holds the DDL and the queries.
"""

from __future__ import annotations

import re

from django.db import connection
from django.db.models.expressions import RawSQL

TEXT_TABLE = "recommendations_recommendationtext"
FTS_TABLE = "recommendations_search"
OLD_FTS_TABLE = "recommendations_text_fts"

# One row per recommendation, holding all its texts: a match is a recommendation id at
# once, without going through the (large) texts table for each of thousands of matches.
_REINDEX = (
    f"DELETE FROM {FTS_TABLE} WHERE rowid = {{row}}.recommendation_id; "
    f"INSERT INTO {FTS_TABLE}(rowid, text) SELECT recommendation_id, group_concat(text, ' ') "
    f"FROM {TEXT_TABLE} WHERE recommendation_id = {{row}}.recommendation_id "
    "GROUP BY recommendation_id;"
)
SQLITE_SETUP = [
    f"DROP TRIGGER IF EXISTS {OLD_FTS_TABLE}_ai",
    f"DROP TRIGGER IF EXISTS {OLD_FTS_TABLE}_ad",
    f"DROP TRIGGER IF EXISTS {OLD_FTS_TABLE}_au",
    f"DROP TABLE IF EXISTS {OLD_FTS_TABLE}",
    f"""CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(
        text, tokenize='unicode61 remove_diacritics 2', prefix='3')""",
    f"""CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_ai AFTER INSERT ON {TEXT_TABLE} BEGIN
        {_REINDEX.format(row="new")} END""",
    f"""CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_ad AFTER DELETE ON {TEXT_TABLE} BEGIN
        {_REINDEX.format(row="old")} END""",
    f"""CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_au AFTER UPDATE ON {TEXT_TABLE} BEGIN
        {_REINDEX.format(row="old")} {_REINDEX.format(row="new")} END""",
    f"DELETE FROM {FTS_TABLE}",
    f"INSERT INTO {FTS_TABLE}(rowid, text) SELECT recommendation_id, group_concat(text, ' ') "
    f"FROM {TEXT_TABLE} GROUP BY recommendation_id",
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

_WORD = re.compile(r"\w+", re.UNICODE)


def search_words(query: str) -> list[str]:
    """The words of a user's query; punctuation and search operators are dropped."""
    return _WORD.findall(query)[:20]


def matching_recommendations(query: str) -> RawSQL | None:
    """A subquery of the ids of recommendations whose text (any language) matches ``query``.

    Every word must match; a word of three letters or more also matches as a prefix.
    ``None`` when the query holds no word.
    """
    words = search_words(query)
    if not words:
        return None
    if connection.vendor == "postgresql":
        # Each language's configuration matches whole words (stemmed); the ``simple`` one
        # also matches words of three letters or more as prefixes, as SQLite does. (Prefix
        # matching in every configuration costs several times more.) Words are \w+ only,
        # so no tsquery operator can come from the user.
        phrase = " ".join(words)
        prefixes = " & ".join(f"{word}:*" if len(word) >= 3 else word for word in words)
        tsquery = " || ".join(
            ["websearch_to_tsquery(%s::regconfig, %s)"] * len(POSTGRES_CONFIGS)
            + ["to_tsquery('simple', %s)"]
        )
        params: list[str] = []
        for config in POSTGRES_CONFIGS.values():
            params += [config, phrase]
        params.append(prefixes)
        # ARRAY(…) is computed once from the GIN index; a plain IN (subquery) lets the
        # planner pick, under a LIMIT, a merge join that reads every text.
        return RawSQL(
            f"SELECT unnest(ARRAY(SELECT recommendation_id FROM {TEXT_TABLE} "
            f"WHERE search_vector @@ ({tsquery})))",
            params,
        )
    # A word of one or two letters ("A" of "A/HRC/…") would match a prefix of half the
    # vocabulary: only longer words match as prefixes.
    match = " AND ".join(
        '"' + word.replace('"', "") + ('"*' if len(word) >= 3 else '"') for word in words
    )
    return RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [match])
