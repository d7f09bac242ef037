"""Engagements the portal set up itself keep what their title is made of, so each reader sees
it in their own language: an assessment round's review ("Self-assessment review: <round>")
and a board's meeting ("<board> meeting"). Rows written before, in their creator's language,
are recognised by the portal's words in English or Spanish; a title a coordinator typed stays.
"""

from django.db import migrations, models

REVIEW_PREFIXES = ["Self-assessment review: ", "Revisión de la autoevaluación: "]
REVIEW_DESCRIPTIONS = {
    "Rate the partnership on the trauma-informed self-assessment, on your own and at your own "
    "pace, until the closing date. No one sees your answers; results show survivors' ratings "
    "only when at least three survivors rated.",
    "Evalúe a la alianza con la autoevaluación informada sobre el trauma, por su cuenta y a su "
    "propio ritmo, hasta la fecha de cierre. Nadie ve sus respuestas; los resultados muestran "
    "las calificaciones de las personas sobrevivientes solo cuando al menos tres sobrevivientes "
    "evaluaron.",
}


def meeting_titles(name):
    return {f"{name} meeting", f"Reunión del {name}"}


def portal_titles(apps, schema_editor):
    Engagement = apps.get_model("survivors", "Engagement")
    BoardMeeting = apps.get_model("survivors", "BoardMeeting")
    for engagement in Engagement.objects.filter(kind="assessment_review"):
        prefix = next((p for p in REVIEW_PREFIXES if engagement.title.startswith(p)), None)
        if prefix is None:
            continue
        Engagement.objects.filter(pk=engagement.pk).update(
            title="",
            portal_text="assessment_review",
            portal_text_subject=engagement.title[len(prefix) :],
            description=""
            if engagement.description.strip() in REVIEW_DESCRIPTIONS
            else engagement.description,
        )
    for meeting in BoardMeeting.objects.select_related("engagement", "board"):
        title = meeting.engagement.title
        Engagement.objects.filter(pk=meeting.engagement_id).update(
            title="" if title in meeting_titles(meeting.board.name) else title,
            portal_text="board_meeting",
            portal_text_subject=meeting.board.name,
        )


def words_again(apps, schema_editor):
    Engagement = apps.get_model("survivors", "Engagement")
    for engagement in Engagement.objects.exclude(portal_text="").filter(title=""):
        if engagement.portal_text == "assessment_review":
            title = "Self-assessment review: " + engagement.portal_text_subject
        else:
            title = engagement.portal_text_subject + " meeting"
        Engagement.objects.filter(pk=engagement.pk).update(title=title[:200])


class Migration(migrations.Migration):
    dependencies = [
        ("survivors", "0010_field_labels"),
    ]

    operations = [
        migrations.AddField(
            model_name="engagement",
            name="portal_text",
            field=models.CharField(
                blank=True,
                choices=[
                    ("", "none: typed by a coordinator"),
                    ("assessment_review", "a self-assessment round's review"),
                    ("board_meeting", "a board's meeting"),
                ],
                default="",
                max_length=30,
                verbose_name="set up by the portal for",
            ),
        ),
        migrations.AddField(
            model_name="engagement",
            name="portal_text_subject",
            field=models.CharField(
                blank=True,
                help_text="The self-assessment round's title or the board's name.",
                max_length=200,
                verbose_name="what the portal's title names",
            ),
        ),
        migrations.AddField(
            model_name="historicalengagement",
            name="portal_text",
            field=models.CharField(
                blank=True,
                choices=[
                    ("", "none: typed by a coordinator"),
                    ("assessment_review", "a self-assessment round's review"),
                    ("board_meeting", "a board's meeting"),
                ],
                default="",
                max_length=30,
                verbose_name="set up by the portal for",
            ),
        ),
        migrations.AddField(
            model_name="historicalengagement",
            name="portal_text_subject",
            field=models.CharField(
                blank=True,
                help_text="The self-assessment round's title or the board's name.",
                max_length=200,
                verbose_name="what the portal's title names",
            ),
        ),
        migrations.AlterField(
            model_name="engagement",
            name="title",
            field=models.CharField(blank=True, max_length=200, verbose_name="title"),
        ),
        migrations.AlterField(
            model_name="historicalengagement",
            name="title",
            field=models.CharField(blank=True, max_length=200, verbose_name="title"),
        ),
        migrations.RunPython(portal_titles, words_again),
        migrations.AddConstraint(
            model_name="engagement",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("title", ""), _negated=True),
                    models.Q(("portal_text", ""), _negated=True),
                    _connector="OR",
                ),
                name="engagement_has_a_title",
            ),
        ),
    ]
