"""Personas shared by every test: see STYLE.md ("Tests")."""

import os

import pytest

os.environ.setdefault("DJANGO_ENV", "test")
# Playwright's sync API runs an event loop in the test thread; the ORM calls beside it are
# still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


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


@pytest.fixture
def partnership_x(db):
    from tests.partnerships.factories import PartnershipFactory

    return PartnershipFactory(name="Partnership X", slug="partnership-x", is_listed=False)


@pytest.fixture
def partnership_y(db):
    from tests.partnerships.factories import PartnershipFactory

    return PartnershipFactory(name="Partnership Y", slug="partnership-y", is_listed=False)


@pytest.fixture
def coordinator(partnership_x):
    """An approved coordinator of partnership X, enrolled in MFA."""
    from tests.partnerships.factories import MembershipFactory
    from tests.toolkit_portal.factories import CoordinatorFactory

    user = CoordinatorFactory(email="coordinator.x@example.org")
    MembershipFactory(partnership=partnership_x, user=user)
    return user


@pytest.fixture
def coordinator_client(client, coordinator):
    """The test client signed in as the coordinator of partnership X, second factor passed."""
    from tests.auth import mfa_login

    return mfa_login(client, coordinator)


@pytest.fixture
def other_coordinator(partnership_y):
    """An approved coordinator of partnership Y."""
    from tests.partnerships.factories import MembershipFactory
    from tests.toolkit_portal.factories import CoordinatorFactory

    user = CoordinatorFactory(email="coordinator.y@example.org")
    MembershipFactory(partnership=partnership_y, user=user)
    return user


@pytest.fixture
def pending_coordinator(db):
    from tests.toolkit_portal.factories import PendingCoordinatorFactory

    return PendingCoordinatorFactory(email="pending@example.org")


@pytest.fixture
def consultant(db):
    from tests.toolkit_portal.factories import ConsultantFactory

    return ConsultantFactory(email="consultant.a@example.org")


@pytest.fixture
def other_consultant(db):
    from tests.toolkit_portal.factories import ConsultantFactory

    return ConsultantFactory(email="consultant.b@example.org")


@pytest.fixture
def admin_user(db):
    from tests.toolkit_portal.factories import AdminFactory

    return AdminFactory(email="admin@example.org")


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
def worker(tmp_path):
    """A real Celery worker (tests/workers.py) whose mail goes to files: (queue, mail dir)."""
    from tests.workers import running_worker

    mail_dir = tmp_path / "mail"
    with running_worker(EMAIL_URL=f"filemail://{mail_dir}") as queue:
        yield queue, mail_dir
