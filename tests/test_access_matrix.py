"""Every address, every role, every method: the expected answer.

Each entry says what GET and POST answer, for the anonymous visitor, consultants A and B, a
coordinator awaiting approval, the coordinators of partnerships X and Y, and an admin. The
records in the addresses belong to consultant A and to partnership X (`matrix_objects`).

- A new URL pattern without an entry fails `test_every_url_has_an_entry`.
- Every request is rolled back to a savepoint, so an earlier role's POST (which may delete
  the record) never changes what a later role meets. The personas, their sessions and the
  records are made once for the module (`matrix_world`), and each test's own are undone.
- Methods no entry declares (PUT, PATCH, DELETE) must be refused (405) or answered exactly
  as the GET: a view that starts acting on one of them fails `test_matrix`.
- HEAD answers exactly as GET does, for every role. OPTIONS is refused
  (405), answered as the GET, or answered by Django's `View.options` (200, the allowed
  methods in `Allow`, no body): it never shows a page to a role the GET refuses.
- `test_refused_posts_change_nothing` posts a complete, valid form to destructive addresses
  as every role that may not use them, and checks the record afterwards.

The Django admin's own patterns are covered by one rule (staff only), checked on its index
and on every registered model's list and add pages, for GET and POST, one app at a time.
"""

import copy
import math
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlsplit

import pytest
from django.contrib import admin
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.assessment.assessment_matrix import MATRIX as ASSESSMENT_MATRIX
from tests.auth import mfa_login
from tests.reports import matrix as reports_matrix
from tests.roles import FORBIDDEN, MISSING, NOT_ALLOWED, OK, ROLES, R, same
from tests.trainings import matrix as trainings_matrix
from tests.urls import all_url_names
from toolkit_portal.middleware import SessionLimitsMiddleware

SIGN_IN = "sign in"  # a redirect to the sign-in page
NO = NOT_ALLOWED


def signed_in(code, anonymous=SIGN_IN):
    return {**same(code), "anonymous": anonymous}


def consultants_only(consultant=OK, other_consultant=OK):
    """A consultant's own /me/ page: other roles get 403, visitors are sent to sign in."""
    return {
        **signed_in(FORBIDDEN),
        "consultant": consultant,
        "other_consultant": other_consultant,
    }


def coordinators_only(ok=OK, other=OK, pending=FORBIDDEN):
    """A coordinator's page: approved coordinators and admins. `other` is what the
    coordinator of partnership Y gets (404 for X's records); `pending` what a coordinator
    awaiting approval gets (the 403 page that explains the wait)."""
    return {
        **signed_in(FORBIDDEN),
        "pending_coordinator": pending,
        "coordinator": ok,
        "other_coordinator": other if other != OK else ok,
        "admin": ok,
    }


class Entry(NamedTuple):
    kwargs: object  # the URL's kwargs: a dict, or a function of `matrix_objects`
    answers: dict  # method -> {role: expected answer}


def page(kwargs, get, post=None):
    """A page. A POST answers `post`; by default the same as the GET (the page shows its
    form again with the errors of an empty form, or ignores the method)."""
    return Entry(kwargs, {"GET": get, "POST": get if post is None else post})


def action(kwargs, post, get=None):
    """A POST-only address (state changes): a GET is refused, by default with 405 before
    anything else is looked at; a visitor is sent to sign in instead (the 405 a signed-in
    person gets is a page that explains, toolkit_portal.middleware)."""
    return Entry(kwargs, {"GET": not_a_page() if get is None else get, "POST": post})


def not_a_page():
    return signed_in(NO)


def objects(build):
    """kwargs computed from the `matrix_objects` fixture, e.g. objects(lambda o: {"pk": …}).
    Entries whose kwargs are a plain dict need no objects at all."""
    return build


def _a_request(o):
    return {"pk": o["request"].pk}


def _a_compensation(o):
    return {"pk": o["compensation"].pk}


def _an_expense(o):
    return {"pk": o["expense"].pk}


def _profiles_only(o):
    return {}


X = {"slug": "partnership-x"}
# Acting on partnership X's records: its coordinator and admins act (and are sent on); Y's
# coordinator cannot tell the record exists.
X_ACTS = coordinators_only(ok=R, other=MISSING)
X_ONLY = coordinators_only(other=MISSING)


def _in_x(key):
    return objects(lambda o: {"slug": "partnership-x", "pk": o[key].pk})


MATRIX = {
    "home": page({}, same(OK)),
    "healthz": page({}, same(OK), post=same(NO)),
    # "Leave this site": ends whoever's session it is, answers nothing (204).
    "quick-exit": action({}, same(204)),
    # The admin's old addresses of models that moved app: a permanent redirect for everyone
    # (the admin itself then asks who it is).
    "moved-admin-page": page({"model": "board", "rest": ""}, same(301)),
    # Readiness and metrics answer whoever asks from this machine's loopback, which the test
    # client is (REMOTE_ADDR 127.0.0.1); from elsewhere, 404 without METRICS_TOKEN
    # (tests/toolkit_portal/test_observability.py), and haproxy refuses both from outside.
    "readyz": page({}, same(OK), post=same(NO)),
    "metrics": page({}, same(OK), post=same(NO)),
    # Partnerships. Public: the list, statewide coverage and an invitation's landing page.
    "partnerships:list": page({}, same(OK)),
    "partnerships:coverage": page({}, same(OK)),
    # Partnership X is unlisted: only its coordinators and admins know it exists.
    "partnerships:detail": page(X, {**same(MISSING), "coordinator": OK, "admin": OK}),
    # Accepting needs an account; this invitation is for another address, so a signed-in
    # person is told so on the page.
    "partnerships:invitation": page(
        objects(lambda o: {"token": o["invitation"].token()}),
        same(OK),
        post=signed_in(OK),
    ),
    "partnerships:my-recommendations": page({}, consultants_only()),
    "partnerships:recommendation-create": page({}, consultants_only()),
    # A partnership's management pages: its coordinators and admins; Y's coordinator gets 404.
    **{
        f"partnerships:{name}": page(X, X_ONLY)
        for name in [
            "edit",
            "organizations",
            "goals",
            "goal-create",
            "members",
            "recommendations",
            "boards",
            "positions",
        ]
    },
    "partnerships:organization-edit": page(_in_x("organization"), X_ONLY),
    "partnerships:organization-remove": page(_in_x("organization"), X_ONLY, post=X_ACTS),
    "partnerships:goal-detail": page(_in_x("goal"), X_ONLY),
    "partnerships:goal-edit": page(_in_x("goal"), X_ONLY),
    "partnerships:member-remove": page(_in_x("membership"), X_ONLY, post=X_ACTS),
    "partnerships:member-role": action(_in_x("membership"), X_ACTS),
    "partnerships:invitation-revoke": action(_in_x("invitation"), X_ACTS),
    "partnerships:recommendation-answer": page(_in_x("recommendation"), X_ONLY),
    "partnerships:board-detail": page(_in_x("board"), X_ONLY),
    "partnerships:board-edit": page(_in_x("board"), X_ONLY),
    "partnerships:board-meeting-create": page(_in_x("board"), X_ONLY),
    "partnerships:board-recommendation": action(_in_x("board"), X_ACTS),
    "partnerships:board-seat": action(_in_x("board"), X_ACTS),
    "partnerships:position-edit": page(_in_x("position"), X_ONLY),
    # A coordinator awaiting approval proposes her partnership (an empty form shows its
    # errors); nobody else may.
    "partnerships:propose": action({}, {**signed_in(FORBIDDEN), "pending_coordinator": OK}),
    # Open positions: for consultants (shown once they list themselves) and admins.
    "partnerships:open-positions": page({}, {**consultants_only(), "admin": OK}),
    # allauth. Signed-in people are sent on from the sign-in and sign-up pages.
    "account_login": page({}, signed_in(R, anonymous=OK)),
    "account_logout": page({}, signed_in(OK, anonymous=R), post=same(R)),
    "account_inactive": page({}, same(OK), post=same(NO)),
    "account_signup": page({}, signed_in(R, anonymous=OK)),
    "account_reauthenticate": page({}, signed_in(OK)),
    "account_request_reauthentication_code": page({}, signed_in(OK)),
    "account_confirm_reauthentication_code": page({}, signed_in(R)),
    "account_email": page({}, signed_in(OK), post=signed_in(R)),
    "account_email_verification_sent": page({}, same(OK), post=same(NO)),
    "account_change_password": page({}, signed_in(OK)),
    "account_set_password": page({}, signed_in(R)),
    "account_reset_password": page({}, same(OK)),
    "account_confirm_login_code": page({}, signed_in(R)),
    "account_confirm_email": page({"key": "not-a-real-key"}, same(OK), post=same(MISSING)),
    "account_reset_password_from_key_done": page({}, same(OK), post=same(NO)),
    "account_reset_password_from_key": page({"uidb36": "zz", "key": "not-a-key"}, same(OK)),
    "account_reset_password_done": page({}, same(OK), post=same(NO)),
    "mfa_index": page({}, signed_in(OK), post=signed_in(NO)),
    "mfa_authenticate": page({}, signed_in(R)),
    # MFA pages ask to re-authenticate first; those without MFA have nothing to re-enter.
    "mfa_reauthenticate": page({}, {**signed_in(OK), "consultant": R, "other_consultant": R}),
    "mfa_activate_totp": page({}, signed_in(R)),
    "mfa_deactivate_totp": page(
        {}, {**signed_in(R), "consultant": MISSING, "other_consultant": MISSING}
    ),
    "mfa_view_recovery_codes": page({}, signed_in(MISSING), post=signed_in(NO)),
    "mfa_generate_recovery_codes": page({}, signed_in(R)),
    "mfa_download_recovery_codes": page({}, signed_in(MISSING)),
    "usersessions_list": page({}, signed_in(OK), post=signed_in(R)),
    # The language switch on every page (sent back where it came from) and its settings page.
    "set_language": action({}, same(R)),
    "account-language": page({}, signed_in(OK)),
    # Training catalog; its objects are made by tests/trainings/matrix.py.
    "trainings:list": page({}, same(OK)),
    "trainings:detail": page(objects(trainings_matrix.published_training), same(OK)),
    "trainings:suggest": page({}, {**signed_in(OK), "pending_coordinator": FORBIDDEN}),
    "trainings:request-list": page({}, coordinators_only()),
    "trainings:request-create": page(
        objects(trainings_matrix.on_site_training), coordinators_only()
    ),
    "trainings:request-detail": page(objects(trainings_matrix.request_of_partnership_x), X_ONLY),
    "mytrainings:list": page({}, signed_in(OK)),
    "mytrainings:record-create": page({}, signed_in(OK)),
    "mytrainings:record-detail": page(
        objects(trainings_matrix.record_of_consultant_a),
        {**signed_in(MISSING), "consultant": OK, "admin": OK},
    ),
    "mytrainings:certificate": page(
        objects(trainings_matrix.record_of_consultant_a),
        {**signed_in(MISSING), "consultant": OK, "admin": OK},
    ),
    # An admin may read a record but only its owner rates or deletes it.
    "mytrainings:evaluate": page(
        objects(trainings_matrix.record_of_consultant_a),
        {**signed_in(MISSING), "consultant": OK, "admin": FORBIDDEN},
    ),
    "mytrainings:record-delete": action(
        objects(trainings_matrix.record_of_consultant_a),
        {**signed_in(MISSING), "consultant": R, "admin": FORBIDDEN},
        get=signed_in(NO),
    ),
    "mytrainings:goal-list": page({}, consultants_only()),
    "mytrainings:goal-create": page({}, consultants_only()),
    "mytrainings:goal-edit": page(
        objects(trainings_matrix.goal_of_consultant_a),
        consultants_only(other_consultant=MISSING),
    ),
    **{
        f"mytrainings:goal-{name}": action(
            objects(trainings_matrix.goal_of_consultant_a),
            consultants_only(consultant=R, other_consultant=MISSING),
            get=consultants_only(consultant=NO, other_consultant=NO),
        )
        for name in ["achieved", "delete"]
    },
    # A survivor consultant's own pages. The objects belong to consultant A; consultant B
    # (who has a profile of their own) cannot tell they exist. Read-only pages refuse POST.
    "survivors:my-profile": page(objects(_profiles_only), consultants_only()),
    "survivors:my-private-details": page(
        objects(_profiles_only), consultants_only(), post=consultants_only(R, R)
    ),
    **{
        f"survivors:my-{name}": page(
            objects(_profiles_only), consultants_only(), post=consultants_only(NO, NO)
        )
        for name in ["requests", "compensation", "export"]
    },
    "survivors:my-delete": page(objects(_profiles_only), consultants_only()),
    "survivors:my-request-detail": page(
        objects(_a_request),
        consultants_only(other_consultant=MISSING),
        post=consultants_only(NO, NO),
    ),
    # A board member's own seat: another consultant cannot tell it exists.
    "myboards:seat": page(
        objects(lambda o: {"pk": o["seat"].pk}),
        consultants_only(other_consultant=MISSING),
        post=consultants_only(NO, NO),
    ),
    "survivors:my-compensation-detail": page(
        objects(_a_compensation),
        consultants_only(other_consultant=MISSING),
        post=consultants_only(NO, NO),
    ),
    # POST-only: a GET is refused before the object is looked up. An empty form accepts
    # (every consent is optional) or declines (no reason needed); the rest show their errors.
    **{
        f"survivors:my-request-{name}": action(
            objects(_a_request),
            consultants_only(consultant=answer, other_consultant=MISSING),
            get=consultants_only(consultant=NO, other_consultant=NO),
        )
        for name, answer in [
            ("accept", R),
            ("decline", R),
            ("withdraw", OK),
            ("consent", OK),
            ("revoke-consent", OK),
            ("feedback", OK),
            # The matrix's request is pending: nothing changed to confirm or leave.
            ("confirm", OK),
            ("leave", OK),
        ]
    },
    # Her expense lines: the matrix's request is pending (an empty form shows its errors);
    # the line belongs to another request of hers, accepted, in partnership X.
    "survivors:my-expense-add": action(
        objects(_a_request),
        consultants_only(consultant=OK, other_consultant=MISSING),
        get=consultants_only(consultant=NO, other_consultant=NO),
    ),
    "survivors:my-expense-edit": page(
        objects(_an_expense), consultants_only(other_consultant=MISSING)
    ),
    "survivors:my-expense-remove": action(
        objects(_an_expense),
        consultants_only(consultant=R, other_consultant=MISSING),
        get=consultants_only(consultant=NO, other_consultant=NO),
    ),
    # Her receipt: herself, partnership X's coordinators and admins; no one else can tell it
    # exists, a coordinator awaiting approval included.
    "survivors:expense-receipt": page(
        objects(_an_expense),
        {**signed_in(MISSING), "consultant": OK, "coordinator": OK, "admin": OK},
        post=same(NO),
    ),
    **{
        f"survivors:my-compensation-{name}": action(
            objects(_a_compensation),
            consultants_only(consultant=OK, other_consultant=MISSING),
            get=consultants_only(consultant=NO, other_consultant=NO),
        )
        for name in ["method", "not-received"]
    },
    # The coordinator's pages: approved coordinators (and admins) of the partnership only.
    # Listed consultants are visible to every approved coordinator.
    "survivors:directory": page({}, coordinators_only()),
    "survivors:consultant-detail": page(
        objects(lambda o: {"pk": o["profile"].pk}), coordinators_only()
    ),
    # Without an engagement of one's own in the form there is nothing to invite to.
    "survivors:consultant-invite": action(
        objects(lambda o: {"pk": o["profile"].pk}), coordinators_only(ok=MISSING)
    ),
    "survivors:engagement-list": page({}, coordinators_only()),
    "survivors:engagement-create": page({}, coordinators_only()),
    **{
        f"survivors:engagement-{name}": page(objects(lambda o: {"pk": o["engagement"].pk}), X_ONLY)
        for name in ["detail", "edit", "complete"]
    },
    "survivors:engagement-cancel": page(
        objects(lambda o: {"pk": o["engagement"].pk}), X_ONLY, post=X_ACTS
    ),
    "survivors:engagement-invite": action(objects(lambda o: {"pk": o["engagement"].pk}), X_ACTS),
    "survivors:request-cancel": page(objects(_a_request), X_ONLY, post=X_ACTS),
    "survivors:request-thank": action(objects(_a_request), X_ACTS),
    # Deciding on her line; an empty question is refused with a message on the engagement.
    "survivors:expense-approve": action(objects(_an_expense), X_ACTS),
    "survivors:expense-query": action(objects(_an_expense), X_ACTS),
    "survivors:compensation-list": page({}, coordinators_only()),
    "survivors:compensation-export": page({}, coordinators_only()),
    "survivors:compensation-mark-paid": page(objects(_a_compensation), X_ONLY),
    "survivors:compensation-policy": page(X, X_ONLY),
    "survivors:partnership-feedback": page(X, X_ONLY),
    # Reports for funders and boards: a partnership's for its coordinators (and admins), the
    # state's for admins. Read-only pages refuse POST; a PDF is its requester's alone
    # (tests/reports/matrix.py makes one for X's coordinator and one for the admin).
    **{
        f"reports:{name}": page(kwargs, X_ONLY, post=same(NO))
        for name, kwargs in [
            ("report", X),
            ("csv", X),
            ("chart", {**X, "chart": "engagements"}),
        ]
    },
    "reports:pdf": action(X, X_ACTS),
    **{
        f"reports:pdf-{name}": page(
            objects(reports_matrix.pdf_of_coordinator_x),
            {**coordinators_only(other=MISSING), "admin": MISSING},
            post=same(NO),
        )
        for name in ["status", "download"]
    },
    **{
        f"statereports:{name}": page(kwargs, {**signed_in(FORBIDDEN), "admin": OK}, post=same(NO))
        for name, kwargs in [("report", {}), ("csv", {}), ("chart", {"chart": "key-areas"})]
    },
    "statereports:pdf": action({}, {**signed_in(FORBIDDEN), "admin": R}),
    **{
        f"statereports:pdf-{name}": page(
            objects(reports_matrix.pdf_of_admin),
            {**signed_in(FORBIDDEN), "admin": OK},
            post=same(NO),
        )
        for name in ["status", "download"]
    },
    # The inbox and calendar belong to whoever is signed in.
    "inbox": page({}, signed_in(OK)),
    "inbox-mark-read": action(
        objects(lambda o: {"pk": o["notification"].pk}),
        {**signed_in(MISSING), "consultant": R},
    ),
    "inbox-mark-all-read": action({}, signed_in(R)),
    "calendar-settings": page({}, signed_in(OK)),
    "calendar-replace": action({}, signed_in(R)),
    "calendar-revoke": action({}, signed_in(R)),
    # The token is the key (calendar apps cannot sign in); an unknown token is 404.
    "calendar-feed": page(objects(lambda o: {"token": o["feed"].token}), same(OK), post=same(NO)),
}


# The self-assessment's addresses keep their expectations beside their tests: an Entry, or
# name -> (kwargs builder, {role: GET answer}, {role: POST answer}), where the anonymous
# visitor's 302 is the redirect to sign in.
def _merged(table):
    def visitor(answers):
        return {
            **answers,
            "anonymous": SIGN_IN if answers["anonymous"] == R else answers["anonymous"],
        }

    def entry(value):
        if isinstance(value, Entry):
            return value
        kwargs, get, post = value
        return Entry(kwargs, {"GET": visitor(get), "POST": visitor(post)})

    return {name: entry(value) for name, value in table.items()}


MATRIX.update(_merged(ASSESSMENT_MATRIX))

ADMIN_RULE = {**same(R), "admin": OK}
# Methods no page of the portal offers. A view refuses them (405), answers them as a GET,
# or (class-based form views, e.g. allauth's) as a POST; rate limits may refuse them (429).
UNDECLARED_METHODS = ["PUT", "PATCH", "DELETE"]
TOO_MANY = 429


def test_every_url_has_an_entry():
    missing = [
        name for name in all_url_names() if name not in MATRIX and not name.startswith("admin:")
    ]
    assert missing == [], f"Add these addresses to the access matrix: {missing}"
    stale = sorted(set(MATRIX) - set(all_url_names()))
    assert stale == [], f"These entries name no address: {stale}"
    for name, entry in MATRIX.items():
        assert set(entry.answers) == {"GET", "POST"}, name
        for method, answers in entry.answers.items():
            assert set(answers) == set(ROLES), (name, method)


def _answer(response):
    if response.status_code == 302:
        if urlsplit(response["Location"]).path == reverse("account_login"):
            return SIGN_IN
    return response.status_code


def make_matrix_objects(personas, partnership_x):
    """Records the entries' kwargs can point at: consultant A's profile, a pending request,
    a compensation record and an expense line (with a receipt) of A's, and a profile for
    consultant B. Add what new entries
    need; build it with factories."""
    from django.contrib.contenttypes.models import ContentType

    from tests.partnerships import factories as partnership_factories
    from tests.survivors.factories import (
        CompensationFactory,
        ConsultantProfileFactory,
        EngagementFactory,
        ExpenseFactory,
        ParticipationRequestFactory,
    )
    from tests.trainings.factories import pdf_upload
    from toolkit_portal.models import CalendarFeed, Notification

    profile_a = ConsultantProfileFactory(user=personas["consultant"], display_name="A")
    profile_b = ConsultantProfileFactory(user=personas["other_consultant"], display_name="B")
    engagement = EngagementFactory(partnership=partnership_x)
    request = ParticipationRequestFactory(engagement=engagement, consultant=profile_a)
    partnership_objects = {
        "organization": partnership_factories.OrganizationFactory(partnership=partnership_x),
        "goal": partnership_factories.GoalFactory(partnership=partnership_x),
        "membership": partnership_x.memberships.get(user=personas["coordinator"]),
        "invitation": partnership_factories.InvitationFactory(partnership=partnership_x),
        "recommendation": partnership_factories.RecommendationFactory(
            partnership=partnership_x, consultant=profile_a
        ),
        "board": partnership_factories.BoardFactory(partnership=partnership_x),
        "position": partnership_factories.PositionFactory(partnership=partnership_x),
    }
    partnership_objects["seat"] = partnership_factories.BoardMemberFactory(
        board=partnership_objects["board"], consultant=profile_a
    )
    return {
        **partnership_objects,
        "profile": profile_a,
        "other_profile": profile_b,
        "engagement": engagement,
        "request": request,
        "compensation": CompensationFactory(
            request__consultant=profile_a, request__engagement__partnership=partnership_x
        ),
        "notification": Notification.objects.create(
            kind="request_new",
            recipient=personas["consultant"],
            content_type=ContentType.objects.get_for_model(request),
            object_id=str(request.pk),
            occasion="sent",
        ),
        "feed": CalendarFeed.objects.create(user=personas["consultant"], token="a-feed-token"),
        "expense": ExpenseFactory(
            request__consultant=profile_a,
            request__engagement__partnership=partnership_x,
            receipt=pdf_upload("receipt.pdf"),
        ),
    }


@pytest.fixture
def matrix_objects(personas, partnership_x):
    """`make_matrix_objects` for one test, owned by the root conftest's personas."""
    return make_matrix_objects(personas, partnership_x)


# A session this old is signed in again before the next test: a little older and each request
# would write it (SessionLimitsMiddleware records activity once a minute), and allauth would
# ask someone who signed in long ago to re-authenticate.
SIGN_IN_AGAIN_AFTER = SessionLimitsMiddleware.touch_every_seconds / 2


@dataclass
class MatrixWorld:
    """The personas, partnership X and `make_matrix_objects`' records, made once for a
    module's tests (`matrix_world`), and a signed-in session of each role."""

    personas: dict
    objects: dict
    media_root: Path
    cookies: dict = field(default_factory=dict)  # role -> the cookies of its signed-in client
    signed_in_at: float = -math.inf

    def keep_signed_in(self):
        """Sign every role in again once the sessions are SIGN_IN_AGAIN_AFTER seconds old, in
        the module's transaction (before a test opens its own), so the tests after it keep
        the new sessions."""
        assert len(connection.atomic_blocks) == 1, "Sign in before the test's own savepoint"
        if time.monotonic() - self.signed_in_at < SIGN_IN_AGAIN_AFTER:
            return
        for role, person in self.personas.items():
            if person is not None:
                self.cookies[role] = mfa_login(Client(), person).cookies
        self.signed_in_at = time.monotonic()

    def client(self, role):
        client = Client()
        if role in self.cookies:
            client.cookies = copy.deepcopy(self.cookies[role])
        return client


@pytest.fixture(scope="module")
def matrix_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """`MatrixWorld`, in a transaction rolled back once the module's tests are done. Each test
    runs in a savepoint of its own (pytest-django's `db`), undone after it, so a test's
    records and changes never reach the next one."""
    from tests.personas import personas_for_a_module

    media_root = tmp_path_factory.mktemp("media")
    with personas_for_a_module(django_db_blocker, media_root) as (personas, partnership_x):
        yield MatrixWorld(personas, make_matrix_objects(personas, partnership_x), media_root)


class Visitors:
    """The client of each role for one test. Each request's changes (and any sign-out) are
    undone: the database goes back to a savepoint taken at the test's first request."""

    def __init__(self, world):
        self.clients = {role: world.client(role) for role in ROLES}
        self.undo_point = None

    def __getitem__(self, role):
        return self.clients[role]

    def send(self, role, method, url):
        """One request, whose changes (and any sign-out) are then undone."""
        if self.undo_point is None:
            self.undo_point = transaction.savepoint()
        client = self.clients[role]
        cookies = copy.deepcopy(client.cookies)
        try:
            if method == "POST":
                return client.post(url)
            return client.generic(method, url)
        finally:
            # What an atomic block does when it ends in a rollback: a transaction the request
            # left broken is usable again once rolled back to the savepoint.
            connection.needs_rollback = False
            connection.savepoint_rollback(self.undo_point)
            client.cookies = cookies

    def ask(self, role, method, url):
        """The answer to one request, whose changes (and any sign-out) are then undone."""
        return _answer(self.send(role, method, url))


@pytest.fixture
def renewed_sessions(matrix_world):
    """The world, its sessions renewed when due, before the test's own savepoint."""
    matrix_world.keep_signed_in()
    return matrix_world


@pytest.fixture
def clients(renewed_sessions, db, settings):
    """`Visitors` of the world, in the test's own savepoint (`db`): what the test makes or
    changes is undone after it."""
    settings.MEDIA_ROOT = renewed_sessions.media_root
    return Visitors(renewed_sessions)


def _url(name, objects):
    kwargs = MATRIX[name].kwargs
    if callable(kwargs):
        kwargs = kwargs(objects)
    return reverse(name, kwargs=kwargs)


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_matrix(name, clients, matrix_world):
    entry = MATRIX[name]
    url = _url(name, matrix_world.objects)
    answers = {
        method: {role: clients.ask(role, method, url) for role in ROLES} for method in entry.answers
    }
    assert answers == entry.answers, f"{url}: expected {entry.answers}, got {answers}"
    # Where a role gets in, no other method may do more than GET or POST do.
    inside = [role for role in ROLES if entry.answers["GET"][role] == OK]
    for method in UNDECLARED_METHODS:
        for role in inside:
            answer = clients.ask(role, method, url)
            allowed = {NO, TOO_MANY, entry.answers["GET"][role], entry.answers["POST"][role]}
            assert answer in allowed, f"{method} {url} as {role}: {answer}"
    # allauth's rate limits count every method but GET, so earlier requests may use them up.
    for role in ROLES:
        head = clients.send(role, "HEAD", url)
        assert _answer(head) in (entry.answers["GET"][role], TOO_MANY), f"HEAD {url} as {role}"
        options = clients.send(role, "OPTIONS", url)
        if _answer(options) in (NO, TOO_MANY, entry.answers["GET"][role]):
            continue
        assert options.status_code == OK, f"OPTIONS {url} as {role}: {options}"
        assert options.content == b"" and "GET" in options["Allow"], f"OPTIONS {url} as {role}"


def _second_member(o):
    """Partnership X's coordinator may not remove or demote the last coordinator (itself):
    a second one is the record these addresses change."""
    from tests.partnerships.factories import MembershipFactory
    from tests.toolkit_portal.factories import CoordinatorFactory

    membership = MembershipFactory(partnership=o["board"].partnership, user=CoordinatorFactory())
    return {"slug": "partnership-x", "pk": membership.pk}


# Addresses that change or remove a record: the model of that record, a complete, valid
# form, and (optionally) the record, when not the matrix entry's own. Every role the matrix
# does not let act posts it; the record must stay as it was. Then a role that may act posts
# it too, to show the form was enough to change it.
DESTRUCTIVE = {
    "partnerships:organization-remove": ("partnerships.Organization", {}),
    "partnerships:member-remove": ("partnerships.Membership", {}, _second_member),
    "partnerships:member-role": ("partnerships.Membership", {"role": "member"}, _second_member),
    "partnerships:invitation-revoke": ("partnerships.Invitation", {}),
    "survivors:engagement-cancel": ("survivors.Engagement", {}),
    "survivors:request-cancel": ("survivors.ParticipationRequest", {}),
    "survivors:my-request-decline": ("survivors.ParticipationRequest", {"decline-reason": "x"}),
    "mytrainings:record-delete": ("trainings.TrainingRecord", {}),
    "mytrainings:goal-delete": ("trainings.GrowthGoal", {}),
    "survivors:my-expense-remove": ("survivors.Expense", {}),
    "survivors:expense-approve": ("survivors.Expense", {}),
    "survivors:expense-query": ("survivors.Expense", {"message": "Which trip was it?"}),
    "inbox-mark-read": ("toolkit_portal.Notification", {}),
}


def _row(model, pk):
    return model.objects.filter(pk=pk).values().first()


@pytest.mark.parametrize("name", sorted([*DESTRUCTIVE, "survivors:compensation-mark-paid"]))
def test_refused_posts_change_nothing(name, clients, matrix_world):
    from django.apps import apps

    label, data, *record = DESTRUCTIVE.get(name) or (
        "survivors.Compensation",
        {"paid_on": timezone.localdate().isoformat(), "method": "check", "reference": "M-1"},
    )
    model = apps.get_model(label)
    kwargs = (record[0] if record else MATRIX[name].kwargs)(matrix_world.objects)
    url = reverse(name, kwargs=kwargs)
    before = _row(model, kwargs["pk"])
    assert before is not None
    posts = MATRIX[name].answers["POST"]
    allowed = [role for role in ROLES if posts[role] == R]
    if name == "survivors:compensation-mark-paid":
        allowed = ["coordinator", "admin"]  # the valid form redirects; an empty one does not
    for role in ROLES:
        if role in allowed:
            continue
        response = clients[role].post(url, data)
        assert response.status_code in (302, 403, 404, 405), (role, response.status_code)
        assert _row(model, kwargs["pk"]) == before, f"{name}: {role}'s refused POST changed it"
    response = clients[allowed[0]].post(url, data)
    assert response.status_code == 302, (allowed[0], response.status_code)
    assert _row(model, kwargs["pk"]) != before, f"{name}: the form changed nothing"


# The admin's pages in sections (its index, then each app's models) that the suite's workers
# share out, instead of one long test.
ADMIN_SECTIONS = ["index", *sorted({model._meta.app_label for model in admin.site._registry})]


def _admin_urls(admin_user, section):
    """(address, {method: what the admin gets}) of a section: the index, or each of an app's
    models' list and add pages (and the catalog's CSV import and export with the trainings).
    Models whose records only the application writes (e.g. the audit trail) refuse the add
    page. An empty add form shows its errors."""
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = admin_user
    urls = []
    if section == "index":
        urls.append((reverse("admin:index"), {"GET": OK}))
    if section == "trainings":
        urls.append((reverse("admin:trainings_training_import"), {"GET": OK, "POST": OK}))
        urls.append((reverse("admin:trainings_training_export"), {"GET": OK}))
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        if opts.app_label != section:
            continue
        urls.append((reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"), {"GET": OK}))
        add = OK if model_admin.has_add_permission(request) else FORBIDDEN
        urls.append(
            (reverse(f"admin:{opts.app_label}_{opts.model_name}_add"), {"GET": add, "POST": add})
        )
    return urls


@pytest.mark.parametrize("section", ADMIN_SECTIONS)
def test_admin_is_for_staff_only(section, clients, matrix_world):
    """Everyone but staff is sent to the admin's sign-in, whatever the method (HEAD too)."""
    urls = _admin_urls(matrix_world.personas["admin"], section)
    assert urls, section
    for url, admin_answers in urls:
        admin_answers["HEAD"] = admin_answers["GET"]
        for method, admin_answer in admin_answers.items():
            for role in ROLES:
                expected = admin_answer if role == "admin" else ADMIN_RULE[role]
                assert clients.ask(role, method, url) == expected, (method, url, role)
