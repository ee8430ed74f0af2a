"""English titles and summaries of the documents.

The columns are added by ALTER TABLE on every database: on SQLite, Django's AddField of a
column with a default rebuilds the table, which would drop the triggers that keep the FTS5
index (0002_full_text)."""

from django.db import migrations, models

COLUMNS = [("title_en", 250), ("summary_en", 300)]


class Migration(migrations.Migration):
    dependencies = [("search", "0002_full_text")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    f"ALTER TABLE search_searchdocument "
                    f"ADD COLUMN {name} varchar({length}) NOT NULL DEFAULT ''",
                    f"ALTER TABLE search_searchdocument DROP COLUMN {name}",
                )
                for name, length in COLUMNS
            ],
            state_operations=[
                migrations.AddField(
                    model_name="searchdocument",
                    name="title_en",
                    field=models.CharField(
                        blank=True, default="", max_length=250, verbose_name="标题（英文）"
                    ),
                ),
                migrations.AddField(
                    model_name="searchdocument",
                    name="summary_en",
                    field=models.CharField(
                        blank=True, default="", max_length=300, verbose_name="摘要（英文）"
                    ),
                ),
            ],
        )
    ]
