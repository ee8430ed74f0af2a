"""The full-text index of each database: an FTS5 table kept by triggers on SQLite, a tsvector
column filled by a trigger, with a GIN index, on PostgreSQL. Each part runs only on its own
database."""

from django.db import migrations

SQLITE_UP = [
    """CREATE VIRTUAL TABLE search_fts USING fts5(
        title_terms, body_terms, pinyin_terms,
        content='search_searchdocument', content_rowid='id',
        prefix='1 2 3', tokenize='unicode61'
    )""",
    # Title counts most, then the body, then pinyin spellings.
    "INSERT INTO search_fts(search_fts, rank) VALUES ('rank', 'bm25(10.0, 3.0, 1.0)')",
    """CREATE TRIGGER search_fts_insert AFTER INSERT ON search_searchdocument BEGIN
        INSERT INTO search_fts(rowid, title_terms, body_terms, pinyin_terms)
        VALUES (new.id, new.title_terms, new.body_terms, new.pinyin_terms);
    END""",
    """CREATE TRIGGER search_fts_delete AFTER DELETE ON search_searchdocument BEGIN
        INSERT INTO search_fts(search_fts, rowid, title_terms, body_terms, pinyin_terms)
        VALUES ('delete', old.id, old.title_terms, old.body_terms, old.pinyin_terms);
    END""",
    """CREATE TRIGGER search_fts_update
    AFTER UPDATE OF title_terms, body_terms, pinyin_terms ON search_searchdocument BEGIN
        INSERT INTO search_fts(search_fts, rowid, title_terms, body_terms, pinyin_terms)
        VALUES ('delete', old.id, old.title_terms, old.body_terms, old.pinyin_terms);
        INSERT INTO search_fts(rowid, title_terms, body_terms, pinyin_terms)
        VALUES (new.id, new.title_terms, new.body_terms, new.pinyin_terms);
    END""",
    "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS search_fts_update",
    "DROP TRIGGER IF EXISTS search_fts_delete",
    "DROP TRIGGER IF EXISTS search_fts_insert",
    "DROP TABLE IF EXISTS search_fts",
]

# 'simple' only lower-cases: the terms are already segmented and stemmed by text.py. The
# trigger keeps the terms in the vector only (a row half as wide scans twice as fast); a save
# that carries no terms, such as an ORM save of a loaded row, leaves the vector as it was.
POSTGRES_UP = [
    "ALTER TABLE search_searchdocument ADD COLUMN search_vector tsvector NOT NULL DEFAULT ''",
    """CREATE FUNCTION search_document_vector() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF NEW.title_terms <> '' OR NEW.body_terms <> '' OR NEW.pinyin_terms <> '' THEN
            NEW.search_vector :=
                setweight(to_tsvector('simple'::regconfig, NEW.title_terms), 'A')
                || setweight(to_tsvector('simple'::regconfig, NEW.body_terms), 'B')
                || setweight(to_tsvector('simple'::regconfig, NEW.pinyin_terms), 'C');
            NEW.title_terms := '';
            NEW.body_terms := '';
            NEW.pinyin_terms := '';
        ELSIF TG_OP = 'UPDATE' THEN
            NEW.search_vector := OLD.search_vector;
        END IF;
        RETURN NEW;
    END
    $$""",
    """CREATE TRIGGER search_document_vector BEFORE INSERT OR UPDATE ON search_searchdocument
    FOR EACH ROW EXECUTE FUNCTION search_document_vector()""",
    "CREATE INDEX search_doc_vector ON search_searchdocument USING GIN (search_vector)",
    # Stores are few beside the products: their own index keeps a store search from walking
    # every product that shares a word with it.
    """CREATE INDEX search_doc_store_vector ON search_searchdocument USING GIN (search_vector)
    WHERE doc_type = 'store'""",
]
POSTGRES_DOWN = [
    "DROP INDEX IF EXISTS search_doc_store_vector",
    "DROP INDEX IF EXISTS search_doc_vector",
    "DROP TRIGGER IF EXISTS search_document_vector ON search_searchdocument",
    "DROP FUNCTION IF EXISTS search_document_vector()",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS search_vector",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}),
            _run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}),
        )
    ]
