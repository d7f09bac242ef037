"""A demo self-assessment for `make run`: a closed round a year ago with survivor raters paid
through an "assessment review" engagement, and an open round being answered. Idempotent."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from survivors import services as survivor_services
from survivors.models import (
    Compensation,
    EngagementKind,
    ParticipationRequest,
    PaymentMethod,
    PortalText,
)

from . import services
from .models import Answer, AssessmentRound, InstrumentVersion, Item, Rater, assessment_pages


def _demo_level(item, *, base, survivor, rater=0):
    """A plausible rating: some areas stronger than others, survivors a little more critical,
    raters not all of one mind (the results withhold a statement everyone rated alike), and
    now and then "not applicable"."""
    if item.position % 17 == 0:
        return None
    strong = {"training": 1, "cross_sector": 1, "financing": -1, "evaluation": -1}
    spread = (item.position + rater) % 3 - 1
    level = base + strong.get(item.key_area, 0) + spread - (1 if survivor else 0)
    return max(1, min(5, level))


def _posted_level(item):
    level = _demo_level(item, base=4, survivor=False)
    return "na" if level is None else str(level)


def _past_round(*, partnership, coordinator, survivors, version, title, days_ago, base):
    """A closed round from the past. Its survivor raters took part through a completed and
    paid "assessment review" engagement, as a real round's would."""

    closed = timezone.now() - timedelta(days=days_ago)
    engagement = survivor_services.create_engagement(
        partnership=partnership,
        actor=coordinator,
        portal_text=PortalText.ASSESSMENT_REVIEW,
        portal_text_subject=title,
        kind=EngagementKind.ASSESSMENT_REVIEW,
        starts_at=closed - timedelta(hours=1),
        ends_at=closed - timedelta(hours=1),
        response_deadline=closed - timedelta(days=14),
        estimated_hours=Decimal("2"),
        compensation_amount=Decimal("60.00"),
        seats=len(survivors),
    )
    assessment_round = AssessmentRound.objects.create(
        partnership=partnership,
        version=version,
        title=title,
        closes_on=timezone.localdate(closed),
        opened_by=coordinator,
        opened_at=closed - timedelta(days=21),
        closed_at=closed,
        closed_by=coordinator,
        engagement=engagement,
    )
    items = list(version.items.all())
    raters = [Rater.objects.create(round=assessment_round, user=coordinator, kind="staff")]
    records = {}
    for profile in survivors:
        request = ParticipationRequest.objects.create(
            engagement=engagement,
            consultant=profile,
            sent_by=coordinator,
            status=ParticipationRequest.Status.ACCEPTED,
            answered_at=closed - timedelta(days=18),
        )
        raters.append(
            Rater.objects.create(
                round=assessment_round,
                user=profile.user,
                kind="survivor",
                participation_request=request,
            )
        )
        records[request.pk] = {
            "hours_worked": Decimal("2"),
            "preparation_hours": Decimal("0"),
            "travel_hours": Decimal("0"),
            "expenses": [],
        }
    Answer.objects.bulk_create(
        Answer(
            rater=rater,
            item=item,
            level=_demo_level(item, base=base, survivor=rater.kind == "survivor", rater=index),
        )
        for index, rater in enumerate(raters)
        for item in items
    )
    survivor_services.complete_engagement(
        engagement=engagement, actor=coordinator, records=records, now=closed
    )
    for compensation in Compensation.objects.filter(request__engagement=engagement):
        survivor_services.mark_compensation_paid(
            compensation=compensation,
            actor=coordinator,
            paid_on=timezone.localdate(closed) + timedelta(days=10),
            method=PaymentMethod.DIRECT_DEPOSIT,
            reference="ACH assessment",
        )
    return assessment_round


def load_demo_assessment(*, partnership, coordinator, profiles):
    """Two closed rounds (a year and half a year ago, so trends show) and one open round
    with partial answers: the coordinator and Maya R., who accepted the request, are part
    way through. Made once per partnership."""

    version = InstrumentVersion.objects.filter(is_current=True).first()
    if version is None or AssessmentRound.objects.filter(partnership=partnership).exists():
        return None
    survivors = [
        profiles[email]
        for email in ["consultant@demo.local", "consultant2@demo.local", "consultant4@demo.local"]
        if email in profiles
    ]
    for title, days_ago, base in [("Autumn survey", 365, 2), ("Spring survey", 180, 3)]:
        _past_round(
            partnership=partnership,
            coordinator=coordinator,
            survivors=survivors,
            version=version,
            title=title,
            days_ago=days_ago,
            base=base,
        )
    current = services.open_assessment_round(
        partnership=partnership,
        actor=coordinator,
        title="This season",
        closes_on=timezone.localdate() + timedelta(days=21),
    )
    raters = [coordinator]
    if survivors:
        try:
            requests = services.invite_consultants_to_round(
                assessment_round=current,
                actor=coordinator,
                consultants=survivors[:1],
                estimated_hours=Decimal("2"),
                compensation_amount=Decimal("60.00"),
            )
            for request in requests:
                survivor_services.accept_request(
                    request=request, actor=request.consultant.user, consent={}
                )
                raters.append(request.consultant.user)
        except (services.AssessmentError, survivor_services.EngagementError):
            pass  # the consultant's capacity is full this month: the round goes on without
    pages = [page for page, _label in assessment_pages()]
    for user, answered_pages in zip(raters, [pages[:4], pages[:2]], strict=False):
        for page in answered_pages:
            items = Item.objects.filter(version=version).in_page(page)
            services.save_answers(
                assessment_round=current,
                actor=user,
                page=page,
                answers={item.pk: (_posted_level(item), "") for item in items},
            )
    return current
