import pytest
from allauth.account.models import EmailAddress
from django.contrib.admin.models import LogEntry
from django.core import mail
from django.urls import reverse
from zeal import zeal_ignore

from toolkit_portal import notifications, services
from toolkit_portal.models import Role, User

from .factories import PASSWORD, ConsultantFactory


def sign_up(client, email, role):
    return client.post(
        reverse("account_signup"),
        {"email": email, "password1": PASSWORD, "password2": PASSWORD, "role": role},
    )


def test_sign_up_as_consultant(client, db, admin_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_up(client, "new.consultant@example.org", "consultant")
    assert response.status_code == 302
    assert response.headers["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(email="new.consultant@example.org")
    assert user.role == Role.CONSULTANT
    # Only the verification mail: consultants are not reviewed by admins.
    assert [m.to for m in mail.outbox] == [["new.consultant@example.org"]]
    assert "/accounts/confirm-email/" in mail.outbox[0].body


def test_sign_up_as_coordinator_waits_for_approval_and_tells_admins(
    client, db, admin_user, django_capture_on_commit_callbacks
):
    sign_up(client, "new.coordinator@example.org", "coordinator")
    user = User.objects.get(email="new.coordinator@example.org")
    assert user.is_pending_coordinator
    with django_capture_on_commit_callbacks(execute=True):
        notifications.sweep()
    to_admins = [m for m in mail.outbox if m.to == [admin_user.email]]
    assert len(to_admins) == 1
    assert "awaiting approval" in to_admins[0].subject
    assert "new.coordinator@example.org" not in to_admins[0].body
    assert to_admins[0].alternatives, "the email has an HTML part"
    assert notifications.unread_count(admin_user) == 1


def test_sign_up_needs_a_role_and_cannot_pick_admin(client, db):
    response = sign_up(client, "no.role@example.org", "")
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    response = sign_up(client, "sneaky@example.org", "admin")
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not User.objects.filter(email__in=["no.role@example.org", "sneaky@example.org"])


def test_sign_up_does_not_reveal_existing_accounts(client, consultant):
    known = sign_up(client, consultant.email, "consultant")
    unknown = sign_up(client, "unknown.person@example.org", "consultant")
    assert known.status_code == unknown.status_code == 302
    assert known.headers["Location"] == unknown.headers["Location"]


def test_email_verification_is_mandatory(client, db):
    user = ConsultantFactory(verified_email=False)
    EmailAddress.objects.filter(user=user).delete()
    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.headers["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session


def test_repeated_failed_sign_ins_are_refused_even_with_the_right_password(client, consultant):
    for _ in range(5):
        client.post(reverse("account_login"), {"login": consultant.email, "password": "wrong"})
    response = client.post(
        reverse("account_login"), {"login": consultant.email, "password": PASSWORD}
    )
    assert "_auth_user_id" not in client.session
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()


def test_password_reset_answers_the_same_for_unknown_addresses(client, consultant):
    known = client.post(reverse("account_reset_password"), {"email": consultant.email})
    unknown = client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known.headers["Location"] == unknown.headers["Location"]


def test_admin_approves_a_coordinator_with_an_action(client, admin_user, pending_coordinator):
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:toolkit_portal_user_changelist"),
        {"action": "approve_coordinators", "_selected_action": [pending_coordinator.pk]},
        follow=True,
    )
    assert "1 coordinator approved." in response.content.decode()
    pending_coordinator.refresh_from_db()
    assert pending_coordinator.approved_at is not None
    assert pending_coordinator.approved_by == admin_user
    entry = LogEntry.objects.get(object_id=str(pending_coordinator.pk))
    assert entry.user == admin_user


def test_the_approve_action_names_each_account_it_refuses_and_approves_the_rest(
    client, admin_user, pending_coordinator, consultant
):
    client.force_login(admin_user)
    # Each account is read again under a lock before it changes: django-zeal would take the
    # second read for an N+1.
    with zeal_ignore([{"model": "toolkit_portal.User"}]):
        response = client.post(
            reverse("admin:toolkit_portal_user_changelist"),
            {
                "action": "approve_coordinators",
                "_selected_action": [pending_coordinator.pk, consultant.pk],
            },
            follow=True,
        )
    page = response.content.decode()
    # The admin's messages begin with a capital letter, the address's too.
    assert f"{consultant.email} is not a coordinator account." in page.lower()
    assert "1 coordinator approved." in page
    pending_coordinator.refresh_from_db()
    assert pending_coordinator.approved_by == admin_user


def test_approving_twice_or_a_consultant_is_refused(admin_user, pending_coordinator, consultant):
    services.approve_coordinator(coordinator=pending_coordinator, actor=admin_user)
    with pytest.raises(services.AccountError, match="already approved"):
        services.approve_coordinator(coordinator=pending_coordinator, actor=admin_user)
    with pytest.raises(services.AccountError, match="not a coordinator"):
        services.approve_coordinator(coordinator=consultant, actor=admin_user)


def test_pending_coordinator_sees_the_waiting_page(client, pending_coordinator):
    client.force_login(pending_coordinator)
    response = client.get(reverse("home"))
    assert "awaiting approval" in response.content.decode()


def test_pending_coordinator_of_a_partnership_manages_nothing(client, pending_coordinator):
    from tests.partnerships.factories import MembershipFactory

    membership = MembershipFactory(user=pending_coordinator)
    client.force_login(pending_coordinator)
    response = client.get(membership.partnership.get_absolute_url())
    assert response.status_code == 200  # the partnership is listed publicly
    assert not response.context["is_coordinator"]
    assert "Who belongs" not in response.content.decode()


def test_admin_dashboard_counts_waiting_coordinators(client, admin_user, pending_coordinator):
    client.force_login(admin_user)
    response = client.get(reverse("home"))
    assert "1 coordinator account awaiting approval" in response.content.decode()
