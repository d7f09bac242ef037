"""The compensation list shows what is owed now before what was paid,
and the indicators never show an "Unspecified" role for engagements that name roles."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from survivors import services
from survivors.models import Compensation, ParticipationRequest

from .factories import CompensationFactory, EngagementFactory, ParticipationRequestFactory


def _record(partnership, profile, *, due_in, paid_days_ago=None):
    engagement = EngagementFactory(partnership=partnership)
    request = ParticipationRequestFactory(
        engagement=engagement, consultant=profile, status=ParticipationRequest.Status.COMPLETED
    )
    today = timezone.localdate()
    record = CompensationFactory(request=request, due_on=today + timedelta(days=due_in))
    if paid_days_ago is not None:
        record.status = Compensation.Status.PAID
        record.paid_on = today - timedelta(days=paid_days_ago)
        record.save()
    return record


def test_owed_now_comes_before_what_was_paid_last_year(coordinator_client, partnership_x, profile):
    paid_last_year = _record(partnership_x, profile, due_in=-400, paid_days_ago=380)
    paid_last_month = _record(partnership_x, profile, due_in=-40, paid_days_ago=30)
    due_later = _record(partnership_x, profile, due_in=20)
    overdue = _record(partnership_x, profile, due_in=-5)
    response = coordinator_client.get(reverse("survivors:compensation-list"))
    shown = [row["pk"] for row in response.context["page_obj"]]
    assert shown == [overdue.pk, due_later.pk, paid_last_month.pk, paid_last_year.pk]


def test_roles_are_named_and_only_a_roleless_engagement_is_counted_as_such(partnership_x, profile):
    for roles in (["policy_review"], ["retired_role"], []):
        engagement = EngagementFactory(partnership=partnership_x, roles_needed=roles)
        ParticipationRequestFactory(
            engagement=engagement, consultant=profile, status=ParticipationRequest.Status.ACCEPTED
        )
    labels = {str(label) for label, _n in services.inclusion_indicators(partnership_x)["by_role"]}
    assert labels == {"Policy review", "Retired role", "No role named"}
    assert "Unspecified" not in labels
