"""Demo consultants, engagements and compensation, so each rule has something to show.

Idempotent: profiles are updated in place, and the engagements are made once per partnership.
"""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from toolkit_portal.vocabulary import SurvivorRole

from . import services
from .models import (
    Availability,
    Board,
    BoardMember,
    CompensationPolicy,
    ConsultantProfile,
    Engagement,
    EngagementKind,
    ParticipationRequest,
    PaymentMethod,
    RateCardEntry,
    Recommendation,
)

Status = ParticipationRequest.Status

PROFILES = {
    "consultant@demo.local": {
        "display_name": "Maya R.",
        "pronouns": "she/her",
        "bio": "Survivor leader and trainer; ten years of peer mentoring and policy review.",
        "roles": [SurvivorRole.TRAINING, SurvivorRole.POLICY_REVIEW, SurvivorRole.MENTORING],
        "languages": ["English", "Spanish"],
        "areas_served": ["Denver", "Aurora"],
        "works_in_person": True,
        "preferred_rate": Decimal("75.00"),
        "monthly_capacity": 3,
        "is_listed": True,
    },
    "consultant2@demo.local": {
        "display_name": "Ana T.",
        "roles": [SurvivorRole.FEEDBACK, SurvivorRole.PROGRAM_DESIGN],
        "languages": ["English"],
        "areas_served": ["Colorado Springs"],
        "monthly_capacity": 1,  # at capacity this month (see below)
        "is_listed": True,
    },
    "consultant3@demo.local": {
        "display_name": "Jordan K.",
        "roles": [SurvivorRole.ADVOCACY, SurvivorRole.BOARD],
        "languages": ["English"],
        "areas_served": ["Boulder"],
        "availability": Availability.PAUSED,
        "is_listed": True,
    },
    "consultant4@demo.local": {
        "display_name": "Sam L.",
        "roles": [SurvivorRole.LOCAL_CONSULTING, SurvivorRole.FEEDBACK],
        "languages": ["English", "Vietnamese"],
        "areas_served": ["Statewide"],
        "criminal_justice_opt_in": True,
        "is_listed": True,
    },
    "consultant5@demo.local": {
        "display_name": "Private consultant",
        "roles": [SurvivorRole.MENTORING],
        "is_listed": False,
    },
}


def load_demo_consultants(users):
    today = timezone.localdate()
    profiles = {}
    for email, fields in PROFILES.items():
        fields = dict(fields)
        if fields.get("availability") == Availability.PAUSED:
            fields["paused_until"] = today + timedelta(days=30)
        profile, _ = ConsultantProfile.objects.update_or_create(
            user=users[email], defaults={**fields, "contact_email": email}
        )
        profiles[email] = profile
    return profiles


def load_demo_engagements(*, partnership, coordinator, profiles):
    policy, _ = CompensationPolicy.objects.get_or_create(
        partnership=partnership,
        defaults={
            "payment_methods": [
                PaymentMethod.CHECK,
                PaymentMethod.DIRECT_DEPOSIT,
                PaymentMethod.GIFT_CARD,
            ]
        },
    )
    for kind, _label in EngagementKind.choices:
        RateCardEntry.objects.get_or_create(
            policy=policy, kind=kind, defaults={"hourly_rate": Decimal("75.00")}
        )
    if Engagement.objects.filter(partnership=partnership).exists():
        return
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    # Engagements start at 10 in the morning, local time.
    morning = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0)
    maya = profiles["consultant@demo.local"]
    ana = profiles["consultant2@demo.local"]
    sam = profiles["consultant4@demo.local"]

    def engagement(title, kind, starts, **fields):
        return Engagement.objects.create(
            partnership=partnership,
            created_by=coordinator,
            title=title,
            kind=kind,
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            estimated_hours=Decimal("2"),
            compensation_amount=Decimal("75.00"),
            response_deadline=starts - timedelta(days=1),
            description=fields.pop("description", ""),
            **fields,
        )

    consent = {"consent_name_to_use": "Maya R.", "consent_off_limits": "My family"}

    # Pending an answer.
    outreach = engagement(
        "Review of outreach materials",
        EngagementKind.DOCUMENT_REVIEW,
        morning + timedelta(days=12),
        roles_needed=[SurvivorRole.FEEDBACK],
        description="Read our new outreach flyers and tell us what would put survivors off.",
        content_notes="The flyers describe recruitment by an intimate partner.",
    )
    ParticipationRequest.objects.create(engagement=outreach, consultant=maya, sent_by=coordinator)

    # Accepted, two days away.
    panel = engagement(
        "Community panel on labor trafficking",
        EngagementKind.PANEL,
        morning + timedelta(days=2),
        seats=2,
        mode=Engagement.Mode.IN_PERSON,
        location="Denver Central Library, Room B",
        roles_needed=[SurvivorRole.TRAINING],
    )
    accepted = ParticipationRequest.objects.create(
        engagement=panel, consultant=maya, sent_by=coordinator, status=Status.ACCEPTED
    )
    services.apply_consent(accepted, consent, now)

    # Ana is at the capacity she set this month.
    listening = engagement(
        "Listening session on shelter intake",
        EngagementKind.CONSULTATION,
        now + timedelta(hours=3),
        roles_needed=[SurvivorRole.FEEDBACK],
    )
    ParticipationRequest.objects.create(
        engagement=listening, consultant=ana, sent_by=coordinator, status=Status.ACCEPTED
    )

    # Completed: one compensation due soon, one overdue, one paid.
    for title, days_ago, paid in [
        ("Training for patrol officers", 25, False),
        ("Policy review: victim notification", 40, False),
        ("Mentoring circle", 60, True),
    ]:
        past = engagement(title, EngagementKind.TRAINING, morning - timedelta(days=days_ago))
        done = ParticipationRequest.objects.create(
            engagement=past, consultant=maya, sent_by=coordinator, status=Status.ACCEPTED
        )
        services.complete_engagement(
            engagement=past,
            actor=coordinator,
            records={
                done.pk: {
                    "hours_worked": Decimal("2"),
                    "preparation_hours": Decimal("1"),
                    "travel_hours": Decimal("0.5"),
                    "expenses": [{"kind": "mileage", "amount": Decimal("14.00"), "note": ""}],
                }
            },
            now=morning - timedelta(days=days_ago) + timedelta(hours=3),
        )
        if paid:
            services.mark_compensation_paid(
                compensation=done.compensation,
                actor=coordinator,
                paid_on=timezone.localdate() - timedelta(days=days_ago - 14),
                method=PaymentMethod.DIRECT_DEPOSIT,
                reference="ACH 2041",
            )

    # Cancelled, criminal-justice work that only Sam opted in to.
    court = engagement(
        "Court-process advisory meeting",
        EngagementKind.ADVISORY_MEETING,
        morning + timedelta(days=20),
        involves_criminal_justice=True,
        seats=3,
    )
    ParticipationRequest.objects.create(engagement=court, consultant=sam, sent_by=coordinator)
    services.cancel_engagement(engagement=court, actor=coordinator)


RECOMMENDATIONS = [
    ("Meet somewhere other than the police station.", "adopted", "We moved to the library."),
    ("Pay preparation time at the same rate.", "under_consideration", "On March's agenda."),
    ("Offer childcare during evening meetings.", "not_adopted", "No budget this year; asked."),
    ("Send the agenda a week ahead, with content notes.", "received", ""),
]


def load_demo_boards(*, partnership, coordinator, profiles):
    """A survivor leader board with a term ending soon, and recommendations in each status."""
    today = timezone.localdate()
    now = timezone.now()
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
    return {"board": board}
