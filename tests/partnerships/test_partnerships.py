from django.urls import reverse

from tests.queries import assert_fixed_query_count

from .factories import MembershipFactory, PartnershipFactory


def test_public_list_shows_only_listed_partnerships(client, db):
    PartnershipFactory(name="Listed Task Force", is_listed=True)
    PartnershipFactory(name="Private Task Force", is_listed=False)
    content = client.get(reverse("partnerships:list")).content.decode()
    assert "Listed Task Force" in content
    assert "Private Task Force" not in content


def test_listed_partnership_page_is_public_but_members_are_not(client, db):
    membership = MembershipFactory(partnership__is_listed=True)
    response = client.get(membership.partnership.get_absolute_url())
    assert response.status_code == 200
    assert membership.user.email not in response.content.decode()


def test_coordinator_sees_who_belongs(client, coordinator, partnership_x):
    client.force_login(coordinator)
    response = client.get(partnership_x.get_absolute_url())
    assert "Who belongs" in response.content.decode()
    assert coordinator.email in response.content.decode()


def test_partnership_list_query_count_is_fixed(client, db, django_assert_num_queries):
    PartnershipFactory.create_batch(3)
    assert_fixed_query_count(
        client,
        reverse("partnerships:list"),
        lambda: PartnershipFactory.create_batch(40),
        django_assert_num_queries,
    )
