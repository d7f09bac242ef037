"""The coordinator's dashboard: what needs them across the partnerships they coordinate. It
reads several apps, so it lives in the shell."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Count
from django.utils import timezone

from partnerships.models import Goal, Organization, Partnership
from survivors.models import BoardMember, Compensation, ParticipationRequest, Recommendation


def _counts_by_partnership(queryset, field="partnership_id"):
    return dict(queryset.values_list(field).annotate(n=Count("pk")).order_by())


def coordinator_dashboard(user, *, now=None):
    """For each partnership the user coordinates, what needs them now, with counts.
    A fixed number of queries, however many partnerships and rows there are."""
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
