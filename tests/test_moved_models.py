"""Models moved between apps kept their tables and rows: the moving migrations change the
migration state only (no SQL at all), and the content types are renamed in place, so
permissions, notifications and the audit trail keep pointing at the same rows."""

import io

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection

from toolkit_portal.moved_models import rename_content_types

MOVES = [
    ("assessment", "0001_initial"),
    ("partnerships", "0006_assessment_moved_to_its_own_app"),
    ("survivors", "0007_boards_and_recommendations_from_partnerships"),
    ("partnerships", "0007_boards_and_recommendations_moved_to_survivors"),
]
MOVED_TABLES = {
    "assessment": ["instrumentversion", "item", "assessmentround", "rater", "answer", "priority"],
    "survivors": ["recommendation", "board", "boardmember", "boardmeeting"],
}


@pytest.mark.parametrize(("app", "migration"), MOVES)
def test_the_moving_migrations_run_no_sql(db, app, migration):
    out = io.StringIO()
    call_command("sqlmigrate", app, migration, stdout=out)
    statements = [
        line
        for line in out.getvalue().splitlines()
        if line.strip() and not line.startswith("--") and line not in ("BEGIN;", "COMMIT;")
    ]
    assert statements == []


def test_the_moved_models_keep_their_tables(db):
    tables = set(connection.introspection.table_names())
    for app, models in MOVED_TABLES.items():
        for model in models:
            table = apps.get_model(app, model)._meta.db_table
            assert table == f"partnerships_{model}" and table in tables


def test_content_types_are_renamed_in_place_with_their_permissions(db):
    ContentType.objects.filter(app_label="survivors", model="board").delete()
    old = ContentType.objects.create(app_label="partnerships", model="board")
    permission = Permission.objects.create(content_type=old, codename="look_at_board", name="x")
    forwards, backwards = rename_content_types("partnerships", "survivors", ["board"])

    class Editor:
        connection = connection

    forwards(apps, Editor())
    moved = ContentType.objects.get(pk=old.pk)
    assert (moved.app_label, moved.model) == ("survivors", "board")
    assert Permission.objects.get(pk=permission.pk).content_type_id == old.pk
    assert not ContentType.objects.filter(app_label="partnerships", model="board").exists()
    backwards(apps, Editor())
    assert ContentType.objects.get(pk=old.pk).app_label == "partnerships"


# Where the migrations stood before the models moved.
BEFORE_THE_MOVES = [
    ("partnerships", "0005_recommendation_is_anonymous"),
    ("survivors", "0006_limited_means_remote_only"),
    ("assessment", None),
]


def _rows_per_table():
    """{table: rows}, but for the migration records themselves."""
    with connection.cursor() as cursor:
        counts = {}
        for table in connection.introspection.table_names():
            if table == "django_migrations":
                continue
            cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 (names from the catalog)
            counts[table] = cursor.fetchone()[0]
    return counts


@pytest.mark.django_db(transaction=True)
def test_a_database_with_the_demo_data_keeps_every_row_through_the_moves():
    """The demo data, taken back to before the moves and forward again: every table keeps
    every row (and the same tables exist)."""
    from django.db.migrations.executor import MigrationExecutor

    from portal_site.demo import load_demo
    from tests.assessment.assessment_helpers import ensure_instrument

    ensure_instrument()  # a data migration's rows, gone if an earlier test flushed the tables
    load_demo()
    migrated = _rows_per_table()
    # The demo has rows in the moved tables: rounds, answers, a board and its members.
    moved = ("assessmentround", "answer", "boardmember")
    assert all(migrated[f"partnerships_{model}"] for model in moved), migrated
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    try:
        executor.migrate(BEFORE_THE_MOVES)
        before = _rows_per_table()
        # Tables of models added after the moves (and empty in the demo) are not there yet.
        assert before == {table: rows for table, rows in migrated.items() if table in before}
        assert all(f"partnerships_{model}" in before for model in moved)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(latest)
    assert _rows_per_table() == migrated
