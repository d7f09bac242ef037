"""Plug-ins: what each app adds to the portal's cross-cutting work.

The ground app owns the work — a person's data export and erasure, the retention sweep, the
data inventory, the calendar feed, the panels of other apps' pages — and calls whatever the
apps registered here; it imports
no app (README, "Architecture"). Each app registers its parts in its own `portal_hooks.py`,
which its AppConfig.ready() imports, so they are in place before any request or task runs.
Registration follows INSTALLED_APPS, so the order (of an export's sections, say) is stable.

Reminder providers and their notification kinds plug in the same way, by name, through
`settings.NOTIFICATION_PROVIDERS` (toolkit_portal/notifications.py).
"""

from collections.abc import Callable
from dataclasses import dataclass


class Hook:
    """A list of plug-ins of one kind, in the order they were registered."""

    def __init__(self, name):
        self.name = name
        self._items = []

    def register(self, item):
        """Add a plug-in (usable as a decorator); registering one twice keeps one."""
        if item not in self._items:
            self._items.append(item)
        return item

    def __iter__(self):
        return iter(list(self._items))

    def __repr__(self):
        return f"<Hook {self.name}: {len(self._items)} registered>"


# fn(person) -> {section name: JSON-ready data}, merged into the person's data export.
person_data_export = Hook("person_data_export")
# fn(*, person, actor): erase what the app holds about the person (inside the erasure's
# transaction, after the person's consultant profile is gone).
person_data_erasure = Hook("person_data_erasure")
# fn(now) -> toolkit_portal.retention.Outcome: one retention rule, run by purge_expired().
retention_rules = Hook("retention_rules")
# {"app_label.Model": entry}: the app's models in the data inventory (data_inventory.py).
data_inventory = Hook("data_inventory")
# {retention key: text}: how long the app's records are kept, for the inventory's entries.
retention_texts = Hook("retention_texts")
# fn(user) -> bytes: the body of a person's private calendar feed (iCalendar); the first
# registered answers.
calendar_feed = Hook("calendar_feed")
# Panel: what an app shows on a lower app's page, at a slot the page names with
# `{% panels "slot" name=value %}` (toolkit_portal/templatetags/panels.py).
page_panels = Hook("page_panels")


@dataclass(frozen=True)
class Panel:
    """A template shown at a page's slot, with the context `context(request, **values)`
    returns from the values the page passes (None: nothing to show this time)."""

    slot: str
    template: str
    context: Callable


def panel(slot, template):
    """Register the decorated function as the context of a panel at `slot`."""

    def register(context):
        page_panels.register(Panel(slot, template, context))
        return context

    return register


def panels_for(slot):
    """The panels registered for a slot, in registration order."""
    return [item for item in page_panels if item.slot == slot]


def export_person_data(person):
    """Every app's part of a person's data export, in registration order."""
    sections = {}
    for export in person_data_export:
        sections.update(export(person))
    return sections


def erase_person_data(*, person, actor):
    """Every app erases its part of a person's data."""
    for erase in person_data_erasure:
        erase(person=person, actor=actor)
