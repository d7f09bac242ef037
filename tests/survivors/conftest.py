"""Fixtures of the survivors tests: consultant A's accepted request for the engagement that
took place (`held`, in the root conftest)."""

import pytest


@pytest.fixture
def accepted(held, profile):
    """Consultant A's accepted request for it."""
    from survivors.models import ParticipationRequest

    from .factories import ParticipationRequestFactory

    return ParticipationRequestFactory(
        engagement=held, consultant=profile, status=ParticipationRequest.Status.ACCEPTED
    )
