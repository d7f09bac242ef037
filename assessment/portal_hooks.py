"""What the self-assessment adds to the portal's cross-cutting work (toolkit_portal/hooks.py):
a person's answers in their data export, their comments in the erasure, the assessment's
models in the data inventory, and its panels on a partnership's page and on an assessment
review request."""

from survivors.models import EngagementKind, ParticipationRequest
from toolkit_portal import hooks

from .inventory import INVENTORY, RETENTION
from .services import (
    erase_assessment_comments,
    export_assessment_answers,
    latest_weakest_areas,
    open_rounds_for_rater,
)

MY_ROUNDS = "partnerships/assessment/_my_rounds.html"

hooks.data_inventory.register(INVENTORY)
hooks.retention_texts.register(RETENTION)
hooks.person_data_export.register(export_assessment_answers)


@hooks.person_data_erasure.register
def erase_assessment_data(*, person, actor):
    erase_assessment_comments(person)


def rounds_to_rate_in(partnership, user):
    """The partnership's open rounds the person rates, with how far they are."""
    raters = [r for r in open_rounds_for_rater(user) if r.round.partnership_id == partnership.pk]
    return {"raters": raters, "on_partnership": True}


@hooks.panel("partnership_detail.top", MY_ROUNDS)
def rounds_on_partnership_page(request, *, partnership):
    return rounds_to_rate_in(partnership, request.user) if request.user.is_authenticated else None


@hooks.panel("request_detail", MY_ROUNDS)
def rounds_of_assessment_review(request, *, participation_request):
    """A consultant who accepted to review an assessment rates its rounds from her request."""
    engagement = participation_request.engagement
    if (
        engagement.kind != EngagementKind.ASSESSMENT_REVIEW
        or participation_request.status != ParticipationRequest.Status.ACCEPTED
    ):
        return None
    return rounds_to_rate_in(engagement.partnership, request.user)


@hooks.panel("partnership_detail.coordinators", "partnerships/assessment/_weakest_trainings.html")
def trainings_for_weakest_areas(request, *, partnership):
    """Trainings for the weakest key areas of the partnership's latest closed round."""
    weakest = latest_weakest_areas(partnership)
    return {"weakest_areas": weakest} if weakest else None
