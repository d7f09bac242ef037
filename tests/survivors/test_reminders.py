"""Each reminder rule, at fixed moments; and delivery that sends once and loses nothing."""

import smtplib
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from survivors import services
from survivors.models import Compensation, ParticipationRequest, ReminderKind
from survivors.reminders import Kind
from toolkit_portal import notifications
from toolkit_portal.models import Notification

from .factories import (
    CompensationFactory,
    EngagementFactory,
    ParticipationRequestFactory,
    pay_by_check,
)

Status = ParticipationRequest.Status


@pytest.fixture
def sent_request(engagement, profile, coordinator):
    return services.send_participation_requests(
        engagement=engagement, consultants=[profile], actor=coordinator
    )[0]


def kinds_for(user):
    return sorted(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def deliver_all(now):
    for pk in Notification.objects.values_list("id", flat=True):
        notifications.deliver(pk, now=now)


def test_new_request_tells_the_consultant_at_once(sent_request, consultant):
    # In her inbox as soon as it is sent, before any sweep.
    assert kinds_for(consultant) == [Kind.REQUEST_NEW]
    assert notifications.unread_count(consultant) == 1
    # The sweep adds no second row, says it created none, and sends the email.
    assert notifications.sweep(enqueue=False)[0] == 0
    assert kinds_for(consultant) == [Kind.REQUEST_NEW]
    notifications.deliver(Notification.objects.get(recipient=consultant).pk)
    assert [m.to for m in mail.outbox] == [[consultant.email]]


def test_sweeping_twice_creates_nothing_twice(sent_request, consultant):
    notifications.sweep(enqueue=False)
    notifications.sweep(enqueue=False)
    assert Notification.objects.filter(recipient=consultant).count() == 1


def test_one_gentle_reminder_halfway_never_more(sent_request, consultant, engagement):
    before_half = sent_request.sent_at + (engagement.response_deadline - sent_request.sent_at) / 3
    notifications.sweep(before_half, enqueue=False)
    assert Kind.REQUEST_REMINDER not in kinds_for(consultant)
    past_half = sent_request.sent_at + (engagement.response_deadline - sent_request.sent_at) * 0.6
    notifications.sweep(past_half, enqueue=False)
    notifications.sweep(past_half + timedelta(hours=12), enqueue=False)
    assert kinds_for(consultant).count(Kind.REQUEST_REMINDER) == 1


def test_deadline_expires_the_request_and_tells_the_coordinator(
    sent_request, coordinator, engagement
):
    notifications.sweep(engagement.response_deadline + timedelta(minutes=1), enqueue=False)
    sent_request.refresh_from_db()
    assert sent_request.status == Status.EXPIRED
    assert kinds_for(coordinator) == [Kind.REQUEST_EXPIRED]


def test_answers_tell_the_coordinator_and_acceptance_carries_a_calendar(
    sent_request, consultant, coordinator
):
    services.accept_request(request=sent_request, actor=consultant, consent={})
    now = timezone.now()
    notifications.sweep(now, enqueue=False)
    assert kinds_for(coordinator) == [Kind.REQUEST_ANSWERED]
    assert Kind.REQUEST_ACCEPTED in kinds_for(consultant)
    deliver_all(now)
    accepted_mail = next(m for m in mail.outbox if m.to == [consultant.email])
    assert accepted_mail.attachments[0][0] == "invitation.ics"
    content = accepted_mail.attachments[0][1]
    content = content if isinstance(content, bytes) else content.encode()
    assert b"BEGIN:VEVENT" in content


def test_cancellation_tells_the_consultant(sent_request, consultant, coordinator):
    services.cancel_request(request=sent_request, actor=coordinator)
    notifications.sweep(enqueue=False)
    assert Kind.REQUEST_CANCELLED in kinds_for(consultant)


def test_two_days_before_an_engagement(sent_request, consultant, coordinator, engagement):
    services.accept_request(request=sent_request, actor=consultant, consent={})
    notifications.sweep(engagement.starts_at - timedelta(days=3), enqueue=False)
    assert Kind.ENGAGEMENT_SOON not in kinds_for(consultant)
    notifications.sweep(engagement.starts_at - timedelta(days=2), enqueue=False)
    assert Kind.ENGAGEMENT_SOON in kinds_for(consultant)
    assert Kind.ENGAGEMENT_SOON in kinds_for(coordinator)


def test_compensation_due_soon_overdue_weekly_and_escalated(
    profile, coordinator, partnership_x, admin_user
):
    from tests.partnerships.factories import MembershipFactory
    from tests.toolkit_portal.factories import CoordinatorFactory

    second = CoordinatorFactory()
    MembershipFactory(partnership=partnership_x, user=second)
    record = CompensationFactory(
        request__consultant=profile,
        request__engagement__partnership=partnership_x,
        request__engagement__created_by=coordinator,
        due_on=timezone.localdate() + timedelta(days=20),
    )
    due = timezone.now().replace(hour=12)
    notifications.sweep(due, enqueue=False)
    assert Notification.objects.count() == 0  # nothing due yet
    notifications.sweep(due + timedelta(days=14), enqueue=False)  # due in 6 days
    assert kinds_for(coordinator) == [Kind.COMPENSATION_DUE_SOON]
    assert kinds_for(second) == [Kind.COMPENSATION_DUE_SOON]
    for days_late in (1, 3, 8, 9, 15):
        notifications.sweep(due + timedelta(days=20 + days_late), enqueue=False)
    # Weekly to the coordinator responsible: weeks 0, 1 and 2.
    assert kinds_for(coordinator).count(Kind.COMPENSATION_OVERDUE) == 3
    # Once to the partnership's other coordinators and to the admins.
    assert kinds_for(second).count(Kind.COMPENSATION_ESCALATED) == 1
    assert kinds_for(admin_user) == [Kind.COMPENSATION_ESCALATED]
    record.refresh_from_db()


def test_paid_tells_the_consultant_and_stops_reminders(profile, coordinator, partnership_x):
    record = CompensationFactory(
        request__consultant=profile,
        request__engagement__partnership=partnership_x,
        due_on=timezone.localdate() - timedelta(days=1),
    )
    notifications.sweep(enqueue=False)
    overdue = Notification.objects.get(kind=Kind.COMPENSATION_OVERDUE)
    pay_by_check(record, coordinator)
    notifications.sweep(enqueue=False)
    assert Kind.COMPENSATION_PAID in kinds_for(profile.user)
    # Checked again before sending: the payment is made, so the overdue reminder is not sent.
    assert notifications.deliver(overdue.pk) == Notification.Status.CANCELLED


def test_nothing_is_sent_about_a_request_already_answered(sent_request, consultant):
    notifications.sweep(enqueue=False)
    services.decline_request(request=sent_request, actor=consultant)
    new = Notification.objects.get(kind=Kind.REQUEST_NEW)
    assert notifications.deliver(new.pk) == Notification.Status.CANCELLED
    assert mail.outbox == []


def test_consultant_can_turn_email_off_per_kind(engagement, consultant, profile, coordinator):
    profile.email_muted_kinds = [ReminderKind.NEW_REQUEST]
    profile.save()
    services.send_participation_requests(
        engagement=engagement, consultants=[profile], actor=coordinator
    )
    notifications.sweep(enqueue=False)
    new = Notification.objects.get(kind=Kind.REQUEST_NEW)
    assert notifications.deliver(new.pk) == Notification.Status.SENT
    assert mail.outbox == []  # in the inbox only
    assert notifications.unread_count(consultant) == 1


def test_emails_carry_no_survivor_details(sent_request, consultant, profile, engagement):
    services.accept_request(
        request=sent_request, actor=consultant, consent={"consent_name_to_use": "River"}
    )
    notifications.sweep(enqueue=False)
    deliver_all(timezone.now())
    assert mail.outbox
    for message in mail.outbox:
        text = message.subject + message.body + message.alternatives[0][0]
        for secret in [profile.display_name, "River", engagement.title, consultant.email]:
            assert secret not in text, (secret, message.subject)
        assert "/inbox/" in message.body
        if message.to == [consultant.email]:  # consultants choose per kind on their profile
            assert "/me/profile/#reminders" in message.body
        else:
            assert "come with your role" in message.body
        assert message.extra_headers["Message-ID"].startswith("<notification-")


def test_temporary_failure_backs_off_then_fails_with_the_error(sent_request, settings, monkeypatch):
    settings.NOTIFICATION_MAX_ATTEMPTS = 2

    def refuse(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("try later")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
    notifications.sweep(enqueue=False)
    row = Notification.objects.get()
    now = timezone.now()
    assert notifications.deliver(row.pk, now=now) == Notification.Status.PENDING
    row.refresh_from_db()
    assert row.next_attempt_at > now
    assert notifications.deliver(row.pk, now=now) is None  # not yet: backing off
    later = row.next_attempt_at + timedelta(seconds=1)
    assert notifications.deliver(row.pk, now=later) == Notification.Status.FAILED
    row.refresh_from_db()
    assert "try later" in row.last_error


def test_permanent_failure_fails_at_once(sent_request, monkeypatch):
    def refuse(*args, **kwargs):
        raise smtplib.SMTPRecipientsRefused({"x@example.org": (550, b"no such user")})

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
    notifications.sweep(enqueue=False)
    row = Notification.objects.get()
    assert notifications.deliver(row.pk) == Notification.Status.FAILED


def test_a_stale_claim_is_taken_again_by_the_next_sweep(sent_request, settings):
    notifications.sweep(enqueue=False)
    row = Notification.objects.get()
    now = timezone.now()
    assert notifications.claim(row.pk, now)  # a worker took it, then died
    assert not notifications.claim(row.pk, now)
    later = now + timedelta(seconds=settings.NOTIFICATION_LEASE_SECONDS + 1)
    assert notifications.deliver(row.pk, now=later) == Notification.Status.SENT
    assert len(mail.outbox) == 1


def test_sent_is_never_sent_again(sent_request):
    notifications.sweep(enqueue=False)
    row = Notification.objects.get()
    notifications.deliver(row.pk)
    assert notifications.deliver(row.pk) is None
    assert len(mail.outbox) == 1


def test_send_reminders_command(sent_request, consultant):
    from django.core.management import call_command

    call_command("send_reminders")
    assert len(mail.outbox) == 1
    assert Notification.objects.get().status == Notification.Status.SENT


def test_compensation_amount_unchanged_by_reminders(profile, partnership_x):
    record = CompensationFactory(request__consultant=profile, amount=Decimal("10"))
    notifications.sweep(enqueue=False)
    assert Compensation.objects.get(pk=record.pk).amount == Decimal("10")


def test_engagement_reminder_is_not_sent_for_a_cancelled_engagement(
    sent_request, consultant, coordinator, engagement
):
    services.accept_request(request=sent_request, actor=consultant, consent={})
    day_before = engagement.starts_at - timedelta(days=1)
    notifications.sweep(day_before, enqueue=False)
    soon = list(Notification.objects.filter(kind=Kind.ENGAGEMENT_SOON))
    assert soon
    services.cancel_engagement(engagement=engagement, actor=coordinator)
    for row in soon:
        assert notifications.deliver(row.pk, now=day_before) == Notification.Status.CANCELLED


def test_factories_for_other_partnerships_do_not_leak(db):
    EngagementFactory()
    ParticipationRequestFactory()
    notifications.sweep(enqueue=False)
    # No coordinator belongs to those partnerships: only the consultant is told.
    assert set(Notification.objects.values_list("kind", flat=True)) == {Kind.REQUEST_NEW}


def test_a_withdrawal_after_acceptance_is_told_too(sent_request, consultant, coordinator):
    services.accept_request(request=sent_request, actor=consultant, consent={})
    notifications.sweep(enqueue=False)
    services.withdraw_request(request=sent_request, actor=consultant)
    notifications.sweep(enqueue=False)
    occasions = sorted(
        Notification.objects.filter(recipient=coordinator, kind=Kind.REQUEST_ANSWERED).values_list(
            "occasion", flat=True
        )
    )
    assert occasions == ["accepted", "withdrawn"]


def test_a_request_expired_by_another_sweep_does_not_stop_this_one(
    sent_request, engagement, consultant, monkeypatch
):
    def already_expired(**kwargs):
        raise services.EngagementError("A request that is expired cannot be changed.")

    monkeypatch.setattr(services, "expire_request", already_expired)
    after = engagement.response_deadline + timedelta(minutes=1)
    notifications.sweep(after, enqueue=False)  # does not raise
    assert Kind.REQUEST_NEW in kinds_for(consultant)


def test_queued_rows_are_not_queued_again_within_the_lease(sent_request, settings, monkeypatch):
    sent = []
    monkeypatch.setattr(
        "toolkit_portal.tasks.deliver_notification.delay", lambda pk: sent.append(pk)
    )
    now = timezone.now()
    notifications.sweep(now)
    notifications.sweep(now + timedelta(seconds=5))
    assert len(sent) == 1
    later = now + timedelta(seconds=settings.NOTIFICATION_LEASE_SECONDS + 1)
    notifications.sweep(later)  # the task was lost with the broker: queued again
    assert len(sent) == 2


def test_an_unexpected_error_is_retried_then_failed(sent_request, settings, monkeypatch):
    settings.NOTIFICATION_MAX_ATTEMPTS = 1

    def broken(*args, **kwargs):
        raise ValueError("template broke")

    monkeypatch.setattr("toolkit_portal.notifications.send_email", broken)
    notifications.sweep(enqueue=False)
    row = Notification.objects.get()
    assert notifications.deliver(row.pk) == Notification.Status.FAILED
    row.refresh_from_db()
    assert "template broke" in row.last_error
