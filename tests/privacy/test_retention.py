"""purge_expired removes or anonymises what is past retention, and only that."""

from datetime import timedelta
from io import StringIO

import pytest
from allauth.account.models import EmailAddress, EmailConfirmation
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone

from partnerships.models import Invitation
from survivors import services as survivor_services
from survivors.models import Engagement, ParticipationRequest, ProfileView
from survivors.reminders import Kind
from tests.partnerships.factories import InvitationFactory
from tests.survivors.factories import ParticipationRequestFactory
from toolkit_portal import notifications, tasks
from toolkit_portal.models import CalendarFeed, Notification, User

pytestmark = pytest.mark.django_db

DAY = timedelta(days=1)


def _notification(kind, recipient, obj, occasion, *, age, status=Notification.Status.SENT):
    created = timezone.now() - age
    return Notification.objects.create(
        kind=kind,
        recipient=recipient,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        occasion=occasion,
        subject_label="Listening session with River",
        last_error="550 mailbox river@example.org unavailable",
        status=status,
        created_at=created,
        next_attempt_at=created,
    )


def _admin_log(user, obj, label):
    return LogEntry.objects.create(
        user=user,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=label,
        action_flag=CHANGE,
        change_message="[]",
    )


@pytest.fixture
def seeded(coordinator, admin_user, consultant, profile, other_profile, engagement, client):
    now = timezone.now()
    expired, kept = {}, {}

    # Invitations: closed long enough ago go; pending and recently closed stay.
    expired["invitations"] = [
        InvitationFactory(partnership=engagement.partnership, expires_at=now - 40 * DAY).pk,
        InvitationFactory(partnership=engagement.partnership, revoked_at=now - 31 * DAY).pk,
        InvitationFactory(
            partnership=engagement.partnership, accepted_at=now - 60 * DAY, accepted_by=coordinator
        ).pk,
    ]
    kept["invitations"] = [
        InvitationFactory(partnership=engagement.partnership).pk,
        InvitationFactory(partnership=engagement.partnership, revoked_at=now - 5 * DAY).pk,
        InvitationFactory(partnership=engagement.partnership, expires_at=now - 5 * DAY).pk,
    ]

    # Profile views: a year and more ago go.
    expired["views"] = [
        ProfileView.objects.create(
            profile=profile, viewer=coordinator, viewed_at=now - 400 * DAY
        ).pk
    ]
    kept["views"] = [
        ProfileView.objects.create(profile=profile, viewer=coordinator, viewed_at=now - 10 * DAY).pk
    ]

    # Notifications. An old one the sweep would never write again goes; an old one that
    # still stops the sweep from telling the coordinators twice stays without its text.
    accepted = ParticipationRequestFactory(
        engagement=engagement, consultant=profile, status=ParticipationRequest.Status.COMPLETED
    )
    declined = ParticipationRequestFactory(
        engagement=engagement, consultant=other_profile, status=ParticipationRequest.Status.DECLINED
    )
    consultant_user = profile.user
    expired["notifications"] = [
        _notification(Kind.REQUEST_NEW, consultant_user, accepted, "sent", age=200 * DAY).pk
    ]
    guard = _notification(Kind.REQUEST_ANSWERED, coordinator, declined, "declined", age=200 * DAY)
    kept["notifications"] = [
        guard.pk,
        _notification(
            Kind.REQUEST_ACCEPTED, consultant_user, accepted, "accepted", age=10 * DAY
        ).pk,
        _notification(
            Kind.REQUEST_NEW,
            coordinator,
            accepted,
            "other",
            age=200 * DAY,
            status=Notification.Status.PENDING,
        ).pk,
    ]

    # Change history: the engagement's creation is three years old, a change is recent.
    engagement.history.update(history_date=now - 1200 * DAY)
    engagement.title = "Listening session (moved)"
    engagement.save()
    expired["history"] = list(
        engagement.history.filter(history_date__lt=now - DAY).values_list("history_id", flat=True)
    )
    kept["history"] = list(
        engagement.history.filter(history_date__gte=now - DAY).values_list("history_id", flat=True)
    )

    # Sessions: an expired one and the session list's entry of a session that is gone go.
    client.force_login(consultant_user)
    live_key = client.session.session_key
    UserSession.objects.get_or_create(
        session_key=live_key,
        defaults={"user": consultant_user, "ip": "203.0.113.9", "user_agent": "Firefox"},
    )
    stale = Session.objects.create(session_key="stale" * 8, session_data="", expire_date=now - DAY)
    gone = UserSession.objects.create(
        user=consultant_user, session_key="gone" * 10, ip="198.51.100.7", user_agent="Chrome"
    )
    expired["sessions"] = [stale.pk]
    expired["user_sessions"] = [gone.pk]
    kept["sessions"] = [live_key]
    kept["user_sessions"] = list(
        UserSession.objects.filter(session_key=live_key).values_list("pk", flat=True)
    )

    # Email confirmation keys: an expired one goes.
    address = EmailAddress.objects.get(user=consultant_user)
    old_key = EmailConfirmation.objects.create(
        email_address=address, key="old" * 10, created=now - 30 * DAY, sent=now - 30 * DAY
    )
    new_key = EmailConfirmation.objects.create(
        email_address=address, key="new" * 10, created=now, sent=now
    )
    expired["confirmations"] = [old_key.pk]
    kept["confirmations"] = [new_key.pk]

    # An erased consultant's leftovers; consultant A keeps the same kinds of rows.
    erased = other_profile.user
    erased_email = erased.email
    for user in (consultant_user, erased):
        CalendarFeed.objects.create(user=user, token=f"token-{user.pk}")
        Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
        _notification(Kind.COMPENSATION_PAID, user, declined, f"paid-{user.pk}", age=DAY)
        _admin_log(admin_user, user, user.email)
    User.objects.filter(pk=erased.pk).update(last_login=now)
    _admin_log(admin_user, other_profile, "Consultant B")
    _admin_log(admin_user, profile, "Consultant A")
    survivor_services.erase_consultant(user=erased, actor=erased)
    erased.refresh_from_db()
    return {
        "expired": expired,
        "kept": kept,
        "guard": guard,
        "declined": declined,
        "accepted": accepted,
        "erased": erased,
        "erased_email": erased_email,
        "consultant": consultant_user,
        "engagement": engagement,
    }


def _snapshot():
    """Every row of every table the purge touches."""
    models = [
        Invitation,
        ProfileView,
        Notification,
        Session,
        UserSession,
        EmailConfirmation,
        User,
        LogEntry,
        Authenticator,
        CalendarFeed,
        EmailAddress,
        ParticipationRequest.history.model,
    ]
    snapshot = {}
    for model in models:
        rows = model._default_manager.order_by("pk").values()
        snapshot[model._meta.label] = [sorted(row.items(), key=str) for row in rows]
    snapshot["engagement_history"] = sorted(Engagement.history.values_list("history_id", flat=True))
    return snapshot


def test_dry_run_says_what_would_go_and_changes_nothing(seeded):
    before = _snapshot()
    out = StringIO()
    call_command("purge_expired", "--dry-run", stdout=out)
    assert _snapshot() == before
    text = out.getvalue()
    assert "invitations closed more than 30 days ago: would delete 3" in text
    assert "records of profile views older than 365 days: would delete 1" in text
    assert "would anonymise" in text
    assert "Dry run: nothing was changed." in text


def test_purge_removes_what_is_past_retention_and_keeps_the_rest(seeded):
    expired, kept = seeded["expired"], seeded["kept"]
    result = tasks.purge_expired.delay().get()  # the beat task, run eagerly
    assert result["invitations"]["deleted"] == 3

    assert set(Invitation.objects.values_list("pk", flat=True)) == set(kept["invitations"])
    assert list(ProfileView.objects.values_list("pk", flat=True)) == kept["views"]
    assert not Session.objects.filter(pk__in=expired["sessions"]).exists()
    assert Session.objects.filter(pk__in=kept["sessions"]).count() == 1
    assert not UserSession.objects.filter(pk__in=expired["user_sessions"]).exists()
    assert UserSession.objects.filter(pk__in=kept["user_sessions"]).count() == 1
    assert not EmailConfirmation.objects.filter(pk__in=expired["confirmations"]).exists()
    assert EmailConfirmation.objects.filter(pk__in=kept["confirmations"]).exists()

    history = set(Engagement.history.values_list("history_id", flat=True))
    assert not history & set(expired["history"])
    assert set(kept["history"]) <= history
    assert len(kept["history"]) == 1

    assert not Notification.objects.filter(pk__in=expired["notifications"]).exists()
    assert Notification.objects.filter(pk__in=kept["notifications"]).count() == 3
    guard = Notification.objects.get(pk=seeded["guard"].pk)
    assert (guard.subject_label, guard.last_error) == ("", "")
    recent = Notification.objects.get(pk=kept["notifications"][1])
    assert recent.subject_label == "Listening session with River"


def test_a_kept_guard_stops_the_sweep_from_telling_anyone_twice(seeded):
    tasks.purge_expired.delay().get()
    notifications.sweep(enqueue=False)
    declined = seeded["declined"]
    answered = Notification.objects.filter(
        kind=Kind.REQUEST_ANSWERED, object_id=str(declined.pk), occasion="declined"
    )
    assert answered.count() == 1
    # The deleted "new request" notice is not written again: the request is no longer new.
    assert not Notification.objects.filter(
        kind=Kind.REQUEST_NEW, object_id=str(seeded["accepted"].pk), occasion="sent"
    ).exists()


def test_what_an_erased_account_left_behind_goes(seeded, admin_user):
    erased, consultant = seeded["erased"], seeded["consultant"]
    assert erased.email.endswith("@erased.invalid")
    call_command("purge_expired", stdout=StringIO())
    erased.refresh_from_db()

    assert erased.last_login is None
    for model in (CalendarFeed, Authenticator, UserSession):
        assert not model.objects.filter(user=erased).exists()
        assert model.objects.filter(user=consultant).exists()
    assert not Notification.objects.filter(recipient=erased).exists()
    assert Notification.objects.filter(recipient=consultant, kind=Kind.COMPENSATION_PAID).exists()

    labels = set(LogEntry.objects.values_list("object_repr", flat=True))
    assert seeded["erased_email"] not in labels
    assert "Consultant B" not in labels  # the profile is gone
    assert erased.email in labels
    assert {"Consultant A", consultant.email} <= labels


def test_a_second_run_finds_nothing_more(seeded):
    call_command("purge_expired", stdout=StringIO())
    out = StringIO()
    call_command("purge_expired", stdout=out)
    assert "Done: 0 rows removed or anonymised." in out.getvalue()


def test_purge_is_on_the_daily_beat_schedule():
    tasks_scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "toolkit_portal.tasks.purge_expired" in tasks_scheduled
