"""Every address, every role, the expected answer.

A new URL pattern without an entry here fails `test_every_url_has_an_entry`. The Django
admin's own patterns are covered by one rule (staff only), checked on its index and on every
registered model's list and add pages.
"""

import pytest
from django.contrib import admin
from django.urls import reverse

from tests.auth import mfa_login
from tests.trainings import matrix as trainings_matrix
from tests.urls import all_url_names

ROLES = [
    "anonymous",
    "consultant",
    "other_consultant",
    "pending_coordinator",
    "coordinator",
    "other_coordinator",
    "admin",
]

R = 302  # redirect: to sign-in for the anonymous, elsewhere for the signed-in
OK, FORBIDDEN, MISSING = 200, 403, 404


def same(code):
    return dict.fromkeys(ROLES, code)


def signed_in(code, anonymous=R):
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
    awaiting approval gets (the 403 page that explains the wait). POST-only addresses answer
    a GET with 405 before anything else, whoever asks."""
    return {
        **signed_in(FORBIDDEN),
        "pending_coordinator": pending,
        "coordinator": ok,
        "other_coordinator": other if other != OK else ok,
        "admin": ok,
    }


def objects(build):
    """kwargs computed from the `matrix_objects` fixture, e.g. objects(lambda o: {"pk": …}).
    Entries whose kwargs are a plain dict need no objects at all."""
    return build


def _a_request(o):
    return {"pk": o["request"].pk}


def _a_compensation(o):
    return {"pk": o["compensation"].pk}


def _profiles_only(o):
    return {}


# name -> (kwargs, {role: expected status for GET})
MATRIX = {
    "home": ({}, same(OK)),
    "healthz": ({}, same(OK)),
    "partnerships:list": ({}, same(OK)),
    # Partnership X is unlisted: only its coordinators and admins know it exists.
    "partnerships:detail": (
        {"slug": "partnership-x"},
        {**same(MISSING), "coordinator": OK, "admin": OK},
    ),
    # Partnerships. Public: statewide coverage and an invitation's landing page.
    "partnerships:coverage": ({}, same(OK)),
    "partnerships:invitation": (objects(lambda o: {"token": o["invitation"].token()}), same(OK)),
    "partnerships:my-recommendations": ({}, consultants_only()),
    "partnerships:recommendation-create": ({}, consultants_only()),
    # A partnership's management pages: its coordinators and admins; Y's coordinator gets 404.
    **{
        f"partnerships:{name}": ({"slug": "partnership-x"}, coordinators_only(other=MISSING))
        for name in ["edit", "organizations", "goals", "goal-create", "members", "recommendations"]
    },
    **{
        f"partnerships:{name}": (
            objects(lambda o: {"slug": "partnership-x", "pk": o["organization"].pk}),
            coordinators_only(other=MISSING),
        )
        for name in ["organization-edit", "organization-remove"]
    },
    **{
        f"partnerships:{name}": (
            objects(lambda o: {"slug": "partnership-x", "pk": o["goal"].pk}),
            coordinators_only(other=MISSING),
        )
        for name in ["goal-detail", "goal-edit"]
    },
    "partnerships:member-remove": (
        objects(lambda o: {"slug": "partnership-x", "pk": o["membership"].pk}),
        coordinators_only(other=MISSING),
    ),
    "partnerships:member-role": (
        objects(lambda o: {"slug": "partnership-x", "pk": o["membership"].pk}),
        same(405),
    ),
    "partnerships:invitation-revoke": (
        objects(lambda o: {"slug": "partnership-x", "pk": o["invitation"].pk}),
        same(405),
    ),
    "partnerships:recommendation-answer": (
        objects(lambda o: {"slug": "partnership-x", "pk": o["recommendation"].pk}),
        coordinators_only(other=MISSING),
    ),
    "partnerships:boards": ({"slug": "partnership-x"}, coordinators_only(other=MISSING)),
    **{
        f"partnerships:{name}": (
            objects(lambda o: {"slug": "partnership-x", "pk": o["board"].pk}),
            coordinators_only(other=MISSING),
        )
        for name in ["board-detail", "board-edit", "board-meeting-create"]
    },
    "partnerships:positions": ({"slug": "partnership-x"}, coordinators_only(other=MISSING)),
    "partnerships:position-edit": (
        objects(lambda o: {"slug": "partnership-x", "pk": o["position"].pk}),
        coordinators_only(other=MISSING),
    ),
    # Open positions: for consultants (shown once they list themselves) and admins.
    "partnerships:open-positions": ({}, {**consultants_only(), "admin": OK}),
    "partnerships:board-recommendation": (
        objects(lambda o: {"slug": "partnership-x", "pk": o["board"].pk}),
        same(405),
    ),
    "partnerships:board-seat": (
        objects(lambda o: {"slug": "partnership-x", "pk": o["board"].pk}),
        same(405),
    ),
    # allauth
    "account_login": ({}, signed_in(R, anonymous=OK)),
    "account_logout": ({}, signed_in(OK, anonymous=R)),
    "account_inactive": ({}, same(OK)),
    "account_signup": ({}, signed_in(R, anonymous=OK)),
    "account_reauthenticate": ({}, signed_in(OK)),
    "account_request_reauthentication_code": ({}, signed_in(OK)),
    "account_confirm_reauthentication_code": ({}, same(R)),
    "account_email": ({}, signed_in(OK)),
    "account_email_verification_sent": ({}, same(OK)),
    "account_change_password": ({}, signed_in(OK)),
    "account_set_password": ({}, signed_in(R)),
    "account_reset_password": ({}, same(OK)),
    "account_confirm_login_code": ({}, same(R)),
    "account_confirm_email": ({"key": "not-a-real-key"}, same(OK)),
    "account_reset_password_from_key_done": ({}, same(OK)),
    "account_reset_password_from_key": ({"uidb36": "zz", "key": "not-a-key"}, same(OK)),
    "account_reset_password_done": ({}, same(OK)),
    "mfa_index": ({}, signed_in(OK)),
    "mfa_authenticate": ({}, same(R)),
    # MFA pages ask to re-authenticate first; those without MFA have nothing to re-enter.
    "mfa_reauthenticate": ({}, {**signed_in(OK), "consultant": R, "other_consultant": R}),
    "mfa_activate_totp": ({}, signed_in(R)),
    "mfa_deactivate_totp": (
        {},
        {**signed_in(R), "consultant": MISSING, "other_consultant": MISSING},
    ),
    "mfa_view_recovery_codes": ({}, signed_in(MISSING, anonymous=R)),
    "mfa_generate_recovery_codes": ({}, signed_in(R)),
    "mfa_download_recovery_codes": ({}, signed_in(MISSING, anonymous=R)),
    "usersessions_list": ({}, signed_in(OK)),
    # Training catalog; its objects are made by tests/trainings/matrix.py.
    "trainings:list": ({}, same(OK)),
    "trainings:detail": (objects(trainings_matrix.published_training), same(OK)),
    "trainings:suggest": ({}, {**signed_in(OK), "pending_coordinator": FORBIDDEN}),
    "trainings:request-list": (
        {},
        {**signed_in(FORBIDDEN), "coordinator": OK, "other_coordinator": OK, "admin": OK},
    ),
    "trainings:request-create": (
        objects(trainings_matrix.on_site_training),
        {**signed_in(FORBIDDEN), "coordinator": OK, "other_coordinator": OK, "admin": OK},
    ),
    "trainings:request-detail": (
        objects(trainings_matrix.request_of_partnership_x),
        {**signed_in(FORBIDDEN), "coordinator": OK, "other_coordinator": MISSING, "admin": OK},
    ),
    "mytrainings:list": ({}, signed_in(OK)),
    "mytrainings:record-create": ({}, signed_in(OK)),
    "mytrainings:record-detail": (
        objects(trainings_matrix.record_of_consultant_a),
        {**signed_in(MISSING), "consultant": OK, "admin": OK},
    ),
    "mytrainings:certificate": (
        objects(trainings_matrix.record_of_consultant_a),
        {**signed_in(MISSING), "consultant": OK, "admin": OK},
    ),
    # An admin may read a record but only its owner rates it.
    "mytrainings:evaluate": (
        objects(trainings_matrix.record_of_consultant_a),
        {**signed_in(MISSING), "consultant": OK, "admin": FORBIDDEN},
    ),
    "mytrainings:record-delete": (objects(trainings_matrix.record_of_consultant_a), signed_in(405)),
    "mytrainings:goal-list": ({}, consultants_only()),
    "mytrainings:goal-create": ({}, consultants_only()),
    "mytrainings:goal-edit": (
        objects(trainings_matrix.goal_of_consultant_a),
        consultants_only(other_consultant=MISSING),
    ),
    "mytrainings:goal-achieved": (
        objects(trainings_matrix.goal_of_consultant_a),
        consultants_only(consultant=405, other_consultant=405),
    ),
    "mytrainings:goal-delete": (
        objects(trainings_matrix.goal_of_consultant_a),
        consultants_only(consultant=405, other_consultant=405),
    ),
    # A survivor consultant's own pages. The objects belong to consultant A; consultant B
    # (who has a profile of their own) cannot tell they exist.
    "survivors:my-profile": (objects(_profiles_only), consultants_only()),
    "survivors:my-private-details": (objects(_profiles_only), consultants_only()),
    "survivors:my-requests": (objects(_profiles_only), consultants_only()),
    "survivors:my-compensation": (objects(_profiles_only), consultants_only()),
    "survivors:my-export": (objects(_profiles_only), consultants_only()),
    "survivors:my-delete": (objects(_profiles_only), consultants_only()),
    "survivors:my-request-detail": (
        objects(_a_request),
        consultants_only(other_consultant=MISSING),
    ),
    "survivors:my-compensation-detail": (
        objects(_a_compensation),
        consultants_only(other_consultant=MISSING),
    ),
    # POST-only: a GET is refused before the object is looked up.
    **{
        f"survivors:my-request-{action}": (
            objects(_a_request),
            consultants_only(consultant=405, other_consultant=405),
        )
        for action in ["accept", "decline", "withdraw", "consent", "revoke-consent", "feedback"]
    },
    **{
        f"survivors:my-compensation-{action}": (
            objects(_a_compensation),
            consultants_only(consultant=405, other_consultant=405),
        )
        for action in ["method", "not-received"]
    },
    # The coordinator's pages: approved coordinators (and admins) of the partnership only.
    "survivors:directory": ({}, coordinators_only()),
    "survivors:consultant-detail": (
        objects(lambda o: {"pk": o["profile"].pk}),
        coordinators_only(),
    ),
    "survivors:consultant-invite": (
        objects(lambda o: {"pk": o["profile"].pk}),
        same(405),
    ),
    "survivors:engagement-list": ({}, coordinators_only()),
    "survivors:engagement-create": ({}, coordinators_only()),
    **{
        f"survivors:engagement-{action}": (
            objects(lambda o: {"pk": o["engagement"].pk}),
            coordinators_only(other=MISSING),
        )
        for action in ["detail", "edit", "cancel", "complete"]
    },
    "survivors:engagement-invite": (
        objects(lambda o: {"pk": o["engagement"].pk}),
        same(405),
    ),
    "survivors:request-cancel": (
        objects(lambda o: {"pk": o["request"].pk}),
        coordinators_only(other=MISSING),
    ),
    "survivors:request-thank": (
        objects(lambda o: {"pk": o["request"].pk}),
        same(405),
    ),
    "survivors:compensation-list": ({}, coordinators_only()),
    "survivors:compensation-export": ({}, coordinators_only()),
    "survivors:compensation-mark-paid": (
        objects(lambda o: {"pk": o["compensation"].pk}),
        coordinators_only(other=MISSING),
    ),
    "survivors:compensation-policy": (
        {"slug": "partnership-x"},
        coordinators_only(other=MISSING),
    ),
    "survivors:partnership-feedback": (
        {"slug": "partnership-x"},
        coordinators_only(other=MISSING),
    ),
    # The inbox and calendar belong to whoever is signed in.
    "inbox": ({}, signed_in(OK)),
    "inbox-mark-read": (
        objects(lambda o: {"pk": o["notification"].pk}),
        same(405),
    ),
    "inbox-mark-all-read": ({}, same(405)),
    "calendar-settings": ({}, signed_in(OK)),
    "calendar-replace": ({}, same(405)),
    "calendar-revoke": ({}, same(405)),
    # The token is the key (calendar apps cannot sign in); an unknown token is 404.
    "calendar-feed": (objects(lambda o: {"token": o["feed"].token}), same(OK)),
}

ADMIN_RULE = {**same(R), "admin": OK}


def test_every_url_has_an_entry():
    missing = [
        name for name in all_url_names() if name not in MATRIX and not name.startswith("admin:")
    ]
    assert missing == [], f"Add these addresses to the access matrix: {missing}"


def _client_for(client, personas, role):
    user = personas[role]
    if user is not None:
        mfa_login(client, user)
    return client


@pytest.fixture
def matrix_objects(personas, partnership_x):
    """Records the entries' kwargs can point at: consultant A's profile, a pending request
    and a compensation record of A's, and a profile for consultant B. Add what new entries
    need; build it with factories."""
    from tests.survivors.factories import (
        CompensationFactory,
        ConsultantProfileFactory,
        EngagementFactory,
        ParticipationRequestFactory,
    )

    profile_a = ConsultantProfileFactory(user=personas["consultant"], display_name="A")
    profile_b = ConsultantProfileFactory(user=personas["other_consultant"], display_name="B")
    engagement = EngagementFactory(partnership=partnership_x)
    from django.contrib.contenttypes.models import ContentType

    from toolkit_portal.models import CalendarFeed, Notification

    request = ParticipationRequestFactory(engagement=engagement, consultant=profile_a)
    from tests.partnerships import factories as partnership_factories

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
    }


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_matrix(name, client, personas, request):
    kwargs, expected = MATRIX[name]
    if callable(kwargs):
        kwargs = kwargs(request.getfixturevalue("matrix_objects"))
    url = reverse(name, kwargs=kwargs)
    answers = {}
    for role in ROLES:
        client.logout()
        response = _client_for(client, personas, role).get(url)
        answers[role] = response.status_code
    assert answers == expected, f"{url}: expected {expected}, got {answers}"


def _admin_urls(admin_user):
    """(address, what the admin gets): the index, and each model's list and add pages. Models
    whose records only the application writes (e.g. the audit trail) refuse the add page."""
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = admin_user
    urls = [(reverse("admin:index"), OK)]
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        urls.append((reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"), OK))
        may_add = model_admin.has_add_permission(request)
        urls.append(
            (reverse(f"admin:{opts.app_label}_{opts.model_name}_add"), OK if may_add else 403)
        )
    return urls


def test_admin_is_for_staff_only(client, personas):
    for url, admin_answer in _admin_urls(personas["admin"]):
        for role in ROLES:
            client.logout()
            response = _client_for(client, personas, role).get(url)
            expected = admin_answer if role == "admin" else ADMIN_RULE[role]
            assert response.status_code == expected, (url, role, response.status_code)
