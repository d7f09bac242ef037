"""The portal's addresses plus one view that fails, for the error-report test."""

from django.urls import path

from portal_site.urls import urlpatterns as portal_urlpatterns
from survivors.models import PrivateDetails


def failing_view(request):
    details = PrivateDetails.objects.get()
    legal_name = details.legal_name  # noqa: F841 — a local the error report must not show
    payment_details = details.payment_details  # noqa: F841
    posted = dict(request.POST)  # noqa: F841
    raise RuntimeError("The view failed.")


urlpatterns = [path("failing/", failing_view), *portal_urlpatterns]
