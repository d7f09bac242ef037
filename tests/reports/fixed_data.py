"""A small partnership history with figures worked out by hand (tests/reports/test_figures.py).

Quarter 1 of 2025 is the report's period; quarter 4 of 2024 the one before. The consultants
carry distinctive display and legal names, so that a test can search every output for them.
"""

from datetime import date, datetime, time
from decimal import Decimal

from django.utils import timezone

from assessment.models import Answer, AssessmentRound, InstrumentVersion, Item, Rater
from reports.models import ReportFile
from survivors.models import Compensation, ParticipationRequest, PrivateDetails
from tests.assessment.assessment_helpers import ensure_instrument
from tests.partnerships.factories import MembershipFactory, RecommendationFactory
from tests.survivors.factories import ConsultantProfileFactory, EngagementFactory
from tests.toolkit_portal.factories import CoordinatorFactory
from trainings.models import Evaluation, TrainingRecord

S = ParticipationRequest.Status
NAMES = {
    "a": ("Zephyrine Quillfeather", "Marisol Oyelaran-Testlegal"),
    "b": ("Obadiah Thistlewood", "Ingrid Vasquez-Testlegal"),
    "c": ("Perpetua Lanternfish", "Hyacinth Okonkwo-Testlegal"),
    "d": ("Wenceslas Brightwater", "Temperance Adeyemi-Testlegal"),
}


def moment(day, hour=10):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def build(partnership, coordinator):
    profiles = {}
    for key, (display, legal) in NAMES.items():
        profile = ConsultantProfileFactory(display_name=display, monthly_capacity=10)
        PrivateDetails.objects.create(profile=profile, legal_name=legal)
        profiles[key] = profile
    a, b, c, d = (profiles[k] for k in "abcd")

    def engagement(day, **fields):
        return EngagementFactory(
            partnership=partnership,
            created_by=coordinator,
            starts_at=moment(day),
            ends_at=moment(day, 12),
            response_deadline=moment(day, 9),
            **fields,
        )

    def ask(eng, profile, status, sent, **fields):
        return ParticipationRequest.objects.create(
            engagement=eng,
            consultant=profile,
            status=status,
            sent_at=moment(sent),
            consent_name_to_use=profile.display_name,
            **fields,
        )

    def pay(request, amount, paid_on=None, method="", expenses=Decimal("0")):
        return Compensation.objects.create(
            request=request,
            partnership=partnership,
            consultant=request.consultant,
            fee=amount,
            expenses_total=expenses,
            amount=amount,
            due_on=timezone.localdate(request.engagement.completed_at).replace(day=22)
            if paid_on is None
            else paid_on,
            status=Compensation.Status.PAID if paid_on else Compensation.Status.DUE,
            paid_on=paid_on,
            paid_method=method,
        )

    # Quarter 1 of 2025.
    sent = date(2025, 1, 15)
    e1 = engagement(date(2025, 2, 10), kind="consultation", roles_needed=["feedback"], seats=3)
    e2 = engagement(date(2025, 2, 12), kind="panel", roles_needed=["training", "advocacy"], seats=1)
    e3 = engagement(date(2025, 2, 20), kind="training", roles_needed=["training"], seats=3)
    e4 = engagement(date(2025, 3, 5), kind="consultation")
    h = Decimal
    a1 = ask(
        e1, a, S.COMPLETED, sent, hours_worked=h(2), preparation_hours=h(1), travel_hours=h("0.5")
    )
    b1 = ask(e1, b, S.COMPLETED, sent, hours_worked=h(2), preparation_hours=h(1))
    ask(e1, c, S.DECLINED, sent, decline_reason="Zephyrine Quillfeather knows why")
    ask(e2, a, S.ACCEPTED, sent)
    a3 = ask(e3, a, S.COMPLETED, sent, hours_worked=h(3), preparation_hours=h(2), travel_hours=h(1))
    c3 = ask(e3, c, S.COMPLETED, sent, hours_worked=h(3), preparation_hours=h(1))
    ask(e3, d, S.EXPIRED, sent)
    ask(e4, d, S.PENDING, sent)
    for eng, hour in ((e1, 14), (e3, 14)):
        eng.status = "completed"
        eng.completed_at = moment(eng.starts_at.date(), hour)
        eng.save()
    pay(a1, h(150), date(2025, 3, 2), "check")  # 20 days
    pay(b1, h(150), date(2025, 3, 12), "direct_deposit", expenses=h(20))  # 30 days
    pay(a3, h(200), date(2025, 3, 22), "check")  # 30 days
    pay(c3, h(200))  # due 2025-02-22, unpaid: overdue

    # Quarter 4 of 2024: four consultants, once each, all paid.
    e0 = engagement(date(2024, 11, 5), kind="consultation", roles_needed=["feedback"], seats=4)
    e0.status = "completed"
    e0.completed_at = moment(date(2024, 11, 5), 14)
    e0.save()
    for profile, paid_on, method in (
        (a, date(2024, 11, 15), "check"),
        (b, date(2024, 11, 25), "check"),
        (c, date(2024, 12, 5), "direct_deposit"),
        (d, date(2024, 12, 15), "gift_card"),
    ):
        request = ask(e0, profile, S.COMPLETED, date(2024, 10, 20), hours_worked=h(1))
        pay(request, h(100), paid_on, method)

    # Training by the partnership's staff (a consultant's own record is never counted).
    member = CoordinatorFactory(email="member.reports@example.org")
    MembershipFactory(partnership=partnership, user=member, role="member")
    MembershipFactory(partnership=partnership, user=a.user, role="member")
    from tests.trainings.factories import TrainingFactory, TrainingRequestFactory

    course = TrainingFactory(key_areas=["governance", "training"], principles=["safety"])
    record = TrainingRecord.objects.create(
        person=coordinator, training=course, completed_on=date(2025, 2, 1), hours=h(4)
    )
    Evaluation.objects.create(record=record, rating=4)
    TrainingRecord.objects.create(
        person=member, training=course, completed_on=date(2025, 3, 3), hours=h(2)
    )
    TrainingRecord.objects.create(
        person=a.user, training=course, completed_on=date(2025, 2, 2), hours=h(8)
    )
    TrainingRequestFactory(
        partnership=partnership,
        training=course,
        status="held",
        scheduled_for=date(2025, 3, 1),
        preferred_from=date(2025, 2, 1),
        preferred_until=date(2025, 3, 1),
    )

    # A self-assessment round closed in March 2025: governance rated 4 and 2 by two staff.
    ensure_instrument()
    version = InstrumentVersion.objects.get(is_current=True)
    assessment_round = AssessmentRound.objects.create(
        partnership=partnership,
        version=version,
        title="Winter 2025",
        closes_on=date(2025, 3, 20),
        opened_at=moment(date(2025, 2, 1)),
        closed_at=moment(date(2025, 3, 15)),
    )
    governance = list(Item.objects.filter(version=version, key_area="governance"))
    for person, level in ((coordinator, 4), (member, 2)):
        rater = Rater.objects.create(round=assessment_round, user=person, kind="staff")
        Answer.objects.bulk_create(
            Answer(rater=rater, item=item, level=level) for item in governance
        )

    # "You said, we did": four recommendations in the quarter.
    for status in ("received", "under_consideration", "adopted", "adopted"):
        recommendation = RecommendationFactory(
            partnership=partnership, consultant=b, status=status, text="Pay for preparation."
        )
        recommendation.created_at = moment(date(2025, 2, 25))
        recommendation.save()
    return profiles


def first_quarter_file(partnership, requested_by, **fields):
    """A report file of the period, quarter 1 of 2025, as its requester asked for it."""
    return ReportFile.objects.create(
        requested_by=requested_by,
        partnership=partnership,
        period_start=date(2025, 1, 1),
        period_end=date(2025, 3, 31),
        period_code="2025-Q1",
        **fields,
    )
