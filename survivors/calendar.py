"""Calendar invitations and feeds: the engagement's title, time and place only.

The title and place are what a coordinator typed. icalendar escapes CR and LF in text, so a line
break cannot start a property of its own; the other characters some calendar apps also take for
a line end (vertical tab, form feed, U+2028…) are turned into a plain line break first, and
other control characters dropped.
"""

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from toolkit_portal.plain_text import without_controls


def _calendar():
    calendar = Calendar()
    calendar.add("prodid", "-//Task Force Partnership Portal//EN")
    calendar.add("version", "2.0")
    return calendar


def _event(engagement):
    event = Event()
    domain = settings.PORTAL_URL.split("://", 1)[-1].split("/", 1)[0]
    event.add("uid", f"engagement-{engagement.pk}@{domain}")
    event.add("summary", without_controls(engagement.title))
    event.add("dtstart", engagement.starts_at)
    event.add("dtend", engagement.ends_at)
    event.add("dtstamp", timezone.now())
    if engagement.location:
        event.add("location", without_controls(engagement.location))
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
    calendar.add("x-wr-calname", without_controls(name))
    for engagement in engagements:
        calendar.add_component(_event(engagement))
    return calendar.to_ical()
