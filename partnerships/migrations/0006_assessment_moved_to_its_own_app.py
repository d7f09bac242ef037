# The self-assessment's models left for the assessment app (state only, tables kept).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('partnerships', '0005_recommendation_is_anonymous'),
        ('assessment', '0001_initial'),
    ]

    operations = [
        # assessment 0001 took these models over; their tables stay (state only).
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveConstraint(
                    model_name='answer',
                    name='one_answer_per_item',
                ),
                migrations.RemoveField(
                    model_name='assessmentround',
                    name='closed_by',
                ),
                migrations.RemoveField(
                    model_name='assessmentround',
                    name='engagement',
                ),
                migrations.RemoveField(
                    model_name='assessmentround',
                    name='opened_by',
                ),
                migrations.RemoveField(
                    model_name='assessmentround',
                    name='partnership',
                ),
                migrations.RemoveField(
                    model_name='assessmentround',
                    name='version',
                ),
                migrations.RemoveConstraint(
                    model_name='instrumentversion',
                    name='one_current_instrument_version',
                ),
                migrations.RemoveConstraint(
                    model_name='item',
                    name='one_item_code_per_version',
                ),
                migrations.RemoveConstraint(
                    model_name='item',
                    name='item_is_area_and_principle_or_a_four_r',
                ),
                migrations.RemoveConstraint(
                    model_name='priority',
                    name='one_priority_per_area_and_round',
                ),
                migrations.RemoveConstraint(
                    model_name='rater',
                    name='one_rater_per_person',
                ),
                migrations.RemoveConstraint(
                    model_name='rater',
                    name='survivor_rater_has_a_request',
                ),
                migrations.RemoveField(
                    model_name='item',
                    name='version',
                ),
                migrations.RemoveField(
                    model_name='priority',
                    name='created_by',
                ),
                migrations.RemoveField(
                    model_name='priority',
                    name='goal',
                ),
                migrations.RemoveField(
                    model_name='priority',
                    name='round',
                ),
                migrations.RemoveField(
                    model_name='rater',
                    name='participation_request',
                ),
                migrations.RemoveField(
                    model_name='rater',
                    name='round',
                ),
                migrations.RemoveField(
                    model_name='rater',
                    name='user',
                ),
                migrations.DeleteModel(
                    name='Answer',
                ),
                migrations.DeleteModel(
                    name='InstrumentVersion',
                ),
                migrations.DeleteModel(
                    name='Item',
                ),
                migrations.DeleteModel(
                    name='Priority',
                ),
                migrations.DeleteModel(
                    name='AssessmentRound',
                ),
                migrations.DeleteModel(
                    name='Rater',
                ),
            ],
            database_operations=[],
        ),
    ]
