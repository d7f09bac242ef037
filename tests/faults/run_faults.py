#!/usr/bin/env python
"""Fault run for reminder delivery: real servers, a real worker, 1,000 due notifications a case.

    .venv/bin/python tests/faults/run_faults.py [--cases abcde] [--seed N] [--json FILE]

The script starts its own servers on free ports, with their data in a temporary folder, so
restarting them disturbs nothing else on the machine:

- a PostgreSQL cluster (initdb and pg_ctl from /usr/lib/postgresql/15/bin, run as the
  `postgres` user when we are root, fsync off), migrated with `manage.py migrate`;
- a Redis server without persistence (a restart loses every queued message);
- a local SMTP server (aiosmtpd) that records the Message-ID of every message it accepts and
  can answer temporary errors, go down, or refuse one address for good;
- a Celery worker process (prefork, four children), started like in test_celery_worker.py
  and supervised as systemd's `Restart=always` would: a worker that ends on its own (after
  an unrecoverable broker error, or shut down by its watchdog when it stopped taking
  messages, `toolkit_portal/worker_watchdog.py`) is started again, and the case says so.

Each case makes 1,000 due notifications from rows a coordinator would make: 960 pending
participation requests over four engagements (one "request_new" each, to the consultant)
and 40 requests whose answer deadline has passed (the sweep expires them: one
"request_expired" each, to the coordinator). Before delivery 40 consultants decline: their
"request_new" is no longer due and must not be sent, and a "request_answered" to the
coordinator is due instead. Cases b and d decline a few more while a fault is going on (only
while nothing can be sent: the worker dead, the SMTP server down). So 1,000 notifications
are due in every case, and 40 or more recorded ones are not.

The worker starts once the first sweep has recorded what is due; then a fault happens, and
the script keeps sweeping as beat would (each sweep queues the pending rows whose backoff
has passed and the "sending" rows whose lease expired) until, after the faults, a sweep
finds nothing new and nothing is pending or sending. The cases:

  a  two sweeps at once (two processes started for the same instant) on the new requests,
     two more at once when the 40 deadlines have passed (both expire the same requests),
     then two in a row: one row per occasion, each sent once although queued several times;
  b  the worker (its whole process group) killed with SIGKILL five times at random moments
     and restarted; two more requests declined while it is dead each time;
  c  Redis killed and restarted twice mid-batch: its queue is lost;
  d  the SMTP server answers 451 to the first 300 messages, is then down for 6 s (ten
     requests whose delivery already failed are declined meanwhile), then refuses one
     consultant's address with 550 (450 until then);
  e  PostgreSQL stopped in immediate mode and restarted while a sweep runs (in a child
     process): once while the first sweep records, twice more while the worker delivers.

For each case the script prints:

  due        notifications that should reach someone (from the rows the script made and
             the answers it gave, not from the code under test)
  delivered  due and received by the SMTP server
  lost       due, never received, and not refused for good by the SMTP server
  doubled    notifications received more than once (or recorded twice)
  window     notifications caught between the SMTP server accepting them and the row being
             marked sent when a fault struck, counted at that moment: rows "sending" once
             the worker is dead, rows claimed before PostgreSQL stopped and still "sending"
             after, rows not sent when the SMTP server went down; each with its Message-ID
             already received. Only these may be doubled, and each of them will be.
  wrong      received though no longer due (about a request already answered), or received
             by another address than the recipient's
  refused    due to the address refused with 550 in case d, marked failed with that error

Lost and wrong must be 0; every doubled notification must be in the window.
"""

import argparse
import contextlib
import json
import logging
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(BASE_DIR))

from tests.ports import free_port  # noqa: E402  (the script runs from its own folder)

PG_BIN = Path("/usr/lib/postgresql/15/bin")
REDIS_SERVER = "redis-server"

# Short timings so the whole run takes a few minutes (settings.py reads these).
RUN_SETTINGS = {
    "NOTIFICATION_LEASE_SECONDS": "5",
    "NOTIFICATION_RETRY_BASE_SECONDS": "1",
    "NOTIFICATION_MAX_ATTEMPTS": "10",
    "WORKER_STALL_SECONDS": "10",
    # Connections kept between tasks, as in production (a PostgreSQL restart breaks them).
    "CONN_MAX_AGE": "60",
}
CONSULTANTS = 240
ENGAGEMENTS = 4
EXPIRING = 40
DECLINED_BEFORE = 40
REFUSED_ADDRESS = "refused.consultant@example.org"
CASES = {
    "a": "sweep twice in a row and at once",
    "b": "worker SIGKILLed and restarted",
    "c": "Redis restarted mid-batch",
    "d": "SMTP 4xx, down, then 5xx",
    "e": "PostgreSQL restarted mid-sweep",
}
COLUMNS = ["due", "delivered", "lost", "doubled", "window", "wrong", "refused"]
MESSAGE_ID = re.compile(rb"^Message-ID:\s*<notification-(\d+)@", re.IGNORECASE | re.MULTILINE)


STARTED = time.monotonic()


def say(message):
    print(f"[faults {time.monotonic() - STARTED:5.0f} s] {message}", flush=True)


def missing_prerequisites():
    """Why the run cannot happen on this machine, or an empty list."""
    reasons = []
    if not (PG_BIN / "initdb").exists():
        reasons.append(f"{PG_BIN / 'initdb'} is missing (apt-get install postgresql-15)")
    if shutil.which(REDIS_SERVER) is None:
        reasons.append("redis-server is missing (apt-get install redis-server)")
    return reasons


# The servers ---------------------------------------------------------------------------------


class Postgres:
    """A throwaway cluster. The server refuses root, so as root it runs as `postgres`."""

    def __init__(self, root):
        self.home = root / "postgres"
        self.data = self.home / "data"
        self.log = self.home / "server.log"
        self.port = free_port()
        self.running = False

    def _run(self, program, *args, check=True):
        command = [str(PG_BIN / program), *args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120)
        if check and result.returncode:
            raise RuntimeError(f"{program} failed: {result.stdout}{result.stderr}")
        return result

    def init(self):
        self.home.mkdir()
        if os.geteuid() == 0:
            shutil.chown(self.home, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                  "--no-sync", "--no-instructions")  # fmt: skip
        self.start()
        import psycopg2

        connection = psycopg2.connect(self.url("postgres"))
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute("CREATE DATABASE portal")
        connection.close()

    def url(self, name="portal"):
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def start(self):
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.home} "
            "-c fsync=off -c max_connections=60"
        )
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options,
                  "-w", "-t", "60", "start")  # fmt: skip
        self.running = True

    def stop(self, mode="fast"):
        if self.running:
            self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop",
                      check=False)  # fmt: skip
            self.running = False

    def restart(self):
        """Like a crash: no shutdown checkpoint, clients cut off; recovery on start."""
        self.stop("immediate")
        self.start()


class Redis:
    def __init__(self, root):
        self.home = root / "redis"
        self.home.mkdir()
        self.port = free_port()
        self.process = None

    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self):
        import redis

        return redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=2)

    def start(self):
        self.process = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.home),
             "--logfile", str(self.home / "server.log")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if self.client().ping():
                    return
            except Exception:  # not up yet
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def crash(self):
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.crash()

    def queued(self):
        try:
            return self.client().llen("celery")
        except Exception:  # down: nothing to read
            return 0


class MailServer:
    """An SMTP server that records every Message-ID it accepts, and misbehaves on request."""

    def __init__(self):
        self.port = free_port()
        self.lock = threading.Lock()
        self.controller = None
        self.reset()

    def reset(self, *, temporary_failures=0, refused=None):
        with self.lock:
            self.received = []  # (notification id, recipients, time.time())
            self.data_commands = 0
            self.temporary_failures = temporary_failures
            self.refused = refused
            self.refuse_for_good = False

    # aiosmtpd handler hooks.
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refused and address.lower() == self.refused:
            if self.refuse_for_good:
                return "550 5.1.1 Mailbox unavailable"
            return "450 4.2.1 Mailbox busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        content = envelope.original_content or envelope.content
        if isinstance(content, str):
            content = content.encode()
        found = MESSAGE_ID.search(content)
        with self.lock:
            self.data_commands += 1
            if self.data_commands <= self.temporary_failures:
                return "451 4.3.0 Temporary failure, try again later"
            pk = int(found.group(1)) if found else None
            self.received.append((pk, tuple(a.lower() for a in envelope.rcpt_tos), time.time()))
        return "250 Message accepted for delivery"

    def start(self):
        from aiosmtpd.controller import Controller

        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def received_ids(self):
        with self.lock:
            return {pk for pk, _rcpts, _at in self.received}

    def accepted(self):
        with self.lock:
            return len(self.received)

    def log(self):
        with self.lock:
            return list(self.received)


class Worker:
    """A real `celery worker` process in its own process group, so SIGKILL takes it all."""

    def __init__(self, log_path, environment):
        self.log_path = log_path
        self.environment = environment
        self.process = None
        self.offset = 0
        self.starts = 0
        self.lock = threading.Lock()
        self.held_down = False  # killed by a fault, to be started by the fault itself

    def start(self):
        with self.lock:
            self.held_down = False
            self._start()

    def restart_if_ended(self):
        """What a supervisor (systemd's Restart=always) does: a worker that ended on its own
        is started again. Returns its exit code, or None when it is running."""
        with self.lock:
            if self.process is None or self.held_down or self.process.poll() is None:
                return None
            code = self.process.returncode
            self._start()
            return code

    def _start(self):
        self.log_path.touch()
        self.offset = self.log_path.stat().st_size
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "toolkit_portal", "worker",
                 "--pool", "prefork", "--concurrency", "4", "--loglevel", "INFO",
                 "--without-mingle", "--without-gossip", "--without-heartbeat"],
                cwd=BASE_DIR,
                env=self.environment,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        self.starts += 1

    def wait_ready(self, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with open(self.log_path, "rb") as log:
                log.seek(self.offset)
                if b" ready." in log.read():
                    return True
            if self.process.poll() is not None:
                raise RuntimeError(f"the worker exited; see {self.log_path}")
            time.sleep(0.1)
        raise RuntimeError(f"the worker was not ready in {timeout} s; see {self.log_path}")

    def tail(self, count=30):
        """The worker's last log lines since it started, leaving out per-task lines."""
        with open(self.log_path, "rb") as log:
            log.seek(self.offset)
            lines = log.read().decode(errors="replace").splitlines()
        quiet = [line for line in lines if not re.search(r"\] (received|succeeded in)", line)]
        return quiet[-count:]

    def _signal_group(self, signum):
        try:
            os.killpg(self.process.pid, signum)
        except ProcessLookupError:
            pass

    def kill(self):
        with self.lock:
            self.held_down = True
            self._signal_group(signal.SIGKILL)
            self.process.wait()

    def stop(self):
        with self.lock:
            self.held_down = True
        if self.process is None:
            return
        self._signal_group(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            pass
        self._signal_group(signal.SIGKILL)  # children left behind, if any
        self.process.wait()
        self.process = None


# Bookkeeping -------------------------------------------------------------------------------


@dataclass
class Case:
    key: str
    title: str
    request_ids: set = field(default_factory=set)
    expiring_ids: set = field(default_factory=set)
    declined_ids: set = field(default_factory=set)
    window: set = field(default_factory=set)
    notes: list = field(default_factory=list)
    sweeps: int = 0
    sweep_errors: Counter = field(default_factory=Counter)
    fault_error: str = ""
    timed_out: bool = False
    seconds: float = 0.0
    result: dict = field(default_factory=dict)
    extra: dict = field(default_factory=dict)
    late_engagement: object = None


def close_connection():
    from django.db import connection

    with contextlib.suppress(Exception):  # a broken connection may fail to close
        connection.close()


def with_db(function, tries=80):
    """Run a database function, reconnecting while PostgreSQL restarts."""
    from django.db import InterfaceError, OperationalError

    for attempt in range(tries):
        try:
            return function()
        except (OperationalError, InterfaceError):
            close_connection()
            if attempt == tries - 1:
                raise
            time.sleep(0.25)
    return None


def sweep_once(case):
    from toolkit_portal import notifications

    case.sweeps += 1
    try:
        notifications.sweep()
    except Exception as error:  # beat would log it and sweep again
        case.sweep_errors[type(error).__name__] += 1
        close_connection()


# The world and each case's rows -----------------------------------------------------------


def front_range():
    """The partnership and coordinator of the scripted runs: (partnership, coordinator)."""
    from tests.partnerships.factories import coordinated_partnership

    return coordinated_partnership(
        name="Front Range Task Force",
        slug="front-range",
        coordinator_email="coordinator@example.org",
    )


def stop_each(*steps):
    """Run every step of stopping, even when one fails (it is printed)."""
    for step in steps:
        try:
            step()
        except Exception:  # stop the rest anyway
            traceback.print_exc()


def stop_on_sigterm():
    """A SIGTERM (e.g. from a test's time limit) still stops the servers: it unwinds through
    the run's `finally`."""

    def stop_on_signal(signum, _frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, stop_on_signal)


class World:
    """A partnership, its coordinator and 240 consultants, shared by the cases."""

    def __init__(self):
        from tests.survivors.factories import ConsultantProfileFactory

        self.partnership, self.coordinator = front_range()
        self.profiles = [
            ConsultantProfileFactory(user__email=f"consultant{n}@example.org", monthly_capacity=200)
            for n in range(CONSULTANTS - 1)
        ]
        # The last consultant's mailbox is the one the SMTP server refuses in case d.
        self.refused_profile = ConsultantProfileFactory(
            user__email="refused.login@example.org",
            contact_email=REFUSED_ADDRESS,
            monthly_capacity=200,
        )
        self.profiles.append(self.refused_profile)
        self.addresses = {p.user_id: p.reach_email().lower() for p in self.profiles}
        self.addresses[self.coordinator.pk] = self.coordinator.email.lower()


def make_requests(world, case, *, expire=True):
    """960 pending requests over four engagements, 40 whose answer deadline has passed
    (with expire=False, not yet: pass_deadline() does it later)."""
    from django.utils import timezone

    from tests.survivors.factories import sent_engagement

    now = timezone.now()

    def send(consultants, deadline_days=7, **fields):
        engagement, created = sent_engagement(
            partnership=world.partnership,
            coordinator=world.coordinator,
            consultants=consultants,
            response_deadline=now + timedelta(days=deadline_days),
            seats=3,
            **fields,
        )
        case.request_ids |= {request.pk for request in created}
        return engagement, created

    for number in range(ENGAGEMENTS):
        send(
            world.profiles,
            title=f"Case {case.key}: listening session {number + 1}",
            starts_at=now + timedelta(days=10 + number),
        )
    late, created = send(
        world.profiles[:EXPIRING],
        title=f"Case {case.key}: advisory call",
        starts_at=now + timedelta(days=2),
        deadline_days=1,
    )
    case.expiring_ids = {request.pk for request in created}
    case.late_engagement = late.pk
    if expire:
        pass_deadline(case)


def analyze():
    """The planner's statistics for the rows just made, as autovacuum keeps them in a running
    portal: a thousand requests made in a second would otherwise be planned as the empty
    tables autovacuum last saw."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def pass_deadline(case):
    """The answer deadline passes without an answer; the next sweep expires the requests."""
    from django.utils import timezone

    from survivors.models import Engagement

    Engagement.objects.filter(pk=case.late_engagement).update(
        response_deadline=timezone.now() - timedelta(minutes=5)
    )


def case_rows(case):
    from toolkit_portal.models import Notification

    return Notification.objects.filter(object_id__in=[str(pk) for pk in case.request_ids]).count()


def decline(world, case, mail, count, *, attempted=False):
    """Consultants decline `count` pending requests whose "request_new" is still pending and
    was never received (with attempted=True: whose delivery already failed once)."""
    from django.contrib.contenttypes.models import ContentType

    from survivors import services
    from survivors.models import ParticipationRequest
    from toolkit_portal.models import Notification

    content_type = ContentType.objects.get_for_model(ParticipationRequest)
    pending = ParticipationRequest.objects.filter(
        pk__in=case.request_ids, status=ParticipationRequest.Status.PENDING
    ).exclude(consultant=world.refused_profile)
    waiting = Notification.objects.filter(
        kind="request_new",
        content_type=content_type,
        object_id__in=[str(pk) for pk in pending.values_list("pk", flat=True)],
        status=Notification.Status.PENDING,
    )
    if attempted:
        waiting = waiting.filter(attempts__gte=1)
    received = mail.received_ids()
    rows = [row for row in waiting.values_list("id", "object_id") if row[0] not in received]
    random.shuffle(rows)
    chosen = [object_id for _pk, object_id in rows[:count]]
    requests = ParticipationRequest.objects.filter(pk__in=chosen).select_related("consultant__user")
    for request in requests:
        services.decline_request(request=request, actor=request.consultant.user)
        case.declined_ids.add(request.pk)
    return len(chosen)


def snapshot_window(case, mail, *, claimed_before=None, statuses=("sending",)):
    """Rows not marked sent whose message the SMTP server already accepted: each will be
    sent again once its lease expires (or its backoff passes)."""
    from toolkit_portal.models import Notification

    time.sleep(0.3)  # let the SMTP server finish recording what it was handed
    received = mail.received_ids()
    rows = Notification.objects.filter(
        status__in=statuses, object_id__in=[str(pk) for pk in case.request_ids]
    )
    if claimed_before is not None:
        rows = rows.filter(claimed_at__lte=claimed_before)
    caught = {pk for pk in rows.values_list("id", flat=True) if pk in received}
    case.window |= caught
    return caught


# Measuring ---------------------------------------------------------------------------------


def expected(world, case):
    """{(kind, request id, recipient id): address} of what is due, from the script's own
    knowledge of the rows it made and the answers it gave; and the requests whose status is
    not the one the script expects."""
    from survivors.models import ParticipationRequest

    due, mismatches = {}, []
    coordinator = world.coordinator
    requests = ParticipationRequest.objects.filter(pk__in=case.request_ids)
    for pk, status, user_id in requests.values_list("pk", "status", "consultant__user_id"):
        key = str(pk)
        if pk in case.declined_ids:
            kind, recipient, wanted = "request_answered", coordinator.pk, "declined"
        elif pk in case.expiring_ids:
            kind, recipient, wanted = "request_expired", coordinator.pk, "expired"
        else:
            kind, recipient, wanted = "request_new", user_id, "pending"
        due[(kind, key, recipient)] = world.addresses[recipient]
        if status != wanted:
            mismatches.append(f"request {key} is {status}, not {wanted}")
    return due, mismatches


def measure(world, case, mail):
    from toolkit_portal.models import Notification

    due, problems = expected(world, case)
    rows = list(
        Notification.objects.filter(object_id__in=[str(pk) for pk in case.request_ids]).values(
            "id", "kind", "object_id", "recipient_id", "status", "last_error", "attempts"
        )
    )
    received = Counter(pk for pk, _rcpts, _at in mail.log())
    recipients = defaultdict(set)
    for pk, rcpts, _at in mail.log():
        recipients[pk].update(rcpts)
    by_key = defaultdict(list)
    for row in rows:
        by_key[(row["kind"], row["object_id"], row["recipient_id"])].append(row)

    result = Counter({name: 0 for name in (*COLUMNS, "duplicate_rows")})
    result.update(due=len(due), rows=len(rows), status_mismatches=len(problems))
    for key, address in due.items():
        copies = sum(received[row["id"]] for row in by_key.get(key, []))
        if copies:
            result["delivered"] += 1
            continue
        refused = by_key.get(key) and all(
            row["status"] == Notification.Status.FAILED and "550" in row["last_error"]
            for row in by_key[key]
        )
        if address == REFUSED_ADDRESS and refused:
            result["refused"] += 1
        else:
            result["lost"] += 1
            problems.append(f"lost {key}: {by_key.get(key)}")
    doubled = set()
    for key, same in by_key.items():
        if len(same) > 1:
            result["duplicate_rows"] += len(same) - 1
            if sum(received[row["id"]] for row in same) > 1:
                doubled.update(row["id"] for row in same)
        for row in same:
            if received[row["id"]] > 1:
                doubled.add(row["id"])
            if not received[row["id"]]:
                continue
            if key not in due:
                result["wrong"] += 1
                problems.append(f"wrong (no longer due) {key}: {row}")
            elif recipients[row["id"]] != {due[key]}:
                result["wrong"] += 1
                problems.append(f"wrong address {key}: {recipients[row['id']]}")
    known = {row["id"] for row in rows}
    strangers = [pk for pk in received if pk not in known]
    if strangers:
        result["wrong"] += len(strangers)
        problems.append(f"received messages of no row of this case: {strangers[:10]}")
    result["doubled"] = len(doubled)
    result["doubled_ids"] = sorted(doubled)
    result["window"] = len(case.window)
    result["doubled_outside_window"] = len(doubled - case.window)
    if doubled - case.window:
        problems.append(f"doubled outside the window: {sorted(doubled - case.window)[:10]}")
    statuses = Counter(row["status"] for row in rows)
    result["left_pending"] = statuses["pending"] + statuses["sending"]
    result["statuses"] = dict(statuses)
    return dict(result), problems


# The run -------------------------------------------------------------------------------------


class Run:
    def __init__(self, args):
        self.args = args
        self.started = time.monotonic()
        self.deadline = self.started + args.time_limit
        self.root = Path(tempfile.mkdtemp(prefix="portal-faults-"))
        self.root.chmod(0o755)  # postgres must reach its folder inside
        self.postgres = Postgres(self.root)
        self.redis = Redis(self.root)
        self.mail = MailServer()
        self.worker = None
        self.cases = []

    # Setting up.
    def environment(self):
        return {
            **os.environ,
            "DJANGO_ENV": "test",
            "DJANGO_SETTINGS_MODULE": "portal_site.settings",
            "DATABASE_URL": self.postgres.url(),
            "REDIS_URL": self.redis.url(),
            "EMAIL_URL": f"smtp://127.0.0.1:{self.mail.port}",
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "PORTAL_URL": "http://portal.test",
            "LOG_LEVEL": "WARNING",
            **RUN_SETTINGS,
        }

    def start(self):
        say(f"servers in {self.root}")
        self.postgres.init()
        self.redis.start()
        self.mail.start()
        os.environ.update(self.environment())
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"],
            cwd=BASE_DIR,
            check=True,
        )
        import django

        django.setup()
        logging.getLogger("mail.log").setLevel(logging.ERROR)
        self.world = World()
        worker_env = {**self.environment(), "LOG_LEVEL": "INFO"}
        self.worker = Worker(self.root / "worker.log", worker_env)
        say(
            f"PostgreSQL :{self.postgres.port}, Redis :{self.redis.port}, "
            f"SMTP :{self.mail.port}, worker log {self.worker.log_path}"
        )

    def stop(self):
        stop_each(
            lambda: self.worker and self.worker.stop(),
            close_connection,
            self.mail.stop,
            self.redis.stop,
            self.postgres.stop,
        )
        if not self.args.keep:
            shutil.rmtree(self.root, ignore_errors=True)

    # Helpers the cases share.
    def sweep_in_child(self, at=None):
        """A sweep in another process (as a second beat or a management command would)."""
        command = [sys.executable, str(Path(__file__).resolve()), "--sweep-child"]
        if at is not None:
            command += ["--at", str(at)]
        return subprocess.Popen(
            command,
            cwd=BASE_DIR,
            env=os.environ.copy(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

    def restart_postgres_mid_sweep(self, case):
        """Start a sweep in a child process and restart PostgreSQL while it runs."""
        from django.utils import timezone

        child = self.sweep_in_child()
        line = child.stdout.readline()  # "sweeping", printed right before sweep()
        time.sleep(random.uniform(0.0, 0.15))
        stopped_at = timezone.now()
        began = time.monotonic()
        self.postgres.restart()
        output = child.communicate(timeout=120)[0]
        took = time.monotonic() - began
        hit = child.returncode != 0
        case.notes.append(
            f"PostgreSQL restart {'during' if hit else 'after'} a sweep ({took:.1f} s)"
            + ("" if hit else f": {output.strip()[-80:]}")
        )
        if not line.startswith("sweeping"):
            case.notes.append(f"sweep child said: {line.strip()}")
        return stopped_at, hit

    def wait_for_accepted(self, count, timeout=60):
        deadline = time.monotonic() + timeout
        while self.mail.accepted() < count and time.monotonic() < deadline:
            time.sleep(0.05)

    def recover(self, case, faults):
        """Keep sweeping (as beat would) until a sweep after the faults finds nothing new and
        nothing is pending or sending."""
        from toolkit_portal.models import Notification

        limit = min(time.monotonic() + self.args.recovery_seconds, self.deadline)
        last_sweep = time.monotonic()  # the case's first sweep just ran

        def unfinished():
            return Notification.objects.filter(
                status__in=[Notification.Status.PENDING, Notification.Status.SENDING]
            ).count()

        while True:
            now = time.monotonic()
            code = self.worker.restart_if_ended()
            if code is not None:
                case.notes.append(f"the worker ended (exit {code}) and was started again")
            if not faults.is_alive() and with_db(unfinished) == 0:
                # A last sweep records what the latest changes made due (e.g. answers).
                errors = sum(case.sweep_errors.values())
                sweep_once(case)
                last_sweep = time.monotonic()
                if sum(case.sweep_errors.values()) == errors and with_db(unfinished) == 0:
                    return
            if now > limit:
                case.timed_out = True
                case.notes.append("recovery window ended with rows still pending or sending")
                case.notes.append("worker log: " + " | ".join(self.worker.tail()))
                return
            # Beat's interval, shortened: sweep when the queue has drained, or every 30 s.
            if (self.redis.queued() < 20 and now - last_sweep >= 1.0) or now - last_sweep >= 30:
                sweep_once(case)
                last_sweep = time.monotonic()
            time.sleep(0.2)

    def run_case(self, key):
        case = Case(key, CASES[key])
        self.cases.append(case)
        say(f"case {key}: {case.title}")
        began = time.monotonic()
        self.redis.client().flushall()
        if key == "d":
            self.mail.reset(temporary_failures=300, refused=REFUSED_ADDRESS)
        else:
            self.mail.reset()
        make_requests(self.world, case, expire=key != "a")
        analyze()
        say(f"case {key}: {len(case.request_ids)} requests made")
        prepare = getattr(self, f"prepare_{key}", self.prepare_default)
        prepare(case)
        case.notes.append(
            f"declined before delivery: {decline(self.world, case, self.mail, DECLINED_BEFORE)}"
        )
        say(f"case {key}: recorded, {len(case.declined_ids)} declined; the worker starts")
        fault = getattr(self, f"fault_{key}", None)

        def run_fault():
            try:
                if fault:
                    fault(case)
            except Exception:  # reported with the case
                case.fault_error = traceback.format_exc()
                if self.worker.process is None or self.worker.process.poll() is not None:
                    self.worker.start()
            finally:
                close_connection()

        self.worker.start()
        faults = threading.Thread(target=run_fault, name=f"fault-{key}", daemon=True)
        faults.start()
        try:
            self.recover(case, faults)
        finally:
            faults.join()
            self.worker.stop()
        case.seconds = time.monotonic() - began
        case.result, problems = measure(self.world, case, self.mail)
        case.result["sweeps"] = case.sweeps
        case.result["sweep_errors"] = dict(case.sweep_errors)
        for problem in problems[:20]:
            case.notes.append(problem)
        if case.fault_error:
            case.notes.append(f"fault error: {case.fault_error}")
        say(f"case {key} done in {case.seconds:.0f} s: {case.result}")

    # Case preparation: record what is due before any worker runs.
    def prepare_default(self, case):
        for _ in range(20):
            errors = sum(case.sweep_errors.values())
            sweep_once(case)
            if sum(case.sweep_errors.values()) == errors:
                return
            time.sleep(0.5)

    def sweeps_at_once(self, case, label):
        """Two sweeps in two processes, started for the same instant."""
        at = time.time() + 2.5
        children = [self.sweep_in_child(at=at) for _ in range(2)]
        outputs = [child.communicate(timeout=120)[0].strip() for child in children]
        for number, (child, output) in enumerate(zip(children, outputs, strict=True), 1):
            last = output.splitlines()[-1] if output else ""
            case.notes.append(f"{label} #{number}: exit {child.returncode}, {last[-110:]}")
        return case_rows(case)

    def prepare_a(self, case):
        """Twice at once on new requests, twice at once when the deadline has passed (both
        expire the same requests), then twice in a row."""
        new = self.sweeps_at_once(case, "sweep at once on new requests")
        pass_deadline(case)
        expired = self.sweeps_at_once(case, "sweep at once after the deadline")
        for _ in range(2):
            sweep_once(case)
        in_row = case_rows(case)
        case.extra["rows_after_sweeps"] = [new, expired, in_row]
        case.notes.append(
            f"rows: {new} after two sweeps at once on 1,000 new requests (1,000 expected), "
            f"{expired} after two more at once once 40 deadlines passed (1,040 expected), "
            f"{in_row} after two more in a row (1,040 expected)"
        )

    def prepare_e(self, case):
        self.restart_postgres_mid_sweep(case)
        self.prepare_default(case)

    # Faults, run in a thread while the main thread sweeps.
    def fault_b(self, case):
        kills = 5
        for number in range(kills):
            self.worker.wait_ready()
            time.sleep(random.uniform(0.2, 2.5))
            self.worker.kill()
            before = set(case.window)
            caught = with_db(lambda: snapshot_window(case, self.mail)) - before
            declined = with_db(lambda: decline(self.world, case, self.mail, 2))
            case.notes.append(
                f"kill {number + 1}: {self.mail.accepted()} accepted so far, {len(caught)} in "
                f"the window, {declined} more declined while the worker was dead"
            )
            self.worker.start()
        self.worker.wait_ready()

    def fault_c(self, case):
        for threshold in (250, 600):
            self.wait_for_accepted(threshold)
            queued = self.redis.queued()
            began = time.monotonic()
            self.redis.crash()
            time.sleep(0.5)
            self.redis.start()
            case.notes.append(
                f"Redis killed at {self.mail.accepted()} accepted ({queued} queued messages "
                f"lost), back in {time.monotonic() - began:.1f} s"
            )

    def fault_d(self, case):
        self.wait_for_accepted(300)
        self.mail.stop()
        began = time.monotonic()
        time.sleep(1.0)
        # A message accepted just as the server stopped may not have reached the worker.
        caught = with_db(lambda: snapshot_window(case, self.mail, statuses=("pending", "sending")))
        declined = with_db(lambda: decline(self.world, case, self.mail, 10, attempted=True))
        time.sleep(max(0.0, 6.0 - (time.monotonic() - began)))
        self.mail.refuse_for_good = True
        self.mail.start()
        case.notes.append(
            f"{self.mail.temporary_failures} answered 451 first; down for "
            f"{time.monotonic() - began:.1f} s at {self.mail.accepted()} accepted; "
            f"{declined} declined after a failed attempt; then 550 for {REFUSED_ADDRESS}; "
            f"{len(caught)} in the window when it stopped"
        )

    def fault_e(self, case):
        for threshold in (250, 600):
            self.wait_for_accepted(threshold)
            stopped_at, _hit = self.restart_postgres_mid_sweep(case)
            before = set(case.window)
            caught = with_db(
                lambda at=stopped_at: snapshot_window(case, self.mail, claimed_before=at)
            )
            case.notes.append(f"{len(caught - before)} in the window after the restart")

    def run_cases(self):
        for key in self.args.cases:
            if time.monotonic() > self.deadline - 20:
                say(f"time limit reached: case {key} not run")
                continue
            self.run_case(key)


# The table -----------------------------------------------------------------------------------


def table(cases):
    lines = []
    head = f"{'case':<40}" + "".join(f"{name:>10}" for name in COLUMNS) + f"{'seconds':>9}"
    lines.append(head)
    lines.append("-" * len(head))
    for case in cases:
        values = "".join(f"{case.result.get(name, 0):>10}" for name in COLUMNS)
        lines.append(f"{case.key + '  ' + case.title:<40}{values}{case.seconds:>9.0f}")
    return "\n".join(lines)


def child_sweep(at):
    """--sweep-child: one sweep in this process, optionally at a given instant."""
    import django

    django.setup()
    from django.db import connection

    from toolkit_portal import notifications

    connection.ensure_connection()
    if at:
        time.sleep(max(0.0, at - time.time()))
    print("sweeping", flush=True)
    created, queued = notifications.sweep()
    print(json.dumps({"created": created, "queued": queued}), flush=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", default="abcde")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--json", type=Path, help="write the results here too")
    parser.add_argument("--recovery-seconds", type=float, default=150)
    parser.add_argument("--time-limit", type=float, default=400, help="for the whole run")
    parser.add_argument("--keep", action="store_true", help="keep the servers' folder")
    parser.add_argument("--sweep-child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--at", type=float, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.sweep_child:
        return child_sweep(args.at)

    reasons = missing_prerequisites()
    if reasons:
        print("Cannot run the fault tests: " + "; ".join(reasons), file=sys.stderr)
        return 2
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(10**6)
    random.seed(seed)

    stop_on_sigterm()
    run = Run(args)
    began = time.monotonic()
    try:
        run.start()
        run.run_cases()
    finally:
        run.stop()
    runtime = time.monotonic() - began
    print()
    print(table(run.cases))
    print()
    for case in run.cases:
        print(f"{case.key}: " + "; ".join(note for note in case.notes if note))
        print(f"   sweeps {case.result.get('sweeps')}, errors {case.result.get('sweep_errors')}")
    print(
        f"\nseed {seed}; runtime {runtime:.0f} s; "
        + ", ".join(f"{name}={value}" for name, value in RUN_SETTINGS.items())
    )
    failed = [
        case.key
        for case in run.cases
        if case.result.get("lost")
        or case.result.get("wrong")
        or case.result.get("doubled_outside_window")
        or case.result.get("duplicate_rows")
        or case.fault_error
    ]
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "seed": seed,
                    "runtime": runtime,
                    "table": table(run.cases),
                    "cases": {
                        case.key: {
                            **case.result,
                            "title": case.title,
                            "window_ids": sorted(case.window),
                            "notes": case.notes,
                            "timed_out": case.timed_out,
                            "fault_error": case.fault_error,
                            "seconds": case.seconds,
                            **case.extra,
                        }
                        for case in run.cases
                    },
                },
                indent=2,
            )
        )
    print("FAILED: " + ", ".join(failed) if failed else "OK: nothing lost, nothing wrong")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
