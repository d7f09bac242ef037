"""Suggest and approve; the Django admin with its actions and CSV import/export."""

import csv
import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.auth import mfa_login
from tests.notify import send_due_notifications
from toolkit_portal.models import AuditEntry
from trainings import csv_io, services
from trainings.models import Provider, Training

from .factories import ProviderFactory, TrainingFactory

SUGGEST = reverse("trainings:suggest")


def suggestion(**extra):
    return {
        "title": "Peer support circles",
        "provider_name": "Survivor Alliance",
        "provider_website": "https://alliance.example.org",
        "delivery": "online",
        "format": "webinar_series",
        "cost": "free",
        "description": "Monthly peer support for survivor leaders.",
        "topics": ["survivor_leadership"],
        "key_areas": ["engagement"],
        **extra,
    }


# Suggest -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["consultant", "coordinator"])
def test_a_consultant_or_coordinator_suggests_a_training_that_stays_unpublished(
    client, personas, role
):
    mfa_login(client, personas[role])
    response = client.post(SUGGEST, suggestion())
    send_due_notifications()
    training = Training.objects.get(title="Peer support circles")
    assert response.status_code == 302 and response["Location"] == training.get_absolute_url()
    assert not training.is_published
    assert training.suggested_by == personas[role]
    assert training.provider.name == "Survivor Alliance"
    assert training.topics == ["survivor_leadership"]
    # The admins are told, with a link and no personal details.
    [message] = [m for m in mail.outbox if "/admin/trainings/" in m.body]
    assert message.to == ["admin@example.org"]
    assert f"/admin/trainings/training/{training.pk}/change/" in message.body
    assert personas[role].email not in message.body + message.alternatives[0][0]
    assert "Peer support circles" not in client.get(reverse("trainings:list")).content.decode()


def test_a_suggestion_reuses_a_provider_of_the_same_name(client, consultant, db):
    ProviderFactory(name="Survivor Alliance")
    client.force_login(consultant)
    client.post(SUGGEST, suggestion(provider_name="survivor alliance"))
    assert Provider.objects.filter(name__iexact="survivor alliance").count() == 1


def test_a_suggestion_with_missing_fields_shows_what_is_missing(client, consultant):
    client.force_login(consultant)
    response = client.post(SUGGEST, suggestion(title="", delivery="teleport"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "This field is required." in content
    assert "Select a valid choice." in content
    assert not Training.objects.filter(suggested_by=consultant).exists()


def test_pending_coordinators_cannot_suggest(client, pending_coordinator):
    mfa_login(client, pending_coordinator)
    response = client.post(SUGGEST, suggestion())
    assert response.status_code in (302, 403)
    assert not Training.objects.filter(suggested_by=pending_coordinator).exists()


def test_publishing_tells_the_suggester_once(consultant, admin_user):
    training = TrainingFactory(is_published=False, suggested_by=consultant, published_at=None)
    services.publish_training(training=training, actor=admin_user)
    send_due_notifications()
    training.refresh_from_db()
    assert training.is_published and training.published_at
    [message] = mail.outbox
    assert message.to == [consultant.email]
    assert training.get_absolute_url() in message.body
    assert training.get_absolute_url() in message.alternatives[0][0]
    # Unpublishing and publishing again, or the sweep running twice, sends nothing more.
    services.unpublish_training(training=training, actor=admin_user)
    services.publish_training(training=training, actor=admin_user)
    send_due_notifications()
    send_due_notifications()
    assert len(mail.outbox) == 1
    codes = list(AuditEntry.objects.values_list("action", flat=True).order_by("id"))
    assert codes == [
        "trainings.training.published",
        "trainings.training.unpublished",
        "trainings.training.published",
    ]


def test_publishing_twice_is_a_readable_error(admin_user, db):
    training = TrainingFactory(is_published=True)
    with pytest.raises(services.TrainingError, match="already published"):
        services.publish_training(training=training, actor=admin_user)


# Admin -------------------------------------------------------------------------------------------


@pytest.fixture
def admin_client(client, admin_user):
    return mfa_login(client, admin_user)


def test_admin_lists_trainings_with_filters_and_search(admin_client, db):
    TrainingFactory(title="Zebra course", cost="free")
    url = reverse("admin:trainings_training_changelist")
    response = admin_client.get(
        url, {"q": "Zebra", "cost__exact": "free", "is_published__exact": "1"}
    )
    assert response.status_code == 200
    assert response.context["cl"].result_count == 1
    assert admin_client.get(url, {"origin": "toolkit"}).context["cl"].result_count == 8
    assert (
        admin_client.get(reverse("admin:trainings_provider_changelist"), {"q": "GAINS"}).status_code
        == 200
    )


def test_admin_publish_and_unpublish_actions(admin_client, consultant):
    suggested = TrainingFactory(is_published=False, suggested_by=consultant)
    url = reverse("admin:trainings_training_changelist")
    response = admin_client.post(
        url, {"action": "publish", "_selected_action": [suggested.pk]}, follow=True
    )
    send_due_notifications()
    assert "1 training published." in response.content.decode()
    suggested.refresh_from_db()
    assert suggested.is_published
    assert [m.to for m in mail.outbox] == [[consultant.email]]
    admin_client.post(url, {"action": "unpublish", "_selected_action": [suggested.pk]})
    suggested.refresh_from_db()
    assert not suggested.is_published


def test_admin_change_form_publishing_goes_through_the_service(admin_client, consultant):
    suggested = TrainingFactory(is_published=False, suggested_by=consultant, published_at=None)
    url = reverse("admin:trainings_training_change", args=[suggested.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "search_vector"}
    data.update(
        provider=suggested.provider_id,
        is_published="on",
        audiences=[],
        topics=suggested.topics,
        key_areas=suggested.key_areas,
        principles=[],
        growth_areas=suggested.growth_areas,
    )
    response = admin_client.post(url, data)
    send_due_notifications()
    assert response.status_code == 302, response.context["adminform"].form.errors
    suggested.refresh_from_db()
    assert suggested.is_published and suggested.published_at
    assert len(mail.outbox) == 1


def test_csv_export_then_import_round_trips(admin_client, db):
    TrainingFactory(title='=HYPERLINK("http://evil")', slug="formula", description="-2+3")
    response = admin_client.get(reverse("admin:trainings_training_export"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="training-catalog-')
    text = response.content.decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == Training.objects.count()
    formula = next(row for row in rows if row["slug"] == "formula")
    # A spreadsheet would run these as formulas: they are neutralised.
    assert formula["title"].startswith("'=") and formula["description"] == "'-2+3"
    gains = next(row for row in rows if row["slug"].startswith("gains-center"))
    assert gains["provider"] == "SAMHSA's GAINS Center"
    assert gains["topics"] == "trauma_informed_care;criminal_justice;advocacy"

    # Change one row, add one, import.
    gains["length_hours"] = "7.5"
    new = dict(gains, slug="", title="A brand new training", is_published="no")
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=csv_io.COLUMNS)
    writer.writeheader()
    writer.writerows([*rows, new])
    upload = SimpleUploadedFile("catalog.csv", out.getvalue().encode("utf-8"), "text/csv")
    response = admin_client.post(
        reverse("admin:trainings_training_import"), {"file": upload}, follow=True
    )
    assert "Import done: 1 created, 9 updated." in response.content.decode()
    assert Training.objects.get(slug__startswith="gains-center").length_hours == 7.5
    assert Training.objects.get(slug="formula").title == '=HYPERLINK("http://evil")'
    assert not Training.objects.get(title="A brand new training").is_published


@pytest.mark.parametrize(
    "row, message",
    [
        ({"delivery": "teleport"}, "Line 2: delivery must be one of in_person, online, hybrid"),
        ({"topics": "aces;knitting"}, "Line 2: topics has unknown values: knitting"),
        ({"title": ""}, "Line 2: the title is empty"),
        ({"length_hours": "many"}, "Line 2: length_hours must be a number"),
        ({"url": "not a url"}, "Line 2: url: Enter a valid URL."),
    ],
)
def test_csv_import_refuses_a_bad_row_and_changes_nothing(admin_client, db, row, message):
    before = Training.objects.count()
    good = {
        "title": "Fine",
        "provider": "P",
        "delivery": "online",
        "format": "course",
        "cost": "free",
        "topics": "aces",
    }
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=csv_io.COLUMNS)
    writer.writeheader()
    writer.writerow({**good, **row})
    writer.writerow(good)
    upload = SimpleUploadedFile("catalog.csv", out.getvalue().encode(), "text/csv")
    response = admin_client.post(reverse("admin:trainings_training_import"), {"file": upload})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Training.objects.count() == before


def test_csv_import_refuses_a_file_that_is_not_csv(admin_client, db):
    for content, message in [
        (b"\xff\xfe\x00binary", "The file is not UTF-8 text."),
        (b"name,colour\nx,y\n", "The header row lacks: cost, delivery, format, provider, title."),
    ]:
        upload = SimpleUploadedFile("catalog.csv", content, "text/csv")
        response = admin_client.post(reverse("admin:trainings_training_import"), {"file": upload})
        assert message in response.content.decode()


@pytest.mark.parametrize("role", ["consultant", "coordinator"])
def test_import_and_export_are_for_admins_only(client, personas, role):
    mfa_login(client, personas[role])
    for name in ["admin:trainings_training_import", "admin:trainings_training_export"]:
        response = client.get(reverse(name))
        assert response.status_code == 302 and "login" in response["Location"]
