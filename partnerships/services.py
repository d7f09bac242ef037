"""Every change to a partnership, its organizations, goals, members and recommendations.

Each function is atomic, takes the acting user as `actor`, raises PartnershipError with a
sentence a person can read, and records an audit entry.
"""

import calendar
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from toolkit_portal.audit import record_audit
from toolkit_portal.vocabulary import FourP

from .models import (
    INVITATION_SALT,
    Board,
    BoardMeeting,
    BoardMember,
    Goal,
    Invitation,
    Membership,
    Organization,
    Partnership,
    Position,
    ProgressNote,
    Recommendation,
)


class PartnershipError(Exception):
    pass


def _require_coordinator(actor, partnership):
    if not partnership.is_coordinated_by(actor):
        raise PartnershipError(_("Only the partnership's coordinators can do this."))


# Profile and organizations -------------------------------------------------------------------


PROFILE_FIELDS = [
    "name",
    "summary",
    "state",
    "areas_served",
    "focus",
    "year_established",
    "contact_name",
    "contact_email",
    "contact_phone",
    "website",
    "is_listed",
]


@transaction.atomic
def update_profile(*, partnership, actor, **fields):
    _require_coordinator(actor, partnership)
    changed = sorted(k for k, v in fields.items() if getattr(partnership, k) != v)
    for key, value in fields.items():
        if key not in PROFILE_FIELDS:
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
    """The invitation email: the link, how long it works, and that approval follows."""
    from django.core.mail import send_mail
    from django.template.loader import render_to_string

    invitation = Invitation.objects.select_related("partnership").filter(pk=pk).first()
    if invitation is None or not invitation.is_pending():
        return
    context = {
        "invitation": invitation,
        "url": settings.PORTAL_URL + invitation.get_absolute_url(),
        "days": settings.PARTNERSHIP_INVITATION_DAYS,
    }
    send_mail(
        settings.EMAIL_SUBJECT_PREFIX + _("You are invited to coordinate a partnership"),
        render_to_string("partnerships/email/invitation.txt", context),
        None,
        [invitation.email],
    )


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
    invitation.accepted_at = now
    invitation.accepted_by = actor
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    record_audit(actor, "partnerships.invitation.accepted", invitation)
    return membership


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
    record_audit(actor, "partnerships.membership.removed", membership, email=membership.user.email)
    membership.delete()


# "You said, we did" ------------------------------------------------------------------------


def partnerships_for_recommendation(user):
    """Listed partnerships, and those that sent the consultant a request."""
    if not (user.is_authenticated and user.is_consultant):
        return Partnership.objects.none()
    return Partnership.objects.filter(
        Q(is_listed=True) | Q(engagements__requests__consultant__user=user)
    ).distinct()


@transaction.atomic
def record_recommendation(*, partnership, actor, text, engagement=None):
    from survivors.models import ConsultantProfile

    profile = ConsultantProfile.objects.filter(user=actor).first()
    if profile is None:
        raise PartnershipError(_("Create your profile first, then record a recommendation."))
    if not partnerships_for_recommendation(actor).filter(pk=partnership.pk).exists():
        raise PartnershipError(_("Choose a partnership from the list."))
    if not text.strip():
        raise PartnershipError(_("Write your recommendation."))
    if engagement is not None and not (
        engagement.partnership_id == partnership.pk
        and engagement.requests.filter(consultant=profile).exists()
    ):
        raise PartnershipError(_("Choose one of your engagements with this partnership, or none."))
    recommendation = Recommendation.objects.create(
        partnership=partnership, consultant=profile, text=text.strip(), engagement=engagement
    )
    record_audit(actor, "partnerships.recommendation.recorded", recommendation)
    return recommendation


def engagements_for_recommendation(user):
    """Engagements the consultant was asked to, to tie a recommendation to one."""
    from survivors.models import Engagement

    if not (user.is_authenticated and user.is_consultant):
        return Engagement.objects.none()
    return (
        Engagement.objects.filter(requests__consultant__user=user)
        .select_related("partnership")
        .order_by("-starts_at")
        .distinct()
    )


@transaction.atomic
def record_board_recommendation(*, board, actor, text):
    """A coordinator records what the survivor leader board recommended; its members see the
    answer on their page."""
    _require_coordinator(actor, board.partnership)
    if not text.strip():
        raise PartnershipError(_("Write the board's recommendation."))
    recommendation = Recommendation.objects.create(
        partnership=board.partnership, board=board, text=text.strip()
    )
    record_audit(actor, "partnerships.recommendation.recorded", recommendation, board=board.pk)
    return recommendation


@transaction.atomic
def answer_recommendation(*, recommendation, actor, status, response, now=None):
    """Set the status and the response in words. The consultant hears of it through the
    reminder sweep (partnerships/reminders.py)."""
    _require_coordinator(actor, recommendation.partnership)
    recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    if status not in Recommendation.Status.values:
        raise PartnershipError(_("Choose a status."))
    if not response.strip():
        raise PartnershipError(_("Say in words what the partnership did with it."))
    old = recommendation.status
    recommendation.status = status
    recommendation.response = response.strip()
    recommendation.answered_by = actor
    recommendation.answered_at = now or timezone.now()
    recommendation.save(update_fields=["status", "response", "answered_by", "answered_at"])
    record_audit(
        actor,
        "partnerships.recommendation.answered",
        recommendation,
        status_from=old,
        status_to=status,
    )
    return recommendation


def recommendation_counts(partnership):
    """[(label, count)] for every status, in order."""
    counts = dict(
        partnership.recommendations.values_list("status").annotate(n=Count("id")).order_by()
    )
    return [(label, counts.get(value, 0)) for value, label in Recommendation.Status.choices]


# Survivor leader boards ----------------------------------------------------------------------


BOARD_FIELDS = ["name", "purpose", "survivor_seats", "term_months"]


@transaction.atomic
def save_board(*, partnership, actor, board=None, **fields):
    _require_coordinator(actor, partnership)
    created = board is None
    board = board or Board(partnership=partnership)
    for key, value in fields.items():
        if key not in BOARD_FIELDS:
            raise PartnershipError(_("This field cannot be changed here."))
        setattr(board, key, value)
    if board.survivor_seats < 1:
        raise PartnershipError(_("A board needs at least one survivor seat."))
    board.save()
    record_audit(
        actor, "partnerships.board.created" if created else "partnerships.board.updated", board
    )
    return board


@transaction.atomic
def schedule_board_meeting(*, board, actor, starts_at, ends_at, response_deadline, **fields):
    """A meeting whose survivor seats are offered as one paid "board or committee seat"
    engagement; invitations then go through the survivors' participation requests."""
    from survivors import services as survivor_services
    from survivors.models import EngagementKind

    _require_coordinator(actor, board.partnership)
    try:
        engagement = survivor_services.create_engagement(
            partnership=board.partnership,
            actor=actor,
            title=fields.pop("title", "") or _("%(board)s meeting") % {"board": board.name},
            kind=EngagementKind.BOARD_SEAT,
            seats=board.survivor_seats,
            starts_at=starts_at,
            ends_at=ends_at,
            response_deadline=response_deadline,
            **fields,
        )
    except survivor_services.EngagementError as error:
        raise PartnershipError(str(error)) from error
    meeting = BoardMeeting.objects.create(board=board, engagement=engagement)
    record_audit(
        actor, "partnerships.board.meeting_scheduled", board, engagement=str(engagement.pk)
    )
    return meeting


def seat_candidates(board):
    """Consultants who accepted a seat at one of the board's meetings and are not serving."""
    from survivors.models import ConsultantProfile, ParticipationRequest

    today = timezone.localdate()
    serving = board.members.filter(term_ends_on__gte=today).values("consultant_id")
    return (
        ConsultantProfile.objects.filter(
            requests__engagement__board_meeting__board=board,
            requests__status__in=[
                ParticipationRequest.Status.ACCEPTED,
                ParticipationRequest.Status.COMPLETED,
            ],
        )
        .exclude(pk__in=serving)
        .distinct()
    )


@transaction.atomic
def seat_board_member(*, board, actor, consultant, term_starts_on=None):
    """Seat a consultant who accepted a board seat, for one term from `term_starts_on`
    (pick different start dates to stagger the terms)."""
    _require_coordinator(actor, board.partnership)
    board = Board.objects.select_for_update().get(pk=board.pk)
    if not seat_candidates(board).filter(pk=consultant.pk).exists():
        raise PartnershipError(
            _(
                "Only a consultant who accepted a seat at one of this board's meetings "
                "can be seated."
            )
        )
    term_starts_on = term_starts_on or timezone.localdate()
    if board.members.serving(term_starts_on).count() >= board.survivor_seats:
        raise PartnershipError(_("Every survivor seat on this board is taken for that date."))
    member = BoardMember.objects.create(
        board=board,
        consultant=consultant,
        term_starts_on=term_starts_on,
        term_ends_on=add_months(term_starts_on, board.term_months),
    )
    record_audit(actor, "partnerships.board.member_seated", member)
    return member


def add_months(day, months):
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


# Positions open to survivors -----------------------------------------------------------------


POSITION_FIELDS = [
    "title",
    "organization",
    "schedule",
    "pay_range",
    "description",
    "how_to_apply",
    "closes_on",
    "lived_experience_counts",
]


@transaction.atomic
def save_position(*, partnership, actor, position=None, **fields):
    _require_coordinator(actor, partnership)
    created = position is None
    if created and fields.get("closes_on") and fields["closes_on"] < timezone.localdate():
        raise PartnershipError(_("The closing date has passed; choose a later one."))
    position = position or Position(partnership=partnership, created_by=actor)
    for key, value in fields.items():
        if key not in POSITION_FIELDS:
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
    """Open positions, for consultants who listed themselves (and admins)."""
    if not user.is_authenticated:
        return Position.objects.none()
    if user.is_consultant:
        from survivors.models import ConsultantProfile

        if not ConsultantProfile.objects.listed().filter(user=user).exists():
            return Position.objects.none()
    elif not user.is_portal_admin:
        return Position.objects.none()
    return Position.objects.open().select_related("partnership")


# The coordinator's dashboard -----------------------------------------------------------------


def _counts_by_partnership(queryset, field="partnership_id"):
    return dict(queryset.values_list(field).annotate(n=Count("pk")).order_by())


def coordinator_dashboard(user, *, now=None):
    """For each partnership the user coordinates, what needs them now, with counts.
    A fixed number of queries, however many partnerships and rows there are."""
    from survivors.models import Compensation, ParticipationRequest

    now = now or timezone.now()
    today = timezone.localdate(now)
    partnerships = list(Partnership.objects.coordinated_by(user).order_by("name"))
    ids = [p.pk for p in partnerships]
    if not ids:
        return []
    Status = ParticipationRequest.Status
    requests = ParticipationRequest.objects.filter(engagement__partnership_id__in=ids)
    answered = _counts_by_partnership(
        requests.filter(
            status__in=[Status.ACCEPTED, Status.DECLINED, Status.WITHDRAWN],
            answered_at__gte=now - timedelta(days=7),
        ),
        "engagement__partnership_id",
    )
    expiring = _counts_by_partnership(
        requests.filter(
            status=Status.PENDING,
            engagement__response_deadline__gt=now,
            engagement__response_deadline__lte=now + timedelta(days=2),
        ),
        "engagement__partnership_id",
    )
    compensation = _counts_by_partnership(
        Compensation.objects.filter(partnership_id__in=ids)
        .exclude(status=Compensation.Status.PAID)
        .filter(due_on__lte=today + timedelta(days=settings.REMINDER_COMPENSATION_DAYS_BEFORE))
    )
    goals = _counts_by_partnership(Goal.objects.filter(partnership_id__in=ids).past_target(today))
    recommendations = _counts_by_partnership(
        Recommendation.objects.filter(partnership_id__in=ids).awaiting_answer()
    )
    terms = _counts_by_partnership(
        BoardMember.objects.filter(board__partnership_id__in=ids).term_ending_within(
            settings.BOARD_TERM_REMINDER_DAYS, today
        ),
        "board__partnership_id",
    )
    organizations = _counts_by_partnership(Organization.objects.filter(partnership_id__in=ids))
    all_goals = _counts_by_partnership(Goal.objects.filter(partnership_id__in=ids))
    rows = []
    for partnership in partnerships:
        pk = partnership.pk
        rows.append(
            {
                "partnership": partnership,
                "answers": answered.get(pk, 0),
                "expiring": expiring.get(pk, 0),
                "compensation": compensation.get(pk, 0),
                "goals_past_target": goals.get(pk, 0),
                "recommendations": recommendations.get(pk, 0),
                "terms_ending": terms.get(pk, 0),
                "has_organizations": bool(organizations.get(pk)),
                "has_goals": bool(all_goals.get(pk)),
            }
        )
    for row in rows:
        row["anything"] = any(
            row[key]
            for key in [
                "answers",
                "expiring",
                "compensation",
                "goals_past_target",
                "recommendations",
                "terms_ending",
            ]
        )
    return rows
