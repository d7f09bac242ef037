"""Material changes ask again. Consent given to one set of terms is not
consent to another."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from survivors import services
from survivors.models import (
    CompensationPolicy,
    EngagementKind,
    ParticipationRequest,
    RateBasis,
    RateCardEntry,
    ReminderKind,
)
from survivors.reminders import Kind
from toolkit_portal import notifications
from toolkit_portal.models import AuditEntry, Notification
from toolkit_portal.vocabulary import SurvivorRole

from .factories import ConsultantProfileFactory, EngagementFactory

Status = ParticipationRequest.Status
CONSENT = {"consent_name_to_use": "River", "consent_off_limits": "my family"}


@pytest.fixture
def accepted(engagement, profile, coordinator, consultant):
    request = services.send_participation_requests(
        engagement=engagement, consultants=[profile], actor=coordinator
    )[0]
    return services.accept_request(request=request, actor=consultant, consent=CONSENT)


@pytest.fixture
def pending(engagement, other_profile, coordinator):
    return services.send_participation_requests(
        engagement=engagement, consultants=[other_profile], actor=coordinator
    )[0]


def edit(engagement, coordinator, **fields):
    return services.update_engagement(engagement=engagement, actor=coordinator, **fields)


def reload(request):
    return ParticipationRequest.objects.get(pk=request.pk)


# What is material -------------------------------------------------------------------------


def test_acceptance_keeps_the_terms_she_agreed_to(accepted, engagement):
    assert accepted.agreed_terms == engagement.terms()
    assert accepted.agreed_terms["compensation_amount"] == "75.00"


@pytest.mark.parametrize(
    ("fields", "term"),
    [
        ({"involves_criminal_justice": False}, None),  # unchanged: nothing
        ({"starts_at": 1}, "when"),
        ({"ends_at": 1}, "when"),
        ({"mode": "in_person", "location": "Denver Public Library"}, "where"),
        ({"location": "Room 2"}, "where"),
        ({"compensation_amount": Decimal("50.00")}, "compensation"),
        ({"compensation_basis": RateBasis.FLAT}, "compensation"),
        ({"estimated_hours": Decimal("1.00")}, "compensation"),
        ({"content_notes": "Discussion of exploitation"}, "content_notes"),
        ({"kind": EngagementKind.TRAINING}, "kind"),
        ({"roles_needed": [SurvivorRole.TRAINING]}, "roles"),
    ],
)
def test_each_material_term(engagement, fields, term):
    before = engagement.terms()
    for name, value in fields.items():
        if name in ("starts_at", "ends_at"):
            value = getattr(engagement, name) + timedelta(hours=value)
        setattr(engagement, name, value)
    assert services.material_changes(before, engagement.terms()) == ([term] if term else [])


def test_a_group_engagement_cut_to_a_single_seat_is_material(partnership_x):
    panel = EngagementFactory(partnership=partnership_x, kind=EngagementKind.PANEL, seats=3)
    before = panel.terms()
    panel.seats = 2
    assert services.material_changes(before, panel.terms()) == []
    panel.seats = 1
    assert services.material_changes(before, panel.terms()) == ["seats"]


def test_the_rate_card_it_was_offered_under_is_a_term(engagement, partnership_x):
    before = engagement.terms()
    policy = CompensationPolicy.objects.create(partnership=partnership_x)
    RateCardEntry.objects.create(
        policy=policy, kind=engagement.kind, hourly_rate=Decimal("75.00"), pays_travel=False
    )
    assert services.material_changes(before, engagement.terms()) == ["compensation"]


def test_a_criminal_justice_change_is_material(engagement):
    before = engagement.terms()
    engagement.involves_criminal_justice = True
    assert services.material_changes(before, engagement.terms()) == ["criminal_justice"]


def test_a_typo_in_the_description_changes_nothing_for_her(
    accepted, pending, engagement, coordinator
):
    updated = edit(
        engagement, coordinator, description="Fixed a typo", title="Listening session, fixed"
    )
    assert updated.material_changes == []
    assert reload(accepted).status == Status.ACCEPTED
    assert reload(pending).terms_changed_at is None
    notifications.sweep(enqueue=False)
    assert not Notification.objects.filter(kind=Kind.REQUEST_TERMS_CHANGED).exists()
    entry = AuditEntry.objects.filter(action="survivors.engagement.changed").get()
    assert entry.details["material"] == []


# Asking again -----------------------------------------------------------------------------


def test_lower_pay_moves_her_request_to_changed_never_silently(
    accepted, pending, engagement, coordinator
):
    updated = edit(engagement, coordinator, compensation_amount=Decimal("50.00"))
    assert updated.material_changes == ["compensation"]
    request = reload(accepted)
    assert request.status == Status.CHANGED
    assert request.changed_terms == ["compensation"]
    # What she agreed to stays what she agreed to.
    assert request.agreed_terms["compensation_amount"] == "75.00"
    # A pending request shows the new terms and is marked as changed.
    other = reload(pending)
    assert other.status == Status.PENDING
    assert other.terms_changed_at is not None and other.changed_terms == ["compensation"]


def test_every_change_is_audited_with_before_and_after(accepted, engagement, coordinator):
    edit(engagement, coordinator, compensation_amount=Decimal("50.00"), content_notes="Courts")
    entry = AuditEntry.objects.get(action="survivors.engagement.changed")
    assert entry.details["material"] == ["compensation", "content_notes"]
    assert entry.details["before"]["compensation_amount"] == "75.00"
    assert entry.details["after"]["compensation_amount"] == "50.00"
    # Typed text stays out of the trail; the change history holds it.
    assert "content_notes" not in entry.details["after"]
    assert all(entry.details["history"])
    assert AuditEntry.objects.filter(
        action="survivors.request.terms_changed", object_id=str(accepted.pk)
    ).exists()


def test_she_is_not_counted_as_confirmed_but_keeps_her_seat(
    accepted, engagement, coordinator, other_profile, other_consultant
):
    engagement.seats = 1
    engagement.save()
    edit(engagement, coordinator, compensation_amount=Decimal("50.00"))
    assert not ParticipationRequest.objects.filter(
        engagement=engagement, status=Status.ACCEPTED
    ).exists()
    request = services.send_participation_requests(
        engagement=engagement, consultants=[other_profile], actor=coordinator
    )[0]
    with pytest.raises(services.EngagementError, match="seats"):
        services.accept_request(request=request, actor=other_consultant, consent={})


def test_she_confirms_and_gives_consent_again(accepted, engagement, coordinator, consultant):
    edit(engagement, coordinator, compensation_amount=Decimal("50.00"))
    request = services.confirm_changed_terms(
        request=accepted,
        actor=consultant,
        consent={"consent_name_to_use": "R.", "consent_recording": True},
    )
    request = reload(request)
    assert request.status == Status.ACCEPTED
    assert request.consent_name_to_use == "R." and request.consent_recording
    assert request.agreed_terms["compensation_amount"] == "50.00"
    assert request.changed_terms == []
    assert AuditEntry.objects.filter(action="survivors.request.terms_confirmed").exists()


def test_she_can_confirm_after_the_answer_deadline(accepted, engagement, coordinator, consultant):
    edit(engagement, coordinator, compensation_amount=Decimal("50.00"))
    later = engagement.response_deadline + timedelta(hours=1)
    request = services.confirm_changed_terms(
        request=accepted, actor=consultant, consent={}, now=later
    )
    assert request.status == Status.ACCEPTED


def test_only_she_confirms(accepted, engagement, coordinator, other_consultant):
    edit(engagement, coordinator, compensation_amount=Decimal("50.00"))
    with pytest.raises(services.EngagementError, match="Only the consultant"):
        services.confirm_changed_terms(request=accepted, actor=other_consultant, consent={})
    with pytest.raises(services.EngagementError, match="Only the consultant"):
        services.confirm_changed_terms(request=accepted, actor=coordinator, consent={})


def test_she_leaves_with_no_reason_and_nothing_against_her(
    accepted, engagement, coordinator, consultant, profile
):
    edit(engagement, coordinator, compensation_amount=Decimal("50.00"))
    request = services.leave_changed_engagement(request=accepted, actor=consultant)
    assert request.status == Status.WITHDRAWN and request.withdraw_reason == ""
    assert profile.load_in(timezone.localdate(engagement.starts_at)) == 0
    assert AuditEntry.objects.filter(action="survivors.request.left_after_change").exists()


def test_leaving_needs_a_change(accepted, consultant):
    with pytest.raises(services.EngagementError):
        services.leave_changed_engagement(request=accepted, actor=consultant)


def test_completion_is_refused_while_she_has_not_confirmed(
    accepted, engagement, coordinator, consultant
):
    edit(engagement, coordinator, compensation_amount=Decimal("50.00"))
    later = engagement.starts_at + timedelta(hours=3)
    records = {accepted.pk: {"hours_worked": Decimal("2")}}
    with pytest.raises(services.EngagementError, match="not every consultant has confirmed"):
        services.complete_engagement(
            engagement=engagement, actor=coordinator, records=records, now=later
        )
    services.confirm_changed_terms(request=accepted, actor=consultant, consent={})
    services.complete_engagement(
        engagement=engagement, actor=coordinator, records=records, now=later
    )
    assert reload(accepted).compensation.fee == Decimal("100.00")


def test_cancelling_the_engagement_cancels_a_changed_request(accepted, engagement, coordinator):
    edit(engagement, coordinator, compensation_amount=Decimal("50.00"))
    services.cancel_engagement(engagement=engagement, actor=coordinator)
    assert reload(accepted).status == Status.CANCELLED


# Criminal justice: refused, or released ----------------------------------------------------


def test_adding_criminal_justice_is_refused_naming_who_did_not_opt_in(
    accepted, pending, engagement, coordinator
):
    with pytest.raises(services.EngagementError) as error:
        edit(engagement, coordinator, involves_criminal_justice=True)
    assert "Consultant A" not in str(error.value)  # she asked to be called River
    assert "River" in str(error.value) and "Consultant B" in str(error.value)
    engagement.refresh_from_db()
    assert not engagement.involves_criminal_justice
    assert reload(accepted).status == Status.ACCEPTED


def test_releasing_only_some_is_still_refused(accepted, pending, engagement, coordinator):
    with pytest.raises(services.EngagementError, match="Consultant B"):
        edit(engagement, coordinator, involves_criminal_justice=True, release=[accepted.pk])
    assert reload(accepted).status == Status.ACCEPTED


def test_releasing_them_withdraws_their_requests_kindly(
    accepted, pending, engagement, coordinator, consultant, profile, partnership_x
):
    opted_in = ConsultantProfileFactory(criminal_justice_opt_in=True)
    stays = services.send_participation_requests(
        engagement=engagement, consultants=[opted_in], actor=coordinator
    )[0]
    services.accept_request(request=stays, actor=opted_in.user, consent={})
    updated = edit(
        engagement,
        coordinator,
        involves_criminal_justice=True,
        release=[accepted.pk, pending.pk],
    )
    assert updated.involves_criminal_justice
    for request in (accepted, pending):
        request = reload(request)
        assert request.status == Status.CANCELLED and request.released_at is not None
    assert profile.load_in(timezone.localdate(engagement.starts_at)) == 0
    # The one who opted in is asked again, like any other change.
    assert reload(stays).status == Status.CHANGED
    assert reload(stays).changed_terms == ["criminal_justice"]
    notifications.sweep(enqueue=False)
    kinds = set(Notification.objects.filter(recipient=consultant).values_list("kind", flat=True))
    assert Kind.REQUEST_RELEASED in kinds and Kind.REQUEST_CANCELLED not in kinds
    assert AuditEntry.objects.filter(action="survivors.request.released").count() == 2


# Telling her ---------------------------------------------------------------------------------


def test_the_sweep_tells_her_once_per_change_in_her_language(
    accepted, pending, engagement, coordinator, consultant, other_consultant
):
    consultant.language = "es"
    consultant.save()
    notifications.sweep(enqueue=False)
    Notification.objects.all().delete()
    edit(engagement, coordinator, compensation_amount=Decimal("50.00"))
    notifications.sweep(enqueue=False)
    notifications.sweep(enqueue=False)
    told = Notification.objects.filter(kind=Kind.REQUEST_TERMS_CHANGED)
    assert sorted(told.values_list("recipient_id", flat=True)) == sorted(
        [consultant.pk, other_consultant.pk]
    )
    for pk in told.values_list("pk", flat=True):
        notifications.deliver(pk)
    mine = next(m for m in mail.outbox if m.to == [consultant.email])
    assert "Cambiaron las condiciones" in mine.subject
    # A second change is a second occasion.
    edit(engagement, coordinator, location="Room 2", mode="hybrid")
    notifications.sweep(enqueue=False)
    assert told.filter(recipient=consultant).count() == 2


def test_her_email_preference_is_followed(accepted, engagement, coordinator, profile):
    profile.email_muted_kinds = [ReminderKind.TERMS_CHANGED]
    profile.save()
    edit(engagement, coordinator, compensation_amount=Decimal("50.00"))
    notifications.sweep(enqueue=False)
    notice = Notification.objects.get(kind=Kind.REQUEST_TERMS_CHANGED)
    assert notice.email_wanted is False
    mail.outbox.clear()
    notifications.deliver(notice.pk)
    assert mail.outbox == []


def test_a_pending_request_cannot_be_accepted_through_confirm(pending, other_consultant):
    with pytest.raises(services.EngagementError, match="Only changed terms"):
        services.confirm_changed_terms(request=pending, actor=other_consultant, consent={})
    assert reload(pending).status == Status.PENDING


def test_an_edit_that_puts_back_what_she_agreed_to_leaves_nothing_to_confirm(
    accepted, engagement, coordinator
):
    edit(engagement, coordinator, compensation_amount=Decimal("50.00"))
    assert reload(accepted).status == Status.CHANGED
    edit(engagement, coordinator, compensation_amount=Decimal("75.00"))
    restored = reload(accepted)
    assert restored.status == Status.ACCEPTED
    assert restored.changed_terms == [] and restored.terms_changed_at is None
    assert AuditEntry.objects.filter(action="survivors.request.terms_restored").count() == 1
