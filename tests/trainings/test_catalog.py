"""The public catalog: full-text search with ranking, filters, chips, sorting, pagination."""

import itertools
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.http import QueryDict
from django.urls import reverse

from trainings.filters import TrainingFilter
from trainings.models import Training
from trainings.services import search_trainings

from .factories import EvaluationFactory, ProviderFactory, TrainingFactory, TrainingRecordFactory

LIST = reverse("trainings:list")


@pytest.fixture
def empty_catalog(db):
    """The toolkit's trainings are removed so each test sees only its own."""
    Training.objects.all().delete()


def titles(response):
    return [training.title for training in response.context["page_obj"]]


# Search ------------------------------------------------------------------------------------------


def test_an_exact_title_ranks_above_a_mention_in_the_description(client, empty_catalog):
    TrainingFactory(title="Working with survivors", description="Resilience comes up once.")
    TrainingFactory(title="Resilience", description="A course.")
    TrainingFactory(title="Unrelated", description="Nothing to see.")
    response = client.get(LIST, {"q": "resilience"})
    assert titles(response) == ["Resilience", "Working with survivors"]


def test_a_title_word_ranks_above_the_same_word_in_the_description(empty_catalog):
    TrainingFactory(title="Budgeting basics", description="Some trauma-informed budgeting ideas.")
    TrainingFactory(title="Trauma-informed supervision", description="For supervisors.")
    ranked = list(search_trainings(Training.objects.published(), "trauma-informed"))
    assert [t.title for t in ranked] == ["Trauma-informed supervision", "Budgeting basics"]
    assert ranked[0].rank > ranked[1].rank


def test_search_stems_words_and_searches_the_toolkit_notes(client, empty_catalog):
    TrainingFactory(title="A", toolkit_notes="Trainings can be at organization sites.")
    TrainingFactory(title="B")
    assert titles(client.get(LIST, {"q": "organizations"})) == ["A"]


def test_search_finds_a_provider_and_a_partial_title(client, empty_catalog):
    TrainingFactory(title="Child protection", provider=ProviderFactory(name="Gundersen Center"))
    TrainingFactory(title="Other")
    assert titles(client.get(LIST, {"q": "Gundersen"})) == ["Child protection"]
    assert titles(client.get(LIST, {"q": "protec"})) == ["Child protection"]


def test_a_query_of_stop_words_falls_back_to_the_title(client, empty_catalog):
    # "the" parses to an empty full-text query; the title match takes over.
    TrainingFactory(title="The Brain Story")
    TrainingFactory(title="Second course")
    assert titles(client.get(LIST, {"q": "the"})) == ["The Brain Story"]


@pytest.mark.parametrize("q", ['"', "&|!", "((", "' OR 1=1 --", "x" * 500, "é ü ß"])
def test_odd_queries_never_fail(client, empty_catalog, q):
    TrainingFactory(title="Course")
    assert client.get(LIST, {"q": q}).status_code == 200


def test_unpublished_trainings_are_not_in_the_catalog(client, empty_catalog):
    TrainingFactory(title="Visible")
    TrainingFactory(title="Hidden suggestion", is_published=False)
    assert titles(client.get(LIST)) == ["Visible"]
    assert titles(client.get(LIST, {"q": "suggestion"})) == []


# Filters -----------------------------------------------------------------------------------------


@pytest.fixture
def catalog(empty_catalog):
    return {
        "webinar": TrainingFactory(
            title="Free webinar",
            delivery="online",
            format="webinar_series",
            cost="free",
            audiences=["community"],
            topics=["aces"],
            key_areas=["training"],
            on_site=False,
        ),
        "workshop": TrainingFactory(
            title="On-site workshop",
            delivery="in_person",
            format="workshop",
            cost="paid",
            audiences=["law_enforcement", "prosecution"],
            topics=["criminal_justice", "trauma_informed_care"],
            key_areas=["screening", "training"],
            on_site=True,
        ),
        "community": TrainingFactory(
            title="Hybrid learning community",
            delivery="hybrid",
            format="learning_community",
            cost="varies",
            audiences=["behavioral_health"],
            topics=["organizational_change"],
            key_areas=["governance", "policy"],
            on_site=True,
        ),
    }


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"delivery": "online"}, ["Free webinar"]),
        ({"delivery": ["online", "hybrid"]}, ["Free webinar", "Hybrid learning community"]),
        ({"format": "workshop"}, ["On-site workshop"]),
        ({"audience": "prosecution"}, ["On-site workshop"]),
        (
            {"audience": ["community", "behavioral_health"]},
            ["Free webinar", "Hybrid learning community"],
        ),
        ({"topic": "aces"}, ["Free webinar"]),
        ({"cost": "free"}, ["Free webinar"]),
        ({"cost": ["paid", "varies"]}, ["Hybrid learning community", "On-site workshop"]),
        ({"key_area": "training"}, ["Free webinar", "On-site workshop"]),
        ({"key_area": "policy"}, ["Hybrid learning community"]),
        ({"on_site": "on"}, ["Hybrid learning community", "On-site workshop"]),
        ({}, ["Free webinar", "Hybrid learning community", "On-site workshop"]),
    ],
)
def test_each_filter(client, catalog, params, expected):
    assert titles(client.get(LIST, params)) == expected


FILTER_VALUES = {
    "delivery": ["online", "in_person", "hybrid"],
    "format": ["webinar_series", "workshop", "learning_community", "course"],
    "audience": ["community", "law_enforcement", "behavioral_health"],
    "topic": ["aces", "trauma_informed_care", "organizational_change"],
    "cost": ["free", "paid", "varies"],
    "key_area": ["training", "screening", "policy", "financing"],
    "on_site": ["on", None],
}


def _expected(trainings, params):
    """What the filters should keep, worked out in Python."""
    kept = []
    for t in trainings:
        keep = (
            params.get("delivery", t.delivery) == t.delivery
            and params.get("format", t.format) == t.format
            and params.get("cost", t.cost) == t.cost
            and ("audience" not in params or params["audience"] in t.audiences)
            and ("topic" not in params or params["topic"] in t.topics)
            and ("key_area" not in params or params["key_area"] in t.key_areas)
            and (params.get("on_site") != "on" or t.on_site)
        )
        if keep:
            kept.append(t.title)
    return sorted(kept)


def test_every_pair_of_filters_combines(client, catalog):
    trainings = list(catalog.values())
    for first, second in itertools.combinations(FILTER_VALUES, 2):
        for a, b in itertools.product(FILTER_VALUES[first], FILTER_VALUES[second]):
            params = {k: v for k, v in {first: a, second: b}.items() if v is not None}
            got = sorted(
                t.title
                for t in TrainingFilter(
                    QueryDict(urlencode(params)), queryset=Training.objects.published()
                ).qs
            )
            assert got == _expected(trainings, params), params


def test_filters_combine_with_search_and_sorting(client, catalog):
    response = client.get(LIST, {"q": "workshop", "on_site": "on", "key_area": "training"})
    assert titles(response) == ["On-site workshop"]
    response = client.get(LIST, {"q": "webinar", "on_site": "on"})
    assert titles(response) == []
    assert "No training matches this search." in response.content.decode()


def test_unknown_filter_values_are_ignored_with_a_notice(client, catalog):
    response = client.get(LIST, {"delivery": "by-pigeon", "sort": "cheapest", "page": "zz"})
    assert response.status_code == 200
    assert len(titles(response)) == 3
    assert "not understood" in response.content.decode()


# Chips, count, sorting, pagination ---------------------------------------------------------------


def test_active_filters_show_as_chips_that_remove_themselves(client, catalog):
    response = client.get(LIST, {"q": "course", "delivery": ["online", "hybrid"], "on_site": "on"})
    chips = {chip["label"]: chip["url"] for chip in response.context["chips"]}
    assert set(chips) == {
        "Search: “course”",
        "Delivery: Online",
        "Delivery: Hybrid",
        "Can be held at your site",
    }
    remaining = parse_qs(urlsplit(chips["Delivery: Online"]).query)
    assert remaining == {"q": ["course"], "delivery": ["hybrid"], "on_site": ["on"]}
    assert "q" not in parse_qs(urlsplit(chips["Search: “course”"]).query)
    content = response.content.decode()
    assert "Active filters:" in content and "(remove)" in content


def test_result_count(client, catalog):
    assert "3 trainings found" in client.get(LIST).content.decode()
    assert "1 training found" in client.get(LIST, {"cost": "free"}).content.decode()


@pytest.mark.parametrize(
    "sort, expected",
    [
        ("title", ["Free webinar", "Hybrid learning community", "On-site workshop"]),
        ("rating", ["On-site workshop", "Free webinar", "Hybrid learning community"]),
        ("shortest", ["Hybrid learning community", "Free webinar", "On-site workshop"]),
    ],
)
def test_sorting(client, catalog, sort, expected):
    Training.objects.filter(pk=catalog["webinar"].pk).update(length_hours=3)
    Training.objects.filter(pk=catalog["workshop"].pk).update(length_hours=8)
    Training.objects.filter(pk=catalog["community"].pk).update(length_hours=1)
    EvaluationFactory(record__training=catalog["workshop"], rating=5)
    EvaluationFactory(record__training=catalog["webinar"], rating=2)
    assert titles(client.get(LIST, {"sort": sort})) == expected


def test_pagination_keeps_search_and_filters_in_the_address(client, empty_catalog, settings):
    settings.PAGE_SIZE = 20
    for n in range(45):
        TrainingFactory(title=f"Course {n:02d}", cost="free")
    TrainingFactory(title="Course paid", cost="paid")
    response = client.get(LIST, {"q": "course", "cost": "free", "sort": "title"})
    assert response.context["page_obj"].paginator.count == 45
    content = response.content.decode()
    assert "Page 1 of 3" in content
    assert "?q=course&amp;cost=free&amp;sort=title&amp;page=2" in content
    page3 = client.get(LIST, {"q": "course", "cost": "free", "sort": "title", "page": 3})
    assert titles(page3) == ["Course 40", "Course 41", "Course 42", "Course 43", "Course 44"]


def test_catalog_query_count_is_fixed(client, empty_catalog, django_assert_num_queries):
    def add(count):
        for _ in range(count):
            training = TrainingFactory()
            EvaluationFactory(record__training=training)

    add(3)
    with django_assert_num_queries(2):
        client.get(LIST, {"q": "course", "topic": "trauma_informed_care", "sort": "rating"})
    add(40)
    with django_assert_num_queries(2):
        response = client.get(
            LIST, {"q": "course", "topic": "trauma_informed_care", "sort": "rating"}
        )
    assert response.context["page_obj"].paginator.count == 43
    with django_assert_num_queries(2):
        client.get(LIST)


# Detail ------------------------------------------------------------------------------------------


def test_detail_page_shows_the_training_its_rating_and_anonymous_comments(client, empty_catalog):
    training = TrainingFactory(
        title="Brain Story",
        key_areas=["training"],
        principles=["safety"],
        in_toolkit=True,
        toolkit_notes="Free course focusing on science",
    )
    EvaluationFactory(
        record=TrainingRecordFactory(training=training, person__email="named.person@example.org"),
        rating=5,
        comment="Changed how I listen.",
    )
    EvaluationFactory(record__training=training, rating=4, comment="")
    EvaluationFactory(
        record__training=training, rating=3, comment="Hidden one", comment_hidden=True
    )
    response = client.get(reverse("trainings:detail", kwargs={"slug": training.slug}))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Rated 4.0 out of 5. Average of 3 people's latest ratings." in content
    assert "Changed how I listen." in content
    assert "Hidden one" not in content
    assert "named.person" not in content
    assert "Training and workforce development" in content and "Safety" in content
    assert "Free course focusing on science" in content


def test_unpublished_training_is_404_except_for_its_suggester_and_admins(
    client, empty_catalog, consultant, other_consultant, admin_user
):
    from tests.auth import mfa_login

    training = TrainingFactory(is_published=False, suggested_by=consultant)
    url = reverse("trainings:detail", kwargs={"slug": training.slug})
    assert client.get(url).status_code == 404
    client.force_login(other_consultant)
    assert client.get(url).status_code == 404
    client.force_login(consultant)
    assert "not published" in client.get(url).content.decode()
    mfa_login(client, admin_user)
    assert client.get(url).status_code == 200
    assert client.get(reverse("trainings:detail", kwargs={"slug": "no-such"})).status_code == 404


def test_reserved_slugs_are_never_given_to_a_training(empty_catalog):
    training = Training(
        title="Suggest", provider=ProviderFactory(), delivery="online", format="course"
    )
    training.save()
    assert training.slug == "suggest-2"


# Search that forgives ---------------------------------------------------


def needs_trigrams():
    """Misspellings need pg_trgm, which some PostgreSQL servers (the embedded one) lack."""
    from trainings.services import trigram_available

    if not trigram_available():
        pytest.skip("this PostgreSQL has no pg_trgm: misspelled searches are not forgiven")


@pytest.mark.parametrize("q", ["Gundersen", "Gunderson", "Gundersn", "gundersen national"])
def test_search_forgives_spelling(client, db, q):
    """The toolkit's own Gundersen training (seed data) comes first."""
    if q != "Gundersen":
        needs_trigrams()
    TrainingFactory(title="Safe schools")
    found = titles(client.get(LIST, {"q": q}))
    assert found[0] == "Gundersen National Child Protection Training Center"
    assert "Safe schools" not in found


def test_search_finds_a_partial_word(client, db):
    TrainingFactory(title="Trauma-informed care basics")
    TrainingFactory(title="Budgeting for partnerships")
    found = titles(client.get(LIST, {"q": "traum"}))
    assert "Trauma-informed care basics" in found
    assert "Budgeting for partnerships" not in found


def test_an_exact_title_still_ranks_first(client, db):
    TrainingFactory(title="Trauma", description="Trauma trauma trauma.")
    TrainingFactory(title="Trauma informed", toolkit_notes="Trauma, trauma and more trauma.")
    TrainingFactory(title="Traumas")
    assert titles(client.get(LIST, {"q": "Trauma"}))[0] == "Trauma"
