"""The sweep records, for every reminder rule, exactly the rows a person is told by: who, about
what, on which occasion, the link, the inbox's label in the reader's language, and whether an
email is wanted. The rules run as SQL; the rows expected here are written out in Python from
the records, as a person reading them would (`display_title` in their language,
`get_absolute_url`, `wants_email_for`, `str()` and `isoformat()` of dates and moments)."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone, translation

from survivors.models import (
    Compensation,
    Expense,
    ParticipationRequest,
    PortalText,
    Recommendation,
    ReminderKind,
)
from survivors.reminders import Kind
from survivors.reminders_boards import Kind as BoardKind
from tests.partnerships.factories import (
    BoardFactory,
    BoardMemberFactory,
    RecommendationFactory,
    coordinator_of,
)
from tests.survivors.factories import (
    CompensationFactory,
    EngagementFactory,
    ExpenseFactory,
    ParticipationRequestFactory,
)
from tests.trainings.factories import TrainingFactory, TrainingRequestFactory
from toolkit_portal import notifications
from toolkit_portal.models import Notification
from toolkit_portal.notifications import Kind as AccountKind
from trainings.choices import RequestStatus
from trainings.reminders import Kind as TrainingKind

pytestmark = pytest.mark.django_db

Status = ParticipationRequest.Status
COLUMNS = ["kind", "recipient", "content_type", "object_id", "occasion", "url", "subject_label"]


def _speaks(user, language):
    user.language = language
    user.save(update_fields=["language"])
    return user


def _label(reader, engagement):
    with translation.override(reader.language or settings.LANGUAGE_CODE):
        return str(engagement.display_title)[:200]


def _row(kind, reader, obj, occasion, url, label="", email=True):
    content_type = ContentType.objects.get_for_model(obj).pk
    return (kind, reader.pk, content_type, str(obj.pk), occasion, url, label, email)


def _as_text(model, pk, field):
    """A moment as the database writes it as text: the rules that use it as an occasion
    always compared it there."""
    return model.objects.annotate(text=Cast(field, output_field=CharField())).get(pk=pk).text


def _recorded():
    return set(Notification.objects.values_list(*COLUMNS, "email_wanted"))


def test_every_rule_records_the_rows_a_person_is_told_by(
    partnership_x, coordinator, admin_user, profile, other_profile, pending_coordinator
):
    now = timezone.now().replace(microsecond=250_000)
    today = timezone.localdate(now)
    # The partnership's first coordinator by address reads Spanish; so do the admin and
    # consultant B. Consultant A has turned two kinds of email off.
    second = _speaks(coordinator_of(partnership_x, email="a.second@example.org"), "es")
    _speaks(admin_user, "es")
    _speaks(other_profile.user, "es")
    profile.email_muted_kinds = [ReminderKind.NEW_REQUEST, ReminderKind.COMPENSATION_PAID]
    profile.save()
    coordinators = [coordinator, second]
    a, b = profile.user, other_profile.user
    review = {
        "title": "",
        "portal_text": PortalText.ASSESSMENT_REVIEW,
        "portal_text_subject": "Spring round",
    }

    def engagement(**fields):
        return EngagementFactory(partnership=partnership_x, **fields)

    # In a day (a moment with microseconds), set up by the portal, deadline not yet passed.
    soon = engagement(
        starts_at=now + timedelta(days=1, microseconds=1),
        response_deadline=now + timedelta(hours=6),
        **review,
    )
    accepted = ParticipationRequestFactory(
        engagement=soon, consultant=other_profile, status=Status.ACCEPTED
    )
    waiting = ParticipationRequestFactory(
        engagement=soon, consultant=profile, sent_at=now - timedelta(days=10)
    )
    typed = {"created_by": coordinator, "title": "Listening session"}
    cancelled = ParticipationRequestFactory(
        engagement=engagement(**typed), consultant=profile, status=Status.CANCELLED
    )
    released = ParticipationRequestFactory(
        engagement=engagement(**typed),
        consultant=other_profile,
        status=Status.CANCELLED,
        released_at=now - timedelta(hours=1),
    )
    changed = ParticipationRequestFactory(
        engagement=engagement(**typed),
        consultant=profile,
        status=Status.CHANGED,
        terms_changed_at=now - timedelta(minutes=5),
    )
    declined = ParticipationRequestFactory(
        engagement=engagement(**typed), consultant=other_profile, status=Status.DECLINED
    )
    expired = ParticipationRequestFactory(
        engagement=engagement(**review), consultant=profile, status=Status.EXPIRED
    )
    expense = ExpenseFactory(
        request=accepted,
        status=Expense.Status.QUERIED,
        decided_at=now - timedelta(hours=2, microseconds=7),
    )

    def record(consultant, due_in, created_by=None, **fields):
        return CompensationFactory(
            request__consultant=consultant,
            request__engagement__partnership=partnership_x,
            request__engagement__created_by=created_by,
            request__engagement__title="Listening session" if created_by else "",
            request__engagement__portal_text="" if created_by else PortalText.ASSESSMENT_REVIEW,
            request__engagement__portal_text_subject="Autumn round",
            due_on=today + timedelta(days=due_in),
            **fields,
        )

    due_soon = record(profile, 3, coordinator)
    # Overdue a week and more, for an engagement the coordinator created; and overdue three
    # days for one nobody in the partnership created: its first coordinator by address is
    # the one responsible.
    overdue_own = record(profile, -10, coordinator)
    overdue_other = record(other_profile, -3)
    paid = record(profile, -20, coordinator, status=Compensation.Status.PAID, paid_on=today)
    reopened = record(
        other_profile,
        -20,
        status=Compensation.Status.REOPENED,
        reopened_at=now - timedelta(days=1, microseconds=3),
    )

    board = BoardFactory(partnership=partnership_x)
    seat = BoardMemberFactory(
        board=board, consultant=profile, term_ends_on=today + timedelta(days=10)
    )
    BoardMemberFactory(
        board=board,
        consultant=other_profile,
        term_starts_on=today - timedelta(days=700),
        term_ends_on=today - timedelta(days=1),
    )
    by_board = RecommendationFactory(
        partnership=partnership_x,
        consultant=None,
        board=board,
        status=Recommendation.Status.ADOPTED,
        answered_at=now - timedelta(hours=1, microseconds=9),
    )
    by_consultant = RecommendationFactory(
        partnership=partnership_x,
        consultant=other_profile,
        status=Recommendation.Status.NOT_ADOPTED,
        answered_at=now - timedelta(hours=3),
    )

    suggested = TrainingFactory(is_published=False, suggested_by=a)
    published = TrainingFactory(suggested_by=b)
    asked = TrainingRequestFactory()
    scheduled = TrainingRequestFactory(requested_by=coordinator, status=RequestStatus.SCHEDULED)

    request_url = "survivors:my-request-detail"
    list_url = reverse("survivors:compensation-list")

    def url(name, **kwargs):
        return reverse(name, kwargs=kwargs)

    def to_consultant(kind, request, occasion, email=True):
        reader = request.consultant.user
        link = url(request_url, pk=request.pk)
        return _row(
            kind, reader, request, occasion, link, _label(reader, request.engagement), email
        )

    def to_coordinators(kind, obj, occasion, link, engagement, people=coordinators):
        return {_row(kind, c, obj, occasion, link, _label(c, engagement)) for c in people}

    def escalated(record, *people):
        occasion = str(record.due_on)
        engagement = record.request.engagement
        return to_coordinators(
            Kind.COMPENSATION_ESCALATED, record, occasion, list_url, engagement, people
        )

    # A payment reported not received is unpaid again: overdue since its due date too.
    responsible = {overdue_own: coordinator, overdue_other: second, reopened: second}
    week = {overdue_own: 1, overdue_other: 0, reopened: 2}
    reopened_at = f"reopened:{reopened.reopened_at}"
    expected = {
        to_consultant(Kind.REQUEST_NEW, waiting, "sent", email=False),
        to_consultant(Kind.REQUEST_REMINDER, waiting, "halfway"),
        to_consultant(Kind.REQUEST_CANCELLED, cancelled, "cancelled"),
        to_consultant(Kind.REQUEST_RELEASED, released, "released"),
        to_consultant(
            Kind.REQUEST_TERMS_CHANGED,
            changed,
            "terms:" + _as_text(ParticipationRequest, changed.pk, "terms_changed_at"),
        ),
        to_consultant(Kind.REQUEST_ACCEPTED, accepted, "accepted"),
        to_consultant(Kind.ENGAGEMENT_SOON, accepted, soon.starts_at.isoformat()),
        _row(
            Kind.EXPENSE_QUERIED,
            b,
            expense,
            "queried:" + _as_text(Expense, expense.pk, "decided_at"),
            url(request_url, pk=accepted.pk) + "#expenses",
            _label(b, soon),
        ),
        _row(
            Kind.COMPENSATION_PAID,
            a,
            paid,
            f"paid:{paid.paid_on}",
            url("survivors:my-compensation-detail", pk=paid.pk),
            _label(a, paid.request.engagement),
            email=False,
        ),
        _row(
            Kind.COMPENSATION_REOPENED,
            b,
            reopened,
            reopened_at,
            url("survivors:my-compensation-detail", pk=reopened.pk),
            _label(b, reopened.request.engagement),
        ),
        *{
            _row(
                Kind.COMPENSATION_OVERDUE,
                person,
                record,
                f"{record.due_on}:week{week[record]}",
                list_url,
                _label(person, record.request.engagement),
            )
            for record, person in responsible.items()
        },
        _row(
            BoardKind.BOARD_TERM_ENDING,
            a,
            seat,
            f"ends:{seat.term_ends_on}",
            url("myboards:seat", pk=seat.pk),
            board.name,
        ),
        _row(
            BoardKind.RECOMMENDATION_ANSWERED,
            a,
            by_board,
            f"adopted:{by_board.answered_at.isoformat()}",
            reverse("partnerships:my-recommendations"),
        ),
        _row(
            BoardKind.RECOMMENDATION_ANSWERED,
            b,
            by_consultant,
            f"not_adopted:{by_consultant.answered_at.isoformat()}",
            reverse("partnerships:my-recommendations"),
        ),
        _row(
            TrainingKind.TRAINING_SUGGESTED,
            admin_user,
            suggested,
            "suggested",
            reverse("admin:trainings_training_change", args=[suggested.pk]),
        ),
        _row(
            TrainingKind.TRAINING_PUBLISHED,
            b,
            published,
            "published",
            published.get_absolute_url(),
            published.title,
        ),
        _row(
            TrainingKind.TRAINING_REQUEST_SENT,
            admin_user,
            asked,
            "sent",
            reverse("admin:trainings_trainingrequest_change", args=[asked.pk]),
        ),
        _row(
            TrainingKind.TRAINING_REQUEST_CHANGED,
            coordinator,
            scheduled,
            "scheduled",
            scheduled.get_absolute_url(),
        ),
        _row(
            AccountKind.COORDINATOR_PENDING,
            admin_user,
            pending_coordinator,
            "approval",
            reverse("admin:toolkit_portal_user_changelist")
            + "?role__exact=coordinator&approved=pending",
        ),
        *to_coordinators(
            Kind.REQUEST_ANSWERED,
            accepted,
            "accepted",
            url("survivors:engagement-detail", pk=soon.pk),
            soon,
        ),
        *to_coordinators(
            Kind.REQUEST_ANSWERED,
            declined,
            "declined",
            url("survivors:engagement-detail", pk=declined.engagement.pk),
            declined.engagement,
        ),
        *to_coordinators(
            Kind.REQUEST_EXPIRED,
            expired,
            "expired",
            url("survivors:engagement-detail", pk=expired.engagement.pk),
            expired.engagement,
        ),
        *to_coordinators(
            Kind.ENGAGEMENT_SOON,
            soon,
            soon.starts_at.isoformat(),
            url("survivors:engagement-detail", pk=soon.pk),
            soon,
        ),
        *to_coordinators(
            Kind.COMPENSATION_DUE_SOON,
            due_soon,
            str(due_soon.due_on),
            list_url,
            due_soon.request.engagement,
        ),
        *to_coordinators(
            Kind.COMPENSATION_REOPENED, reopened, reopened_at, list_url, reopened.request.engagement
        ),
        *escalated(overdue_own, second, admin_user),
        *escalated(overdue_other, coordinator, admin_user),
        *escalated(reopened, coordinator, admin_user),
        *{
            _row(
                BoardKind.BOARD_TERM_ENDING,
                c,
                seat,
                f"ends:{seat.term_ends_on}",
                url("partnerships:board-detail", slug=partnership_x.slug, pk=board.pk),
                board.name,
            )
            for c in coordinators
        },
    }

    created, _queued = notifications.sweep(now, enqueue=False)

    recorded = _recorded()
    assert recorded - expected == set()
    assert expected - recorded == set()
    assert created == len(expected)
    assert set(Notification.objects.values_list("created_at", "status")) == {
        (now, Notification.Status.PENDING)
    }
    # The moments and labels carry what the rows were made of: checked above, not assumed.
    assert "." in soon.starts_at.isoformat() and "." in reopened_at
    assert _label(second, soon) != _label(coordinator, soon)
    # A second sweep finds all of it recorded.
    assert notifications.sweep(now + timedelta(minutes=1), enqueue=False)[0] == 0
