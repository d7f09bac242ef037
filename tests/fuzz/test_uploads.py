"""Uploaded files: a training certificate and an expense receipt (a consultant's) and the
catalog's CSV import (an admin's). The wrong type, too large a file, or an executable under a
harmless name is refused with a message on the form, and nothing is saved. Certificates and
receipts are recognised by their first bytes, never by their name or the browser's content
type.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.auth import mfa_login
from tests.trainings.factories import PDF_BYTES, PNG_BYTES, TrainingFactory
from trainings.models import Training, TrainingRecord

ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + b"\x00" * 40
PE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00"
HTML = b"<!doctype html><script>alert(document.cookie)</script>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'
ZIP = b"PK\x03\x04" + b"\x00" * 26

WRONG_TYPE = "A certificate must be a PDF or an image (PNG, JPEG or WebP)."

# (file name, content type the browser claims, bytes, what the form says)
CERTIFICATES = {
    "a text file": ("certificate.txt", "text/plain", b"I completed it.", WRONG_TYPE),
    "an ELF executable named .pdf": ("certificate.pdf", "application/pdf", ELF, WRONG_TYPE),
    "a Windows executable named .png": ("certificate.png", "image/png", PE, WRONG_TYPE),
    "an HTML page named .pdf": ("certificate.pdf", "application/pdf", HTML, WRONG_TYPE),
    "an SVG with a script": ("certificate.svg", "image/svg+xml", SVG, WRONG_TYPE),
    "a zip named .jpg": ("certificate.jpg", "image/jpeg", ZIP, WRONG_TYPE),
    "an empty file": ("certificate.pdf", "application/pdf", b"", "The submitted file is empty."),
    "a PDF over the limit": (
        "certificate.pdf",
        "application/pdf",
        PDF_BYTES + b"%" * 4096,
        "certificates can be at most",
    ),
}


@pytest.fixture
def record_form(consultant, client, settings):
    settings.TRAINING_CERTIFICATE_MAX_BYTES = 4096
    mfa_login(client, consultant)
    training = TrainingFactory(slug="uploaded-course")
    body = {
        "training": str(training.pk),
        "completed_on": timezone.localdate().isoformat(),
        "hours": "3",
        "note": "",
    }
    return client, reverse("mytrainings:record-create"), body


@pytest.mark.parametrize("kind", sorted(CERTIFICATES))
def test_a_bad_certificate_is_refused_with_a_message(kind, record_form):
    client, url, body = record_form
    name, content_type, content, message = CERTIFICATES[kind]
    upload = SimpleUploadedFile(name, content, content_type=content_type)
    response = client.post(url, {**body, "certificate": upload})
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["certificate"])
    assert message.split("(")[0] in response.content.decode()
    assert not TrainingRecord.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "stored_type"),
    [
        ("certificate.pdf", PDF_BYTES, "application/pdf"),
        # The name and the claimed type do not matter: the bytes say what it is.
        ("my legal name.exe", PNG_BYTES, "image/png"),
    ],
)
def test_a_real_certificate_is_kept_under_a_name_of_our_own(
    name, content, stored_type, record_form
):
    client, url, body = record_form
    upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    response = client.post(url, {**body, "certificate": upload})
    assert response.status_code == 302
    record = TrainingRecord.objects.get()
    assert record.certificate_type == stored_type
    assert "legal" not in record.certificate.name
    assert record.certificate.name.endswith(stored_type.split("/")[1].replace("jpeg", "jpg"))


# A receipt passes the certificate's checks, told in a receipt's words.
RECEIPT_WORDS = {
    WRONG_TYPE: "A receipt must be a PDF or an image (PNG, JPEG or WebP).",
    "certificates can be at most": "a receipt can be at most",
}


@pytest.mark.parametrize("kind", sorted(CERTIFICATES))
def test_a_bad_receipt_is_refused_with_a_message(kind, client, consultant, profile, settings):
    from survivors.models import Expense, ParticipationRequest
    from tests.survivors.factories import ParticipationRequestFactory

    settings.TRAINING_CERTIFICATE_MAX_BYTES = 4096
    mfa_login(client, consultant)
    request = ParticipationRequestFactory(
        consultant=profile, status=ParticipationRequest.Status.ACCEPTED
    )
    name, content_type, content, message = CERTIFICATES[kind]
    message = RECEIPT_WORDS.get(message, message)
    upload = SimpleUploadedFile(name.replace("certificate", "receipt"), content, content_type)
    response = client.post(
        reverse("survivors:my-expense-add", kwargs={"pk": request.pk}),
        {"expense-kind": "mileage", "expense-amount": "12", "expense-receipt": upload},
    )
    assert response.status_code == 200
    assert message in " ".join(response.context["expense_form"].errors["receipt"])
    assert message.split("(")[0] in response.content.decode()
    assert not Expense.objects.exists()


HEADER = "title,provider,delivery,format,cost\n"

# (what the file is, its bytes, what the form says)
CSV_FILES = {
    "a PNG named .csv": (PNG_BYTES + b"\xff\xfe", "The file is not UTF-8 text."),
    "an ELF executable named .csv": (ELF + b"\xff", "The file is not UTF-8 text."),
    "a file over 2 MB": (
        (HEADER + "A,P,online,course,free\n" * 100_000).encode(),
        "The file is larger than 2 MB.",
    ),
    "a NUL inside a title": (
        (HEADER + "Good\x00Title,P,online,course,free\n").encode(),
        "title contains invisible control characters",
    ),
    "an escape character in a provider": (
        (HEADER + "Title,P\x1b[31m,online,course,free\n").encode(),
        "provider contains invisible control characters",
    ),
    "a cell longer than the csv module reads": (
        (HEADER + "T" * 200_000 + ",P,online,course,free\n").encode(),
        "Line 2 cannot be read as CSV",
    ),
    "a header longer than the csv module reads": (
        ("t" * 200_000 + "\n").encode(),
        "The header row cannot be read as CSV.",
    ),
    "no header row": (b"", "The submitted file is empty."),
    "an unknown choice": (
        (HEADER + "Title,P,teleport,course,free\n").encode(),
        "delivery must be one of",
    ),
    "a title far too long": (
        (HEADER + "T" * 5000 + ",P,online,course,free\n").encode(),
        "Line 2",
    ),
}


@pytest.mark.parametrize("kind", sorted(CSV_FILES))
def test_a_bad_catalog_file_is_refused_with_a_message(kind, admin_user, client):
    content, message = CSV_FILES[kind]
    mfa_login(client, admin_user)
    before = Training.objects.count()
    upload = SimpleUploadedFile("catalog.csv", content, content_type="text/csv")
    response = client.post(reverse("admin:trainings_training_import"), {"file": upload})
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["file"])
    assert Training.objects.count() == before
