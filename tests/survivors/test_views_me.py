"""A survivor consultant's own pages (/me/…): each page's happy path, bad input, someone
else's record (404), the wrong role (403), GET on a POST-only address (405), and pinned
query counts on the lists."""

import json
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from survivors import services
from survivors.models import (
    Availability,
    Compensation,
    CompensationPolicy,
    ConsultantProfile,
    EngagementKind,
    Expense,
    Feedback,
    ParticipationRequest,
    PaymentMethod,
    PrivateDetails,
    ProfileView,
    RateCardEntry,
    ReminderKind,
)
from tests.auth import mfa_login
from toolkit_portal.models import AuditEntry
from toolkit_portal.vocabulary import SurvivorRole

from .factories import (
    CompensationFactory,
    ConsultantProfileFactory,
    EngagementFactory,
    ExpenseFactory,
    ParticipationRequestFactory,
)

Status = ParticipationRequest.Status
# Every signed-in page also counts the unread inbox notifications for the navigation bar.
# The request list also reads the requests whose terms changed (shown first, side by side).
REQUEST_LIST_QUERIES = 7
# The compensation list also reads the expense lines of the page's payments, in one query.
COMPENSATION_LIST_QUERIES = 10


@pytest.fixture
def client_a(client, consultant):
    return mfa_login(client, consultant)


@pytest.fixture
def pending(engagement, profile):
    return ParticipationRequestFactory(engagement=engagement, consultant=profile)


@pytest.fixture
def accepted(engagement, profile):
    return ParticipationRequestFactory(
        engagement=engagement,
        consultant=profile,
        status=Status.ACCEPTED,
        consent_given_at=timezone.now(),
        consent_name_to_use="River",
    )


@pytest.fixture
def completed(partnership_x, profile):
    engagement = EngagementFactory(
        partnership=partnership_x,
        starts_at=timezone.now() - timedelta(days=3),
        ends_at=timezone.now() - timedelta(days=3) + timedelta(hours=2),
        response_deadline=timezone.now() - timedelta(days=6),
        status="completed",
        completed_at=timezone.now() - timedelta(days=2),
    )
    return ParticipationRequestFactory(
        engagement=engagement, consultant=profile, status=Status.COMPLETED
    )


@pytest.fixture
def compensation(completed):
    return CompensationFactory(request=completed)


def profile_data(**overrides):
    data = {
        "display_name": "Sky",
        "pronouns": "they/them",
        "bio": "",
        "roles": [SurvivorRole.TRAINING, SurvivorRole.POLICY_REVIEW],
        "languages": "English,  spanish , English, ",
        "areas_served": "Denver, Pueblo",
        "works_remote": "on",
        "preferred_rate": "60",
        "rate_basis": "hourly",
        "monthly_capacity": "3",
        "availability": "open",
        "paused_until": "",
        "contact_email": "",
        "contact_phone": "",
        "emailed_kinds": [ReminderKind.NEW_REQUEST, ReminderKind.COMPENSATION_PAID],
    }
    data.update(overrides)
    return data


def first_focusable(html):
    body = html.split("<body", 1)[1]
    match = re.search(r"<(a|button|input|select|textarea|summary)\b[^>]*>", body)
    return match.group(0) if match else ""


# Who may open the /me/ pages ----------------------------------------------------------------------

GET_PAGES = [
    "survivors:my-profile",
    "survivors:my-private-details",
    "survivors:my-requests",
    "survivors:my-compensation",
    "survivors:my-export",
    "survivors:my-delete",
]


@pytest.mark.parametrize("name", GET_PAGES)
@pytest.mark.parametrize("role", ["coordinator", "admin", "pending_coordinator"])
def test_other_roles_get_403(client, personas, role, name):
    mfa_login(client, personas[role])
    assert client.get(reverse(name)).status_code == 403


@pytest.mark.parametrize("name", GET_PAGES)
def test_visitors_are_sent_to_sign_in(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


REQUEST_ACTIONS = [
    "survivors:my-request-accept",
    "survivors:my-request-decline",
    "survivors:my-request-withdraw",
    "survivors:my-request-consent",
    "survivors:my-request-revoke-consent",
    "survivors:my-request-feedback",
]
COMPENSATION_ACTIONS = [
    "survivors:my-compensation-method",
    "survivors:my-compensation-not-received",
]


@pytest.mark.parametrize("name", REQUEST_ACTIONS)
def test_request_actions_are_post_only(client_a, pending, name):
    assert client_a.get(reverse(name, kwargs={"pk": pending.pk})).status_code == 405
    pending.refresh_from_db()
    assert pending.status == Status.PENDING


@pytest.mark.parametrize("name", COMPENSATION_ACTIONS)
def test_compensation_actions_are_post_only(client_a, compensation, name):
    assert client_a.get(reverse(name, kwargs={"pk": compensation.pk})).status_code == 405


@pytest.mark.parametrize("name", ["survivors:my-request-detail", *REQUEST_ACTIONS])
def test_another_consultants_request_is_404(client, other_consultant, other_profile, pending, name):
    mfa_login(client, other_consultant)
    method = client.get if name.endswith("detail") else client.post
    assert method(reverse(name, kwargs={"pk": pending.pk})).status_code == 404
    pending.refresh_from_db()
    assert pending.status == Status.PENDING


@pytest.mark.parametrize("name", ["survivors:my-compensation-detail", *COMPENSATION_ACTIONS])
def test_another_consultants_compensation_is_404(
    client, other_consultant, other_profile, compensation, name
):
    mfa_login(client, other_consultant)
    method = client.get if name.endswith("detail") else client.post
    response = method(reverse(name, kwargs={"pk": compensation.pk}), {"method": "check"})
    assert response.status_code == 404


def test_coordinator_of_the_partnership_gets_403_on_the_consultants_request(
    client, coordinator, pending
):
    mfa_login(client, coordinator)
    url = reverse("survivors:my-request-detail", kwargs={"pk": pending.pk})
    assert client.get(url).status_code == 403


# Profile ------------------------------------------------------------------------------------------


def test_first_save_creates_the_profile(client_a, consultant):
    page = client_a.get(reverse("survivors:my-profile"))
    assert page.status_code == 200
    assert "Create my profile" in page.text
    assert page.context["form"]["contact_email"].value() == consultant.email
    # Listing is off and the criminal-justice opt-in is off until chosen.
    assert not page.context["form"]["is_listed"].value()
    assert not page.context["form"]["criminal_justice_opt_in"].value()

    response = client_a.post(reverse("survivors:my-profile"), profile_data())
    assert response.status_code == 302
    profile = ConsultantProfile.objects.get(user=consultant)
    assert profile.display_name == "Sky"
    assert profile.languages == ["English", "spanish"]
    assert profile.areas_served == ["Denver", "Pueblo"]
    assert profile.roles == [SurvivorRole.TRAINING, SurvivorRole.POLICY_REVIEW]
    assert profile.monthly_capacity == 3
    assert not profile.is_listed
    assert not profile.criminal_justice_opt_in
    assert set(profile.email_muted_kinds) == set(ReminderKind.values) - {
        ReminderKind.NEW_REQUEST,
        ReminderKind.COMPENSATION_PAID,
    }
    assert profile.wants_email_for(ReminderKind.NEW_REQUEST)
    assert not profile.wants_email_for(ReminderKind.REQUEST_REMINDER)
    assert profile.reach_email() == consultant.email


def test_only_a_display_name_is_needed(client_a, consultant):
    response = client_a.post(
        reverse("survivors:my-profile"), {"display_name": "Pseudonym", "monthly_capacity": "2"}
    )
    assert response.status_code == 302
    profile = ConsultantProfile.objects.get(user=consultant)
    assert profile.availability == Availability.OPEN
    assert profile.rate_basis == "hourly"


def test_display_name_is_required(client_a, consultant):
    response = client_a.post(reverse("survivors:my-profile"), profile_data(display_name=""))
    assert response.status_code == 200
    assert response.context["form"].errors["display_name"]
    assert not ConsultantProfile.objects.filter(user=consultant).exists()


def test_paused_needs_an_end_date_as_a_field_error(client_a, profile):
    response = client_a.post(
        reverse("survivors:my-profile"), profile_data(availability="paused", paused_until="")
    )
    assert response.status_code == 200
    assert "Choose the date your pause ends" in response.context["form"].errors["paused_until"][0]
    assert "is-invalid" in response.text
    profile.refresh_from_db()
    assert profile.availability == Availability.OPEN


def test_paused_until_a_past_date_is_refused(client_a, profile):
    yesterday = timezone.localdate() - timedelta(days=1)
    response = client_a.post(
        reverse("survivors:my-profile"),
        profile_data(availability="paused", paused_until=yesterday.isoformat()),
    )
    assert response.context["form"].errors["paused_until"]


def test_pause_then_open_again(client_a, profile):
    until = timezone.localdate() + timedelta(days=20)
    client_a.post(
        reverse("survivors:my-profile"),
        profile_data(availability="paused", paused_until=until.isoformat()),
    )
    profile.refresh_from_db()
    assert (profile.availability, profile.paused_until) == (Availability.PAUSED, until)
    client_a.post(
        reverse("survivors:my-profile"),
        profile_data(availability="open", paused_until=until.isoformat()),
    )
    profile.refresh_from_db()
    assert (profile.availability, profile.paused_until) == (Availability.OPEN, None)


@pytest.mark.parametrize(
    "field, value",
    [
        ("monthly_capacity", "-1"),
        ("monthly_capacity", "500"),
        ("monthly_capacity", "many"),
        ("preferred_rate", "-5"),
        ("roles", ["not-a-role"]),
        ("emailed_kinds", ["spam"]),
        ("availability", "sometimes"),
        ("languages", "x" * 41),
        ("contact_email", "not-an-email"),
        ("paused_until", "31/31/2031"),
    ],
)
def test_bad_profile_input_is_a_field_error(client_a, profile, field, value):
    response = client_a.post(reverse("survivors:my-profile"), profile_data(**{field: value}))
    assert response.status_code == 200
    assert response.context["form"].errors[field]


def test_listing_and_opt_in(client_a, profile):
    response = client_a.post(
        reverse("survivors:my-profile"),
        profile_data(is_listed="on", criminal_justice_opt_in="on"),
        follow=True,
    )
    assert "Approved coordinators can now find you" in response.text
    profile.refresh_from_db()
    assert profile.is_listed and profile.criminal_justice_opt_in


def test_profile_shows_who_viewed_it_newest_first(client_a, profile, other_profile, coordinator):
    older = ProfileView.objects.create(
        profile=profile, viewer=coordinator, viewed_at=timezone.now() - timedelta(days=2)
    )
    ProfileView.objects.create(profile=profile, viewer=coordinator)
    ProfileView.objects.create(profile=other_profile, viewer=coordinator)
    page = client_a.get(reverse("survivors:my-profile"))
    assert "Opened 2 times by coordinators" in page.text
    assert coordinator.email in page.text
    views = list(page.context["page_obj"])
    assert views[-1] == older
    assert views[0].viewed_at > older.viewed_at


def test_profile_views_are_paginated(client_a, profile, coordinator, settings):
    settings.PAGE_SIZE = 10
    ProfileView.objects.bulk_create(
        ProfileView(profile=profile, viewer=coordinator) for _ in range(12)
    )
    page = client_a.get(reverse("survivors:my-profile"))
    assert "Opened 12 times" in page.text
    assert len(page.context["page_obj"]) == 10
    assert "Page 1 of 2" in page.text
    assert len(client_a.get(reverse("survivors:my-profile") + "?page=2").context["page_obj"]) == 2


def test_no_views_yet_says_what_will_happen(client_a, profile):
    page = client_a.get(reverse("survivors:my-profile"))
    assert "No coordinator has opened your profile yet" in page.text


# Private details ----------------------------------------------------------------------------------


def test_private_details_are_saved_and_reads_are_audited(client_a, profile, consultant):
    page = client_a.get(reverse("survivors:my-private-details"))
    assert page.status_code == 200
    assert "Coordinators never see these details" in page.text
    assert AuditEntry.objects.filter(action="survivors.private_details.read").count() == 1

    response = client_a.post(
        reverse("survivors:my-private-details"),
        {"legal_name": "Jordan Example", "mailing_address": "1 Main St", "payment_details": ""},
    )
    assert response.status_code == 302
    details = PrivateDetails.objects.get(profile=profile)
    assert details.legal_name == "Jordan Example"
    assert AuditEntry.objects.filter(action="survivors.private_details.changed").count() == 1
    page = client_a.get(reverse("survivors:my-private-details"))
    assert "Jordan Example" in page.text
    assert AuditEntry.objects.filter(action="survivors.private_details.read").count() == 2


def test_private_details_too_long_is_a_field_error(client_a, profile):
    response = client_a.post(reverse("survivors:my-private-details"), {"legal_name": "x" * 201})
    assert response.status_code == 200
    assert response.context["form"].errors["legal_name"]


def test_private_details_need_a_profile_first(client_a):
    response = client_a.get(reverse("survivors:my-private-details"))
    assert response.status_code == 302
    assert response["Location"] == reverse("survivors:my-profile")


# Requests -----------------------------------------------------------------------------------------


def _make_requests(profile, partnership, count):
    for n in range(count):
        engagement = EngagementFactory(partnership=partnership)
        status = Status.PENDING if n % 2 else Status.DECLINED
        ParticipationRequestFactory(engagement=engagement, consultant=profile, status=status)


def test_request_list_pending_first_with_deadline(client_a, profile, partnership_x):
    declined = ParticipationRequestFactory(
        consultant=profile,
        engagement=EngagementFactory(partnership=partnership_x),
        status=Status.DECLINED,
    )
    later = ParticipationRequestFactory(
        consultant=profile,
        engagement=EngagementFactory(
            partnership=partnership_x, starts_at=timezone.now() + timedelta(days=30)
        ),
    )
    sooner = ParticipationRequestFactory(
        consultant=profile, engagement=EngagementFactory(partnership=partnership_x)
    )
    ParticipationRequestFactory(engagement=EngagementFactory(partnership=partnership_x))
    page = client_a.get(reverse("survivors:my-requests"))
    assert list(page.context["page_obj"]) == [sooner, later, declined]
    assert "Answer requested by" in page.text


def test_request_list_query_count_does_not_grow(
    client_a, profile, partnership_x, django_assert_num_queries
):
    # Session, user, profile, page count, the page's rows with engagement and partnership, and
    # the inbox count.
    _make_requests(profile, partnership_x, 2)
    with django_assert_num_queries(REQUEST_LIST_QUERIES):
        client_a.get(reverse("survivors:my-requests"))
    _make_requests(profile, partnership_x, 30)
    with django_assert_num_queries(REQUEST_LIST_QUERIES):
        page = client_a.get(reverse("survivors:my-requests"))
    assert len(page.context["page_obj"]) == settings.PAGE_SIZE


def _make_changed_requests(profile, partnership, count, coordinator):
    for _n in range(count):
        engagement = EngagementFactory(partnership=partnership, compensation_amount=Decimal("80"))
        request = ParticipationRequestFactory(
            engagement=engagement, consultant=profile, status=Status.ACCEPTED
        )
        request.agreed_terms = engagement.terms()
        request.save(update_fields=["agreed_terms"])
        services.update_engagement(
            engagement=engagement, actor=coordinator, compensation_amount=Decimal("60")
        )


def test_request_list_query_count_does_not_grow_with_changed_terms(
    client_a, profile, partnership_x, coordinator, django_assert_num_queries
):
    # The changed requests, side by side, add their rows and the rate cards they were offered
    # under: two queries, however many.
    policy = CompensationPolicy.objects.create(partnership=partnership_x)
    RateCardEntry.objects.create(policy=policy, kind=EngagementKind.TRAINING, hourly_rate=75)
    _make_changed_requests(profile, partnership_x, 1, coordinator)
    with django_assert_num_queries(REQUEST_LIST_QUERIES + 1):
        client_a.get(reverse("survivors:my-requests"))
    _make_changed_requests(profile, partnership_x, 6, coordinator)
    with django_assert_num_queries(REQUEST_LIST_QUERIES + 1):
        page = client_a.get(reverse("survivors:my-requests"))
    assert len(page.context["changed"]) == 7


def test_request_list_empty_states(client_a, consultant):
    page = client_a.get(reverse("survivors:my-requests"))
    assert "once you have a profile" in page.text
    ConsultantProfileFactory(user=consultant)
    page = client_a.get(reverse("survivors:my-requests"))
    assert "No requests yet" in page.text


def test_request_detail_shows_content_notes_before_the_answer(client_a, pending, engagement):
    engagement.content_notes = "Discussion of exploitation by a family member."
    engagement.description = "A listening session on shelter intake."
    engagement.location = "Denver Public Library"
    engagement.save()
    page = client_a.get(pending.get_absolute_url())
    assert page.status_code == 200
    html = page.text
    notes = html.index("Discussion of exploitation by a family member.")
    assert notes < html.index("Accept this request")
    assert notes < html.index("Decline this request")
    assert "$150.00" in html  # 75/hour × 2 estimated hours
    pay_date = engagement.promised_pay_date()
    assert page.context["promised_pay_date"] == pay_date
    assert "Denver Public Library" in html
    assert "only the coordinators of this partnership can read it" in html


def test_accept_records_consent(client_a, pending, profile):
    response = client_a.post(
        reverse("survivors:my-request-accept", kwargs={"pk": pending.pk}),
        {
            "consent-consent_story_shared": "on",
            "consent-consent_off_limits": "My family",
            "consent-consent_recording": "",
            "consent-consent_name_to_use": "",
        },
    )
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == Status.ACCEPTED
    assert pending.consent_story_shared and not pending.consent_recording
    assert pending.consent_off_limits == "My family"
    assert pending.consent_name_to_use == profile.display_name
    assert pending.has_consent()


def test_accept_after_the_deadline_shows_the_reason(client_a, pending, engagement):
    engagement.response_deadline = timezone.now() - timedelta(minutes=1)
    engagement.save()
    response = client_a.post(reverse("survivors:my-request-accept", kwargs={"pk": pending.pk}), {})
    assert response.status_code == 200
    assert "The answer deadline has passed." in response.text
    pending.refresh_from_db()
    assert pending.status == Status.PENDING


def test_accept_with_a_too_long_name_is_a_field_error(client_a, pending):
    response = client_a.post(
        reverse("survivors:my-request-accept", kwargs={"pk": pending.pk}),
        {"consent-consent_name_to_use": "x" * 81},
    )
    assert response.context["consent_form"].errors["consent_name_to_use"]


def test_crafted_transition_gets_a_clear_error(client_a, pending):
    services.decline_request(request=pending, actor=pending.consultant.user)
    response = client_a.post(reverse("survivors:my-request-accept", kwargs={"pk": pending.pk}), {})
    assert response.status_code == 200
    assert "A request that is declined cannot be changed to accepted." in response.text
    response = client_a.post(
        reverse("survivors:my-request-withdraw", kwargs={"pk": pending.pk}),
        {"withdraw-confirm": "on"},
    )
    assert "cannot be changed to withdrawn" in response.text


def test_decline_with_an_optional_private_reason(client_a, pending):
    response = client_a.post(
        reverse("survivors:my-request-decline", kwargs={"pk": pending.pk}),
        {"decline-reason": "Too close to home."},
        follow=True,
    )
    assert "You declined this request" in response.text
    pending.refresh_from_db()
    assert pending.status == Status.DECLINED
    assert pending.decline_reason == "Too close to home."


def test_decline_without_a_reason(client_a, pending):
    client_a.post(reverse("survivors:my-request-decline", kwargs={"pk": pending.pk}), {})
    pending.refresh_from_db()
    assert pending.status == Status.DECLINED
    assert pending.decline_reason == ""


def test_withdraw_needs_confirmation(client_a, accepted):
    url = reverse("survivors:my-request-withdraw", kwargs={"pk": accepted.pk})
    response = client_a.post(url, {"withdraw-reason": "Unwell"})
    assert response.status_code == 200
    assert "Tick the box to confirm" in response.text
    accepted.refresh_from_db()
    assert accepted.status == Status.ACCEPTED

    response = client_a.post(url, {"withdraw-reason": "Unwell", "withdraw-confirm": "on"})
    assert response.status_code == 302
    accepted.refresh_from_db()
    assert accepted.status == Status.WITHDRAWN
    assert accepted.withdraw_reason == "Unwell"


def test_change_and_revoke_consent_until_the_start(client_a, accepted):
    page = client_a.get(accepted.get_absolute_url())
    assert "Change your consent" in page.text
    response = client_a.post(
        reverse("survivors:my-request-consent", kwargs={"pk": accepted.pk}),
        {"consent-consent_media": "on", "consent-consent_name_to_use": "Sky"},
    )
    assert response.status_code == 302
    accepted.refresh_from_db()
    assert accepted.consent_media and accepted.consent_name_to_use == "Sky"

    client_a.post(reverse("survivors:my-request-revoke-consent", kwargs={"pk": accepted.pk}))
    accepted.refresh_from_db()
    assert accepted.consent_revoked_at is not None
    assert not accepted.consent_media
    assert accepted.status == Status.ACCEPTED


def test_consent_cannot_change_after_the_start(client_a, accepted, engagement):
    engagement.starts_at = timezone.now() - timedelta(minutes=5)
    engagement.response_deadline = engagement.starts_at - timedelta(days=1)
    engagement.save()
    response = client_a.post(
        reverse("survivors:my-request-consent", kwargs={"pk": accepted.pk}),
        {"consent-consent_media": "on"},
    )
    assert "Consent can be changed only until the engagement starts." in response.text
    response = client_a.post(
        reverse("survivors:my-request-revoke-consent", kwargs={"pk": accepted.pk}), follow=True
    )
    assert "Consent can be changed only until the engagement starts." in response.text
    accepted.refresh_from_db()
    assert not accepted.consent_media and accepted.consent_revoked_at is None


def test_feedback_after_completion(client_a, completed):
    url = reverse("survivors:my-request-feedback", kwargs={"pk": completed.pk})
    page = client_a.get(completed.get_absolute_url())
    assert "Send feedback" in page.text

    response = client_a.post(url, {})
    assert "Write what went well" in response.text

    response = client_a.post(
        url,
        {"feedback-went_well": "Paid on time.", "feedback-felt_respected": "5"},
        follow=True,
    )
    feedback = Feedback.objects.get(request=completed)
    assert feedback.is_anonymous is False  # an unticked box means named
    assert feedback.felt_respected == 5
    assert "You left feedback" in response.text

    response = client_a.post(url, {"feedback-went_well": "Again"})
    assert "You have already left feedback" in response.text
    assert Feedback.objects.count() == 1


def test_anonymous_feedback(client_a, completed):
    client_a.post(
        reverse("survivors:my-request-feedback", kwargs={"pk": completed.pk}),
        {"feedback-to_improve": "More notice.", "feedback-is_anonymous": "on"},
    )
    assert Feedback.objects.get(request=completed).is_anonymous


def test_feedback_before_completion_is_refused(client_a, accepted):
    response = client_a.post(
        reverse("survivors:my-request-feedback", kwargs={"pk": accepted.pk}),
        {"feedback-went_well": "Early"},
    )
    assert "Feedback can be left once the engagement is completed." in response.text
    assert not Feedback.objects.exists()


# Compensation -------------------------------------------------------------------------------------


def _paid(profile, partnership, *, amount, paid_on, method=PaymentMethod.CHECK):
    return CompensationFactory(
        request__consultant=profile,
        request__engagement__partnership=partnership,
        amount=Decimal(amount),
        fee=Decimal(amount),
        status=Compensation.Status.PAID,
        paid_on=paid_on,
        paid_method=method,
        due_on=paid_on,
    )


def test_compensation_page_shows_owed_overdue_paid_and_years(
    client_a, profile, partnership_x, other_profile, settings
):
    settings.TAX_FORM_THRESHOLD_USD = 2000
    today = timezone.localdate()
    CompensationFactory(request__consultant=profile, request__engagement__partnership=partnership_x)
    late = CompensationFactory(
        request__consultant=profile,
        request__engagement__partnership=partnership_x,
        amount=Decimal("80.00"),
        due_on=today - timedelta(days=3),
    )
    _paid(profile, partnership_x, amount="1500.00", paid_on=today.replace(month=1, day=2))
    _paid(profile, partnership_x, amount="600.00", paid_on=today.replace(month=1, day=3))
    _paid(profile, partnership_x, amount="40.00", paid_on=today.replace(year=today.year - 1))
    # Someone else's money is not counted.
    CompensationFactory(request__consultant=other_profile, amount=Decimal("999.00"))

    page = client_a.get(reverse("survivors:my-compensation"))
    assert page.status_code == 200
    summary = page.context["summary"]
    assert summary["owed_total"] == Decimal("230.00")
    assert summary["overdue_count"] == 1
    assert page.context["paid_this_year"] == Decimal("2100.00")
    assert page.context["at_threshold"]
    assert "You have reached it." in page.text
    assert [(row["year"], row["total"]) for row in page.context["by_year"]] == [
        (today.year, Decimal("2100.00")),
        (today.year - 1, Decimal("40.00")),
    ]
    rows = list(page.context["page_obj"])
    assert rows[0] == late  # unpaid first, the oldest due date first
    assert 'class="table-danger"' in page.text
    assert "Overdue" in page.text
    assert "$999.00" not in page.text


def test_compensation_list_query_count_does_not_grow(
    client_a, profile, partnership_x, django_assert_num_queries
):
    today = timezone.localdate()
    first = _paid(profile, partnership_x, amount="10.00", paid_on=today)
    ExpenseFactory(request=first.request, status=Expense.Status.APPROVED)
    CompensationFactory(request__consultant=profile)
    # Session, user, profile, the totals, this year's paid total, totals by year, page count,
    # the page's rows with engagement and partnership, their expense lines, and the inbox count.
    with django_assert_num_queries(COMPENSATION_LIST_QUERIES):
        client_a.get(reverse("survivors:my-compensation"))
    for n in range(25):
        _paid(profile, partnership_x, amount="10.00", paid_on=today - timedelta(days=n * 20))
        due = CompensationFactory(request__consultant=profile)
        for kind in Expense.Kind.values:
            ExpenseFactory(request=due.request, kind=kind)
    with django_assert_num_queries(COMPENSATION_LIST_QUERIES):
        page = client_a.get(reverse("survivors:my-compensation"))
    assert len(page.context["page_obj"]) == settings.PAGE_SIZE
    # Unpaid first: the page's payments list their lines, not included until approved.
    assert page.text.count("Childcare") >= 19
    assert page.text.count("Awaiting a decision: not included") >= 19 * 4


def test_compensation_empty_states(client_a, consultant):
    page = client_a.get(reverse("survivors:my-compensation"))
    assert "Create your profile" in page.text
    ConsultantProfileFactory(user=consultant)
    page = client_a.get(reverse("survivors:my-compensation"))
    assert "No payments yet" in page.text


def test_compensation_detail_and_choosing_a_method(client_a, compensation, partnership_x):
    CompensationPolicy.objects.create(
        partnership=partnership_x,
        payment_methods=[PaymentMethod.CHECK, PaymentMethod.GIFT_CARD],
    )
    Expense.objects.create(request=compensation.request, kind="mileage", amount=Decimal("12.50"))
    page = client_a.get(compensation.get_absolute_url())
    assert page.status_code == 200
    assert "Mileage" in page.text and "$12.50" in page.text
    choices = [value for value, _label in page.context["method_form"].fields["method"].choices]
    assert choices == [PaymentMethod.CHECK, PaymentMethod.GIFT_CARD]

    url = reverse("survivors:my-compensation-method", kwargs={"pk": compensation.pk})
    response = client_a.post(url, {"method": PaymentMethod.DIRECT_DEPOSIT})
    assert response.status_code == 200
    assert response.context["method_form"].errors["method"]

    response = client_a.post(url, {"method": PaymentMethod.GIFT_CARD})
    assert response.status_code == 302
    compensation.refresh_from_db()
    assert compensation.payment_method == PaymentMethod.GIFT_CARD


def test_not_received_reopens_a_paid_record(client_a, compensation, coordinator):
    url = reverse("survivors:my-compensation-not-received", kwargs={"pk": compensation.pk})
    response = client_a.post(url, {"missing-note": "Nothing came."})
    assert "Only a payment recorded as paid can be reported as not received." in response.text

    services.mark_compensation_paid(
        compensation=compensation,
        actor=coordinator,
        paid_on=timezone.localdate(),
        method=PaymentMethod.CHECK,
        reference="CHK-1",
    )
    page = client_a.get(compensation.get_absolute_url())
    assert "Paid on" in page.text and "CHK-1" in page.text

    response = client_a.post(url, {"missing-note": ""})
    assert "Write a short note" in response.text

    response = client_a.post(url, {"missing-note": "The check never arrived."}, follow=True)
    compensation.refresh_from_db()
    assert compensation.status == Compensation.Status.REOPENED
    assert compensation.not_received_note == "The check never arrived."
    assert "reported this payment as not received" in response.text


def test_choosing_a_method_once_paid_is_refused(client_a, compensation, coordinator):
    services.mark_compensation_paid(
        compensation=compensation,
        actor=coordinator,
        paid_on=timezone.localdate(),
        method=PaymentMethod.CHECK,
    )
    response = client_a.post(
        reverse("survivors:my-compensation-method", kwargs={"pk": compensation.pk}),
        {"method": PaymentMethod.CHECK},
    )
    assert "already recorded as paid" in response.text


# Data rights --------------------------------------------------------------------------------------


def test_export_downloads_everything_as_json(client_a, profile, consultant, pending, coordinator):
    services.save_private_details(
        profile=profile,
        actor=consultant,
        legal_name="Jordan Example",
        mailing_address="",
        payment_details="",
    )
    ProfileView.objects.create(profile=profile, viewer=coordinator)
    response = client_a.get(reverse("survivors:my-export"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["account"]["email"] == consultant.email
    assert data["profile"]["display_name"] == "Consultant A"
    assert data["private_details"]["legal_name"] == "Jordan Example"
    assert data["requests"][0]["engagement"] == pending.engagement.title
    assert data["profile_views"][0]["viewer"] == coordinator.email
    assert AuditEntry.objects.filter(action="survivors.data.exported").count() == 1


def test_export_without_a_profile(client_a, consultant):
    data = json.loads(client_a.get(reverse("survivors:my-export")).content)
    assert data == {
        "account": {"email": consultant.email, "joined": consultant.date_joined.isoformat()},
        "profile": None,
    }


def test_delete_explains_and_needs_the_typed_word(client_a, consultant, profile, compensation):
    page = client_a.get(reverse("survivors:my-delete"))
    assert page.status_code == 200
    for text in ["What is erased", "What is kept", "Former consultant", "You are still owed"]:
        assert text in page.text

    response = client_a.post(reverse("survivors:my-delete"), {"confirmation": "delete"})
    assert response.status_code == 200
    assert response.context["form"].errors["confirmation"]
    consultant.refresh_from_db()
    assert consultant.is_active
    assert ConsultantProfile.objects.filter(pk=profile.pk).exists()


def test_delete_erases_and_signs_out(client_a, consultant, profile, compensation):
    response = client_a.post(reverse("survivors:my-delete"), {"confirmation": " DELETE "})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    consultant.refresh_from_db()
    assert not consultant.is_active
    assert not ConsultantProfile.objects.filter(pk=profile.pk).exists()
    compensation.refresh_from_db()
    assert compensation.consultant is None
    assert compensation.request.consultant_name == "Former consultant"
    # Signed out: the next page asks to sign in.
    follow = client_a.get(reverse("survivors:my-profile"))
    assert follow.status_code == 302
    assert follow["Location"].startswith(reverse("account_login"))
    assert "are erased" in client_a.get(reverse("home")).text


def test_erasure_also_blanks_the_change_history(consultant, profile, pending, partnership_x):
    services.accept_request(
        request=pending,
        actor=consultant,
        consent={"consent_off_limits": "My brother", "consent_name_to_use": "Pseudo"},
    )
    compensation = CompensationFactory(
        request__consultant=profile, request__engagement__partnership=partnership_x
    )
    compensation.save()  # a history row that links the consultant
    services.erase_consultant(user=consultant, actor=consultant)
    history = ParticipationRequest.history.filter(id=pending.id)
    assert history.count() >= 2
    assert not history.exclude(consent_off_limits="").exists()
    assert not history.exclude(consent_name_to_use="").exists()
    assert not history.filter(consultant_id__isnull=False).exists()
    assert not Compensation.history.filter(consultant_id__isnull=False).exists()
    consultant.refresh_from_db()
    assert not consultant.is_active


def test_erasure_without_a_profile(consultant):
    services.erase_consultant(user=consultant, actor=consultant)
    consultant.refresh_from_db()
    assert not consultant.is_active


def test_delete_is_get_or_post_only(client_a):
    assert client_a.put(reverse("survivors:my-delete")).status_code == 405


# Quick exit and dashboard -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["home", "survivors:my-profile", "survivors:my-requests", "survivors:my-compensation"]
)
def test_quick_exit_is_the_first_tab_stop_for_consultants(client_a, settings, profile, name):
    settings.QUICK_EXIT_URL = "https://neutral.example/"
    html = client_a.get(reverse(name)).text
    first = first_focusable(html)
    assert "data-quick-exit" in first
    assert 'href="https://neutral.example/"' in first
    assert "Leave this site" in html
    assert "js/quick-exit.js" in html
    assert " onclick=" not in html and " style=" not in html


@pytest.mark.parametrize("name", ["home", "account_login", "account_signup", "partnerships:list"])
def test_quick_exit_for_visitors(client, db, name):
    html = client.get(reverse(name)).text
    assert "data-quick-exit" in first_focusable(html)


@pytest.mark.parametrize("role", ["coordinator", "admin"])
def test_no_quick_exit_for_coordinators_and_admins(client, personas, role):
    mfa_login(client, personas[role])
    html = client.get(reverse("home")).text
    assert "data-quick-exit" not in html
    assert "quick-exit.js" not in html
    assert "data-quick-exit" not in first_focusable(html)


def test_consultant_nav_links(client_a):
    html = client_a.get(reverse("home")).text
    for label in ["My profile", "Requests", "Compensation"]:
        assert f">{label}</a>" in html


def test_dashboard_prompts_for_a_profile(client_a):
    page = client_a.get(reverse("home"))
    assert "Create your profile" in page.text


def test_dashboard_shows_waiting_upcoming_and_owed(
    client_a, profile, partnership_x, pending, compensation
):
    upcoming = ParticipationRequestFactory(
        consultant=profile,
        engagement=EngagementFactory(partnership=partnership_x, title="Board meeting"),
        status=Status.ACCEPTED,
    )
    page = client_a.get(reverse("home"))
    html = page.text
    assert pending.engagement.title in html
    assert upcoming.engagement.title in html
    assert "$150.00" in html
    assert "Waiting for your answer" in html and "Upcoming work" in html
