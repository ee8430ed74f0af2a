"""On PostgreSQL, refuse at commit any journal whose entries do not sum to zero per unit.

A constraint trigger DEFERRABLE INITIALLY DEFERRED runs when the transaction commits, after
all of a journal's entries are in, whatever wrote them. SQLite relies on journal_post.
"""

from django.db import migrations

CREATE = """
CREATE FUNCTION ledger_journal_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (
        SELECT 1
        FROM ledger_entry e JOIN ledger_account a ON a.id = e.account_id
        WHERE e.journal_id = NEW.journal_id
        GROUP BY a.unit
        HAVING SUM(e.amount) <> 0
    ) THEN
        RAISE EXCEPTION 'ledger journal % does not balance', NEW.journal_id
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END
$$;
CREATE CONSTRAINT TRIGGER ledger_entry_journal_balanced
    AFTER INSERT ON ledger_entry
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION ledger_journal_balanced();
"""

DROP = """
DROP TRIGGER IF EXISTS ledger_entry_journal_balanced ON ledger_entry;
DROP FUNCTION IF EXISTS ledger_journal_balanced();
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_ledger_and_wallet")]

    operations = [migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP))]
