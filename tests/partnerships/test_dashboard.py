from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal_site import dashboard
from tests.auth import mfa_login

from .factories import (
    BoardFactory,
    BoardMemberFactory,
    GoalFactory,
    MembershipFactory,
    PartnershipFactory,
    RecommendationFactory,
)


def test_dashboard_shows_what_needs_the_coordinator(client, coordinator, partnership_x):
    GoalFactory(partnership=partnership_x, target_date=timezone.localdate() - timedelta(days=2))
    RecommendationFactory(partnership=partnership_x)
    BoardMemberFactory(
        board=BoardFactory(partnership=partnership_x),
        term_ends_on=timezone.localdate() + timedelta(days=5),
    )
    mfa_login(client, coordinator)
    page = client.get(reverse("home")).content.decode()
    assert "1 goal past its target date" in page
    assert "1 recommendation awaiting an answer" in page
    assert "1 board term ending soon" in page
    assert "add the member organizations" in page


def test_dashboard_empty_state_says_what_to_do_first(client, coordinator, partnership_x):
    mfa_login(client, coordinator)
    page = client.get(reverse("home")).content.decode()
    assert "Nothing needs you right now." in page
    assert "set a goal under one of the 4Ps" in page


def test_dashboard_queries_do_not_grow_with_partnerships(coordinator):
    def count():
        with CaptureQueriesContext(connection) as captured:
            dashboard.coordinator_dashboard(coordinator)
        return len(captured.captured_queries)

    MembershipFactory(user=coordinator, partnership=PartnershipFactory())
    few = count()
    for _ in range(5):
        partnership = PartnershipFactory()
        MembershipFactory(user=coordinator, partnership=partnership)
        GoalFactory(partnership=partnership)
        RecommendationFactory(partnership=partnership)
    assert count() == few


def test_demo_partnerships_are_idempotent(db):
    from django.core.management import call_command

    from partnerships.models import Goal, Position
    from survivors.models import Recommendation

    call_command("load_demo")
    counts = (Goal.objects.count(), Recommendation.objects.count(), Position.objects.count())
    call_command("load_demo")
    assert (Goal.objects.count(), Recommendation.objects.count(), Position.objects.count()) == (
        counts
    )
    assert set(Goal.objects.values_list("status", flat=True)) == {
        "planned",
        "in_progress",
        "achieved",
        "dropped",
    }
    assert set(Recommendation.objects.values_list("status", flat=True)) == {
        "received",
        "under_consideration",
        "adopted",
        "not_adopted",
    }
    assert Position.objects.open().count() == 1 and Position.objects.count() == 2


def test_admin_partnership_page_has_inlines(client, admin_user, coordinator, partnership_x):
    from .factories import BoardFactory, GoalFactory, OrganizationFactory

    OrganizationFactory(partnership=partnership_x, name="Inline Org")
    GoalFactory(partnership=partnership_x, title="Inline goal")
    BoardFactory(partnership=partnership_x, name="Inline board")
    mfa_login(client, admin_user)
    page = client.get(
        reverse("admin:partnerships_partnership_change", args=[partnership_x.pk])
    ).content.decode()
    for text in ["Inline Org", "Inline goal", "Inline board", "memberships-0-user"]:
        assert text in page
