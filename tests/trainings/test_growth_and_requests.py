"""Growth goals and recommendations, the partnership indicator, on-site session requests."""

import datetime

import pytest
from django.core import mail
from django.template import Context, RequestContext, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from tests.auth import mfa_login
from tests.notify import send_due_notifications
from tests.partnerships.factories import MembershipFactory, PartnershipFactory
from tests.toolkit_portal.factories import ConsultantFactory
from trainings import services
from trainings.choices import RequestStatus
from trainings.models import GrowthGoal, Training, TrainingRequest

from .factories import (
    GrowthGoalFactory,
    TrainingFactory,
    TrainingRecordFactory,
    TrainingRequestFactory,
)


@pytest.fixture
def empty_catalog(db):
    Training.objects.all().delete()


# Growth goals ------------------------------------------------------------------------------------


def test_a_consultant_records_edits_reaches_and_deletes_a_goal(client, consultant):
    client.force_login(consultant)
    response = client.post(
        reverse("mytrainings:goal-create"),
        {"area": "confidence", "topics": ["resilience"], "description": "Speak at a panel."},
    )
    assert response.status_code == 302
    goal = GrowthGoal.objects.get()
    assert (goal.person, goal.area, goal.topics) == (consultant, "confidence", ["resilience"])
    client.post(reverse("mytrainings:goal-edit", kwargs={"pk": goal.pk}), {"area": "leadership"})
    goal.refresh_from_db()
    assert (goal.area, goal.topics) == ("leadership", [])
    assert (
        client.get(reverse("mytrainings:goal-achieved", kwargs={"pk": goal.pk})).status_code == 405
    )
    client.post(reverse("mytrainings:goal-achieved", kwargs={"pk": goal.pk}))
    goal.refresh_from_db()
    assert goal.achieved_on == timezone.localdate()
    client.post(reverse("mytrainings:goal-delete", kwargs={"pk": goal.pk}))
    assert not GrowthGoal.objects.exists()


def test_a_goal_without_an_area_is_refused_with_a_message(client, consultant):
    client.force_login(consultant)
    response = client.post(reverse("mytrainings:goal-create"), {"topics": ["nonsense"]})
    content = response.content.decode()
    assert "This field is required." in content and "Select a valid choice." in content


def test_someone_elses_goal_is_404(client, other_consultant, consultant):
    goal = GrowthGoalFactory(person=consultant)
    client.force_login(other_consultant)
    for name in ["goal-edit", "goal-achieved", "goal-delete"]:
        url = reverse(f"mytrainings:{name}", kwargs={"pk": goal.pk})
        assert (client.post(url) if name != "goal-edit" else client.get(url)).status_code == 404
    assert GrowthGoal.objects.filter(pk=goal.pk, achieved_on__isnull=True).exists()
    assert str(goal.pk) not in client.get(reverse("mytrainings:goal-list")).content.decode()


def test_goal_list_query_count_is_fixed(
    client, consultant, django_assert_num_queries, empty_catalog
):
    client.force_login(consultant)
    GrowthGoalFactory.create_batch(2, person=consultant, topics=["aces"])
    TrainingFactory.create_batch(2, topics=["aces"])
    with django_assert_num_queries(7):
        client.get(reverse("mytrainings:goal-list"))
    GrowthGoalFactory.create_batch(25, person=consultant, topics=["aces"])
    TrainingFactory.create_batch(25, topics=["aces"])
    with django_assert_num_queries(7):
        client.get(reverse("mytrainings:goal-list"))


def test_recommendations_match_goals_free_first_and_skip_completed(consultant, empty_catalog):
    GrowthGoalFactory(person=consultant, area="leadership", topics=["resilience"])
    GrowthGoalFactory(
        person=consultant, area="confidence", topics=["aces"], achieved_on=timezone.localdate()
    )
    paid_topic = TrainingFactory(
        title="B paid resilience", topics=["resilience"], cost="paid", growth_areas=[]
    )
    free_area = TrainingFactory(
        title="C free leadership", topics=[], cost="free", growth_areas=["leadership"]
    )
    free_topic = TrainingFactory(
        title="D free resilience", topics=["resilience"], cost="free", growth_areas=[]
    )
    TrainingFactory(
        title="A unrelated",
        topics=["criminal_justice"],
        cost="free",
        growth_areas=["knowledge_skills"],
    )
    TrainingFactory(title="E for a reached goal", topics=["aces"], cost="free", growth_areas=[])
    TrainingFactory(title="F unpublished", topics=["resilience"], cost="free", is_published=False)
    done = TrainingFactory(title="G done", topics=["resilience"], cost="free", growth_areas=[])
    TrainingRecordFactory(person=consultant, training=done)

    recommended = services.recommend_for_person(consultant)
    assert recommended == [free_topic, free_area, paid_topic]


def test_no_goals_no_recommendations(consultant, db):
    assert services.recommend_for_person(consultant) == []


def _render_dashboard_tag(user):
    request = RequestFactory().get("/")
    request.user = user
    template = Template("{% load training_tags %}{% training_recommendations %}")
    return template.render(RequestContext(request, {}))


def test_dashboard_recommends_trainings_for_the_goals(client, consultant, empty_catalog):
    TrainingFactory(title="Brain Story", cost="free", topics=["brain_development"])
    assert "Record a growth goal" in _render_dashboard_tag(consultant)
    GrowthGoalFactory(person=consultant, topics=["brain_development"])
    html = _render_dashboard_tag(consultant)
    assert "Brain Story" in html and "Free" in html
    # The consultant's dashboard shows it.
    client.force_login(consultant)
    assert "Brain Story" in client.get(reverse("home")).content.decode()


def test_the_dashboard_tag_shows_nothing_to_others(coordinator):
    assert _render_dashboard_tag(coordinator).strip() == ""


def test_recommend_for_key_areas_groups_by_area_in_the_given_order(empty_catalog):
    free_policy = TrainingFactory(title="Z free policy", key_areas=["policy"], cost="free")
    paid_both = TrainingFactory(title="A paid", key_areas=["policy", "financing"], cost="paid")
    TrainingFactory(title="Unpublished", key_areas=["policy"], is_published=False)
    TrainingFactory(title="Other area", key_areas=["training"])
    result = services.recommend_for_key_areas(["financing", "policy", "evaluation"])
    assert [(area.value, area.label) for area in result] == [
        ("financing", "Financing"),
        ("policy", "Policy"),
        ("evaluation", "Evaluation"),
    ]
    assert [area.trainings for area in result] == [[paid_both], [free_policy, paid_both], []]
    assert [area.closest_by for area in result] == ["", "", ""]
    assert services.recommend_for_key_areas([]) == []
    with pytest.raises(ValueError):
        services.recommend_for_key_areas(["not-a-key-area"])


def test_key_area_recommendations_tag_renders(empty_catalog):
    TrainingFactory(title="Policy course", key_areas=["policy"])
    html = Template("{% load training_tags %}{% key_area_recommendations areas %}").render(
        Context({"areas": ["policy", "financing"]})
    )
    assert "Policy course" in html
    assert "No training in the catalog covers Financing yet. <a" in html


def test_an_area_no_training_names_gets_the_closest_by_principle(empty_catalog):
    """Evaluation rests mostly on trustworthiness and empowerment (KEY_AREA_NEIGHBOURS)."""
    both = TrainingFactory(title="Open books", principles=["trustworthiness", "empowerment"])
    one = TrainingFactory(title="A voice", principles=["empowerment"], cost="free")
    TrainingFactory(title="Safe rooms", principles=["safety"])
    [area] = services.recommend_for_key_areas(["evaluation"])
    assert (area.closest_by, area.trainings) == ("principles", [both, one])
    html = Template("{% load training_tags %}{% key_area_recommendations areas %}").render(
        Context({"areas": ["evaluation"]})
    )
    assert (
        "No training in the catalog covers Evaluation yet. These are the closest, by the "
        "principles they teach:" in html
    )
    assert "Open books" in html and "Safe rooms" not in html


def test_topics_are_the_next_closest_and_nothing_at_all_is_said_once(empty_catalog):
    TrainingFactory(title="Money and change", topics=["organizational_change"])
    [area] = services.recommend_for_key_areas(["financing"])
    assert area.closest_by == "topics" and [t.title for t in area.trainings] == ["Money and change"]
    Training.objects.all().delete()
    html = Template("{% load training_tags %}{% key_area_recommendations areas %}").render(
        Context({"areas": ["financing", "policy", "evaluation"]})
    )
    assert html.count("No training in the catalog") == 1
    assert "or the principles they rest on" in html


def test_key_area_recommendations_take_one_query(empty_catalog, django_assert_num_queries):
    for n in range(6):
        TrainingFactory(title=f"T{n}", principles=["safety"], key_areas=["policy"])
    with django_assert_num_queries(1):
        services.recommend_for_key_areas(["policy", "physical_environment", "evaluation"])


# Partnership indicator ---------------------------------------------------------------------------


def test_training_share_counts_coordinators_and_members_with_a_recent_trauma_informed_training(db):
    partnership = PartnershipFactory()
    today = datetime.date(2026, 6, 1)
    trained_recently = MembershipFactory(partnership=partnership, role="coordinator").user
    trained_long_ago = MembershipFactory(partnership=partnership, role="member").user
    other_topic = MembershipFactory(partnership=partnership, role="member").user
    MembershipFactory(partnership=partnership, role="member")  # never trained
    outsider = ConsultantFactory()
    ti = TrainingFactory(topics=["trauma_informed_care"])
    TrainingRecordFactory(
        person=trained_recently, training=ti, completed_on=datetime.date(2023, 6, 1)
    )
    TrainingRecordFactory(
        person=trained_recently, training=ti, completed_on=datetime.date(2025, 1, 1)
    )
    TrainingRecordFactory(
        person=trained_long_ago, training=ti, completed_on=datetime.date(2023, 5, 31)
    )
    TrainingRecordFactory(person=other_topic, training=TrainingFactory(topics=["aces"]))
    TrainingRecordFactory(person=outsider, training=ti)

    share = services.training_share_for_partnership(partnership, today=today)
    assert (share.people, share.trained, share.years, share.percent) == (4, 1, 3, 25)
    assert services.training_share_for_partnership(PartnershipFactory()).percent == 0


def test_the_partnership_page_shows_the_indicator_to_its_coordinators_only(
    client, coordinator, partnership_x, consultant
):
    MembershipFactory(partnership=partnership_x, user=consultant, role="member")
    TrainingRecordFactory(
        person=consultant, training=TrainingFactory(topics=["trauma_informed_care"])
    )
    mfa_login(client, coordinator)
    content = client.get(partnership_x.get_absolute_url()).content.decode()
    assert "Trauma-informed training" in content
    assert "1 of the partnership's 2 coordinators and members" in content
    partnership_x.is_listed = True
    partnership_x.save()
    client.logout()
    assert (
        "Trauma-informed training"
        not in client.get(partnership_x.get_absolute_url()).content.decode()
    )


# On-site session requests ------------------------------------------------------------------------


@pytest.fixture
def on_site_training(db):
    return TrainingFactory(title="On-site course", slug="on-site-course", on_site=True)


def request_data(partnership, **extra):
    today = timezone.localdate()
    return {
        "partnership": partnership.pk,
        "preferred_from": (today + datetime.timedelta(days=10)).isoformat(),
        "preferred_until": (today + datetime.timedelta(days=40)).isoformat(),
        "audience_size": "25",
        "notes": "Mixed audience.",
        **extra,
    }


def test_a_coordinator_requests_an_on_site_session_and_admins_are_told(
    client,
    coordinator,
    partnership_x,
    admin_user,
    on_site_training,
):
    mfa_login(client, coordinator)
    url = reverse("trainings:request-create", kwargs={"slug": on_site_training.slug})
    response = client.post(url, request_data(partnership_x))
    send_due_notifications()
    training_request = TrainingRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == training_request.get_absolute_url()
    assert training_request.status == RequestStatus.SENT
    assert (training_request.partnership, training_request.requested_by) == (
        partnership_x,
        coordinator,
    )
    [message] = mail.outbox
    assert message.to == [admin_user.email]
    assert f"/admin/trainings/trainingrequest/{training_request.pk}/change/" in message.body
    assert partnership_x.name not in message.body and coordinator.email not in message.body
    # The coordinator follows it.
    assert "On-site course" in client.get(reverse("trainings:request-list")).content.decode()
    detail = client.get(training_request.get_absolute_url()).content.decode()
    assert "Sent" in detail and "Mixed audience." in detail


@pytest.mark.parametrize(
    "extra, message",
    [
        ({"preferred_from": "2000-01-01"}, "Choose a date from today on."),
        ({"audience_size": "0"}, "Ensure this value is greater than or equal to 1."),
        ({"audience_size": "many"}, "Enter a whole number."),
        ({"preferred_until": "bad"}, "Enter a valid date."),
    ],
)
def test_request_form_errors_are_clear(
    client, coordinator, partnership_x, on_site_training, extra, message
):
    mfa_login(client, coordinator)
    url = reverse("trainings:request-create", kwargs={"slug": on_site_training.slug})
    response = client.post(url, request_data(partnership_x, **extra))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not TrainingRequest.objects.exists()


def test_dates_out_of_order_are_refused(client, coordinator, partnership_x, on_site_training):
    mfa_login(client, coordinator)
    today = timezone.localdate()
    data = request_data(
        partnership_x,
        preferred_from=(today + datetime.timedelta(days=20)).isoformat(),
        preferred_until=(today + datetime.timedelta(days=5)).isoformat(),
    )
    url = reverse("trainings:request-create", kwargs={"slug": on_site_training.slug})
    assert "This date comes before the first one." in client.post(url, data).content.decode()


def test_a_coordinator_cannot_request_for_another_partnership(
    client, coordinator, partnership_y, on_site_training
):
    mfa_login(client, coordinator)
    url = reverse("trainings:request-create", kwargs={"slug": on_site_training.slug})
    response = client.post(url, request_data(partnership_y))
    assert "Select a valid choice." in response.content.decode()
    assert not TrainingRequest.objects.exists()


def test_a_training_that_cannot_be_held_on_site_cannot_be_requested(client, coordinator, db):
    training = TrainingFactory(on_site=False)
    mfa_login(client, coordinator)
    url = reverse("trainings:request-create", kwargs={"slug": training.slug})
    assert client.get(url).status_code == 404


def test_coordinators_see_only_their_partnerships_requests_and_admins_all(
    client, coordinator, other_coordinator, admin_user, partnership_x, partnership_y
):
    mine = TrainingRequestFactory(partnership=partnership_x, requested_by=coordinator)
    theirs = TrainingRequestFactory(partnership=partnership_y, requested_by=other_coordinator)
    mfa_login(client, coordinator)
    listed = list(client.get(reverse("trainings:request-list")).context["page_obj"])
    assert listed == [mine]
    assert client.get(theirs.get_absolute_url()).status_code == 404
    mfa_login(client, admin_user)
    assert len(client.get(reverse("trainings:request-list")).context["page_obj"]) == 2
    assert (
        client.get(reverse("admin:trainings_trainingrequest_changelist")).context["cl"].result_count
        == 2
    )


def test_request_list_query_count_is_fixed(
    client, coordinator, partnership_x, django_assert_num_queries
):
    mfa_login(client, coordinator)
    TrainingRequestFactory.create_batch(2, partnership=partnership_x)
    with django_assert_num_queries(6):
        client.get(reverse("trainings:request-list"))
    TrainingRequestFactory.create_batch(30, partnership=partnership_x)
    with django_assert_num_queries(6):
        client.get(reverse("trainings:request-list"))


def test_admins_track_a_request_and_the_coordinator_is_told(
    client, admin_user, coordinator, partnership_x
):
    training_request = TrainingRequestFactory(partnership=partnership_x, requested_by=coordinator)
    mfa_login(client, admin_user)
    url = reverse("admin:trainings_trainingrequest_changelist")
    client.post(url, {"action": "mark_scheduled", "_selected_action": [training_request.pk]})
    send_due_notifications()
    training_request.refresh_from_db()
    assert training_request.status == RequestStatus.SCHEDULED
    [message] = mail.outbox
    assert message.to == [coordinator.email]
    assert training_request.get_absolute_url() in message.body
    # A held request cannot be declined; sent → held skips a step.
    client.post(url, {"action": "mark_held", "_selected_action": [training_request.pk]})
    response = client.post(
        url, {"action": "mark_declined", "_selected_action": [training_request.pk]}, follow=True
    )
    assert "A request that is held cannot become declined." in response.content.decode()
    training_request.refresh_from_db()
    assert training_request.status == RequestStatus.HELD
    with pytest.raises(services.TrainingError):
        services.change_request_status(
            training_request=TrainingRequestFactory(), status="held", actor=admin_user
        )
    with pytest.raises(services.TrainingError):
        services.change_request_status(
            training_request=training_request, status="declined", actor=coordinator
        )


def test_open_goals_come_before_reached_ones(client, consultant):
    reached = GrowthGoalFactory(person=consultant, achieved_on=timezone.localdate())
    still_open = GrowthGoalFactory(person=consultant)
    client.force_login(consultant)
    goals = list(client.get(reverse("mytrainings:goal-list")).context["page_obj"])
    assert goals == [still_open, reached]
