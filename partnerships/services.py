"""Every change to a partnership, its organizations, goals, members and recommendations.

Each function is atomic, takes the acting user as `actor`, raises PartnershipError with a
sentence a person can read, and records an audit entry.
"""

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from toolkit_portal import services as account_services
from toolkit_portal.audit import record_audit
from toolkit_portal.errors import DomainError
from toolkit_portal.notifications import email_subject
from toolkit_portal.rows import save_fields
from toolkit_portal.vocabulary import FourP

from .models import (
    INVITATION_SALT,
    RESERVED_SLUGS,
    Goal,
    Invitation,
    Membership,
    Organization,
    Partnership,
    PartnershipProposal,
    Position,
    ProgressNote,
)


class PartnershipError(DomainError):
    pass


def _require_coordinator(actor, partnership):
    if not partnership.is_coordinated_by(actor):
        raise PartnershipError(_("Only the partnership's coordinators can do this."))


# Profile and organizations -------------------------------------------------------------------


@transaction.atomic
def update_profile(*, partnership, actor, **fields):
    _require_coordinator(actor, partnership)
    changed = sorted(k for k, v in fields.items() if getattr(partnership, k) != v)
    for key, value in fields.items():
        if key not in Partnership.PROFILE_FIELDS:
            raise PartnershipError(_("This field cannot be changed here."))
        setattr(partnership, key, value)
    partnership.save()
    record_audit(actor, "partnerships.profile.updated", partnership, fields=changed)
    return partnership


def _check_organization_name(partnership, name, exclude=None):
    others = partnership.organizations.filter(name__iexact=name.strip())
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    if others.exists():
        raise PartnershipError(_("An organization with this name is already a member."))


@transaction.atomic
def add_organization(*, partnership, actor, **fields):
    _require_coordinator(actor, partnership)
    _check_organization_name(partnership, fields.get("name", ""))
    organization = Organization.objects.create(partnership=partnership, **fields)
    record_audit(actor, "partnerships.organization.added", organization)
    return organization


@transaction.atomic
def update_organization(*, organization, actor, **fields):
    _require_coordinator(actor, organization.partnership)
    _check_organization_name(organization.partnership, fields.get("name", ""), organization)
    for key, value in fields.items():
        setattr(organization, key, value)
    organization.save()
    record_audit(actor, "partnerships.organization.updated", organization)
    return organization


@transaction.atomic
def remove_organization(*, organization, actor):
    _require_coordinator(actor, organization.partnership)
    record_audit(actor, "partnerships.organization.removed", organization)
    organization.delete()


# Goals ----------------------------------------------------------------------------------------


@transaction.atomic
def create_goal(*, partnership, actor, **fields):
    _require_coordinator(actor, partnership)
    goal = Goal.objects.create(partnership=partnership, **fields)
    record_audit(actor, "partnerships.goal.created", goal)
    return goal


@transaction.atomic
def update_goal(*, goal, actor, **fields):
    _require_coordinator(actor, goal.partnership)
    old_status = goal.status
    for key, value in fields.items():
        setattr(goal, key, value)
    goal.save()
    record_audit(
        actor, "partnerships.goal.updated", goal, status_from=old_status, status_to=goal.status
    )
    return goal


@transaction.atomic
def add_progress_note(*, goal, actor, text, noted_on=None):
    _require_coordinator(actor, goal.partnership)
    if not text.strip():
        raise PartnershipError(_("Write what progress was made."))
    noted_on = noted_on or timezone.localdate()
    if noted_on > timezone.localdate():
        raise PartnershipError(_("A progress note cannot be dated in the future."))
    note = ProgressNote.objects.create(
        goal=goal, text=text.strip(), noted_on=noted_on, author=actor
    )
    record_audit(actor, "partnerships.goal.progress_noted", goal, note=note.pk)
    return note


def goals_overview(partnership, *, today=None):
    """The goals page: per 4P its goals and counts by status, and what is past its target.
    Two queries, however many goals there are."""
    today = today or timezone.localdate()
    goals = list(partnership.goals.prefetch_related("notes"))
    groups = []
    for value, label in FourP.choices:
        mine = [goal for goal in goals if goal.four_p == value]
        counts = [
            (status_label, sum(1 for g in mine if g.status == status))
            for status, status_label in Goal.Status.choices
        ]
        groups.append({"value": value, "label": label, "goals": mine, "counts": counts})
    past = [goal for goal in goals if goal.is_past_target(today)]
    return {"groups": groups, "past_target": past, "total": len(goals)}


# Memberships and invitations -----------------------------------------------------------------


@transaction.atomic
def invite_coordinator(*, partnership, actor, email):
    _require_coordinator(actor, partnership)
    email = email.strip().lower()
    if partnership.memberships.filter(user__email__iexact=email).exists():
        raise PartnershipError(_("This person already belongs to the partnership."))
    if partnership.invitations.pending().filter(email__iexact=email).exists():
        raise PartnershipError(
            _("An invitation to this address is still open. Revoke it to send a new one.")
        )
    invitation = Invitation.objects.create(
        partnership=partnership, email=email, invited_by=actor, role=Membership.Role.COORDINATOR
    )
    record_audit(actor, "partnerships.invitation.sent", invitation)
    from .tasks import send_invitation

    transaction.on_commit(lambda: send_invitation.delay(str(invitation.pk)))
    return invitation


def send_invitation_email(pk):
    """The invitation email: the link, how long it works, and, to coordinate, that approval
    follows."""
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.utils import translation

    from toolkit_portal.models import User

    invitation = (
        Invitation.objects.select_related("partnership", "invited_by").filter(pk=pk).first()
    )
    if invitation is None or not invitation.is_pending():
        return
    context = {
        "invitation": invitation,
        "url": settings.PORTAL_URL + invitation.get_absolute_url(),
        "days": settings.PARTNERSHIP_INVITATION_DAYS,
    }
    # The language of the invited person's account if they have one, else the inviter's.
    speaker = User.objects.filter(email__iexact=invitation.email).first() or invitation.invited_by
    language = speaker.language if speaker else None
    with translation.override(language or settings.LANGUAGE_CODE):
        if invitation.is_to_coordinate():
            subject = email_subject(_("You are invited to coordinate a partnership"))
        else:
            subject = email_subject(_("You are invited to join a partnership as a member"))
        body = render_to_string("partnerships/email/invitation.txt", context)
    send_mail(subject, body, None, [invitation.email])


@transaction.atomic
def revoke_invitation(*, invitation, actor):
    _require_coordinator(actor, invitation.partnership)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_pending():
        raise PartnershipError(_("This invitation is no longer open."))
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    record_audit(actor, "partnerships.invitation.revoked", invitation)
    return invitation


def invitation_from_token(token):
    """The invitation a link points at, or None if the link is unknown, altered or too old."""
    try:
        pk = signing.loads(
            token,
            salt=INVITATION_SALT,
            max_age=settings.PARTNERSHIP_INVITATION_DAYS * 24 * 3600,
        )
    except signing.BadSignature:
        return None
    return Invitation.objects.select_related("partnership").filter(pk=pk).first()


@transaction.atomic
def accept_invitation(*, invitation, actor, now=None):
    now = now or timezone.now()
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    state = invitation.state(now)
    if state == "expired":
        raise PartnershipError(
            _("This invitation has expired. Ask the coordinator to send a new one.")
        )
    if state != "pending":
        raise PartnershipError(_("This invitation is no longer open."))
    if not (actor.is_coordinator or actor.is_portal_admin):
        raise PartnershipError(
            _("This account is not a coordinator account. Sign up as a coordinator to join.")
        )
    if actor.email.lower() != invitation.email.lower():
        raise PartnershipError(
            _("This invitation was sent to another email address. Sign in with that address.")
        )
    membership, created = Membership.objects.get_or_create(
        partnership=invitation.partnership, user=actor, defaults={"role": invitation.role}
    )
    if not created and membership.role != invitation.role:
        membership.role = invitation.role
        membership.save(update_fields=["role"])
    save_fields(invitation, accepted_at=now, accepted_by=actor)
    record_audit(actor, "partnerships.invitation.accepted", invitation)
    return membership


def joined_message(*, invitation, user):
    """What a person reads once she joined through an invitation."""
    if not invitation.is_to_coordinate():
        return _("You are now a member of this partnership.")
    if user.is_approved_coordinator or user.is_portal_admin:
        return _("You now coordinate this partnership.")
    return _(
        "You joined the partnership. An administrator must approve your "
        "coordinator account before you can manage it."
    )


@transaction.atomic
def change_membership_role(*, membership, actor, role):
    partnership = Partnership.objects.select_for_update().get(pk=membership.partnership_id)
    _require_coordinator(actor, partnership)
    if role not in Membership.Role.values:
        raise PartnershipError(_("Choose a role."))
    _refuse_last_coordinator(membership, partnership, leaving=role != Membership.Role.COORDINATOR)
    old = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    record_audit(actor, "partnerships.membership.role_changed", membership, role_from=old)
    return membership


def _refuse_last_coordinator(membership, partnership, *, leaving):
    if (
        leaving
        and membership.role == Membership.Role.COORDINATOR
        and partnership.memberships.filter(role=Membership.Role.COORDINATOR)
        .exclude(pk=membership.pk)
        .count()
        == 0
    ):
        raise PartnershipError(
            _(
                "This is the partnership's last coordinator. Invite another coordinator "
                "before removing this one."
            )
        )


@transaction.atomic
def remove_membership(*, membership, actor):
    # Lock the partnership: two coordinators removing each other at once cannot both succeed.
    partnership = Partnership.objects.select_for_update().get(pk=membership.partnership_id)
    _require_coordinator(actor, partnership)
    _refuse_last_coordinator(membership, partnership, leaving=True)
    record_audit(actor, "partnerships.membership.removed", membership, user=membership.user_id)
    membership.delete()


# Positions open to survivors -----------------------------------------------------------------


@transaction.atomic
def save_position(*, partnership, actor, position=None, **fields):
    _require_coordinator(actor, partnership)
    created = position is None
    if created and fields.get("closes_on") and fields["closes_on"] < timezone.localdate():
        raise PartnershipError(_("The closing date has passed; choose a later one."))
    position = position or Position(partnership=partnership, created_by=actor)
    for key, value in fields.items():
        if key not in Position.POSTED_FIELDS:
            raise PartnershipError(_("This field cannot be changed here."))
        setattr(position, key, value)
    position.save()
    record_audit(
        actor,
        "partnerships.position.posted" if created else "partnerships.position.updated",
        position,
    )
    return position


def open_positions_for(user):
    """Open positions, for every signed-in consultant (and admins).

    Listed or not, with a profile or without: looking at jobs exposes no one. The "listed"
    choice only decides whether coordinators can find the consultant in the directory.
    """
    if not (user.is_authenticated and (user.is_consultant or user.is_portal_admin)):
        return Position.objects.none()
    return Position.objects.open().select_related("partnership")


# Proposals from coordinators awaiting approval -----------------------------------------------


@transaction.atomic
def submit_proposal(*, actor, name, areas_served, focus=(), organizations=()):
    """Send, or replace, the partnership a coordinator awaiting approval coordinates. One open
    proposal per person: sending again changes it, until an administrator approves it.
    organizations: [{"name": ..., "sector": Sector value}]."""
    if not actor.is_pending_coordinator:
        raise PartnershipError(_("Only a coordinator awaiting approval can propose a partnership."))
    rows, seen = [], set()
    for org in organizations:
        org_name = org["name"].strip()
        if not org_name:
            continue
        if org_name.casefold() in seen:
            raise PartnershipError(
                _("%(name)s is listed twice among the member organizations.") % {"name": org_name}
            )
        seen.add(org_name.casefold())
        rows.append({"name": org_name, "sector": org["sector"]})
    fields = {
        "name": name.strip(),
        "areas_served": areas_served.strip(),
        "focus": list(focus),
        "organizations": rows,
    }
    proposal = PartnershipProposal.objects.select_for_update().open().filter(proposer=actor).first()
    if proposal is None:
        proposal = PartnershipProposal.objects.create(proposer=actor, **fields)
        record_audit(actor, "partnerships.proposal.sent", proposal)
    else:
        for key, value in fields.items():
            setattr(proposal, key, value)
        proposal.save()
        record_audit(actor, "partnerships.proposal.changed", proposal)
    return proposal


def unique_slug(name):
    """An address name for a new partnership: from its name, numbered when taken or reserved."""
    base = slugify(name)[:70].strip("-") or "partnership"
    slug, n = base, 1
    while slug in RESERVED_SLUGS or Partnership.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def approve_proposal(*, proposal, actor):
    """Approve the coordinator's account (if it still waits) and create the partnership she
    proposed, with its member organizations and her as its coordinator."""
    proposal = PartnershipProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != PartnershipProposal.Status.OPEN:
        raise PartnershipError(_("The proposal %(name)s is already approved.") % {"name": proposal})
    coordinator = proposal.proposer
    if coordinator.is_pending_coordinator:
        try:
            account_services.approve_coordinator(coordinator=coordinator, actor=actor)
        except account_services.AccountError as error:
            raise PartnershipError(str(error)) from error
    elif not coordinator.is_approved_coordinator:
        raise PartnershipError(
            _("%(email)s is not a coordinator account.") % {"email": coordinator.email}
        )
    partnership = Partnership.objects.create(
        name=proposal.name,
        slug=unique_slug(proposal.name),
        areas_served=proposal.areas_served,
        focus=proposal.focus,
    )
    for org in proposal.organizations:
        Organization.objects.create(partnership=partnership, name=org["name"], sector=org["sector"])
    Membership.objects.create(
        partnership=partnership, user=coordinator, role=Membership.Role.COORDINATOR
    )
    save_fields(
        proposal,
        "updated_at",
        status=PartnershipProposal.Status.APPROVED,
        partnership=partnership,
        decided_at=timezone.now(),
    )
    record_audit(actor, "partnerships.proposal.approved", proposal, partnership=partnership.pk)
    record_audit(actor, "partnerships.partnership.created", partnership, proposal=str(proposal.pk))
    return partnership
