import pytest
from django.urls import reverse

from survivors import services
from tests.auth import mfa_login
from tests.queries import assert_fixed_query_count
from toolkit_portal import notifications
from toolkit_portal.models import CalendarFeed, Notification


@pytest.fixture
def notified(engagement, profile, coordinator, consultant):
    request = services.send_participation_requests(
        engagement=engagement, consultants=[profile], actor=coordinator
    )[0]
    services.accept_request(request=request, actor=consultant, consent={})
    notifications.sweep(enqueue=False)
    return request


def test_inbox_lists_newest_first_with_an_unread_count(client, consultant, notified):
    client.force_login(consultant)
    response = client.get(reverse("inbox"))
    assert response.status_code == 200
    items = list(response.context["page_obj"])
    assert [i.created_at for i in items] == sorted((i.created_at for i in items), reverse=True)
    assert 'id="unread-count"' in response.content.decode()


def test_a_cancelled_notification_is_left_out_of_the_unread_count(client, consultant, engagement):
    from django.contrib.contenttypes.models import ContentType

    content_type = ContentType.objects.get_for_model(engagement)
    Status = Notification.Status
    for occasion, status in enumerate([Status.PENDING, Status.SENT, Status.CANCELLED]):
        Notification.objects.create(
            kind="engagement_soon",
            recipient=consultant,
            content_type=content_type,
            object_id=str(engagement.pk),
            occasion=str(occasion),
            status=status,
        )
    assert notifications.unread_count(consultant) == 2
    assert Status.CANCELLED not in {n.status for n in notifications.inbox_of(consultant)}
    client.force_login(consultant)
    response = client.get(reverse("inbox"))
    assert response.context["unread_notifications"] == 2
    assert 'id="unread-count">2<' in response.content.decode()


def test_mark_read_and_mark_all_read(client, consultant, notified):
    client.force_login(consultant)
    first = Notification.objects.filter(recipient=consultant).first()
    client.post(reverse("inbox-mark-read", kwargs={"pk": first.pk}))
    first.refresh_from_db()
    assert first.is_read
    response = client.post(reverse("inbox-mark-all-read"), follow=True)
    assert notifications.unread_count(consultant) == 0
    assert "1 notification marked as read." in response.content.decode()


@pytest.mark.parametrize(
    ("count", "language", "words"),
    [
        (1, "en", "1 notification marked as read."),
        (2, "en", "2 notifications marked as read."),
        (1, "es", "1 aviso marcado como leído."),
        (2, "es", "2 avisos marcados como leídos."),
    ],
)
def test_marking_all_read_counts_in_words_that_agree(count, language, words):
    from django.utils import translation
    from django.utils.translation import ngettext

    with translation.override(language):
        said = ngettext(
            "%(count)d notification marked as read.",
            "%(count)d notifications marked as read.",
            count,
        ) % {"count": count}
    assert said == words


def test_someone_elses_notification_is_404(client, other_consultant, consultant, notified):
    client.force_login(other_consultant)
    theirs = Notification.objects.filter(recipient=consultant).first()
    response = client.post(reverse("inbox-mark-read", kwargs={"pk": theirs.pk}))
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert not theirs.is_read


def test_mark_read_is_post_only(client, consultant, notified):
    client.force_login(consultant)
    pk = Notification.objects.filter(recipient=consultant).first().pk
    assert client.get(reverse("inbox-mark-read", kwargs={"pk": pk})).status_code == 405


def test_inbox_query_count_is_fixed(client, coordinator, partnership_x, django_assert_num_queries):
    from django.contrib.contenttypes.models import ContentType

    mfa_login(client, coordinator)
    content_type = ContentType.objects.get_for_model(partnership_x)

    def add(n, start):
        Notification.objects.bulk_create(
            Notification(
                kind="request_answered",
                recipient=coordinator,
                content_type=content_type,
                object_id=str(partnership_x.pk),
                occasion=str(start + i),
            )
            for i in range(n)
        )

    add(2, 0)
    assert_fixed_query_count(
        client, reverse("inbox"), lambda: add(40, 100), django_assert_num_queries
    )


def test_calendar_feed_shows_only_title_time_and_place(client, consultant, notified, profile):
    client.force_login(consultant)
    client.post(reverse("calendar-replace"))
    feed = CalendarFeed.objects.get(user=consultant)
    client.logout()
    response = client.get(reverse("calendar-feed", kwargs={"token": feed.token}))
    body = response.content.decode()
    assert response.status_code == 200
    assert notified.engagement.title in body
    assert profile.display_name not in body
    assert consultant.email not in body


def test_replacing_the_feed_address_retires_the_old_one(client, consultant, notified):
    client.force_login(consultant)
    client.post(reverse("calendar-replace"))
    old = CalendarFeed.objects.get(user=consultant).token
    client.post(reverse("calendar-replace"))
    assert client.get(reverse("calendar-feed", kwargs={"token": old})).status_code == 404
    client.post(reverse("calendar-revoke"))
    assert not CalendarFeed.objects.filter(user=consultant).exists()


def test_coordinator_feed_lists_their_partnerships_engagements(client, coordinator, notified):
    mfa_login(client, coordinator)
    client.post(reverse("calendar-replace"))
    token = CalendarFeed.objects.get(user=coordinator).token
    body = client.get(reverse("calendar-feed", kwargs={"token": token})).content.decode()
    assert notified.engagement.title in body
