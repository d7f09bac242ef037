"""Fill a database with data at the scale of a whole state, for benchmarks and load tests.

    python manage.py seed_scale --consultants 10000 --partnerships 500 --requests 200000

Rows are written with bulk inserts, with a line of progress per step. The data look like a
portal that has run for a few years: listed and unlisted consultants, engagements and
participation requests in every status, compensation records (paid, due, overdue, reported
not received), a training catalog with records and ratings, and the notifications that the
reminder sweep would have recorded — except for the newest requests, which the next sweep
finds. Refused in production and on a database that already holds seeded rows.

The accounts the benchmark and the load test sign in as (all with SEED_PASSWORD):
    scale-admin@scale.example        a portal admin (sees every partnership)
    scale-coordinator-0@…            coordinates the largest partnership
    scale-coordinator-1@…            coordinates a partnership with about a hundred rows
    scale-coordinator-N@…            one coordinator for each other partnership
    scale-consultant-N@…             consultants
"""

import random
import time
from datetime import timedelta
from decimal import Decimal

from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from partnerships.models import Membership, Partnership
from survivors.models import (
    Availability,
    Compensation,
    CompensationPolicy,
    ConsultantProfile,
    Engagement,
    EngagementKind,
    ParticipationRequest,
    PaymentMethod,
    RateCardEntry,
)
from toolkit_portal.models import Notification, Role, User
from toolkit_portal.notifications import sweep
from toolkit_portal.vocabulary import FourP, SurvivorRole
from trainings.choices import Cost, Delivery, Format, Topic
from trainings.models import Evaluation, Provider, Training, TrainingRecord

SEED_DOMAIN = "scale.example"
SEED_PASSWORD = "scale-password-2026"  # noqa: S105 — seeded test accounts only
# The TOTP secret of the seeded admin and coordinators (they must use a second factor).
SEED_TOTP_SECRET = "JBSWY3DPEHPK3PXP"  # noqa: S105
BATCH = 5000
# The share of requests sent after the last sweep: the next sweep records their reminders.
FRESH_SHARE = 0.01

FIRST_NAMES = [
    "Maya", "Ana", "Jordan", "Sam", "River", "Alex", "Rosa", "Lena", "Noor", "Kim", "Dana",
    "Luz", "Tasha", "Imani", "Mei", "Sofia", "Amara", "Jess", "Carmen", "Ivy", "Nia", "Zoe",
    "Paz", "Ruth", "Hana", "Mara", "Tess", "Yara", "Lupe", "Drew",
]  # fmt: skip
LANGUAGES = [
    "English", "Spanish", "Vietnamese", "Somali", "Arabic", "Korean", "Tagalog", "Russian",
    "Amharic", "French", "Nepali", "Swahili", "Navajo", "Mandarin", "Portuguese",
]  # fmt: skip
AREAS = [
    "Denver", "Aurora", "Boulder", "Colorado Springs", "Pueblo", "Fort Collins", "Greeley",
    "Grand Junction", "Durango", "Alamosa", "Lakewood", "Longmont", "Loveland", "Sterling",
    "Trinidad", "Montrose", "Glenwood Springs", "Steamboat Springs", "La Junta", "Statewide",
]  # fmt: skip
ENGAGEMENT_TOPICS = [
    "Listening session", "Outreach materials review", "Protocol review", "Panel on recovery",
    "Training for advocates", "Board meeting", "Mentoring circle", "Screening tool review",
    "Shelter walkthrough", "Policy roundtable", "Assessment debrief", "Community forum",
]  # fmt: skip
TRAINING_WORDS = [
    "trauma-informed", "labor trafficking", "sex trafficking", "screening", "youth",
    "interviewing", "victim-centered", "supervision", "self-care", "survivor leadership",
    "law enforcement", "health care", "prosecution", "shelter", "housing", "immigration",
    "case management", "data collection", "outreach", "peer support", "ethics", "boundaries",
]  # fmt: skip
SENTENCES = [
    "Participants practise recognising the signs of exploitation in their daily work.",
    "Built with survivor leaders, it centres consent, choice and safety.",
    "Covers interviewing without retraumatising and referring with care.",
    "Explains the federal and state law and how cases reach court.",
    "Includes exercises on boundaries, secondary trauma and team support.",
    "For staff who meet young people in schools, clinics and shelters.",
    "Shows how partnerships share data without exposing survivors.",
]


class Command(BaseCommand):
    help = "Fill the database with data at the scale of a state (bulk inserts, progress shown)."

    def add_arguments(self, parser):
        parser.add_argument("--consultants", type=int, default=10000)
        parser.add_argument("--partnerships", type=int, default=500)
        parser.add_argument("--requests", type=int, default=200000)
        parser.add_argument(
            "--trainings", type=int, default=None, help="Default: a fifth of the consultants."
        )
        parser.add_argument("--seed", type=int, default=2026, help="Random seed.")
        parser.add_argument(
            "--no-sweep",
            action="store_true",
            help="Do not record the reminders already due (every request then counts as new).",
        )

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("Scale data is never loaded when DJANGO_ENV=production.")
        consultants, partnerships, requests = (
            options["consultants"],
            options["partnerships"],
            options["requests"],
        )
        if consultants < 10 or partnerships < 2 or requests < 1:
            raise CommandError(
                "Give at least 10 consultants, 2 partnerships (a large and a small one) "
                "and 1 request."
            )
        if User.objects.filter(email__endswith="@" + SEED_DOMAIN).exists():
            raise CommandError(
                "This database already holds seeded rows: seed an empty database "
                "(for example: dropdb, createdb, migrate)."
            )
        trainings = options["trainings"]
        if trainings is None:
            trainings = max(20, consultants // 5)
        self.rng = random.Random(options["seed"])
        self.now = timezone.now().replace(second=0, microsecond=0)
        self.started = time.monotonic()
        self.password = make_password(SEED_PASSWORD)

        with transaction.atomic():
            admin, coordinators = self.seed_staff(partnerships)
            profiles = self.seed_consultants(consultants)
            parts = self.seed_partnerships(partnerships, coordinators)
            engagement_rows = self.seed_engagements(parts, coordinators, requests)
            fresh = max(1, int(requests * FRESH_SHARE)) if not options["no_sweep"] else 0
            self.seed_requests(engagement_rows, profiles, requests - fresh, coordinators)
            self.seed_trainings(trainings, profiles)
            self.seed_assessments(parts, coordinators)
        if not options["no_sweep"]:
            self.say("recording the reminders already due (one sweep)")
            with transaction.atomic():
                found, _queued = sweep(self.now, enqueue=False)
            self.say(f"  {found} notifications recorded")
            # They went out long ago, and people read most of what reaches their inbox.
            sent = Notification.objects.filter(status=Notification.Status.PENDING)
            sent.update(status=Notification.Status.SENT, sent_at=self.now)
            Notification.objects.annotate(rest=F("id") % 20).exclude(rest=0).update(
                read_at=self.now
            )
            with transaction.atomic():
                self.seed_fresh_requests(engagement_rows, profiles, fresh, coordinators)
        # As autovacuum would after a while: statistics for the planner, and the visibility
        # map that lets counts read an index alone. (VACUUM cannot run in a transaction.)
        statement = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
        self.say(f"updating the planner's statistics ({statement})")
        with connection.cursor() as cursor:
            cursor.execute(statement)
        self.say(self.style.SUCCESS(f"done: sign in as scale-admin@{SEED_DOMAIN}"))

    # Helpers -----------------------------------------------------------------------------

    def say(self, message):
        elapsed = time.monotonic() - self.started
        self.stdout.write(f"[{elapsed:6.1f}s] {message}")
        self.stdout.flush()

    def bulk(self, model, rows, label):
        total = len(rows)
        for start in range(0, total, BATCH):
            model.objects.bulk_create(rows[start : start + BATCH], batch_size=BATCH)
            if total > BATCH:
                self.say(f"  {label}: {min(start + BATCH, total)}/{total}")
        if total <= BATCH:
            self.say(f"  {label}: {total}")
        return rows

    def users(self, emails, role, **fields):
        users = [User(email=email, role=role, password=self.password, **fields) for email in emails]
        self.bulk(User, users, f"{role} accounts")
        EmailAddress.objects.bulk_create(
            [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users],
            batch_size=BATCH,
        )
        return users

    # Steps -------------------------------------------------------------------------------

    def seed_staff(self, partnerships):
        self.say("admin and coordinators")
        (admin,) = self.users(
            [f"scale-admin@{SEED_DOMAIN}"],
            Role.ADMIN,
            is_staff=True,
            is_superuser=True,
            approved_at=self.now,
        )
        coordinators = self.users(
            [f"scale-coordinator-{i}@{SEED_DOMAIN}" for i in range(partnerships)],
            Role.COORDINATOR,
            approved_at=self.now,
        )
        for user in [admin, *coordinators]:
            TOTP.activate(user, SEED_TOTP_SECRET)
        return admin, coordinators

    def seed_consultants(self, count):
        self.say("consultants")
        users = self.users(
            [f"scale-consultant-{i}@{SEED_DOMAIN}" for i in range(count)], Role.CONSULTANT
        )
        rng = self.rng
        roles = list(SurvivorRole.values)
        profiles = []
        for i, user in enumerate(users):
            availability = rng.choices(
                [Availability.OPEN, Availability.LIMITED, Availability.PAUSED], [70, 20, 10]
            )[0]
            profiles.append(
                ConsultantProfile(
                    user=user,
                    display_name=f"{rng.choice(FIRST_NAMES)} {chr(65 + i % 26)}. {i}",
                    bio=rng.choice(SENTENCES),
                    roles=rng.sample(roles, rng.randint(1, 3)),
                    languages=["English", *rng.sample(LANGUAGES[1:], rng.choice([0, 0, 1, 2]))],
                    areas_served=rng.sample(AREAS, rng.randint(1, 3)),
                    works_remote=rng.random() < 0.8,
                    works_in_person=rng.random() < 0.5,
                    monthly_capacity=rng.randint(1, 6),
                    availability=availability,
                    paused_until=(
                        self.now.date() + timedelta(days=rng.randint(5, 90))
                        if availability == Availability.PAUSED
                        else None
                    ),
                    criminal_justice_opt_in=rng.random() < 0.3,
                    is_listed=rng.random() < 0.8,
                    preferred_rate=Decimal(rng.choice([50, 60, 75, 90, 100])),
                )
            )
        return self.bulk(ConsultantProfile, profiles, "consultant profiles")

    def seed_partnerships(self, count, coordinators):
        self.say("partnerships")
        rng = self.rng
        parts = [
            Partnership(
                name=(
                    "Statewide Anti-Trafficking Task Force"
                    if i == 0
                    else f"{rng.choice(AREAS)} Partnership {i}"
                ),
                slug=f"scale-{i}",
                summary=rng.choice(SENTENCES),
                areas_served=", ".join(rng.sample(AREAS, 2)),
                focus=rng.sample(list(FourP.values), 2),
                is_listed=rng.random() < 0.7,
            )
            for i in range(count)
        ]
        self.bulk(Partnership, parts, "partnerships")
        Membership.objects.bulk_create(
            [
                Membership(partnership=p, user=c, role=Membership.Role.COORDINATOR)
                for p, c in zip(parts, coordinators, strict=True)
            ],
            batch_size=BATCH,
        )
        policies = self.bulk(
            CompensationPolicy,
            [
                CompensationPolicy(partnership=p, payment_methods=list(PaymentMethod.values))
                for p in parts
            ],
            "compensation policies",
        )
        self.bulk(
            RateCardEntry,
            [
                RateCardEntry(policy=policy, kind=kind, hourly_rate=Decimal("75.00"))
                for policy in policies
                for kind in EngagementKind.values
            ],
            "rate card entries",
        )
        return parts

    def seed_engagements(self, parts, coordinators, requests):
        """Five requests an engagement on average. The first partnership holds a quarter of
        them; the second about a hundred; the rest share what is left."""
        self.say("engagements")
        total = max(len(parts), requests // 5)
        sizes = [0] * len(parts)
        sizes[0] = max(1, total // 4)
        sizes[1] = max(1, min(100, total // 100))
        for i in range(total - sizes[0] - sizes[1]):
            sizes[2 + i % (len(parts) - 2) if len(parts) > 2 else 0] += 1
        rng = self.rng
        rows = []
        for index, (partnership, size) in enumerate(zip(parts, sizes, strict=True)):
            for _n in range(size):
                # Three years back to six months ahead; most of a portal's rows are past.
                starts = self.now.replace(minute=0) + timedelta(
                    days=rng.randint(-1095, 180), hours=rng.randint(-6, 6)
                )
                past = starts < self.now
                if past:
                    status = rng.choices(
                        [Engagement.Status.COMPLETED, Engagement.Status.CANCELLED], [88, 12]
                    )[0]
                else:
                    status = rng.choices(
                        [Engagement.Status.OPEN, Engagement.Status.CANCELLED], [92, 8]
                    )[0]
                kind = rng.choice(EngagementKind.values)
                deadline = starts - timedelta(days=rng.randint(2, 10))
                if not past and deadline <= self.now:
                    deadline = self.now + (starts - self.now) / 2
                rows.append(
                    Engagement(
                        partnership=partnership,
                        created_by=coordinators[index],
                        title=f"{rng.choice(ENGAGEMENT_TOPICS)} {len(rows) + 1}",
                        kind=kind,
                        roles_needed=rng.sample(list(SurvivorRole.values), rng.randint(1, 2)),
                        description=rng.choice(SENTENCES),
                        mode=rng.choice(Engagement.Mode.values),
                        starts_at=starts,
                        ends_at=starts + timedelta(hours=rng.choice([1, 2, 3])),
                        estimated_hours=Decimal(rng.choice([1, 2, 3, 4])),
                        compensation_amount=Decimal(rng.choice([50, 75, 100])),
                        seats=rng.choice([1, 2, 2, 3, 5]) if kind != "panel" else 3,
                        response_deadline=deadline,
                        involves_criminal_justice=rng.random() < 0.1,
                        status=status,
                        completed_at=starts + timedelta(hours=4)
                        if status == Engagement.Status.COMPLETED
                        else None,
                        cancelled_at=starts - timedelta(days=1)
                        if status == Engagement.Status.CANCELLED
                        else None,
                    )
                )
        return self.bulk(Engagement, rows, "engagements")

    def _request_status(self, engagement):
        rng = self.rng
        S = ParticipationRequest.Status
        if engagement.status == Engagement.Status.CANCELLED:
            return rng.choices([S.CANCELLED, S.DECLINED], [85, 15])[0]
        if engagement.status == Engagement.Status.COMPLETED:
            return rng.choices([S.COMPLETED, S.DECLINED, S.EXPIRED, S.WITHDRAWN], [70, 15, 10, 5])[
                0
            ]
        # A few accepted ones whose terms changed since, waiting for the consultant.
        return rng.choices(
            [S.PENDING, S.ACCEPTED, S.CHANGED, S.DECLINED, S.CANCELLED], [40, 31, 4, 20, 5]
        )[0]

    def _requests_for(self, engagements, profiles, count, coordinators, *, fresh=False):
        rng = self.rng
        S = ParticipationRequest.Status
        coordinator_of = {}
        rows = []
        used = set()
        while len(rows) < count:
            engagement = rng.choice(engagements)
            profile = rng.choice(profiles)
            if (engagement.pk, profile.pk) in used:
                continue
            used.add((engagement.pk, profile.pk))
            status = S.PENDING if fresh else self._request_status(engagement)
            sent = engagement.response_deadline - timedelta(days=rng.randint(7, 21))
            if fresh:
                sent = self.now
            elif sent > self.now:
                sent = self.now - timedelta(hours=rng.randint(1, 48))
            answered = None
            if status not in (S.PENDING, S.EXPIRED, S.CANCELLED):
                answered = min(sent + timedelta(days=rng.randint(0, 5)), self.now)
            partnership_id = engagement.partnership_id
            if partnership_id not in coordinator_of:
                coordinator_of[partnership_id] = engagement.created_by_id
            rows.append(
                ParticipationRequest(
                    engagement=engagement,
                    consultant=profile,
                    status=status,
                    sent_by_id=coordinator_of[partnership_id],
                    sent_at=sent,
                    answered_at=answered,
                    closed_at=engagement.completed_at if status == S.COMPLETED else None,
                    consent_given_at=answered
                    if status in (S.ACCEPTED, S.CHANGED, S.COMPLETED)
                    else None,
                    terms_changed_at=self.now if status == S.CHANGED else None,
                    changed_terms=["compensation"] if status == S.CHANGED else [],
                    hours_worked=engagement.estimated_hours if status == S.COMPLETED else None,
                )
            )
        return rows

    def seed_requests(self, engagements, profiles, count, coordinators):
        self.say("participation requests")
        if not engagements:
            return
        self._existing_pairs = set()
        rows = self._requests_for(engagements, profiles, count, coordinators)
        self._existing_pairs = {(r.engagement_id, r.consultant_id) for r in rows}
        self.bulk(ParticipationRequest, rows, "participation requests")
        self.seed_compensation([r for r in rows if r.status == "completed"])

    def seed_fresh_requests(self, engagements, profiles, count, coordinators):
        """Requests sent since the last sweep, to open engagements whose answer is still due."""
        self.say("requests sent since the last sweep")
        waiting = [
            e
            for e in engagements
            if e.status == Engagement.Status.OPEN and e.response_deadline > self.now
        ]
        if not waiting or count < 1:
            return
        rows = []
        attempts = 0
        while len(rows) < count and attempts < count * 20:
            attempts += 1
            (row,) = self._requests_for(waiting, profiles, 1, None, fresh=True)
            key = (row.engagement_id, row.consultant_id)
            if key in self._existing_pairs:
                continue
            self._existing_pairs.add(key)
            rows.append(row)
        self.bulk(ParticipationRequest, rows, "fresh participation requests")

    def seed_compensation(self, completed):
        self.say("compensation records")
        rng = self.rng
        today = timezone.localdate(self.now)
        rows = []
        for request in completed:
            engagement = request.engagement
            due_on = (engagement.ends_at + timedelta(days=settings.COMPENSATION_DUE_DAYS)).date()
            fee = engagement.offered_amount_for()
            status = Compensation.Status.DUE
            paid_on = None
            if due_on < today - timedelta(days=10) or rng.random() < 0.3:
                status = rng.choices(
                    [
                        Compensation.Status.PAID,
                        Compensation.Status.DUE,
                        Compensation.Status.REOPENED,
                    ],
                    [94, 4, 2],
                )[0]
            if status == Compensation.Status.PAID:
                paid_on = min(due_on - timedelta(days=rng.randint(0, 25)), today)
            method = rng.choice(PaymentMethod.values)
            rows.append(
                Compensation(
                    request=request,
                    partnership_id=engagement.partnership_id,
                    consultant=request.consultant,
                    fee=fee,
                    amount=fee,
                    due_on=due_on,
                    status=status,
                    payment_method=method,
                    paid_on=paid_on,
                    paid_method=method if paid_on else "",
                    paid_reference=f"CHK-{rng.randint(1000, 99999)}" if paid_on else "",
                    marked_paid_by_id=engagement.created_by_id if paid_on else None,
                    reopened_at=self.now - timedelta(days=2)
                    if status == Compensation.Status.REOPENED
                    else None,
                )
            )
        self.bulk(Compensation, rows, "compensation records")

    def seed_trainings(self, count, profiles):
        self.say("training catalog")
        rng = self.rng
        providers = self.bulk(
            Provider,
            [Provider(name=f"Training provider {i}") for i in range(max(1, count // 20))],
            "providers",
        )
        trainings = []
        for i in range(count):
            words = rng.sample(TRAINING_WORDS, 2)
            title = f"{words[0].capitalize()} and {words[1]} {i}"
            trainings.append(
                Training(
                    title=title,
                    slug=f"scale-training-{i}",
                    provider=rng.choice(providers),
                    delivery=rng.choice(Delivery.values),
                    format=rng.choice(Format.values),
                    topics=rng.sample(list(Topic.values), 2),
                    cost=rng.choice(Cost.values),
                    on_site=rng.random() < 0.3,
                    length_hours=Decimal(rng.choice([1, 2, 4, 8, 16])),
                    description=" ".join(rng.sample(SENTENCES, 3)),
                    toolkit_notes=rng.choice(SENTENCES),
                    is_published=rng.random() < 0.9,
                    published_at=self.now,
                )
            )
        self.bulk(Training, trainings, "trainings")
        published = [t for t in trainings if t.is_published] or trainings
        records = [
            TrainingRecord(
                person_id=profile.user_id,
                training=rng.choice(published),
                completed_on=self.now.date() - timedelta(days=rng.randint(1, 1500)),
                hours=Decimal(rng.choice([1, 2, 4, 8])),
            )
            for profile in profiles
            for _n in range(rng.randint(0, 4))
        ]
        self.bulk(TrainingRecord, records, "training records")
        self.bulk(
            Evaluation,
            [
                Evaluation(
                    record=record,
                    rating=rng.randint(2, 5),
                    comment=rng.choice(["", "", "Useful and respectful.", "Too long."]),
                )
                for record in records
                if rng.random() < 0.4
            ],
            "evaluations",
        )

    def seed_assessments(self, parts, coordinators):
        """A closed self-assessment round a year ago and an open one, per partnership, each
        answered by its coordinator on every item of the current instrument."""
        try:
            from assessment.models import Answer, AssessmentRound, InstrumentVersion, Rater
        except ImportError:  # an installation without the self-assessment
            return
        version = InstrumentVersion.objects.filter(is_current=True).first()
        if version is None:
            self.say("self-assessment: no current instrument version, no rounds seeded")
            return
        self.say("self-assessment rounds")
        rng = self.rng
        items = list(version.items.all())
        today = timezone.localdate(self.now)
        rounds, raters = [], []
        for partnership, coordinator in zip(parts, coordinators, strict=True):
            for closed in (True, False):
                rounds.append(
                    AssessmentRound(
                        partnership=partnership,
                        version=version,
                        title=f"Self-assessment {today.year - closed}",
                        closes_on=today - timedelta(days=330) if closed else today + timedelta(30),
                        opened_by=coordinator,
                        opened_at=self.now - timedelta(days=400 if closed else 5),
                        closed_at=self.now - timedelta(days=330) if closed else None,
                        closed_by=coordinator if closed else None,
                    )
                )
                raters.append(Rater(round=rounds[-1], user=coordinator, kind=Rater.Kind.STAFF))
        self.bulk(AssessmentRound, rounds, "assessment rounds")
        self.bulk(Rater, raters, "raters")
        self.bulk(
            Answer,
            [
                Answer(rater=rater, item=item, level=rng.choice([None, 1, 2, 3, 3, 4, 4, 5]))
                for rater in raters
                for item in items
            ],
            "answers",
        )
