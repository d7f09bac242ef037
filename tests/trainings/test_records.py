"""Training records, certificates, evaluations and the /me/trainings/ transcript."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.auth import mfa_login
from toolkit_portal.models import AuditEntry
from trainings import services
from trainings.models import Evaluation, Training, TrainingRecord

from .factories import (
    JPEG_BYTES,
    PDF_BYTES,
    PNG_BYTES,
    WEBP_BYTES,
    EvaluationFactory,
    TrainingFactory,
    TrainingRecordFactory,
    pdf_upload,
)

CREATE = reverse("mytrainings:record-create")
LIST = reverse("mytrainings:list")


def post_record(client, training_, **extra):
    data = {
        "training": training_.pk,
        "completed_on": "2026-03-14",
        "hours": "6.5",
        "note": "Good day.",
        **extra,
    }
    return client.post(CREATE, data)


@pytest.fixture
def training(db):
    return TrainingFactory(title="Trauma basics", slug="trauma-basics")


# Recording ---------------------------------------------------------------------------------------


def test_a_person_records_a_completion_with_a_certificate_then_rates_it(
    client, consultant, training
):
    client.force_login(consultant)
    response = post_record(client, training, certificate=pdf_upload("Jane Legal Name.pdf"))
    record = TrainingRecord.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("mytrainings:evaluate", kwargs={"pk": record.pk})
    assert (record.person, record.hours, record.completed_on) == (
        consultant,
        Decimal("6.5"),
        datetime.date(2026, 3, 14),
    )
    # Kept privately under a random name, never the person's file name.
    assert record.certificate.name.startswith("certificates/")
    assert record.certificate.name.endswith(".pdf")
    assert "Jane" not in record.certificate.name
    stored = Path(settings.MEDIA_ROOT) / "private" / record.certificate.name
    assert stored.read_bytes() == PDF_BYTES
    assert record.certificate_type == "application/pdf"
    assert AuditEntry.objects.filter(action="trainings.record.created").count() == 1

    response = client.post(
        reverse("mytrainings:evaluate", kwargs={"pk": record.pk}),
        {"rating": "4", "comment": "Practical."},
    )
    assert response.status_code == 302
    evaluation = Evaluation.objects.get()
    assert (evaluation.rating, evaluation.comment) == (4, "Practical.")
    # Rating again replaces the first.
    client.post(reverse("mytrainings:evaluate", kwargs={"pk": record.pk}), {"rating": "5"})
    assert Evaluation.objects.get().rating == 5


def test_record_form_preselects_the_training_from_the_catalog(client, consultant, training):
    client.force_login(consultant)
    response = client.get(CREATE, {"training": training.slug})
    assert response.context["form"].initial["training"] == training.pk
    assert client.get(CREATE, {"training": "no-such-slug"}).status_code == 200


@pytest.mark.parametrize(
    "content, name, kind",
    [
        (PDF_BYTES, "c.pdf", "application/pdf"),
        (PNG_BYTES, "c.png", "image/png"),
        (JPEG_BYTES, "c.jpeg", "image/jpeg"),
        (WEBP_BYTES, "c.webp", "image/webp"),
        # The content decides, not the name.
        (PNG_BYTES, "certificate.pdf", "image/png"),
    ],
)
def test_pdf_and_images_are_accepted_by_content(client, consultant, training, content, name, kind):
    client.force_login(consultant)
    response = post_record(client, training, certificate=pdf_upload(name, content))
    assert response.status_code == 302
    assert TrainingRecord.objects.get().certificate_type == kind


@pytest.mark.parametrize(
    "content, name",
    [
        (b"<html><script>alert(1)</script></html>", "certificate.pdf"),
        (b"MZ\x90\x00 executable", "certificate.png"),
        (b"GIF89a....", "certificate.gif"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "certificate.svg"),
        (b"PK\x03\x04 a zip or docx", "certificate.docx"),
        (b"just text", "certificate.txt"),
    ],
)
def test_other_files_are_refused_whatever_their_name(client, consultant, training, content, name):
    client.force_login(consultant)
    response = post_record(
        client, training, certificate=pdf_upload(name, content, "application/pdf")
    )
    assert response.status_code == 200
    assert (
        "A certificate must be a PDF or an image (PNG, JPEG or WebP)." in response.content.decode()
    )
    assert not TrainingRecord.objects.exists()


def test_files_over_the_size_limit_are_refused(client, consultant, training, settings):
    settings.TRAINING_CERTIFICATE_MAX_BYTES = 1024
    client.force_login(consultant)
    response = post_record(
        client, training, certificate=pdf_upload(content=PDF_BYTES + b"0" * 1024)
    )
    assert response.status_code == 200
    assert "certificates can be at most 1.0 KB" in response.content.decode().replace("\xa0", " ")
    assert not TrainingRecord.objects.exists()
    ok = post_record(client, training, certificate=pdf_upload(content=PDF_BYTES))
    assert ok.status_code == 302


def test_the_default_size_limit_is_five_megabytes(client, consultant, training):
    client.force_login(consultant)
    too_big = PDF_BYTES + b"0" * (5 * 1024 * 1024)
    response = post_record(client, training, certificate=pdf_upload(content=too_big))
    assert "certificates can be at most 5.0 MB" in response.content.decode().replace("\xa0", " ")


@pytest.mark.parametrize(
    "data, message",
    [
        ({"completed_on": "2999-01-01"}, "The completion date cannot be in the future."),
        ({"completed_on": "not a date"}, "Enter a valid date."),
        ({"hours": "-2"}, "Ensure this value is greater than or equal to 0."),
        ({"hours": "lots"}, "Enter a number."),
        ({"training": "999999"}, "Select a valid choice."),
    ],
)
def test_bad_input_gets_a_clear_message(client, consultant, training, data, message):
    client.force_login(consultant)
    response = post_record(client, training, **data)
    assert response.status_code == 200
    assert message in response.content.decode()


def test_an_unpublished_training_of_someone_else_cannot_be_recorded(client, consultant, db):
    hidden = TrainingFactory(is_published=False)
    client.force_login(consultant)
    response = post_record(client, hidden)
    assert "Select a valid choice." in response.content.decode()


# Certificates are served only to the owner and admins --------------------------------------------


@pytest.fixture
def record_with_certificate(consultant, training):
    return services.record_training(
        actor=consultant,
        training=training,
        completed_on=datetime.date(2026, 1, 5),
        hours=Decimal("3"),
        certificate=pdf_upload(),
    )


def test_the_owner_downloads_the_certificate_as_an_attachment(
    client, consultant, record_with_certificate
):
    client.force_login(consultant)
    url = reverse("mytrainings:certificate", kwargs={"pk": record_with_certificate.pk})
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="certificate-trauma-basics-2026-01-05.pdf"'
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]


def test_admins_can_download_a_certificate(client, admin_user, record_with_certificate):
    mfa_login(client, admin_user)
    url = reverse("mytrainings:certificate", kwargs={"pk": record_with_certificate.pk})
    assert client.get(url).status_code == 200


def test_the_admin_links_a_record_to_its_certificate(client, admin_user, record_with_certificate):
    mfa_login(client, admin_user)
    page = client.get(
        reverse("admin:trainings_trainingrecord_change", args=[record_with_certificate.pk])
    )
    url = reverse("mytrainings:certificate", kwargs={"pk": record_with_certificate.pk})
    assert f'<a href="{url}">Download</a>' in page.text


@pytest.mark.parametrize("role", ["other_consultant", "coordinator", "other_coordinator"])
def test_a_certificate_is_never_served_to_someone_else(
    client, personas, record_with_certificate, role
):
    mfa_login(client, personas[role])
    for name in ["certificate", "record-detail", "evaluate"]:
        url = reverse(f"mytrainings:{name}", kwargs={"pk": record_with_certificate.pk})
        assert client.get(url).status_code == 404, name
    delete = reverse("mytrainings:record-delete", kwargs={"pk": record_with_certificate.pk})
    assert client.post(delete).status_code == 404
    assert TrainingRecord.objects.filter(pk=record_with_certificate.pk).exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, record_with_certificate):
    url = reverse("mytrainings:certificate", kwargs={"pk": record_with_certificate.pk})
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_certificates_are_not_reachable_as_static_or_media_files(client, record_with_certificate):
    name = record_with_certificate.certificate.name
    for path in [f"/media/{name}", f"/media/private/{name}", f"/static/{name}", f"/private/{name}"]:
        assert client.get(path).status_code == 404
    with pytest.raises(ValueError):
        record_with_certificate.certificate.url  # noqa: B018


def test_a_record_without_certificate_has_nothing_to_download(client, consultant, training):
    record = TrainingRecordFactory(person=consultant, training=training)
    client.force_login(consultant)
    url = reverse("mytrainings:certificate", kwargs={"pk": record.pk})
    assert client.get(url).status_code == 404


def test_an_admin_may_look_but_not_change_someone_elses_record(
    client, admin_user, record_with_certificate
):
    mfa_login(client, admin_user)
    pk = record_with_certificate.pk
    assert client.get(reverse("mytrainings:record-detail", kwargs={"pk": pk})).status_code == 200
    assert client.get(reverse("mytrainings:evaluate", kwargs={"pk": pk})).status_code == 403
    assert client.post(reverse("mytrainings:record-delete", kwargs={"pk": pk})).status_code == 403


def test_deleting_a_record_removes_its_certificate_file(
    client, consultant, record_with_certificate, django_capture_on_commit_callbacks
):
    stored = Path(settings.MEDIA_ROOT) / "private" / record_with_certificate.certificate.name
    assert stored.exists()
    client.force_login(consultant)
    url = reverse("mytrainings:record-delete", kwargs={"pk": record_with_certificate.pk})
    assert client.get(url).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    assert not TrainingRecord.objects.exists()
    assert not stored.exists()


# Transcript --------------------------------------------------------------------------------------


def test_my_trainings_lists_records_with_total_hours_by_year(
    client, consultant, other_consultant, db
):
    TrainingRecordFactory(
        person=consultant, completed_on=datetime.date(2025, 2, 1), hours=Decimal("4")
    )
    TrainingRecordFactory(
        person=consultant, completed_on=datetime.date(2025, 9, 1), hours=Decimal("2.5")
    )
    TrainingRecordFactory(
        person=consultant, completed_on=datetime.date(2026, 1, 1), hours=Decimal("8")
    )
    TrainingRecordFactory(
        person=other_consultant, completed_on=datetime.date(2026, 1, 1), hours=Decimal("777.5")
    )
    client.force_login(consultant)
    response = client.get(LIST)
    assert response.context["hours_by_year"] == [(2026, Decimal("8")), (2025, Decimal("6.5"))]
    assert len(response.context["page_obj"]) == 3
    assert "777.5" not in response.content.decode()


def test_my_trainings_empty_state_says_what_to_do(client, consultant):
    client.force_login(consultant)
    content = client.get(LIST).content.decode()
    assert "You have not recorded a training yet." in content
    assert CREATE in content


def test_my_trainings_query_count_is_fixed(client, consultant, django_assert_num_queries):
    def add(count):
        for _ in range(count):
            EvaluationFactory(record=TrainingRecordFactory(person=consultant))
            TrainingFactory(suggested_by=consultant, is_published=False)

    client.force_login(consultant)
    add(2)
    with django_assert_num_queries(7):
        client.get(LIST)
    add(30)
    with django_assert_num_queries(7):
        response = client.get(LIST)
    assert response.context["page_obj"].paginator.count == 32


# Evaluations in the catalog ----------------------------------------------------------------------


def test_catalog_shows_the_average_and_count_of_ratings(client, training):
    for rating in [5, 4, 2]:
        EvaluationFactory(record__training=training, rating=rating)
    response = client.get(reverse("trainings:list"), {"q": "Trauma basics"})
    listed = response.context["page_obj"][0]
    assert (listed.rating_count, round(listed.rating_average, 2)) == (3, 3.67)
    assert "Rated 3.7 out of 5. Average of 3 people's latest ratings." in response.content.decode()


def test_a_person_who_rated_twice_counts_once_with_her_latest_rating(client, training):
    """She took the training twice and rated each time: only her latest rating counts."""
    first = EvaluationFactory(record__training=training, rating=1)
    person = first.record.person
    latest = EvaluationFactory(record__training=training, record__person=person, rating=5)
    earlier = latest.updated_at - datetime.timedelta(days=9)
    Evaluation.objects.filter(pk=first.pk).update(updated_at=earlier)
    EvaluationFactory(record__training=training, rating=3)
    listed = Training.objects.with_ratings().get(pk=training.pk)
    assert (listed.rating_count, listed.rating_average) == (2, 4)
    response = client.get(reverse("trainings:detail", kwargs={"slug": training.slug}))
    assert "Rated 4.0 out of 5. Average of 2 people's latest ratings." in response.content.decode()
    # She changes her first rating later: now that one is her latest.
    later = latest.updated_at + datetime.timedelta(days=1)
    Evaluation.objects.filter(pk=first.pk).update(updated_at=later)
    listed = Training.objects.with_ratings().get(pk=training.pk)
    assert (listed.rating_count, listed.rating_average) == (2, 2)


def test_only_the_owner_can_rate_and_only_from_1_to_5(consultant, other_consultant, training):
    record = TrainingRecordFactory(person=consultant, training=training)
    with pytest.raises(services.TrainingError):
        services.evaluate_training(record=record, actor=other_consultant, rating=5)
    with pytest.raises(services.TrainingError):
        services.evaluate_training(record=record, actor=consultant, rating=6)


def test_a_rating_out_of_range_is_refused_by_the_form(client, consultant, training):
    record = TrainingRecordFactory(person=consultant, training=training)
    client.force_login(consultant)
    response = client.post(
        reverse("mytrainings:evaluate", kwargs={"pk": record.pk}), {"rating": "9"}
    )
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    assert not Evaluation.objects.exists()
