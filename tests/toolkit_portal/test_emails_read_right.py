"""Emails and calendars read right: plain text without HTML entities, the
portal's name and the reader's language in subjects and greetings, list headers, calendar
files valid for their method and linked to a page their reader can open, and `make run`'s
links following its port."""

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from icalendar import Calendar

from survivors import services
from survivors.calendar import engagement_invitation, feed
from survivors.reminders import Kind
from tests.survivors.factories import CompensationFactory, EngagementFactory
from toolkit_portal import embedded, notifications
from toolkit_portal.models import Notification


def _deliver(kind):
    notifications.deliver(Notification.objects.get(kind=kind).pk)
    return mail.outbox[-1]


@pytest.fixture
def due_soon(profile, coordinator, partnership_x):
    CompensationFactory(
        request__consultant=profile,
        request__engagement__partnership=partnership_x,
        request__engagement__created_by=coordinator,
        due_on=timezone.localdate() + timedelta(days=3),
    )
    notifications.sweep(enqueue=False)


def test_plain_text_shows_no_html_entities_and_carries_list_headers(due_soon, settings):
    email = _deliver(Kind.COMPENSATION_DUE_SOON)
    assert "A consultant's payment is due" in email.body
    assert "&#x27;" not in email.body and "&amp;" not in email.body
    assert email.subject.startswith("[Partnership Portal] A consultant's payment")
    assert email.extra_headers["Auto-Submitted"] == "auto-generated"
    # A coordinator's reminders come with the role: the link is the inbox.
    assert email.extra_headers["List-Unsubscribe"] == f"<{settings.PORTAL_URL}/inbox/>"


def test_a_consultants_email_unsubscribes_at_her_preferences(
    engagement, profile, coordinator, settings
):
    services.send_participation_requests(
        engagement=engagement, consultants=[profile], actor=coordinator
    )
    email = _deliver(Kind.REQUEST_NEW)
    assert email.extra_headers["List-Unsubscribe"] == (
        f"<{settings.PORTAL_URL}/me/profile/#reminders>"
    )


def test_subject_and_greeting_in_the_readers_language(due_soon, coordinator):
    Notification.objects.all().delete()
    coordinator.language = "es"
    coordinator.save()
    notifications.sweep(enqueue=False)
    email = _deliver(Kind.COMPENSATION_DUE_SOON)
    assert email.subject.startswith("[Portal de Alianzas] ")
    assert email.body.startswith("Hola:")
    assert "&#x27;" not in email.body


@pytest.mark.parametrize(
    ("language", "greeting", "prefix"),
    [
        ("en", "Hello from the Task Force Partnership Portal,", "[Partnership Portal] "),
        ("es", "Hola, le escribe el Portal de Alianzas de Grupos", "[Portal de Alianzas] "),
    ],
)
def test_account_emails_name_the_portal_never_the_host(
    consultant, settings, language, greeting, prefix
):
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.post("/accounts/password/reset/", {"email": consultant.email})
    [email] = mail.outbox
    assert email.subject.startswith(prefix)
    assert email.body.startswith(greeting)
    assert "testserver" not in email.body.split("\n", 1)[0]
    assert settings.PORTAL_URL in email.body


def _event(ics):
    calendar = Calendar.from_ical(ics)
    [event] = calendar.walk("VEVENT")
    return calendar, event


def test_invitation_is_published_without_organizer_and_links_her_request(
    engagement, profile, coordinator, consultant, settings
):
    [request] = services.send_participation_requests(
        engagement=engagement, consultants=[profile], actor=coordinator
    )
    services.accept_request(request=request, actor=consultant, consent={})
    notifications.sweep(enqueue=False)
    email = _deliver(Kind.REQUEST_ACCEPTED)
    [(name, content, mimetype)] = email.attachments
    assert mimetype == "text/calendar; method=PUBLISH"
    calendar, event = _event(content)
    assert calendar["method"] == "PUBLISH"
    assert "organizer" not in event and "attendee" not in event
    assert str(event["url"]) == settings.PORTAL_URL + request.get_absolute_url()


def test_no_event_has_zero_length(coordinator, partnership_x):
    starts = timezone.now() + timedelta(days=3)
    engagement = EngagementFactory(
        partnership=partnership_x, created_by=coordinator, starts_at=starts, ends_at=starts
    )
    for ics in (engagement_invitation(engagement), feed([engagement], "Engagements")):
        _calendar, event = _event(ics)
        assert event["dtend"].dt > event["dtstart"].dt


def test_a_consultants_feed_links_her_request_pages(
    engagement, profile, coordinator, consultant, settings
):
    from survivors.portal_hooks import engagements_feed

    [request] = services.send_participation_requests(
        engagement=engagement, consultants=[profile], actor=coordinator
    )
    services.accept_request(request=request, actor=consultant, consent={})
    _calendar, event = _event(engagements_feed(consultant))
    assert str(event["url"]) == settings.PORTAL_URL + request.get_absolute_url()
    _calendar, event = _event(engagements_feed(coordinator))
    assert str(event["url"]) == settings.PORTAL_URL + engagement.get_absolute_url()


def test_send_reminders_reports_what_it_created(engagement, profile, coordinator):
    services.send_participation_requests(
        engagement=engagement, consultants=[profile], actor=coordinator
    )
    out = io.StringIO()
    call_command("send_reminders", stdout=out)
    # The new request's row was recorded when it was sent: the sweep created nothing.
    assert out.getvalue().startswith("0 new notification(s); delivery: 1 sent")


def test_make_run_links_follow_the_port_and_the_banner_says_where_mail_goes(monkeypatch):
    said = []
    monkeypatch.delenv("PORTAL_URL", raising=False)
    monkeypatch.setenv("PORT", "8111")
    monkeypatch.setenv("EMAIL_URL", "smtp+tls://user:secret@mail.example.org:587")
    monkeypatch.setattr(embedded, "manage", lambda *args: None)
    monkeypatch.setattr(embedded, "_say", said.append)
    monkeypatch.setattr(embedded.subprocess, "Popen", lambda *args, **kwargs: None)
    monkeypatch.setattr(embedded, "Supervisor", lambda *args: type("S", (), {"run": lambda s: 0})())
    embedded.serve()
    assert embedded.os.environ["PORTAL_URL"] == "http://127.0.0.1:8111"
    banner = "\n".join(said)
    assert "smtp+tls://mail.example.org:587" in banner
    assert "secret" not in banner and "user" not in banner
    assert "http://127.0.0.1:8111/" in banner
    # PORTAL_URL, when given, wins.
    monkeypatch.setenv("PORTAL_URL", "https://portal.example.org")
    embedded.serve()
    assert embedded.os.environ["PORTAL_URL"] == "https://portal.example.org"


def test_the_new_engagement_form_is_spanish_in_spanish(coordinator):
    import re

    from tests.auth import mfa_login

    coordinator.language = "es"
    coordinator.save()
    client = Client()
    mfa_login(client, coordinator)
    page = client.get("/engagements/new/").content.decode()
    labels = re.findall(r"<label[^>]*>\s*([^<*]+?)\s*(?:<|\*)", page)
    assert "Alianza" in labels
    assert "Partnership" not in labels
