"""Demo partnerships for `make run`: organizations across sectors, goals in each status, a
survivor leader board with a term ending soon, recommendations in each status, and an open
and a closed position. Idempotent: running it again changes nothing."""

from datetime import timedelta

from django.utils import timezone

from toolkit_portal.vocabulary import FourP, Sector

from .models import (
    Board,
    BoardMember,
    Goal,
    Membership,
    Organization,
    Partnership,
    Position,
    Recommendation,
)

SECOND_SLUG = "western-slope-task-force"

ORGANIZATIONS = {
    "front-range-task-force": [
        ("Front Range Police Department", Sector.LAW_ENFORCEMENT, "lead"),
        ("District Attorney's Office", Sector.PROSECUTION, "member"),
        ("Safe Harbor Advocates", Sector.VICTIM_SERVICES, "lead"),
        ("Survivors Rising Collective", Sector.SURVIVOR_LED, "member"),
        ("Front Range Health", Sector.HEALTH_CARE, "member"),
        ("County Schools", Sector.EDUCATION, "member"),
    ],
    SECOND_SLUG: [
        ("Mesa County Sheriff", Sector.LAW_ENFORCEMENT, "member"),
        ("Western Slope Child Welfare", Sector.CHILD_WELFARE, "lead"),
        ("Valley Faith Network", Sector.FAITH_COMMUNITY, "member"),
        ("Grand Valley Legal Aid", Sector.LEGAL_SERVICES, "member"),
    ],
}

GOALS = [
    ("Train every school counsellor to recognise the signs", FourP.PREVENTION, "in_progress", 120),
    ("Open a 24/7 survivor drop-in space", FourP.PROTECTION, "planned", 300),
    ("Trauma-informed interview protocol for investigators", FourP.PROSECUTION, "achieved", -30),
    ("Shared referral agreement with health partners", FourP.PARTNERSHIP, "in_progress", -10),
    ("Billboard campaign on the I-25 corridor", FourP.PREVENTION, "dropped", -60),
]

RECOMMENDATIONS = [
    ("Meet somewhere other than the police station.", "adopted", "We moved to the library."),
    ("Pay preparation time at the same rate.", "under_consideration", "On March's agenda."),
    ("Offer childcare during evening meetings.", "not_adopted", "No budget this year; asked."),
    ("Send the agenda a week ahead, with content notes.", "received", ""),
]


def load_demo_partnerships(*, partnership, coordinator, profiles):
    today = timezone.localdate()
    now = timezone.now()
    Partnership.objects.filter(pk=partnership.pk, areas_served="").update(
        areas_served="Denver, Adams, Arapahoe, Jefferson",
        focus=[FourP.PREVENTION, FourP.PROTECTION, FourP.PARTNERSHIP],
        year_established=2012,
        contact_name="Task force coordinator",
        contact_email="coordinator@demo.local",
    )
    second, _ = Partnership.objects.get_or_create(
        slug=SECOND_SLUG,
        defaults={
            "name": "Western Slope Anti-Trafficking Partnership",
            "summary": "A demo partnership of rural agencies and faith communities.",
            "is_listed": True,
            "areas_served": "Mesa, Delta, Montrose",
            "focus": [FourP.PROTECTION, FourP.PROSECUTION],
            "year_established": 2019,
        },
    )
    Membership.objects.get_or_create(
        partnership=second, user=coordinator, defaults={"role": Membership.Role.COORDINATOR}
    )
    for target in (partnership, second):
        for name, sector, role in ORGANIZATIONS[target.slug]:
            Organization.objects.get_or_create(
                partnership=target,
                name=name,
                defaults={
                    "sector": sector,
                    "role": role,
                    "mou_signed_on": today - timedelta(days=400),
                },
            )
    for title, four_p, status, days in GOALS:
        Goal.objects.get_or_create(
            partnership=partnership,
            title=title,
            defaults={
                "four_p": four_p,
                "status": status,
                "target_date": today + timedelta(days=days),
                "owner": "Working group",
                "strategy": "Agreed at the annual planning meeting.",
            },
        )
    Goal.objects.get_or_create(
        partnership=second,
        title="Rural transport for survivors to court dates",
        defaults={"four_p": FourP.PROTECTION, "status": "planned"},
    )
    people = list(profiles.values())
    board, _ = Board.objects.get_or_create(
        partnership=partnership,
        name="Survivor Leader Board",
        defaults={"survivor_seats": 3, "term_months": 18},
    )
    for profile, ends_in in zip(people[:2], [20, 400], strict=False):
        BoardMember.objects.get_or_create(
            board=board,
            consultant=profile,
            defaults={
                "term_starts_on": today + timedelta(days=ends_in) - timedelta(days=540),
                "term_ends_on": today + timedelta(days=ends_in),
            },
        )
    if people:
        for text, status, response in RECOMMENDATIONS:
            Recommendation.objects.get_or_create(
                partnership=partnership,
                text=text,
                defaults={
                    "consultant": people[0],
                    "status": status,
                    "response": response,
                    "answered_by": coordinator if response else None,
                    "answered_at": now if response else None,
                },
            )
    for title, closes_in in [("Survivor program lead", 30), ("Peer navigator", -5)]:
        Position.objects.get_or_create(
            partnership=partnership,
            title=title,
            defaults={
                "organization": "Safe Harbor Advocates",
                "schedule": Position.Schedule.FULL_TIME,
                "pay_range": "$52,000–$60,000 a year",
                "how_to_apply": "Email a short letter to jobs@safeharbor.example.",
                "closes_on": today + timedelta(days=closes_in),
                "lived_experience_counts": True,
                "created_by": coordinator,
            },
        )
    load_demo_assessment(partnership=partnership, coordinator=coordinator, profiles=profiles)
    return {"second": second, "board": board}


# The trauma-informed self-assessment ---------------------------------------------------------


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
    from decimal import Decimal

    from survivors import services as survivor_services
    from survivors.models import Compensation, EngagementKind, ParticipationRequest, PaymentMethod

    from .models import Answer, AssessmentRound, Rater

    closed = timezone.now() - timedelta(days=days_ago)
    engagement = survivor_services.create_engagement(
        partnership=partnership,
        actor=coordinator,
        title=f"Self-assessment review: {title}",
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
    from . import services
    from .models import AssessmentRound, InstrumentVersion, Item, assessment_pages

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
        from decimal import Decimal

        from survivors import services as survivor_services

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
        except (services.PartnershipError, survivor_services.EngagementError):
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
