"""Every rule of the survivors issue, at the service layer."""

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection, connections
from django.utils import timezone

from survivors import services
from survivors.models import (
    Availability,
    Compensation,
    CompensationPolicy,
    ConsultantProfile,
    EngagementKind,
    ParticipationRequest,
    PaymentMethod,
    PrivateDetails,
    RateBasis,
    RateCardEntry,
)
from toolkit_portal.models import AuditEntry

from . import factories
from .factories import (
    CompensationFactory,
    ConsultantProfileFactory,
    EngagementFactory,
    ParticipationRequestFactory,
    pay_by_check,
)

Status = ParticipationRequest.Status


def invite(engagement, profile, coordinator, **kwargs):
    return services.send_participation_requests(
        engagement=engagement, consultants=[profile], actor=coordinator, **kwargs
    )[0]


# Rule 1: not overtaxed ----------------------------------------------------------------------


def test_invitation_creates_one_request_and_an_audit_entry(engagement, profile, coordinator):
    request = invite(engagement, profile, coordinator)
    assert request.status == Status.PENDING
    assert AuditEntry.objects.filter(action="survivors.request.sent").count() == 1


def test_unlisted_consultant_is_refused(engagement, profile, coordinator):
    profile.is_listed = False
    profile.save()
    with pytest.raises(services.EngagementError, match="not taking requests"):
        invite(engagement, profile, coordinator)
    assert not ParticipationRequest.objects.exists()


def test_paused_consultant_is_refused(engagement, profile, coordinator):
    profile.availability = Availability.PAUSED
    profile.paused_until = timezone.localdate(engagement.starts_at) + timedelta(days=1)
    profile.save()
    with pytest.raises(services.EngagementError, match="paused"):
        invite(engagement, profile, coordinator)


def test_pause_that_ended_before_the_engagement_does_not_refuse(engagement, profile, coordinator):
    profile.availability = Availability.PAUSED
    profile.paused_until = timezone.localdate(engagement.starts_at) - timedelta(days=1)
    profile.save()
    assert invite(engagement, profile, coordinator)


def test_capacity_counts_requests_in_the_same_month(coordinator, partnership_x, profile):
    profile.monthly_capacity = 1
    profile.save()
    first = EngagementFactory(partnership=partnership_x)
    second = EngagementFactory(partnership=partnership_x, starts_at=first.starts_at)
    invite(first, profile, coordinator)
    with pytest.raises(services.EngagementError, match="capacity they set"):
        invite(second, profile, coordinator)
    assert ParticipationRequest.objects.count() == 1


def test_declined_requests_free_the_capacity(coordinator, partnership_x, profile, consultant):
    profile.monthly_capacity = 1
    profile.save()
    first = EngagementFactory(partnership=partnership_x)
    second = EngagementFactory(partnership=partnership_x, starts_at=first.starts_at)
    request = invite(first, profile, coordinator)
    services.decline_request(request=request, actor=consultant)
    assert invite(second, profile, coordinator)


def test_criminal_justice_work_needs_the_opt_in(coordinator, partnership_x, profile):
    engagement = EngagementFactory(partnership=partnership_x, involves_criminal_justice=True)
    with pytest.raises(services.EngagementError, match="criminal justice"):
        invite(engagement, profile, coordinator)
    profile.criminal_justice_opt_in = True
    profile.save()
    assert invite(engagement, profile, coordinator)


def test_past_deadline_is_refused(coordinator, partnership_x, profile):
    engagement = EngagementFactory(
        partnership=partnership_x, response_deadline=timezone.now() - timedelta(hours=1)
    )
    with pytest.raises(services.EngagementError, match="deadline"):
        invite(engagement, profile, coordinator)


def test_a_batch_is_all_or_nothing(engagement, profile, other_profile, coordinator):
    other_profile.is_listed = False
    other_profile.save()
    with pytest.raises(services.EngagementError):
        services.send_participation_requests(
            engagement=engagement, consultants=[profile, other_profile], actor=coordinator
        )
    assert not ParticipationRequest.objects.exists()


def test_only_the_partnerships_coordinators_can_invite(engagement, profile, other_coordinator):
    with pytest.raises(services.EngagementError, match="Only coordinators"):
        invite(engagement, profile, other_coordinator)


def test_pending_coordinator_cannot_invite(engagement, profile, pending_coordinator):
    from tests.partnerships.factories import MembershipFactory

    MembershipFactory(partnership=engagement.partnership, user=pending_coordinator)
    with pytest.raises(services.EngagementError):
        invite(engagement, profile, pending_coordinator)


def test_load_annotation_matches_load_in(engagement, profile, coordinator):
    invite(engagement, profile, coordinator)
    day = timezone.localdate(engagement.starts_at)
    annotated = ConsultantProfile.objects.with_load_in(day).get(pk=profile.pk)
    assert annotated.load == profile.load_in(day) == 1


@pytest.mark.django_db(transaction=True)
def test_two_coordinators_cannot_both_take_the_last_slot():
    """Two threads, each with its own database connection, race for the last slot."""
    from tests.partnerships.factories import MembershipFactory, PartnershipFactory
    from tests.toolkit_portal.factories import CoordinatorFactory

    partnership = PartnershipFactory()
    first = CoordinatorFactory()
    second = CoordinatorFactory()
    MembershipFactory(partnership=partnership, user=first)
    MembershipFactory(partnership=partnership, user=second)
    profile = ConsultantProfileFactory(monthly_capacity=1)
    one = EngagementFactory(partnership=partnership)
    two = EngagementFactory(partnership=partnership, starts_at=one.starts_at)
    barrier = threading.Barrier(2)
    outcomes = []

    def race(engagement, coordinator):
        try:
            barrier.wait()
            services.send_participation_requests(
                engagement=engagement, consultants=[profile], actor=coordinator
            )
            outcomes.append("sent")
        except services.EngagementError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=race, args=(one, first)),
        threading.Thread(target=race, args=(two, second)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["refused", "sent"]
    assert ParticipationRequest.objects.filter(consultant=profile).count() == 1


# Rule 2: not tokenized ----------------------------------------------------------------------


def test_single_seat_group_engagement_needs_confirmation(coordinator, partnership_x, profile):
    panel = EngagementFactory(partnership=partnership_x, kind=EngagementKind.PANEL, seats=1)
    with pytest.raises(services.TokenizationWarning):
        invite(panel, profile, coordinator)
    assert not ParticipationRequest.objects.exists()
    assert invite(panel, profile, coordinator, confirm_single_seat=True)


def test_single_seat_consultation_needs_no_confirmation(coordinator, partnership_x, profile):
    consultation = EngagementFactory(
        partnership=partnership_x, kind=EngagementKind.CONSULTATION, seats=1
    )
    assert invite(consultation, profile, coordinator)


# Rule 4: voice and choice -------------------------------------------------------------------


CONSENT = {
    "consent_story_shared": False,
    "consent_off_limits": "My family",
    "consent_recording": False,
    "consent_media": False,
    "consent_name_to_use": "River",
}


def test_accept_records_consent(engagement, profile, coordinator, consultant):
    request = invite(engagement, profile, coordinator)
    request = services.accept_request(request=request, actor=consultant, consent=CONSENT)
    assert request.status == Status.ACCEPTED
    assert request.has_consent()
    assert request.consent_off_limits == "My family"
    assert request.consultant_name == "River"


def test_decline_needs_no_reason_and_keeps_the_optional_one(
    engagement, profile, coordinator, consultant
):
    request = invite(engagement, profile, coordinator)
    request = services.decline_request(request=request, actor=consultant, reason="")
    assert request.status == Status.DECLINED
    assert request.decline_reason == ""


def test_only_the_invited_consultant_answers(engagement, profile, coordinator, other_consultant):
    request = invite(engagement, profile, coordinator)
    with pytest.raises(services.EngagementError, match="Only the consultant"):
        services.accept_request(request=request, actor=other_consultant, consent=CONSENT)
    with pytest.raises(services.EngagementError, match="Only the consultant"):
        services.decline_request(request=request, actor=coordinator)


@pytest.mark.parametrize(
    "start,target",
    [
        (Status.DECLINED, Status.ACCEPTED),
        (Status.EXPIRED, Status.ACCEPTED),
        (Status.PENDING, Status.WITHDRAWN),
        (Status.CANCELLED, Status.ACCEPTED),
        (Status.COMPLETED, Status.WITHDRAWN),
        (Status.ACCEPTED, Status.DECLINED),
    ],
)
def test_transitions_that_are_not_allowed_are_refused(
    engagement, profile, consultant, start, target
):
    request = ParticipationRequestFactory(engagement=engagement, consultant=profile, status=start)
    with pytest.raises(services.EngagementError, match="cannot be changed"):
        services.change_request_status(request=request, to_status=target, actor=consultant)


def test_withdraw_and_cancel(engagement, profile, other_profile, coordinator, consultant):
    mine = invite(engagement, profile, coordinator)
    services.accept_request(request=mine, actor=consultant, consent=CONSENT)
    assert services.withdraw_request(request=mine, actor=consultant).status == Status.WITHDRAWN
    theirs = invite(engagement, other_profile, coordinator)
    assert services.cancel_request(request=theirs, actor=coordinator).status == Status.CANCELLED


def test_accepting_beyond_the_seats_is_refused(coordinator, partnership_x, profile, other_profile):
    engagement = EngagementFactory(partnership=partnership_x, seats=1)
    first = invite(engagement, profile, coordinator)
    second = invite(engagement, other_profile, coordinator)
    services.accept_request(request=first, actor=profile.user, consent=CONSENT)
    with pytest.raises(services.EngagementError, match="seats"):
        services.accept_request(request=second, actor=other_profile.user, consent=CONSENT)


def test_consent_can_change_until_the_engagement_starts(
    engagement, profile, coordinator, consultant
):
    request = invite(engagement, profile, coordinator)
    services.accept_request(request=request, actor=consultant, consent=CONSENT)
    request = services.update_consent(
        request=request, actor=consultant, consent={**CONSENT, "consent_recording": True}
    )
    assert request.consent_recording
    request = services.revoke_consent(request=request, actor=consultant)
    assert not request.has_consent()
    later = engagement.starts_at + timedelta(minutes=1)
    with pytest.raises(services.EngagementError, match="until the engagement starts"):
        services.update_consent(request=request, actor=consultant, consent=CONSENT, now=later)


def test_expiry_is_the_systems_alone(engagement, profile, coordinator):
    request = invite(engagement, profile, coordinator)
    with pytest.raises(services.EngagementError):
        services.change_request_status(request=request, to_status=Status.EXPIRED, actor=coordinator)
    assert services.expire_request(request=request).status == Status.EXPIRED


# Rule 5: paid as professionals --------------------------------------------------------------


def accepted(engagement, profile, coordinator):
    request = invite(engagement, profile, coordinator)
    return services.accept_request(request=request, actor=profile.user, consent=CONSENT)


def complete(engagement, coordinator, request, hours="2", prep="1", travel="1", expenses=()):
    """Completed an hour after it ended, an hour each of preparation and travel paid."""
    return factories.complete(
        engagement,
        coordinator,
        request,
        hours=hours,
        prep=prep,
        travel=travel,
        expenses=expenses,
        now=engagement.ends_at + timedelta(hours=1),
    )


def test_completion_creates_compensation_with_hours_times_rate_plus_expenses(
    engagement, profile, coordinator, settings
):
    settings.COMPENSATION_DUE_DAYS = 30
    request = accepted(engagement, profile, coordinator)
    complete(
        engagement,
        coordinator,
        request,
        expenses=[{"kind": "mileage", "amount": Decimal("12.50"), "note": "25 miles"}],
    )
    compensation = Compensation.objects.get(request=request)
    assert compensation.fee == Decimal("300.00")  # (2 + 1 + 1) h × 75
    assert compensation.expenses_total == Decimal("12.50")
    assert compensation.amount == Decimal("312.50")
    completed_on = timezone.localdate(engagement.ends_at + timedelta(hours=1))
    assert compensation.due_on == completed_on + timedelta(days=30)
    request.refresh_from_db()
    assert request.status == Status.COMPLETED


def test_rate_card_can_leave_travel_unpaid(engagement, profile, coordinator):
    policy = CompensationPolicy.objects.create(partnership=engagement.partnership)
    RateCardEntry.objects.create(
        policy=policy, kind=engagement.kind, hourly_rate=Decimal("75"), pays_travel=False
    )
    request = accepted(engagement, profile, coordinator)
    complete(engagement, coordinator, request)
    assert Compensation.objects.get(request=request).fee == Decimal("225.00")


def test_flat_fee(partnership_x, profile, coordinator):
    engagement = EngagementFactory(
        partnership=partnership_x,
        compensation_basis=RateBasis.FLAT,
        compensation_amount=Decimal("400"),
    )
    request = accepted(engagement, profile, coordinator)
    complete(engagement, coordinator, request)
    assert Compensation.objects.get(request=request).amount == Decimal("400.00")


def test_completion_needs_every_accepted_consultants_hours(
    engagement, profile, other_profile, coordinator
):
    accepted(engagement, profile, coordinator)
    second = accepted(engagement, other_profile, coordinator)
    with pytest.raises(services.EngagementError, match="every accepted consultant"):
        complete(engagement, coordinator, second)
    assert not Compensation.objects.exists()


def test_payment_method_must_be_offered(profile):
    compensation = CompensationFactory(request__consultant=profile)
    CompensationPolicy.objects.create(
        partnership=compensation.partnership, payment_methods=[PaymentMethod.GIFT_CARD]
    )
    with pytest.raises(services.EngagementError, match="does not offer"):
        services.choose_payment_method(
            compensation=compensation, actor=profile.user, method=PaymentMethod.CHECK
        )
    services.choose_payment_method(
        compensation=compensation, actor=profile.user, method=PaymentMethod.GIFT_CARD
    )


def test_mark_paid_then_not_received_reopens(profile, coordinator, partnership_x):
    compensation = CompensationFactory(
        request__consultant=profile, request__engagement__partnership=partnership_x
    )
    pay_by_check(compensation, coordinator, reference="Check 1042")
    compensation.refresh_from_db()
    assert compensation.is_paid()
    assert services.paid_total_in_year(profile, timezone.localdate().year) == Decimal("150.00")
    services.report_not_received(compensation=compensation, actor=profile.user, note="Not here")
    compensation.refresh_from_db()
    assert compensation.status == Compensation.Status.REOPENED
    assert services.paid_total_in_year(profile, timezone.localdate().year) == Decimal("0")


def test_only_coordinators_of_the_partnership_mark_paid(profile, other_coordinator):
    compensation = CompensationFactory(request__consultant=profile)
    with pytest.raises(services.EngagementError):
        pay_by_check(compensation, other_coordinator)


def test_overdue(profile):
    late = CompensationFactory(
        request__consultant=profile, due_on=timezone.localdate() - timedelta(days=1)
    )
    CompensationFactory(request__consultant=profile)
    assert list(Compensation.objects.overdue()) == [late]
    assert late.is_overdue()


# Rule 7: confidentiality --------------------------------------------------------------------


def test_private_details_are_encrypted_at_rest(profile, consultant):
    services.save_private_details(
        profile=profile,
        actor=consultant,
        legal_name="Jordan Q. Example",
        mailing_address="1 Main St",
        payment_details="Routing 123 Account 456",
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT legal_name, payment_details FROM survivors_privatedetails WHERE profile_id=%s",
            [profile.pk],
        )
        raw = " ".join(cursor.fetchone())
    # Spaces and dots never occur in Fernet's URL-safe base64 output: no false alarms.
    assert "Jordan Q. Example" not in raw
    assert "Account 456" not in raw
    assert PrivateDetails.objects.get(profile=profile).legal_name == "Jordan Q. Example"


def test_reading_private_details_is_audited_and_needs_the_permission(
    profile, consultant, admin_user, coordinator
):
    services.read_private_details(profile=profile, actor=consultant)
    assert AuditEntry.objects.filter(action="survivors.private_details.read").count() == 1
    with pytest.raises(services.EngagementError):
        services.read_private_details(profile=profile, actor=coordinator)


# Indicators, export and erase ---------------------------------------------------------------


def test_indicators_flag_concentration_and_single_consultant_years(
    coordinator, partnership_x, profile
):
    for _ in range(3):
        engagement = EngagementFactory(partnership=partnership_x)
        ParticipationRequestFactory(
            engagement=engagement, consultant=profile, status=Status.ACCEPTED
        )
    EngagementFactory(partnership=partnership_x, kind=EngagementKind.PANEL, seats=1)
    indicators = services.inclusion_indicators(partnership_x)
    assert indicators["distinct_consultants"] == 1
    assert indicators["top_two_share"] == 1.0
    assert indicators["concentration_warning"]
    flags = indicators["tokenization_flags"]
    assert len(flags["single_seat_group_engagements"]) == 1
    assert flags["single_consultant_years"]


def test_export_contains_everything(profile, consultant, engagement, coordinator):
    invite(engagement, profile, coordinator)
    services.save_private_details(
        profile=profile,
        actor=consultant,
        legal_name="Jordan",
        mailing_address="",
        payment_details="",
    )
    data = services.export_consultant_data(profile)
    assert data["profile"]["display_name"] == "Consultant A"
    assert data["private_details"]["legal_name"] == "Jordan"
    assert data["requests"][0]["engagement"] == engagement.title


def test_erase_keeps_engagements_and_compensation(profile, consultant, partnership_x):
    compensation = CompensationFactory(
        request__consultant=profile, request__engagement__partnership=partnership_x
    )
    services.erase_consultant(user=consultant, actor=consultant)
    consultant.refresh_from_db()
    assert not consultant.is_active
    assert "consultant.a" not in consultant.email
    assert not ConsultantProfile.objects.filter(pk=profile.pk).exists()
    compensation.refresh_from_db()
    assert compensation.amount == Decimal("150.00")
    assert compensation.request.consultant_name == "Former consultant"


def test_export_and_erase_cover_training_records_and_growth_goals(profile, consultant):
    from tests.trainings.factories import TrainingFactory
    from trainings.models import GrowthGoal, TrainingRecord
    from trainings.services import record_training, save_growth_goal

    record_training(
        actor=consultant,
        training=TrainingFactory(),
        completed_on=timezone.localdate(),
        hours=Decimal("3"),
    )
    save_growth_goal(actor=consultant, area="confidence", topics=[])
    data = services.export_consultant_data(profile)
    assert len(data["training_records"]) == 1
    assert len(data["growth_goals"]) == 1
    services.erase_consultant(user=consultant, actor=consultant)
    assert not TrainingRecord.objects.filter(person=consultant).exists()
    assert not GrowthGoal.objects.filter(person=consultant).exists()
