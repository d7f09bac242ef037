"""Access to the self-assessment's addresses, for the access matrix (tests/test_access_matrix.py).

MATRIX maps each URL name to (kwargs builder, expected status per role for GET, for POST).
A builder takes the matrix's objects (unused here) and makes what its address needs, owned
by the root conftest's personas: partnership X (`partnership-x`) and its coordinator, and
consultant A, who accepted the paid "assessment review" request and so rates the round.
Consultant B, the coordinator of partnership Y and a pending coordinator are outsiders; an
admin sees every round but rates none. POSTs carry no data: they show what each role meets
before any input is read (a bad form is 200 or 400, a refused method 405).
"""

from django.utils import timezone

from assessment.models import AssessmentRound
from partnerships.models import Partnership
from survivors.models import ConsultantProfile
from tests.roles import BAD, FORBIDDEN, MISSING, NOT_ALLOWED, OK, R, same
from tests.survivors.factories import ConsultantProfileFactory
from toolkit_portal.models import User

from . import assessment_helpers as helpers

CONSULTANT_A = "consultant.a@example.org"
COORDINATOR_X = "coordinator.x@example.org"


def coordinators(ok=OK, *, admin=None):
    """X's coordinators and admins; Y's coordinator cannot tell X's records exist."""
    return {
        **same(FORBIDDEN),
        "anonymous": R,
        "coordinator": ok,
        "other_coordinator": MISSING,
        "admin": ok if admin is None else admin,
    }


def raters(ok=OK, *, admin=MISSING):
    """The round's raters (consultant A and X's coordinator); everyone else signed in gets
    404, except the pending coordinator, who sees why nothing opens yet; an admin sees the
    results but rates nothing."""
    return {
        **same(MISSING),
        "anonymous": R,
        "pending_coordinator": FORBIDDEN,
        "consultant": ok,
        "coordinator": ok,
        "admin": admin,
    }


def _consultant_a_profile():
    user = User.objects.get(email=CONSULTANT_A)
    profile = ConsultantProfile.objects.filter(user=user).first()
    if profile is None:
        profile = ConsultantProfileFactory(user=user, display_name="A")
    profile.monthly_capacity = 50  # one accepted assessment review per address
    profile.save(update_fields=["monthly_capacity"])
    return profile


def _round_with_consultant_a():
    partnership = Partnership.objects.get(slug="partnership-x")
    coordinator = User.objects.get(email=COORDINATOR_X)
    # One round open at a time: an earlier address's round is done with.
    AssessmentRound.objects.filter(partnership=partnership).update(closed_at=timezone.now())
    assessment_round = helpers.open_round(partnership, coordinator, title="Matrix round")
    helpers.invite_and_accept(assessment_round, coordinator, [_consultant_a_profile()])
    return assessment_round, coordinator


def open_round(_objects):
    assessment_round, _coordinator = _round_with_consultant_a()
    return {"slug": "partnership-x", "pk": assessment_round.pk}


def open_round_page(_objects):
    return {**open_round(_objects), "page": "governance"}


def closed_round(_objects):
    """A closed round with the key areas rated by X's coordinator and three members, so it
    has weakest areas (a statement rated by fewer than three, or all alike, is withheld)."""
    assessment_round, coordinator = _round_with_consultant_a()
    helpers.rated_by_staff(assessment_round, coordinator, lambda item: "2" if item.key_area else "")
    helpers.close(assessment_round, coordinator)
    return {"slug": "partnership-x", "pk": assessment_round.pk}


def partnership_x(_objects):
    return {"slug": "partnership-x"}


# name -> (kwargs builder, {role: GET status}, {role: POST status})
MATRIX = {
    "partnerships:assessment": (partnership_x, coordinators(), same(NOT_ALLOWED)),
    "partnerships:assessment-open": (partnership_x, coordinators(), coordinators()),
    "partnerships:assessment-round": (open_round, raters(admin=OK), same(NOT_ALLOWED)),
    "partnerships:assessment-raters": (open_round, coordinators(), coordinators()),
    # Only a form: a visitor who opens it is sent to sign in (toolkit_portal.middleware).
    "partnerships:assessment-invite": (
        open_round,
        {**same(NOT_ALLOWED), "anonymous": R},
        coordinators(BAD),
    ),
    # The coordinator's POST closes the round; the admin's then finds it closed: both are
    # sent back to the round.
    "partnerships:assessment-close": (open_round, coordinators(), coordinators(R)),
    "partnerships:assessment-answer": (open_round, raters(), same(NOT_ALLOWED)),
    # An empty page saves nothing and goes back to the overview.
    "partnerships:assessment-answer-page": (open_round_page, raters(), raters(R)),
    "partnerships:assessment-export": (closed_round, raters(admin=OK), same(NOT_ALLOWED)),
    "partnerships:assessment-priorities": (closed_round, coordinators(), coordinators(BAD)),
}
