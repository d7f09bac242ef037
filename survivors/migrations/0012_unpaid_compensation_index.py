from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("survivors", "0011_portal_titles_in_the_readers_language"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="compensation",
            index=models.Index(
                condition=models.Q(("status", "paid"), _negated=True),
                fields=["due_on"],
                name="compensation_unpaid_idx",
            ),
        ),
    ]
