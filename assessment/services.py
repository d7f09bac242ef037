"""Every change to a self-assessment round: opening it, inviting raters, answers, closing it,
and the priorities set from its results.

Each function is atomic, takes the acting user as `actor`, raises AssessmentError (a
PartnershipError) with a sentence a person can read, and records an audit entry.
"""

from datetime import datetime, time, timedelta
from types import SimpleNamespace

from django.db import transaction
from django.db.models import Count, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from partnerships.models import Partnership
from partnerships.services import PartnershipError, create_goal
from survivors import services as survivor_services
from survivors.models import EngagementKind, ParticipationRequest, PortalText, RateBasis
from toolkit_portal.audit import record_audit
from toolkit_portal.vocabulary import FourR, KeyArea, Principle

from .models import (
    FOUR_RS_PAGE,
    Answer,
    AssessmentRound,
    InstrumentVersion,
    Item,
    Level,
    Priority,
    Rater,
    assessment_pages,
)
from .scoring import area_means, build_results, overall_mean, weakest_areas


class AssessmentError(PartnershipError):
    """A change to a self-assessment refused, with a sentence a person can read."""


def _require_coordinator(actor, partnership):
    if not partnership.is_coordinated_by(actor):
        raise AssessmentError(_("Only the partnership's coordinators can do this."))


# The trauma-informed self-assessment ---------------------------------------------------------
# A coordinator opens a round, invites raters (the partnership's coordinators and members, and
# survivor consultants through a paid "assessment review" participation request), raters answer
# on their own until the round closes, then the results lead to priorities with goals.


def _require_open_round(assessment_round, today=None):
    if assessment_round.is_closed(today):
        raise AssessmentError(_("This round is closed: its answers can no longer change."))


@transaction.atomic
def open_assessment_round(*, partnership, actor, title, closes_on, raters=None, today=None):
    """Open a round on the current instrument version. `raters`: the partnership's people
    who rate it (default: every coordinator and member)."""
    _require_coordinator(actor, partnership)
    partnership = Partnership.objects.select_for_update().get(pk=partnership.pk)
    today = today or timezone.localdate()
    if not title.strip():
        raise AssessmentError(_("Give the round a title, for example the season and year."))
    if closes_on is None or closes_on < today:
        raise AssessmentError(_("The closing date must be today or later."))
    if AssessmentRound.objects.filter(partnership=partnership).open(today).exists():
        raise AssessmentError(
            _("A round is already open for this partnership. Close it before opening another.")
        )
    version = InstrumentVersion.objects.filter(is_current=True).first()
    if version is None:
        raise AssessmentError(_("No instrument version is in use. Ask an administrator."))
    people = partnership.memberships.values_list("user_id", flat=True)
    chosen = list(people) if raters is None else [user.pk for user in raters]
    if not set(chosen) <= set(people):
        raise AssessmentError(_("Only the partnership's coordinators and members can be chosen."))
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
        raise AssessmentError(_("Choose at least one person."))
    members = set(assessment_round.partnership.memberships.values_list("user_id", flat=True))
    if not {user.pk for user in users} <= members:
        raise AssessmentError(_("Only the partnership's coordinators and members can be chosen."))
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

    ends = timezone.make_aware(datetime.combine(closes_on, time(23, 0)))
    return ends, ends, ends - timedelta(hours=1)


@transaction.atomic
def invite_consultants_to_round(
    *, assessment_round, actor, consultants, estimated_hours, compensation_amount=None
):
    """Invite survivor consultants to rate the round through one paid "assessment review"
    engagement: every survivors rule applies (listed, not paused, capacity, deadline), and
    a consultant becomes a rater once they accept."""

    assessment_round = (
        AssessmentRound.objects.select_for_update(of=("self",))
        .select_related("partnership", "engagement")
        .get(pk=assessment_round.pk)
    )
    _require_coordinator(actor, assessment_round.partnership)
    _require_open_round(assessment_round)
    if not consultants:
        raise AssessmentError(_("Choose at least one consultant to invite."))
    try:
        engagement = assessment_round.engagement
        if engagement is None:
            starts_at, ends_at, deadline = assessment_engagement_times(assessment_round.closes_on)
            # The title and description are the portal's, shown in each reader's language.
            fields = {
                "portal_text": PortalText.ASSESSMENT_REVIEW,
                "portal_text_subject": assessment_round.title,
                "kind": EngagementKind.ASSESSMENT_REVIEW,
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
        raise AssessmentError(str(error)) from error
    existing = set(assessment_round.raters.values_list("user_id", flat=True))
    for request in requests:
        if request.consultant.user_id in existing:
            raise AssessmentError(_("This person already rates this round."))
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

    value = (value or "").strip()
    if value == "":
        return False, None
    if value == "na":
        return True, None
    if value.isdigit() and int(value) in Level.values:
        return True, int(value)
    raise AssessmentError(_("Choose a level from 1 to 5, or not applicable."))


@transaction.atomic
def save_answers(*, assessment_round, actor, page, answers, today=None):
    """Save one page of a rater's answers. `answers`: {item id: (posted level, comment)}.
    An item left blank is not answered (an earlier answer to it is cleared)."""

    assessment_round = AssessmentRound.objects.select_for_update().get(pk=assessment_round.pk)
    _require_open_round(assessment_round, today)
    rater = active_rater(assessment_round, actor)
    if rater is None:
        raise AssessmentError(_("You are not a rater of this round."))
    if page not in dict(assessment_pages()):
        raise AssessmentError(_("This page is not part of the assessment."))
    items = {
        item.pk: item
        for item in Item.objects.filter(version=assessment_round.version_id).in_page(page)
    }
    keep, clear = [], []
    for item_id, (posted, comment) in answers.items():
        if item_id not in items:
            raise AssessmentError(_("An answer is for a statement that is not on this page."))
        answered, level = parse_level(posted)
        comment = (comment or "").strip()
        if len(comment) > 2000:
            raise AssessmentError(_("Keep each comment under 2,000 characters."))
        if answered:
            keep.append(Answer(rater=rater, item_id=item_id, level=level, comment=comment))
        elif comment:
            raise AssessmentError(
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
        raise AssessmentError(_("This round is already closed."))
    assessment_round.closed_at = now or timezone.now()
    assessment_round.closed_by = actor
    assessment_round.save(update_fields=["closed_at", "closed_by"])
    if assessment_round.engagement_id:
        # Requests still unanswered can no longer lead to rating: the consultants are told.

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
    (assessment/scoring.py). Two queries: the rounds, and their answers' levels."""

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
        raise AssessmentError(_("Priorities are set once the round is closed."))
    if not (reason or "").strip() or not (goal_title or "").strip() or not four_p:
        raise AssessmentError(
            _("A priority needs a reason and a goal (its title and its 4P). Nothing was saved.")
        )
    weakest = assessment_results(assessment_round)["weakest"]
    if key_area not in weakest:
        raise AssessmentError(_("Choose one of the weakest key areas this round offers."))
    if assessment_round.priorities.filter(key_area=key_area).exists():
        raise AssessmentError(_("This key area is already a priority of this round."))
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
