"""Consultants' private details, engagements, participation requests and their consent,
feedback, and a person's calendar of engagements.
"""

from typing import NamedTuple

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from toolkit_portal import notifications
from toolkit_portal.audit import record_audit
from toolkit_portal.rows import save_fields

from .models import (
    CompensationPolicy,
    ConsultantProfile,
    Engagement,
    Feedback,
    ParticipationRequest,
    PrivateDetails,
    ProfileView,
    RateBasis,
)
from .services_common import (
    OPEN_REQUESTS,
    EngagementError,
    Status,
    TokenizationWarning,
    _require_coordinator,
    _require_owner,
)

# Profiles and private details ------------------------------------------------------------


def profile_of(user):
    return ConsultantProfile.objects.filter(user=user).first()


@transaction.atomic
def read_private_details(*, profile, actor):
    """The consultant's legal name and payment details, for the consultant or a permitted
    admin. Every read is audited."""
    is_owner = actor.pk == profile.user_id
    if not (is_owner or actor.has_perm("survivors.view_legal_and_payment")):
        raise EngagementError(_("You cannot read these details."))
    # Nothing is written on a read but the audit entry: an empty form has no row yet.
    details = PrivateDetails.objects.filter(profile=profile).first()
    record_audit(actor, "survivors.private_details.read", profile)
    return details or PrivateDetails(profile=profile)


@transaction.atomic
def save_private_details(*, profile, actor, legal_name, mailing_address, payment_details):
    _require_owner(actor, profile)
    details, _created = PrivateDetails.objects.get_or_create(profile=profile)
    details.legal_name = legal_name
    details.mailing_address = mailing_address
    details.payment_details = payment_details
    details.save()
    # The values themselves never go into the trail.
    record_audit(actor, "survivors.private_details.changed", profile)
    return details


def record_profile_view(*, profile, viewer):
    return ProfileView.objects.create(profile=profile, viewer=viewer)


# Engagements ------------------------------------------------------------------------------


def rate_card_entry(partnership, kind):
    policy = CompensationPolicy.objects.filter(partnership=partnership).first()
    if policy is None:
        return None
    return policy.rates.filter(kind=kind).first()


@transaction.atomic
def create_engagement(*, partnership, actor, **fields):
    """Create an engagement. Without an offered compensation, the partnership's rate card
    for the kind sets it, so no one invents a rate per request."""
    _require_coordinator(actor, partnership)
    if fields.get("compensation_amount") is None:
        entry = rate_card_entry(partnership, fields.get("kind"))
        if entry is None:
            raise EngagementError(
                _("The rate card has no rate for this kind of engagement: enter the compensation.")
            )
        fields["compensation_amount"] = entry.hourly_rate
        fields["compensation_basis"] = RateBasis.HOURLY
    engagement = Engagement(partnership=partnership, created_by=actor, **fields)
    _check_engagement_dates(engagement)
    engagement.save()
    record_audit(actor, "survivors.engagement.created", engagement)
    return engagement


def _check_engagement_dates(engagement):
    if engagement.ends_at < engagement.starts_at:
        raise EngagementError(_("The engagement cannot end before it starts."))
    if engagement.response_deadline > engagement.starts_at:
        raise EngagementError(_("The answer must be requested before the engagement starts."))


def refusal_for(engagement, profile, *, now=None, facts=None):
    """Why this consultant cannot be invited to this engagement, or None.

    The one source of these words: the directory card, the profile page and a refused
    request all say the same. The reasons are the toolkit's: not listed, paused, limited to
    remote work and the engagement is in person only, over the capacity they set, not opted
    in to criminal-justice work, already asked, or too late to ask.

    `facts` (load in the engagement's month, already asked, account active) come from
    `refusals_for` for a whole page at once; without them each is read here.
    """
    now = now or timezone.now()
    day = timezone.localdate(engagement.starts_at)
    name = profile.display_name
    if not engagement.is_open():
        return _("This engagement is no longer open.")
    if engagement.deadline_passed(now):
        return _("The answer deadline of this engagement has passed.")
    if facts is None:
        facts = _RefusalFacts(
            load=profile.load_in(day),
            asked=ParticipationRequest.objects.filter(
                engagement=engagement, consultant=profile
            ).exists(),
            listed=profile.is_listed and profile.user.is_active,
        )
    if not facts.listed:
        return _("%(name)s is not taking requests.") % {"name": name}
    if facts.asked:
        return _("%(name)s has already been invited to this engagement.") % {"name": name}
    if profile.is_paused_on(day):
        return _("%(name)s has paused requests until %(date)s.") % {
            "name": name,
            "date": date_format(profile.paused_until) if profile.paused_until else "",
        }
    # Limited availability (the consultant's choice): only what she can join remotely.
    if profile.takes_only_remote() and engagement.mode == Engagement.Mode.IN_PERSON:
        return _(
            "%(name)s has limited availability: only engagements that can be joined remotely."
        ) % {"name": name}
    if engagement.involves_criminal_justice and not profile.criminal_justice_opt_in:
        return _("%(name)s has not opted in to work that involves the criminal justice system.") % {
            "name": name
        }
    if facts.load >= profile.monthly_capacity:
        return _(
            "%(name)s has reached the capacity they set (%(capacity)s a month) for %(month)s."
        ) % {
            "name": name,
            "capacity": profile.monthly_capacity,
            "month": date_format(day, "YEAR_MONTH_FORMAT"),
        }
    return None


class _RefusalFacts(NamedTuple):
    load: int
    asked: bool
    listed: bool  # listed, and her account is active


def refusals_for(engagement, profiles, *, now=None):
    """{profile pk: reason or None} for many consultants, in one query whatever their number.

    The directory asks this for a page of cards; a batch of requests for the chosen ones.
    """
    profiles = list(profiles)
    if not profiles:
        return {}
    day = timezone.localdate(engagement.starts_at)
    rows = (
        ConsultantProfile.objects.filter(pk__in=[p.pk for p in profiles])
        .with_load_in(day)
        .annotate(
            asked=Exists(
                ParticipationRequest.objects.filter(
                    engagement=engagement, consultant=OuterRef("pk")
                )
            ),
            listed=Q(is_listed=True, user__is_active=True),
        )
        .values_list("pk", "load", "asked", "listed")
    )
    facts = {pk: _RefusalFacts(load, asked, listed) for pk, load, asked, listed in rows}
    return {
        p.pk: refusal_for(engagement, p, now=now, facts=facts[p.pk]) if p.pk in facts else None
        for p in profiles
    }


class BatchResult(NamedTuple):
    sent: list  # the participation requests created
    not_asked: list  # [(profile, reason)], in the order chosen


@transaction.atomic
def send_to_eligible(*, engagement, consultants, actor, confirm_single_seat=False):
    """Invite each chosen consultant who can be asked; tell who was not, and why.

    All rows are written in one transaction: if anything fails, nothing is sent. When no one
    can be asked, EngagementError names every reason.
    """
    return _send(engagement, consultants, actor, confirm_single_seat, skip_refused=True)


@transaction.atomic
def send_participation_requests(*, engagement, consultants, actor, confirm_single_seat=False):
    """Invite each chosen consultant; all or nothing.

    Each consultant's row is locked first, so two coordinators taking a consultant's last
    slot at the same moment cannot both succeed.
    """
    return _send(engagement, consultants, actor, confirm_single_seat, skip_refused=False).sent


def _send(engagement, consultants, actor, confirm_single_seat, *, skip_refused):
    engagement = Engagement.objects.select_for_update().get(pk=engagement.pk)
    _require_coordinator(actor, engagement.partnership)
    if not consultants:
        raise EngagementError(_("Choose at least one consultant to invite."))
    if engagement.needs_tokenization_warning() and not confirm_single_seat:
        raise TokenizationWarning(
            _(
                "This %(kind)s has a single survivor seat. One survivor in a group is easily "
                "made the token voice for all survivors. Consider adding seats; to send anyway, "
                "confirm that you have considered this."
            )
            % {"kind": engagement.get_kind_display().lower()}
        )
    # Lock in a stable order so concurrent batches cannot deadlock.
    ids = sorted(str(c.pk) for c in consultants)
    profiles = list(
        ConsultantProfile.objects.select_for_update(of=("self",))
        .select_related("user")
        .filter(pk__in=ids)
        .order_by("pk")
    )
    if len(profiles) != len(set(ids)):
        raise EngagementError(_("One of the chosen consultants is not taking requests."))
    reasons = refusals_for(engagement, profiles)
    not_asked = [(p, reasons[p.pk]) for p in profiles if reasons[p.pk]]
    if not_asked and (not skip_refused or len(not_asked) == len(profiles)):
        raise EngagementError(" ".join(reason for _p, reason in not_asked))
    created = []
    for profile in profiles:
        if reasons[profile.pk]:
            continue
        request = ParticipationRequest.objects.create(
            engagement=engagement, consultant=profile, sent_by=actor
        )
        record_audit(actor, "survivors.request.sent", request)
        created.append(request)
    # In her inbox at once; the email goes out with the next sweep (survivors/reminders.py).
    from . import reminders

    notifications.record([reminders.request_new(request) for request in created], timezone.now())
    return BatchResult(created, not_asked)


@transaction.atomic
def change_request_status(*, request, to_status, actor, reason="", now=None):
    """The one place a participation request changes status.

    Only the transitions in ParticipationRequest.TRANSITIONS are allowed, and each only by
    its side: the consultant accepts, declines and withdraws; a coordinator cancels and
    completes; the system expires.
    """
    now = now or timezone.now()
    request = (
        ParticipationRequest.objects.select_for_update(of=("self",))
        .select_related("engagement__partnership", "consultant")
        .get(pk=request.pk)
    )
    side = ParticipationRequest.who_may(request.status, to_status)
    if side is None:
        raise EngagementError(
            _("A request that is %(current)s cannot be changed to %(target)s.")
            % {
                "current": request.get_status_display().lower(),
                "target": Status(to_status).label.lower(),
            }
        )
    if side == "consultant":
        _require_owner(actor, request.consultant)
    elif side == "coordinator":
        _require_coordinator(actor, request.engagement.partnership)
    elif actor is not None:
        raise EngagementError(_("Requests expire by themselves."))

    engagement = request.engagement
    confirming = request.status == Status.CHANGED and to_status == Status.ACCEPTED
    if to_status == Status.ACCEPTED:
        # Lock the engagement so two consultants cannot both take its last seat.
        engagement = Engagement.objects.select_for_update().get(pk=engagement.pk)
        # The deadline is for a first answer; new terms can be confirmed after it.
        if engagement.deadline_passed(now) and not confirming:
            raise EngagementError(_("The answer deadline has passed."))
        if not engagement.is_open():
            raise EngagementError(_("This engagement is no longer open."))
        taken = (
            engagement.requests.filter(status__in=Status.holding_a_seat())
            .exclude(pk=request.pk)
            .count()
        )
        if taken >= engagement.seats:
            raise EngagementError(_("All survivor seats of this engagement are taken."))
    # Leaving after the terms changed is always possible: she did not agree to them.
    if (
        to_status == Status.WITHDRAWN
        and request.status != Status.CHANGED
        and engagement.has_started(now)
    ):
        raise EngagementError(_("The engagement has already started."))

    request.status = to_status
    fields = ["status"]
    if to_status in (Status.ACCEPTED, Status.DECLINED) and not confirming:
        request.answered_at = now
        fields.append("answered_at")
    if to_status in (Status.DECLINED, Status.WITHDRAWN, Status.CANCELLED, Status.EXPIRED):
        request.closed_at = now
        fields.append("closed_at")
    if to_status == Status.DECLINED:
        request.decline_reason = reason
        fields.append("decline_reason")
    if to_status == Status.WITHDRAWN:
        request.withdraw_reason = reason
        fields.append("withdraw_reason")
    request.save(update_fields=fields)
    record_audit(actor, f"survivors.request.{to_status}", request)
    return request


CONSENT_FIELDS = (
    "consent_story_shared",
    "consent_off_limits",
    "consent_recording",
    "consent_media",
    "consent_name_to_use",
)


@transaction.atomic
def accept_request(*, request, actor, consent, now=None):
    now = now or timezone.now()
    request = change_request_status(
        request=request, to_status=Status.ACCEPTED, actor=actor, now=now
    )
    apply_consent(request, consent, now)
    _keep_agreed_terms(request)
    record_audit(actor, "survivors.request.consent_given", request)
    return request


def _keep_agreed_terms(request):
    save_fields(request, agreed_terms=request.engagement.terms(), changed_terms=[])


def decline_request(*, request, actor, reason=""):
    return change_request_status(
        request=request, to_status=Status.DECLINED, actor=actor, reason=reason
    )


def withdraw_request(*, request, actor, reason=""):
    return change_request_status(
        request=request, to_status=Status.WITHDRAWN, actor=actor, reason=reason
    )


def cancel_request(*, request, actor):
    return change_request_status(request=request, to_status=Status.CANCELLED, actor=actor)


def expire_request(*, request, now=None):
    return change_request_status(request=request, to_status=Status.EXPIRED, actor=None, now=now)


def apply_consent(request, consent, now):
    for field in CONSENT_FIELDS:
        setattr(request, field, consent.get(field, getattr(request, field)))
    if not request.consent_name_to_use and request.consultant is not None:
        request.consent_name_to_use = request.consultant.display_name
    request.consent_given_at = now
    request.consent_revoked_at = None
    request.save(update_fields=[*CONSENT_FIELDS, "consent_given_at", "consent_revoked_at"])


def _consent_to_change(request, actor, now):
    """The request, locked, when its consultant may still change her consent to it."""
    request = ParticipationRequest.objects.select_for_update().get(pk=request.pk)
    _require_owner(actor, request.consultant)
    if not request.can_change_consent(now):
        raise EngagementError(_("Consent can be changed only until the engagement starts."))
    return request


@transaction.atomic
def update_consent(*, request, actor, consent, now=None):
    now = now or timezone.now()
    request = _consent_to_change(request, actor, now)
    apply_consent(request, consent, now)
    record_audit(actor, "survivors.request.consent_changed", request)
    return request


@transaction.atomic
def revoke_consent(*, request, actor, now=None):
    now = now or timezone.now()
    request = _consent_to_change(request, actor, now)
    save_fields(
        request,
        consent_story_shared=False,
        consent_recording=False,
        consent_media=False,
        consent_revoked_at=now,
    )
    record_audit(actor, "survivors.request.consent_revoked", request)
    return request


@transaction.atomic
def cancel_engagement(*, engagement, actor, now=None):
    now = now or timezone.now()
    engagement = Engagement.objects.select_for_update().get(pk=engagement.pk)
    _require_coordinator(actor, engagement.partnership)
    if not engagement.is_open():
        raise EngagementError(_("Only an open engagement can be cancelled."))
    for request in engagement.requests.filter(status__in=OPEN_REQUESTS):
        change_request_status(request=request, to_status=Status.CANCELLED, actor=actor, now=now)
    save_fields(engagement, status=Engagement.Status.CANCELLED, cancelled_at=now)
    record_audit(actor, "survivors.engagement.cancelled", engagement)
    return engagement


# Feedback -----------------------------------------------------------------------------------


@transaction.atomic
def leave_feedback(*, request, actor, **fields):
    # Locked so a double submit cannot reach the one-feedback-per-request constraint.
    request = (
        ParticipationRequest.objects.select_for_update(of=("self",))
        .select_related("consultant", "engagement")
        .get(pk=request.pk)
    )
    _require_owner(actor, request.consultant)
    if request.status != Status.COMPLETED:
        raise EngagementError(_("Feedback can be left once the engagement is completed."))
    if Feedback.objects.filter(request=request).exists():
        raise EngagementError(_("You have already left feedback for this engagement."))
    feedback = Feedback.objects.create(
        request=request, partnership=request.engagement.partnership, **fields
    )
    record_audit(actor, "survivors.feedback.left", feedback)
    return feedback


@transaction.atomic
def leave_thank_you(*, request, actor, note):
    _require_coordinator(actor, request.engagement.partnership)
    if request.status != Status.COMPLETED:
        raise EngagementError(_("A thank-you note can be left once the engagement is completed."))
    request.thank_you_note = note
    request.save(update_fields=["thank_you_note"])
    record_audit(actor, "survivors.request.thanked", request)
    return request


def upcoming_engagements_for(user, *, now=None):
    """Engagements ahead for a person's calendar: a consultant's accepted ones, a
    coordinator's partnerships' open ones with at least one accepted consultant."""
    now = now or timezone.now()
    engagements = Engagement.objects.filter(ends_at__gte=now).order_by("starts_at")
    if user.is_consultant:
        return engagements.filter(
            requests__consultant__user=user, requests__status=Status.ACCEPTED
        ).distinct()
    return engagements.managed_by(user).filter(status=Engagement.Status.OPEN)
