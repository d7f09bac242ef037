"""Fixtures of the survivors tests: an engagement that took place and consultant A's
accepted request for it."""

from datetime import timedelta

import pytest
from django.utils import timezone


@pytest.fixture
def held(partnership_x, coordinator):
    """An engagement of partnership X that took place yesterday."""
    from .factories import EngagementFactory

    started = timezone.now() - timedelta(days=1)
    return EngagementFactory(
        partnership=partnership_x,
        created_by=coordinator,
        title="Shelter intake review",
        starts_at=started,
        ends_at=started + timedelta(hours=2),
        response_deadline=started - timedelta(days=2),
    )


@pytest.fixture
def accepted(held, profile):
    """Consultant A's accepted request for it."""
    from survivors.models import ParticipationRequest

    from .factories import ParticipationRequestFactory

    return ParticipationRequestFactory(
        engagement=held, consultant=profile, status=ParticipationRequest.Status.ACCEPTED
    )
