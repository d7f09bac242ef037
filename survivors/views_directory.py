"""The coordinator's directory of listed consultants and a consultant's profile.

Profiles come through `ConsultantProfile.objects.listed()`, engagements through the ones the
coordinator manages: an id from elsewhere gives 404.
"""

from django.conf import settings
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from toolkit_portal.access import approved_coordinator_required
from toolkit_portal.keyset import keyset_page
from toolkit_portal.view_helpers import uuid_or_none

from . import services
from .cards import directory_cards
from .forms import DirectoryFilterForm
from .models import ConsultantProfile, Engagement


@approved_coordinator_required
def consultant_directory(request):
    form = DirectoryFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    today = timezone.localdate()
    profiles = ConsultantProfile.objects.listed().with_load_in(today).matching(filters)
    # "The next 100" rather than page numbers: counting every listed consultant to number
    # the pages cost as much as reading the page.
    page = keyset_page(
        request,
        profiles.for_directory(),
        field="display_name",
        size=settings.LONG_LIST_PAGE_SIZE,
    )
    # Inviting from the directory: the engagement comes in the address.
    engagement = None
    if request.GET.get("engagement"):
        engagement = (
            Engagement.objects.managed_by(request.user)
            .filter(pk=uuid_or_none(request.GET["engagement"]), status=Engagement.Status.OPEN)
            .first()
        )
    refusals = services.refusals_for(engagement, page.object_list) if engagement else None
    return render(
        request,
        "survivors/consultant_directory.html",
        {
            "form": form,
            "page_obj": page,
            "cards": directory_cards(page.object_list, engagement=engagement, refusals=refusals),
            "engagement": engagement,
            "today": today,
        },
    )


@approved_coordinator_required
def consultant_detail(request, pk):
    today = timezone.localdate()
    profile = get_object_or_404(ConsultantProfile.objects.listed().with_load_in(today), pk=pk)
    services.record_profile_view(profile=profile, viewer=request.user)
    open_engagements = (
        Engagement.objects.managed_by(request.user)
        .filter(status=Engagement.Status.OPEN, response_deadline__gt=timezone.now())
        .select_related("partnership")
        .order_by("starts_at")
    )
    # Each open engagement either can be offered to her or says why not: the card's words.
    choices = [(e, services.refusal_for(e, profile)) for e in open_engagements]
    return render(
        request,
        "survivors/consultant_detail.html",
        {
            "profile": profile,
            "open_engagements": [e for e, why in choices if not why],
            "not_possible": [(e, why) for e, why in choices if why],
            "today": today,
        },
    )
