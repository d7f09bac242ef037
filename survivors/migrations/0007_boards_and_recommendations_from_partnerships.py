# Survivor leader boards and recommendations, moved from partnerships (state only, tables kept).

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
import uuid
from django.conf import settings
from django.db import migrations, models

from toolkit_portal.moved_models import rename_content_types

MODELS = ["recommendation", "board", "boardmember", "boardmeeting"]


class Migration(migrations.Migration):

    dependencies = [
        ('partnerships', '0006_assessment_moved_to_its_own_app'),
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
                name='Board',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('name', models.CharField(max_length=200, verbose_name='name')),
                    ('purpose', models.TextField(blank=True, verbose_name='purpose')),
                    ('survivor_seats', models.PositiveSmallIntegerField(default=3, validators=[django.core.validators.MinValueValidator(1)], verbose_name='survivor seats')),
                    ('term_months', models.PositiveSmallIntegerField(default=18, help_text='12 to 24 months is common; stagger start dates so not all seats turn over.', validators=[django.core.validators.MinValueValidator(6), django.core.validators.MaxValueValidator(48)], verbose_name='term length (months)')),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('partnership', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='boards', to='partnerships.partnership', verbose_name='partnership')),
                ],
                options={
                    'verbose_name': 'survivor leader board',
                    'verbose_name_plural': 'survivor leader boards',
                    'db_table': 'partnerships_board',
                    'ordering': ['partnership', 'name'],
                },
            ),
            migrations.CreateModel(
                name='BoardMeeting',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('board', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='meetings', to='survivors.board', verbose_name='board')),
                    ('engagement', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='board_meeting', to='survivors.engagement', verbose_name='engagement')),
                ],
                options={
                    'verbose_name': 'board meeting',
                    'verbose_name_plural': 'board meetings',
                    'db_table': 'partnerships_boardmeeting',
                    'ordering': ['-engagement__starts_at'],
                },
            ),
            migrations.CreateModel(
                name='Recommendation',
                fields=[
                    ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                    ('text', models.TextField(max_length=4000, verbose_name='recommendation')),
                    ('is_anonymous', models.BooleanField(default=False, help_text='Coordinators see and answer your recommendation without your name, and without the engagement or the day it came from. You still see it and its answer here.', verbose_name='send without my name')),
                    ('status', models.CharField(choices=[('received', 'Received'), ('under_consideration', 'Under consideration'), ('adopted', 'Adopted'), ('not_adopted', 'Not adopted')], default='received', max_length=20, verbose_name='status')),
                    ('response', models.TextField(blank=True, max_length=4000, verbose_name='response')),
                    ('answered_at', models.DateTimeField(blank=True, null=True, verbose_name='answered')),
                    ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='recorded')),
                    ('answered_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('board', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='recommendations', to='survivors.board', verbose_name='from the board')),
                    ('consultant', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='recommendations', to='survivors.consultantprofile', verbose_name='consultant')),
                    ('engagement', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='survivors.engagement', verbose_name='after the engagement')),
                    ('partnership', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='recommendations', to='partnerships.partnership', verbose_name='partnership')),
                ],
                options={
                    'verbose_name': 'recommendation',
                    'verbose_name_plural': 'recommendations',
                    'db_table': 'partnerships_recommendation',
                    'ordering': ['-created_at'],
                },
            ),
            migrations.CreateModel(
                name='BoardMember',
                fields=[
                    ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                    ('term_starts_on', models.DateField(verbose_name='term starts')),
                    ('term_ends_on', models.DateField(verbose_name='term ends')),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('board', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='members', to='survivors.board', verbose_name='board')),
                    ('consultant', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='board_seats', to='survivors.consultantprofile', verbose_name='consultant')),
                ],
                options={
                    'verbose_name': 'board member',
                    'verbose_name_plural': 'board members',
                    'db_table': 'partnerships_boardmember',
                    'ordering': ['board', 'term_ends_on'],
                    'constraints': [models.CheckConstraint(condition=models.Q(('term_ends_on__gt', models.F('term_starts_on'))), name='board_term_ends_after_start')],
                },
            ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(*rename_content_types("partnerships", "survivors", MODELS)),
    ]
