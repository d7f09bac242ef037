"""Dates and amounts read one way in every CSV the portal hands out, in English and Spanish:
dates ISO ("2027-01-04"), times ISO in the portal's time zone, numbers plain ("1234.50": a
full stop, no thousands separator, no "$"), and the header in the reader's language
(toolkit_portal/downloads.py). The catalog's file is the admin's import format: its header is
the field names the import reads, the same in every language."""

import csv
import io
import re
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from survivors import services as survivor_services
from survivors.models import Compensation
from tests.assessment import assessment_helpers as helpers
from tests.auth import mfa_login
from tests.reports.fixed_data import build
from tests.survivors.factories import CompensationFactory
from toolkit_portal.downloads import CsvWriter
from trainings import csv_io

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
ISO_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}")
NUMBER = re.compile(r"-?\d+(\.\d+)?")
# A cell made only of digits and the marks dates, times and amounts are written with...
FIGURE_LIKE = re.compile(r"[-+$€\d.,/: ]*\d[-+$€\d.,/: ]*")
# ...and the other shapes a date takes in words.
DATE_IN_WORDS = [
    re.compile(r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.? \d{1,2}, \d{4}"),
    re.compile(r"\b\d{1,2} de [a-záéíóú]+ de \d{4}", re.I),
    re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}"),
    re.compile(r"\d{2}:\d{2}(:\d{2})?[+-]\d{2}:?\d{2}\b"),
]


def shape_problems(cells):
    """The cells that show a date, a time or a number another way than the files' one."""
    problems = []
    for cell in cells:
        if FIGURE_LIKE.fullmatch(cell.strip()):
            if not any(p.fullmatch(cell) for p in (NUMBER, ISO_DATE, ISO_DATETIME)):
                problems.append(cell)
        elif any(p.search(cell) for p in DATE_IN_WORDS):
            problems.append(cell)
    return problems


def test_the_shapes_are_recognised():
    good = ["1234.50", "-0.01", "7", "2027-01-04", "2027-01-04 16:30", "Quarter 1 of 2025", ""]
    assert shape_problems(good) == []
    bad = ["$1,234.50", "1,234.50", "1234,50", "01/04/2027", "Jan. 4, 2027", "January 4, 2027"]
    bad += ["4 de enero de 2027", "2027-01-04T16:30:00", "2027-01-04 16:30:00+00:00"]
    assert shape_problems(bad) == bad


def test_the_writer_writes_dates_and_times_in_the_one_shape(settings):
    out = io.StringIO()
    moment = timezone.make_aware(datetime(2027, 1, 4, 16, 30))
    CsvWriter(out).writerow([date(2027, 1, 4), moment, Decimal("1234.50"), None])
    assert out.getvalue() == "2027-01-04,2027-01-04 16:30,1234.50,\r\n"


@pytest.fixture
def portal(partnership_x, coordinator, profile, engagement):
    """A report's quarter of history, a paid compensation of four figures, a closed round
    with survivors' ratings shown, and the catalog."""
    build(partnership_x, coordinator)
    [request] = survivor_services.send_participation_requests(
        engagement=engagement, consultants=[profile], actor=coordinator
    )
    survivor_services.accept_request(request=request, actor=profile.user, consent={})
    CompensationFactory(
        request=request,
        fee=Decimal("1234.50"),
        amount=Decimal("1234.50"),
        due_on=date(2027, 1, 4),
        status=Compensation.Status.PAID,
        paid_on=date(2027, 1, 4),
        payment_method="check",
        paid_method="check",
    )
    assessment_round = helpers.open_round(partnership_x, coordinator)
    raters = helpers.invite_and_accept(assessment_round, coordinator, helpers.survivors(3))
    helpers.rated_by_staff(assessment_round, coordinator, lambda item: "3")
    for rater in raters:
        helpers.answer_all(assessment_round, rater.user, lambda item: "2")
    return helpers.close(assessment_round, coordinator)


def _exports(assessment_round, coordinator, admin_user, language):
    """(name, rows, index of the header row) of every CSV the portal produces, asked by people
    who read `language`."""
    for person in (coordinator, admin_user):
        person.language = language
        person.save(update_fields=["language"])
    as_coordinator = mfa_login(Client(), coordinator)
    as_admin = mfa_login(Client(), admin_user)
    round_kwargs = {"slug": assessment_round.partnership.slug, "pk": assessment_round.pk}
    report = reverse("reports:csv", kwargs={"slug": assessment_round.partnership.slug})
    responses = [
        ("compensation", as_coordinator.get(reverse("survivors:compensation-export")), 0),
        (
            "compensation (admin action)",
            as_admin.post(
                reverse("admin:survivors_compensation_changelist"),
                {
                    "action": "export_csv",
                    "_selected_action": list(Compensation.objects.values_list("pk", flat=True)),
                },
            ),
            0,
        ),
        (
            "assessment",
            as_coordinator.get(reverse("partnerships:assessment-export", kwargs=round_kwargs)),
            0,
        ),
        ("report", as_coordinator.get(report + "?period=2025-Q1"), 4),
        (
            "report, chosen dates",
            as_coordinator.get(report + "?start=2025-01-15&end=2025-03-31"),
            4,
        ),
        ("statewide report", as_admin.get(reverse("statereports:csv") + "?period=2025-Q1"), 4),
        ("catalog (admin)", as_admin.get(reverse("admin:trainings_training_export")), 0),
    ]
    files = []
    for name, response, header in responses:
        assert response.status_code == 200, name
        assert response["Content-Type"].startswith("text/csv"), name
        files.append((name, list(csv.reader(io.StringIO(response.content.decode()))), header))
    return files


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_file_writes_dates_and_numbers_in_one_shape(
    portal, coordinator, admin_user, language
):
    checked = {"dates": 0, "numbers": 0}
    for name, rows, header in _exports(portal, coordinator, admin_user, language):
        cells = [cell for row in rows[header + 1 :] for cell in row]
        assert shape_problems(cells) == [], (name, language)
        # Above a report's header, the period and the one before: a label in words, as the
        # page names it ("Jan. 15, 2025 to March 31, 2025"), then its first and last day.
        for row in rows[:header]:
            if row:
                assert shape_problems(row[:1]) == [], name
                assert all(ISO_DATE.fullmatch(cell) for cell in row[2:]), (name, row)
        checked["dates"] += sum(bool(ISO_DATE.fullmatch(c)) for row in rows for c in row)
        checked["numbers"] += sum(bool(NUMBER.fullmatch(c)) for c in cells)
    # The files do carry dates and amounts (else this test would prove nothing): the paid
    # compensation's, the report's periods.
    assert checked["dates"] >= 8 and checked["numbers"] > 50


def test_a_four_figure_amount_and_its_dates_read_the_same_in_both_languages(
    portal, coordinator, admin_user
):
    for language in ["en", "es"]:
        files = {
            name: rows
            for name, rows, _header in _exports(portal, coordinator, admin_user, language)
        }
        for name in ["compensation", "compensation (admin action)"]:
            [row] = [row for row in files[name][1:] if "1234.50" in row]
            assert row.count("2027-01-04") == 2, (name, language)
        period = files["report"][1]
        assert period[2:] == ["2025-01-01", "2025-03-31"], language


def test_every_header_is_in_the_readers_language(portal, coordinator, admin_user):
    english, spanish = (
        {
            name: rows[header]
            for name, rows, header in _exports(portal, coordinator, admin_user, code)
        }
        for code in ("en", "es")
    )
    for name, header in english.items():
        assert all(header), name
        if name == "catalog (admin)":
            assert header == spanish[name] == csv_io.COLUMNS
            continue
        assert len(spanish[name]) == len(header), name
        untranslated = [
            cell for cell, other in zip(header, spanish[name], strict=True) if cell == other
        ]
        assert untranslated == [], name
