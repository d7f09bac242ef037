"""Recommendations sent without a name: the same rule as anonymous feedback. Coordinators see
and answer them unnamed, not tied to an engagement or a day; the consultant still sees her
own with its answer and is told of it; only admins (Django admin) see who sent it."""

import pytest
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils import timezone

from survivors import services_boards
from survivors.models import Recommendation
from survivors.reminders_boards import Kind
from tests.auth import mfa_login
from tests.survivors.factories import ConsultantProfileFactory, ParticipationRequestFactory
from toolkit_portal import notifications
from toolkit_portal.models import AuditEntry, Notification

SECRET_NAME = "River Quietwater"
ENGAGEMENT_TITLE = "Listening session at the shelter"


@pytest.fixture
def river(consultant, partnership_x):
    partnership_x.is_listed = True
    partnership_x.save()
    profile = ConsultantProfileFactory(user=consultant, display_name=SECRET_NAME)
    request = ParticipationRequestFactory(
        consultant=profile,
        engagement__partnership=partnership_x,
        engagement__title=ENGAGEMENT_TITLE,
        status="completed",
    )
    return profile, request.engagement


def _send(client, consultant, partnership, engagement):
    mfa_login(client, consultant)
    response = client.post(
        reverse("partnerships:recommendation-create"),
        {
            "partnership": partnership.pk,
            "engagement": engagement.pk,
            "text": "Offer childcare at every meeting.",
            "is_anonymous": "on",
        },
    )
    assert response.status_code == 302
    client.logout()
    return Recommendation.objects.get()


def _no_trace_of_her(page, profile):
    assert SECRET_NAME not in page
    assert profile.user.email not in page
    assert ENGAGEMENT_TITLE not in page


def test_service_records_the_choice_and_keeps_her_as_the_author(consultant, river, partnership_x):
    profile, engagement = river
    recommendation = services_boards.record_recommendation(
        partnership=partnership_x,
        actor=consultant,
        text="Offer childcare.",
        engagement=engagement,
        is_anonymous=True,
    )
    assert recommendation.is_anonymous and recommendation.consultant == profile
    assert recommendation.shown_engagement() is None
    entry = AuditEntry.objects.get(action="partnerships.recommendation.recorded")
    assert entry.details["anonymous"] is True


def test_coordinators_see_and_answer_it_without_her_name(
    client, consultant, coordinator, river, partnership_x
):
    profile, engagement = river
    recommendation = _send(client, consultant, partnership_x, engagement)
    assert recommendation.is_anonymous and recommendation.consultant == profile
    mfa_login(client, coordinator)
    listing = client.get(reverse("partnerships:recommendations", args=[partnership_x.slug]))
    page = listing.content.decode()
    assert "Offer childcare at every meeting." in page
    assert "A consultant (sent without a name)" in page
    _no_trace_of_her(page, profile)
    # Not tied to a day either: the month only.
    day = date_filter(timezone.localtime(recommendation.created_at))
    assert (
        day not in page
        and date_filter(timezone.localtime(recommendation.created_at), "YEAR_MONTH_FORMAT") in page
    )
    answer_url = reverse(
        "partnerships:recommendation-answer", args=[partnership_x.slug, recommendation.pk]
    )
    _no_trace_of_her(client.get(answer_url).content.decode(), profile)
    client.post(answer_url, {"status": "adopted", "response": "Childcare from March."})
    for address in [partnership_x.get_absolute_url(), reverse("home"), reverse("inbox")]:
        _no_trace_of_her(client.get(address).content.decode(), profile)
    notifications.sweep(enqueue=False)
    told = Notification.objects.get(kind=Kind.RECOMMENDATION_ANSWERED)
    assert told.recipient == consultant and told.subject_label == ""
    assert not Notification.objects.filter(recipient=coordinator).exists()
    client.logout()
    # She still sees her own recommendation, marked, with its answer.
    mfa_login(client, consultant)
    mine = client.get(reverse("partnerships:my-recommendations")).content.decode()
    assert "Offer childcare at every meeting." in mine
    assert "Sent without your name" in mine and "Childcare from March." in mine


def test_named_recommendation_still_shows_her_name(client, consultant, coordinator, river):
    profile, engagement = river
    services_boards.record_recommendation(
        partnership=engagement.partnership, actor=consultant, text="x", engagement=engagement
    )
    mfa_login(client, coordinator)
    page = client.get(
        reverse("partnerships:recommendations", args=[engagement.partnership.slug])
    ).content.decode()
    assert SECRET_NAME in page


def test_the_form_offers_the_choice_in_words(client, consultant, river):
    mfa_login(client, consultant)
    page = client.get(reverse("partnerships:recommendation-create")).content.decode()
    assert "Send without my name" in page
    assert "without your name, and without the engagement or the day" in page


def test_admins_see_who_sent_it_in_the_admin(client, consultant, admin_user, river, partnership_x):
    profile, engagement = river
    services_boards.record_recommendation(
        partnership=partnership_x, actor=consultant, text="x", is_anonymous=True
    )
    mfa_login(client, admin_user)
    page = client.get(reverse("admin:survivors_recommendation_changelist")).content.decode()
    assert SECRET_NAME in page
