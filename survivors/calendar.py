"""Calendar invitations and feeds: the engagement's title, time and place only.

The title and place are what a coordinator typed (or the portal's own title, in the reader's
language). icalendar escapes CR and LF in text, so a line break cannot start a property of its
own; the other characters some calendar apps also take for a line end (vertical tab, form
feed, U+2028…) are turned into a plain line break first, and other control characters dropped.

Each event links to the page its reader can open: a consultant's to her own request, a
coordinator's to the engagement. Invitations are published (METHOD:PUBLISH), not iTIP
requests: the portal keeps the answers itself, so there is no ORGANIZER to reply to. An event
that starts and ends at the same minute lasts DEFAULT_LENGTH in calendars, never zero.
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from toolkit_portal.plain_text import without_controls


def _calendar():
    calendar = Calendar()
    calendar.add("prodid", "-//Task Force Partnership Portal//EN")
    calendar.add("version", "2.0")
    return calendar


DEFAULT_LENGTH = timedelta(hours=1)


def _event(engagement, path=None):
    event = Event()
    domain = settings.PORTAL_URL.split("://", 1)[-1].split("/", 1)[0]
    event.add("uid", f"engagement-{engagement.pk}@{domain}")
    # In the active language: the reader's (an email's recipient, a feed's owner).
    event.add("summary", without_controls(str(engagement.display_title)))
    event.add("dtstart", engagement.starts_at)
    ends_at = engagement.ends_at
    event.add("dtend", ends_at if ends_at > engagement.starts_at else ends_at + DEFAULT_LENGTH)
    event.add("dtstamp", timezone.now())
    if engagement.location:
        event.add("location", without_controls(engagement.location))
    event.add("url", settings.PORTAL_URL + (path or engagement.get_absolute_url()))
    if engagement.status == engagement.Status.CANCELLED:
        event.add("status", "CANCELLED")
    return event


METHOD = "PUBLISH"


def engagement_invitation(engagement, path=None):
    """The .ics attached to an email; `path` is the page its reader opens."""
    calendar = _calendar()
    calendar.add("method", METHOD)
    calendar.add_component(_event(engagement, path))
    return calendar.to_ical()


def feed(engagements, name, path_for=None):
    """A subscribed calendar; `path_for(engagement)` gives the page its reader opens."""
    calendar = _calendar()
    calendar.add("x-wr-calname", without_controls(name))
    for engagement in engagements:
        calendar.add_component(_event(engagement, path_for(engagement) if path_for else None))
    return calendar.to_ical()
