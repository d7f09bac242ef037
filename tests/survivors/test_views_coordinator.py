"""The coordinator's pages: directory, engagements, invitations, completion, compensation."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from survivors.models import (
    Compensation,
    Engagement,
    EngagementKind,
    ParticipationRequest,
    ProfileView,
)
from tests.auth import mfa_login
from tests.queries import assert_fixed_query_count
from tests.survivors import bulk

from .factories import (
    CompensationFactory,
    ConsultantProfileFactory,
    EngagementFactory,
    ParticipationRequestFactory,
)

Status = ParticipationRequest.Status


# Directory ----------------------------------------------------------------------------------


def test_directory_lists_only_listed_consultants_with_their_load(
    coordinator_client, profile, other_profile, engagement
):
    other_profile.is_listed = False
    other_profile.save()
    ParticipationRequestFactory(engagement=engagement, consultant=profile)
    engagement.starts_at = timezone.now() + timedelta(minutes=5)
    engagement.save()
    html = coordinator_client.get(reverse("survivors:directory")).content.decode()
    assert "Consultant A" in html
    assert "Consultant B" not in html
    assert "1 of 2" in html


def test_directory_never_shows_contact_or_private_details(coordinator_client, profile):
    profile.contact_email = "private.contact@example.org"
    profile.contact_phone = "555-0100"
    profile.save()
    html = coordinator_client.get(reverse("survivors:directory")).content.decode()
    detail = coordinator_client.get(profile.get_absolute_url()).content.decode()
    for page in (html, detail):
        assert "private.contact@example.org" not in page
        assert "555-0100" not in page
        assert profile.user.email not in page


@pytest.mark.parametrize(
    "query,shown",
    [
        ({"role": "policy_review"}, {"Policy Person"}),
        ({"language": "spanish"}, {"Spanish Speaker"}),
        ({"area": "pueblo"}, {"Spanish Speaker"}),
        ({"remote": "no"}, {"Policy Person"}),
        ({"availability": "limited"}, {"Spanish Speaker"}),
        ({"criminal_justice": "on"}, {"Policy Person"}),
        ({"language": "spanish", "role": "policy_review"}, set()),
    ],
)
def test_directory_filters(coordinator_client, db, query, shown):
    ConsultantProfileFactory(
        display_name="Policy Person",
        roles=["policy_review"],
        works_in_person=True,
        criminal_justice_opt_in=True,
    )
    ConsultantProfileFactory(
        display_name="Spanish Speaker",
        roles=["feedback"],
        languages=["English", "Spanish"],
        areas_served=["Pueblo"],
        availability="limited",
    )
    response = coordinator_client.get(reverse("survivors:directory"), query)
    names = {p.display_name for p in response.context["page_obj"]}
    assert names == shown


def test_directory_query_count_is_fixed(coordinator_client, db, django_assert_num_queries):
    """The same queries at 10 and at 1,000 listed consultants (each card shows a load)."""
    bulk.profiles(10, prefix="few")
    assert_fixed_query_count(
        coordinator_client,
        reverse("survivors:directory"),
        lambda: bulk.profiles(990, prefix="many"),
        django_assert_num_queries,
    )


def test_opening_a_profile_is_recorded(coordinator_client, coordinator, profile):
    response = coordinator_client.get(profile.get_absolute_url())
    assert response.status_code == 200
    assert ProfileView.objects.filter(profile=profile, viewer=coordinator).count() == 1


def test_unlisted_profile_is_404(coordinator_client, profile):
    profile.is_listed = False
    profile.save()
    assert coordinator_client.get(profile.get_absolute_url()).status_code == 404


def test_pending_coordinator_sees_no_survivor_data(client, pending_coordinator, profile):
    mfa_login(client, pending_coordinator)
    response = client.get(reverse("survivors:directory"))
    assert response.status_code == 403
    assert "Consultant A" not in response.content.decode()
    assert "awaiting approval" in response.content.decode()


def test_coordinator_without_mfa_in_this_session_confirms_it_first(client, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("survivors:directory"))
    assert response.status_code == 302
    assert response.headers["Location"].startswith(reverse("mfa_reauthenticate"))


# Engagements --------------------------------------------------------------------------------


def engagement_data(partnership, **overrides):
    starts = (timezone.now() + timedelta(days=14)).replace(microsecond=0, second=0)
    data = {
        "partnership": partnership.pk,
        "title": "Survivor advisory on outreach",
        "kind": EngagementKind.CONSULTATION,
        "roles_needed": ["feedback"],
        "description": "Tell us what works.",
        "content_notes": "Mentions of recruitment.",
        "mode": "remote",
        "location": "",
        "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (starts + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "estimated_hours": "2",
        "compensation_amount": "80",
        "compensation_basis": "hourly",
        "seats": "3",
        "response_deadline": (starts - timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
    }
    data.update(overrides)
    return data


def test_create_engagement(coordinator_client, partnership_x):
    response = coordinator_client.post(
        reverse("survivors:engagement-create"), engagement_data(partnership_x)
    )
    engagement = Engagement.objects.get()
    assert response.headers["Location"] == engagement.get_absolute_url()
    assert engagement.partnership == partnership_x
    assert engagement.compensation_amount == Decimal("80")


@pytest.mark.parametrize(
    "overrides,message",
    [
        ({"title": ""}, "This field is required."),
        ({"seats": "0"}, "greater than or equal to 1"),
        ({"compensation_amount": "-5"}, "greater than or equal to 0.01"),
        ({"mode": "in_person"}, "Say where the engagement takes place."),
        ({"starts_at": "2020-01-01T10:00"}, "must start in the future"),
        ({"compensation_amount": ""}, "rate card has no rate"),
    ],
)
def test_engagement_form_errors(coordinator_client, partnership_x, overrides, message):
    response = coordinator_client.post(
        reverse("survivors:engagement-create"), engagement_data(partnership_x, **overrides)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Engagement.objects.exists()


def test_cannot_create_for_another_partnership(coordinator_client, partnership_y):
    response = coordinator_client.post(
        reverse("survivors:engagement-create"), engagement_data(partnership_y)
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Engagement.objects.exists()


def test_engagement_of_another_partnership_is_404(client, other_coordinator, engagement):
    mfa_login(client, other_coordinator)
    for name in ["engagement-detail", "engagement-edit", "engagement-complete"]:
        url = reverse(f"survivors:{name}", kwargs={"pk": engagement.pk})
        assert client.get(url).status_code == 404


def test_engagement_list_query_count_is_fixed(
    coordinator_client, partnership_x, profile, django_assert_num_queries
):
    """The same queries at 10 and at 1,000 engagements, each with a request counted."""

    def add(count):
        bulk.requests(bulk.engagements(count, partnership=partnership_x), consultant=profile)

    add(10)
    assert_fixed_query_count(
        coordinator_client,
        reverse("survivors:engagement-list"),
        lambda: add(990),
        django_assert_num_queries,
    )


# Invitations --------------------------------------------------------------------------------


def test_invite_from_the_directory(coordinator_client, engagement, profile):
    response = coordinator_client.post(
        reverse("survivors:engagement-invite", kwargs={"pk": engagement.pk}),
        {"consultants": [str(profile.pk)]},
        follow=True,
    )
    assert "Participation request sent to Consultant A." in response.content.decode()
    assert ParticipationRequest.objects.get().consultant == profile


def test_invite_over_capacity_is_refused_with_a_message(coordinator_client, engagement, profile):
    profile.monthly_capacity = 0
    profile.save()
    response = coordinator_client.post(
        reverse("survivors:consultant-invite", kwargs={"pk": profile.pk}),
        {"engagement": str(engagement.pk), "back": profile.get_absolute_url()},
        follow=True,
    )
    assert "reached the capacity they set" in response.content.decode()
    assert not ParticipationRequest.objects.exists()


def test_single_seat_panel_asks_for_confirmation(coordinator_client, partnership_x, profile):
    panel = EngagementFactory(partnership=partnership_x, kind=EngagementKind.PANEL, seats=1)
    url = reverse("survivors:engagement-invite", kwargs={"pk": panel.pk})
    response = coordinator_client.post(url, {"consultants": [str(profile.pk)]})
    assert response.status_code == 200
    assert "token voice" in response.content.decode()
    assert not ParticipationRequest.objects.exists()
    coordinator_client.post(url, {"consultants": [str(profile.pk)], "confirm_single_seat": "on"})
    assert ParticipationRequest.objects.count() == 1


def test_invite_is_post_only(coordinator_client, engagement):
    url = reverse("survivors:engagement-invite", kwargs={"pk": engagement.pk})
    assert coordinator_client.get(url).status_code == 405


def test_forged_back_address_is_not_followed(coordinator_client, engagement, profile):
    profile.is_listed = False
    profile.save()
    response = coordinator_client.post(
        reverse("survivors:engagement-invite", kwargs={"pk": engagement.pk}),
        {"consultants": [str(profile.pk)], "back": "https://evil.example/"},
    )
    assert response.headers["Location"] == engagement.get_absolute_url()


# Completion and compensation ----------------------------------------------------------------


def test_complete_engagement_creates_compensation(coordinator_client, partnership_x, profile):
    engagement = EngagementFactory(
        partnership=partnership_x,
        starts_at=timezone.now() - timedelta(hours=3),
        response_deadline=timezone.now() - timedelta(days=1),
    )
    request = ParticipationRequestFactory(
        engagement=engagement, consultant=profile, status=Status.ACCEPTED
    )
    prefix = str(request.pk)
    response = coordinator_client.post(
        reverse("survivors:engagement-complete", kwargs={"pk": engagement.pk}),
        {
            f"{prefix}-hours_worked": "2",
            f"{prefix}-preparation_hours": "1",
            f"{prefix}-travel_hours": "0",
            f"{prefix}-expense_childcare": "40",
            f"{prefix}-expense_childcare_note": "Sitter",
        },
    )
    assert response.status_code == 302
    compensation = Compensation.objects.get()
    assert compensation.amount == Decimal("265.00")  # 3 h × 75 + 40
    # The message names the date the payment is due, not "within the set days".
    [message] = [str(m) for m in response.wsgi_request._messages]
    assert message == (
        f"The engagement is completed; compensation is due by {date_format(compensation.due_on)}."
    )


def test_complete_rejects_negative_hours(coordinator_client, partnership_x, profile):
    engagement = EngagementFactory(
        partnership=partnership_x,
        starts_at=timezone.now() - timedelta(hours=3),
        response_deadline=timezone.now() - timedelta(days=1),
    )
    request = ParticipationRequestFactory(
        engagement=engagement, consultant=profile, status=Status.ACCEPTED
    )
    response = coordinator_client.post(
        reverse("survivors:engagement-complete", kwargs={"pk": engagement.pk}),
        {f"{request.pk}-hours_worked": "-2"},
    )
    assert response.status_code == 200
    assert not Compensation.objects.exists()


def test_mark_paid(coordinator_client, partnership_x, profile):
    record = CompensationFactory(
        request__consultant=profile, request__engagement__partnership=partnership_x
    )
    response = coordinator_client.post(
        reverse("survivors:compensation-mark-paid", kwargs={"pk": record.pk}),
        {"paid_on": timezone.localdate().isoformat(), "method": "check", "reference": "#12"},
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.is_paid()


def test_mark_paid_in_the_future_is_refused(coordinator_client, partnership_x, profile):
    record = CompensationFactory(
        request__consultant=profile, request__engagement__partnership=partnership_x
    )
    response = coordinator_client.post(
        reverse("survivors:compensation-mark-paid", kwargs={"pk": record.pk}),
        {"paid_on": (timezone.localdate() + timedelta(days=3)).isoformat(), "method": "check"},
    )
    assert response.status_code == 200
    assert "cannot be in the future" in response.content.decode()


def test_compensation_of_another_partnership_is_404(client, other_coordinator, profile):
    record = CompensationFactory(request__consultant=profile)
    mfa_login(client, other_coordinator)
    url = reverse("survivors:compensation-mark-paid", kwargs={"pk": record.pk})
    assert client.get(url).status_code == 404


def test_compensation_list_and_csv(coordinator_client, partnership_x, profile):
    CompensationFactory(request__consultant=profile, request__engagement__partnership=partnership_x)
    CompensationFactory()  # another partnership's
    response = coordinator_client.get(reverse("survivors:compensation-list"))
    assert len(response.context["page_obj"]) == 1
    csv_response = coordinator_client.get(reverse("survivors:compensation-export"))
    lines = csv_response.content.decode().strip().splitlines()
    assert len(lines) == 2
    assert "Consultant A" in lines[1]


def test_compensation_list_query_count_is_fixed(
    coordinator_client, partnership_x, profile, django_assert_num_queries
):
    """The same queries at 10 and at 1,000 compensation records."""
    bulk.compensation(10, partnership=partnership_x, consultant=profile)
    assert_fixed_query_count(
        coordinator_client,
        reverse("survivors:compensation-list"),
        lambda: bulk.compensation(990, partnership=partnership_x, consultant=profile),
        django_assert_num_queries,
    )


# Indicators, rate card, feedback -----------------------------------------------------------


def test_partnership_page_shows_inclusion_indicators_to_coordinators(
    coordinator_client, client, partnership_x
):
    html = coordinator_client.get(partnership_x.get_absolute_url()).content.decode()
    assert "Survivor inclusion, last 12 months" in html


def test_rate_card_saves_rates(coordinator_client, partnership_x):
    url = reverse("survivors:compensation-policy", kwargs={"slug": partnership_x.slug})
    page = coordinator_client.get(url)
    assert page.status_code == 200
    data = {
        "payment_methods": ["check", "gift_card"],
        "rates-TOTAL_FORMS": "1",
        "rates-INITIAL_FORMS": "0",
        "rates-MIN_NUM_FORMS": "0",
        "rates-MAX_NUM_FORMS": "8",
        "rates-0-kind": "panel",
        "rates-0-hourly_rate": "90",
        "rates-0-pays_preparation": "on",
    }
    response = coordinator_client.post(url, data)
    assert response.status_code == 302
    policy = partnership_x.compensation_policy
    assert policy.payment_methods == ["check", "gift_card"]
    entry = policy.rates.get()
    assert (entry.kind, entry.hourly_rate, entry.pays_travel) == ("panel", Decimal("90"), False)


def test_anonymous_feedback_is_held_back_until_there_are_three(
    coordinator_client, partnership_x, profile
):
    from survivors.models import Feedback

    request = ParticipationRequestFactory(
        engagement__partnership=partnership_x, consultant=profile, status=Status.COMPLETED
    )
    Feedback.objects.create(
        request=request, partnership=partnership_x, is_anonymous=True, went_well="Paid fast"
    )
    url = reverse("survivors:partnership-feedback", kwargs={"slug": partnership_x.slug})
    html = coordinator_client.get(url).content.decode()
    assert "Paid fast" not in html
    assert "1 anonymous entry so far" in html


def test_a_thank_you_note_needs_words_and_a_completed_request(
    coordinator_client, engagement, profile, other_profile
):
    def said(response):
        return [message.message for message in response.context["messages"]]

    done = ParticipationRequestFactory(
        engagement=engagement, consultant=profile, status=Status.COMPLETED
    )
    url = reverse("survivors:request-thank", args=[done.pk])
    response = coordinator_client.post(url, {"note": ""}, follow=True)
    assert said(response) == ["Write a note before sending it."]
    response = coordinator_client.post(url, {"note": "Thank you for your time."}, follow=True)
    assert said(response) == ["Your thank-you note is saved for the consultant."]
    done.refresh_from_db()
    assert done.thank_you_note == "Thank you for your time."

    asked = ParticipationRequestFactory(engagement=engagement, consultant=other_profile)
    response = coordinator_client.post(
        reverse("survivors:request-thank", args=[asked.pk]), {"note": "Thanks"}, follow=True
    )
    assert said(response) == ["A thank-you note can be left once the engagement is completed."]
    asked.refresh_from_db()
    assert not asked.thank_you_note
