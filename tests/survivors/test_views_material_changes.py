"""Material changes through the pages: the coordinator's edit (with the release checkbox),
the consultant's confirm and leave (POST only, her own request only)."""

import html
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from survivors import services
from survivors.models import ParticipationRequest
from tests.auth import mfa_login

Status = ParticipationRequest.Status


@pytest.fixture
def accepted(engagement, profile, coordinator, consultant):
    request = services.send_participation_requests(
        engagement=engagement, consultants=[profile], actor=coordinator
    )[0]
    return services.accept_request(
        request=request, actor=consultant, consent={"consent_name_to_use": "River"}
    )


@pytest.fixture
def changed(accepted, engagement, coordinator):
    services.update_engagement(
        engagement=engagement, actor=coordinator, compensation_amount=Decimal("50.00")
    )
    return ParticipationRequest.objects.get(pk=accepted.pk)


def form_data(engagement, **changes):
    def moment(value):
        return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")

    data = {
        "title": engagement.title,
        "kind": engagement.kind,
        "roles_needed": engagement.roles_needed,
        "description": engagement.description,
        "content_notes": engagement.content_notes,
        "mode": engagement.mode,
        "location": engagement.location,
        "starts_at": moment(engagement.starts_at),
        "ends_at": moment(engagement.ends_at),
        "estimated_hours": str(engagement.estimated_hours),
        "compensation_amount": str(engagement.compensation_amount),
        "compensation_basis": engagement.compensation_basis,
        "seats": engagement.seats,
        "response_deadline": moment(engagement.response_deadline),
    }
    if engagement.involves_criminal_justice:
        data["involves_criminal_justice"] = "on"
    data.update(changes)
    return data


def edit_url(engagement):
    return reverse("survivors:engagement-edit", kwargs={"pk": engagement.pk})


def test_coordinator_lowers_the_pay_and_her_request_waits(
    client, coordinator, engagement, accepted
):
    mfa_login(client, coordinator)
    response = client.post(edit_url(engagement), form_data(engagement, compensation_amount="50"))
    assert response.status_code == 302
    assert ParticipationRequest.objects.get(pk=accepted.pk).status == Status.CHANGED
    page = client.get(engagement.get_absolute_url())
    assert "Terms changed — awaiting the consultant's confirmation" in html.unescape(page.text)


def test_a_description_edit_changes_nothing_for_her(client, coordinator, engagement, accepted):
    mfa_login(client, coordinator)
    response = client.post(edit_url(engagement), form_data(engagement, description="Typo fixed"))
    assert response.status_code == 302
    assert ParticipationRequest.objects.get(pk=accepted.pk).status == Status.ACCEPTED


def test_edit_form_lists_who_to_release_and_refuses_without_it(
    client, coordinator, engagement, accepted
):
    mfa_login(client, coordinator)
    page = client.get(edit_url(engagement))
    assert "release these consultants" in page.text and "River" in page.text
    data = form_data(engagement, involves_criminal_justice="on")
    refused = client.post(edit_url(engagement), data)
    assert refused.status_code == 200
    assert "Not opted in to work that involves the criminal justice system: River" in refused.text
    engagement.refresh_from_db()
    assert not engagement.involves_criminal_justice
    released = client.post(edit_url(engagement), {**data, "release-release": [str(accepted.pk)]})
    assert released.status_code == 302
    request = ParticipationRequest.objects.get(pk=accepted.pk)
    assert request.status == Status.CANCELLED and request.released_at


def test_she_sees_old_and_new_terms_first_on_her_requests(client, consultant, changed):
    mfa_login(client, consultant)
    page = client.get(reverse("survivors:my-requests"))
    text = page.text
    assert text.index("Terms changed: confirm or leave") < text.index(
        '<table class="table stack-on-phone align-middle">'
    )
    assert "What you agreed to" in text and "$75.00 an hour" in text and "$50.00 an hour" in text
    detail = client.get(changed.get_absolute_url())
    assert "Confirm the new terms" in detail.text and "Leave this engagement" in detail.text


def test_she_confirms_with_her_consent(client, consultant, changed):
    mfa_login(client, consultant)
    url = reverse("survivors:my-request-confirm", kwargs={"pk": changed.pk})
    response = client.post(
        url, {"consent-consent_name_to_use": "R.", "consent-consent_media": "on"}
    )
    assert response.status_code == 302
    request = ParticipationRequest.objects.get(pk=changed.pk)
    assert request.status == Status.ACCEPTED
    assert request.consent_name_to_use == "R." and request.consent_media


def test_she_leaves_without_a_reason(client, consultant, changed):
    mfa_login(client, consultant)
    response = client.post(reverse("survivors:my-request-leave", kwargs={"pk": changed.pk}))
    assert response.status_code == 302
    assert ParticipationRequest.objects.get(pk=changed.pk).status == Status.WITHDRAWN


@pytest.mark.parametrize("name", ["my-request-confirm", "my-request-leave"])
def test_post_only_and_hers_only(
    client, consultant, other_consultant, other_profile, changed, name
):
    url = reverse(f"survivors:{name}", kwargs={"pk": changed.pk})
    mfa_login(client, consultant)
    assert client.get(url).status_code == 405
    client.logout()
    mfa_login(client, other_consultant)
    assert client.post(url).status_code == 404
    assert ParticipationRequest.objects.get(pk=changed.pk).status == Status.CHANGED


def test_completion_page_says_who_has_not_confirmed(client, coordinator, engagement, changed):
    mfa_login(client, coordinator)
    engagement.starts_at = timezone.now() - timezone.timedelta(hours=3)
    engagement.ends_at = timezone.now() - timezone.timedelta(hours=1)
    engagement.response_deadline = timezone.now() - timezone.timedelta(days=1)
    engagement.save()
    url = reverse("survivors:engagement-complete", kwargs={"pk": engagement.pk})
    response = client.post(url, follow=True)
    assert "not every consultant has confirmed them yet: River" in response.text
    engagement.refresh_from_db()
    assert engagement.is_open()
