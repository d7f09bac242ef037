from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from partnerships import services
from partnerships.models import Position
from tests.auth import mfa_login
from tests.survivors.factories import ConsultantProfileFactory

from .factories import PositionFactory


def test_coordinator_posts_a_position(client, coordinator, partnership_x):
    mfa_login(client, coordinator)
    response = client.post(
        reverse("partnerships:positions", args=[partnership_x.slug]),
        {
            "title": "Survivor program lead",
            "organization": "Safe Harbor",
            "schedule": "full_time",
            "pay_range": "$55,000–$62,000",
            "how_to_apply": "Send a letter",
            "closes_on": (timezone.localdate() + timedelta(days=20)).isoformat(),
            "lived_experience_counts": "on",
        },
    )
    assert response.status_code == 302
    assert Position.objects.get().lived_experience_counts


def test_closing_date_in_the_past_is_refused(coordinator, partnership_x):
    with pytest.raises(services.PartnershipError, match="closing date"):
        services.save_position(
            partnership=partnership_x,
            actor=coordinator,
            title="x",
            organization="y",
            pay_range="z",
            how_to_apply="w",
            closes_on=timezone.localdate() - timedelta(days=1),
        )


def test_listed_consultants_see_open_positions_only(client, consultant, partnership_x):
    PositionFactory(partnership=partnership_x, title="Open role")
    PositionFactory(
        partnership=partnership_x,
        title="Closed role",
        closes_on=timezone.localdate() - timedelta(days=1),
    )
    profile = ConsultantProfileFactory(user=consultant, is_listed=False)
    mfa_login(client, consultant)
    url = reverse("partnerships:open-positions")
    assert "Open role" not in client.get(url).content.decode()
    profile.is_listed = True
    profile.save()
    page = client.get(url).content.decode()
    assert "Open role" in page and "Closed role" not in page
    home = client.get(reverse("home")).content.decode()
    assert "Open role" in home
