"""Each document carries its key attribute values (key_values), which the facets count by
grouping the matching rows.

The column is added by ALTER TABLE, as in 0003_english_titles: on SQLite, Django's AddField
rebuilds the table, which would drop the triggers that keep the FTS5 index. Documents indexed
before are filled from their attribute rows, as documents.key_values builds them: their
fingerprint is unchanged, so a rebuild would not rewrite them."""

from django.db import migrations, models

BATCH = 1000


def add_column(apps, schema_editor):
    json = "jsonb" if schema_editor.connection.vendor == "postgresql" else "text"
    schema_editor.execute(
        f"ALTER TABLE search_searchdocument ADD COLUMN key_values {json} NOT NULL DEFAULT '{{}}'"
    )


def drop_column(apps, schema_editor):
    schema_editor.execute("ALTER TABLE search_searchdocument DROP COLUMN key_values")


def fill_key_values(apps, schema_editor):
    SearchAttribute = apps.get_model("search", "SearchAttribute")
    SearchDocument = apps.get_model("search", "SearchDocument")
    rows = SearchAttribute.objects.order_by("document_id", "attribute_id").values_list(
        "document_id", "attribute_id", "value"
    )
    values: dict[int, dict[str, str]] = {}
    for document_id, attribute_id, value in rows.iterator(chunk_size=5000):
        values.setdefault(document_id, {})[str(attribute_id)] = value
    SearchDocument.objects.bulk_update(
        [SearchDocument(id=pk, key_values=kept) for pk, kept in values.items()],
        ["key_values"],
        batch_size=BATCH,
    )


class Migration(migrations.Migration):

    dependencies = [
        ('search', '0005_category_price_index'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(add_column, drop_column)],
            state_operations=[
                migrations.AddField(
                    model_name='searchdocument',
                    name='key_values',
                    field=models.JSONField(blank=True, default=dict, verbose_name='关键属性'),
                ),
            ],
        ),
        migrations.RunPython(fill_key_values, migrations.RunPython.noop),
    ]
