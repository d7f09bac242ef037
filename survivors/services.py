"""Every change to consultants, engagements, requests and compensation goes through here.

Each function is atomic, takes the acting user as `actor`, raises EngagementError with a
message a person can read, and writes an audit entry.
"""

import statistics
from collections import Counter
from datetime import timedelta
from decimal import Decimal
from typing import NamedTuple

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from toolkit_portal import hooks, notifications
from toolkit_portal.audit import record_audit
from toolkit_portal.plain_text import before_stop
from toolkit_portal.vocabulary import SurvivorRole

from .models import (
    QUERY_MAX_LENGTH,
    ZERO,
    Compensation,
    CompensationPolicy,
    ConsultantProfile,
    Engagement,
    EngagementKind,
    Expense,
    Feedback,
    ParticipationRequest,
    PaymentMethod,
    PrivateDetails,
    ProfileView,
    RateBasis,
)

Status = ParticipationRequest.Status


class EngagementError(Exception):
    """A change that is not allowed, with the reason in words a person can act on."""


class TokenizationWarning(EngagementError):
    """A group engagement with a single survivor seat: send only after explicit confirmation."""


def _is_coordinator_of(user, partnership):
    return partnership.is_coordinated_by(user)


def _require_coordinator(actor, partnership):
    if not _is_coordinator_of(actor, partnership):
        raise EngagementError(_("Only coordinators of this partnership can do that."))


def _require_owner(actor, profile):
    if profile is None or actor is None or profile.user_id != actor.pk:
        raise EngagementError(_("Only the consultant can do that."))


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


# The terms a consultant consents to. Changing one of them on an engagement with open
# requests asks each accepted consultant again (DESIGN.md, rules 3–5: consent to one set of
# terms is not consent to another). Codes, stored on the request and in the audit trail.
MATERIAL_TERMS = {
    "criminal_justice": gettext_lazy("Criminal justice system"),
    "when": gettext_lazy("Date and time"),
    "where": gettext_lazy("Place"),
    "compensation": gettext_lazy("Pay offered"),
    "content_notes": gettext_lazy("Content notes"),
    "kind": gettext_lazy("Kind"),
    "roles": gettext_lazy("Roles needed"),
    "seats": gettext_lazy("Survivor seats"),
}
# Requests whose consultant is asked again when the terms change.
OPEN_REQUESTS = (Status.PENDING, Status.ACCEPTED, Status.CHANGED)


def material_changes(before, after):
    """The material terms that differ between two Engagement.terms(), in MATERIAL_TERMS
    order. The one place that decides what needs a consultant's consent again: a typo in
    the title or description, or a new answer deadline, is not a change of terms."""

    def differs(*keys):
        return any(before.get(key) != after.get(key) for key in keys)

    changed = set()
    if differs("involves_criminal_justice"):
        changed.add("criminal_justice")
    if differs("starts_at", "ends_at"):
        changed.add("when")
    if differs("mode", "location"):
        changed.add("where")
    # The hours estimate is part of an hourly offer (rate × hours); a flat fee ignores it.
    hourly = RateBasis.HOURLY in (before.get("compensation_basis"), after.get("compensation_basis"))
    if differs("compensation_amount", "compensation_basis", "rate_card") or (
        hourly and differs("estimated_hours")
    ):
        changed.add("compensation")
    if differs("content_notes"):
        changed.add("content_notes")
    if differs("kind"):
        changed.add("kind")
    if differs("roles_needed"):
        changed.add("roles")
    # Fewer seats matter when a group engagement ends with a single survivor (rule 2).
    group = {str(kind) for kind in EngagementKind.group_kinds()}
    if (
        after.get("kind") in group
        and (after.get("seats") or 0) < 2
        and ((before.get("seats") or 0) >= 2 or before.get("kind") not in group)
    ):
        changed.add("seats")
    return [code for code in MATERIAL_TERMS if code in changed]


def consultants_to_release(engagement):
    """Open requests whose consultant has not opted in to criminal-justice work: those who
    must be released before the engagement can involve the criminal justice system."""
    return list(
        engagement.requests.filter(status__in=OPEN_REQUESTS, consultant__isnull=False)
        .filter(consultant__criminal_justice_opt_in=False)
        .select_related("consultant")
        .order_by("sent_at", "pk")
    )


# Free text someone typed stays out of the audit trail (toolkit_portal/audit.py): the
# engagement's change history holds it, and the entry names the history rows.
_TYPED_TERMS = {"location", "content_notes"}


def _audit_terms(terms):
    return {key: value for key, value in terms.items() if key not in _TYPED_TERMS}


@transaction.atomic
def update_engagement(*, engagement, actor, release=(), now=None, **fields):
    """Change an engagement. A change of its material terms (material_changes) asks again:
    each accepted consultant's request becomes "changed" until she confirms or leaves, and
    each pending one is marked so she sees that the offer changed; the sweep tells them.

    Adding the criminal justice system is refused while an open request's consultant has
    not opted in, unless the coordinator releases them in the same step: `release` holds the
    ids of those requests, which are cancelled with a kind notice and count nothing against
    the consultant.
    """
    now = now or timezone.now()
    engagement = Engagement.objects.select_for_update().get(pk=engagement.pk)
    _require_coordinator(actor, engagement.partnership)
    if not engagement.is_open():
        raise EngagementError(_("A completed or cancelled engagement cannot be changed."))
    before = engagement.terms()
    before_version = engagement.history.order_by("-history_id").first()
    for name, value in fields.items():
        setattr(engagement, name, value)
    _check_engagement_dates(engagement)

    released = []
    if engagement.involves_criminal_justice and not before["involves_criminal_justice"]:
        to_release = consultants_to_release(engagement)
        chosen = {str(pk) for pk in release}
        kept = [r for r in to_release if str(r.pk) not in chosen]
        if kept:
            raise EngagementError(
                _(
                    "Not opted in to work that involves the criminal justice system: "
                    "%(names)s. Leave the criminal justice system out, or release them from "
                    "this engagement in the same step."
                )
                % {"names": before_stop(", ".join(str(r.consultant_name) for r in kept))}
            )
        released = to_release

    engagement.save()
    after = engagement.terms()
    changed = material_changes(before, after)
    after_version = engagement.history.order_by("-history_id").first()
    record_audit(
        actor,
        "survivors.engagement.changed",
        engagement,
        fields=sorted(fields),
        material=changed,
        before=_audit_terms(before),
        after=_audit_terms(after),
        history=[
            before_version.history_id if before_version else None,
            after_version.history_id if after_version else None,
        ],
    )
    for request in released:
        _release(request, actor=actor, now=now)
    if changed:
        _ask_again(engagement, before=before, changed=changed, actor=actor, now=now)
    # For the caller's message: which terms changed, and who was released.
    engagement.material_changes = changed
    engagement.released = released
    return engagement


def _release(request, *, actor, now):
    request = change_request_status(
        request=request, to_status=Status.CANCELLED, actor=actor, now=now
    )
    request.released_at = now
    request.save(update_fields=["released_at"])
    record_audit(actor, "survivors.request.released", request, reason="criminal_justice")


def _ask_again(engagement, *, before, changed, actor, now):
    """After a material change: accepted consultants confirm or leave; pending ones see
    the new terms with a notice that they changed."""
    requests = engagement.requests.select_for_update().filter(
        status__in=OPEN_REQUESTS, consultant__isnull=False
    )
    now_terms = engagement.terms()
    for request in requests:
        fields = ["terms_changed_at", "changed_terms"]
        if request.status in (Status.ACCEPTED, Status.CHANGED):
            # Accepted before the terms were kept: what she agreed to is what held until now.
            if not request.agreed_terms:
                request.agreed_terms = before
                fields.append("agreed_terms")
            # Against what she agreed to, not only against the last edit: two edits that
            # undo each other leave nothing to confirm, two different ones add up.
            terms = material_changes(request.agreed_terms, now_terms)
            if not terms:
                _restore_agreed(request, actor=actor, fields=fields)
                continue
        else:
            codes = set(request.changed_terms) | set(changed)
            terms = [code for code in MATERIAL_TERMS if code in codes]
        request.terms_changed_at = now
        request.changed_terms = terms or changed
        request.save(update_fields=fields)
        if request.status == Status.ACCEPTED:
            change_request_status(request=request, to_status=Status.CHANGED, actor=actor, now=now)
        record_audit(actor, "survivors.request.terms_changed", request, terms=request.changed_terms)


def _restore_agreed(request, *, actor, fields):
    """The terms are back to what she agreed to: nothing is left for her to confirm."""
    request.changed_terms = []
    request.terms_changed_at = None
    if request.status == Status.CHANGED:
        request.status = Status.ACCEPTED
        fields.append("status")
    request.save(update_fields=fields)
    record_audit(actor, "survivors.request.terms_restored", request)


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
            "%(name)s has reached the capacity they set (%(capacity)s a month) for that month."
        ) % {"name": name, "capacity": profile.monthly_capacity}
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
    request.agreed_terms = request.engagement.terms()
    request.changed_terms = []
    request.save(update_fields=["agreed_terms", "changed_terms"])


@transaction.atomic
def confirm_changed_terms(*, request, actor, consent, now=None):
    """She agrees to the engagement's new terms: her consent is given again (and may say
    something new), and the new terms become what she agreed to."""
    now = now or timezone.now()
    current = ParticipationRequest.objects.select_for_update().get(pk=request.pk)
    if current.status != Status.CHANGED:
        raise EngagementError(_("Only changed terms can be confirmed."))
    request = change_request_status(
        request=request, to_status=Status.ACCEPTED, actor=actor, now=now
    )
    profile = request.consultant
    if request.engagement.involves_criminal_justice and not profile.criminal_justice_opt_in:
        raise EngagementError(
            _("This engagement involves the criminal justice system, which you did not opt in to.")
        )
    apply_consent(request, consent, now)
    before = request.agreed_terms
    _keep_agreed_terms(request)
    record_audit(
        actor,
        "survivors.request.terms_confirmed",
        request,
        before=_audit_terms(before),
        after=_audit_terms(request.agreed_terms),
    )
    return request


@transaction.atomic
def leave_changed_engagement(*, request, actor, now=None):
    """She does not agree to the new terms: she leaves, with no reason asked and nothing
    counted against her."""
    current = ParticipationRequest.objects.select_for_update().get(pk=request.pk)
    if current.status != Status.CHANGED:
        raise EngagementError(_("Only a request whose terms changed can be left this way."))
    request = change_request_status(
        request=request, to_status=Status.WITHDRAWN, actor=actor, now=now
    )
    record_audit(actor, "survivors.request.left_after_change", request)
    return request


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


@transaction.atomic
def update_consent(*, request, actor, consent, now=None):
    now = now or timezone.now()
    request = ParticipationRequest.objects.select_for_update().get(pk=request.pk)
    _require_owner(actor, request.consultant)
    if not request.can_change_consent(now):
        raise EngagementError(_("Consent can be changed only until the engagement starts."))
    apply_consent(request, consent, now)
    record_audit(actor, "survivors.request.consent_changed", request)
    return request


@transaction.atomic
def revoke_consent(*, request, actor, now=None):
    now = now or timezone.now()
    request = ParticipationRequest.objects.select_for_update().get(pk=request.pk)
    _require_owner(actor, request.consultant)
    if not request.can_change_consent(now):
        raise EngagementError(_("Consent can be changed only until the engagement starts."))
    request.consent_story_shared = False
    request.consent_recording = False
    request.consent_media = False
    request.consent_revoked_at = now
    request.save(
        update_fields=[
            "consent_story_shared",
            "consent_recording",
            "consent_media",
            "consent_revoked_at",
        ]
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
    engagement.status = Engagement.Status.CANCELLED
    engagement.cancelled_at = now
    engagement.save(update_fields=["status", "cancelled_at"])
    record_audit(actor, "survivors.engagement.cancelled", engagement)
    return engagement


# Completion and compensation ---------------------------------------------------------------


def compute_fee(engagement, *, hours_worked, preparation_hours, travel_hours):
    """Flat, or hours × the offered hourly rate; preparation and travel time count unless the
    partnership's rate card for this kind says otherwise."""
    if engagement.compensation_basis == RateBasis.FLAT:
        return engagement.compensation_amount
    entry = rate_card_entry(engagement.partnership, engagement.kind)
    hours = hours_worked
    if entry is None or entry.pays_preparation:
        hours += preparation_hours
    if entry is None or entry.pays_travel:
        hours += travel_hours
    return (engagement.compensation_amount * hours).quantize(Decimal("0.01"))


@transaction.atomic
def complete_engagement(*, engagement, actor, records, now=None):
    """Mark an engagement completed and create a compensation record per accepted consultant.

    `records` maps a request id to {"hours_worked", "preparation_hours", "travel_hours",
    "expenses": [{"kind", "amount", "note"}], "decisions": {expense id: {"approve": bool,
    "message": str}}}. "expenses" are lines the coordinator enters, approved as entered;
    "decisions" approve or query the lines the consultant added. A line left undecided
    waits for a decision on the engagement page (and the payment waits for it).
    """
    now = now or timezone.now()
    engagement = Engagement.objects.select_for_update().get(pk=engagement.pk)
    _require_coordinator(actor, engagement.partnership)
    if not engagement.is_open():
        raise EngagementError(_("This engagement is already completed or cancelled."))
    if now < engagement.starts_at:
        raise EngagementError(_("An engagement can be completed only once it has started."))
    unconfirmed = list(
        engagement.requests.filter(status=Status.CHANGED).select_related("consultant")
    )
    if unconfirmed:
        raise EngagementError(
            _(
                "The terms changed and not every consultant has confirmed them yet: "
                "%(names)s. Wait for the answer, or cancel that request, before marking the "
                "engagement completed."
            )
            % {"names": before_stop(", ".join(str(r.consultant_name) for r in unconfirmed))}
        )
    accepted = list(engagement.requests.filter(status=Status.ACCEPTED).select_related("consultant"))
    missing = [r for r in accepted if str(r.pk) not in {str(k) for k in records}]
    if missing:
        raise EngagementError(_("Record the hours of every accepted consultant."))
    due_on = timezone.localdate(now) + timedelta(days=settings.COMPENSATION_DUE_DAYS)
    by_id = {str(k): v for k, v in records.items()}
    for request in accepted:
        record = by_id[str(request.pk)]
        _check_hours(record)
        request.hours_worked = record["hours_worked"]
        request.preparation_hours = record.get("preparation_hours") or ZERO
        request.travel_hours = record.get("travel_hours") or ZERO
        request.save(update_fields=["hours_worked", "preparation_hours", "travel_hours"])
        change_request_status(request=request, to_status=Status.COMPLETED, actor=actor, now=now)
        _enter_expenses(request, record.get("expenses", []), actor=actor, now=now)
        _decide_at_completion(request, record.get("decisions") or {}, actor=actor, now=now)
        fee = compute_fee(
            engagement,
            hours_worked=request.hours_worked,
            preparation_hours=request.preparation_hours,
            travel_hours=request.travel_hours,
        )
        compensation = Compensation(
            request=request,
            partnership=engagement.partnership,
            consultant=request.consultant,
            fee=fee,
            due_on=due_on,
        )
        compensation.settle()
        compensation.save()
        record_audit(
            actor,
            "survivors.compensation.created",
            compensation,
            amount=str(fee),
            expenses=str(compensation.expenses_total),
        )
    # Requests never answered cannot be answered any more.
    for request in engagement.requests.filter(status=Status.PENDING):
        change_request_status(request=request, to_status=Status.CANCELLED, actor=actor, now=now)
    engagement.status = Engagement.Status.COMPLETED
    engagement.completed_at = now
    engagement.save(update_fields=["status", "completed_at"])
    record_audit(actor, "survivors.engagement.completed", engagement)
    return engagement


def _enter_expenses(request, entered, *, actor, now):
    """Lines a coordinator enters at completion: approved as entered, by that coordinator."""
    expenses = Expense.objects.bulk_create(
        [
            Expense(
                request=request,
                kind=e["kind"],
                amount=e["amount"],
                note=e.get("note", ""),
                added_by=Expense.Source.COORDINATOR,
                status=Expense.Status.APPROVED,
                decided_by=actor,
                decided_at=now,
            )
            for e in entered
            if e.get("amount")
        ]
    )
    for expense in expenses:
        record_audit(
            actor,
            "survivors.expense.entered",
            expense,
            kind=expense.kind,
            amount=str(expense.amount),
        )


def _decide_at_completion(request, decisions, *, actor, now):
    if not decisions:
        return
    lines = Expense.objects.select_for_update().filter(
        request=request, added_by=Expense.Source.CONSULTANT, pk__in=list(decisions)
    )
    by_id = {str(k): v for k, v in decisions.items()}
    for expense in lines:
        decision = by_id[str(expense.pk)]
        _decide(
            expense,
            actor=actor,
            approve=decision["approve"],
            message=decision.get("message", ""),
            now=now,
        )


def _check_hours(record):
    for field in ("hours_worked", "preparation_hours", "travel_hours"):
        value = record.get(field) or ZERO
        if value < 0 or value > 1000:
            raise EngagementError(_("Hours must be between 0 and 1000."))
    for expense in record.get("expenses", []):
        if expense.get("amount") is not None and expense["amount"] < 0:
            raise EngagementError(_("An expense cannot be negative."))


@transaction.atomic
def choose_payment_method(*, compensation, actor, method):
    compensation = Compensation.objects.select_for_update().get(pk=compensation.pk)
    _require_owner(actor, compensation.consultant)
    policy = CompensationPolicy.objects.filter(partnership=compensation.partnership).first()
    offered = policy.offered_methods() if policy else [m for m, _l in PaymentMethod.choices]
    if method not in offered:
        raise EngagementError(_("This partnership does not offer that payment method."))
    if compensation.is_paid():
        raise EngagementError(_("This payment is already recorded as paid."))
    compensation.payment_method = method
    compensation.save(update_fields=["payment_method"])
    record_audit(actor, "survivors.compensation.method_chosen", compensation, method=method)
    return compensation


@transaction.atomic
def mark_compensation_paid(*, compensation, actor, paid_on, method, reference=""):
    compensation = Compensation.objects.select_for_update().get(pk=compensation.pk)
    if not (actor.is_portal_admin or _is_coordinator_of(actor, compensation.partnership)):
        raise EngagementError(_("Only the partnership's coordinators or an admin can do that."))
    if compensation.is_paid():
        raise EngagementError(_("This payment is already recorded as paid."))
    if paid_on > timezone.localdate():
        raise EngagementError(_("The payment date cannot be in the future."))
    if method not in PaymentMethod.values:
        raise EngagementError(_("Choose how it was paid."))
    # Her lines: each one waiting for a decision is decided first (the coordinator can do it
    # now); a queried one is not paid with this payment, and is left unpaid for good.
    lines = Expense.objects.filter(request_id=compensation.request_id)
    waiting = lines.filter(status=Expense.Status.SUBMITTED).count()
    if waiting:
        raise EngagementError(
            ngettext(
                "%(count)d expense line is waiting for a decision: approve or query it on the "
                "engagement page before recording the payment.",
                "%(count)d expense lines are waiting for a decision: approve or query them on "
                "the engagement page before recording the payment.",
                waiting,
            )
            % {"count": waiting}
        )
    compensation.settle()
    compensation.status = Compensation.Status.PAID
    compensation.paid_on = paid_on
    compensation.paid_method = method
    compensation.paid_reference = reference
    compensation.marked_paid_by = actor
    compensation.save(
        update_fields=[
            "expenses_total",
            "amount",
            "status",
            "paid_on",
            "paid_method",
            "paid_reference",
            "marked_paid_by",
        ]
    )
    compensation.queried_left_out = lines.filter(status=Expense.Status.QUERIED).count()
    record_audit(
        actor,
        "survivors.compensation.paid",
        compensation,
        amount=str(compensation.amount),
        queried_left_out=compensation.queried_left_out,
    )
    return compensation


@transaction.atomic
def report_not_received(*, compensation, actor, note, now=None):
    compensation = Compensation.objects.select_for_update().get(pk=compensation.pk)
    _require_owner(actor, compensation.consultant)
    if not compensation.is_paid():
        raise EngagementError(_("Only a payment recorded as paid can be reported as not received."))
    compensation.status = Compensation.Status.REOPENED
    compensation.not_received_note = note
    compensation.reopened_at = now or timezone.now()
    compensation.save(update_fields=["status", "not_received_note", "reopened_at"])
    record_audit(actor, "survivors.compensation.reopened", compensation)
    return compensation


def paid_total_in_year(profile, year):
    return Compensation.objects.owed_to(profile).paid_in_year(year).total()


# Expenses -----------------------------------------------------------------------------------
#
# Once she accepted an engagement, and until it is paid, a consultant adds her own expense
# lines (mileage, childcare, meals, other) with an optional receipt. The partnership's
# coordinators approve or query each line: a queried line goes back to her, and once she
# changes it, it waits for a decision again. An approved line is locked and paid with the
# compensation (Compensation.settle sums it). Rows are locked in one order everywhere: the
# request, its compensation, the line; mark_compensation_paid locks the compensation.


def _locked_request(request_id):
    """The request and its compensation (if any) locked in that order, then read fresh."""
    list(ParticipationRequest.objects.select_for_update().filter(pk=request_id).values("pk"))
    list(Compensation.objects.select_for_update().filter(request_id=request_id).values("pk"))
    return ParticipationRequest.objects.select_related(
        "consultant", "engagement__partnership", "compensation"
    ).get(pk=request_id)


def _expenses_closed(request, *, hers):
    compensation = getattr(request, "compensation", None)
    if compensation is not None and compensation.is_paid():
        return _("This engagement is already paid: its expenses can no longer change.")
    if hers:
        return _("You can add expenses to an engagement once you have accepted it.")
    return _("Expenses can be decided only for a consultant who accepted the engagement.")


def _open_for_her(request_id, actor):
    request = _locked_request(request_id)
    _require_owner(actor, request.consultant)
    if not request.takes_expenses():
        raise EngagementError(_expenses_closed(request, hers=True))
    return request


def _her_line(expense, actor):
    request = _open_for_her(expense.request_id, actor)
    line = Expense.objects.select_for_update().get(pk=expense.pk)
    if line.is_approved() or not line.is_hers():
        raise EngagementError(_("This expense is approved: it can no longer be changed."))
    line.request = request
    return line


def _check_line(expense, *, exclude=()):
    """The model's checks (kind, amount, the receipt's type and size), as a readable error."""
    if expense.amount is None or expense.amount <= 0:
        raise EngagementError(_("Enter the amount of the expense, above zero."))
    try:
        expense.full_clean(exclude=["request", *exclude])
    except ValidationError as error:
        raise EngagementError(" ".join(error.messages)) from None


def _delete_receipt_later(name):
    # The file goes only once the row no longer names it, for good (after the commit).
    storage = Expense._meta.get_field("receipt").storage
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def add_expense(*, request, actor, kind, amount, note="", receipt=None):
    """She adds an expense line to an engagement she accepted; it waits for a decision."""
    request = _open_for_her(request.pk, actor)
    expense = Expense(
        request=request,
        kind=kind,
        amount=amount,
        note=note,
        added_by=Expense.Source.CONSULTANT,
        status=Expense.Status.SUBMITTED,
    )
    if receipt:
        expense.receipt = receipt
    _check_line(expense)
    expense.save()
    record_audit(
        actor,
        "survivors.expense.added",
        expense,
        kind=expense.kind,
        amount=str(expense.amount),
        receipt=bool(expense.receipt),
    )
    return expense


@transaction.atomic
def change_expense(*, expense, actor, kind, amount, note="", receipt=None, remove_receipt=False):
    """She changes a line not yet approved (a new receipt replaces the old one); it waits for
    a decision again, the coordinator's question kept beside it."""
    line = _her_line(expense, actor)
    old_receipt = line.receipt.name
    queried = line.is_queried()
    line.kind, line.amount, line.note = kind, amount, note
    if receipt:
        line.receipt = receipt
    elif remove_receipt:
        line.receipt = ""
    line.status = Expense.Status.SUBMITTED
    _check_line(line, exclude=[] if receipt else ["receipt"])
    line.save()
    if old_receipt and line.receipt.name != old_receipt:
        _delete_receipt_later(old_receipt)
    record_audit(
        actor,
        "survivors.expense.changed",
        line,
        kind=line.kind,
        amount=str(line.amount),
        receipt=bool(line.receipt),
        after_query=queried,
    )
    return line


@transaction.atomic
def remove_expense(*, expense, actor):
    """She removes a line not yet approved, with its receipt."""
    line = _her_line(expense, actor)
    name = line.receipt.name
    record_audit(actor, "survivors.expense.removed", line, kind=line.kind, amount=str(line.amount))
    line.delete()
    if name:
        _delete_receipt_later(name)


def _line_to_decide(expense, actor):
    line = Expense.objects.select_related("request__engagement__partnership").get(pk=expense.pk)
    _require_coordinator(actor, line.request.engagement.partnership)
    request = _locked_request(line.request_id)
    if not request.takes_expenses():
        raise EngagementError(_expenses_closed(request, hers=False))
    line = Expense.objects.select_for_update().get(pk=expense.pk)
    line.request = request
    return line


@transaction.atomic
def approve_expense(*, expense, actor, now=None):
    """A coordinator of the partnership approves a line: it is locked, and paid with the
    compensation."""
    line = _line_to_decide(expense, actor)
    _decide(line, actor=actor, approve=True, now=now or timezone.now())
    return line


@transaction.atomic
def query_expense(*, expense, actor, message, now=None):
    """A coordinator of the partnership asks about a line: she is told (inbox and email,
    survivors/reminders.py) and can change it; it is not paid unless approved."""
    line = _line_to_decide(expense, actor)
    _decide(line, actor=actor, approve=False, message=message, now=now or timezone.now())
    return line


def _decide(line, *, actor, approve, now, message=""):
    if line.is_approved():
        raise EngagementError(_("This expense is already approved."))
    if approve:
        line.status = Expense.Status.APPROVED
    else:
        message = message.strip()
        if not message:
            raise EngagementError(_("Write a short question for the consultant."))
        if len(message) > QUERY_MAX_LENGTH:
            raise EngagementError(
                _("Keep the question to %(max)d characters.") % {"max": QUERY_MAX_LENGTH}
            )
        line.status = Expense.Status.QUERIED
        line.query_message = message
    line.decided_by = actor
    line.decided_at = now
    line.save(update_fields=["status", "query_message", "decided_by", "decided_at"])
    record_audit(
        actor, f"survivors.expense.{line.status}", line, kind=line.kind, amount=str(line.amount)
    )
    if approve:
        compensation = Compensation.objects.filter(request_id=line.request_id).first()
        if compensation is not None:
            compensation.settle()
            compensation.save(update_fields=["expenses_total", "amount"])


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


# Indicators ---------------------------------------------------------------------------------


def inclusion_indicators(partnership, *, today=None):
    """Survivor-inclusion indicators for the partnership's coordinators (last 12 months)."""
    today = today or timezone.localdate()
    since = today - timedelta(days=365)
    engaged = ParticipationRequest.objects.filter(
        engagement__partnership=partnership,
        status__in=[Status.ACCEPTED, Status.COMPLETED],
        engagement__starts_at__date__gte=since,
    )
    per_consultant = Counter(
        engaged.exclude(consultant=None).values_list("consultant_id", flat=True)
    )
    total = sum(per_consultant.values())
    top_two = sum(count for _id, count in per_consultant.most_common(2))
    concentration = (top_two / total) if total else 0.0
    by_role = Counter()
    for roles in Engagement.objects.filter(
        partnership=partnership, requests__in=engaged
    ).values_list("roles_needed", flat=True):
        # Only an engagement that names no role is counted as such; a role no longer in the
        # vocabulary is counted under its own name, never as "unspecified".
        by_role.update(roles or [NO_ROLE])

    compensations = Compensation.objects.filter(partnership=partnership)
    completed_count = ParticipationRequest.objects.filter(
        engagement__partnership=partnership, status=Status.COMPLETED
    ).count()
    paid = compensations.filter(status=Compensation.Status.PAID).select_related(
        "request__engagement"
    )
    days = [d for c in paid if (d := c.days_to_payment()) is not None]

    return {
        "distinct_consultants": len(per_consultant),
        "engagements": total,
        "top_two_share": concentration,
        "concentration_warning": total >= 3
        and concentration > settings.CONCENTRATION_WARNING_SHARE,
        "by_role": [
            (_role_label(role), n) for role, n in sorted(by_role.items(), key=lambda item: -item[1])
        ],
        "share_paid": (paid.count() / completed_count) if completed_count else None,
        "median_days_to_payment": statistics.median(days) if days else None,
        "overdue": compensations.overdue(today).count(),
        "tokenization_flags": tokenization_flags(partnership),
    }


NO_ROLE = ""


def _role_label(role):
    if role == NO_ROLE:
        return _("No role named")
    if role in SurvivorRole.values:
        return SurvivorRole(role).label
    return role.replace("_", " ").capitalize()


def tokenization_flags(partnership):
    """Rule 2: open group engagements with one survivor seat, and years in which one
    consultant carried all of the partnership's survivor engagements."""
    single_seat = list(
        Engagement.objects.filter(
            partnership=partnership,
            kind__in=EngagementKind.group_kinds(),
            seats__lt=2,
            status=Engagement.Status.OPEN,
        ).values_list("title", flat=True)
    )
    years = (
        ParticipationRequest.objects.filter(
            engagement__partnership=partnership,
            status__in=[Status.ACCEPTED, Status.COMPLETED],
            consultant__isnull=False,
        )
        .values("engagement__starts_at__year")
        .annotate(
            consultants=Count("consultant", distinct=True),
            engagements=Count("engagement", distinct=True),
        )
        .filter(consultants=1, engagements__gte=2)
        .order_by("engagement__starts_at__year")
    )
    return {
        "single_seat_group_engagements": single_seat,
        "single_consultant_years": [row["engagement__starts_at__year"] for row in years],
    }


# Data rights --------------------------------------------------------------------------------


def export_consultant_data(profile):
    """Everything held about the consultant, as plain JSON-ready data."""
    user = profile.user
    details = PrivateDetails.objects.filter(profile=profile).first()
    record_audit(user, "survivors.data.exported", profile)

    def money(value):
        return str(value) if value is not None else None

    return {
        "account": {"email": user.email, "joined": user.date_joined.isoformat()},
        "profile": {
            "display_name": profile.display_name,
            "pronouns": profile.pronouns,
            "bio": profile.bio,
            "roles": profile.roles,
            "languages": profile.languages,
            "areas_served": profile.areas_served,
            "works_remote": profile.works_remote,
            "works_in_person": profile.works_in_person,
            "preferred_rate": money(profile.preferred_rate),
            "rate_basis": profile.rate_basis,
            "monthly_capacity": profile.monthly_capacity,
            "availability": profile.availability,
            "paused_until": profile.paused_until.isoformat() if profile.paused_until else None,
            "criminal_justice_opt_in": profile.criminal_justice_opt_in,
            "is_listed": profile.is_listed,
            "contact_email": profile.contact_email,
            "contact_phone": profile.contact_phone,
            "email_muted_kinds": profile.email_muted_kinds,
        },
        "private_details": {
            "legal_name": details.legal_name if details else "",
            "mailing_address": details.mailing_address if details else "",
            "payment_details": details.payment_details if details else "",
        },
        "profile_views": [
            {"viewer": view.viewer.email, "at": view.viewed_at.isoformat()}
            for view in profile.views_received.select_related("viewer")
        ],
        "requests": [
            {
                "engagement": r.engagement.title,
                "partnership": r.engagement.partnership.name,
                "starts_at": r.engagement.starts_at.isoformat(),
                "status": r.status,
                "decline_reason": r.decline_reason,
                "withdraw_reason": r.withdraw_reason,
                "consent": {field: getattr(r, field) for field in CONSENT_FIELDS},
                "agreed_terms": r.agreed_terms,
                "changed_terms": r.changed_terms,
                "hours_worked": money(r.hours_worked),
                "thank_you_note": r.thank_you_note,
            }
            for r in profile.requests.select_related("engagement__partnership")
        ],
        "expenses": [
            {
                "engagement": e.request.engagement.title,
                "kind": e.kind,
                "amount": money(e.amount),
                "note": e.note,
                "added_by": e.added_by,
                "status": e.status,
                "question": e.query_message,
                "has_receipt": bool(e.receipt),
                "added_at": e.created_at.isoformat(),
                "decided_at": e.decided_at.isoformat() if e.decided_at else None,
            }
            for e in Expense.objects.filter(request__consultant=profile).select_related(
                "request__engagement"
            )
        ],
        # The other apps' parts (training records, assessment answers...), in app order.
        **hooks.export_person_data(user),
        "compensation": [
            {
                "engagement": c.request.engagement.title,
                "fee": money(c.fee),
                "expenses": money(c.expenses_total),
                "amount": money(c.amount),
                "due_on": c.due_on.isoformat(),
                "status": c.status,
                "paid_on": c.paid_on.isoformat() if c.paid_on else None,
                "payment_method": c.payment_method,
            }
            for c in profile.compensations.select_related("request__engagement")
        ],
    }


@transaction.atomic
def erase_consultant(*, user, actor):
    """Erase the profile and personal fields. Engagements keep a "former consultant";
    compensation records stay for the books; the account can no longer sign in."""
    if actor.pk != user.pk and not actor.is_portal_admin:
        raise EngagementError(_("Only the consultant or an admin can erase this account."))
    profile = profile_of(user)
    if profile is not None:
        ParticipationRequest.objects.filter(consultant=profile).update(
            decline_reason="",
            withdraw_reason="",
            consent_off_limits="",
            consent_name_to_use="",
        )
        _erase_expense_details(profile)
        record_audit(actor, "survivors.data.erased", profile)
        # The change history keeps copies of the same fields: blank them there too.
        ParticipationRequest.history.filter(consultant_id=profile.pk).update(
            consent_off_limits="", consent_name_to_use="", consultant=None
        )
        Compensation.history.filter(consultant_id=profile.pk).update(consultant=None)
        profile.delete()  # private details, views and the request link go with it
    hooks.erase_person_data(person=user, actor=actor)  # the other apps' parts
    EmailAddress.objects.filter(user=user).delete()
    user.email = f"erased-{user.pk}@erased.invalid"
    user.set_unusable_password()
    user.is_active = False
    user.save(update_fields=["email", "password", "is_active"])
    _end_sessions_of(user)


def _erase_expense_details(profile):
    """Her expense lines stay for the books (kind, amount, decision); their receipts are
    deleted, and what was typed about them (her note, a coordinator's question) is blanked."""
    lines = Expense.objects.filter(request__consultant=profile)
    receipts = list(lines.exclude(receipt="").values_list("receipt", flat=True))
    lines.update(receipt="", receipt_type="", note="", query_message="")
    for name in receipts:
        _delete_receipt_later(name)


def _end_sessions_of(user):
    from allauth.usersessions.models import UserSession

    for user_session in UserSession.objects.filter(user=user):
        user_session.end()


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
