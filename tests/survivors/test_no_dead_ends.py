"""Nothing offered that will be refused.

The directory card, the profile page and a refused request say the same words, all from
services.refusal_for; a batch sends to everyone who can be asked and names who was not.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from survivors import services
from survivors.models import Availability, Engagement, ParticipationRequest
from tests.queries import assert_fixed_query_count
from tests.survivors import bulk

from .factories import ConsultantProfileFactory, EngagementFactory, ParticipationRequestFactory


def _reasons(engagement):
    profiles = {
        "paused": ConsultantProfileFactory(
            display_name="Paused Pat",
            availability=Availability.PAUSED,
            paused_until=timezone.localdate(engagement.starts_at) + timedelta(days=3),
        ),
        "full": ConsultantProfileFactory(display_name="Full Fay", monthly_capacity=1),
        "remote": ConsultantProfileFactory(
            display_name="Remote Rae", availability=Availability.LIMITED
        ),
        "asked": ConsultantProfileFactory(display_name="Asked Ann"),
        "free": ConsultantProfileFactory(display_name="Free Flo"),
    }
    other = EngagementFactory(partnership=engagement.partnership, starts_at=engagement.starts_at)
    ParticipationRequestFactory(engagement=other, consultant=profiles["full"])
    ParticipationRequestFactory(engagement=engagement, consultant=profiles["asked"])
    return profiles


@pytest.fixture
def in_person(engagement):
    engagement.mode = Engagement.Mode.IN_PERSON
    engagement.save()
    return engagement


def test_each_reason_in_words(in_person):
    profiles = _reasons(in_person)
    reasons = {key: services.refusal_for(in_person, p) for key, p in profiles.items()}
    assert "has paused requests until" in reasons["paused"]
    assert "reached the capacity they set (1 a month)" in reasons["full"]
    assert "only engagements that can be joined remotely" in reasons["remote"]
    assert "already been invited" in reasons["asked"]
    assert reasons["free"] is None


def test_criminal_justice_and_deadline_reasons(engagement, profile):
    engagement.involves_criminal_justice = True
    engagement.save()
    assert "not opted in" in services.refusal_for(engagement, profile)
    engagement.response_deadline = timezone.now() - timedelta(minutes=1)
    engagement.save()
    assert "deadline" in services.refusal_for(engagement, profile)


def test_a_page_of_reasons_in_one_query_says_the_same_words(in_person, django_assert_num_queries):
    profiles = list(_reasons(in_person).values())
    one_by_one = {p.pk: services.refusal_for(in_person, p) for p in profiles}
    with django_assert_num_queries(1):
        together = services.refusals_for(in_person, profiles)
    assert together == one_by_one


def test_a_batch_sends_to_everyone_who_can_be_asked(in_person, coordinator):
    profiles = _reasons(in_person)
    sent, not_asked = services.send_to_eligible(
        engagement=in_person, consultants=list(profiles.values()), actor=coordinator
    )
    assert [r.consultant for r in sent] == [profiles["free"]]
    assert {p.display_name for p, _why in not_asked} == {
        "Paused Pat",
        "Full Fay",
        "Remote Rae",
        "Asked Ann",
    }
    for profile, why in not_asked:
        assert why == services.refusal_for(in_person, profile)


def test_a_batch_nobody_can_take_saves_nothing(in_person, coordinator):
    profiles = _reasons(in_person)
    before = ParticipationRequest.objects.count()
    with pytest.raises(services.EngagementError, match="Paused Pat has paused"):
        services.send_to_eligible(
            engagement=in_person, consultants=[profiles["paused"]], actor=coordinator
        )
    assert ParticipationRequest.objects.count() == before


def test_directory_card_shows_why_and_cannot_be_ticked(coordinator_client, in_person):
    profiles = _reasons(in_person)
    response = coordinator_client.get(reverse("survivors:directory"), {"engagement": in_person.pk})
    html = response.content.decode()
    paused = profiles["paused"]
    assert f'id="invite-{paused.pk}" disabled aria-describedby="why-{paused.pk}"' in html
    assert f'id="why-{paused.pk}"' in html
    assert services.refusal_for(in_person, profiles["remote"]) in html
    free = profiles["free"]
    assert f'id="invite-{free.pk}">' in html


def test_directory_card_changes_when_she_is_asked(coordinator_client, engagement, profile):
    url = reverse("survivors:directory") + f"?engagement={engagement.pk}"
    assert "already been invited" not in coordinator_client.get(url).content.decode()
    ParticipationRequestFactory(engagement=engagement, consultant=profile)
    assert "already been invited" in coordinator_client.get(url).content.decode()


def test_directory_with_an_engagement_keeps_its_query_count(
    coordinator_client, engagement, django_assert_num_queries
):
    bulk.profiles(10, prefix="few")
    assert_fixed_query_count(
        coordinator_client,
        reverse("survivors:directory") + f"?engagement={engagement.pk}",
        lambda: bulk.profiles(90, prefix="many"),
        django_assert_num_queries,
    )


def test_batch_from_the_directory_names_who_was_not_asked(coordinator_client, in_person):
    profiles = _reasons(in_person)
    response = coordinator_client.post(
        reverse("survivors:engagement-invite", kwargs={"pk": in_person.pk}),
        {"consultants": [profiles["free"].pk, profiles["remote"].pk]},
        follow=True,
    )
    html = response.content.decode()
    assert "Participation request sent to Free Flo" in html
    assert "Not asked:" in html
    assert "Remote Rae has limited availability" in html
    assert ParticipationRequest.objects.filter(engagement=in_person).count() == 2  # + Asked Ann


def test_profile_page_says_why_an_engagement_cannot_be_offered(
    coordinator_client, engagement, profile
):
    ParticipationRequestFactory(engagement=engagement, consultant=profile)
    html = coordinator_client.get(profile.get_absolute_url()).content.decode()
    assert "Cannot be asked for these engagements" in html
    assert services.refusal_for(engagement, profile) in html
