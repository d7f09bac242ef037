"""Many rows at once, for query-count tests at 1,000 rows (factories would take minutes)."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from survivors.models import (
    Compensation,
    ConsultantProfile,
    Engagement,
    EngagementKind,
    ParticipationRequest,
)
from toolkit_portal.models import Role, User


def profiles(count, *, prefix="bulk"):
    users = User.objects.bulk_create(
        [User(email=f"{prefix}-{i}@example.org", role=Role.CONSULTANT) for i in range(count)]
    )
    return ConsultantProfile.objects.bulk_create(
        [
            ConsultantProfile(
                user=user,
                display_name=f"Listed {prefix} {i}",
                roles=["feedback"],
                languages=["English"],
                areas_served=["Denver"],
                is_listed=True,
            )
            for i, user in enumerate(users)
        ]
    )


def engagements(count, *, partnership, days=10):
    starts = timezone.now() + timedelta(days=days)
    return Engagement.objects.bulk_create(
        [
            Engagement(
                partnership=partnership,
                title=f"Bulk session {i}",
                kind=EngagementKind.CONSULTATION,
                starts_at=starts + timedelta(minutes=i),
                ends_at=starts + timedelta(minutes=i, hours=2),
                estimated_hours=Decimal("2"),
                compensation_amount=Decimal("75.00"),
                response_deadline=starts - timedelta(days=3),
            )
            for i in range(count)
        ]
    )


def requests(engagements_, *, consultant, status=ParticipationRequest.Status.PENDING):
    return ParticipationRequest.objects.bulk_create(
        [
            ParticipationRequest(engagement=e, consultant=consultant, status=status)
            for e in engagements_
        ]
    )


def compensation(count, *, partnership, consultant):
    completed = requests(
        engagements(count, partnership=partnership, days=-40),
        consultant=consultant,
        status=ParticipationRequest.Status.COMPLETED,
    )
    due_on = timezone.localdate()
    return Compensation.objects.bulk_create(
        [
            Compensation(
                request=request,
                partnership=partnership,
                consultant=consultant,
                fee=Decimal("150.00"),
                amount=Decimal("150.00"),
                due_on=due_on + timedelta(days=i % 40 - 20),
            )
            for i, request in enumerate(completed)
        ]
    )
