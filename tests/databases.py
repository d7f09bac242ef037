"""One migrated test database per run, copied for each pytest-xdist worker.

Each worker used to create its test database and run every migration into it (about 15
core-seconds each, at the start of the run while the fault run and `make run` migrate theirs).
Now the first worker to get here migrates a template database; every worker, the first
included, then gets its own copy (PostgreSQL's CREATE DATABASE ... TEMPLATE, about a second).
A file lock in the run's shared temporary folder lets one worker at a time make or copy it.
"""

import contextlib
import fcntl

from django.db import connection


def _exists(name):
    with connection._nodb_cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return cursor.fetchone() is not None


def _execute(sql):
    with connection._nodb_cursor() as cursor:
        cursor.execute(sql)


@contextlib.contextmanager
def _locked(path):
    with open(path, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


@contextlib.contextmanager
def copied_test_database(shared_folder):
    """Point the default connection at a copy of the run's migrated template database while
    the worker runs; drop the copy afterwards, and the template with the worker that made it."""
    original = connection.settings_dict["NAME"]
    copy = connection.settings_dict["TEST"]["NAME"]  # test_<name>_gw0: set by pytest-django
    template = f"test_{original}_template"
    quote = connection.ops.quote_name
    lock, made_here = shared_folder / "test-database.lock", False
    with _locked(lock):
        marker = shared_folder / "test-database.made"
        if not (marker.exists() and _exists(template)):
            connection.settings_dict["TEST"]["NAME"] = template
            connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
            connection.close()  # a template must have no connection while it is copied
            connection.settings_dict["NAME"] = original
            marker.touch()
            made_here = True
        _execute(f"DROP DATABASE IF EXISTS {quote(copy)}")
        _execute(f"CREATE DATABASE {quote(copy)} TEMPLATE {quote(template)}")
    connection.settings_dict["TEST"]["NAME"] = copy
    connection.settings_dict["NAME"] = copy
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = original
        _execute(f"DROP DATABASE IF EXISTS {quote(copy)}")
        if made_here:
            with _locked(lock):
                _execute(f"DROP DATABASE IF EXISTS {quote(template)}")
                (shared_folder / "test-database.made").unlink(missing_ok=True)
