"""Training: trainings completed by the partnership's staff, hours by key area and principle,
on-site sessions held, ratings. Staff figures: no survivor is counted here."""

from django.db.models import Avg, Count, Q, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from toolkit_portal.numbers import half_up

from .. import sources as s
from ..suppression import Row, Table, figure
from .queries import ZERO, in_period, scoped


def staff_ids(partnership):
    """The people whose trainings a report counts: the partnership's coordinators and
    members (for the state: every partnership's), never a survivor consultant's own record."""
    members = s.Membership.objects.exclude(user__role=s.Role.CONSULTANT)
    return scoped(members, partnership, "partnership").values("user_id")


def training(partnership, period):
    records = s.TrainingRecord.objects.filter(
        person__in=staff_ids(partnership), **{"completed_on__gte": period.start}
    ).filter(completed_on__lte=period.end)
    aggregates = {
        "records": Count("pk"),
        "total_hours": Coalesce(Sum("hours"), ZERO),
        "people": Count("person", distinct=True),
        "rating": Avg("evaluation__rating"),
        "ratings": Count("evaluation"),
    }
    for area in s.KeyArea.values:
        has = Q(training__key_areas__contains=[area])
        aggregates[f"area:{area}"] = Count("pk", filter=has)
        aggregates[f"area_hours:{area}"] = Coalesce(Sum("hours", filter=has), ZERO)
    for principle in s.Principle.values:
        has = Q(training__principles__contains=[principle])
        aggregates[f"principle:{principle}"] = Count("pk", filter=has)
        aggregates[f"principle_hours:{principle}"] = Coalesce(Sum("hours", filter=has), ZERO)
    figures = records.aggregate(**aggregates)
    figures["sessions_held"] = (
        scoped(s.TrainingRequest.objects.all(), partnership, "partnership")
        .filter(status=s.RequestStatus.HELD)
        .filter(in_period("scheduled_for", period, dates=True))
        .count()
    )
    return figures


def training_tables(now, previous):
    def plain(key, label, unit, field_name):
        return Row(key, label, [figure(now[field_name], previous[field_name], unit)])

    rating_now = None if now["rating"] is None else half_up(now["rating"], 2)
    rating_before = None if previous["rating"] is None else half_up(previous["rating"], 2)
    summary = Table(
        "training",
        _("Training"),
        [""],
        [
            plain("records", _("Trainings completed"), "count", "records"),
            plain("hours", _("Training hours"), "hours", "total_hours"),
            plain("people", _("People trained"), "count", "people"),
            Row(
                "rating",
                _("Average rating (1 to 5)"),
                [figure(rating_now, rating_before, "rating")],
            ),
            plain("ratings", _("Ratings given"), "count", "ratings"),
            plain("sessions_held", _("On-site sessions held"), "count", "sessions_held"),
        ],
        note=_(
            "Trainings recorded by the partnership's coordinators and members. A survivor "
            "consultant's own training records are theirs and are not counted here."
        ),
        survivor=False,
    )

    def dimension(key, title, prefix, choices, heading):
        return Table(
            key,
            title,
            [_("Trainings"), _("Hours")],
            [
                Row(
                    value,
                    str(label),
                    [
                        figure(now[f"{prefix}:{value}"], previous[f"{prefix}:{value}"]),
                        figure(
                            now[f"{prefix}_hours:{value}"],
                            previous[f"{prefix}_hours:{value}"],
                            "hours",
                        ),
                    ],
                )
                for value, label in choices
            ],
            note=_("A training may strengthen several areas or principles: rows overlap."),
            survivor=False,
            extra={"heading": heading},
        )

    return [
        summary,
        dimension(
            "training_by_key_area", _("Training by key area"), "area", s.KeyArea.choices,
            _("Key area"),
        ),
        dimension(
            "training_by_principle", _("Training by principle"), "principle",
            s.Principle.choices, _("Principle"),
        ),
    ]  # fmt: skip
