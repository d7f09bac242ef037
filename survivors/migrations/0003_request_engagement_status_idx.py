"""The engagement list counts each engagement's requests by status from this index alone."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("survivors", "0002_list_indexes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="participationrequest",
            index=models.Index(
                fields=["engagement", "status"], name="request_engagement_status_idx"
            ),
        ),
    ]
