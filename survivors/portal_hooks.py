"""What survivors add to the portal's cross-cutting work (toolkit_portal/hooks.py): the
retention of profile views, the consultants' models in the data inventory, the calendar
feed of a person's engagements, and their panels on a partnership's page."""

from django.conf import settings
from django.utils.translation import gettext as _

from toolkit_portal import hooks
from toolkit_portal.retention import Outcome, cutoff_for

from .calendar import feed
from .inventory import INVENTORY, RETENTION
from .models import ParticipationRequest, ProfileView
from .services import inclusion_indicators, upcoming_engagements_for
from .services_boards import recommendation_counts

hooks.data_inventory.register(INVENTORY)
hooks.retention_texts.register(RETENTION)


@hooks.retention_rules.register
def purge_profile_views(now):
    cutoff = cutoff_for(now, "RETENTION_PROFILE_VIEW_DAYS")
    deleted, _ = ProfileView.objects.filter(viewed_at__lt=cutoff).delete()
    return Outcome(
        "profile_views",
        f"records of profile views older than {settings.RETENTION_PROFILE_VIEW_DAYS} days",
        deleted=deleted,
    )


@hooks.calendar_feed.register
def engagements_feed(user):
    engagements = list(upcoming_engagements_for(user))
    path_for = None
    if user.is_consultant:
        # Her events open her own request page; the engagement page is the coordinators'.
        her_pages = {
            request.engagement_id: request.get_absolute_url()
            for request in ParticipationRequest.objects.filter(
                consultant__user=user, engagement__in=engagements
            ).only("pk", "engagement_id")
        }

        def path_for(engagement):
            return her_pages.get(engagement.pk)

    return feed(engagements, _("Partnership Portal engagements"), path_for)


@hooks.panel("partnership_detail", "survivors/_recommendation_counts.html")
def recommendations_by_answer(request, *, partnership):
    """Counts only, never the words or who said them: transparency without survivor data."""
    return {"recommendation_counts": recommendation_counts(partnership)}


@hooks.panel("partnership_detail.coordinators", "survivors/_inclusion_indicators.html")
def survivor_inclusion(request, *, partnership):
    return {
        "partnership": partnership,
        "indicators": inclusion_indicators(partnership),
        "warning_share": settings.CONCENTRATION_WARNING_SHARE,
    }
