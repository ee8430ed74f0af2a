"""On PostgreSQL the category index also carries the brand and the key values (INCLUDE), so
that a category's facets and attribute filters without keywords are index-only scans. SQLite
has no such columns in an index (and Django would warn of them there): the index is rebuilt
on PostgreSQL only, under the same name, and the model's state keeps its key columns."""

from django.db import migrations

COVERING = (
    "CREATE INDEX search_doc_category_price ON search_searchdocument "
    "(doc_type, category_id, price) INCLUDE (brand_id, key_values)"
)
PLAIN = (
    "CREATE INDEX search_doc_category_price ON search_searchdocument "
    "(doc_type, category_id, price)"
)


def _rebuilt_as(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute("DROP INDEX search_doc_category_price")
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ('search', '0006_key_values'),
    ]

    operations = [
        migrations.RunPython(_rebuilt_as(COVERING), _rebuilt_as(PLAIN)),
    ]
