"""`make load`: simulated coordinators and consultants against gunicorn on the seeded data.

    DATABASE_URL=… REDIS_URL=… python -m bench.load [--users 50] [--seconds 120]

Each simulated person signs in (a session as after a sign-in with the second factor) and,
pausing one to five seconds between actions as a person reads, mixes reads and writes:
coordinators browse the directory, engagements, compensation and the catalog, send
participation requests and mark payments made; consultants read their requests and payments
and answer requests. Afterwards the database is counted: every write a client saw succeed
must be there (and no other). Passes with zero errors, p95 under 300 ms and no lost write.
"""

import argparse
import random
import statistics
import sys
import threading
import time
import uuid

from . import server

P95_GOAL_MS = 300
# A person's pause between two clicks (as locust's usual `between(1, 5)`).
THINK_SECONDS = (1.0, 5.0)


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.latencies = []
        self.errors = []
        self.writes = {"invite": 0, "paid": 0, "answer": 0}
        self.refused = 0

    def timed(self, base, path, key, expect, **kwargs):
        started = time.perf_counter()
        try:
            status, body, headers = server.fetch(base, path, key, full=True, **kwargs)
        except OSError as error:
            status, body, headers = None, repr(error), {}
        elapsed = (time.perf_counter() - started) * 1000
        with self.lock:
            self.latencies.append(elapsed)
            if status not in expect:
                self.errors.append(f"{kwargs.get('method', 'GET')} {path}: {status}")
        return status, body, headers


def coordinator(base, stats, person, deadline, rng, run_id):
    key, csrf = person["session"], person["csrf"]
    reads = [
        "/",
        "/consultants/",
        "/consultants/?availability=open",
        "/engagements/",
        "/engagements/compensation/",
        "/engagements/compensation/?status=unpaid",
        "/trainings/?q=trauma",
        "/inbox/",
    ]
    while time.monotonic() < deadline:
        time.sleep(rng.uniform(*THINK_SECONDS))  # a person reads before the next click
        roll = rng.random()
        if roll < 0.15 and person["engagements"] and person["profiles"]:
            engagement = rng.choice(person["engagements"])
            profile = person["profiles"].pop()
            status, _, headers = stats.timed(
                base,
                f"/consultants/{profile}/invite/",
                key,
                {200, 302},  # 200: asks to confirm a single seat at a group engagement
                method="POST",
                data={"engagement": engagement},
                csrf=csrf,
            )
            if status == 200:
                with stats.lock:
                    stats.refused += 1
            elif status == 302:
                # Success and refusal both return to the engagement; its page says which
                # (the message travels in a cookie, as in a browser).
                _s, body, _h = stats.timed(
                    base,
                    f"/engagements/{engagement}/",
                    key,
                    {200},
                    cookies=server.set_cookies(headers),
                )
                with stats.lock:
                    if "Participation request sent" in body:
                        stats.writes["invite"] += 1
                    else:
                        stats.refused += 1
        elif roll < 0.25 and person["unpaid"]:
            record = person["unpaid"].pop()
            status, _, _h = stats.timed(
                base,
                f"/engagements/compensation/{record}/paid/",
                key,
                {302},
                method="POST",
                data={
                    "paid_on": time.strftime("%Y-%m-%d"),
                    "method": "check",
                    "reference": run_id,
                },
                csrf=csrf,
            )
            if status == 302:
                with stats.lock:
                    stats.writes["paid"] += 1
        else:
            stats.timed(base, rng.choice(reads), key, {200})


def consultant(base, stats, person, deadline, rng, run_id):
    key, csrf = person["session"], person["csrf"]
    reads = ["/me/requests/", "/me/compensation/", "/me/profile/", "/trainings/", "/inbox/"]
    while time.monotonic() < deadline:
        time.sleep(rng.uniform(*THINK_SECONDS))
        if rng.random() < 0.2 and person["pending"]:
            request = person["pending"].pop()
            stats.timed(base, f"/me/requests/{request}/", key, {200})
            if rng.random() < 0.5:
                path = f"/me/requests/{request}/accept/"
                data = {"consent-consent_name_to_use": "", "consent-consent_off_limits": ""}
            else:
                path = f"/me/requests/{request}/decline/"
                data = {"decline-reason": ""}
            status, _, _h = stats.timed(
                base, path, key, {200, 302}, method="POST", data=data, csrf=csrf
            )
            with stats.lock:
                if status == 302:
                    stats.writes["answer"] += 1
                else:
                    stats.refused += 1  # e.g. accepting beyond the capacity they set
        else:
            stats.timed(base, rng.choice(reads), key, {200})


def prepare(users, run_id):
    """Sessions and the rows each simulated person will act on (disjoint between people)."""
    from django.utils import timezone

    from survivors.models import Compensation, ConsultantProfile, Engagement, ParticipationRequest
    from toolkit_portal.models import User

    now = timezone.now()
    coordinators = list(
        User.objects.filter(email__startswith="scale-coordinator-").order_by("id")[2 : 2 + users]
    )
    coordinators = coordinators[: max(1, users * 2 // 5)]
    listed = list(
        ConsultantProfile.objects.listed()
        .exclude(availability="paused")
        .values_list("pk", flat=True)[:2000]
    )
    people = []
    for index, user in enumerate(coordinators):
        engagements = list(
            Engagement.objects.managed_by(user)
            .filter(status="open", response_deadline__gt=now, involves_criminal_justice=False)
            .values_list("pk", flat=True)
        )
        unpaid = list(
            Compensation.objects.managed_by(user)
            .exclude(status="paid")
            .values_list("pk", flat=True)
        )
        share = listed[index :: len(coordinators)]
        random.Random(f"{run_id}-{index}").shuffle(share)  # not those invited last time
        people.append(
            {
                "role": "coordinator",
                "user": user,
                "engagements": [str(pk) for pk in engagements],
                "profiles": [str(pk) for pk in share],
                "unpaid": [str(pk) for pk in unpaid],
            }
        )
    wanted = users - len(people)
    consultants = (
        ParticipationRequest.objects.filter(
            status="pending", engagement__response_deadline__gt=now, consultant__isnull=False
        )
        .values_list("consultant__user", flat=True)
        .distinct()[:wanted]
    )
    for user in User.objects.filter(pk__in=list(consultants)):
        pending = ParticipationRequest.objects.filter(
            consultant__user=user, status="pending", engagement__response_deadline__gt=now
        ).values_list("pk", flat=True)
        people.append({"role": "consultant", "user": user, "pending": [str(pk) for pk in pending]})
    # Earlier runs answer requests: once too few consultants have one pending, the rest of
    # the crowd are consultants who only read their pages, so there are always `users` people.
    chosen = [person["user"].pk for person in people]
    for user in User.objects.filter(role="consultant", is_active=True).exclude(pk__in=chosen)[
        : users - len(people)
    ]:
        people.append({"role": "consultant", "user": user, "pending": []})
    for person in people:
        person["session"] = server.signed_in_session(person["user"])
        person["csrf"] = uuid.uuid4().hex  # the CSRF secret, sent as cookie and form field
    return people


def counts(people, started_at, run_id):
    from survivors.models import Compensation, ParticipationRequest

    coordinator_ids = [p["user"].pk for p in people if p["role"] == "coordinator"]
    consultant_ids = [p["user"].pk for p in people if p["role"] == "consultant"]
    return {
        "invite": ParticipationRequest.objects.filter(
            sent_by__in=coordinator_ids, sent_at__gte=started_at
        ).count(),
        "paid": Compensation.objects.filter(paid_reference=run_id).count(),
        "answer": ParticipationRequest.objects.filter(
            consultant__user__in=consultant_ids, answered_at__gte=started_at
        ).count(),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)
    server.setup_django()
    from django.utils import timezone

    env = server.production_env()
    server.collectstatic(env)
    run_id = f"load-{uuid.uuid4().hex[:12]}"
    people = prepare(args.users, run_id)
    if not people:
        sys.exit("The database holds no seeded data: run `manage.py seed_scale` first.")
    stats = Stats()
    rng = random.Random(7)
    with server.Gunicorn(env, port=8766, workers=args.workers) as gunicorn:
        started_at = timezone.now()
        deadline = time.monotonic() + args.seconds
        threads = [
            threading.Thread(
                target=coordinator if person["role"] == "coordinator" else consultant,
                args=(gunicorn.base, stats, person, deadline, random.Random(rng.random()), run_id),
            )
            for person in people
        ]
        print(f"{len(threads)} simulated people for {args.seconds:.0f} s …", flush=True)
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    found = counts(people, started_at, run_id)
    latencies = sorted(stats.latencies)
    p95 = latencies[int(len(latencies) * 0.95) - 1] if latencies else 0
    lost = {kind: stats.writes[kind] - found[kind] for kind in found}
    roles = [p["role"] for p in people]
    print(
        f"people: {roles.count('coordinator')} coordinators, {roles.count('consultant')} "
        f"consultants; requests: {len(latencies)} ({len(latencies) / args.seconds:.1f}/s)"
    )
    if latencies:
        print(
            f"latency ms: p50 {statistics.median(latencies):.1f}, p95 {p95:.1f}, "
            f"max {latencies[-1]:.1f} (goal p95 < {P95_GOAL_MS})"
        )
    print(f"errors: {len(stats.errors)}", *stats.errors[:10], sep="\n  ")
    print(f"writes the clients saw succeed: {stats.writes} (refused by a rule: {stats.refused})")
    print(f"writes found in the database:   {found}")
    ok = not stats.errors and p95 < P95_GOAL_MS and all(v == 0 for v in lost.values())
    print("load test passed" if ok else "load test FAILED")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
