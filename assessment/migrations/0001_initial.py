# The self-assessment's models, moved from partnerships (state only, tables kept).

import django.db.models.deletion
import django.utils.timezone
import uuid
from django.conf import settings
from django.db import migrations, models

from toolkit_portal.moved_models import rename_content_types

MODELS = ["instrumentversion", "item", "assessmentround", "rater", "answer", "priority"]


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('partnerships', '0005_recommendation_is_anonymous'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('survivors', '0006_limited_means_remote_only'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The models came from `partnerships`: the state moves, the tables stay as they are
        # (each keeps its partnerships_* name through Meta.db_table).
        migrations.SeparateDatabaseAndState(
            state_operations=[
            migrations.CreateModel(
                name='InstrumentVersion',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('number', models.PositiveSmallIntegerField(unique=True, verbose_name='version')),
                    ('title', models.CharField(max_length=200, verbose_name='title')),
                    ('title_es', models.CharField(blank=True, max_length=200, verbose_name='title (Spanish)')),
                    ('published_on', models.DateField(default=django.utils.timezone.localdate, verbose_name='published on')),
                    ('is_current', models.BooleanField(default=False, help_text='New rounds use the current version; older rounds keep theirs.', verbose_name='used for new rounds')),
                    ('notes', models.TextField(blank=True, verbose_name='what changed')),
                ],
                options={
                    'verbose_name': 'instrument version',
                    'verbose_name_plural': 'instrument versions',
                    'db_table': 'partnerships_instrumentversion',
                    'ordering': ['-number'],
                    'constraints': [models.UniqueConstraint(condition=models.Q(('is_current', True)), fields=('is_current',), name='one_current_instrument_version')],
                },
            ),
            migrations.CreateModel(
                name='AssessmentRound',
                fields=[
                    ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                    ('title', models.CharField(max_length=200, verbose_name='title')),
                    ('closes_on', models.DateField(verbose_name='closing date')),
                    ('opened_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='opened')),
                    ('closed_at', models.DateTimeField(blank=True, null=True, verbose_name='closed')),
                    ('closed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('engagement', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='assessment_round', to='survivors.engagement', verbose_name='engagement')),
                    ('opened_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('partnership', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='assessment_rounds', to='partnerships.partnership', verbose_name='partnership')),
                    ('version', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='rounds', to='assessment.instrumentversion', verbose_name='instrument version')),
                ],
                options={
                    'verbose_name': 'assessment round',
                    'verbose_name_plural': 'assessment rounds',
                    'db_table': 'partnerships_assessmentround',
                    'ordering': ['-opened_at'],
                },
            ),
            migrations.CreateModel(
                name='Item',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('code', models.CharField(max_length=40, verbose_name='code')),
                    ('position', models.PositiveSmallIntegerField(verbose_name='order')),
                    ('key_area', models.CharField(blank=True, choices=[('governance', 'Governance and leadership'), ('policy', 'Policy'), ('physical_environment', 'Physical environment'), ('engagement', 'Engagement and involvement'), ('cross_sector', 'Cross sector collaboration'), ('screening', 'Screening, assessment, treatment services'), ('training', 'Training and workforce development'), ('progress_monitoring', 'Progress monitoring and quality assurance'), ('financing', 'Financing'), ('evaluation', 'Evaluation')], max_length=30, verbose_name='key area')),
                    ('principle', models.CharField(blank=True, choices=[('safety', 'Safety'), ('trustworthiness', 'Trustworthiness and transparency'), ('survivor_support', 'Survivor support'), ('collaboration', 'Collaboration and mutuality'), ('empowerment', 'Empowerment, voice and choice'), ('cultural', 'Cultural, historical and gender issues')], max_length=30, verbose_name='principle')),
                    ('four_r', models.CharField(blank=True, choices=[('realize', 'Realize'), ('recognize', 'Recognize'), ('respond', 'Respond'), ('resist', 'Resist re-traumatization')], max_length=20, verbose_name="Four R's")),
                    ('statement_en', models.TextField(verbose_name='statement (English)')),
                    ('statement_es', models.TextField(verbose_name='statement (Spanish)')),
                    ('version', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='items', to='assessment.instrumentversion', verbose_name='instrument version')),
                ],
                options={
                    'verbose_name': 'item',
                    'verbose_name_plural': 'items',
                    'db_table': 'partnerships_item',
                    'ordering': ['version', 'position'],
                },
            ),
            migrations.CreateModel(
                name='Priority',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('key_area', models.CharField(choices=[('governance', 'Governance and leadership'), ('policy', 'Policy'), ('physical_environment', 'Physical environment'), ('engagement', 'Engagement and involvement'), ('cross_sector', 'Cross sector collaboration'), ('screening', 'Screening, assessment, treatment services'), ('training', 'Training and workforce development'), ('progress_monitoring', 'Progress monitoring and quality assurance'), ('financing', 'Financing'), ('evaluation', 'Evaluation')], max_length=30, verbose_name='key area')),
                    ('reason', models.TextField(max_length=4000, verbose_name='reason')),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('goal', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='priorities', to='partnerships.goal', verbose_name='goal')),
                    ('round', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='priorities', to='assessment.assessmentround', verbose_name='assessment round')),
                ],
                options={
                    'verbose_name': 'priority',
                    'verbose_name_plural': 'priorities',
                    'db_table': 'partnerships_priority',
                    'ordering': ['round', 'created_at'],
                },
            ),
            migrations.CreateModel(
                name='Rater',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('kind', models.CharField(choices=[('staff', 'Partnership staff'), ('survivor', 'Survivor consultant')], max_length=10, verbose_name='kind')),
                    ('invited_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='invited')),
                    ('participation_request', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='assessment_rater', to='survivors.participationrequest', verbose_name='participation request')),
                    ('round', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='raters', to='assessment.assessmentround', verbose_name='assessment round')),
                    ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='assessment_raters', to=settings.AUTH_USER_MODEL, verbose_name='person')),
                ],
                options={
                    'verbose_name': 'rater',
                    'verbose_name_plural': 'raters',
                    'db_table': 'partnerships_rater',
                    'ordering': ['round', 'kind', 'invited_at'],
                },
            ),
            migrations.CreateModel(
                name='Answer',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('level', models.PositiveSmallIntegerField(blank=True, choices=[(1, 'Not yet'), (2, 'Beginning'), (3, 'Developing'), (4, 'Established'), (5, 'Sustained')], null=True, verbose_name='level')),
                    ('comment', models.TextField(blank=True, max_length=2000, verbose_name='comment')),
                    ('updated_at', models.DateTimeField(auto_now=True, verbose_name='saved')),
                    ('item', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='answers', to='assessment.item', verbose_name='item')),
                    ('rater', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='answers', to='assessment.rater', verbose_name='rater')),
                ],
                options={
                    'verbose_name': 'answer',
                    'verbose_name_plural': 'answers',
                    'db_table': 'partnerships_answer',
                    'ordering': ['rater', 'item__position'],
                },
            ),
            migrations.AddConstraint(
                model_name='item',
                constraint=models.UniqueConstraint(fields=('version', 'code'), name='one_item_code_per_version'),
            ),
            migrations.AddConstraint(
                model_name='item',
                constraint=models.CheckConstraint(condition=models.Q(models.Q(('key_area__gt', ''), ('principle__gt', ''), ('four_r', '')), models.Q(('key_area', ''), ('principle', ''), ('four_r__gt', '')), _connector='OR'), name='item_is_area_and_principle_or_a_four_r'),
            ),
            migrations.AddConstraint(
                model_name='priority',
                constraint=models.UniqueConstraint(fields=('round', 'key_area'), name='one_priority_per_area_and_round'),
            ),
            migrations.AddConstraint(
                model_name='rater',
                constraint=models.UniqueConstraint(fields=('round', 'user'), name='one_rater_per_person'),
            ),
            migrations.AddConstraint(
                model_name='rater',
                constraint=models.CheckConstraint(condition=models.Q(models.Q(('kind', 'staff'), ('participation_request__isnull', True)), models.Q(('kind', 'survivor'), ('participation_request__isnull', False)), _connector='OR'), name='survivor_rater_has_a_request'),
            ),
            migrations.AddConstraint(
                model_name='answer',
                constraint=models.UniqueConstraint(fields=('rater', 'item'), name='one_answer_per_item'),
            ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(*rename_content_types("partnerships", "assessment", MODELS)),
    ]
