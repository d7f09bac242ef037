"""Every form of the portal (`test_every_form_has_a_case` finds them): where it is posted,
by whom, a valid body, and the tables it writes. `test_forms.py` checks first that the valid
body is accepted (so the fuzzing reaches the code behind the form), then spoils it.

The records the addresses need are made by `build_world` from the root conftest's personas:
partnership X with its coordinator, consultant A with requests in each state, and the
training records and goals of A.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from tests.security.signing_in import current_code
from tests.toolkit_portal.factories import PASSWORD, TOTP_SECRET

AUDIT = "toolkit_portal.AuditEntry"


@dataclass(frozen=True)
class Case:
    role: str
    url: object  # world -> address
    valid: object  # world -> a body the form accepts
    tables: tuple  # models (app_label.Model) whose rows the form writes
    method: str = "POST"
    accepted: int = 302  # the answer to the valid body
    saves: bool = True  # whether the valid body changes a row of `tables`
    refused: int = 200  # the answer to a body the form refuses
    session: object = None  # session -> what it holds besides before each post
    prepare: object = None  # (client, personas) -> None, run once before the posts


def _day(days):
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def _moment(days, hour=10):
    return (
        (timezone.localtime() + timedelta(days=days))
        .replace(hour=hour, minute=0)
        .strftime("%Y-%m-%dT%H:%M")
    )


def build_world(personas, partnership_x):
    from survivors.models import BoardMeeting, CompensationPolicy
    from tests.partnerships import factories as pf
    from tests.survivors import factories as sf
    from tests.trainings import factories as tf

    consultant, coordinator = personas["consultant"], personas["coordinator"]
    profile = sf.ConsultantProfileFactory(user=consultant, display_name="A", monthly_capacity=10)
    other_profile = sf.ConsultantProfileFactory(user=personas["other_consultant"], display_name="B")
    Status = sf.ParticipationRequest.Status
    upcoming = sf.EngagementFactory(partnership=partnership_x, created_by=coordinator, seats=3)
    past = sf.EngagementFactory(
        partnership=partnership_x,
        created_by=coordinator,
        starts_at=timezone.now() - timedelta(days=2),
    )
    compensation = sf.CompensationFactory(
        request__consultant=profile, request__engagement__partnership=partnership_x
    )
    board = pf.BoardFactory(partnership=partnership_x)
    # The rate card's page makes the policy on first sight: it exists already here.
    CompensationPolicy.objects.create(partnership=partnership_x)
    # Consultant A accepted a seat at one of the board's meetings: a candidate for the board.
    meeting = sf.EngagementFactory(partnership=partnership_x, kind="board_seat")
    BoardMeeting.objects.create(board=board, engagement=meeting)
    sf.ParticipationRequestFactory(engagement=meeting, consultant=profile, status=Status.ACCEPTED)
    return {
        "x": partnership_x,
        "profile": profile,
        "other_profile": other_profile,
        "upcoming": upcoming,
        "past": past,
        "pending": sf.ParticipationRequestFactory(engagement=upcoming, consultant=profile),
        "accepted": sf.ParticipationRequestFactory(
            engagement=sf.EngagementFactory(partnership=partnership_x),
            consultant=profile,
            status=Status.ACCEPTED,
        ),
        "to_complete": sf.ParticipationRequestFactory(
            engagement=past, consultant=profile, status=Status.ACCEPTED
        ),
        "compensation": compensation,
        "paid": sf.CompensationFactory(
            request__consultant=profile,
            request__engagement__partnership=partnership_x,
            status="paid",
            paid_on=timezone.localdate(),
            paid_method="check",
        ),
        "completed": compensation.request,
        "organization": pf.OrganizationFactory(partnership=partnership_x),
        "goal": pf.GoalFactory(partnership=partnership_x),
        "membership": partnership_x.memberships.get(user=coordinator),
        "board": board,
        "member": pf.MembershipFactory(partnership=partnership_x, role="member"),
        "position": pf.PositionFactory(partnership=partnership_x),
        "recommendation": pf.RecommendationFactory(partnership=partnership_x, consultant=profile),
        "training": tf.TrainingFactory(slug="fuzz-course"),
        "on_site": tf.TrainingFactory(slug="fuzz-on-site", on_site=True),
        "record": tf.TrainingRecordFactory(person=consultant),
        "growth_goal": tf.GrowthGoalFactory(person=consultant),
    }


def _assessment_round(w, *, closed=False):
    """Partnership X's round, rated by its coordinator and consultant A; made on first use
    (a partnership has one open round at a time)."""
    key = "closed_round" if closed else "open_round"
    if key not in w:
        from tests.assessment import assessment_helpers as helpers

        coordinator = w["membership"].user
        assessment_round = helpers.open_round(w["x"], coordinator, title="Fuzz round")
        helpers.invite_and_accept(assessment_round, coordinator, [w["profile"]])
        if closed:
            # The staff's ratings give the round its weakest areas (a statement rated by
            # fewer than three, or all alike, is withheld).
            helpers.rated_by_staff(
                assessment_round, coordinator, lambda item: "2" if item.key_area else ""
            )
            assessment_round = helpers.close(assessment_round, coordinator)
        w[key] = assessment_round
    return w[key]


def _round_url(name, closed=False, **kwargs):
    return lambda w: reverse(
        f"partnerships:{name}",
        kwargs={"slug": "partnership-x", "pk": _assessment_round(w, closed=closed).pk, **kwargs},
    )


def _new_member(w):
    """A coordinator who joined partnership X after its round opened: not a rater yet."""
    from tests.partnerships.factories import MembershipFactory

    return MembershipFactory(partnership=w["x"]).user


def _answer_page(w):
    from assessment.models import Item

    assessment_round = _assessment_round(w)
    body = {}
    for item in Item.objects.filter(version=assessment_round.version_id).in_page("governance"):
        body[f"level-{item.pk}"] = "3"
        body[f"comment-{item.pk}"] = TEXT
    return body


def _priority(w):
    from assessment import services

    results = services.assessment_results(_assessment_round(w, closed=True))
    return {
        "key_area": results["weakest"][0],
        "reason": TEXT,
        "goal_title": "Write a trauma-informed policy",
        "four_p": "partnership",
        "strategy": TEXT,
        "owner": "Sam",
        "target_date": _day(120),
    }


def _x(name, **kwargs):
    return lambda w: reverse(f"partnerships:{name}", kwargs={"slug": "partnership-x", **kwargs})


def _in_x(name, key):
    return lambda w: reverse(
        f"partnerships:{name}", kwargs={"slug": "partnership-x", "pk": w[key].pk}
    )


def _pk(name, key):
    return lambda w: reverse(name, kwargs={"pk": w[key].pk})


def _password_accepted(client, personas):
    """Coordinator X's password is accepted: the sign-in waits for the second factor."""
    from zeal import zeal_ignore

    from tests.security.signing_in import SIGN_IN_READS

    coordinator = personas["coordinator"]
    with zeal_ignore(SIGN_IN_READS):
        response = client.post(
            reverse("account_login"), {"login": coordinator.email, "password": PASSWORD}
        )
    assert response.headers["Location"] == reverse("mfa_authenticate")


def _without_password(client, personas):
    """Consultant B's account has no password yet (an account an admin made): allauth's
    set-password page is theirs. Signed in again, since the change ends the session."""
    from tests.auth import mfa_login

    user = personas["other_consultant"]
    user.set_unusable_password()
    user.save(update_fields=["password"])
    mfa_login(client, user)


def _fixed(body):
    return lambda w: body


TEXT = "Plain words, with a comma"
# Forms exercised inside another case or by another test.
COVERED_ELSEWHERE = {
    "RateCardEntryForm": "the rate card formset of CompensationPolicyForm",
    "CsvImportForm": "tests/fuzz/test_uploads.py",
    # Refused or not, it answers with a redirect to the engagement page and a message.
    "ExpenseQueryForm": "tests/survivors/test_views_expenses.py",
}


def _engagement(w):
    return {
        "partnership": str(w["x"].pk),
        "title": "Listening session",
        "kind": "consultation",
        "roles_needed": ["feedback"],
        "description": TEXT,
        "content_notes": TEXT,
        "mode": "in_person",
        "location": "Denver",
        "starts_at": _moment(20),
        "ends_at": _moment(20, hour=12),
        "estimated_hours": "2",
        "compensation_amount": "75.00",
        "compensation_basis": "flat",
        "seats": "2",
        "response_deadline": _moment(10),
    }


CASES = {
    # partnerships ----------------------------------------------------------------------------
    "PartnershipProfileForm": Case(
        "coordinator",
        _x("edit"),
        _fixed(
            {
                "name": "Partnership X",
                "summary": TEXT,
                "state": "Colorado",
                "areas_served": "Denver, Boulder",
                "focus": ["prevention", "protection"],
                "year_established": "2015",
                "contact_name": "Sam",
                "contact_email": "sam@example.org",
                "contact_phone": "555-0100",
                "website": "https://x.example.org/",
                "is_listed": "on",
            }
        ),
        ("partnerships.Partnership",),
    ),
    "OrganizationForm": Case(
        "coordinator",
        _x("organizations"),
        _fixed(
            {
                "name": "Shelter of Hope",
                "sector": "victim_services",
                "role": "member",
                "contact_name": "Ana",
                "contact_email": "ana@example.org",
                "contact_phone": "555-0101",
                "mou_signed_on": "2024-05-01",
            }
        ),
        ("partnerships.Organization",),
    ),
    "GoalForm": Case(
        "coordinator",
        _x("goal-create"),
        _fixed(
            {
                "title": "Train every officer",
                "four_p": "prevention",
                "strategy": TEXT,
                "owner": "Sam",
                "target_date": _day(200),
                "status": "planned",
            }
        ),
        ("partnerships.Goal",),
    ),
    "ProgressNoteForm": Case(
        "coordinator",
        _in_x("goal-detail", "goal"),
        _fixed({"noted_on": _day(0), "text": TEXT}),
        ("partnerships.ProgressNote",),
    ),
    "InvitationForm": Case(
        "coordinator",
        _x("members"),
        _fixed({"email": "new.coordinator@example.org"}),
        ("partnerships.Invitation",),
    ),
    "MembershipRoleForm": Case(
        "coordinator",
        _in_x("member-role", "member"),
        _fixed({"role": "coordinator"}),
        ("partnerships.Membership",),
    ),
    "RecommendationForm": Case(
        "consultant",
        lambda w: reverse("partnerships:recommendation-create"),
        lambda w: {"partnership": str(w["x"].pk), "text": TEXT, "engagement": ""},
        ("survivors.Recommendation",),
    ),
    "BoardRecommendationForm": Case(
        "coordinator",
        _in_x("board-recommendation", "board"),
        _fixed({"text": TEXT}),
        ("survivors.Recommendation",),
    ),
    "AnswerForm": Case(
        "coordinator",
        _in_x("recommendation-answer", "recommendation"),
        _fixed({"status": "adopted", "response": TEXT}),
        ("survivors.Recommendation",),
    ),
    "BoardForm": Case(
        "coordinator",
        _x("boards"),
        _fixed(
            {"name": "Survivor board", "purpose": TEXT, "survivor_seats": "3", "term_months": "12"}
        ),
        ("survivors.Board",),
    ),
    "BoardMeetingForm": Case(
        "coordinator",
        _in_x("board-meeting-create", "board"),
        _fixed(
            {
                "title": "Quarterly meeting",
                "starts_at": _moment(20),
                "ends_at": _moment(20, hour=12),
                "response_deadline": _moment(10),
                "estimated_hours": "2",
                "compensation_amount": "100.00",
            }
        ),
        ("survivors.BoardMeeting", "survivors.Engagement"),
    ),
    "SeatForm": Case(
        "coordinator",
        _in_x("board-seat", "board"),
        lambda w: {"consultant": str(w["profile"].pk), "term_starts_on": _day(0)},
        ("survivors.BoardMember",),
    ),
    "PositionForm": Case(
        "coordinator",
        _x("positions"),
        _fixed(
            {
                "title": "Peer advocate",
                "organization": "Shelter of Hope",
                "schedule": "part_time",
                "pay_range": "$25-30 an hour",
                "description": TEXT,
                "how_to_apply": "Email us",
                "closes_on": _day(30),
                "lived_experience_counts": "on",
            }
        ),
        ("partnerships.Position",),
    ),
    # survivors: the coordinator's pages ------------------------------------------------------
    "DirectoryFilterForm": Case(
        "coordinator",
        lambda w: reverse("survivors:directory"),
        _fixed(
            {
                "role": "feedback",
                "language": "English",
                "area": "Denver",
                "remote": "yes",
                "availability": "open",
                "criminal_justice": "on",
            }
        ),
        (),
        method="GET",
        accepted=200,
    ),
    "EngagementForm": Case(
        "coordinator",
        lambda w: reverse("survivors:engagement-create"),
        _engagement,
        ("survivors.Engagement",),
    ),
    # A coordinator awaiting approval proposes her partnership.
    "ProposalForm": Case(
        "pending_coordinator",
        lambda w: reverse("partnerships:propose"),
        _fixed(
            {
                "name": "Western Slope Task Force",
                "areas_served": "Mesa, Delta",
                "focus": ["prevention", "partnership"],
                "organization_1": "Mesa County Victim Services",
                "sector_1": "victim_services",
            }
        ),
        ("partnerships.PartnershipProposal",),
    ),
    # Beside the engagement form when it is changed: whom to release from criminal-justice work.
    "ReleaseForm": Case(
        "coordinator",
        lambda w: reverse("survivors:engagement-edit", kwargs={"pk": w["upcoming"].pk}),
        lambda w: {**_engagement(w), "release": []},
        ("survivors.Engagement",),
    ),
    "InviteForm": Case(
        "coordinator",
        _pk("survivors:engagement-invite", "upcoming"),
        lambda w: {"consultants": [str(w["other_profile"].pk)], "confirm_single_seat": "on"},
        ("survivors.ParticipationRequest",),
    ),
    "CompletionForm": Case(
        "coordinator",
        _pk("survivors:engagement-complete", "past"),
        lambda w: {
            f"{w['to_complete'].pk}-hours_worked": "2",
            f"{w['to_complete'].pk}-preparation_hours": "1",
            f"{w['to_complete'].pk}-travel_hours": "0.5",
            f"{w['to_complete'].pk}-expense_mileage": "12.50",
            f"{w['to_complete'].pk}-expense_mileage_note": "Round trip",
        },
        ("survivors.Compensation", "survivors.Expense"),
    ),
    "MarkPaidForm": Case(
        "coordinator",
        _pk("survivors:compensation-mark-paid", "compensation"),
        _fixed({"paid_on": _day(0), "method": "check", "reference": "CHK-1001"}),
        ("survivors.Compensation",),
    ),
    "ThankYouForm": Case(
        "coordinator",
        _pk("survivors:request-thank", "completed"),
        _fixed({"note": TEXT}),
        ("survivors.ParticipationRequest",),
    ),
    "CompensationPolicyForm": Case(
        "coordinator",
        lambda w: reverse("survivors:compensation-policy", kwargs={"slug": "partnership-x"}),
        _fixed(
            {
                "payment_methods": ["check", "gift_card"],
                "rates-TOTAL_FORMS": "1",
                "rates-INITIAL_FORMS": "0",
                "rates-MIN_NUM_FORMS": "0",
                "rates-MAX_NUM_FORMS": "1000",
                "rates-0-kind": "consultation",
                "rates-0-hourly_rate": "40.00",
                "rates-0-pays_preparation": "on",
                "rates-0-pays_travel": "on",
            }
        ),
        ("survivors.CompensationPolicy", "survivors.RateCardEntry"),
    ),
    # survivors: the consultant's own pages ---------------------------------------------------
    "ProfileForm": Case(
        "consultant",
        lambda w: reverse("survivors:my-profile"),
        _fixed(
            {
                "display_name": "River",
                "pronouns": "they/them",
                "bio": TEXT,
                "roles": ["feedback", "training"],
                "languages": "English, Spanish",
                "areas_served": "Denver, Boulder",
                "works_remote": "on",
                "preferred_rate": "50.00",
                "rate_basis": "hourly",
                "monthly_capacity": "4",
                "availability": "paused",
                "paused_until": _day(30),
                "is_listed": "on",
                "contact_email": "river@example.org",
                "contact_phone": "555-0102",
                "emailed_kinds": ["request_new"],
            }
        ),
        ("survivors.ConsultantProfile",),
    ),
    "PrivateDetailsForm": Case(
        "consultant",
        lambda w: reverse("survivors:my-private-details"),
        _fixed(
            {
                "legal_name": "Riley Example",
                "mailing_address": "1 Main St\nDenver",
                "payment_details": "Account 123",
            }
        ),
        ("survivors.PrivateDetails",),
    ),
    "ConsentForm": Case(
        "consultant",
        _pk("survivors:my-request-accept", "pending"),
        _fixed(
            {
                "consent-consent_story_shared": "on",
                "consent-consent_off_limits": "My family",
                "consent-consent_recording": "on",
                "consent-consent_name_to_use": "River",
            }
        ),
        ("survivors.ParticipationRequest",),
    ),
    "DeclineForm": Case(
        "consultant",
        _pk("survivors:my-request-decline", "pending"),
        _fixed({"decline-reason": TEXT}),
        ("survivors.ParticipationRequest",),
    ),
    "WithdrawForm": Case(
        "consultant",
        _pk("survivors:my-request-withdraw", "accepted"),
        _fixed({"withdraw-reason": TEXT, "withdraw-confirm": "on"}),
        ("survivors.ParticipationRequest",),
    ),
    "FeedbackForm": Case(
        "consultant",
        _pk("survivors:my-request-feedback", "completed"),
        _fixed(
            {
                "feedback-went_well": TEXT,
                "feedback-to_improve": TEXT,
                "feedback-felt_respected": "4",
                "feedback-is_anonymous": "on",
            }
        ),
        ("survivors.Feedback",),
    ),
    "ExpenseForm": Case(
        "consultant",
        _pk("survivors:my-expense-add", "accepted"),
        _fixed({"expense-kind": "mileage", "expense-amount": "24.50", "expense-note": TEXT}),
        ("survivors.Expense",),
    ),
    "PaymentMethodForm": Case(
        "consultant",
        _pk("survivors:my-compensation-method", "compensation"),
        _fixed({"method": "gift_card"}),
        ("survivors.Compensation",),
    ),
    "NotReceivedForm": Case(
        "consultant",
        _pk("survivors:my-compensation-not-received", "paid"),
        _fixed({"missing-note": TEXT}),
        ("survivors.Compensation",),
    ),
    "DeleteAccountForm": Case(
        "consultant",
        lambda w: reverse("survivors:my-delete"),
        _fixed({"confirmation": "DELETE"}),
        ("survivors.ConsultantProfile", "toolkit_portal.User"),
    ),
    # trainings -------------------------------------------------------------------------------
    "CatalogSearchForm": Case(
        "anonymous",
        lambda w: reverse("trainings:list"),
        _fixed(
            {
                "q": "trauma",
                "sort": "rating",
                "delivery": ["online"],
                "format": ["course"],
                "audience": ["victim_services"],
                "topic": ["trauma_informed_care"],
                "cost": ["free"],
                "key_area": ["training"],
                "on_site": "on",
                "page": "1",
            }
        ),
        (),
        method="GET",
        accepted=200,
    ),
    "SuggestTrainingForm": Case(
        "consultant",
        lambda w: reverse("trainings:suggest"),
        _fixed(
            {
                "title": "Peer support basics",
                "provider_name": "Survivor Alliance",
                "provider_website": "https://alliance.example.org",
                "delivery": "online",
                "format": "course",
                "cost": "free",
                "length_hours": "6",
                "url": "https://alliance.example.org/course",
                "location": "Online",
                "description": TEXT,
                "audiences": ["victim_services"],
                "topics": ["resilience"],
                "key_areas": ["training"],
                "principles": ["safety"],
            }
        ),
        ("trainings.Training", "trainings.Provider"),
    ),
    "TrainingRecordForm": Case(
        "consultant",
        lambda w: reverse("mytrainings:record-create"),
        lambda w: {
            "training": str(w["training"].pk),
            "completed_on": _day(-10),
            "hours": "6",
            "note": TEXT,
        },
        ("trainings.TrainingRecord",),
    ),
    "EvaluationForm": Case(
        "consultant",
        _pk("mytrainings:evaluate", "record"),
        _fixed({"rating": "4", "comment": TEXT}),
        ("trainings.Evaluation",),
    ),
    "GrowthGoalForm": Case(
        "consultant",
        lambda w: reverse("mytrainings:goal-create"),
        _fixed({"area": "leadership", "topics": ["resilience"], "description": TEXT}),
        ("trainings.GrowthGoal",),
    ),
    "TrainingRequestForm": Case(
        "coordinator",
        lambda w: reverse("trainings:request-create", kwargs={"slug": "fuzz-on-site"}),
        lambda w: {
            "partnership": str(w["x"].pk),
            "preferred_from": _day(30),
            "preferred_until": _day(60),
            "audience_size": "25",
            "notes": TEXT,
        },
        ("trainings.TrainingRequest",),
    ),
    # partnerships: the self-assessment (a refused form answers 400) -----------------------
    "OpenRoundForm": Case(
        "coordinator",
        _x("assessment-open"),
        lambda w: {
            "title": "Spring round",
            "closes_on": _day(14),
            "raters": [str(w["membership"].user.pk)],
        },
        ("assessment.AssessmentRound", "assessment.Rater"),
    ),
    "StaffRatersForm": Case(
        "coordinator",
        _round_url("assessment-raters"),
        lambda w: {"people": [str(_new_member(w).pk)]},
        ("assessment.Rater",),
    ),
    "InviteConsultantsForm": Case(
        "coordinator",
        _round_url("assessment-invite"),
        lambda w: {
            "consultants": [str(w["other_profile"].pk)],
            "estimated_hours": "2",
            "compensation_amount": "40.00",
        },
        ("survivors.ParticipationRequest", "assessment.Rater"),
        refused=400,
    ),
    "AnswerPageForm": Case(
        "consultant",
        _round_url("assessment-answer-page", page="governance"),
        _answer_page,
        ("assessment.Answer",),
    ),
    "PriorityForm": Case(
        "coordinator",
        _round_url("assessment-priorities", closed=True),
        _priority,
        ("assessment.Priority", "partnerships.Goal"),
        refused=400,
    ),
    # accounts --------------------------------------------------------------------------------
    "SignupForm": Case(
        "anonymous",
        lambda w: reverse("account_signup"),
        _fixed(
            {
                "email": "new.person@example.org",
                "password1": "a long Passphrase 42!",
                "password2": "a long Passphrase 42!",
                "role": "consultant",
            }
        ),
        ("toolkit_portal.User",),
    ),
    "LoginForm": Case(
        "anonymous",
        lambda w: reverse("account_login"),
        _fixed({"login": "consultant.a@example.org", "password": "not the password"}),
        ("toolkit_portal.User",),
        accepted=200,  # a wrong password: the form says so
    ),
    "ResetPasswordForm": Case(
        "anonymous",
        lambda w: reverse("account_reset_password"),
        _fixed({"email": "consultant.a@example.org"}),
        ("toolkit_portal.User",),
        saves=False,  # it sends an email
    ),
    # allauth's forms for a signed-in person (consultant A, whose second factor is optional)
    "AuthenticateForm": Case(
        "anonymous",
        lambda w: reverse("mfa_authenticate"),
        lambda w: {"code": current_code()},
        ("mfa.Authenticator", "toolkit_portal.User"),
        prepare=_password_accepted,
    ),
    "ChangePasswordForm": Case(
        "consultant",
        lambda w: reverse("account_change_password"),
        _fixed(
            {
                "oldpassword": PASSWORD,
                "password1": "a new long Passphrase 43!",
                "password2": "a new long Passphrase 43!",
            }
        ),
        ("toolkit_portal.User",),
    ),
    "SetPasswordForm": Case(
        "other_consultant",
        lambda w: reverse("account_set_password"),
        _fixed(
            {"password1": "a new long Passphrase 44!", "password2": "a new long Passphrase 44!"}
        ),
        ("toolkit_portal.User",),
        prepare=_without_password,
    ),
    "AddEmailForm": Case(
        "consultant",
        lambda w: reverse("account_email"),
        _fixed({"email": "river.second@example.org", "action_add": ""}),
        ("account.EmailAddress",),
    ),
    "ReauthenticateForm": Case(
        "consultant",
        lambda w: reverse("account_reauthenticate"),
        _fixed({"password": PASSWORD, "next": "/"}),
        ("toolkit_portal.User",),
        saves=False,  # it marks the session
    ),
    "ActivateTOTPForm": Case(
        "consultant",
        lambda w: reverse("mfa_activate_totp"),
        lambda w: {"code": current_code()},
        ("mfa.Authenticator",),
        session=lambda session: {
            # Just confirmed with a password (allauth asks again before a second factor
            # is added), with the secret the activation page showed.
            "account_authentication_methods": [
                {**method, "reauthenticated": True}
                for method in session["account_authentication_methods"]
            ],
            "mfa.totp.secret": TOTP_SECRET,
        },
    ),
    "LanguageForm": Case(
        "consultant",
        lambda w: reverse("account-language"),
        _fixed({"language": "es", "next": "/"}),
        ("toolkit_portal.User",),
    ),
}
