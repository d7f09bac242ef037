"""The domain errors and access checks every survivors service shares."""

from django.utils.translation import gettext as _

from toolkit_portal.errors import DomainError
from toolkit_portal.plain_text import before_stop

from .models import ParticipationRequest

Status = ParticipationRequest.Status


class EngagementError(DomainError):
    """A change that is not allowed, with the reason in words a person can act on."""


class TokenizationWarning(EngagementError):
    """A group engagement with a single survivor seat: send only after explicit confirmation."""


def _is_coordinator_of(user, partnership):
    return partnership.is_coordinated_by(user)


def _require_coordinator(actor, partnership):
    if not _is_coordinator_of(actor, partnership):
        raise EngagementError(_("Only coordinators of this partnership can do that."))


def _require_owner(actor, profile):
    if profile is None or actor is None or profile.user_id != actor.pk:
        raise EngagementError(_("Only the consultant can do that."))


# Requests whose consultant is asked again when the terms change.
OPEN_REQUESTS = (Status.PENDING, Status.ACCEPTED, Status.CHANGED)


def consultant_names(requests):
    """The consultants of requests, for a sentence that names who stands in the way."""
    return before_stop(", ".join(str(request.consultant_name) for request in requests))
