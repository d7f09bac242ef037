"""You said, we did: the recommendations survivors made in the period, by the answer they
have today."""

from django.db.models import Count
from django.utils.translation import gettext as _

from .. import sources as s
from ..suppression import count_table
from .queries import in_period, scoped


def recommendations(partnership, period):
    received = scoped(s.Recommendation.objects.all(), partnership, "partnership").filter(
        in_period("created_at", period)
    )
    return dict(received.values_list("status").annotate(n=Count("pk")).order_by())


def recommendation_tables(now, previous):
    R = s.Recommendation.Status
    labels = [
        (R.RECEIVED, _("Awaiting an answer")),
        (R.UNDER_CONSIDERATION, _("Under consideration")),
        (R.ADOPTED, _("Adopted")),
        (R.NOT_ADOPTED, _("Not adopted")),
    ]
    return [
        count_table(
            "recommendations",
            _("Recommendations received, by answer"),
            [(str(v), label, now.get(v, 0), previous.get(v, 0)) for v, label in labels],
            total=(
                _("Recommendations received"),
                sum(now.values()),
                sum(previous.values()),
            ),
            note=_("Recommendations made in the period, with the answer they have today."),
        )
    ]
