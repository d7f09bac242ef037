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
    return {"second": second, "board": board}
