"""Titles the portal writes itself (an assessment round's review, a board's meeting) read in
the reader's language wherever they appear: pages, the inbox, emails and their calendar
invitations, and the calendar feed, whatever language the coordinator who set them up reads."""

import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation
from icalendar import Calendar

from survivors import services as survivor_services
from survivors.models import BoardMeeting, Compensation, Engagement, PortalText
from survivors.reminders import Kind
from tests.assessment import assessment_helpers as helpers
from tests.auth import mfa_login
from tests.partnerships.factories import BoardFactory, board_meeting
from tests.survivors.factories import CompensationFactory, EngagementFactory
from toolkit_portal import notifications
from toolkit_portal.models import CalendarFeed, Notification

REVIEW = {
    "en": "Self-assessment review: Spring 2027",
    "es": "Revisión de la autoevaluación: Spring 2027",
}
REVIEW_DESCRIPTION = {
    "en": "Rate the partnership on the trauma-informed self-assessment",
    "es": "Evalúe a la alianza con la autoevaluación informada sobre el trauma",
}
MEETING = {"en": "Survivor Voices Board meeting", "es": "Reunión del Survivor Voices Board"}
OTHER = {"en": "es", "es": "en"}


def _speaks(user, language):
    user.language = language
    user.save(update_fields=["language"])


def _summary(ics):
    [event] = Calendar.from_ical(ics).walk("VEVENT")
    return str(event["summary"])


def _review_request(coordinator, partnership_x, profile, creator):
    """The coordinator, reading `creator`, invites the consultant to rate a round."""
    with translation.override(creator):
        assessment_round = helpers.open_round(partnership_x, coordinator, title="Spring 2027")
        [request] = helpers.services.invite_consultants_to_round(
            assessment_round=assessment_round,
            actor=coordinator,
            consultants=[profile],
            estimated_hours=Decimal("2"),
            compensation_amount=Decimal("40"),
        )
    return request


@pytest.mark.parametrize("creator", ["en", "es"])
def test_a_review_reads_in_each_readers_language(
    client, coordinator, consultant, partnership_x, profile, creator, settings
):
    reader = OTHER[creator]
    _speaks(coordinator, creator)
    _speaks(consultant, reader)
    request = _review_request(coordinator, partnership_x, profile, creator)
    engagement = request.engagement
    # What the title is made of is kept, not the creator's words.
    assert (engagement.title, engagement.portal_text) == ("", PortalText.ASSESSMENT_REVIEW)
    assert engagement.portal_text_subject == "Spring 2027"

    # Her pages, in her language; the coordinator's, in his.
    as_her = mfa_login(Client(), consultant)
    page = as_her.get(reverse("survivors:my-request-detail", args=[request.pk])).content.decode()
    assert REVIEW[reader] in page and REVIEW[creator] not in page
    assert REVIEW_DESCRIPTION[reader] in page
    listed = as_her.get(reverse("survivors:my-requests")).content.decode()
    assert REVIEW[reader] in listed
    as_him = mfa_login(client, coordinator)
    page = as_him.get(engagement.get_absolute_url()).content.decode()
    assert REVIEW[creator] in page and REVIEW[reader] not in page
    assert REVIEW_DESCRIPTION[creator] in page
    listed = as_him.get(reverse("survivors:engagement-list")).content.decode()
    assert REVIEW[creator] in listed

    # Her inbox names it in her language, whatever language the sweep ran in.
    with translation.override(creator):
        notifications.sweep(enqueue=False)
    new = Notification.objects.get(kind=Kind.REQUEST_NEW, recipient=consultant)
    assert new.subject_label == REVIEW[reader]
    assert REVIEW[reader] in as_her.get(reverse("inbox")).content.decode()

    # She accepts: the email's calendar invitation is in her language, the coordinator's
    # notice in his; and so is her calendar feed, fetched by an app in another language.
    survivor_services.accept_request(request=request, actor=consultant, consent={})
    with translation.override(creator):
        notifications.sweep(enqueue=False)
    answered = Notification.objects.get(kind=Kind.REQUEST_ANSWERED, recipient=coordinator)
    assert answered.subject_label == REVIEW[creator]
    notifications.deliver(
        Notification.objects.get(kind=Kind.REQUEST_ACCEPTED, recipient=consultant).pk
    )
    [email] = [m for m in mail.outbox if m.attachments]
    assert email.extra_headers["Content-Language"] == reader
    [(_name, ics, _mimetype)] = email.attachments
    assert _summary(ics) == REVIEW[reader]
    feed = CalendarFeed.objects.create(user=consultant, token="her-feed")
    fetched = Client(HTTP_ACCEPT_LANGUAGE=creator).get(f"/calendar/{feed.token}.ics")
    assert _summary(fetched.content) == REVIEW[reader]


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_board_meeting_without_a_typed_title_reads_in_each_language(
    client, coordinator, partnership_x, language
):
    board = BoardFactory(partnership=partnership_x, name="Survivor Voices Board")
    with translation.override(OTHER[language]):
        meeting = board_meeting(board, coordinator)
    _speaks(coordinator, language)
    page = mfa_login(client, coordinator).get(meeting.engagement.get_absolute_url())
    assert MEETING[language] in page.content.decode()
    with translation.override(language):
        assert str(meeting.engagement) == MEETING[language]


def test_a_typed_meeting_title_stays_as_typed(coordinator, partnership_x):
    board = BoardFactory(partnership=partnership_x)
    meeting = BoardMeeting.objects.create(
        board=board,
        engagement=EngagementFactory(partnership=partnership_x, title="Budget retreat"),
    )
    for language in ["en", "es"]:
        with translation.override(language):
            assert meeting.engagement.display_title == "Budget retreat"


def test_the_edit_form_keeps_the_portals_title_unless_it_is_changed(
    client, coordinator, consultant, partnership_x, profile
):
    request = _review_request(coordinator, partnership_x, profile, "en")
    engagement = request.engagement
    _speaks(coordinator, "es")
    form = mfa_login(client, coordinator).get(
        reverse("survivors:engagement-edit", args=[engagement.pk])
    )
    assert f'value="{REVIEW["es"]}"' in form.content.decode()
    # Posted back as shown (in either language), the title stays the portal's.
    for shown in REVIEW.values():
        survivor_services.update_engagement(engagement=engagement, actor=coordinator, title=shown)
        engagement.refresh_from_db()
        assert engagement.title == ""
    survivor_services.update_engagement(
        engagement=engagement, actor=coordinator, title="Spring review with the board"
    )
    engagement.refresh_from_db()
    for language in ["en", "es"]:
        with translation.override(language):
            assert engagement.display_title == "Spring review with the board"


def test_an_engagement_without_any_title_is_refused(partnership_x):
    engagement = EngagementFactory.build(partnership=partnership_x, title="")
    with pytest.raises(Exception, match="title"):
        engagement.full_clean()


def test_rows_written_before_keep_what_their_title_is_made_of(coordinator, partnership_x):
    """The data migration: a review or a meeting written in its creator's language becomes the
    portal's again; a title someone typed stays."""
    english = EngagementFactory(
        partnership=partnership_x,
        kind="assessment_review",
        title="Self-assessment review: Autumn survey",
        description=(
            "Rate the partnership on the trauma-informed self-assessment, on your own and at "
            "your own pace, until the closing date. No one sees your answers; results show "
            "survivors' ratings only when at least three survivors rated."
        ),
    )
    spanish = EngagementFactory(
        partnership=partnership_x,
        kind="assessment_review",
        title="Revisión de la autoevaluación: Otoño",
        description="Traigan sus preguntas.",
    )
    typed = EngagementFactory(partnership=partnership_x, kind="assessment_review", title="Ours")
    board = BoardFactory(partnership=partnership_x, name="Survivor Voices Board")
    default = BoardMeeting.objects.create(
        board=board,
        engagement=EngagementFactory(
            partnership=partnership_x, kind="board_seat", title="Reunión del Survivor Voices Board"
        ),
    ).engagement
    retreat = BoardMeeting.objects.create(
        board=board,
        engagement=EngagementFactory(
            partnership=partnership_x, kind="board_seat", title="Budget retreat"
        ),
    ).engagement
    migration = importlib.import_module(
        "survivors.migrations.0011_portal_titles_in_the_readers_language"
    )
    migration.portal_titles(apps, None)
    rows = {
        e.pk: (e.title, e.portal_text, e.portal_text_subject, e.description)
        for e in Engagement.objects.all()
    }
    assert rows[english.pk] == ("", "assessment_review", "Autumn survey", "")
    assert rows[spanish.pk] == ("", "assessment_review", "Otoño", "Traigan sus preguntas.")
    assert rows[typed.pk][:2] == ("Ours", "")
    assert rows[default.pk][:3] == ("", "board_meeting", "Survivor Voices Board")
    assert rows[retreat.pk][:3] == ("Budget retreat", "board_meeting", "Survivor Voices Board")
    with translation.override("en"):
        assert Engagement.objects.get(pk=spanish.pk).display_title == (
            "Self-assessment review: Otoño"
        )


def test_a_payment_marked_in_the_admin_carries_no_words_of_the_admins_language(
    admin_user, profile, partnership_x
):
    record = CompensationFactory(
        request__consultant=profile, request__engagement__partnership=partnership_x
    )
    admin_user.language = "es"
    admin_user.save(update_fields=["language"])
    response = mfa_login(Client(), admin_user).post(
        reverse("admin:survivors_compensation_changelist"),
        {"action": "mark_paid_today", "_selected_action": [record.pk]},
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.status == Compensation.Status.PAID and record.marked_paid_by == admin_user
    assert record.paid_reference == ""
