# pg_trgm finds misspelled and partial titles in the catalog search. It is a contrib extension:
# PostgreSQL servers that ship without it (the embedded one of `make run`) keep the full-text
# search, and the search knows (trainings.services.trigram_available).

from django.db import migrations

INDEX = "training_title_trgm_idx"


def add_trigram_search(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")
        if cursor.fetchone() is None:
            return
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        cursor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON trainings_training "
            "USING gin (title gin_trgm_ops)"
        )


def remove_trigram_index(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("trainings", "0003_notifications_through_the_sweep"),
    ]

    operations = [
        migrations.RunPython(add_trigram_search, remove_trigram_index),
    ]
