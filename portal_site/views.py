"""The home page: the public landing page, or each role's dashboard. The dashboards gather
what every app has to say, so they live in the shell."""

from django.http import HttpResponsePermanentRedirect
from django.shortcuts import render

from partnerships import views as partnership_views
from partnerships.models import Partnership
from portal_site.dashboard import coordinator_dashboard
from toolkit_portal.models import User
from trainings.models import TrainingRecord

ADMIN_RECENT_RECORDS = 10


def home(request):
    """The public landing page, or the signed-in person's dashboard."""
    user = request.user
    if not user.is_authenticated:
        return render(request, "toolkit_portal/landing.html")
    if user.is_pending_coordinator:
        return partnership_views.pending_approval(request)
    if user.is_coordinator:
        partnerships = Partnership.objects.coordinated_by(user)
        return render(
            request,
            "toolkit_portal/coordinator_dashboard.html",
            {
                "partnerships": partnerships,
                "needs": coordinator_dashboard(user),
            },
        )
    if user.is_portal_admin:
        return render(
            request,
            "toolkit_portal/admin_dashboard.html",
            {
                "pending_coordinator_count": User.objects.pending_coordinators().count(),
                # Consultants' own records: an admin checks them (and their certificates) here.
                "recent_training_records": TrainingRecord.objects.visible_to(user)
                .select_related("training", "person")
                .order_by("-created_at")[:ADMIN_RECENT_RECORDS],
            },
        )
    return render(request, "toolkit_portal/consultant_dashboard.html")


# Models that moved to another app (migrations survivors 0007, assessment 0001) keep their
# admin addresses: an old bookmark lands on the same page under the new app.
MOVED_ADMIN_MODELS = {
    "board": "survivors",
    "boardmember": "survivors",
    "boardmeeting": "survivors",
    "recommendation": "survivors",
    "instrumentversion": "assessment",
    "assessmentround": "assessment",
    "answer": "assessment",
}


def moved_admin_page(request, model, rest):
    target = f"/admin/{MOVED_ADMIN_MODELS[model]}/{model}/{rest}"
    if request.META.get("QUERY_STRING"):
        target += "?" + request.META["QUERY_STRING"]
    return HttpResponsePermanentRedirect(target)
