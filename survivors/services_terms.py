"""Material changes to an engagement's terms: who is asked again, who is released, and the
consultant's confirmation or leaving.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from toolkit_portal.audit import record_audit
from toolkit_portal.plain_text import before_stop

from .models import (
    Engagement,
    EngagementKind,
    ParticipationRequest,
    RateBasis,
)
from .services_common import OPEN_REQUESTS, EngagementError, Status, _require_coordinator
from .services_engagements import (
    _check_engagement_dates,
    _keep_agreed_terms,
    apply_consent,
    change_request_status,
)

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
    for name in ("title", "description"):
        # The portal's own words posted back as shown: they stay the portal's, and keep
        # following each reader's language.
        if name in fields and (fields[name] or "").strip() in engagement.portal_words(name):
            fields[name] = ""
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
