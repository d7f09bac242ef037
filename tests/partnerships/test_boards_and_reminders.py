"""Survivor leader boards, and the partnership reminders through the real sweep."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from partnerships import services
from survivors import services_boards
from survivors.models import BoardMember, EngagementKind, ParticipationRequest
from survivors.reminders_boards import Kind
from tests.auth import mfa_login
from tests.survivors.factories import ConsultantProfileFactory, ParticipationRequestFactory
from toolkit_portal import notifications
from toolkit_portal.models import Notification

from .factories import (
    BoardFactory,
    BoardMemberFactory,
    RecommendationFactory,
    board_meeting,
    partnership_page,
)


def test_meeting_offers_the_seats_as_a_board_seat_engagement(coordinator, partnership_x):
    board = BoardFactory(partnership=partnership_x, survivor_seats=3)
    meeting = board_meeting(board, coordinator)
    assert meeting.engagement.kind == EngagementKind.BOARD_SEAT
    assert meeting.engagement.seats == 3
    assert meeting.engagement.partnership == partnership_x


def test_meetings_of_boards_renamed_before_take_the_new_name_once_migrated(
    coordinator, partnership_x
):
    """The data migration that brought earlier renames to the meetings: a portal-titled
    meeting that still names an old board name names the current one; a typed title stays."""
    import importlib

    from django.apps import apps

    from survivors.models import Engagement

    migration = importlib.import_module(
        "survivors.migrations.0013_board_meetings_name_their_board_now"
    )
    board = BoardFactory(partnership=partnership_x, name="Survivor Leaders Council")
    portal_titled = board_meeting(board, coordinator).engagement
    Engagement.objects.filter(pk=portal_titled.pk).update(portal_text_subject="Old Board")
    typed = board_meeting(board, coordinator).engagement
    Engagement.objects.filter(pk=typed.pk).update(title="Quarterly check-in", portal_text="")

    migration.name_the_board_now(apps, None)

    portal_titled.refresh_from_db()
    typed.refresh_from_db()
    assert str(portal_titled.display_title) == "Survivor Leaders Council meeting"
    assert (typed.title, typed.portal_text) == ("Quarterly check-in", "")


@pytest.mark.parametrize("rename", ["through the board form", "in the admin"])
def test_a_renamed_boards_meetings_take_its_new_name_unless_titled_by_hand(
    client, coordinator, partnership_x, rename
):
    board = BoardFactory(partnership=partnership_x, name="Survivor Voices Board")
    portal_titled = board_meeting(board, coordinator).engagement
    typed = services_boards.schedule_board_meeting(
        board=board,
        actor=coordinator,
        title="Quarterly check-in",
        starts_at=portal_titled.starts_at,
        ends_at=portal_titled.ends_at,
        response_deadline=portal_titled.response_deadline,
        estimated_hours=portal_titled.estimated_hours,
        compensation_amount=portal_titled.compensation_amount,
    ).engagement
    if rename == "in the admin":  # the admin saves the row itself, not through the service
        board.name = "Survivor Leaders Council"
        board.save()
    else:
        response = mfa_login(client, coordinator).post(
            reverse("partnerships:board-edit", args=[partnership_x.slug, board.pk]),
            {"name": "Survivor Leaders Council", "survivor_seats": 3, "term_months": 18},
        )
        assert response.status_code == 302
    portal_titled.refresh_from_db()
    typed.refresh_from_db()
    assert str(portal_titled.display_title) == "Survivor Leaders Council meeting"
    with translation.override("es"):
        assert str(portal_titled.display_title) == "Reunión del Survivor Leaders Council"
    assert typed.display_title == "Quarterly check-in"


def test_seating_needs_an_accepted_seat_and_a_free_seat(coordinator, partnership_x):
    board = BoardFactory(partnership=partnership_x, survivor_seats=2, term_months=12)
    meeting = board_meeting(board, coordinator)
    outsider = ConsultantProfileFactory()
    with pytest.raises(services.PartnershipError, match="accepted a seat"):
        services_boards.seat_board_member(board=board, actor=coordinator, consultant=outsider)
    profiles = ConsultantProfileFactory.create_batch(3)
    for profile in profiles:
        ParticipationRequestFactory(
            engagement=meeting.engagement,
            consultant=profile,
            status=ParticipationRequest.Status.ACCEPTED,
        )
    start = timezone.localdate()
    first = services_boards.seat_board_member(
        board=board, actor=coordinator, consultant=profiles[0], term_starts_on=start
    )
    assert first.term_ends_on == services_boards.add_months(start, 12)
    services_boards.seat_board_member(board=board, actor=coordinator, consultant=profiles[1])
    with pytest.raises(services.PartnershipError, match="Every survivor seat"):
        services_boards.seat_board_member(board=board, actor=coordinator, consultant=profiles[2])
    assert list(services_boards.seat_candidates(board)) == [profiles[2]]


def test_board_with_one_seat_shows_the_tokenization_warning(client, coordinator, partnership_x):
    board = BoardFactory(partnership=partnership_x, survivor_seats=1)
    mfa_login(client, coordinator)
    url = reverse("partnerships:board-detail", args=[partnership_x.slug, board.pk])
    assert "fewer than two survivor seats" in client.get(url).content.decode()
    board.survivor_seats = 2
    board.save()
    assert "fewer than two survivor seats" not in client.get(url).content.decode()


def test_board_page_shows_members_and_term_ends(client, coordinator, partnership_x):
    board = BoardFactory(partnership=partnership_x)
    member = BoardMemberFactory(board=board, term_ends_on=timezone.localdate() + timedelta(days=10))
    mfa_login(client, coordinator)
    page = client.get(
        reverse("partnerships:board-detail", args=[partnership_x.slug, board.pk])
    ).content.decode()
    assert member.consultant.display_name in page and "ending soon" in page


def test_board_term_ending_reminds_member_and_coordinators(coordinator, partnership_x):
    board = BoardFactory(partnership=partnership_x)
    soon = BoardMemberFactory(board=board, term_ends_on=timezone.localdate() + timedelta(days=29))
    BoardMemberFactory(board=board, term_ends_on=timezone.localdate() + timedelta(days=90))
    notifications.sweep(enqueue=False)
    notifications.sweep(enqueue=False)
    rows = Notification.objects.filter(kind=Kind.BOARD_TERM_ENDING)
    assert sorted(rows.values_list("recipient_id", flat=True)) == sorted(
        [soon.consultant.user_id, coordinator.pk]
    )
    assert set(rows.values_list("object_id", flat=True)) == {str(soon.pk)}


def _answer_again(recommendation, coordinator, status, response):
    """The coordinators change their answer a moment later; returns a moment after that."""
    services_boards.answer_recommendation(
        recommendation=recommendation,
        actor=coordinator,
        status=status,
        response=response,
        now=timezone.now() + timedelta(seconds=5),
    )
    return timezone.now() + timedelta(seconds=10)


def test_answered_recommendation_notifies_consultant_once_per_answer(coordinator, partnership_x):
    recommendation = RecommendationFactory(partnership=partnership_x)
    notifications.sweep(enqueue=False)
    assert not Notification.objects.filter(kind=Kind.RECOMMENDATION_ANSWERED).exists()
    services_boards.answer_recommendation(
        recommendation=recommendation,
        actor=coordinator,
        status="under_consideration",
        response="We will discuss it in March.",
    )
    notifications.sweep(enqueue=False)
    notifications.sweep(enqueue=False)
    rows = Notification.objects.filter(kind=Kind.RECOMMENDATION_ANSWERED)
    assert rows.count() == 1
    assert rows.get().recipient_id == recommendation.consultant.user_id
    later = _answer_again(recommendation, coordinator, "adopted", "Adopted in March.")
    notifications.sweep(now=later, enqueue=False)
    assert rows.count() == 2


def test_recommendation_email_carries_no_details_and_respects_preference(
    coordinator, partnership_x, mailoutbox
):
    recommendation = RecommendationFactory(
        partnership=partnership_x, text="Secret words of the consultant"
    )
    services_boards.answer_recommendation(
        recommendation=recommendation, actor=coordinator, status="adopted", response="Done"
    )
    notifications.sweep()
    assert len(mailoutbox) == 1
    assert "Secret words" not in mailoutbox[0].body and "Done" not in mailoutbox[0].body
    profile = recommendation.consultant
    profile.email_muted_kinds = ["recommendation_answered"]
    profile.save()
    notifications.sweep(now=_answer_again(recommendation, coordinator, "not_adopted", "Changed"))
    assert len(mailoutbox) == 1
    assert Notification.objects.filter(kind=Kind.RECOMMENDATION_ANSWERED).count() == 2


def test_expired_term_is_not_sent(coordinator, partnership_x):
    board = BoardFactory(partnership=partnership_x)
    member = BoardMemberFactory(board=board, term_ends_on=timezone.localdate() + timedelta(days=1))
    notifications.sweep(enqueue=False)
    BoardMember.objects.filter(pk=member.pk).update(
        term_ends_on=timezone.localdate() - timedelta(days=1)
    )
    from survivors import reminders_boards as reminders

    row = Notification.objects.filter(kind=Kind.BOARD_TERM_ENDING).first()
    member.refresh_from_db()
    assert not reminders.still_due(row, member, timezone.now())


def test_board_recommendation_is_answered_and_members_are_told(client, coordinator, partnership_x):
    board = BoardFactory(partnership=partnership_x)
    member = BoardMemberFactory(board=board)
    BoardMemberFactory(board=board, term_ends_on=timezone.localdate() - timedelta(days=1))
    mfa_login(client, coordinator)
    client.post(
        reverse("partnerships:board-recommendation", args=[partnership_x.slug, board.pk]),
        {"text": "Hold meetings in the evening."},
    )
    recommendation = board.recommendations.get()
    services_boards.answer_recommendation(
        recommendation=recommendation, actor=coordinator, status="adopted", response="Done."
    )
    notifications.sweep(enqueue=False)
    rows = Notification.objects.filter(kind=Kind.RECOMMENDATION_ANSWERED)
    assert list(rows.values_list("recipient_id", flat=True)) == [member.consultant.user_id]
    client.logout()
    mfa_login(client, member.consultant.user)
    page = client.get(reverse("partnerships:my-recommendations")).content.decode()
    assert "Hold meetings in the evening." in page and "The board said" in page


def test_recommendation_after_an_engagement_must_be_the_consultants(
    consultant, other_consultant, partnership_x, engagement
):
    from survivors.models import ParticipationRequest

    mine = ConsultantProfileFactory(user=consultant)
    ConsultantProfileFactory(user=other_consultant)
    partnership_x.is_listed = True
    partnership_x.save()
    ParticipationRequest.objects.create(engagement=engagement, consultant=mine)
    recommendation = services_boards.record_recommendation(
        partnership=partnership_x, actor=consultant, text="Better snacks", engagement=engagement
    )
    assert recommendation.engagement == engagement
    assert list(services_boards.engagements_for_recommendation(consultant)) == [engagement]
    with pytest.raises(services.PartnershipError, match="your engagements"):
        services_boards.record_recommendation(
            partnership=partnership_x, actor=other_consultant, text="x", engagement=engagement
        )


def _post_meeting(client, board, *, answers_due):
    """The board's meeting form: two hours, in ten days, answers due `answers_due` after it
    starts (a negative time: before)."""
    start = timezone.localtime() + timedelta(days=10)

    def moment(after):
        return (start + after).strftime("%Y-%m-%dT%H:%M")

    meeting = {"starts_at": moment(timedelta()), "ends_at": moment(timedelta(hours=2))}
    meeting |= {"response_deadline": moment(answers_due)}
    meeting |= {"estimated_hours": "2", "compensation_amount": "100"}
    return client.post(
        partnership_page("board-meeting-create", board.partnership, board.pk), meeting
    )


def test_meeting_with_a_late_deadline_is_refused_on_the_form(coordinator_client, partnership_x):
    board = BoardFactory(partnership=partnership_x)
    response = _post_meeting(coordinator_client, board, answers_due=timedelta(days=1))
    assert response.status_code == 200
    assert "before the engagement starts" in response.content.decode()
    assert not board.meetings.exists()


def test_meeting_form_schedules_and_leads_to_the_engagement(coordinator_client, partnership_x):
    board = BoardFactory(partnership=partnership_x)
    response = _post_meeting(coordinator_client, board, answers_due=timedelta(days=-3))
    meeting = board.meetings.get()
    assert response.url == meeting.engagement.get_absolute_url()
    assert meeting.engagement.kind == EngagementKind.BOARD_SEAT


# A board member's own seat (/me/boards/<seat>/) -------------------------------------------


def test_member_sees_her_seat_from_the_dashboard(client, consultant, partnership_x):
    board = BoardFactory(
        partnership=partnership_x, name="Survivor Voices Board", purpose="Advise on services."
    )
    seat = BoardMemberFactory(board=board, consultant=ConsultantProfileFactory(user=consultant))
    ended = BoardMemberFactory(
        board=BoardFactory(partnership=partnership_x, name="Old Board"),
        consultant=seat.consultant,
        term_starts_on=timezone.localdate() - timedelta(days=400),
        term_ends_on=timezone.localdate() - timedelta(days=2),
    )
    mfa_login(client, consultant)
    home = client.get(reverse("home")).content.decode()
    url = reverse("myboards:seat", kwargs={"pk": seat.pk})
    assert url == f"/me/boards/{seat.pk}/"
    assert f'href="{url}"' in home and "Old Board" not in home
    page = client.get(url).content.decode()
    assert "Survivor Voices Board" in page and "Advise on services." in page
    assert partnership_x.name in page
    assert "Serving: 200 days left." in page
    # An ended seat's page stays hers to read.
    assert "has ended" in client.get(ended.get_absolute_url()).content.decode()


def test_another_consultants_seat_is_not_found(client, consultant, other_consultant):
    seat = BoardMemberFactory(consultant=ConsultantProfileFactory(user=consultant))
    ConsultantProfileFactory(user=other_consultant)
    mfa_login(client, other_consultant)
    assert client.get(seat.get_absolute_url()).status_code == 404
    assert client.post(seat.get_absolute_url()).status_code == 405


def test_held_by_is_only_the_consultants_own(consultant, coordinator):
    seat = BoardMemberFactory(consultant=ConsultantProfileFactory(user=consultant))
    BoardMemberFactory()
    assert list(BoardMember.objects.held_by(consultant)) == [seat]
    assert not BoardMember.objects.held_by(coordinator).exists()


def test_term_ending_notice_names_the_board_and_links_to_the_seat(coordinator, partnership_x):
    board = BoardFactory(partnership=partnership_x, name="Survivor Voices Board")
    seat = BoardMemberFactory(board=board, term_ends_on=timezone.localdate() + timedelta(days=20))
    notifications.sweep(enqueue=False)
    row = Notification.objects.get(kind=Kind.BOARD_TERM_ENDING, recipient=seat.consultant.user)
    assert row.url == f"/me/boards/{seat.pk}/"
    assert row.subject_label == "Survivor Voices Board"
    assert row.email_wanted
    coordinators_row = Notification.objects.get(kind=Kind.BOARD_TERM_ENDING, recipient=coordinator)
    assert coordinators_row.url == reverse(
        "partnerships:board-detail", kwargs={"slug": partnership_x.slug, "pk": board.pk}
    )


def test_term_ending_email_has_its_own_preference(coordinator, partnership_x, mailoutbox):
    from survivors.models import ReminderKind

    board = BoardFactory(partnership=partnership_x)
    seat = BoardMemberFactory(board=board, term_ends_on=timezone.localdate() + timedelta(days=20))
    seat.consultant.email_muted_kinds = [ReminderKind.ENGAGEMENT_SOON]  # not this one
    seat.consultant.save()
    notifications.sweep()
    member_mail = [m for m in mailoutbox if seat.consultant.reach_email() in m.to]
    assert len(member_mail) == 1 and board.name not in member_mail[0].body
    Notification.objects.all().delete()
    seat.consultant.email_muted_kinds = [ReminderKind.BOARD_TERM_ENDING]
    seat.consultant.save()
    notifications.sweep(enqueue=False)
    assert not Notification.objects.get(recipient=seat.consultant.user).email_wanted


def test_profile_form_offers_the_board_term_preference(client, consultant):
    ConsultantProfileFactory(user=consultant)
    mfa_login(client, consultant)
    page = client.get(reverse("survivors:my-profile")).content.decode()
    assert 'value="board_term_ending"' in page
    assert "My term on a survivor leader board ends soon" in page


def test_whoever_muted_engagement_emails_keeps_the_board_notice_muted(db):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("survivors.migrations.0005_board_term_reminder_kind")
    muted = ConsultantProfileFactory(email_muted_kinds=["engagement_soon"])
    emailed = ConsultantProfileFactory(email_muted_kinds=[])
    migration.keep_earlier_choice(apps, None)
    muted.refresh_from_db()
    emailed.refresh_from_db()
    assert muted.email_muted_kinds == ["engagement_soon", "board_term_ending"]
    assert emailed.email_muted_kinds == []


def _said(response):
    return [message.message for message in response.context["messages"]]


def test_seating_and_a_board_recommendation_from_the_board_page_say_what_happened(
    client, coordinator, partnership_x
):
    board = BoardFactory(partnership=partnership_x, survivor_seats=2)
    meeting = board_meeting(board, coordinator)
    accepted = ConsultantProfileFactory()
    ParticipationRequestFactory(
        engagement=meeting.engagement,
        consultant=accepted,
        status=ParticipationRequest.Status.ACCEPTED,
    )
    mfa_login(client, coordinator)
    seat = reverse("partnerships:board-seat", args=[partnership_x.slug, board.pk])
    today = timezone.localdate().isoformat()

    outsider = {"consultant": str(ConsultantProfileFactory().pk), "term_starts_on": today}
    response = client.post(seat, outsider, follow=True)
    assert _said(response) == ["Choose a consultant who accepted a seat, and a start date."]
    assert not board.members.exists()

    response = client.post(
        seat, {"consultant": str(accepted.pk), "term_starts_on": today}, follow=True
    )
    assert _said(response) == ["The consultant is seated on the board."]
    assert board.members.get().consultant == accepted

    recommend = reverse("partnerships:board-recommendation", args=[partnership_x.slug, board.pk])
    response = client.post(recommend, {"text": ""}, follow=True)
    assert _said(response) == ["Write the board's recommendation."]
    assert not board.recommendations.exists()
