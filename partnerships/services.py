"""Every change to a partnership, its organizations, goals, members and recommendations.

Each function is atomic, takes the acting user as `actor`, raises PartnershipError with a
sentence a person can read, and records an audit entry.
"""

import calendar
from datetime import timedelta
from types import SimpleNamespace

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Count, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from toolkit_portal.audit import record_audit
from toolkit_portal.notifications import email_subject
from toolkit_portal.vocabulary import FourP

from .assessment import area_means, build_results, overall_mean, weakest_areas
from .models import (
    INVITATION_SALT,
    Answer,
    AssessmentRound,
    Board,
    BoardMeeting,
    BoardMember,
    Goal,
    InstrumentVersion,
    Invitation,
    Item,
    Membership,
    Organization,
    Partnership,
    Position,
    Priority,
    ProgressNote,
    Rater,
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
        subject = email_subject(_("You are invited to coordinate a partnership"))
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
    record_audit(actor, "partnerships.membership.removed", membership, user=membership.user_id)
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
def record_recommendation(*, partnership, actor, text, engagement=None, is_anonymous=False):
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
        partnership=partnership,
        consultant=profile,
        text=text.strip(),
        engagement=engagement,
        is_anonymous=bool(is_anonymous),
    )
    record_audit(
        actor,
        "partnerships.recommendation.recorded",
        recommendation,
        anonymous=recommendation.is_anonymous,
    )
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
    """Open positions, for every signed-in consultant (and admins).

    Listed or not, with a profile or without: looking at jobs exposes no one. The "listed"
    choice only decides whether coordinators can find the consultant in the directory.
    """
    if not (user.is_authenticated and (user.is_consultant or user.is_portal_admin)):
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


# The trauma-informed self-assessment ---------------------------------------------------------
# A coordinator opens a round, invites raters (the partnership's coordinators and members, and
# survivor consultants through a paid "assessment review" participation request), raters answer
# on their own until the round closes, then the results lead to priorities with goals.


def _require_open_round(assessment_round, today=None):
    if assessment_round.is_closed(today):
        raise PartnershipError(_("This round is closed: its answers can no longer change."))


@transaction.atomic
def open_assessment_round(*, partnership, actor, title, closes_on, raters=None, today=None):
    """Open a round on the current instrument version. `raters`: the partnership's people
    who rate it (default: every coordinator and member)."""
    _require_coordinator(actor, partnership)
    partnership = Partnership.objects.select_for_update().get(pk=partnership.pk)
    today = today or timezone.localdate()
    if not title.strip():
        raise PartnershipError(_("Give the round a title, for example the season and year."))
    if closes_on is None or closes_on < today:
        raise PartnershipError(_("The closing date must be today or later."))
    if AssessmentRound.objects.filter(partnership=partnership).open(today).exists():
        raise PartnershipError(
            _("A round is already open for this partnership. Close it before opening another.")
        )
    version = InstrumentVersion.objects.filter(is_current=True).first()
    if version is None:
        raise PartnershipError(_("No instrument version is in use. Ask an administrator."))
    people = partnership.memberships.values_list("user_id", flat=True)
    chosen = list(people) if raters is None else [user.pk for user in raters]
    if not set(chosen) <= set(people):
        raise PartnershipError(_("Only the partnership's coordinators and members can be chosen."))
    assessment_round = AssessmentRound.objects.create(
        partnership=partnership,
        version=version,
        title=title.strip(),
        closes_on=closes_on,
        opened_by=actor,
    )
    Rater.objects.bulk_create(
        Rater(round=assessment_round, user_id=user_id, kind=Rater.Kind.STAFF) for user_id in chosen
    )
    record_audit(actor, "partnerships.assessment.opened", assessment_round, raters=len(chosen))
    return assessment_round


@transaction.atomic
def add_staff_raters(*, assessment_round, actor, users):
    _require_coordinator(actor, assessment_round.partnership)
    _require_open_round(assessment_round)
    if not users:
        raise PartnershipError(_("Choose at least one person."))
    members = set(assessment_round.partnership.memberships.values_list("user_id", flat=True))
    if not {user.pk for user in users} <= members:
        raise PartnershipError(_("Only the partnership's coordinators and members can be chosen."))
    existing = set(assessment_round.raters.values_list("user_id", flat=True))
    added = [
        Rater.objects.create(round=assessment_round, user=user, kind=Rater.Kind.STAFF)
        for user in users
        if user.pk not in existing
    ]
    record_audit(actor, "partnerships.assessment.raters_added", assessment_round, count=len(added))
    return added


def assessment_engagement_times(closes_on):
    """An assessment review runs until the end of the closing day; consultants may accept
    until an hour before."""
    from datetime import datetime, time

    ends = timezone.make_aware(datetime.combine(closes_on, time(23, 0)))
    return ends, ends, ends - timedelta(hours=1)


@transaction.atomic
def invite_consultants_to_round(
    *, assessment_round, actor, consultants, estimated_hours, compensation_amount=None
):
    """Invite survivor consultants to rate the round through one paid "assessment review"
    engagement: every survivors rule applies (listed, not paused, capacity, deadline), and
    a consultant becomes a rater once they accept."""
    from survivors import services as survivor_services
    from survivors.models import EngagementKind, RateBasis

    assessment_round = (
        AssessmentRound.objects.select_for_update(of=("self",))
        .select_related("partnership", "engagement")
        .get(pk=assessment_round.pk)
    )
    _require_coordinator(actor, assessment_round.partnership)
    _require_open_round(assessment_round)
    if not consultants:
        raise PartnershipError(_("Choose at least one consultant to invite."))
    try:
        engagement = assessment_round.engagement
        if engagement is None:
            starts_at, ends_at, deadline = assessment_engagement_times(assessment_round.closes_on)
            fields = {
                "title": _("Self-assessment review: %(title)s") % {"title": assessment_round.title},
                "kind": EngagementKind.ASSESSMENT_REVIEW,
                "description": _(
                    "Rate the partnership on the trauma-informed self-assessment, on your own "
                    "and at your own pace, until the closing date. No one sees your answers; "
                    "results show survivors' ratings only when at least three survivors rated."
                ),
                "starts_at": starts_at,
                "ends_at": ends_at,
                "response_deadline": deadline,
                "estimated_hours": estimated_hours,
                "seats": len(consultants),
            }
            if compensation_amount is not None:
                fields["compensation_amount"] = compensation_amount
                fields["compensation_basis"] = RateBasis.HOURLY
            engagement = survivor_services.create_engagement(
                partnership=assessment_round.partnership, actor=actor, **fields
            )
            assessment_round.engagement = engagement
            assessment_round.save(update_fields=["engagement"])
        else:
            seats = engagement.requests.count() + len(consultants)
            if seats > engagement.seats:
                engagement = survivor_services.update_engagement(
                    engagement=engagement, actor=actor, seats=seats
                )
        requests = survivor_services.send_participation_requests(
            engagement=engagement, consultants=consultants, actor=actor
        )
    except survivor_services.EngagementError as error:
        raise PartnershipError(str(error)) from error
    existing = set(assessment_round.raters.values_list("user_id", flat=True))
    for request in requests:
        if request.consultant.user_id in existing:
            raise PartnershipError(_("This person already rates this round."))
        Rater.objects.create(
            round=assessment_round,
            user_id=request.consultant.user_id,
            kind=Rater.Kind.SURVIVOR,
            participation_request=request,
        )
    record_audit(
        actor, "partnerships.assessment.consultants_invited", assessment_round, count=len(requests)
    )
    return requests


def active_rater(assessment_round, user):
    """The user's rater row in the round, if they may answer it (None otherwise)."""
    if not user.is_authenticated:
        return None
    return Rater.objects.active().filter(round=assessment_round, user=user).first()


def parse_level(value):
    """A posted answer: "" (not answered yet), "na", or a level 1–5."""
    from .models import Level

    value = (value or "").strip()
    if value == "":
        return False, None
    if value == "na":
        return True, None
    if value.isdigit() and int(value) in Level.values:
        return True, int(value)
    raise PartnershipError(_("Choose a level from 1 to 5, or not applicable."))


@transaction.atomic
def save_answers(*, assessment_round, actor, page, answers, today=None):
    """Save one page of a rater's answers. `answers`: {item id: (posted level, comment)}.
    An item left blank is not answered (an earlier answer to it is cleared)."""
    from .models import assessment_pages

    assessment_round = AssessmentRound.objects.select_for_update().get(pk=assessment_round.pk)
    _require_open_round(assessment_round, today)
    rater = active_rater(assessment_round, actor)
    if rater is None:
        raise PartnershipError(_("You are not a rater of this round."))
    if page not in dict(assessment_pages()):
        raise PartnershipError(_("This page is not part of the assessment."))
    items = {
        item.pk: item
        for item in Item.objects.filter(version=assessment_round.version_id).in_page(page)
    }
    keep, clear = [], []
    for item_id, (posted, comment) in answers.items():
        if item_id not in items:
            raise PartnershipError(_("An answer is for a statement that is not on this page."))
        answered, level = parse_level(posted)
        comment = (comment or "").strip()
        if len(comment) > 2000:
            raise PartnershipError(_("Keep each comment under 2,000 characters."))
        if answered:
            keep.append(Answer(rater=rater, item_id=item_id, level=level, comment=comment))
        elif comment:
            raise PartnershipError(
                _("Choose a level, or not applicable, for a statement you comment on.")
            )
        else:
            clear.append(item_id)
    Answer.objects.filter(rater=rater, item_id__in=clear).delete()
    Answer.objects.bulk_create(
        keep,
        update_conflicts=True,
        unique_fields=["rater", "item"],
        update_fields=["level", "comment", "updated_at"],
    )
    # The audit says that a page was saved, never what was answered.
    record_audit(actor, "partnerships.assessment.answers_saved", assessment_round, page=page)
    return len(keep)


@transaction.atomic
def close_assessment_round(*, assessment_round, actor, now=None):
    assessment_round = AssessmentRound.objects.select_for_update().get(pk=assessment_round.pk)
    _require_coordinator(actor, assessment_round.partnership)
    if assessment_round.closed_at is not None:
        raise PartnershipError(_("This round is already closed."))
    assessment_round.closed_at = now or timezone.now()
    assessment_round.closed_by = actor
    assessment_round.save(update_fields=["closed_at", "closed_by"])
    if assessment_round.engagement_id:
        # Requests still unanswered can no longer lead to rating: the consultants are told.
        from survivors import services as survivor_services
        from survivors.models import ParticipationRequest

        for request in ParticipationRequest.objects.filter(
            engagement=assessment_round.engagement_id,
            status=ParticipationRequest.Status.PENDING,
        ):
            survivor_services.cancel_request(request=request, actor=actor)
    record_audit(actor, "partnerships.assessment.closed", assessment_round)
    return assessment_round


def _answers_of(assessment_round):
    """(rater id, kind, item id, level, comment) of the round's active raters: one query."""
    return list(
        Answer.objects.filter(rater__round=assessment_round, rater__in=Rater.objects.active())
        .values_list("rater_id", "rater__kind", "item_id", "level", "comment")
        .order_by("item_id", "updated_at")
    )


def assessment_results(assessment_round):
    """The results page's numbers: the round's scores (see assessment.py) and the previous
    closed round's area means. Three queries, however many raters and answers."""
    from toolkit_portal.vocabulary import FourR, KeyArea, Principle

    items = list(Item.objects.filter(version=assessment_round.version_id))
    answers = _answers_of(assessment_round)
    results = build_results(
        items,
        [answer[:4] for answer in answers],
        area_order=list(KeyArea.values),
        principle_order=list(Principle.values),
        four_r_order=list(FourR.values),
    )
    # The previous closed round's title and area means, in one query (the means computed
    # here, under the same protection of survivors' answers).
    previous_round = (
        AssessmentRound.objects.closed()
        .filter(
            partnership=assessment_round.partnership_id,
            opened_at__lt=assessment_round.opened_at,
        )
        .exclude(pk=assessment_round.pk)
        .order_by("-opened_at")
        .values("pk")[:1]
    )
    previous, rows = None, []
    for round_id, title, rater_id, kind, item_id, area, level in Answer.objects.filter(
        rater__round=Subquery(previous_round), rater__in=Rater.objects.active()
    ).values_list(
        "rater__round_id",
        "rater__round__title",
        "rater_id",
        "rater__kind",
        "item_id",
        "item__key_area",
        "level",
    ):
        previous = SimpleNamespace(pk=round_id, title=title)
        rows.append((rater_id, kind, item_id, area, level))
    previous_areas = area_means(rows, list(KeyArea.values))
    # Comments go with the results without a name, a kind or a rating beside them.
    comments = {}
    for _rater, _kind, item_id, _level, comment in answers:
        if comment:
            comments.setdefault(item_id, []).append(comment)
    results["comments"] = [(item, comments[item.pk]) for item in items if item.pk in comments]
    results["previous"] = previous
    results["previous_areas"] = previous_areas
    return results


def assessment_trends(partnership, *, today=None):
    """Every closed round of the partnership, oldest first, with its overall mean (every
    rating pooled, N/A left out) and each key area's mean, protected as the results are
    (partnerships/assessment.py). Two queries: the rounds, and their answers' levels."""
    from toolkit_portal.vocabulary import KeyArea

    rounds = list(
        AssessmentRound.objects.filter(partnership=partnership)
        .closed(today)
        .select_related("partnership")
        .order_by("opened_at")
    )
    rows = {}
    for round_id, *row in Answer.objects.filter(
        rater__round_id__in=[r.pk for r in rounds], rater__in=Rater.objects.active()
    ).values_list(
        "rater__round_id", "rater_id", "rater__kind", "item_id", "item__key_area", "level"
    ):
        rows.setdefault(round_id, []).append(tuple(row))
    trends = []
    for r in rounds:
        areas = area_means(rows.get(r.pk, []), list(KeyArea.values))
        trends.append(
            {
                "round": r,
                "overall": overall_mean(rows.get(r.pk, [])),
                "areas": [(value, label, areas.get(value)) for value, label in KeyArea.choices],
            }
        )
    return trends


def weakest_in_trend(trend, count=3):
    """The weakest key areas of one round of assessment_trends() (the toolkit's order breaks
    a tie)."""
    rated = [
        (mean, index, value)
        for index, (value, _label, mean) in enumerate(trend["areas"])
        if mean is not None
    ]
    return [value for _mean, _index, value in sorted(rated)[:count]]


def rater_progress(assessment_round):
    """Per rater: who, which kind, the request's status for a consultant, and how many items
    they answered — counts only, never the answers. Two queries."""
    raters = list(
        assessment_round.raters.select_related(
            "user", "participation_request__consultant"
        ).order_by("kind", "invited_at")
    )
    counts = dict(
        Answer.objects.filter(rater__round=assessment_round)
        .values_list("rater_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for rater in raters:
        rater.answered = counts.get(rater.pk, 0)
    return raters


def open_rounds_for_rater(user, *, today=None):
    """Open rounds the user may answer, with how many items they answered. Two queries."""
    if not user.is_authenticated:
        return []
    raters = list(
        Rater.objects.active()
        .filter(user=user, round__in=AssessmentRound.objects.open(today))
        .select_related("round__partnership")
        .annotate(
            answered=Count("answers", distinct=True),
            total=Count("round__version__items", distinct=True),
        )
        .order_by("round__closes_on")
    )
    return raters


def closed_rounds_for_rater(user, *, today=None):
    """Closed rounds the user rated (and did not withdraw from), latest first: their results
    are ready for them. One query."""
    if not user.is_authenticated:
        return []
    return list(
        Rater.objects.active()
        .filter(user=user, round__in=AssessmentRound.objects.closed(today))
        .select_related("round__partnership")
        .order_by("-round__closes_on", "-round__opened_at")
    )


def answered_by_page(assessment_round, rater):
    """{page: (answered, total)} for the rater's overview page. Two queries."""
    from .models import FOUR_RS_PAGE

    totals, answered = {}, {}
    for area, four_r in Item.objects.filter(version=assessment_round.version_id).values_list(
        "key_area", "four_r"
    ):
        page = FOUR_RS_PAGE if four_r else area
        totals[page] = totals.get(page, 0) + 1
    for area, four_r in Answer.objects.filter(rater=rater).values_list(
        "item__key_area", "item__four_r"
    ):
        page = FOUR_RS_PAGE if four_r else area
        answered[page] = answered.get(page, 0) + 1
    return {page: (answered.get(page, 0), total) for page, total in totals.items()}


@transaction.atomic
def record_priority(
    *, assessment_round, actor, key_area, reason, goal_title, four_p, **goal_fields
):
    """Turn one of the round's three weakest key areas into a priority: a reason, and a goal
    tagged with the key area, created here. Without both, nothing is saved."""
    assessment_round = AssessmentRound.objects.select_for_update().get(pk=assessment_round.pk)
    _require_coordinator(actor, assessment_round.partnership)
    if not assessment_round.is_closed():
        raise PartnershipError(_("Priorities are set once the round is closed."))
    if not (reason or "").strip() or not (goal_title or "").strip() or not four_p:
        raise PartnershipError(
            _("A priority needs a reason and a goal (its title and its 4P). Nothing was saved.")
        )
    weakest = assessment_results(assessment_round)["weakest"]
    if key_area not in weakest:
        raise PartnershipError(_("Choose one of the weakest key areas this round offers."))
    if assessment_round.priorities.filter(key_area=key_area).exists():
        raise PartnershipError(_("This key area is already a priority of this round."))
    goal = create_goal(
        partnership=assessment_round.partnership,
        actor=actor,
        title=goal_title.strip(),
        four_p=four_p,
        key_area=key_area,
        **goal_fields,
    )
    priority = Priority.objects.create(
        round=assessment_round,
        key_area=key_area,
        reason=reason.strip(),
        goal=goal,
        created_by=actor,
    )
    record_audit(actor, "partnerships.assessment.priority_recorded", priority, goal=goal.pk)
    return priority


def latest_weakest_areas(partnership, *, count=3, today=None):
    """The weakest key areas of the partnership's latest closed round (lowest mean first),
    for the training recommendations on its page. One query."""
    from toolkit_portal.vocabulary import KeyArea

    latest = (
        AssessmentRound.objects.filter(partnership=partnership)
        .closed(today)
        .order_by("-opened_at")
        .values("pk")[:1]
    )
    rows = Answer.objects.filter(
        rater__round=Subquery(latest), rater__in=Rater.objects.active()
    ).values_list("rater_id", "rater__kind", "item_id", "item__key_area", "level")
    areas = area_means(list(rows), list(KeyArea.values))
    return weakest_areas(
        {
            area: SimpleNamespace(all=SimpleNamespace(mean=areas.get(area)))
            for area in KeyArea.values
        },
        list(KeyArea.values),
        count,
    )


def export_assessment_answers(person):
    """A person's self-assessment answers, for their data export."""
    answers = Answer.objects.filter(rater__user=person).select_related(
        "rater__round__partnership", "item"
    )
    return {
        "assessment_answers": [
            {
                "partnership": answer.rater.round.partnership.name,
                "round": answer.rater.round.title,
                "statement": answer.item.statement(),
                "level": answer.level,
                "comment": answer.comment,
            }
            for answer in answers
        ]
    }


def erase_assessment_comments(person):
    """On erasure the person's comments go (free text can identify someone); the ratings
    stay as numbers in the partnership's results, tied to nobody once the account is erased."""
    Answer.objects.filter(rater__user=person).exclude(comment="").update(comment="")
