"""The root conftest's personas built in one call, for records a whole module's tests share
(`matrix_world` in tests/test_access_matrix.py): the same people, addresses and partnerships,
made in the same order, as the `personas` fixture. The matrices' builders (tests/*/matrix.py)
look them up by address."""


def build_personas():
    """({role: user} as the `personas` fixture gives it, partnership X)."""
    from tests.partnerships.factories import MembershipFactory, PartnershipFactory
    from tests.toolkit_portal import factories

    def coordinator_of(letter, email):
        partnership = PartnershipFactory(
            name=f"Partnership {letter}", slug=f"partnership-{letter.lower()}", is_listed=False
        )
        user = factories.CoordinatorFactory(email=email)
        MembershipFactory(partnership=partnership, user=user)
        return user, partnership

    personas = {
        "anonymous": None,
        "consultant": factories.ConsultantFactory(email="consultant.a@example.org"),
        "other_consultant": factories.ConsultantFactory(email="consultant.b@example.org"),
        "pending_coordinator": factories.PendingCoordinatorFactory(email="pending@example.org"),
    }
    personas["coordinator"], partnership_x = coordinator_of("X", "coordinator.x@example.org")
    personas["other_coordinator"], _y = coordinator_of("Y", "coordinator.y@example.org")
    personas["admin"] = factories.AdminFactory(email="admin@example.org")
    return personas, partnership_x
