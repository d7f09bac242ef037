"""Calendar invitations and feeds: the engagement's title, time and place only."""

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event


def _calendar():
    calendar = Calendar()
    calendar.add("prodid", "-//Task Force Partnership Portal//EN")
    calendar.add("version", "2.0")
    return calendar


def _event(engagement):
    event = Event()
    domain = settings.PORTAL_URL.split("://", 1)[-1].split("/", 1)[0]
    event.add("uid", f"engagement-{engagement.pk}@{domain}")
    event.add("summary", engagement.title)
    event.add("dtstart", engagement.starts_at)
    event.add("dtend", engagement.ends_at)
    event.add("dtstamp", timezone.now())
    if engagement.location:
        event.add("location", engagement.location)
    event.add("url", settings.PORTAL_URL + engagement.get_absolute_url())
    if engagement.status == engagement.Status.CANCELLED:
        event.add("status", "CANCELLED")
    return event


def engagement_invitation(engagement):
    calendar = _calendar()
    calendar.add("method", "REQUEST")
    calendar.add_component(_event(engagement))
    return calendar.to_ical()


def feed(engagements, name):
    calendar = _calendar()
    calendar.add("x-wr-calname", name)
    for engagement in engagements:
        calendar.add_component(_event(engagement))
    return calendar.to_ical()
