"""The in-app inbox and the private calendar feed."""

import secrets

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from . import hooks, notifications
from .models import CalendarFeed
from .view_helpers import page_of, run_action


@login_required
def inbox(request):
    items = notifications.inbox_of(request.user).only(
        "id", "kind", "url", "subject_label", "created_at", "read_at", "status"
    )
    page = page_of(request, items)
    for item in page:
        item.message = notifications.Kind.message(item.kind)
    return render(request, "toolkit_portal/inbox.html", {"page_obj": page})


@require_POST
@login_required
def inbox_mark_read(request, pk):
    item = notifications.inbox_of(request.user).filter(pk=pk).first()
    if item is None:
        raise Http404
    notifications.mark_read(user=request.user, notification_id=pk)
    if request.POST.get("next") == "open" and item.url:
        return redirect(item.url)
    return redirect("inbox")


@require_POST
@login_required
def inbox_mark_all_read(request):
    return run_action(
        request,
        lambda: notifications.mark_all_read(user=request.user),
        success_message=lambda count: (
            ngettext(
                "%(count)d notification marked as read.",
                "%(count)d notifications marked as read.",
                count,
            )
            % {"count": count}
        ),
        redirect_to="inbox",
    )


@login_required
def calendar_settings(request):
    feed = CalendarFeed.objects.filter(user=request.user).first()
    feed_url = (
        request.build_absolute_uri(reverse("calendar-feed", kwargs={"token": feed.token}))
        if feed
        else None
    )
    return render(request, "toolkit_portal/calendar.html", {"feed_url": feed_url})


@require_POST
@login_required
def calendar_replace(request):
    """Create the private address, or replace it so the old one stops working."""
    return run_action(
        request,
        lambda: CalendarFeed.objects.update_or_create(
            user=request.user, defaults={"token": secrets.token_urlsafe(32)}
        ),
        success_message=_(
            "Your private calendar address is ready. The old one, if any, no longer works."
        ),
        redirect_to="calendar-settings",
    )


@require_POST
@login_required
def calendar_revoke(request):
    return run_action(
        request,
        lambda: CalendarFeed.objects.filter(user=request.user).delete(),
        success_message=_("Your calendar address is turned off."),
        redirect_to="calendar-settings",
    )


@require_safe
def calendar_feed(request, token):
    """Upcoming engagements of the token's owner. The token is the only key: no sign-in.
    The feed's events come from the app that registered it (hooks.calendar_feed)."""
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    builders = list(hooks.calendar_feed)
    if feed is None or not feed.user.is_active or not builders:
        raise Http404
    # The owner's language, not the calendar app's: no one signs in to fetch a feed.
    with translation.override(feed.user.language or settings.LANGUAGE_CODE):
        body = builders[0](feed.user)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response
