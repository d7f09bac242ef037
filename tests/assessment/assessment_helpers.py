"""Rounds, raters and answers for the self-assessment tests, built through the services so
every rule applies (survivor consultants are invited by a participation request and accept)."""

import importlib
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from assessment import services
from assessment.models import Answer, AssessmentRound, Item, Rater
from survivors import services as survivor_services
from tests.survivors.factories import ConsultantProfileFactory


class FakeItem:
    """An instrument item as scoring reads it, without the database."""

    def __init__(self, pk, key_area="", principle="", four_r=""):
        self.pk = pk
        self.key_area = key_area
        self.principle = principle
        self.four_r = four_r


def ensure_instrument():
    """Version 1 of the instrument, as its data migration made it. Tests on a transactional
    database (the browser's) flush the migration's rows, so they are made again here."""
    from django.apps import apps

    class Models:
        """The migration ran when the models were partnerships'; they are assessment's now."""

        def get_model(self, app_label, name):
            return apps.get_model("assessment", name)

    migration = importlib.import_module("partnerships.migrations.0004_instrument_version_1")
    migration.add_version_1(Models(), None)


def open_round(partnership, coordinator, *, title="Spring", days=14, raters=None):
    ensure_instrument()
    return services.open_assessment_round(
        partnership=partnership,
        actor=coordinator,
        title=title,
        closes_on=timezone.localdate() + timedelta(days=days),
        raters=raters,
    )


def invite_and_accept(assessment_round, coordinator, profiles):
    """Invite the consultants and have each accept; returns their rater rows."""
    requests = services.invite_consultants_to_round(
        assessment_round=assessment_round,
        actor=coordinator,
        consultants=profiles,
        estimated_hours=Decimal("2"),
        compensation_amount=Decimal("40"),
    )
    for request in requests:
        survivor_services.accept_request(request=request, actor=request.consultant.user, consent={})
    return list(Rater.objects.filter(participation_request__in=requests))


def rated_by_staff(assessment_round, coordinator, level_for, *, members=3):
    """The coordinator and `members` new members of the partnership rate the round: half
    of the four give `level_for(item)` and half one level more (one less from 5), so that
    each statement's figures may be shown (assessment.scoring.may_show)."""
    from tests.partnerships.factories import MembershipFactory
    from tests.toolkit_portal.factories import CoordinatorFactory

    people = [CoordinatorFactory() for _ in range(members)]
    for person in people:
        MembershipFactory(partnership=assessment_round.partnership, user=person, role="member")
    services.add_staff_raters(assessment_round=assessment_round, actor=coordinator, users=people)

    def other(item):
        level = level_for(item)
        if not level.isdigit():
            return level
        return str(int(level) - 1 if level == "5" else int(level) + 1)

    for index, user in enumerate([coordinator, *people]):
        answer_all(assessment_round, user, level_for if index % 2 == 0 else other)


def survivors(n):
    return [ConsultantProfileFactory(monthly_capacity=5) for _ in range(n)]


def answer_all(assessment_round, user, level_for):
    """Answer every statement as `user` in one go: `level_for(item)` gives "1"–"5", "na" or
    "" (left unanswered). Test data only; answering through the pages is tested on its own."""
    rater = services.active_rater(assessment_round, user)
    assert rater is not None, f"{user} does not rate this round"
    answers = []
    for item in Item.objects.filter(version=assessment_round.version_id):
        posted = level_for(item)
        if posted:
            answers.append(Answer(rater=rater, item=item, level=services.parse_level(posted)[1]))
    Answer.objects.bulk_create(answers)


def close(assessment_round, coordinator):
    services.close_assessment_round(assessment_round=assessment_round, actor=coordinator)
    return AssessmentRound.objects.get(pk=assessment_round.pk)
