"""The directory's cards come from the cache, yet a change shows at once."""

from django.urls import reverse
from django.utils import timezone, translation

from tests.survivors.factories import EngagementFactory, ParticipationRequestFactory


def test_a_changed_profile_or_load_shows_at_once(coordinator_client, profile, partnership_x):
    url = reverse("survivors:directory")
    first = coordinator_client.get(url).content.decode()
    assert profile.display_name in first

    profile.display_name = "Renamed Consultant"
    profile.save()
    renamed = coordinator_client.get(url).content.decode()
    assert "Renamed Consultant" in renamed

    capacity = profile.monthly_capacity
    assert f"0 of {capacity}" in renamed
    # A request for an engagement today counts against this month's capacity.
    noon = timezone.localtime().replace(hour=12, minute=0, second=0, microsecond=0)
    engagement = EngagementFactory(partnership=partnership_x, starts_at=noon)
    ParticipationRequestFactory(consultant=profile, engagement=engagement)
    assert f"1 of {capacity}" in coordinator_client.get(url).content.decode()


def test_cards_follow_the_language(coordinator_client, profile, coordinator):
    url = reverse("survivors:directory")
    # The account's language stays active in this thread after the request: restore ours.
    with translation.override(translation.get_language()):
        english = coordinator_client.get(url).content.decode()
        coordinator.language = "es"
        coordinator.save()
        spanish = coordinator_client.get(url).content.decode()
    assert "Este mes" in spanish and "Este mes" not in english
