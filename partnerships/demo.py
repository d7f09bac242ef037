"""Demo partnerships for `make run`: organizations across sectors, goals in each status, and
an open and a closed position (survivors.demo adds a board and recommendations). Idempotent:
running it again changes nothing."""

from datetime import timedelta

from django.utils import timezone

from toolkit_portal.vocabulary import FourP, Sector

from .models import (
    Goal,
    Membership,
    Organization,
    Partnership,
    Position,
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


def load_demo_partnerships(*, partnership, coordinator, profiles):
    today = timezone.localdate()
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
    return {"second": second}
