"""The compensation list, owed now first, read in order from an index: a coordinator's by
partnership, an admin's across every partnership."""

from django.db import migrations, models
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import Coalesce, Extract


def owed_first_order():
    # The expression of survivors.models_compensation.owed_first_order as it is today.
    return models.Case(
        models.When(
            status="paid",
            then=CombinedExpression(
                models.Value(200000000000), "-", Extract(Coalesce("paid_on", "due_on"), "epoch")
            ),
        ),
        default=Extract("due_on", "epoch"),
        output_field=models.BigIntegerField(),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("survivors", "0013_board_meetings_name_their_board_now"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="compensation",
            index=models.Index(
                models.F("partnership"),
                owed_first_order(),
                models.F("id"),
                name="compensation_owed_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="compensation",
            index=models.Index(owed_first_order(), models.F("id"), name="compensation_owed_all_idx"),
        ),
    ]
