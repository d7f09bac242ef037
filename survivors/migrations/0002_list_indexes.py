from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("survivors", "0001_initial"),
    ]

    operations = [
        # The engagement list of an admin (every partnership), newest first.
        migrations.AddIndex(
            model_name="engagement",
            index=models.Index(fields=["-starts_at", "id"], name="engagement_starts_id_idx"),
        ),
        # A coordinator's compensation list, by due date.
        migrations.AddIndex(
            model_name="compensation",
            index=models.Index(
                fields=["partnership", "due_on", "id"], name="compensation_list_idx"
            ),
        ),
        # A consultant's load this month (counted for each directory card), from the index.
        migrations.AddIndex(
            model_name="participationrequest",
            index=models.Index(
                fields=["consultant", "status"],
                include=["engagement"],
                name="request_consultant_load_idx",
            ),
        ),
    ]
