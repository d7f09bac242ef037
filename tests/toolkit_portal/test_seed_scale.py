"""seed_scale at a tiny scale: every status is there, and the newest requests await a sweep."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from assessment import models as assessment_models
from survivors.models import Compensation, ConsultantProfile, Engagement, ParticipationRequest
from survivors.reminders import Kind
from toolkit_portal.models import Notification, User
from toolkit_portal.notifications import sweep
from trainings.models import Evaluation, Training, TrainingRecord


def seed(**options):
    out = StringIO()
    call_command(
        "seed_scale",
        consultants=options.get("consultants", 30),
        partnerships=options.get("partnerships", 3),
        requests=options.get("requests", 400),
        trainings=10,
        stdout=out,
    )
    return out.getvalue()


def test_seed_scale_fills_every_status_and_shows_progress(db):
    output = seed()
    assert "participation requests: " in output
    assert "done: sign in as scale-admin@scale.example" in output

    assert ConsultantProfile.objects.count() == 30
    assert {True, False} == set(ConsultantProfile.objects.values_list("is_listed", flat=True))
    assert set(Engagement.objects.values_list("status", flat=True)) == set(Engagement.Status)
    assert set(ParticipationRequest.objects.values_list("status", flat=True)) == set(
        ParticipationRequest.Status
    )
    assert ParticipationRequest.objects.count() == 400
    assert {Compensation.Status.PAID, Compensation.Status.DUE} <= set(
        Compensation.objects.values_list("status", flat=True)
    )
    # Every completed request is owed a compensation record, and only those.
    assert (
        Compensation.objects.count()
        == ParticipationRequest.objects.filter(status=ParticipationRequest.Status.COMPLETED).count()
    )
    assert Training.objects.exists() and TrainingRecord.objects.exists()
    assert Evaluation.objects.exists()
    # The large partnership holds a quarter of the engagements; the small one a few.
    big, small = (
        Engagement.objects.filter(partnership__slug=slug).count() for slug in ("scale-0", "scale-1")
    )
    assert big == 80 // 4 and 1 <= small < big
    # A closed and an open self-assessment round per partnership, answered.
    rounds = getattr(assessment_models, "AssessmentRound", None)
    if rounds is not None:
        assert rounds.objects.count() == 2 * 3
        assert rounds.objects.filter(closed_at__isnull=True).count() == 3
        assert assessment_models.Answer.objects.exists()
    # Coordinators and the admin can sign in with their second factor.
    assert User.objects.get(email="scale-admin@scale.example").authenticator_set.exists()


def test_the_newest_requests_wait_for_the_next_sweep(db):
    seed()
    recorded = Notification.objects.filter(kind=Kind.REQUEST_NEW).count()
    fresh = ParticipationRequest.objects.filter(status="pending").count() - recorded
    assert fresh == 4  # one per cent of the requests, sent after the last sweep
    found, _queued = sweep(enqueue=False)
    assert found >= fresh
    assert Notification.objects.filter(kind=Kind.REQUEST_NEW).count() == recorded + fresh


def test_seed_scale_refuses_a_seeded_database_and_bad_sizes(db):
    seed(consultants=12, partnerships=2, requests=20)
    with pytest.raises(CommandError, match="already holds seeded rows"):
        seed(consultants=12, partnerships=2, requests=20)
    with pytest.raises(CommandError, match="at least 10 consultants"):
        call_command("seed_scale", consultants=3, partnerships=2, requests=10)
