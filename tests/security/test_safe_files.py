"""Every file the portal hands out is safe to open, whatever people typed (README, "Bad input").

- CSV: no cell a spreadsheet would run as a formula, in any export, with formula text in every
  text field of the portal; numbers stay numbers; the catalog's import gives back what was
  typed; and no module but `toolkit_portal/downloads.py` writes CSV itself.
- Downloads: the filename is built from safe characters; the JSON data export is an attachment.
- Calendars: a title or place with a line break adds no property.
- Email: subjects are one line.
"""

import ast
import csv
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.core import mail
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from survivors import services as survivor_services
from survivors.calendar import engagement_invitation
from survivors.models import Compensation
from tests.assessment import assessment_helpers as helpers
from tests.auth import mfa_login
from tests.partnerships.factories import MembershipFactory
from tests.survivors.factories import CompensationFactory
from tests.toolkit_portal.factories import CoordinatorFactory
from tests.trainings.factories import TrainingRecordFactory, pdf_upload
from toolkit_portal import notifications
from toolkit_portal.downloads import CsvWriter, neutralise_cell, restore_cell, safe_filename
from toolkit_portal.models import CalendarFeed, Notification
from toolkit_portal.notifications import email_subject
from trainings.models import Training, TrainingRecord

ROOT = Path(__file__).resolve().parents[2]
# What a spreadsheet runs as a formula when a cell starts with it (after spaces): OWASP's list.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"-?\d+(\.\d+)?")
SAFE_DISPOSITION = re.compile(r'attachment; filename="[A-Za-z0-9._-]+"')


def runs_in_a_spreadsheet(cell):
    return cell.lstrip(" ").startswith(FORMULA_START) and not NUMBER.fullmatch(cell)


# The writer --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        '=HYPERLINK("http://evil.example","Maya R.")',
        "+1+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(A1:A9)",
        "\t=1+1",
        "\r=1+1",
        "   =1+1",
        "'=1+1",
        "''=1+1",
    ],
)
def test_formula_text_is_written_as_text_and_read_back_as_typed(typed):
    cell = neutralise_cell(typed)
    assert cell.startswith("'") and not runs_in_a_spreadsheet(cell)
    assert restore_cell(cell) == typed


@pytest.mark.parametrize("typed", ["Maya R.", "'quoted'", "'5", "a=b", "", " x"])
def test_plain_text_is_written_as_typed(typed):
    assert neutralise_cell(typed) == typed
    assert restore_cell(typed) == typed


@pytest.mark.parametrize(
    "number", [Decimal("-12.50"), Decimal("150.00"), -3, 0, 7, -1.5, 2.25, True]
)
def test_numbers_stay_numbers(number):
    assert neutralise_cell(number) is number
    out = io.StringIO()
    CsvWriter(out).writerow([number, Decimal("-0.01")])
    assert out.getvalue() == f"{number},-0.01\r\n"


@pytest.mark.parametrize("number", [float("-inf"), float("nan"), Decimal("-Infinity")])
def test_numbers_that_are_not_finite_are_text(number):
    assert not runs_in_a_spreadsheet(neutralise_cell(number))


@settings(max_examples=300, derandomize=True)
@given(st.text())
def test_any_text_is_safe_in_a_cell_and_comes_back_as_typed(typed):
    cell = neutralise_cell(typed)
    assert not runs_in_a_spreadsheet(cell)
    assert restore_cell(cell) == typed


# Every export, with formula text in every text field ---------------------------------------------

# Fields that no person types, or that the pages look rows up by: formula text in them would
# break the pages (or, for the audit trail, is refused), not test the files. Slugs are left out
# by their type (addresses are built from them and they accept only safe characters).
NOT_TYPED = {
    "toolkit_portal.user": {"password"},
    "toolkit_portal.auditentry": "all",  # append-only; written by the portal from other rows
    "toolkit_portal.notification": {"kind", "object_id", "occasion", "url"},
    "toolkit_portal.calendarfeed": {"token"},
    "trainings.trainingrecord": {"certificate_type"},
}
STARTS = ["=", "+", "-", "@", "\t", "\r", "  ="]


def _typed_fields(model):
    skipped = NOT_TYPED.get(model._meta.label_lower, set())
    if skipped == "all":
        return []
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField)
        and not isinstance(field, models.SlugField)
        and not field.choices
        and field.name not in skipped
    ]


def _formula_everywhere():
    """Put formula text into every text field of every row of the portal's models (a field
    added later is covered without changing this test)."""
    count = 0
    for app in ["toolkit_portal", "survivors", "partnerships", "trainings", "assessment"]:
        for model in apps.get_app_config(app).get_models():
            fields = _typed_fields(model)
            for pk in model._default_manager.values_list("pk", flat=True) if fields else []:
                values = {}
                for field in fields:
                    count += 1
                    text = f'{STARTS[count % len(STARTS)]}HYPERLINK("http://evil.example/{count}")'
                    values[field.name] = text[: field.max_length]
                model._default_manager.filter(pk=pk).update(**values)


@pytest.fixture
def portal_with_formulas(coordinator, partnership_x, profile, engagement, admin_user):
    """A paid compensation, a closed assessment round with survivors' ratings shown, the
    catalog with a training record; then formula text in every field people type."""
    request = survivor_services.send_participation_requests(
        engagement=engagement, consultants=[profile], actor=coordinator
    )[0]
    survivor_services.accept_request(request=request, actor=profile.user, consent={})
    CompensationFactory(
        request=request, status=Compensation.Status.PAID, paid_on=timezone.localdate()
    )
    member = CoordinatorFactory()
    MembershipFactory(partnership=partnership_x, user=member, role="member")
    assessment_round = helpers.open_round(partnership_x, coordinator)
    raters = helpers.invite_and_accept(assessment_round, coordinator, helpers.survivors(3))
    for user in [coordinator, member, *(rater.user for rater in raters)]:
        helpers.answer_all(assessment_round, user, lambda item: "3")
    helpers.close(assessment_round, coordinator)
    TrainingRecordFactory(person=profile.user, training=Training.objects.first())
    _formula_everywhere()
    return assessment_round


def _exports(assessment_round, coordinator, admin_user):
    """(name, response) for every CSV the portal produces."""
    as_coordinator = mfa_login(Client(), coordinator)
    as_admin = mfa_login(Client(), admin_user)
    round_kwargs = {"slug": assessment_round.partnership.slug, "pk": assessment_round.pk}
    compensation = list(Compensation.objects.values_list("pk", flat=True))
    trainings = list(Training.objects.values_list("pk", flat=True))
    return [
        ("compensation", as_coordinator.get(reverse("survivors:compensation-export"))),
        (
            "assessment",
            as_coordinator.get(reverse("partnerships:assessment-export", kwargs=round_kwargs)),
        ),
        (
            "compensation (admin action)",
            as_admin.post(
                reverse("admin:survivors_compensation_changelist"),
                {"action": "export_csv", "_selected_action": compensation},
            ),
        ),
        ("catalog (admin)", as_admin.get(reverse("admin:trainings_training_export"))),
        (
            "catalog (admin action)",
            as_admin.post(
                reverse("admin:trainings_training_changelist"),
                {"action": "export_csv", "_selected_action": trainings},
            ),
        ),
    ]


def test_no_export_has_a_cell_a_spreadsheet_would_run(
    portal_with_formulas, coordinator, admin_user
):
    for name, response in _exports(portal_with_formulas, coordinator, admin_user):
        assert response.status_code == 200, name
        assert response["Content-Type"].startswith("text/csv"), name
        assert SAFE_DISPOSITION.fullmatch(response["Content-Disposition"]), name
        rows = list(csv.reader(io.StringIO(response.content.decode())))
        assert len(rows) > 1, name
        cells = [cell for row in rows[1:] for cell in row]
        # The formula text is there, as text (else this test would prove nothing).
        assert any(cell.startswith("'") and "evil.example" in cell for cell in cells), name
        running = [cell for cell in cells if runs_in_a_spreadsheet(cell)]
        assert running == [], name


def test_the_columns_people_type_into_are_all_neutralised(
    portal_with_formulas, coordinator, admin_user
):
    exports = dict(_exports(portal_with_formulas, coordinator, admin_user))
    columns = {
        "compensation": ["partnership", "engagement", "consultant", "reference"],
        "compensation (admin action)": ["partnership", "engagement", "consultant"],
        "catalog (admin)": ["title", "provider", "location", "description", "toolkit_notes"],
        "assessment": ["code", "statement"],
    }
    for name, names in columns.items():
        rows = list(csv.DictReader(io.StringIO(exports[name].content.decode())))
        for row in rows:
            for column in names:
                if "evil.example" in row[column]:
                    assert row[column].startswith("'"), (name, column, row[column])
        assert any("evil.example" in row[column] for row in rows for column in names), name
        # Amounts and means are numbers, as they were (a withheld mean is left blank).
        for column in ["amount", "mean"]:
            if column in rows[0]:
                cells = [row[column] for row in rows if row[column] != "" or column == "amount"]
                assert all(NUMBER.fullmatch(cell) for cell in cells), (name, column)


def test_the_catalog_import_gives_back_what_was_typed(admin_client):
    typed = {"title": "=1+1 the basics", "description": "-2+3", "location": "  @home"}
    Training.objects.filter(slug__startswith="gains-center").update(**typed)
    exported = admin_client.get(reverse("admin:trainings_training_export")).content.decode()
    Training.objects.filter(slug__startswith="gains-center").update(
        title="changed", description="", location=""
    )
    upload = io.BytesIO(exported.encode())
    upload.name = "catalog.csv"
    response = admin_client.post(reverse("admin:trainings_training_import"), {"file": upload})
    assert response.status_code == 302
    training = Training.objects.get(slug__startswith="gains-center")
    assert (training.title, training.description, training.location) == tuple(typed.values())


# One writer, one header helper -------------------------------------------------------------------


def _portal_modules():
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT)
        if (
            relative.parts[0] in {".venv", "tests", "node_modules"}
            or "migrations" in relative.parts
        ):
            continue
        yield relative, ast.parse(path.read_text(), filename=str(relative))


def test_only_the_shared_writer_writes_csv():
    """A module that calls csv.writer or csv.DictWriter itself would write formulas as typed."""
    offenders = []
    for relative, tree in _portal_modules():
        if relative == Path("toolkit_portal/downloads.py"):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in {"writer", "DictWriter"}:
                if isinstance(node.value, ast.Name) and node.value.id == "csv":
                    offenders.append(f"{relative}:{node.lineno}")
            if isinstance(node, ast.ImportFrom) and node.module == "csv":
                if {alias.name for alias in node.names} & {"writer", "DictWriter"}:
                    offenders.append(f"{relative}:{node.lineno}")
    assert offenders == [], "write CSV with toolkit_portal.downloads.CsvWriter"


def test_only_the_shared_helper_sets_a_content_disposition():
    """A header set by hand (or by FileResponse's filename) would carry a name as typed."""
    offenders = []
    for relative, tree in _portal_modules():
        if relative == Path("toolkit_portal/downloads.py"):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if node.value.lower() == "content-disposition":
                    offenders.append(f"{relative}:{node.lineno}")
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "FileResponse":
                if {keyword.arg for keyword in node.keywords} & {"as_attachment", "filename"}:
                    offenders.append(f"{relative}:{node.lineno}")
            if isinstance(node, ast.Name | ast.Attribute) and "content_disposition" in (
                getattr(node, "id", None) or getattr(node, "attr", "")
            ):
                offenders.append(f"{relative}:{node.lineno}")
    assert offenders == [], "set download headers with toolkit_portal.downloads.as_download"


# Download names ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, safe",
    [
        ("compensation.csv", "compensation.csv"),
        ("assessment-Asociación-Niños-3.csv", "assessment-Asociacion-Ninos-3.csv"),
        ('x"; filename="evil.exe', "x-filename-evil.exe"),
        ("a\r\nSet-Cookie: b=c.csv", "a-Set-Cookie-b-c.csv"),
        ("../../etc/passwd", "etc-passwd"),
        ("...", "download"),
        ("😀.json", "json"),
        ("x" * 300 + ".csv", "x" * 116 + ".csv"),
    ],
)
def test_download_names_are_built_from_safe_characters(name, safe):
    assert safe_filename(name) == safe


def test_the_json_data_export_is_a_download(client, consultant, profile):
    client.force_login(consultant)
    response = client.get(reverse("survivors:my-export"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert SAFE_DISPOSITION.fullmatch(response["Content-Disposition"])
    assert response["Content-Disposition"].endswith('.json"')


def test_a_certificate_downloads_under_a_safe_name_whatever_the_training(client, consultant):
    record = TrainingRecordFactory(person=consultant, certificate=pdf_upload("mine.pdf"))
    record.certificate_type = "application/pdf"
    record.save(update_fields=["certificate_type"])
    # A slug no form accepts (an older row, or one written by hand).
    Training.objects.filter(pk=record.training_id).update(
        slug='Fórmación"; filename="evil.exe\r\nSet-Cookie: a=b'
    )
    client.force_login(consultant)
    record = TrainingRecord.objects.get(pk=record.pk)
    response = client.get(reverse("mytrainings:certificate", kwargs={"pk": record.pk}))
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert SAFE_DISPOSITION.fullmatch(response["Content-Disposition"])
    assert response["Content-Disposition"].startswith(
        'attachment; filename="certificate-Formacion-filename-evil.exe-Set-Cookie-a-b-'
    )


# Calendars ---------------------------------------------------------------------------------------

INJECTED_TITLE = "Listening\r\nATTENDEE:mailto:evil@example.org\u2028X-EVIL:1\x0bRRULE:FREQ=DAILY"
INJECTED_PLACE = "Room 1\nORGANIZER:mailto:evil@example.org\x1b[31m"  # (PostgreSQL refuses NUL)


@pytest.fixture
def injected_engagement(engagement, profile, coordinator):
    engagement.title = INJECTED_TITLE
    engagement.location = INJECTED_PLACE
    engagement.save(update_fields=["title", "location"])
    request = survivor_services.send_participation_requests(
        engagement=engagement, consultants=[profile], actor=coordinator
    )[0]
    survivor_services.accept_request(request=request, actor=profile.user, consent={})
    return engagement


def _only_event(body):
    calendar = Calendar.from_ical(body)
    (event,) = calendar.walk("VEVENT")
    assert set(event) <= {"UID", "SUMMARY", "DTSTART", "DTEND", "DTSTAMP", "LOCATION", "URL"}
    assert not re.search(rb"^(ATTENDEE|ORGANIZER|X-EVIL|RRULE)", body, re.MULTILINE)
    return event


def _check_calendar(body):
    event = _only_event(body)
    assert str(event["SUMMARY"]) == (
        "Listening\nATTENDEE:mailto:evil@example.org\nX-EVIL:1\nRRULE:FREQ=DAILY"
    )
    assert str(event["LOCATION"]) == "Room 1\nORGANIZER:mailto:evil@example.org[31m"


def test_a_title_with_line_breaks_adds_no_property_to_the_feed(
    client, consultant, injected_engagement
):
    client.force_login(consultant)
    client.post(reverse("calendar-replace"))
    token = CalendarFeed.objects.get(user=consultant).token
    client.logout()
    response = client.get(reverse("calendar-feed", kwargs={"token": token}))
    assert response.status_code == 200
    _check_calendar(response.content)


def test_a_title_with_line_breaks_adds_no_property_to_the_invitation(
    consultant, injected_engagement
):
    _check_calendar(engagement_invitation(injected_engagement))
    mail.outbox.clear()
    notifications.sweep(enqueue=False)
    for pk in Notification.objects.values_list("pk", flat=True):
        notifications.deliver(pk, now=timezone.now())
    invitations = [m.attachments[0] for m in mail.outbox if m.attachments]
    assert invitations
    for name, content, _type in invitations:
        assert name == "invitation.ics"
        _check_calendar(content if isinstance(content, bytes) else content.encode())


# Email -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "Invitation\r\nBcc: everyone@example.org",
        "Invitation\nBcc: everyone@example.org",
        "Invitation\rBcc: everyone@example.org",
        "Invitation\u2028Bcc: everyone@example.org\x00",
        "  Invitation \t to\n\n coordinate  ",
    ],
)
def test_an_email_subject_is_one_line(typed):
    subject = email_subject(typed)
    assert subject.startswith("[Partnership Portal] Invitation")
    assert not re.search(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]", subject)
    assert "  " not in subject


def test_every_email_sent_has_a_one_line_subject(consultant, injected_engagement):
    mail.outbox.clear()
    notifications.sweep(enqueue=False)
    for pk in Notification.objects.values_list("pk", flat=True):
        notifications.deliver(pk, now=timezone.now())
    assert mail.outbox
    for message in mail.outbox:
        assert message.subject == " ".join(message.subject.split())
