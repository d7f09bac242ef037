from django.db import migrations
from django.db.models import OuterRef, Subquery


def name_the_board_now(apps, schema_editor):
    """Meetings the portal titled after their board take the board's current name: a board
    renamed before renames reached its meetings still showed the old one."""
    Engagement = apps.get_model("survivors", "Engagement")
    Board = apps.get_model("survivors", "Board")
    Engagement.objects.filter(portal_text="board_meeting", board_meeting__isnull=False).update(
        portal_text_subject=Subquery(
            Board.objects.filter(meetings__engagement=OuterRef("pk")).values("name")[:1]
        )
    )


class Migration(migrations.Migration):
    dependencies = [("survivors", "0012_unpaid_compensation_index")]

    operations = [migrations.RunPython(name_the_board_now, migrations.RunPython.noop)]
