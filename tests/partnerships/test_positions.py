from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from partnerships import services
from partnerships.models import Position
from tests.auth import mfa_login
from tests.partnerships.factories import partnership_page
from tests.survivors.factories import ConsultantProfileFactory

from .factories import PositionFactory


def test_coordinator_posts_a_position(coordinator_client, partnership_x):
    position = {"title": "Survivor program lead", "organization": "Safe Harbor"}
    position |= {"schedule": "full_time", "pay_range": "$55,000–$62,000"}
    position |= {"how_to_apply": "Send a letter", "lived_experience_counts": "on"}
    position["closes_on"] = (timezone.localdate() + timedelta(days=20)).isoformat()
    response = coordinator_client.post(partnership_page("positions", partnership_x), position)
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


@pytest.mark.parametrize("listed", [True, False, None], ids=["listed", "unlisted", "no-profile"])
def test_every_consultant_sees_open_positions_only(client, consultant, partnership_x, listed):
    """Jobs without exposure: listing only decides whether coordinators find her; open
    positions are shown to every consultant, with a profile or without."""
    PositionFactory(partnership=partnership_x, title="Open role")
    PositionFactory(
        partnership=partnership_x,
        title="Closed role",
        closes_on=timezone.localdate() - timedelta(days=1),
    )
    if listed is not None:
        ConsultantProfileFactory(user=consultant, is_listed=listed)
    assert [p.title for p in services.open_positions_for(consultant)] == ["Open role"]
    mfa_login(client, consultant)
    page = client.get(reverse("partnerships:open-positions")).content.decode()
    assert "Open role" in page and "Closed role" not in page
    assert "list your profile to see" in page
    assert "Open role" in client.get(reverse("home")).content.decode()


def test_coordinators_and_visitors_get_no_positions_from_the_consultant_list(
    coordinator, partnership_x
):
    from django.contrib.auth.models import AnonymousUser

    PositionFactory(partnership=partnership_x)
    assert not services.open_positions_for(coordinator).exists()
    assert not services.open_positions_for(AnonymousUser()).exists()
