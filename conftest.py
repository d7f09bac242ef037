"""Personas shared by every test: see STYLE.md ("Tests")."""

import os

import pytest

from tests.personas import EMAILS, unlisted_partnership

os.environ.setdefault("DJANGO_ENV", "test")
# Playwright's sync API runs an event loop in the test thread; the ORM calls beside it are
# still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def django_db_setup(
    django_test_environment,
    django_db_blocker,
    django_db_modify_db_settings,
    django_db_keepdb,
    tmp_path_factory,
):
    """Replaces pytest-django's: under pytest-xdist, each worker's test database is a copy of
    one migrated per run (tests/databases.py); otherwise it is created and migrated as
    pytest-django does (`--reuse-db` kept; no test asks for serialized contents, and the
    migrations always run)."""
    from django.test.utils import setup_databases, teardown_databases

    from tests.databases import copied_test_database

    if os.environ.get("PYTEST_XDIST_WORKER") and not django_db_keepdb:
        shared_folder = tmp_path_factory.getbasetemp().parent
        with django_db_blocker.unblock(), copied_test_database(shared_folder):
            with django_db_blocker.block():
                yield
        return
    with django_db_blocker.unblock():
        setup = setup_databases(verbosity=0, interactive=False, keepdb=django_db_keepdb)
    yield
    if not django_db_keepdb:
        with django_db_blocker.unblock():
            teardown_databases(setup, verbosity=0)


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.MEDIA_ROOT = tmp_path / "media"
    from toolkit_portal.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True


@pytest.fixture(autouse=True)
def _english_unless_asked():
    # LocaleMiddleware leaves the request's language active in the thread: a page asked in
    # Spanish must not make the next test's messages Spanish.
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _clear_cache():
    # Rate-limit counters live in the cache; each test starts with none.
    from django.core.cache import cache

    cache.clear()
    yield


def _coordinator_of(partnership, email):
    from tests.partnerships.factories import coordinator_of

    return coordinator_of(partnership, email=email)


@pytest.fixture
def partnership_x(db):
    return unlisted_partnership("X")


@pytest.fixture
def partnership_y(db):
    return unlisted_partnership("Y")


@pytest.fixture
def coordinator(partnership_x):
    """An approved coordinator of partnership X, enrolled in MFA."""
    return _coordinator_of(partnership_x, EMAILS["coordinator"])


@pytest.fixture
def coordinator_client(client, coordinator):
    """The test client signed in as the coordinator of partnership X, second factor passed."""
    from tests.auth import mfa_login

    return mfa_login(client, coordinator)


@pytest.fixture
def other_coordinator(partnership_y):
    """An approved coordinator of partnership Y."""
    return _coordinator_of(partnership_y, EMAILS["other_coordinator"])


def _account(factory, email):
    """A fixture: the account `tests.toolkit_portal.factories.<factory>` makes for `email`."""

    @pytest.fixture
    def account(db):
        from tests.toolkit_portal import factories

        return getattr(factories, factory)(email=email)

    return account


pending_coordinator = _account("PendingCoordinatorFactory", EMAILS["pending_coordinator"])
consultant = _account("ConsultantFactory", EMAILS["consultant"])
other_consultant = _account("ConsultantFactory", EMAILS["other_consultant"])
admin_user = _account("AdminFactory", EMAILS["admin"])


@pytest.fixture
def personas(
    consultant,
    other_consultant,
    pending_coordinator,
    coordinator,
    other_coordinator,
    admin_user,
):
    return {
        "anonymous": None,
        "consultant": consultant,
        "other_consultant": other_consultant,
        "pending_coordinator": pending_coordinator,
        "coordinator": coordinator,
        "other_coordinator": other_coordinator,
        "admin": admin_user,
    }


@pytest.fixture
def profile(consultant):
    """Consultant A's listed profile."""
    from tests.survivors.factories import ConsultantProfileFactory

    return ConsultantProfileFactory(user=consultant, display_name="Consultant A")


@pytest.fixture
def other_profile(other_consultant):
    """Consultant B's listed profile."""
    from tests.survivors.factories import ConsultantProfileFactory

    return ConsultantProfileFactory(user=other_consultant, display_name="Consultant B")


@pytest.fixture
def engagement(coordinator, partnership_x):
    """An open engagement of partnership X, ten days ahead."""
    from tests.survivors.factories import EngagementFactory

    return EngagementFactory(partnership=partnership_x, created_by=coordinator)


@pytest.fixture
def held(partnership_x, coordinator):
    """An engagement of partnership X that took place yesterday."""
    from datetime import timedelta

    from django.utils import timezone

    from tests.survivors.factories import EngagementFactory

    started = timezone.now() - timedelta(days=1)
    return EngagementFactory(
        partnership=partnership_x,
        created_by=coordinator,
        title="Shelter intake review",
        starts_at=started,
        ends_at=started + timedelta(hours=2),
        response_deadline=started - timedelta(days=2),
    )


@pytest.fixture
def worker(tmp_path):
    """A real Celery worker (tests/workers.py) whose mail goes to files: (queue, mail dir)."""
    from tests.workers import running_worker

    mail_dir = tmp_path / "mail"
    with running_worker(EMAIL_URL=f"filemail://{mail_dir}") as queue:
        yield queue, mail_dir
