"""The toolkit's eight trainings are there after migrate; the demo data loads them too."""

from importlib import import_module

import pytest
from django.apps import apps
from django.core.management import call_command

from toolkit_portal.vocabulary import KeyArea, Principle
from trainings.models import Evaluation, GrowthGoal, Training, TrainingRecord, TrainingRequest

TOOLKIT = import_module("trainings.migrations.0002_toolkit_trainings")

# The toolkit's names (DESIGN.md, "Training catalog seed") and its notes.
EXPECTED = {
    "ACE Interface": ("ACE Interface", "in_person", []),
    "GAINS Center Trauma Training for Criminal Justice Professionals": (
        "SAMHSA's GAINS Center",
        "in_person",
        [
            "Recognizes the brevity of trauma and realizes the symptoms/signs.",
            "Centered around advocacy and interaction with victims.",
        ],
    ),
    "Gundersen National Child Protection Training Center": (
        "Gundersen National Child Protection Training Center",
        "in_person",
        [
            "A two part training emphasizing working with children, challenging individuals, "
            "and utilizing trauma-informed care",
            "Trainings can be at organization sites.",
        ],
    ),
    "Lakeside Global Institute": (
        "Lakeside Global Institute",
        "in_person",
        [
            "Helps for ongoing professional development on social work, education, and "
            "early-childhood professions.",
            "Collegiate-style professional development.",
        ],
    ),
    "National Council for Behavioral Health Trauma-Informed Care Learning Community": (
        "National Council for Behavioral Health",
        "in_person",
        [
            "Helps mental health and substance use organizations to integrate and sustain "
            "trauma-informed care in their organization’s practices."
        ],
    ),
    "Origins Training and Consulting": (
        "Origins Training and Consulting",
        "in_person",
        [
            "Offers training and consulting for organizations and communities to integrate "
            "resilience and trauma-informed practices based on the science of adverse "
            "childhood experiences."
        ],
    ),
    "Brain Story Certification": (
        "Alberta Family Wellness Initiative",
        "online",
        [
            "Free course focusing on science and significance of early experiences and their "
            "impact on lifelong health"
        ],
    ),
    "THRIVE's Trauma-Informed Webinar Trainings": ("THRIVE", "online", []),
}


def _check_toolkit_catalog():
    trainings = Training.objects.filter(in_toolkit=True).select_related("provider")
    found = {t.title: (t.provider.name, t.delivery, t.toolkit_note_lines()) for t in trainings}
    assert found == EXPECTED
    for training in trainings:
        assert training.is_published and training.published_at
        assert training.is_trauma_informed()
        assert training.key_areas and set(training.key_areas) <= set(KeyArea.values)
        assert training.principles and set(training.principles) <= set(Principle.values)
    free = Training.objects.get(slug="brain-story-certification")
    assert free.cost == "free" and free.format == "certification"
    assert Training.objects.get(slug__startswith="gundersen").on_site


def test_the_toolkit_trainings_are_present_after_migrate(db):
    # The test database was built by running every migration on an empty database.
    _check_toolkit_catalog()


def test_the_toolkit_trainings_are_added_to_an_empty_catalog_once(db):
    Training.objects.all().delete()
    TOOLKIT.add_toolkit_trainings(apps, None)
    TOOLKIT.add_toolkit_trainings(apps, None)
    _check_toolkit_catalog()
    assert Training.objects.count() == 8


def test_the_seed_leaves_an_admins_edits_alone(db):
    Training.objects.filter(slug="ace-interface").update(description="Edited by an admin.")
    TOOLKIT.add_toolkit_trainings(apps, None)
    assert Training.objects.get(slug="ace-interface").description == "Edited by an admin."


def test_the_catalog_page_lists_the_toolkit_trainings(client, db):
    response = client.get("/trainings/")
    content = response.content.decode()
    assert "8 trainings found" in content
    for title in EXPECTED:
        assert title.replace("'", "&#x27;") in content


def test_demo_trainings_are_idempotent(db):
    call_command("load_demo")
    call_command("load_demo")
    record = TrainingRecord.objects.get(person__email="consultant@demo.local")
    assert Evaluation.objects.filter(record=record).count() == 1
    assert GrowthGoal.objects.filter(person__email="consultant@demo.local").count() == 1
    assert TrainingRequest.objects.filter(requested_by__email="coordinator@demo.local").count() == 1
    suggested = Training.objects.get(slug="survivor-leadership-peer-circle")
    assert not suggested.is_published and suggested.suggested_by.email == "consultant@demo.local"


@pytest.mark.django_db
def test_demo_trainings_load_even_after_the_catalog_was_emptied():
    Training.objects.all().delete()
    call_command("load_demo")
    assert Training.objects.filter(in_toolkit=True).count() == 8
