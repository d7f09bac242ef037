"""Refusals read one way: a date in a refusal (or any message the portal writes) is in the
language's one shape, the pages' ("Jan. 4, 2027" / "4 de enero de 2027",
toolkit_portal/formats), and a refused request says what the consultant's card says."""

import ast
import re
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from survivors import services
from survivors.models import Availability, Compensation, ParticipationRequest
from tests.auth import mfa_login
from tests.survivors.factories import EngagementFactory, ParticipationRequestFactory

ROOT = Path(__file__).resolve().parents[2]
PAUSED_UNTIL = date(2099, 1, 4)
SHAPES = {
    "en": (re.compile(r"[A-Z][a-z]+\.? \d{1,2}, \d{4}"), "Jan. 4, 2099"),
    "es": (re.compile(r"\d{1,2} de [a-z]+ de \d{4}"), "4 de enero de 2099"),
}


def _as_pages_show(day):
    return Template("{{ day|date }}").render(Context({"day": day}))


@pytest.fixture
def paused(profile):
    profile.availability = Availability.PAUSED
    profile.paused_until = PAUSED_UNTIL
    profile.save()
    return profile


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_paused_consultants_refusal_dates_her_return_as_pages_do(
    client, coordinator, engagement, paused, language
):
    shape, example = SHAPES[language]
    with translation.override(language):
        shown = _as_pages_show(PAUSED_UNTIL)
        reason = services.refusal_for(engagement, paused)
        with pytest.raises(services.EngagementError) as refused:
            services.send_participation_requests(
                engagement=engagement, consultants=[paused], actor=coordinator
            )
    assert shown == example and shape.fullmatch(shown)
    assert reason.endswith(f" {shown}.") and str(refused.value) == reason
    # The card in the directory and her profile, read by a coordinator in the same language.
    coordinator.language = language
    coordinator.save(update_fields=["language"])
    as_coordinator = mfa_login(client, coordinator)
    directory = as_coordinator.get(
        reverse("survivors:directory") + f"?engagement={engagement.pk}"
    ).content.decode()
    assert reason in directory
    profile_page = as_coordinator.get(
        reverse("survivors:consultant-detail", args=[paused.pk])
    ).content.decode()
    assert shown in profile_page


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_batch_says_who_was_not_asked_in_the_same_words(
    coordinator, engagement, paused, other_profile, language
):
    with translation.override(language):
        result = services.send_to_eligible(
            engagement=engagement, consultants=[paused, other_profile], actor=coordinator
        )
        assert result.not_asked == [(paused, services.refusal_for(engagement, paused))]
        assert SHAPES[language][1] in result.not_asked[0][1]


MARCH = {"en": "March 2099", "es": "marzo de 2099"}


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_full_consultants_refusal_names_the_month_as_the_language_writes_it(
    coordinator, partnership_x, profile, language
):
    """The month is Django's for the language (YEAR_MONTH_FORMAT), not a shape of our own."""
    profile.monthly_capacity = 1
    profile.save()
    march = timezone.make_aware(datetime(2099, 3, 10, 10))
    taken, asked = (
        EngagementFactory(partnership=partnership_x, starts_at=march + timedelta(days=d))
        for d in (0, 5)
    )
    ParticipationRequestFactory(
        engagement=taken, consultant=profile, status=ParticipationRequest.Status.ACCEPTED
    )
    with translation.override(language):
        reason = services.refusal_for(asked, profile)
        assert date_format(march, "YEAR_MONTH_FORMAT") == MARCH[language]
        with pytest.raises(services.EngagementError) as refused:
            services.send_participation_requests(
                engagement=asked, consultants=[profile], actor=coordinator
            )
    assert reason.endswith(f" {MARCH[language]}.") and str(refused.value) == reason


def test_a_completed_engagements_message_dates_the_payment_as_pages_do(
    client, coordinator, partnership_x, profile
):
    engagement = EngagementFactory(
        partnership=partnership_x,
        starts_at=timezone.now() - timedelta(hours=3),
        response_deadline=timezone.now() - timedelta(days=1),
    )
    request = ParticipationRequestFactory(
        engagement=engagement, consultant=profile, status=ParticipationRequest.Status.ACCEPTED
    )
    coordinator.language = "es"
    coordinator.save(update_fields=["language"])
    response = mfa_login(client, coordinator).post(
        reverse("survivors:engagement-complete", kwargs={"pk": engagement.pk}),
        {
            f"{request.pk}-hours_worked": "2",
            f"{request.pk}-preparation_hours": "0",
            f"{request.pk}-travel_hours": "0",
        },
    )
    assert response.status_code == 302
    [message] = [str(m) for m in response.wsgi_request._messages]
    with translation.override("es"):
        due = _as_pages_show(Compensation.objects.get().due_on)
    assert SHAPES["es"][0].fullmatch(due)
    assert message == f"Se completó la actividad; el pago vence el {due}."


# Every message the portal writes -----------------------------------------------------------------

TRANSLATE = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext"}
DATE_LIKE = re.compile(r"(_on|_at|_until|deadline|date|day)$")
# The language's named shapes; a month alone ("March 2027" / "marzo de 2027") is Django's own.
NAMED_FORMATS = {
    "DATE_FORMAT",
    "DATETIME_FORMAT",
    "SHORT_DATE_FORMAT",
    "SHORT_DATETIME_FORMAT",
    "YEAR_MONTH_FORMAT",
}


def _dated_without_the_languages_shape(value):
    """A value put into a translated message that names a date and is not written through
    date_format in one of the language's named shapes."""
    names = [n.attr for n in ast.walk(value) if isinstance(n, ast.Attribute)]
    names += [n.id for n in ast.walk(value) if isinstance(n, ast.Name)]
    if not any(DATE_LIKE.search(name) for name in names if name != "date_format"):
        return False
    for call in (n for n in ast.walk(value) if isinstance(n, ast.Call)):
        if getattr(call.func, "id", getattr(call.func, "attr", None)) == "date_format":
            shape = call.args[1] if len(call.args) > 1 else None
            return shape is not None and not (
                isinstance(shape, ast.Constant) and shape.value in NAMED_FORMATS
            )
    return True


def test_every_message_writes_its_dates_in_the_languages_shape():
    offenders, dated = [], 0
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT)
        if relative.parts[0] in {".venv", "tests", "node_modules", "bench"}:
            continue
        if "migrations" in relative.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(), filename=str(relative))):
            if not (
                isinstance(node, ast.BinOp)
                and isinstance(node.op, ast.Mod)
                and isinstance(node.left, ast.Call)
                and getattr(node.left.func, "id", None) in TRANSLATE
                and isinstance(node.right, ast.Dict)
            ):
                continue
            for value in node.right.values:
                if _dated_without_the_languages_shape(value):
                    offenders.append(f"{relative}:{node.lineno}: {ast.unparse(value)}")
                elif "date_format" in ast.unparse(value):
                    dated += 1
    assert offenders == [], "write a date in a message with date_format (the pages' shape)"
    assert dated >= 3  # the paused refusal, the full month's, the payment's due date


def test_the_check_recognises_a_date_written_another_way():
    def value(source):
        return ast.parse(source, mode="eval").body

    assert _dated_without_the_languages_shape(value("profile.paused_until.isoformat()"))
    assert _dated_without_the_languages_shape(value("record.due_on"))
    assert _dated_without_the_languages_shape(value('date_format(record.due_on, "Y-m-d")'))
    assert not _dated_without_the_languages_shape(value("date_format(record.due_on)"))
    assert not _dated_without_the_languages_shape(value("profile.monthly_capacity"))
