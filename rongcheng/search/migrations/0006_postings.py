"""Term → document postings (search/postings.py), filled for the documents already indexed
from each database's own full-text index, so they hold exactly its terms."""

import django.db.models.deletion
from django.db import migrations, models

FILL = {
    "postgresql": [
        """INSERT INTO search_searchposting (document_id, term, in_title)
        SELECT document.id, vector.lexeme, 'A' = ANY(vector.weights)
        FROM search_searchdocument document, unnest(document.search_vector) vector""",
    ],
    "sqlite": [
        "CREATE VIRTUAL TABLE temp.search_vocabulary USING fts5vocab(main, search_fts, instance)",
        """INSERT INTO search_searchposting (document_id, term, in_title)
        SELECT doc, term, max(col = 'title_terms') FROM temp.search_vocabulary
        GROUP BY doc, term""",
        "DROP TABLE temp.search_vocabulary",
    ],
}


def fill(apps, schema_editor):
    for statement in FILL.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0005_category_price_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchPosting",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "document",
                        "term",
                        blank=True,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                ("term", models.TextField(verbose_name="词")),
                ("in_title", models.BooleanField(default=False, verbose_name="标题词")),
                (
                    "document",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="postings",
                        to="search.searchdocument",
                    ),
                ),
            ],
            options={
                "verbose_name": "搜索词条",
                "verbose_name_plural": "搜索词条",
                "indexes": [
                    models.Index(
                        fields=["term", "document"],
                        include=("in_title",),
                        name="search_posting_term",
                    )
                ],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
