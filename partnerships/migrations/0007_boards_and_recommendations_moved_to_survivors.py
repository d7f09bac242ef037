# Boards and recommendations left for survivors (state only, tables kept).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('partnerships', '0006_assessment_moved_to_its_own_app'),
        ('survivors', '0007_boards_and_recommendations_from_partnerships'),
    ]

    operations = [
        # survivors 0007 took these models over; their tables stay (state only).
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='board',
                    name='partnership',
                ),
                migrations.RemoveField(
                    model_name='boardmeeting',
                    name='board',
                ),
                migrations.RemoveField(
                    model_name='recommendation',
                    name='board',
                ),
                migrations.RemoveField(
                    model_name='boardmeeting',
                    name='engagement',
                ),
                migrations.RemoveConstraint(
                    model_name='boardmember',
                    name='board_term_ends_after_start',
                ),
                migrations.RemoveField(
                    model_name='recommendation',
                    name='answered_by',
                ),
                migrations.RemoveField(
                    model_name='recommendation',
                    name='consultant',
                ),
                migrations.RemoveField(
                    model_name='recommendation',
                    name='engagement',
                ),
                migrations.RemoveField(
                    model_name='recommendation',
                    name='partnership',
                ),
                migrations.DeleteModel(
                    name='BoardMeeting',
                ),
                migrations.RemoveField(
                    model_name='boardmember',
                    name='board',
                ),
                migrations.RemoveField(
                    model_name='boardmember',
                    name='consultant',
                ),
                migrations.DeleteModel(
                    name='Recommendation',
                ),
                migrations.DeleteModel(
                    name='Board',
                ),
                migrations.DeleteModel(
                    name='BoardMember',
                ),
            ],
            database_operations=[],
        ),
    ]
