from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from survivors.models import (
    Compensation,
    ConsultantProfile,
    Engagement,
    EngagementKind,
    Expense,
    ParticipationRequest,
)
from tests.partnerships.factories import PartnershipFactory
from tests.toolkit_portal.factories import ConsultantFactory
from toolkit_portal.vocabulary import SurvivorRole


class ConsultantProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConsultantProfile

    user = factory.SubFactory(ConsultantFactory)
    display_name = factory.Sequence(lambda n: f"River {n}")
    roles = factory.LazyFunction(lambda: [SurvivorRole.FEEDBACK, SurvivorRole.TRAINING])
    languages = factory.LazyFunction(lambda: ["English"])
    areas_served = factory.LazyFunction(lambda: ["Denver"])
    monthly_capacity = 2
    is_listed = True


def _in_days(days, hour=10):
    moment = timezone.now() + timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


class EngagementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Engagement

    partnership = factory.SubFactory(PartnershipFactory)
    title = factory.Sequence(lambda n: f"Listening session {n}")
    kind = EngagementKind.CONSULTATION
    roles_needed = factory.LazyFunction(lambda: [SurvivorRole.FEEDBACK])
    starts_at = factory.LazyFunction(lambda: _in_days(10))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=2))
    estimated_hours = Decimal("2.00")
    compensation_amount = Decimal("75.00")
    seats = 2
    response_deadline = factory.LazyAttribute(lambda o: o.starts_at - timedelta(days=3))


class ParticipationRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ParticipationRequest

    engagement = factory.SubFactory(EngagementFactory)
    consultant = factory.SubFactory(ConsultantProfileFactory)


class CompensationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Compensation

    request = factory.SubFactory(
        ParticipationRequestFactory, status=ParticipationRequest.Status.COMPLETED
    )
    partnership = factory.LazyAttribute(lambda o: o.request.engagement.partnership)
    consultant = factory.LazyAttribute(lambda o: o.request.consultant)
    fee = Decimal("150.00")
    amount = Decimal("150.00")
    due_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))


class ExpenseFactory(factory.django.DjangoModelFactory):
    """A line she added herself, waiting for a decision."""

    class Meta:
        model = Expense

    request = factory.SubFactory(
        ParticipationRequestFactory, status=ParticipationRequest.Status.ACCEPTED
    )
    kind = Expense.Kind.MILEAGE
    amount = Decimal("24.50")
    note = "49 miles there and back"


def sent_engagement(*, partnership, coordinator, consultants, **fields):
    """An engagement of the partnership, its requests sent to the consultants by the
    coordinator through the service (its rules apply): (engagement, the requests sent)."""
    from survivors import services

    engagement = EngagementFactory(partnership=partnership, created_by=coordinator, **fields)
    sent = services.send_participation_requests(
        engagement=engagement, consultants=consultants, actor=coordinator
    )
    return engagement, sent


def complete(engagement, coordinator, request, *, hours="2", prep="0", travel="0", **record):
    """The coordinator completes the engagement with one consultant's hours; `record` adds
    her expense lines (`expenses`), the decisions on them (`decisions`) and `now`."""
    from survivors import services

    now = record.pop("now", None)
    record = {"decisions": {}} | record | {"expenses": list(record.get("expenses", ()))}
    hours = {"hours_worked": hours, "preparation_hours": prep, "travel_hours": travel}
    record |= {name: Decimal(value) for name, value in hours.items()}
    return services.complete_engagement(
        engagement=engagement, actor=coordinator, records={request.pk: record}, now=now
    )


def pay_by_check(compensation, coordinator, **extra):
    """The coordinator records the payment, by check, today."""
    from survivors import services
    from survivors.models import PaymentMethod

    return services.mark_compensation_paid(
        compensation=compensation,
        actor=coordinator,
        paid_on=timezone.localdate(),
        method=PaymentMethod.CHECK,
        **extra,
    )
