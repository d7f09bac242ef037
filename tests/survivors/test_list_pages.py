"""The directory, the engagement list and the compensation list page by position ("the
next 100"): walking forward and back shows every row once, in order; a row that has gone
or a mangled address shows the first page."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from survivors.models import Compensation, Engagement, EngagementKind, choice_label
from tests.survivors import bulk

LIST_PAGE_SIZE = settings.LONG_LIST_PAGE_SIZE


def _names(response):
    return [profile.display_name for profile in response.context["page_obj"]]


def _titles(response):
    return [row["title"] for row in response.context["page_obj"]]


def _walk(client, url, rows_of):
    """Every page from the first by "Next", then back by "Previous": the rows of each."""
    response = client.get(url)
    pages = [rows_of(response)]
    while response.context["page_obj"].has_next:
        assert 'rel="next"' in response.content.decode()
        response = client.get(url, {"after": str(response.context["page_obj"].next_after)})
        pages.append(rows_of(response))
    back = [rows_of(response)]
    while response.context["page_obj"].has_previous:
        assert 'rel="prev"' in response.content.decode()
        before = str(response.context["page_obj"].previous_before)
        response = client.get(url, {"before": before})
        back.append(rows_of(response))
    return pages, back[::-1]


def test_directory_pages_forward_and_back_show_every_consultant_once(coordinator_client):
    bulk.profiles(2 * LIST_PAGE_SIZE + 5, prefix="walk")
    pages, back = _walk(coordinator_client, reverse("survivors:directory"), _names)
    assert [len(page) for page in pages] == [LIST_PAGE_SIZE, LIST_PAGE_SIZE, 5]
    seen = [name for page in pages for name in page]
    assert len(seen) == len(set(seen)) == 2 * LIST_PAGE_SIZE + 5
    assert seen == sorted(seen)  # by name (each name is unique here)
    assert back == pages


def test_directory_pages_keep_the_filters(coordinator_client):
    bulk.profiles(LIST_PAGE_SIZE + 3, prefix="kept")
    url = reverse("survivors:directory")
    first = coordinator_client.get(url, {"language": "English"})
    after = first.context["page_obj"].next_after
    assert f"language=English&amp;after={after}" in first.content.decode()
    second = coordinator_client.get(url, {"language": "English", "after": str(after)})
    assert len(second.context["page_obj"]) == 3


def test_engagement_pages_with_equal_start_times_show_each_once(coordinator_client, partnership_x):
    made = bulk.engagements(2 * LIST_PAGE_SIZE + 1, partnership=partnership_x)
    # Many engagements starting at the same moment: the id decides their order.
    same = timezone.now() + timedelta(days=3)
    Engagement.objects.filter(pk__in=[e.pk for e in made[::3]]).update(starts_at=same)
    pages, back = _walk(coordinator_client, reverse("survivors:engagement-list"), _titles)
    seen = [title for page in pages for title in page]
    assert len(seen) == len(set(seen)) == 2 * LIST_PAGE_SIZE + 1
    assert back == pages
    newest_first = list(
        Engagement.objects.order_by("-starts_at", "id").values_list("title", flat=True)
    )
    assert seen == newest_first


def test_compensation_pages_with_equal_due_dates_show_each_record_once(
    coordinator_client, partnership_x, profile
):
    # Due dates spread over 40 days: about five records share each one.
    bulk.compensation(2 * LIST_PAGE_SIZE + 7, partnership=partnership_x, consultant=profile)
    pages, back = _walk(
        coordinator_client,
        reverse("survivors:compensation-list"),
        lambda response: [row["pk"] for row in response.context["page_obj"]],
    )
    seen = [pk for page in pages for pk in page]
    assert len(seen) == len(set(seen)) == 2 * LIST_PAGE_SIZE + 7
    assert back == pages
    by_due_date = list(Compensation.objects.order_by("due_on", "id").values_list("pk", flat=True))
    assert seen == by_due_date


@pytest.mark.parametrize("cursor", ["not-a-uuid", "00000000-0000-0000-0000-000000000000", ""])
def test_a_mangled_or_unknown_position_shows_the_first_page(coordinator_client, cursor):
    bulk.profiles(LIST_PAGE_SIZE + 1, prefix="mangled")
    url = reverse("survivors:directory")
    first = _names(coordinator_client.get(url))
    for name in ("after", "before"):
        response = coordinator_client.get(url, {name: cursor})
        assert response.status_code == 200
        assert _names(response) == first
        assert not response.context["page_obj"].has_previous


def test_an_engagement_of_another_partnership_gives_no_position(
    coordinator_client, partnership_x, partnership_y
):
    bulk.engagements(3, partnership=partnership_x)
    elsewhere = bulk.engagements(1, partnership=partnership_y, days=5)[0]
    response = coordinator_client.get(
        reverse("survivors:engagement-list"), {"after": str(elsewhere.pk)}
    )
    assert len(_titles(response)) == 3  # the first page, not the rows after it
    assert "Bulk session" in response.content.decode()


def test_engagement_rows_link_to_their_page_with_labels(coordinator_client, partnership_x):
    engagement = bulk.engagements(1, partnership=partnership_x)[0]
    content = coordinator_client.get(reverse("survivors:engagement-list")).content.decode()
    url = reverse("survivors:engagement-detail", kwargs={"pk": engagement.pk})
    assert f'href="{url}"' in content
    assert str(EngagementKind.CONSULTATION.label) in content
    assert str(Engagement.Status.OPEN.label) in content


def test_choice_labels_follow_the_active_language():
    with translation.override("en"):
        english = choice_label(Engagement.Status, "cancelled")
    with translation.override("es"):
        spanish = choice_label(Engagement.Status, "cancelled")
    assert english == "Cancelled"
    assert spanish != english
    assert choice_label(Engagement.Status, "no-such-value") == "no-such-value"
