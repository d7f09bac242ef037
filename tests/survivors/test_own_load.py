"""A consultant sees her own load ("2 of 3 this month", and next month's) as coordinators see
it in the directory; and "limited" availability means something the rules enforce: only
engagements she can join remotely, still within her capacity."""

from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from survivors import services
from survivors.models import Availability, Engagement, ParticipationRequest, month_bounds
from tests.auth import mfa_login

from .factories import ConsultantProfileFactory, EngagementFactory, ParticipationRequestFactory

Status = ParticipationRequest.Status


def _on(day, hour=12):
    return timezone.make_aware(datetime.combine(day, time(hour)))


@pytest.fixture
def loaded(profile, partnership_x):
    """Consultant A (capacity 3): two requests that count this month, one next month, and a
    declined one that does not count."""
    profile.monthly_capacity = 3
    profile.save()
    this_month, next_month = month_bounds(timezone.localdate())
    for status, day in [
        (Status.PENDING, this_month),
        (Status.ACCEPTED, this_month + timedelta(days=1)),
        (Status.DECLINED, this_month),
        (Status.ACCEPTED, next_month + timedelta(days=3)),
    ]:
        starts_at = _on(day)
        ParticipationRequestFactory(
            consultant=profile,
            status=status,
            engagement=EngagementFactory(
                partnership=partnership_x,
                starts_at=starts_at,
                response_deadline=starts_at - timedelta(days=1),
            ),
        )
    return profile


def test_loads_ahead_are_the_directorys_count(loaded):
    from survivors.models import ConsultantProfile

    (this_month, this_load), (next_month, next_load) = loaded.loads_ahead()
    assert (this_load, next_load) == (2, 1)
    assert this_month == timezone.localdate().replace(day=1)
    # The same number the directory's annotation shows coordinators.
    directory = ConsultantProfile.objects.with_load_in(timezone.localdate()).get(pk=loaded.pk)
    assert directory.load == this_load == loaded.load_in(timezone.localdate())


@pytest.mark.parametrize("address", ["home", "survivors:my-profile"])
def test_she_sees_her_load_on_dashboard_and_profile(client, consultant, loaded, address):
    mfa_login(client, consultant)
    page = client.get(reverse(address)).content.decode()
    assert "2 of 3 this month" in page
    assert "1 of 3 next month" in page


def test_a_full_month_says_so(client, consultant, loaded):
    loaded.monthly_capacity = 2
    loaded.save()
    mfa_login(client, consultant)
    assert "This month is full." in client.get(reverse("home")).content.decode()


def test_without_a_profile_there_is_no_load_to_show(client, consultant):
    mfa_login(client, consultant)
    page = client.get(reverse("home")).content.decode()
    assert "this month" not in page and "Create my profile" in page


# Limited availability: remote engagements only ---------------------------------------------


def _invite(engagement, profile, coordinator):
    return services.send_participation_requests(
        engagement=engagement, consultants=[profile], actor=coordinator
    )


@pytest.mark.parametrize(
    "availability,mode,refused",
    [
        (Availability.LIMITED, Engagement.Mode.IN_PERSON, True),
        (Availability.LIMITED, Engagement.Mode.REMOTE, False),
        (Availability.LIMITED, Engagement.Mode.HYBRID, False),
        (Availability.OPEN, Engagement.Mode.IN_PERSON, False),
    ],
)
def test_limited_means_remote_engagements_only(
    coordinator, partnership_x, profile, availability, mode, refused
):
    profile.availability = availability
    profile.save()
    engagement = EngagementFactory(partnership=partnership_x, mode=mode)
    if refused:
        with pytest.raises(services.EngagementError, match="only engagements that can be joined"):
            _invite(engagement, profile, coordinator)
        assert not ParticipationRequest.objects.exists()
    else:
        assert _invite(engagement, profile, coordinator)


def test_limited_still_respects_capacity(coordinator, partnership_x, profile):
    profile.availability = Availability.LIMITED
    profile.monthly_capacity = 1
    profile.save()
    first = EngagementFactory(partnership=partnership_x)
    _invite(first, profile, coordinator)
    second = EngagementFactory(partnership=partnership_x, starts_at=first.starts_at)
    with pytest.raises(services.EngagementError, match="capacity they set"):
        _invite(second, profile, coordinator)


def test_profile_form_says_what_each_availability_means(client, consultant):
    ConsultantProfileFactory(user=consultant)
    mfa_login(client, consultant)
    page = client.get(reverse("survivors:my-profile")).content.decode()
    assert "Limited: remote engagements only" in page
    assert "Limited: only engagements you can join remotely" in page


def test_coordinator_sees_the_refusal_when_inviting(client, coordinator, partnership_x, profile):
    profile.availability = Availability.LIMITED
    profile.save()
    engagement = EngagementFactory(partnership=partnership_x, mode=Engagement.Mode.IN_PERSON)
    mfa_login(client, coordinator)
    response = client.post(
        reverse("survivors:engagement-invite", kwargs={"pk": engagement.pk}),
        {"consultants": [str(profile.pk)]},
        follow=True,
    )
    assert "has limited availability" in response.content.decode()
    assert not ParticipationRequest.objects.exists()
