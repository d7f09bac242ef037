"""The trauma-informed self-assessment: the instrument as data, rounds and raters, answering
over several sittings, closing, results (with survivors' ratings protected), the action plan,
trends, export, admin and demo data."""

import csv
import io
from datetime import timedelta

import pytest
from django.contrib import admin
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from assessment import services
from assessment.models import Answer, AssessmentRound, InstrumentVersion, Item, Priority
from partnerships.models import Goal
from survivors import services as survivor_services
from survivors.models import Availability, EngagementKind, ParticipationRequest
from tests.auth import mfa_login
from tests.partnerships.factories import MembershipFactory
from tests.queries import assert_fixed_query_count
from tests.toolkit_portal.factories import CoordinatorFactory

from . import assessment_helpers as helpers

pytestmark = pytest.mark.django_db


def _url(name, assessment_round, **extra):
    return reverse(
        name,
        kwargs={"slug": assessment_round.partnership.slug, "pk": assessment_round.pk, **extra},
    )


def _items(assessment_round, page):
    return list(Item.objects.filter(version=assessment_round.version_id).in_page(page))


# The instrument --------------------------------------------------------------------------------


def test_version_1_ships_64_statements_in_english_and_spanish():
    helpers.ensure_instrument()
    version = InstrumentVersion.objects.get(is_current=True)
    assert version.number == 1
    items = list(version.items.all())
    assert len(items) == 64
    pairs = {(item.key_area, item.principle) for item in items if item.key_area}
    assert len(pairs) == 60
    assert sorted(item.four_r for item in items if item.four_r) == [
        "realize",
        "recognize",
        "resist",
        "respond",
    ]
    assert all(item.statement_en and item.statement_es for item in items)
    item = next(i for i in items if i.code == "governance.trustworthiness")
    with translation.override("es"):
        assert item.statement().startswith("Los líderes explican")
    with translation.override("en"):
        assert item.statement().startswith("Leaders explain")


# Opening a round and inviting raters -------------------------------------------------------------


def test_open_round_takes_every_member_and_refuses_a_second_open_round(coordinator, partnership_x):
    member = CoordinatorFactory()
    MembershipFactory(partnership=partnership_x, user=member, role="member")
    assessment_round = helpers.open_round(partnership_x, coordinator)
    assert set(assessment_round.raters.values_list("user_id", flat=True)) == {
        coordinator.pk,
        member.pk,
    }
    assert assessment_round.version.number == 1
    with pytest.raises(services.PartnershipError, match="already open"):
        helpers.open_round(partnership_x, coordinator, title="Another")


def test_open_round_refuses_a_past_closing_date_on_the_form(client, coordinator, partnership_x):
    helpers.ensure_instrument()
    mfa_login(client, coordinator)
    response = client.post(
        reverse("partnerships:assessment-open", args=[partnership_x.slug]),
        {
            "title": "Late",
            "closes_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
            "raters": [coordinator.pk],
        },
    )
    assert response.status_code == 200
    assert "The closing date must be today or later." in response.content.decode()
    assert not AssessmentRound.objects.exists()


def test_other_coordinator_cannot_open_a_round(other_coordinator, partnership_x):
    with pytest.raises(services.PartnershipError):
        helpers.open_round(partnership_x, other_coordinator)


def test_consultant_is_invited_by_a_paid_request_and_rates_once_accepting(
    client, coordinator, partnership_x, profile
):
    assessment_round = helpers.open_round(partnership_x, coordinator)
    mfa_login(client, coordinator)
    response = client.post(
        _url("partnerships:assessment-invite", assessment_round),
        {"consultants": [profile.pk], "estimated_hours": "2", "compensation_amount": "45"},
    )
    assert response.status_code == 302
    assessment_round.refresh_from_db()
    engagement = assessment_round.engagement
    assert engagement.kind == EngagementKind.ASSESSMENT_REVIEW
    request = ParticipationRequest.objects.get(engagement=engagement, consultant=profile)
    assert request.status == ParticipationRequest.Status.PENDING
    # Not a rater until they accept: the answer pages do not exist for them.
    client.logout()
    mfa_login(client, profile.user)
    answer_url = _url("partnerships:assessment-answer", assessment_round)
    assert client.get(answer_url).status_code == 404
    assert "Self-assessments to rate" not in client.get(reverse("home")).content.decode()
    survivor_services.accept_request(request=request, actor=profile.user, consent={})
    assert client.get(answer_url).status_code == 200
    dashboard = client.get(reverse("home")).content.decode()
    assert "Self-assessments to rate" in dashboard
    assert answer_url in dashboard
    # The accepted request's own page leads there too.
    assert answer_url in client.get(request.get_absolute_url()).content.decode()
    helpers.answer_all(assessment_round, profile.user, lambda item: "3" if item.four_r else "")
    assert "4 of 64 answered" in client.get(reverse("home")).content.decode()
    # Withdrawing ends it again.
    survivor_services.withdraw_request(request=request, actor=profile.user)
    assert client.get(answer_url).status_code == 404


def test_closing_cancels_requests_still_unanswered(coordinator, partnership_x, profile):
    assessment_round = helpers.open_round(partnership_x, coordinator)
    services.invite_consultants_to_round(
        assessment_round=assessment_round,
        actor=coordinator,
        consultants=[profile],
        estimated_hours=2,
        compensation_amount=40,
    )
    helpers.close(assessment_round, coordinator)
    request = ParticipationRequest.objects.get(consultant=profile)
    assert request.status == ParticipationRequest.Status.CANCELLED


def test_survivor_rules_apply_to_assessment_invitations(coordinator, partnership_x, profile):
    profile.availability = Availability.PAUSED
    profile.paused_until = timezone.localdate() + timedelta(days=60)
    profile.save()
    assessment_round = helpers.open_round(partnership_x, coordinator)
    with pytest.raises(services.PartnershipError, match="paused"):
        helpers.invite_and_accept(assessment_round, coordinator, [profile])
    assert not ParticipationRequest.objects.exists()
    assert assessment_round.raters.count() == 1


# Answering --------------------------------------------------------------------------------


def test_answers_are_saved_per_page_and_kept_for_a_later_sitting(
    client, coordinator, partnership_x
):
    assessment_round = helpers.open_round(partnership_x, coordinator)
    items = _items(assessment_round, "policy")
    mfa_login(client, coordinator)
    url = _url("partnerships:assessment-answer-page", assessment_round, page="policy")
    data = {f"level-{items[0].pk}": "4", f"comment-{items[0].pk}": "Written, not yet shared."}
    data[f"level-{items[1].pk}"] = "na"
    response = client.post(url, {**data, "continue": "1"})
    assert response.status_code == 302
    assert response.url.endswith("/answer/physical_environment/")
    answers = {a.item_id: a for a in Answer.objects.filter(rater__user=coordinator)}
    assert answers[items[0].pk].level == 4
    assert answers[items[0].pk].comment == "Written, not yet shared."
    assert answers[items[1].pk].level is None  # not applicable
    assert len(answers) == 2
    # A later sitting finds the answers where they were left.
    page = client.get(url).content.decode()
    assert f'name="level-{items[0].pk}" value="4" id="id_level-{items[0].pk}_3" checked' in page
    assert "Written, not yet shared." in page
    overview = client.get(_url("partnerships:assessment-answer", assessment_round)).content
    assert b"2 of 64 statements answered." in overview
    # Clearing a statement removes its answer; a bad level is refused with a message.
    client.post(url, {f"level-{items[1].pk}": "4", "finish": "1"})
    assert set(Answer.objects.values_list("item_id", flat=True)) == {items[1].pk}
    response = client.post(url, {f"level-{items[0].pk}": "9"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_an_answer_for_another_page_or_without_a_level_is_refused(coordinator, partnership_x):
    assessment_round = helpers.open_round(partnership_x, coordinator)
    other = _items(assessment_round, "financing")[0]
    with pytest.raises(services.PartnershipError, match="not on this page"):
        services.save_answers(
            assessment_round=assessment_round,
            actor=coordinator,
            page="policy",
            answers={other.pk: ("3", "")},
        )
    item = _items(assessment_round, "policy")[0]
    with pytest.raises(services.PartnershipError, match="Choose a level"):
        services.save_answers(
            assessment_round=assessment_round,
            actor=coordinator,
            page="policy",
            answers={item.pk: ("", "A comment alone")},
        )
    assert not Answer.objects.exists()


def test_not_invited_and_other_partnership_get_404(
    client, coordinator, other_coordinator, partnership_x, other_profile
):
    assessment_round = helpers.open_round(partnership_x, coordinator)
    for user in [other_profile.user, other_coordinator]:
        client.logout()
        mfa_login(client, user)
        for url in [
            _url("partnerships:assessment-round", assessment_round),
            _url("partnerships:assessment-answer", assessment_round),
            _url("partnerships:assessment-answer-page", assessment_round, page="policy"),
        ]:
            assert client.get(url).status_code == 404, (user, url)
        assert (
            client.post(
                _url("partnerships:assessment-answer-page", assessment_round, page="policy"), {}
            ).status_code
            == 404
        )
    with pytest.raises(services.PartnershipError, match="not a rater"):
        services.save_answers(
            assessment_round=assessment_round, actor=other_coordinator, page="policy", answers={}
        )


def test_a_closed_round_cannot_be_answered(client, coordinator, partnership_x):
    assessment_round = helpers.open_round(partnership_x, coordinator)
    item = _items(assessment_round, "policy")[0]
    url = _url("partnerships:assessment-answer-page", assessment_round, page="policy")
    mfa_login(client, coordinator)
    client.post(url, {f"level-{item.pk}": "2"})
    helpers.close(assessment_round, coordinator)
    response = client.post(url, {f"level-{item.pk}": "5"})
    assert response.status_code == 403
    assert "This round is closed" in response.content.decode()
    assert Answer.objects.get().level == 2
    assert client.get(url).status_code == 302
    with pytest.raises(services.PartnershipError, match="closed"):
        services.save_answers(
            assessment_round=assessment_round,
            actor=coordinator,
            page="policy",
            answers={item.pk: ("5", "")},
        )
    with pytest.raises(services.PartnershipError, match="already closed"):
        services.close_assessment_round(assessment_round=assessment_round, actor=coordinator)


def test_a_round_past_its_closing_date_is_closed(coordinator, partnership_x):
    assessment_round = helpers.open_round(partnership_x, coordinator)
    AssessmentRound.objects.filter(pk=assessment_round.pk).update(
        closes_on=timezone.localdate() - timedelta(days=1)
    )
    assessment_round.refresh_from_db()
    assert assessment_round.is_closed()
    with pytest.raises(services.PartnershipError, match="closed"):
        services.save_answers(
            assessment_round=assessment_round, actor=coordinator, page="policy", answers={}
        )


def test_no_one_sees_answers_before_the_round_closes(client, coordinator, partnership_x, profile):
    assessment_round = helpers.open_round(partnership_x, coordinator)
    helpers.invite_and_accept(assessment_round, coordinator, [profile])
    helpers.answer_all(assessment_round, profile.user, lambda item: "1")
    for user in [coordinator, profile.user]:
        client.logout()
        mfa_login(client, user)
        page = client.get(_url("partnerships:assessment-round", assessment_round)).content
        assert b"Results appear here once the round closes" in page
        assert b"heatmap" not in page
        export = client.get(_url("partnerships:assessment-export", assessment_round))
        assert export.status_code == 302
    # The coordinator sees how far each rater is, never what they answered.
    raters = client.get(_url("partnerships:assessment-raters", assessment_round))
    assert raters.status_code == 403  # the consultant is signed in now
    client.logout()
    mfa_login(client, coordinator)
    page = client.get(_url("partnerships:assessment-raters", assessment_round)).content.decode()
    assert "64 / 64" in page
    assert "1 · Not yet" not in page


# Results --------------------------------------------------------------------------------


def _members(partnership, count):
    users = [m.user for m in partnership.memberships.filter(role="member").order_by("pk")]
    while len(users) < count:
        user = CoordinatorFactory()
        MembershipFactory(partnership=partnership, user=user, role="member")
        users.append(user)
    return users[:count]


def _round_with_survivors(partnership, coordinator, survivor_levels, staff_levels=("4", "4")):
    """A closed round rated by staff (the coordinator, then members) and survivors."""
    staff = [coordinator, *_members(partnership, len(staff_levels) - 1)]
    assessment_round = helpers.open_round(partnership, coordinator)
    profiles = helpers.survivors(len(survivor_levels))
    raters = helpers.invite_and_accept(assessment_round, coordinator, profiles)
    for user, level in zip(staff, staff_levels, strict=True):
        helpers.answer_all(assessment_round, user, lambda item, level=level: level)
    for rater, level in zip(raters, survivor_levels, strict=True):
        helpers.answer_all(assessment_round, rater.user, lambda item, level=level: level)
    return helpers.close(assessment_round, coordinator)


def test_results_hide_survivors_when_fewer_than_three_rated(client, coordinator, partnership_x):
    assessment_round = _round_with_survivors(partnership_x, coordinator, ["1", "2"])
    mfa_login(client, coordinator)
    page = client.get(_url("partnerships:assessment-round", assessment_round)).content.decode()
    assert "Fewer than three survivor consultants or fewer than three staff rated" in page
    assert "Survivor mean" not in page
    # (4 + 4 + 1 + 2) / 4 everywhere.
    assert '<dd class="col-sm-8" id="overall-mean">2.75</dd>' in page
    assert "withheld" not in page.split("</table>")[2]  # the key areas' table
    assert 'role="img"' in page and '<title id="heatmap-title">' in page
    export = client.get(_url("partnerships:assessment-export", assessment_round))
    rows = list(csv.reader(io.StringIO(export.content.decode())))
    assert rows[0][:9] == [
        "code",
        "key area",
        "principle",
        "Four R's",
        "statement",
        "mean",
        "spread",
        "count",
        "not applicable",
    ]
    assert len(rows) == 65
    assert rows[1][0] == "governance.safety"
    assert rows[1][5:9] == ["2.75", "1.30", "4", "0"]
    assert rows[1][9:] == ["", ""]  # no staff or survivor split


def test_one_staff_rater_and_one_survivor_see_no_combined_figures(
    client, coordinator, partnership_x, profile
):
    assessment_round = helpers.open_round(partnership_x, coordinator)
    (rater,) = helpers.invite_and_accept(assessment_round, coordinator, [profile])
    helpers.answer_all(assessment_round, coordinator, lambda item: "5")
    helpers.answer_all(assessment_round, profile.user, lambda item: "1")
    assessment_round = helpers.close(assessment_round, coordinator)
    mfa_login(client, coordinator)
    page = client.get(_url("partnerships:assessment-round", assessment_round)).content.decode()
    # The coordinator knows their own 5s: any mean would give the survivor's answers away.
    assert '<dd class="col-sm-8" id="overall-mean">—</dd>' in page
    assert "withheld" in page
    assert "3.00" not in page
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(
                    _url("partnerships:assessment-export", assessment_round)
                ).content.decode()
            )
        )
    )
    assert rows[1][5:9] == ["", "", "", ""]  # not even the counts
    assert services.assessment_trends(partnership_x)[0]["overall"] is None


def test_results_show_survivors_beside_staff_from_three_of_each(client, coordinator, partnership_x):
    assessment_round = _round_with_survivors(
        partnership_x, coordinator, ["1", "2", "na"], staff_levels=("4", "4", "3")
    )
    mfa_login(client, coordinator)
    page = client.get(_url("partnerships:assessment-round", assessment_round)).content.decode()
    # Three of each kind rated the round, but each statement has only two survivor ratings
    # (one said N/A): no cell may show them apart.
    assert "Survivor mean" in page
    assert '<td class="text-end" colspan="2">withheld</td>' in page
    assessment_round = AssessmentRound.objects.get(pk=assessment_round.pk)
    results = services.assessment_results(assessment_round)
    assert results["survivors_shown"]
    cell = results["areas"]["policy"]
    assert cell.all.not_applicable == 6
    assert not results["items"][0][1].shown

    other = _round_with_survivors(
        partnership_x, coordinator, ["1", "2", "3"], staff_levels=("5", "4", "3")
    )
    results = services.assessment_results(other)
    cell = results["items"][0][1]
    assert cell.shown
    assert (cell.staff.mean, cell.survivor.mean, cell.all.mean) == (4, 2, 3)
    # The previous closed round is compared per area.
    assert results["previous"].pk == assessment_round.pk
    assert results["previous_areas"]["policy"] == pytest.approx(14 / 5)


def test_no_group_of_staff_or_survivors_is_shown_when_they_answered_alike(
    client, coordinator, partnership_x, profile
):
    """Three of each kind, and every staff rater answered 5: a staff column would tell each
    survivor what every staff rater answered; with the survivors' 1, 2, 3 the combined
    figures still stand."""
    assessment_round = _round_with_survivors(
        partnership_x, coordinator, ["1", "2", "3"], staff_levels=("5", "5", "5")
    )
    mfa_login(client, coordinator)
    page = client.get(_url("partnerships:assessment-round", assessment_round)).content.decode()
    assert "Staff mean" in page and "5.00" not in page
    assert '<dd class="col-sm-8" id="overall-mean">3.50</dd>' in page
    export = client.get(_url("partnerships:assessment-export", assessment_round))
    rows = list(csv.reader(io.StringIO(export.content.decode())))
    assert rows[1][5:] == ["3.50", "1.61", "6", "0", "", ""]


def test_a_consultant_finds_the_results_of_rounds_she_rated_on_her_dashboard(
    client, coordinator, partnership_x, django_assert_num_queries
):
    assessment_round = _round_with_survivors(
        partnership_x, coordinator, ["1", "2", "3"], staff_levels=("5", "4", "3")
    )
    consultant = assessment_round.raters.filter(kind="survivor").first().user
    client.force_login(consultant)
    results_url = _url("partnerships:assessment-round", assessment_round)
    dashboard = client.get(reverse("home")).content.decode()
    # Listed with its results, no longer as something to rate.
    assert "Self-assessments you rated" in dashboard
    assert f'href="{results_url}"' in dashboard
    assert "Self-assessments to rate" not in dashboard
    assert _url("partnerships:assessment-answer", assessment_round) not in dashboard
    assert client.get(results_url).status_code == 200
    # Someone who did not rate it sees no such list.
    other = helpers.survivors(1)[0].user
    client.force_login(other)
    assert "Self-assessments you rated" not in client.get(reverse("home")).content.decode()

    def more_rounds():
        for index in range(3):
            closed = helpers.open_round(partnership_x, coordinator, title=f"Round {index}")
            helpers.invite_and_accept(closed, coordinator, [consultant.consultant_profile])
            helpers.close(closed, coordinator)

    # The dashboard runs more than tests.queries' page budget already: only its growth is
    # checked here, one query for the list however many rounds.
    client.force_login(consultant)
    client.get(reverse("home"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("home"))
    more_rounds()
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(reverse("home"))
    assert client.get(reverse("home")).content.decode().count("See the results") == 4


def test_results_page_query_count_is_fixed(
    client, coordinator, partnership_x, django_assert_num_queries
):
    previous = _round_with_survivors(partnership_x, coordinator, ["2", "3", "3"])
    assessment_round = helpers.open_round(partnership_x, coordinator, title="Now")
    helpers.answer_all(assessment_round, coordinator, lambda item: "3")
    assessment_round = helpers.close(assessment_round, coordinator)
    assert previous.pk != assessment_round.pk

    def more_raters():
        reopened = assessment_round
        people = [CoordinatorFactory() for _ in range(4)]
        for person in people:
            MembershipFactory(partnership=partnership_x, user=person, role="member")
        AssessmentRound.objects.filter(pk=reopened.pk).update(closed_at=None)
        reopened.closed_at = None
        services.add_staff_raters(assessment_round=reopened, actor=coordinator, users=people)
        for person in people:
            helpers.answer_all(reopened, person, lambda item: "2")
        services.close_assessment_round(assessment_round=reopened, actor=coordinator)

    mfa_login(client, coordinator)
    assert_fixed_query_count(
        client,
        _url("partnerships:assessment-round", assessment_round),
        more_raters,
        django_assert_num_queries,
    )


# Action plan and trends --------------------------------------------------------------------------


def test_comments_are_shown_after_closing_without_names(client, coordinator, partnership_x):
    assessment_round = helpers.open_round(partnership_x, coordinator)
    item = _items(assessment_round, "policy")[0]
    services.save_answers(
        assessment_round=assessment_round,
        actor=coordinator,
        page="policy",
        answers={item.pk: ("2", "Our MOU is silent on consent.")},
    )
    mfa_login(client, coordinator)
    url = _url("partnerships:assessment-round", assessment_round)
    assert "Our MOU is silent on consent." not in client.get(url).content.decode()
    helpers.close(assessment_round, coordinator)
    page = client.get(url).content.decode()
    comments = page[page.index('id="comments"') :]
    assert "Our MOU is silent on consent." in comments
    assert coordinator.email not in comments[: comments.index("</dl>")]


def test_a_consultants_answers_are_exported_and_their_comments_erased(coordinator, partnership_x):
    assessment_round = helpers.open_round(partnership_x, coordinator)
    (rater,) = helpers.invite_and_accept(assessment_round, coordinator, helpers.survivors(1))
    consultant = rater.user
    item = _items(assessment_round, "policy")[0]
    services.save_answers(
        assessment_round=assessment_round,
        actor=consultant,
        page="policy",
        answers={item.pk: ("4", "I was asked for my story at intake.")},
    )
    exported = survivor_services.export_consultant_data(consultant.consultant_profile)
    assert exported["assessment_answers"] == [
        {
            "partnership": partnership_x.name,
            "round": assessment_round.title,
            "statement": item.statement("en"),
            "level": 4,
            "comment": "I was asked for my story at intake.",
        }
    ]

    survivor_services.erase_consultant(user=consultant, actor=consultant)
    answer = Answer.objects.get(rater=rater, item=item)
    # The rating stays in the partnership's numbers, the words that could identify them go.
    assert (answer.level, answer.comment) == (4, "")


def test_a_priority_needs_a_reason_and_a_goal(client, coordinator, partnership_x):
    assessment_round = helpers.open_round(partnership_x, coordinator)
    weak = {"financing": "1", "evaluation": "2", "policy": "2"}
    helpers.rated_by_staff(assessment_round, coordinator, lambda item: weak.get(item.key_area, "4"))
    url = _url("partnerships:assessment-priorities", assessment_round)
    mfa_login(client, coordinator)
    assert client.get(url).status_code == 302  # still open
    assessment_round = helpers.close(assessment_round, coordinator)
    page = client.get(url).content.decode()
    assert page.index("Financing") < page.index("Policy") < page.index("Evaluation")
    response = client.post(url, {"key_area": "financing", "reason": "", "goal_title": ""})
    assert response.status_code == 400
    assert "A priority needs a reason and a goal" in response.content.decode()
    response = client.post(
        url, {"key_area": "financing", "reason": "We pay late.", "goal_title": "", "four_p": ""}
    )
    assert "A priority needs a reason and a goal" in response.content.decode()
    assert not Priority.objects.exists() and not Goal.objects.filter(key_area="financing")
    # Not one of the weakest areas.
    response = client.post(
        url,
        {"key_area": "training", "reason": "x", "goal_title": "y", "four_p": "partnership"},
    )
    assert response.status_code == 400
    response = client.post(
        url,
        {
            "key_area": "financing",
            "reason": "Consultants waited two months to be paid.",
            "goal_title": "Pay survivor consultants within 30 days",
            "four_p": "partnership",
            "owner": "Treasurer",
        },
    )
    assert response.status_code == 302
    priority = Priority.objects.get()
    assert priority.goal.key_area == "financing"
    assert priority.goal.partnership == partnership_x
    assert priority.goal.owner == "Treasurer"
    with pytest.raises(services.PartnershipError, match="already a priority"):
        services.record_priority(
            assessment_round=assessment_round,
            actor=coordinator,
            key_area="financing",
            reason="Again",
            goal_title="Again",
            four_p="partnership",
        )
    results = client.get(_url("partnerships:assessment-round", assessment_round))
    assert "Pay survivor consultants within 30 days" in results.content.decode()
    assert "/trainings/?key_area=financing" in results.content.decode()
    # The partnership page recommends trainings for the weakest areas of the latest round.
    assert services.latest_weakest_areas(partnership_x) == ["financing", "policy", "evaluation"]
    detail = client.get(reverse("partnerships:detail", args=[partnership_x.slug])).content
    assert b"Trainings for your weakest key areas" in detail


def test_trends_show_every_closed_round(client, coordinator, partnership_x):
    for title, level in [("First", "2"), ("Second", "4")]:
        assessment_round = helpers.open_round(partnership_x, coordinator, title=title)
        helpers.rated_by_staff(assessment_round, coordinator, lambda item, level=level: level)
        helpers.close(assessment_round, coordinator)
    helpers.open_round(partnership_x, coordinator, title="Third")
    trends = services.assessment_trends(partnership_x)
    assert [t["round"].title for t in trends] == ["First", "Second"]
    assert [t["overall"] for t in trends] == [2.5, 4.5]  # two raters a level above two
    assert trends[1]["areas"][0] == ("governance", "Governance and leadership", 4.5)
    mfa_login(client, coordinator)
    page = client.get(reverse("partnerships:assessment", args=[partnership_x.slug]))
    content = page.content.decode()
    assert "Over time" in content and "First" in content and "Third" in content
    assert "4.50" in content and "2.50" in content


def test_assessment_page_query_count_is_fixed(
    client, coordinator, partnership_x, django_assert_num_queries
):
    def rounds(n):
        for index in range(n):
            assessment_round = helpers.open_round(partnership_x, coordinator, title=f"R{index}")
            helpers.answer_all(assessment_round, coordinator, lambda item: "3")
            helpers.close(assessment_round, coordinator)

    rounds(1)
    mfa_login(client, coordinator)
    assert_fixed_query_count(
        client,
        reverse("partnerships:assessment", args=[partnership_x.slug]),
        lambda: rounds(4),
        django_assert_num_queries,
    )


# Admin and demo ----------------------------------------------------------------------------------


def test_answers_are_read_only_in_admin_once_closed(coordinator, partnership_x, admin_user):
    assessment_round = helpers.open_round(partnership_x, coordinator)
    helpers.answer_all(assessment_round, coordinator, lambda item: "3")
    answer = Answer.objects.first()
    model_admin = admin.site._registry[Answer]
    request = RequestFactory().get("/admin/")
    request.user = admin_user
    assert model_admin.has_change_permission(request, answer)
    helpers.close(assessment_round, coordinator)
    answer = Answer.objects.select_related("rater__round").get(pk=answer.pk)
    assert not model_admin.has_change_permission(request, answer)
    assert not model_admin.has_delete_permission(request, answer)
    assert not model_admin.has_add_permission(request)


def test_admin_pages_open(client, admin_user, coordinator, partnership_x):
    assessment_round = helpers.open_round(partnership_x, coordinator)
    helpers.answer_all(assessment_round, coordinator, lambda item: "3" if item.four_r else "")
    mfa_login(client, admin_user)
    version = InstrumentVersion.objects.get()
    for url in [
        reverse("admin:assessment_instrumentversion_change", args=[version.pk]),
        reverse("admin:assessment_assessmentround_change", args=[assessment_round.pk]),
        reverse("admin:assessment_answer_changelist"),
        reverse("admin:assessment_answer_change", args=[Answer.objects.first().pk]),
    ]:
        assert client.get(url).status_code == 200, url


def test_demo_has_two_closed_rounds_and_one_open_with_partial_answers():
    from portal_site.demo import load_demo

    helpers.ensure_instrument()
    load_demo()
    load_demo()  # idempotent
    rounds = AssessmentRound.objects.filter(partnership__slug="front-range-task-force")
    assert rounds.count() == 3
    assert rounds.closed().count() == 2
    current = rounds.open().get()
    answered = Answer.objects.filter(rater__round=current).count()
    assert 0 < answered < 64 * current.raters.count()
    closed = rounds.closed().order_by("opened_at").first()
    assert closed.raters.filter(kind="survivor").count() == 3
    # One staff rater: no staff and survivor columns, but raters differ enough for figures.
    results = services.assessment_results(closed)
    assert not results["survivors_shown"]
    assert results["overall"].all.mean is not None
    assert sum(not cell.withheld for _item, cell in results["items"]) > 30
    assert len(services.assessment_trends(current.partnership)) == 2
