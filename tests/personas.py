"""The root conftest's personas built in one call, for records a whole module's tests share
(`personas_for_a_module`: the access matrix's world, the admin form fuzz): the same people,
addresses and partnerships, made in the same order, as the `personas` fixture. The matrices'
builders (tests/*/matrix.py) look them up by address."""

import contextlib

# Each persona's address, by its key in `personas`.
EMAILS = {
    "consultant": "consultant.a@example.org",
    "other_consultant": "consultant.b@example.org",
    "pending_coordinator": "pending@example.org",
    "coordinator": "coordinator.x@example.org",
    "other_coordinator": "coordinator.y@example.org",
    "admin": "admin@example.org",
}


def unlisted_partnership(letter):
    """Partnership X or Y, the coordinators' own."""
    from tests.partnerships.factories import PartnershipFactory

    return PartnershipFactory(
        name=f"Partnership {letter}", slug=f"partnership-{letter.lower()}", is_listed=False
    )


def build_personas():
    """({role: user} as the `personas` fixture gives it, partnership X)."""
    from tests.partnerships.factories import coordinator_of
    from tests.toolkit_portal import factories

    personas = {
        "anonymous": None,
        "consultant": factories.ConsultantFactory(email=EMAILS["consultant"]),
        "other_consultant": factories.ConsultantFactory(email=EMAILS["other_consultant"]),
        "pending_coordinator": factories.PendingCoordinatorFactory(
            email=EMAILS["pending_coordinator"]
        ),
    }
    partnership_x = unlisted_partnership("X")
    personas["coordinator"] = coordinator_of(partnership_x, email=EMAILS["coordinator"])
    personas["other_coordinator"] = coordinator_of(
        unlisted_partnership("Y"), email=EMAILS["other_coordinator"]
    )
    personas["admin"] = factories.AdminFactory(email=EMAILS["admin"])
    return personas, partnership_x


@contextlib.contextmanager
def personas_for_a_module(django_db_blocker, media_root):
    """`build_personas()` for a module-scoped fixture: made once, in a transaction rolled back
    (with everything the module's tests add to it) when the fixture ends. Each test runs in a
    savepoint of its own (pytest-django's `db`), undone after it. Files go to `media_root`."""
    from django.db import transaction
    from django.test import override_settings

    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media_root),
        transaction.atomic(),
    ):
        yield build_personas()
        transaction.set_rollback(True)
